/*
 * seal_auth.c -- the RPCSEC_GSS authenticator of a sealed context (see
 * mr_seal_auth_take in link.h).
 *
 * The keys of sealed calls come from the GSS context (GSS_Pseudo_random),
 * and libtirpc lends its context out only by giving it away:
 * authgss_get_private_data leaves libtirpc's handle without one.  So once
 * SEAL_BEGIN has been answered the link takes the context over and its
 * calls go through this authenticator: the same credential and checksums
 * as libtirpc's (RFC 2203 section 5.3.1, MIT's gss_get_mic and
 * gss_verify_mic over the same context), at service none, its bodies left
 * to the link, which seals them.
 */
#include <arpa/inet.h>
#include <openssl/crypto.h>
#include <rpc/auth_gss.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct seal_auth {
	AUTH auth;
	struct authgss_private_data pd; /* context, its handle on the wire, window */
	CLIENT *clnt;			/* for DESTROY */
	uint32_t seq;			/* of the last call sent */
	rpc_gss_proc_t proc;		/* DATA; DESTROY while going */
	char cred[MAX_AUTH_BYTES];
};

static struct seal_auth *of(AUTH *a)
{
	return (struct seal_auth *)a->ah_private;
}

static void nextverf(AUTH *a)
{
	(void)a;
}

/* The credential, then the checksum of the header from its xid through
 * the credential as the verifier. */
static int marshal(AUTH *a, XDR *xdrs)
{
	struct seal_auth *s = of(a);
	/* RPCSEC_GSS ends a context's numbers here; the link renews first. */
	if (s->seq + 1 >= MAXSEQ)
		return FALSE;
	struct rpc_gss_cred gc = {.gc_v = RPCSEC_GSS_VERSION,
				  .gc_proc = s->proc,
				  .gc_seq = ++s->seq,
				  .gc_svc = RPCSEC_GSS_SVC_NONE,
				  .gc_ctx = s->pd.pd_ctx_hndl};
	XDR tmp;
	xdrmem_create(&tmp, s->cred, sizeof(s->cred), XDR_ENCODE);
	bool_t ok = xdr_rpc_gss_cred(&tmp, &gc);
	a->ah_cred = (struct opaque_auth){RPCSEC_GSS, s->cred, XDR_GETPOS(&tmp)};
	XDR_DESTROY(&tmp);
	if (!ok || !xdr_opaque_auth(xdrs, &a->ah_cred))
		return FALSE;
	u_int len = XDR_GETPOS(xdrs);
	void *header = XDR_SETPOS(xdrs, 0) ? XDR_INLINE(xdrs, (int)len) : NULL;
	if (header == NULL)
		return FALSE;
	gss_buffer_desc in = {.length = len, .value = header}, mic = GSS_C_EMPTY_BUFFER;
	OM_uint32 minor;
	if (gss_get_mic(&minor, s->pd.pd_ctx, GSS_C_QOP_DEFAULT, &in, &mic) != GSS_S_COMPLETE)
		return FALSE;
	struct opaque_auth verf = {RPCSEC_GSS, mic.value, (u_int)mic.length};
	ok = xdr_opaque_auth(xdrs, &verf);
	gss_release_buffer(&minor, &mic);
	return ok;
}

/* The reply's verifier: the checksum of the call's sequence number. */
static int validate(AUTH *a, struct opaque_auth *verf)
{
	struct seal_auth *s = of(a);
	uint32_t num = htonl(s->seq);
	gss_buffer_desc in = {.length = sizeof(num), .value = &num};
	gss_buffer_desc mic = {.length = verf->oa_length, .value = verf->oa_base};
	OM_uint32 minor;
	gss_qop_t qop = GSS_C_QOP_DEFAULT;
	return gss_verify_mic(&minor, s->pd.pd_ctx, &in, &mic, &qop) == GSS_S_COMPLETE &&
	       qop == GSS_C_QOP_DEFAULT;
}

/* A context the server no longer takes is replaced by the link. */
static int refresh(AUTH *a, void *msg)
{
	(void)a;
	(void)msg;
	return FALSE;
}

/* Bodies go as the link writes and reads them (sealed, link_body.c). */
static int as_is(AUTH *a, XDR *xdrs, xdrproc_t f, caddr_t obj)
{
	(void)a;
	return f(xdrs, obj);
}

/* Tells the server (RPCSEC_GSS DESTROY), then deletes the context. */
static void destroy(AUTH *a)
{
	struct seal_auth *s = of(a);
	if (s->clnt != NULL && s->pd.pd_ctx != GSS_C_NO_CONTEXT) {
		AUTH *saved = s->clnt->cl_auth;
		struct timeval tv = {.tv_sec = 1}; /* unused: the handle's own timeout holds */
		s->proc = RPCSEC_GSS_DESTROY;
		s->clnt->cl_auth = a;
		clnt_call(s->clnt, NULLPROC, (xdrproc_t)xdr_void, NULL, (xdrproc_t)xdr_void, NULL,
			  tv);
		s->clnt->cl_auth = saved;
	}
	authgss_free_private_data(&s->pd);
	OPENSSL_cleanse(s, sizeof(*s));
	free(s);
}

static struct auth_ops seal_auth_ops = {nextverf, marshal, validate, refresh,
					destroy,  as_is,   as_is};

int mr_seal_auth_take(AUTH **auth, CLIENT *clnt, uint32_t seq, gss_ctx_id_t *ctx_r)
{
	struct seal_auth *s = calloc(1, sizeof(*s));
	if (s == NULL)
		return -1;
	if (!authgss_get_private_data(*auth, &s->pd)) {
		free(s);
		return -1;
	}
	/* libtirpc's handle has no context left: destroying it sends nothing. */
	auth_destroy(*auth);
	s->auth.ah_ops = &seal_auth_ops;
	s->auth.ah_private = s;
	s->auth.ah_verf = _null_auth;
	s->clnt = clnt;
	s->seq = seq;
	s->proc = RPCSEC_GSS_DATA;
	*auth = &s->auth;
	*ctx_r = s->pd.pd_ctx;
	return 0;
}
