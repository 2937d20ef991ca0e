/*
 * store_call.c -- asking a call's guard before the store touches a folder
 * or a message on a caller's behalf (see store_guard_t in store.h).  The
 * guard runs inside the transaction that is about to read or write, so
 * what it decides holds for that transaction.  Also the first step every
 * read for a caller shares: its mailbox and folder, with the guard's leave.
 */
#include "store_int.h"

#include <string.h>

int st_asks(const store_call_t *call, const char *mbox)
{
	return call != NULL && call->guard != NULL &&
	       (call->guard->owned == NULL || strcmp(call->guard->owned, mbox) != 0);
}

int st_touch(store_t *st, MDB_txn *txn, const store_call_t *call, int action, int named,
	     const st_target_t *at)
{
	if (!st_asks(call, at->mbox))
		return STORE_OK;
	struct st_where where = {st, txn, at->mbid};
	store_touch_t t = {.action = action,
			   .named = named,
			   .mailbox = at->mbox,
			   .path = at->f ? at->f->path : "",
			   .folder_id = at->f ? at->f->id : 0,
			   .msg_id = at->msg_id,
			   .flags = at->flags,
			   .where = &where};
	return call->guard->fn(call->guard->ctx, &t);
}

int st_read_target(store_t *st, MDB_txn *txn, const store_call_t *call, const char *mbox,
		   const char *path, st_mbox_t *mb, st_folder_t *f)
{
	int status = st_mbox_load(st, txn, mbox, 0, mb);
	memset(f, 0, sizeof(*f));
	if (status == STORE_OK && path != NULL)
		status = st_folder_by_path(st, txn, mb->mbid, path, f);
	st_target_t at = {mbox, mb->mbid, path ? f : NULL, 0, 0};
	if (status == STORE_OK)
		status = st_touch(st, txn, call, path ? STORE_ACT_READ : STORE_ACT_SCOPE, 1, &at);
	return status;
}

int st_visible(store_t *st, MDB_txn *txn, const store_call_t *call, const st_target_t *at,
	       int *visible_r)
{
	int status = st_touch(st, txn, call, STORE_ACT_LOOKUP, 0, at);

	*visible_r = status == STORE_OK;
	return status == STORE_FORBIDDEN || status == STORE_NOTFOUND ? STORE_OK : status;
}
