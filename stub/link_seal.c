/*
 * link_seal.c -- sealed calls on the link (docs/sealing.md): SEAL_BEGIN on
 * every new privacy context, the context taken over from libtirpc
 * (seal_auth.c), the keys derived from it and kept in the link's session
 * with the scratch buffer bodies are sealed in (see link.h).
 */
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "level.h"
#include "seal_keys.h"
#include "status.h"

struct mr_seal {
	struct seal_keys keys;
	unsigned char *scratch; /* SEAL_SCRATCH_LEN */
	unsigned max_chunk;	/* the server's, from its offer */
};

void mr_link_seal_end(struct mr_link_session *s)
{
	if (s->seal == NULL)
		return;
	seal_keys_wipe(&s->seal->keys);
	free(s->seal->scratch);
	OPENSSL_cleanse(s->seal, sizeof(*s->seal));
	free(s->seal);
	s->seal = NULL;
}

int mr_seal_put(struct mr_seal *seal, const struct seal_ids *ids, XDR *xdrs, xdrproc_t f, void *obj)
{
	return seal_xdr_put(&seal->keys.call, ids, xdrs, f, obj, seal->scratch);
}

int mr_seal_get(struct mr_seal *seal, const struct seal_ids *ids, XDR *xdrs, xdrproc_t f, void *obj)
{
	return seal_xdr_get(&seal->keys.reply, ids, xdrs, f, obj, seal->scratch);
}

int mr_link_seal_spent(const struct mr_link *l)
{
	const struct mr_seal *seal = l->session.seal;
	return seal != NULL && (seal_key_spent(&seal->keys.call, SEAL_BODY_MAX) ||
				seal_key_spent(&seal->keys.reply, SEAL_BODY_MAX));
}

unsigned mr_link_max_chunk(const struct mr_link *l)
{
	const struct mr_seal *seal = l->session.seal;
	if (seal == NULL)
		return MAILRPC_CHUNK_MAX;
	return seal->max_chunk < MAILRPC_SEALED_CHUNK_MAX ? seal->max_chunk
							  : MAILRPC_SEALED_CHUNK_MAX;
}

/* The server that offered sealing on this link now says it has none. */
static int refuse_downgrade(const struct mr_link *l, struct mailrpc_error *err)
{
	return mr_fail(err, MAILRPC_E_INTEGRITY,
		       "%s offered sealed calls on this connection before and now answers that "
		       "it has none; not going on without them (mailrpcd replaced by an older "
		       "version, or someone in the path)",
		       l->p.server);
}

/* The context taken from libtirpc, the keys derived from it. */
static int start_sealing(struct mr_link *l, const mr_seal_args *args, const mr_seal_offer *offer,
			 struct mailrpc_error *err)
{
	struct mr_seal *seal = calloc(1, sizeof(*seal));
	if (seal == NULL || (seal->scratch = malloc(SEAL_SCRATCH_LEN)) == NULL) {
		free(seal);
		return mr_fail(err, MAILRPC_E_NOMEM, "out of memory");
	}
	gss_ctx_id_t ctx;
	OM_uint32 major = 0, minor = 0;
	int status = MAILRPC_OK;
	if (mr_seal_auth_take(&l->auth, l->clnt, l->session.ids.seq, &ctx) != 0)
		status = mr_fail(err, MAILRPC_E_AUTH,
				 "cannot take over the security context for sealed calls");
	else if (seal_keys_derive(ctx, (const unsigned char *)args->client_random,
				  (const unsigned char *)offer->server_random, 1, &seal->keys,
				  &major, &minor) != 0)
		status = major ? mr_fail_gss(err, l->p.principal, major, minor)
			       : mr_fail(err, MAILRPC_E_NOMEM, "cannot set up AES-256-GCM");
	/* Taken or not, libtirpc's handle is gone or still in place: keep
	 * the client pointing at whichever the link now holds. */
	l->clnt->cl_auth = l->auth;
	if (status != MAILRPC_OK) {
		free(seal->scratch);
		free(seal);
		return status;
	}
	seal->max_chunk = offer->max_chunk;
	l->session.seal = seal;
	l->seal_seen = 1;
	return MAILRPC_OK;
}

/* MAILRPC_SEAL=off: plain RPCSEC_GSS privacy, for measurements and for
 * checking a server's service of clients that do not seal.  Never on a
 * link that was offered sealing already. */
static int sealing_turned_off(const struct mr_link *l)
{
	const char *v = getenv("MAILRPC_SEAL");
	return !l->seal_seen && v != NULL && strcmp(v, "off") == 0;
}

int mr_link_seal(struct mr_link *l, struct mailrpc_error *err)
{
	if (l->p.level != LEVEL_PRIVACY || sealing_turned_off(l))
		return MAILRPC_OK;
	mr_seal_args args = {.suite = MR_SEAL_AES256_GCM};
	mr_seal_res res;
	memset(&res, 0, sizeof(res));
	if (RAND_bytes((unsigned char *)args.client_random, SEAL_RANDOM_LEN) != 1)
		return mr_fail(err, MAILRPC_E_NOMEM, "no random bytes for sealed calls");
	struct mr_exchange x = {.proc = MR_SEAL_BEGIN,
				.xargs = (xdrproc_t)xdr_mr_seal_args,
				.args = &args,
				.xres = (xdrproc_t)xdr_mr_seal_res,
				.res = &res,
				.timeout = mr_link_reply_timeout(l, MR_LINK_SMALL_CALL)};
	/* Sent at RPCSEC_GSS privacy, like every call of the context so far. */
	enum clnt_stat stat = mr_link_send(l, &x);
	l->session.seal_seconds = x.seconds;
	int status = MAILRPC_OK;
	/* A server without sealing, or of another protocol version (the
	 * link's first call reports that): plain privacy, unless sealing
	 * was offered on this link before. */
	if (stat == RPC_PROCUNAVAIL || stat == RPC_PROGVERSMISMATCH)
		status = l->seal_seen ? refuse_downgrade(l, err) : MAILRPC_OK;
	else if (stat != RPC_SUCCESS)
		status = mr_fail_rpc(err, l, MR_SEAL_BEGIN, stat);
	else if (res.status != MR_OK)
		status = mr_fail(err, MAILRPC_E_AUTH, "the server refused sealed calls: %s",
				 status_text(res.status));
	else if (res.mr_seal_res_u.offer.suite != MR_SEAL_AES256_GCM)
		status =
		    mr_fail(err, MAILRPC_E_AUTH, "the server offered an unknown sealing suite");
	else
		status = start_sealing(l, &args, &res.mr_seal_res_u.offer, err);
	xdr_free((xdrproc_t)xdr_mr_seal_res, &res);
	OPENSSL_cleanse(&args, sizeof(args));
	return status;
}
