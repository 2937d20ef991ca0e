/*
 * store_call.c -- asking a call's guard before the store touches a folder
 * or a message on a caller's behalf (see store_guard_t in store.h).  The
 * guard runs inside the transaction that is about to read or write, so
 * what it decides holds for that transaction.
 */
#include "store_int.h"

int st_touch(store_t *st, MDB_txn *txn, const store_call_t *call, int action, int named,
	     const st_target_t *at)
{
	if (call == NULL || call->guard == NULL)
		return STORE_OK;
	struct st_where where = {st, txn, at->mbid};
	store_touch_t t = {
	    action,	named,	   at->mbox, at->f ? at->f->path : "", at->f ? at->f->id : 0,
	    at->msg_id, at->flags, &where};
	return call->guard->fn(call->guard->ctx, &t);
}

int st_visible(store_t *st, MDB_txn *txn, const store_call_t *call, const st_target_t *at,
	       int *visible_r)
{
	int status = st_touch(st, txn, call, STORE_ACT_LOOKUP, 0, at);

	*visible_r = status == STORE_OK;
	return status == STORE_FORBIDDEN || status == STORE_NOTFOUND ? STORE_OK : status;
}
