/*
 * link_context.c -- the link's RPCSEC_GSS context: made at the link's
 * level with the user's Kerberos ticket (and sealed, at privacy, when the
 * server offers it: link_seal.c), replaced when the server forgets it, and
 * the session that lives and dies with it (see link.h).
 */
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <rpc/rpcsec_gss.h>
#include <string.h>

#include "internal.h"
#include "level.h"

/* rpc_gss_seccreate is not documented as thread-safe, and the credential
 * cache is chosen per thread: one context set-up at a time, as parallel
 * fetches and their reconnections may set up several at once. */
static pthread_mutex_t context_mu = PTHREAD_MUTEX_INITIALIZER;

void mr_link_session_end(struct mr_link *l)
{
	mr_link_seal_end(&l->session);
	OPENSSL_cleanse(&l->session, sizeof(l->session));
}

/* Why seccreate failed, in words (it sets no status of its own). */
static int fail_seccreate(struct mr_link *l, const rpc_gss_options_ret_t *ret,
			  struct mailrpc_error *err)
{
	struct rpc_err e;
	clnt_geterr(l->clnt, &e);
	/* The link went during the exchange (a proxy that accepted and then
	 * lost its way to the server, say): worth another attempt, unlike a
	 * refusal.  An older server's refusals are named as such. */
	if (e.re_status == RPC_CANTSEND || e.re_status == RPC_CANTRECV ||
	    e.re_status == RPC_TIMEDOUT || mr_rpc_too_old(e.re_status))
		return mr_fail_rpc(err, l, NULLPROC, e.re_status);
	if (ret->major_status != 0 || ret->minor_status != 0)
		return mr_fail_gss(err, l->p.principal, (unsigned)ret->major_status,
				   (unsigned)ret->minor_status);
	/* GSS was happy locally, so the server said no. */
	return mr_fail_rpc(err, l, NULLPROC, RPC_AUTHERROR);
}

static int context_locked(struct mr_link *l, struct mailrpc_error *err)
{
	static const rpc_gss_service_t services[] = {
	    [LEVEL_AUTH] = rpcsec_gss_svc_none,
	    [LEVEL_INTEGRITY] = rpcsec_gss_svc_integrity,
	    [LEVEL_PRIVACY] = rpcsec_gss_svc_privacy,
	};
	OM_uint32 minor;

	if (l->auth != NULL) {
		auth_destroy(l->auth);
		l->auth = NULL;
		l->clnt->cl_auth = authnone_create();
	}
	mr_link_session_end(l);
	/* rpc_gss_seccreate ignores options_req->my_cred; selecting the cache
	 * for this thread's GSSAPI calls is the way that works. */
	if (l->p.ccache[0] != '\0' && GSS_ERROR(gss_krb5_ccache_name(&minor, l->p.ccache, NULL)))
		return mr_fail(err, MAILRPC_E_NOCREDS, "cannot use credential cache %s",
			       l->p.ccache);

	rpc_gss_options_req_t req;
	rpc_gss_options_ret_t ret;
	memset(&req, 0, sizeof(req));
	memset(&ret, 0, sizeof(ret));
	AUTH *auth = rpc_gss_seccreate(l->clnt, l->p.principal, "kerberos_v5", services[l->p.level],
				       NULL, &req, &ret);
	if (auth == NULL)
		return fail_seccreate(l, &ret, err);
	auth_destroy(l->clnt->cl_auth);
	l->clnt->cl_auth = auth;
	l->auth = auth;
	int status = mr_link_seal(l, err);
	if (status != MAILRPC_OK) {
		/* No call goes on a context that should have been sealed. */
		auth_destroy(l->auth);
		l->auth = NULL;
		l->clnt->cl_auth = authnone_create();
		mr_link_session_end(l);
	}
	return status;
}

int mr_link_context(struct mr_link *l, struct mailrpc_error *err)
{
	pthread_mutex_lock(&context_mu);
	int status = context_locked(l, err);
	pthread_mutex_unlock(&context_mu);
	return status;
}
