/*
 * seal_begin.c -- SEAL_BEGIN: the context's keys for sealed calls, from
 * both sides' fresh values and the Kerberos context (see seal.h).  Its
 * reply still goes at RPCSEC_GSS privacy; every later call of the context
 * is sealed (dispatch.c decides that before the handler runs).
 */
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#include "../common/seal_keys.h"
#include "log.h"
#include "seal.h"

void seal_state_free(struct seal_state **st)
{
	if (*st == NULL)
		return;
	seal_keys_wipe(&(*st)->keys);
	free((*st)->scratch);
	OPENSSL_cleanse(*st, sizeof(**st));
	free(*st);
	*st = NULL;
}

static struct seal_state *seal_state_new(struct session *s, const mr_seal_args *args,
					 const unsigned char server_random[SEAL_RANDOM_LEN])
{
	struct seal_state *st = calloc(1, sizeof(*st));
	if (st == NULL || (st->scratch = malloc(SEAL_SCRATCH_LEN)) == NULL) {
		free(st);
		return NULL;
	}
	OM_uint32 major, minor;
	if (seal_keys_derive(s->gss, (const unsigned char *)args->client_random, server_random, 0,
			     &st->keys, &major, &minor) != 0) {
		log_warn("sealing keys not derived (GSS major %u minor %u)", major, minor);
		seal_state_free(&st);
	}
	return st;
}

void proc_seal_begin(struct caller *caller, void *args_, void *res_)
{
	mr_seal_args *args = args_;
	mr_seal_res *res = res_;
	mr_seal_offer *offer = &res->mr_seal_res_u.offer;
	struct session *s = caller->context;
	target_set(caller, "suite=%d", (int)args->suite);
	/* Once per context: a sealed context keeps its keys until it ends. */
	if (s->seal != NULL || args->suite != MR_SEAL_AES256_GCM) {
		res->status = s->seal != NULL ? MR_ERR_DENIED : MR_ERR_INVALID;
		return;
	}
	if (RAND_bytes((unsigned char *)offer->server_random, SEAL_RANDOM_LEN) != 1 ||
	    (s->seal = seal_state_new(s, args, (unsigned char *)offer->server_random)) == NULL) {
		res->status = MR_ERR_INTERNAL;
		return;
	}
	res->status = MR_OK;
	offer->suite = MR_SEAL_AES256_GCM;
	offer->max_chunk = MAILRPC_SEALED_CHUNK_MAX;
}
