/*
 * service.c -- one process's mail service: its settings and its store
 * handle, opened on first use (LMDB handles must not cross fork(), so
 * each connection process opens its own), and the master's housekeeping.
 */
#include <limits.h>
#include <stdlib.h>

#include "service_int.h"

/* The store; its limits are its own policy, the same for every process
 * that opens it (store.h), so the front-end gives none. */
static int open_store(const struct mail_config *cfg, store_t **st_r)
{
	return store_open(cfg->store_dir, NULL, st_r);
}

int mail_service_new(const struct mail_config *cfg, struct mail_service **svc_r)
{
	*svc_r = calloc(1, sizeof(**svc_r));
	if (*svc_r == NULL)
		return MAIL_ERR_INTERNAL;
	(*svc_r)->cfg = cfg;
	return MAIL_OK;
}

void mail_service_free(struct mail_service **svc)
{
	if (svc == NULL || *svc == NULL)
		return;
	store_close(&(*svc)->store);
	if ((*svc)->krb != NULL)
		krb5_free_context((*svc)->krb);
	free(*svc);
	*svc = NULL;
}

store_t *mail_service_store(struct mail_service *svc)
{
	if (svc->store == NULL && open_store(svc->cfg, &svc->store) != STORE_OK)
		svc->store = NULL;
	return svc->store;
}

store_t *mail_store(struct mail_session *s)
{
	return mail_service_store(s->svc);
}

int mail_maintain(const struct mail_config *cfg, uint64_t *uploads_r, uint64_t *tombs_r)
{
	store_t *st = NULL;
	uint64_t age = 0;
	*uploads_r = *tombs_r = 0;
	int rc = open_store(cfg, &st);
	if (rc == STORE_OK)
		rc = store_mailbox_ensure_plain(st, MAIL_PUBLIC_MAILBOX);
	if (rc == STORE_OK)
		rc = store_policy_get(st, STORE_POLICY_UPLOAD_AGE, &age, NULL);
	if (rc == STORE_OK)
		rc = store_upload_expire(st, (int64_t)age, uploads_r);
	if (rc == STORE_OK)
		rc = store_tomb_expire(st, tombs_r);
	store_close(&st);
	return mail_status_of(rc, MAIL_ERR_INTERNAL, MAIL_ERR_INTERNAL);
}

int mail_conn_limits(const struct mail_config *cfg, struct mail_conn_limits *l_r)
{
	store_t *st = NULL;
	uint64_t user = 0, peer = 0;
	int rc = open_store(cfg, &st);
	if (rc == STORE_OK)
		rc = store_policy_get(st, STORE_POLICY_MAX_CONN_USER, &user, NULL);
	if (rc == STORE_OK)
		rc = store_policy_get(st, STORE_POLICY_MAX_PREAUTH_PEER, &peer, NULL);
	store_close(&st);
	if (rc == STORE_OK) {
		l_r->per_user = user > UINT_MAX ? UINT_MAX : (unsigned)user;
		l_r->preauth_per_peer = peer > UINT_MAX ? UINT_MAX : (unsigned)peer;
	}
	return mail_status_of(rc, MAIL_ERR_INTERNAL, MAIL_ERR_INTERNAL);
}
