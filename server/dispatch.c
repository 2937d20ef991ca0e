/* dispatch.c -- authenticate, decode, handle, reply, log (see dispatch.h). */
#include <rpc/auth_gss.h>
#include <rpc/rpcsec_gss.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/level.h"
#include "../common/status.h"
#include "config.h"
#include "conn.h"
#include "conn_limits.h"
#include "dispatch.h"
#include "log.h"
#include "procs.h"
#include "seal.h"
#include "session.h"

static const char *flavor_name(int flavor)
{
	switch (flavor) {
	case AUTH_NONE:
		return "AUTH_NONE";
	case AUTH_SYS:
		return "AUTH_SYS";
	case RPCSEC_GSS:
		return "RPCSEC_GSS";
	default:
		return "other";
	}
}

static int context_level(rpc_gss_service_t service)
{
	switch (service) {
	case rpcsec_gss_svc_none:
		return LEVEL_AUTH;
	case rpcsec_gss_svc_integrity:
		return LEVEL_INTEGRITY;
	case rpcsec_gss_svc_privacy:
		return LEVEL_PRIVACY;
	default:
		return 0;
	}
}

/*
 * Fills caller from the context (rpc_gss_getcred reports the level the
 * context was created with; the level a call claims is the client's word),
 * then holds the call to the context's lifetime, to what the context
 * allows (seal_admit: the claim, sealed or not) and to the minimum level.
 * Returns the admission; on SEAL_ADMIT_REFUSED the auth error has been sent.
 */
static int authenticate(struct svc_req *rq, SVCXPRT *xprt, struct caller *caller, char *principal,
			size_t principal_len, const char *proc_name)
{
	const char *peer = conn_peer();
	if (rq->rq_cred.oa_flavor != RPCSEC_GSS) {
		log_info("refused proc=%s flavor=%s peer=%s: only RPCSEC_GSS is accepted",
			 proc_name, flavor_name(rq->rq_cred.oa_flavor), peer);
		svcerr_weakauth(xprt);
		return SEAL_ADMIT_REFUSED;
	}
	rpc_gss_rawcred_t *raw = NULL;
	void *cookie = NULL;
	if (!rpc_gss_getcred(rq, &raw, NULL, &cookie) || raw == NULL || cookie == NULL) {
		log_warn("refused proc=%s peer=%s: no RPCSEC_GSS context state", proc_name, peer);
		svcerr_auth(xprt, RPCSEC_GSS_CREDPROBLEM);
		return SEAL_ADMIT_REFUSED;
	}
	const struct session *s = cookie;
	rpc_gss_principal_t p = raw->client_principal;
	size_t n = p && p->len > 0 ? (size_t)p->len : 0;
	if (n >= principal_len)
		n = principal_len - 1;
	memcpy(principal, p ? p->name : "", n);
	principal[n] = '\0';

	caller->principal = principal;
	/* A principal's display form may hold any character: logged made safe. */
	caller->principal_shown = target_safe(caller, principal);
	caller->level = context_level(raw->service);
	caller->expires = s->expires;
	caller->context = (struct session *)s;
	caller->session = s->mail;
	caller->mailbox = mail_session_mailbox(s->mail);

	if (time(NULL) >= caller->expires) {
		/* CTXPROBLEM tells the client to build a new context, which needs
		 * a fresh ticket: expiry is enforced by the KDC from here on.
		 * Its sealing keys go at once (if the idle wake-up has not
		 * wiped them already). */
		session_expire(time(NULL));
		log_info(
		    "refused proc=%s principal=%s peer=%s: Kerberos ticket of this context expired",
		    proc_name, caller->principal_shown, peer);
		svcerr_auth(xprt, RPCSEC_GSS_CTXPROBLEM);
		return SEAL_ADMIT_REFUSED;
	}
	int admission = seal_admit(rq, xprt, caller, proc_name);
	if (admission == SEAL_ADMIT_REFUSED)
		return admission;
	int min = config_get()->min_level;
	if (caller->level < min) {
		log_info("refused proc=%s principal=%s level=%s peer=%s: below minimum level %s",
			 proc_name, caller->principal_shown, level_name(caller->level), peer,
			 level_name(min));
		svcerr_weakauth(xprt);
		return SEAL_ADMIT_REFUSED;
	}
	return admission;
}

/* The line every answered call leaves; built without printf (see log.h). */
static void log_call(const char *name, const struct caller *caller, const char *level,
		     mr_status status, int sent)
{
	struct log_text t = {.len = 0};
	log_text_add(&t, "call");
	log_text_field(&t, " proc=", name);
	log_text_field(&t, " principal=", caller->principal_shown);
	log_text_field(&t, " mailbox=", caller->mailbox);
	log_text_field(&t, " level=", level);
	if (caller->sealed)
		log_text_add(&t, " seal=aes-256-gcm");
	log_text_field(&t, " peer=", conn_peer());
	if (caller->target[0]) {
		log_text_add(&t, " ");
		log_text_add(&t, caller->target);
	}
	log_text_field(&t, " result=", status == MR_OK ? "OK" : status_text(status));
	if (!sent)
		log_text_add(&t, " (reply not sent)");
	log_text_info(&t);
}

/* RPCSEC_GSS DESTROY arrives here as NULLPROC, after libtirpc let go of
 * the context: its session goes too (keys wiped).  So do pings. */
static void null_proc(struct svc_req *rq, SVCXPRT *xprt)
{
	if (rq->rq_cred.oa_flavor == RPCSEC_GSS &&
	    ((struct rpc_gss_cred *)rq->rq_clntcred)->gc_proc == RPCSEC_GSS_DESTROY)
		session_end(session_current());
	svc_sendreply(xprt, (xdrproc_t)xdr_void, NULL);
}

void dispatch(struct svc_req *rq, SVCXPRT *xprt)
{
	if (rq->rq_proc == NULLPROC) {
		null_proc(rq, xprt);
		return;
	}
	const struct proc_def *proc = procs_find(rq->rq_proc);
	char num_name[16];
	if (proc == NULL)
		snprintf(num_name, sizeof(num_name), "%u", (unsigned)rq->rq_proc);
	const char *name = proc ? proc->name : num_name;

	struct caller caller;
	memset(&caller, 0, sizeof(caller));
	char principal[512];
	int admission = authenticate(rq, xprt, &caller, principal, sizeof(principal), name);
	if (admission == SEAL_ADMIT_REFUSED)
		return;
	const char *level = level_name(caller.level);
	if (proc == NULL) {
		log_info("refused proc=%s principal=%s level=%s peer=%s: no such procedure", name,
			 caller.principal_shown, level, conn_peer());
		svcerr_noproc(xprt);
		return;
	}
	/* Decided before the handler: SEAL_BEGIN's own reply is not sealed. */
	struct seal_call sealed;
	caller.sealed = admission == SEAL_ADMIT_SEALED;
	if (caller.sealed)
		seal_call_begin(&sealed, rq, xprt, caller.context->seal);

	int decoded = 0;
	void *args = calloc(1, proc->args_size);
	void *res = calloc(1, proc->res_size);
	if (args == NULL || res == NULL) {
		log_warn("proc=%s principal=%s peer=%s: out of memory", name,
			 caller.principal_shown, conn_peer());
		svcerr_systemerr(xprt);
		goto cleanup;
	}
	decoded = 1; /* even a failed decode may have allocated */
	if (!svc_getargs(xprt, proc->xdr_args, args)) {
		if (caller.sealed && sealed.result != SEAL_OK && sealed.result != SEAL_UNDECODED) {
			/* Ends the context: caller's session is gone after this. */
			seal_call_end(&sealed);
			caller.sealed = 0;
			seal_refuse(&sealed, &caller, name);
			goto cleanup;
		}
		log_info("refused proc=%s principal=%s level=%s peer=%s: arguments malformed or "
			 "over their limits",
			 name, caller.principal_shown, level, conn_peer());
		svcerr_decode(xprt);
		goto cleanup;
	}
	if (conn_limits_admit(caller.principal)) {
		proc->handler(&caller, args, res);
	} else {
		/* This call answered, the connection ends (conn_serve). */
		log_info("refused principal=%s peer=%s: as many connections of this principal as "
			 "the policy's max-user-conns allows; closing this one",
			 caller.principal_shown, conn_peer());
		*(mr_status *)res = MR_ERR_CONNLIMIT;
		conn_end_after_reply();
	}

	mr_status status = *(mr_status *)res;
	int sent = svc_sendreply(xprt, proc->xdr_res, res);
	log_call(name, &caller, level, status, sent);
	xdr_free(proc->xdr_res, res);
cleanup:
	if (caller.sealed)
		seal_call_end(&sealed);
	/* Unlike rpcgen's template, never exit over this: log and go on. */
	if (decoded && !svc_freeargs(xprt, proc->xdr_args, args))
		log_warn("proc=%s: could not free arguments", name);
	free(args);
	free(res);
}
