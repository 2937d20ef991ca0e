/*
 * send.c -- sending an upload: to mailboxes here, and to the rest of the
 * world through the MTA (see mail.h, mail_send).
 *
 * Order: a repeat is answered from its record first (its upload is gone);
 * then every recipient is parsed and placed (here or not) and the sender
 * judged (author.c), before anything changes; then the lines the message
 * lacks go in front of it, and one store transaction delivers the local
 * copies, files the Sent Items copy and records the hand-over.  The MTA
 * gets it after that commit, so a send the client saw succeed is never
 * lost: at worst handed over twice, with the same Message-ID.
 *
 * What a refusal may tell: a recipient that cannot be delivered to is
 * named (as SMTP names an unknown one) but never why -- unknown, disabled
 * and full read the same.  The caller's own trouble stays explicit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "author.h"
#include "service_int.h"

/* Where each recipient goes: here (local[], index in rcpts in where[]) or
 * to the MTA (remote[]). */
struct route {
	char (*addr)[MAIL_ADDRESS_MAX + 1]; /* one per rcpt */
	char (*mailbox)[MAIL_NAME_MAX + 1];
	const char **local, **remote;
	size_t *where;
	size_t n_local, n_remote;
};

static void route_free(struct route *r)
{
	free(r->addr);
	free(r->mailbox);
	free(r->local);
	free(r->remote);
	free(r->where);
	memset(r, 0, sizeof(*r));
}

/* Parses and places every recipient: INVALID or NORCPT with *bad_r. */
static int route(store_t *st, const char *const *rcpts, size_t n, struct route *r, size_t *bad_r)
{
	r->addr = calloc(n, sizeof(*r->addr));
	r->mailbox = calloc(n, sizeof(*r->mailbox));
	r->local = calloc(n, sizeof(*r->local));
	r->remote = calloc(n, sizeof(*r->remote));
	r->where = calloc(n, sizeof(*r->where));
	if (!r->addr || !r->mailbox || !r->local || !r->remote || !r->where)
		return MAIL_ERR_INTERNAL;
	for (size_t i = 0; i < n; i++) {
		int local;
		*bad_r = i;
		if (mail_address_parse(rcpts[i], r->addr[i]) != MAIL_OK)
			return MAIL_ERR_INVALID;
		int status = store_address_resolve(st, r->addr[i], &local, r->mailbox[i]);
		if (status == STORE_INVALID)
			return MAIL_ERR_INVALID;
		if (status != STORE_OK)
			return mail_status_of(status, MAIL_ERR_INTERNAL, MAIL_ERR_INTERNAL);
		if (local && r->mailbox[i][0] == '\0')
			return MAIL_ERR_NORCPT;
		if (local) {
			r->where[r->n_local] = i;
			r->local[r->n_local++] = r->mailbox[i];
		} else {
			r->remote[r->n_remote++] = r->addr[i];
		}
	}
	*bad_r = SIZE_MAX;
	return MAIL_OK;
}

/* The store's answer to the commit, as the caller gets it. */
static int commit_status(struct mail_call *c, const struct mail_author *a, const struct route *r,
			 int st, size_t bad, size_t *bad_r, char refused_r[MAIL_ADDRESS_MAX + 1])
{
	if (st == STORE_OK)
		return MAIL_OK;
	if (bad < r->n_local) {
		*bad_r = r->where[bad];
		return MAIL_ERR_NORCPT;
	}
	/* POST revoked between the judgement and the commit. */
	if (st == STORE_FORBIDDEN && strcmp(a->mailbox, c->s->mailbox) != 0) {
		snprintf(refused_r, MAIL_ADDRESS_MAX + 1, "%.*s", (int)MAIL_ADDRESS_MAX,
			 a->mailbox);
		return MAIL_ERR_SENDER;
	}
	return mail_status_of(st, MAIL_ERR_NOUPLOAD, MAIL_ERR_MISMATCH);
}

int mail_send(struct mail_session *s, const unsigned char *op, uint64_t upload, const char *from,
	      const char *const *rcpts, size_t n, store_result_t *res, size_t *bad_r,
	      char refused_r[MAIL_ADDRESS_MAX + 1])
{
	struct mail_call c;
	struct mail_author a = {0};
	struct route r = {0};
	size_t bad = SIZE_MAX;
	memset(res, 0, sizeof(*res));
	*bad_r = SIZE_MAX;
	refused_r[0] = '\0';
	int status = mail_begin(&c, s, op);
	if (status != MAIL_OK)
		return status;
	if (n == 0 || n > STORE_RCPT_MAX)
		return MAIL_ERR_INVALID;
	store_t *st = mail_store(s);
	status = store_op_replay(st, &c.call, STORE_OP_SUBMIT, res);
	if (status != STORE_NOTFOUND)
		return mail_status_of(status, MAIL_ERR_INTERNAL, MAIL_ERR_INVALID);
	status = route(st, rcpts, n, &r, bad_r);
	if (status == MAIL_OK)
		status = mail_author_check(&c, upload, from, &a, refused_r);
	/* The MTA needs a sender address for bounces: without a local domain
	 * nobody here has one. */
	if (status == MAIL_OK && r.n_remote > 0 && a.envelope[0] == '\0')
		status = MAIL_ERR_SENDER;
	const char *behalf = strcmp(a.mailbox, s->mailbox) != 0 ? a.mailbox : NULL;
	if (status == MAIL_OK && a.header[0] != '\0')
		status = commit_status(
		    &c, &a, &r,
		    store_upload_prepend_as(st, &c.call, s->mailbox, upload, behalf, a.header),
		    SIZE_MAX, bad_r, refused_r);
	if (status == MAIL_OK) {
		store_send_t send = {.rcpts = r.local,
				     .n = r.n_local,
				     .remote = r.remote,
				     .n_remote = r.n_remote,
				     .envelope = a.envelope,
				     .message_id = a.message_id};
		int st_status = store_upload_commit_submit_as(st, &c.call, s->mailbox, upload,
							      a.mailbox, &send, res, &bad);
		status = commit_status(&c, &a, &r, st_status, bad, bad_r, refused_r);
	}
	if (status == MAIL_OK && r.n_remote > 0 && s->svc->cfg->handover_kick != NULL)
		s->svc->cfg->handover_kick();
	route_free(&r);
	return status;
}
