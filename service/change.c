/*
 * change.c -- moving, copying, deleting and flagging messages in batches
 * (store_change): the guard judges the destination once and each id as
 * it stands when its turn comes, in the one write transaction.
 */
#include <string.h>

#include "service_int.h"

/* Runs ch for s; the status says why the id after res->done was not
 * changed, or why nothing was. */
static int change(struct mail_session *s, const unsigned char *op, store_change_t *ch,
		  store_result_t *res)
{
	struct mail_call c;
	memset(res, 0, sizeof(*res));
	int status = mail_begin(&c, s, op);
	if (status != MAIL_OK)
		return status;
	if (ch->n == 0) /* nothing to do: done, or for flags, nothing said */
		return ch->kind == STORE_OP_FLAGS ? MAIL_ERR_INVALID : MAIL_OK;
	if ((ch->set | ch->clear) & ~(uint32_t)STORE_FLAGS_ALL)
		return MAIL_ERR_INVALID;
	int st = store_change(mail_store(s), &c.call, mail_session_target(s), ch, res);
	/* Refused before any id: about the destination, if there is one. */
	int to_folder = ch->kind == STORE_OP_MOVE || ch->kind == STORE_OP_COPY;
	if (st != STORE_OK)
		return mail_status_of(authz_mailbox_status(s, st, 0),
				      to_folder ? MAIL_ERR_NOFOLDER : MAIL_ERR_NOMESSAGE,
				      to_folder ? MAIL_ERR_BADNAME : MAIL_ERR_INVALID);
	return mail_status_of(res->status, MAIL_ERR_NOMESSAGE, MAIL_ERR_INVALID);
}

int mail_move(struct mail_session *s, const unsigned char *op, const uint64_t *ids, size_t n,
	      const char *folder, store_result_t *res)
{
	store_change_t ch = {.kind = STORE_OP_MOVE, .ids = ids, .n = n, .dest = folder};
	return change(s, op, &ch, res);
}

int mail_copy(struct mail_session *s, const unsigned char *op, const uint64_t *ids, size_t n,
	      const char *folder, store_result_t *res)
{
	store_change_t ch = {.kind = STORE_OP_COPY, .ids = ids, .n = n, .dest = folder};
	return change(s, op, &ch, res);
}

int mail_delete(struct mail_session *s, const unsigned char *op, const uint64_t *ids, size_t n,
		int hard, store_result_t *res)
{
	store_change_t ch = {.kind = STORE_OP_DELETE, .ids = ids, .n = n, .hard = hard};
	return change(s, op, &ch, res);
}

int mail_flags(struct mail_session *s, const unsigned char *op, const uint64_t *ids, size_t n,
	       uint32_t set, uint32_t clear, store_result_t *res)
{
	store_change_t ch = {
	    .kind = STORE_OP_FLAGS, .ids = ids, .n = n, .set = set, .clear = clear};
	return change(s, op, &ch, res);
}
