/*
 * store_change.c -- changes to stored messages: move, copy (shared body)
 * and delete (to Deleted Items, or for good), each giving the message a
 * new id in the folder it goes to, and flag changes; a batch of ids in
 * one write transaction under one change number, run by st_run (so a
 * named call's result is recorded in that same transaction).
 *
 * A batch stops at the first id that cannot be changed and keeps the ids
 * before it.  That is safe without nested transactions because each step
 * finds every reason to refuse (no such message, the guard, over quota)
 * before it writes anything; a failure after a step began writing is the
 * store's own trouble and aborts the whole transaction.
 */
#include "store_int.h"

#include <string.h>

struct run {
	const store_call_t *call;
	const char *mbox;
	const store_change_t *ch;
	store_result_t *res;
	st_msg_t *m;               /* scratch record */
};

/* Takes message id (loaded in m) out of its folder's indexes and record,
 * leaving a tombstone there; its body and the counters are the caller's. */
static int unlink_loaded(store_t *st, MDB_txn *txn, st_mbox_t *mb, uint64_t id,
                         const st_msg_t *m)
{
	unsigned char kb[16];
	MDB_val k = { st_key2(kb, mb->mbid, id), kb };
	int status = st_fidx_del(st, txn, mb->mbid, m->folder_id, id, m->change);

	if (status == STORE_OK)
		status = st_tomb_add(st, txn, mb->mbid, mb->change, m->folder_id, id);
	if (status == STORE_OK)
		status = st_err(mdb_del(txn, st->db_msg, &k, NULL), "msg del");
	return status;
}

/* Moves a loaded message m (id) to folder dest_fid under a new id, so the
 * ids of every folder only grow; *new_id_r is its id there (a move to its
 * own folder changes nothing). */
static int move_loaded(store_t *st, MDB_txn *txn, st_mbox_t *mb, uint64_t id,
                       st_msg_t *m, uint64_t dest_fid, uint64_t *new_id_r)
{
	uint64_t src = m->folder_id;
	int64_t unread = (m->flags & STORE_FLAG_SEEN) ? 0 : 1;
	int status;

	*new_id_r = id;
	if (src == dest_fid)
		return STORE_OK;
	status = unlink_loaded(st, txn, mb, id, m);
	if (status != STORE_OK)
		return status;
	*new_id_r = mb->next_msg_id++;
	m->folder_id = dest_fid;
	m->change = mb->change;
	status = st_msg_save(st, txn, mb->mbid, *new_id_r, m);
	if (status == STORE_OK)
		status = st_fidx_save(st, txn, mb->mbid, *new_id_r, m, 0);
	if (status == STORE_OK)
		status = st_folder_adjust(st, txn, mb->mbid, src, -1, -unread,
		                          -(int64_t)m->size, mb->change);
	if (status == STORE_OK)
		status = st_folder_adjust(st, txn, mb->mbid, dest_fid, 1, unread,
		                          (int64_t)m->size, mb->change);
	return status;
}

/* Asks the guard about action on message id (loaded in r->m) where it is
 * now; its folder is read only when there is a guard to tell. */
static int touch_message(store_t *st, MDB_txn *txn, const struct run *r, const st_mbox_t *mb,
                         uint64_t id, int action, uint32_t flags)
{
	st_folder_t f;
	int status = STORE_OK;

	if (!st_asks(r->call, r->mbox))
		return STORE_OK;
	status = st_folder_by_id(st, txn, mb->mbid, r->m->folder_id, &f);
	st_target_t at = { r->mbox, mb->mbid, &f, id, flags };
	if (status == STORE_OK)
		status = st_touch(st, txn, r->call, action, 1, &at);
	return status;
}

/* What deleting m does where it is now: to Deleted Items, or for good. */
static int delete_action(const store_change_t *ch, const st_msg_t *m, uint64_t deleted_fid)
{
	return !ch->hard && m->folder_id != deleted_fid ? STORE_ACT_MSG_DELETE
	                                               : STORE_ACT_MSG_EXPUNGE;
}

/* One id of a move, copy or delete; *refused_r says the id was refused
 * before anything was written. */
static int change_one(store_t *st, MDB_txn *txn, struct run *r, st_mbox_t *mb,
                      uint64_t dest_fid, uint64_t id, int *refused_r)
{
	const store_change_t *ch = r->ch;
	uint64_t *new_id = &r->res->ids[r->res->done];
	int action, status;

	*refused_r = 1;
	status = st_msg_load(st, txn, mb->mbid, id, r->m);
	if (status != STORE_OK)
		return status;
	action = ch->kind == STORE_OP_COPY ? STORE_ACT_MSG_READ
	         : ch->kind == STORE_OP_MOVE ? STORE_ACT_MSG_MOVE_OUT
	                                     : delete_action(ch, r->m, dest_fid);
	status = touch_message(st, txn, r, mb, id, action, 0);
	if (status == STORE_OK && ch->kind == STORE_OP_COPY)
		status = st_msg_admit(st, txn, mb, r->m->size);
	if (status != STORE_OK)
		return status;
	*refused_r = 0;
	switch (action) {
	case STORE_ACT_MSG_READ: /* a copy */
		status = st_msg_insert(st, txn, mb, dest_fid, r->m, new_id);
		if (status == STORE_OK)
			status = st_blob_ref(st, txn, r->m->blob_id, 1);
		return status;
	case STORE_ACT_MSG_EXPUNGE:
		*new_id = 0;
		status = st_msg_remove(st, txn, mb, id, 1);
		if (status == STORE_OK)
			status = st_tomb_add(st, txn, mb->mbid, mb->change, r->m->folder_id, id);
		return status;
	default: /* a move, or a delete to Deleted Items */
		return move_loaded(st, txn, mb, id, r->m, dest_fid, new_id);
	}
}

/* Flags of every id, or none. */
static int flags_all(store_t *st, MDB_txn *txn, struct run *r, st_mbox_t *mb)
{
	const store_change_t *ch = r->ch;
	st_msg_t *m = r->m;
	int status = STORE_OK;

	for (size_t i = 0; i < ch->n && status == STORE_OK; i++) {
		status = st_msg_load(st, txn, mb->mbid, ch->ids[i], m);
		if (status == STORE_OK)
			status = touch_message(st, txn, r, mb, ch->ids[i], STORE_ACT_MSG_FLAGS,
			                       ch->set | ch->clear);
		uint32_t nf = (m->flags | ch->set) & ~ch->clear;
		if (status != STORE_OK || nf == m->flags)
			continue;
		int64_t du = (int64_t)((nf & STORE_FLAG_SEEN) == 0) -
		             (int64_t)((m->flags & STORE_FLAG_SEEN) == 0);
		uint64_t old_change = m->change;
		m->flags = nf;
		m->change = mb->change;
		status = st_msg_save(st, txn, mb->mbid, ch->ids[i], m);
		if (status == STORE_OK)
			status = st_fidx_save(st, txn, mb->mbid, ch->ids[i], m, old_change);
		if (status == STORE_OK)
			status = st_folder_adjust(st, txn, mb->mbid, m->folder_id, 0, du, 0,
			                          mb->change);
	}
	return status;
}

/* The folder ids go to: the destination (the guard asked), or Deleted Items. */
static int target(store_t *st, MDB_txn *txn, const struct run *r, const st_mbox_t *mb,
                  uint64_t *fid_r)
{
	const store_change_t *ch = r->ch;
	st_folder_t f;
	int status;

	*fid_r = 0;
	if (ch->kind == STORE_OP_FLAGS)
		return STORE_OK;
	status = st_folder_by_path(st, txn, mb->mbid,
	                           ch->kind == STORE_OP_DELETE ? STORE_FOLDER_DELETED : ch->dest, &f);
	st_target_t at = { r->mbox, mb->mbid, &f, 0, 0 };
	if (status == STORE_OK && ch->kind != STORE_OP_DELETE)
		status = st_touch(st, txn, r->call, STORE_ACT_MSG_INSERT, 1, &at);
	*fid_r = f.id;
	return status;
}

/* The ids before a refused one stay changed and nothing else does; a
 * batch refused at its first id writes nothing but still says why in res
 * (so a refusal about an id is not taken for one about the destination).
 * Flags are all or nothing: any refusal fails the call. */
static int change_txn(store_t *st, MDB_txn *txn, void *ctx)
{
	struct run *r = ctx;
	const store_change_t *ch = r->ch;
	store_result_t *res = r->res;
	uint64_t dest = 0;
	st_mbox_t mb;
	int refused = 1, status;

	status = st_mbox_load(st, txn, r->mbox, 0, &mb);
	if (status == STORE_OK)
		status = target(st, txn, r, &mb, &dest);
	if (status == STORE_OK && ch->kind != STORE_OP_FLAGS &&
	    (res->ids = calloc(ch->n, sizeof(uint64_t))) == NULL)
		status = STORE_INTERNAL;
	if (status != STORE_OK)
		return status;
	mb.change++;
	if (ch->kind == STORE_OP_FLAGS) {
		status = flags_all(st, txn, r, &mb);
		res->done = ch->n;
		return status == STORE_OK ? st_mbox_save(st, txn, r->mbox, &mb) : status;
	}
	for (size_t i = 0; i < ch->n; i++) {
		status = change_one(st, txn, r, &mb, dest, ch->ids[i], &refused);
		if (status != STORE_OK)
			break;
		res->done++;
	}
	if (status != STORE_OK && !refused)
		return status;
	res->status = status;
	return res->done > 0 ? st_mbox_save(st, txn, r->mbox, &mb) : STORE_OK;
}

static int check_change(const store_change_t *ch)
{
	if (ch == NULL || ch->ids == NULL || ch->n == 0 || ch->n > STORE_BATCH_MAX)
		return STORE_INVALID;
	switch (ch->kind) {
	case STORE_OP_COPY:
	case STORE_OP_MOVE:
		return ch->dest != NULL ? STORE_OK : STORE_INVALID;
	case STORE_OP_DELETE:
		return STORE_OK;
	case STORE_OP_FLAGS:
		return st_valid_flags(ch->set) == STORE_OK && st_valid_flags(ch->clear) == STORE_OK
		               ? STORE_OK : STORE_INVALID;
	default:
		return STORE_INVALID;
	}
}

int store_change(store_t *st, const store_call_t *call, const char *mbox,
                 const store_change_t *ch, store_result_t *res_r)
{
	struct run r = { call, mbox, ch, res_r, NULL };
	int status = check_change(ch);

	memset(res_r, 0, sizeof(*res_r));
	if (status == STORE_OK && (r.m = malloc(sizeof(*r.m))) == NULL)
		status = STORE_INTERNAL;
	if (status == STORE_OK)
		status = st_run(st, call, (uint32_t)ch->kind, NULL, change_txn, &r, res_r);
	free(r.m);
	return status;
}

/* One id, trusted: the single-message calls. */
static int change_id(store_t *st, const char *mbox, store_change_t *ch, uint64_t *new_id_r)
{
	store_result_t res;
	int status;

	ch->n = 1;
	status = store_change(st, NULL, mbox, ch, &res);
	if (status == STORE_OK)
		status = res.status;
	if (new_id_r != NULL)
		*new_id_r = status == STORE_OK && res.ids != NULL ? res.ids[0] : 0;
	store_result_clear(&res);
	return status;
}

int store_message_move(store_t *st, const char *mbox, uint64_t id, const char *dest,
                       uint64_t *new_id_r)
{
	store_change_t ch = { .kind = STORE_OP_MOVE, .ids = &id, .dest = dest };

	return change_id(st, mbox, &ch, new_id_r);
}

int store_message_copy(store_t *st, const char *mbox, uint64_t id, const char *dest,
                       uint64_t *new_id_r)
{
	store_change_t ch = { .kind = STORE_OP_COPY, .ids = &id, .dest = dest };

	*new_id_r = 0;
	return change_id(st, mbox, &ch, new_id_r);
}

int store_message_delete(store_t *st, const char *mbox, uint64_t id, int hard)
{
	store_change_t ch = { .kind = STORE_OP_DELETE, .ids = &id, .hard = hard };

	return change_id(st, mbox, &ch, NULL);
}

int store_message_set_flags(store_t *st, const char *mbox, const uint64_t *ids, size_t n,
                            uint32_t set, uint32_t clear)
{
	store_change_t ch = { .kind = STORE_OP_FLAGS, .ids = ids, .n = n, .set = set,
	                      .clear = clear };
	store_result_t res;
	int status = store_change(st, NULL, mbox, &ch, &res);

	if (status == STORE_OK)
		status = res.status;
	store_result_clear(&res);
	return status;
}
