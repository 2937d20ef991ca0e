/*
 * seal_call.c -- every call held to its context, a sealed call's body
 * opened and its reply sealed, a context ended when its sealed call does
 * not open (see seal.h).
 */
#include <rpc/auth_gss.h>
#include <string.h>

#include "../common/level.h"
#include "conn.h"
#include "log.h"
#include "seal.h"

static const char *claim_name(rpc_gss_svc_t svc)
{
	switch (svc) {
	case RPCSEC_GSS_SVC_NONE:
		return "auth";
	case RPCSEC_GSS_SVC_INTEGRITY:
		return "integrity";
	case RPCSEC_GSS_SVC_PRIVACY:
		return "privacy";
	default:
		return "unknown";
	}
}

/* The wire's service for a level rpc_gss_getcred reports. */
static rpc_gss_svc_t wire_service(rpc_gss_service_t service)
{
	switch (service) {
	case rpcsec_gss_svc_none:
		return RPCSEC_GSS_SVC_NONE;
	case rpcsec_gss_svc_integrity:
		return RPCSEC_GSS_SVC_INTEGRITY;
	case rpcsec_gss_svc_privacy:
		return RPCSEC_GSS_SVC_PRIVACY;
	default:
		return 0;
	}
}

/* The quality of protection this call's header was checked with, as
 * libtirpc names it (it reports the call's when the context is not locked). */
static int same_qop(struct svc_req *rq, const struct session *s)
{
	rpc_gss_rawcred_t *raw = NULL;
	if (!rpc_gss_getcred(rq, &raw, NULL, NULL) || raw == NULL)
		return 0;
	if (raw->qop == NULL || s->qop == NULL)
		return raw->qop == s->qop;
	return strcmp(raw->qop, s->qop) == 0;
}

static int refuse(SVCXPRT *xprt, enum auth_stat why, const struct caller *caller, const char *name,
		  const char *reason, const char *claimed)
{
	log_info("refused proc=%s principal=%s level=%s claimed=%s peer=%s: %s", name,
		 caller->principal_shown, level_name(caller->level), claimed, conn_peer(), reason);
	svcerr_auth(xprt, why);
	return SEAL_ADMIT_REFUSED;
}

/* libtirpc's authenticator for the rest of a context that was ended in a
 * call: nothing to protect, nothing to free (the next call sets its own). */
static int ended_wrap(SVCAUTH *auth, XDR *xdrs, xdrproc_t f, caddr_t obj)
{
	(void)auth;
	return f(xdrs, obj);
}
static int ended_destroy(SVCAUTH *auth)
{
	(void)auth;
	return TRUE;
}
static struct svc_auth_ops ended_ops = {ended_wrap, ended_wrap, ended_destroy};

/* Ends the context of the call being served: libtirpc's state for it (its
 * GSS context included) and the session with its keys. */
static void end_context(SVCXPRT *xprt, struct session *s)
{
	SVCAUTH_DESTROY(&SVC_XP_AUTH(xprt));
	SVC_XP_AUTH(xprt).svc_ah_ops = &ended_ops;
	SVC_XP_AUTH(xprt).svc_ah_private = NULL;
	session_end(s);
}

int seal_admit(struct svc_req *rq, SVCXPRT *xprt, const struct caller *caller, const char *name)
{
	const struct session *s = caller->context;
	rpc_gss_svc_t claim = ((struct rpc_gss_cred *)rq->rq_clntcred)->gc_svc;
	const char *claimed = claim_name(claim);
	if (s->seal != NULL) {
		/* RPCSEC_GSS privacy on a sealed context would be an unsealed
		 * call: refused like any claim the context does not allow. */
		if (claim != RPCSEC_GSS_SVC_NONE)
			return refuse(xprt, AUTH_FAILED, caller, name,
				      "unsealed call on a sealed context", claimed);
		if (!same_qop(rq, s))
			return refuse(xprt, AUTH_BADVERF, caller, name,
				      "quality of protection changed", claimed);
		/* A reply must not find its key spent: new keys (a new context)
		 * first.  The client renews before this happens. */
		if (seal_key_spent(&s->seal->keys.reply, SEAL_BODY_MAX)) {
			log_info("refused proc=%s principal=%s peer=%s: sealing keys at their "
				 "limits; context ended",
				 name, caller->principal_shown, conn_peer());
			end_context(xprt, caller->context);
			svcerr_auth(xprt, RPCSEC_GSS_CTXPROBLEM);
			return SEAL_ADMIT_REFUSED;
		}
		return SEAL_ADMIT_SEALED;
	}
	if (claim != wire_service(s->service))
		return refuse(xprt, AUTH_FAILED, caller, name,
			      "call claims another level than its context's", claimed);
	if (!same_qop(rq, s))
		return refuse(xprt, AUTH_BADVERF, caller, name, "quality of protection changed",
			      claimed);
	if (rq->rq_proc == MR_SEAL_BEGIN && s->service != rpcsec_gss_svc_privacy) {
		log_info("refused proc=%s principal=%s level=%s peer=%s: sealing starts only from "
			 "a privacy context",
			 name, caller->principal_shown, level_name(caller->level), conn_peer());
		svcerr_weakauth(xprt);
		return SEAL_ADMIT_REFUSED;
	}
	return SEAL_ADMIT_PLAIN;
}

/* ---- the authenticator of a sealed call ---------------------------------- */

static int sealed_unwrap(SVCAUTH *auth, XDR *xdrs, xdrproc_t f, caddr_t obj)
{
	struct seal_call *c = (struct seal_call *)auth->svc_ah_private;
	c->result = seal_xdr_get(&c->st->keys.call, &c->ids, xdrs, f, obj, c->st->scratch);
	return c->result == SEAL_OK;
}

static int sealed_wrap(SVCAUTH *auth, XDR *xdrs, xdrproc_t f, caddr_t obj)
{
	struct seal_call *c = (struct seal_call *)auth->svc_ah_private;
	c->result = seal_xdr_put(&c->st->keys.reply, &c->ids, xdrs, f, obj, c->st->scratch);
	return c->result == SEAL_OK;
}

static struct svc_auth_ops sealed_ops = {sealed_wrap, sealed_unwrap, ended_destroy};

void seal_call_begin(struct seal_call *c, struct svc_req *rq, SVCXPRT *xprt, struct seal_state *st)
{
	const struct rpc_gss_cred *gc = rq->rq_clntcred;
	c->xprt = xprt;
	c->st = st;
	c->result = SEAL_OK;
	c->ids = (struct seal_ids){.prog = (uint32_t)rq->rq_prog,
				   .vers = (uint32_t)rq->rq_vers,
				   .proc = (uint32_t)rq->rq_proc,
				   .xid = conn_xid(),
				   .seq = gc->gc_seq};
	c->saved = SVC_XP_AUTH(xprt);
	SVC_XP_AUTH(xprt).svc_ah_ops = &sealed_ops;
	SVC_XP_AUTH(xprt).svc_ah_private = (caddr_t)c;
}

void seal_call_end(struct seal_call *c)
{
	SVC_XP_AUTH(c->xprt) = c->saved;
}

void seal_refuse(struct seal_call *c, const struct caller *caller, const char *name)
{
	log_warn("refused proc=%s principal=%s peer=%s: %s; context ended", name,
		 caller->principal_shown, conn_peer(), seal_result_text(c->result));
	end_context(c->xprt, caller->context);
	svcerr_auth(c->xprt, RPCSEC_GSS_CTXPROBLEM);
}
