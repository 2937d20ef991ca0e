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

static int fail_auth(struct mailrpc_error *err, struct mailrpc *conn, enum auth_stat why)
{
	switch ((int)why) {
	case AUTH_TOOWEAK:
		if (conn->level == LEVEL_INTEGRITY)
			return mr_fail(err, MAILRPC_E_TOOWEAK,
				       "server requires privacy; this connection uses integrity (use -l privacy)");
		return mr_fail(err, MAILRPC_E_TOOWEAK,
			       "server requires a higher protection level than %s (use -l privacy)",
			       level_name(conn->level));
	case RPCSEC_GSS_CREDPROBLEM:
	case RPCSEC_GSS_CTXPROBLEM:
		return mr_fail(err, MAILRPC_E_AUTH,
			       "server no longer accepts this security context; reconnect (run kinit if your ticket expired)");
	case AUTH_REJECTEDCRED:
	case AUTH_BADCRED:
		return mr_fail(err, MAILRPC_E_AUTH,
			       "server rejected the Kerberos credential for %s (wrong service principal, or the server's keytab is out of date)",
			       conn->principal);
	default:
		return mr_fail(err, MAILRPC_E_AUTH, "server refused authentication (RPC auth status %d)",
			       (int)why);
	}
}

int mr_fail_rpc(struct mailrpc_error *err, struct mailrpc *conn, enum clnt_stat stat)
{
	struct rpc_err e;
	memset(&e, 0, sizeof(e));
	clnt_geterr(conn->clnt, &e);
	switch (stat) {
	case RPC_AUTHERROR:
		return fail_auth(err, conn, e.re_why);
	case RPC_TIMEDOUT:
		return mr_fail(err, MAILRPC_E_RPC, "server did not answer within %d seconds",
			       conn->last_timeout);
	case RPC_CANTSEND:
	case RPC_CANTRECV:
		if (e.re_errno != 0)
			return mr_fail(err, MAILRPC_E_RPC, "connection to the server lost: %s",
				       strerror(e.re_errno));
		return mr_fail(err, MAILRPC_E_RPC, "connection to the server lost");
	case RPC_CANTDECODERES:
		return mr_fail(err, MAILRPC_E_RPC,
			       "could not decode or verify the server's reply (connection lost or tampered with)");
	case RPC_PROGVERSMISMATCH: {
		/* The server says which versions of the protocol it speaks. */
		char versions[64];
		unsigned long low = (unsigned long)e.re_vers.low, high = (unsigned long)e.re_vers.high;
		if (low == high)
			snprintf(versions, sizeof(versions), "version %lu", low);
		else
			snprintf(versions, sizeof(versions), "versions %lu to %lu", low, high);
		return mr_fail(err, MAILRPC_E_RPC,
			       "the server speaks mailrpc protocol %s, this client version %d: "
			       "upgrade the %s",
			       versions, MAILRPC_V2, high < MAILRPC_V2 ? "server" : "client");
	}
	case RPC_PROCUNAVAIL:
	case RPC_PROGUNAVAIL:
		return mr_fail(err, MAILRPC_E_RPC,
			       "the server does not offer this operation (older mailrpcd?)");
	case RPC_CANTDECODEARGS:
		return mr_fail(err, MAILRPC_E_INVALID,
			       "server could not decode the request (a field is malformed or over its limit)");
	default:
		return mr_fail(err, MAILRPC_E_RPC, "RPC failure: %s", clnt_sperrno(stat));
	}
}
