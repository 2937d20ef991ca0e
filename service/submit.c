/*
 * submit.c -- sending an upload to local mailboxes, as the caller or on
 * behalf of another mailbox (needs "p" on its Outbox; the message then
 * says who really sent it, RFC 5322 Sender:).
 *
 * What a refusal may tell: a recipient that cannot be delivered to is
 * named (as SMTP names an unknown one) but never why -- unknown, disabled
 * and full read the same, so no user learns another mailbox's state.  The
 * caller's own trouble (its quota, its upload) stays explicit.
 */
#include <stdio.h>
#include <string.h>

#include "service_int.h"

/* Sending as mailbox from: may the caller?  Asked before the message is
 * changed (the Sender: line); the write transaction asks again.  Without
 * any right there the mailbox is as unknown as a missing one. */
static int may_post(struct mail_session *s, struct mail_call *c, const char *from)
{
	store_folder_info_t info;
	uint64_t next;
	int st = store_folder_get_as(mail_store(s), &c->call, from, STORE_FOLDER_OUTBOX,
				     STORE_ACT_POST, &info, &next);
	if (st == STORE_DISABLED)
		st = STORE_NOTFOUND;
	return mail_status_of(st, MAIL_ERR_NORCPT, MAIL_ERR_NORCPT);
}

int mail_submit(struct mail_session *s, const unsigned char *op, uint64_t upload, const char *from,
		const char *const *rcpts, size_t n, store_result_t *res, size_t *bad_r)
{
	struct mail_call c;
	char header[MAIL_PRINCIPAL_MAX + 16];
	memset(res, 0, sizeof(*res));
	*bad_r = SIZE_MAX;
	int status = mail_begin(&c, s, op);
	if (status != MAIL_OK)
		return status;
	if (n == 0)
		return MAIL_ERR_INVALID;
	for (size_t i = 0; i < n; i++) {
		if (!mail_valid_mailbox(rcpts[i])) {
			*bad_r = i;
			return MAIL_ERR_NORCPT;
		}
	}
	int self = from[0] == '\0' || strcmp(from, s->mailbox) == 0;
	const char *sender = self ? s->mailbox : from;
	snprintf(header, sizeof(header), "Sender: %s", s->principal);
	int st = store_upload_commit_submit_as(mail_store(s), &c.call, s->mailbox, upload, sender,
					       self ? NULL : header, rcpts, n, res, bad_r);
	if (st == STORE_OK)
		return MAIL_OK;
	if (*bad_r < n)
		return MAIL_ERR_NORCPT;
	/* Which of sender and upload a "not found" was about. */
	if (!self && !mail_valid_mailbox(from))
		return MAIL_ERR_NORCPT;
	if (!self && (status = may_post(s, &c, from)) != MAIL_OK)
		return status;
	return mail_status_of(st, MAIL_ERR_NOUPLOAD, MAIL_ERR_MISMATCH);
}
