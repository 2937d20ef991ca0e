/*
 * errors.c -- turning GSSAPI and ONC RPC failures into sentences a user
 * can act on.  libtirpc's own texts ("RPC: Success", "unknown
 * authentication error - 14") never reach the user.
 */
#include <gssapi/gssapi.h>
#include <krb5.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "level.h"
#include "mailrpc_procs.h"
#include "status.h"

int mr_fail(struct mailrpc_error *err, int status, const char *fmt, ...)
{
	if (err != NULL) {
		va_list ap;
		va_start(ap, fmt);
		err->status = status;
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return status;
}

void mr_annotate(struct mailrpc_error *err, const char *fmt, ...)
{
	if (err == NULL)
		return;
	size_t used = strlen(err->message);
	if (used + 3 >= sizeof(err->message))
		return;
	snprintf(err->message + used, sizeof(err->message) - used, ": ");
	used += 2;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message + used, sizeof(err->message) - used, fmt, ap);
	va_end(ap);
}

static void gss_text(int type, OM_uint32 code, char *buf, size_t len)
{
	OM_uint32 minor, more = 0;
	do {
		gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
		if (GSS_ERROR(gss_display_status(&minor, code, type, GSS_C_NO_OID, &more, &text)))
			return;
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%.*s", used ? "; " : "", (int)text.length,
			 (char *)text.value);
		gss_release_buffer(&minor, &text);
	} while (more != 0);
}

int mr_fail_gss(struct mailrpc_error *err, const char *principal, unsigned major, unsigned minor)
{
	char text[400] = "";
	/* The mechanism (minor) text is the specific one; major is generic. */
	gss_text(GSS_C_MECH_CODE, minor, text, sizeof(text));
	if (text[0] == '\0')
		gss_text(GSS_C_GSS_CODE, major, text, sizeof(text));

	/* krb5 codes are negative 32-bit values carried in an unsigned minor. */
	krb5_error_code code = (krb5_error_code)minor;
	if (code == KRB5KRB_AP_ERR_TKT_EXPIRED || GSS_ROUTINE_ERROR(major) == GSS_S_CREDENTIALS_EXPIRED)
		return mr_fail(err, MAILRPC_E_EXPIRED, "Kerberos ticket expired (%s); run kinit", text);
	if (code == KRB5_FCC_NOFILE || code == KRB5_CC_NOTFOUND ||
	    GSS_ROUTINE_ERROR(major) == GSS_S_NO_CRED)
		return mr_fail(err, MAILRPC_E_NOCREDS, "%s; run kinit", text);
	if (code == KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN)
		return mr_fail(err, MAILRPC_E_AUTH, "%s (is the service principal %s right?)", text,
			       principal);
	return mr_fail(err, MAILRPC_E_AUTH, "Kerberos authentication to %s failed: %s", principal,
		       text);
}

static int fail_auth(struct mailrpc_error *err, const struct mr_link *l, enum auth_stat why)
{
	switch ((int)why) {
	case AUTH_TOOWEAK:
		if (l->p.level == LEVEL_INTEGRITY)
			return mr_fail(err, MAILRPC_E_TOOWEAK,
				       "server requires privacy; this connection uses integrity (use -l privacy)");
		return mr_fail(err, MAILRPC_E_TOOWEAK,
			       "server requires a higher protection level than %s (use -l privacy)",
			       level_name(l->p.level));
	case RPCSEC_GSS_CREDPROBLEM:
	case RPCSEC_GSS_CTXPROBLEM:
		return mr_fail(err, MAILRPC_E_AUTH,
			       "server no longer accepts this security context; reconnect (run kinit if your ticket expired)");
	case AUTH_REJECTEDCRED:
	case AUTH_BADCRED:
		return mr_fail(err, MAILRPC_E_AUTH,
			       "server rejected the Kerberos credential for %s (wrong service principal, or the server's keytab is out of date)",
			       l->p.principal);
	default:
		return mr_fail(err, MAILRPC_E_AUTH, "server refused authentication (RPC auth status %d)",
			       (int)why);
	}
}

/* Which limit of the server's policy a refusal of proc is about: the
 * status alone (LIMIT, QUOTA) does not say. */
static const struct {
	rpcproc_t proc;
	int status;
	const char *detail;
} limits[] = {
    {MR_FOLDER_CREATE, MR_ERR_LIMIT,
     "this mailbox has as many folders as the server allows (policy max-folders)"},
    {MR_ACL_SET, MR_ERR_LIMIT,
     "this folder, or this mailbox, has as many access rights entries as the server allows "
     "(policy max-acl-entries per folder, max-acl-total per mailbox)"},
    {MR_ACL_GET, MR_ERR_LIMIT,
     "this folder has more access rights entries than one answer holds; an administrator "
     "must remove some"},
    {MR_UPLOAD_BEGIN, MR_ERR_LIMIT,
     "you have as many unfinished uploads as the server allows (policy max-uploads): finish "
     "or abort one, or wait until they expire (policy upload-age)"},
    {MR_UPLOAD_BEGIN, MR_ERR_QUOTA, "the quota counts the sizes of your unfinished uploads too"},
};

int mr_fail_status(struct mailrpc_error *err, rpcproc_t proc, int status)
{
	for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++)
		if (limits[i].proc == proc && limits[i].status == status)
			return mr_fail(err, status, "%s: %s", status_text(status),
				       limits[i].detail);
	return mr_fail(err, status, "%s", status_text(status));
}

int mr_rpc_too_old(enum clnt_stat stat)
{
	return stat == RPC_PROCUNAVAIL || stat == RPC_PROGVERSMISMATCH || stat == RPC_PROGUNAVAIL;
}

const char *mr_operation(rpcproc_t proc, char *buf, size_t len)
{
	if (proc == NULLPROC)
		return "setting up a security context";
	if (proc < sizeof(mr_proc_names) / sizeof(mr_proc_names[0]) && mr_proc_names[proc] != NULL)
		return mr_proc_names[proc];
	snprintf(buf, len, "procedure %u", (unsigned)proc);
	return buf;
}

/* Versions low..high as words. */
static const char *versions(const struct rpc_err *e, char *buf, size_t len)
{
	if (e->re_vers.low == e->re_vers.high)
		snprintf(buf, len, "version %lu", (unsigned long)e->re_vers.low);
	else
		snprintf(buf, len, "versions %lu to %lu", (unsigned long)e->re_vers.low,
			 (unsigned long)e->re_vers.high);
	return buf;
}

/* A server that does not know what this client asks for: never a raw
 * "procedure unavailable", but what is missing and what to do. */
static int fail_too_old(struct mailrpc_error *err, const struct mr_link *l, rpcproc_t proc,
			enum clnt_stat stat, const struct rpc_err *e)
{
	char opbuf[32], vbuf[64];
	const char *op = mr_operation(proc, opbuf, sizeof(opbuf));
	unsigned mine = (unsigned)l->p.vers;
	switch (stat) {
	case RPC_PROCUNAVAIL:
		return mr_fail(err, MAILRPC_E_TOOOLD,
			       "server too old for %s: its mailrpc protocol version %u lacks it (upgrade mailrpcd)",
			       op, mine);
	case RPC_PROGVERSMISMATCH:
		/* A server past this version (it dropped it): the client is the old one. */
		if (e->re_vers.low > mine)
			return mr_fail(err, MAILRPC_E_TOOOLD,
				       "client too old for this server: it speaks mailrpc protocol %s, this client version %u (upgrade libmailrpc)",
				       versions(e, vbuf, sizeof(vbuf)), mine);
		return mr_fail(err, MAILRPC_E_TOOOLD,
			       "server too old for %s: it speaks mailrpc protocol %s, this client needs version %u (upgrade mailrpcd)",
			       op, versions(e, vbuf, sizeof(vbuf)), mine);
	default:
		return mr_fail(err, MAILRPC_E_TOOOLD,
			       "server too old for %s: it does not serve the mailrpc program (is %s a mailrpcd?)",
			       op, l->p.server);
	}
}

int mr_fail_rpc(struct mailrpc_error *err, const struct mr_link *l, rpcproc_t proc,
		enum clnt_stat stat)
{
	struct rpc_err e;
	memset(&e, 0, sizeof(e));
	if (l->clnt != NULL)
		clnt_geterr(l->clnt, &e);
	if (mr_rpc_too_old(stat))
		return fail_too_old(err, l, proc, stat, &e);
	switch (stat) {
	case RPC_AUTHERROR:
		return fail_auth(err, l, e.re_why);
	case RPC_TIMEDOUT:
		return mr_fail(err, MAILRPC_E_RPC, "server did not answer within %d seconds",
			       l->last_timeout);
	case RPC_CANTSEND:
	case RPC_CANTRECV:
		if (e.re_errno != 0)
			return mr_fail(err, MAILRPC_E_RPC, "connection to the server lost: %s",
				       strerror(e.re_errno));
		return mr_fail(err, MAILRPC_E_RPC, "connection to the server lost");
	case RPC_CANTDECODERES:
		return mr_fail(err, MAILRPC_E_RPC,
			       "could not decode or verify the server's reply (connection lost or tampered with)");
	case RPC_CANTDECODEARGS:
		return mr_fail(err, MAILRPC_E_INVALID,
			       "server could not decode the request (a field is malformed or over its limit)");
	default:
		return mr_fail(err, MAILRPC_E_RPC, "RPC failure: %s", clnt_sperrno(stat));
	}
}
