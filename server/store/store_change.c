/*
 * store_change.c -- changes to stored messages: move (keeps the id), copy
 * (new id, shared body), delete (to Deleted Items, or permanent) and flag
 * changes, a batch of ids in one write transaction under one change
 * number, optionally named by an operation id whose result is recorded
 * in that same transaction (st_write_op).
 *
 * A batch stops at the first id that cannot be changed and keeps the ids
 * before it.  That is safe without nested transactions because each
 * step finds every reason to refuse (no such message, over quota) before
 * it writes anything; a failure after a step began writing is the
 * store's own trouble and aborts the whole transaction.
 */
#include "store_int.h"

#include <string.h>

/* Moves a loaded message m (id) to folder dest_fid. */
static int move_loaded(store_t *st, MDB_txn *txn, st_mbox_t *mb, uint64_t id,
                       st_msg_t *m, uint64_t dest_fid)
{
	uint64_t src = m->folder_id;
	int64_t unread = (m->flags & STORE_FLAG_SEEN) ? 0 : 1;
	int status;

	if (src == dest_fid)
		return STORE_OK;
	status = st_fidx_del(st, txn, mb->mbid, src, id, m->change);
	if (status == STORE_OK)
		status = st_tomb_add(st, txn, mb->mbid, mb->change, src, id);
	if (status != STORE_OK)
		goto out;
	m->folder_id = dest_fid;
	m->change = mb->change;
	status = st_msg_save(st, txn, mb->mbid, id, m);
	if (status == STORE_OK)
		status = st_fidx_save(st, txn, mb->mbid, id, m, 0);
	if (status == STORE_OK)
		status = st_folder_adjust(st, txn, mb->mbid, src, -1, -unread,
		                          -(int64_t)m->size, mb->change);
	if (status == STORE_OK)
		status = st_folder_adjust(st, txn, mb->mbid, dest_fid, 1, unread,
		                          (int64_t)m->size, mb->change);
out:
	return status;
}

struct run {
	const store_change_t *ch;
	const char *mbox;
	store_reply_fn reply;
	void *reply_ctx;
	st_opw_t *w;
	store_change_outcome_t out;
	st_msg_t *m;               /* scratch record */
};

/* One id of a move, copy or delete; *refused_r says the id was refused
 * before anything was written. */
static int change_one(store_t *st, MDB_txn *txn, struct run *r, st_mbox_t *mb,
                      uint64_t dest_fid, uint64_t id, int *refused_r)
{
	const store_change_t *ch = r->ch;
	uint64_t new_id = 0;
	int status;

	*refused_r = 1;
	status = st_msg_load(st, txn, mb->mbid, id, r->m);
	if (status == STORE_OK && ch->kind == STORE_OP_COPY)
		status = st_msg_admit(st, txn, mb, r->m->size);
	if (status != STORE_OK)
		return status;
	*refused_r = 0;
	switch (ch->kind) {
	case STORE_OP_MOVE:
		return move_loaded(st, txn, mb, id, r->m, dest_fid);
	case STORE_OP_COPY:
		status = st_msg_insert(st, txn, mb, dest_fid, r->m, &new_id);
		if (status == STORE_OK)
			status = st_blob_ref(st, txn, r->m->blob_id, 1);
		if (status == STORE_OK)
			ch->new_ids[r->out.done] = new_id;
		return status;
	default: /* STORE_OP_DELETE */
		if (!ch->hard && r->m->folder_id != dest_fid)
			return move_loaded(st, txn, mb, id, r->m, dest_fid);
		status = st_msg_remove(st, txn, mb, id, 1);
		if (status == STORE_OK)
			status = st_tomb_add(st, txn, mb->mbid, mb->change, r->m->folder_id, id);
		return status;
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

/* The folder ids go to: the destination, or Deleted Items. */
static int target(store_t *st, MDB_txn *txn, const store_change_t *ch, uint64_t mbid,
                  uint64_t *fid_r)
{
	st_folder_t f;
	int status;

	*fid_r = 0;
	if (ch->kind == STORE_OP_FLAGS)
		return STORE_OK;
	status = st_folder_by_path(st, txn, mbid,
	                           ch->kind == STORE_OP_DELETE ? STORE_FOLDER_DELETED : ch->dest, &f);
	*fid_r = f.id;
	return status;
}

static int change_txn(store_t *st, MDB_txn *txn, void *ctx)
{
	struct run *r = ctx;
	const store_change_t *ch = r->ch;
	uint64_t dest = 0;
	st_mbox_t mb;
	int refused = 1, status;

	r->out.status = STORE_OK;
	r->out.done = 0;
	status = st_mbox_load(st, txn, r->mbox, 0, &mb);
	if (status == STORE_OK)
		status = target(st, txn, ch, mb.mbid, &dest);
	if (status != STORE_OK)
		return status;
	mb.change++;
	if (ch->kind == STORE_OP_FLAGS) {
		status = flags_all(st, txn, r, &mb);
		r->out.done = status == STORE_OK ? ch->n : 0;
	}
	for (size_t i = 0; ch->kind != STORE_OP_FLAGS && i < ch->n; i++) {
		status = change_one(st, txn, r, &mb, dest, ch->ids[i], &refused);
		if (status != STORE_OK)
			break;
		r->out.done++;
	}
	/* Ids changed before a refused one stay changed; nothing else does. */
	if (status != STORE_OK && (!refused || r->out.done == 0))
		return status;
	r->out.status = status;
	status = st_mbox_save(st, txn, r->mbox, &mb);
	if (status == STORE_OK && r->w->op != NULL && r->reply != NULL) {
		r->w->result = r->reply(&r->out, r->reply_ctx, &r->w->len);
		if (r->w->result == NULL)
			r->w->len = 0;
	}
	return status;
}

static int check_change(const store_change_t *ch)
{
	if (ch == NULL || ch->ids == NULL || ch->n == 0 || ch->n > STORE_BATCH_MAX)
		return STORE_INVALID;
	switch (ch->kind) {
	case STORE_OP_COPY:
		if (ch->new_ids == NULL)
			return STORE_INVALID;
		/* fall through */
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

int store_change(store_t *st, const char *mbox, const store_change_t *ch,
                 store_reply_fn reply, void *reply_ctx, store_change_outcome_t *out_r)
{
	struct run r = { ch, mbox, reply, reply_ctx, NULL, { 0 }, NULL };
	st_opw_t w;
	int named = ch != NULL && ch->name.owner != NULL && ch->name.op != NULL;
	int status = check_change(ch);

	memset(out_r, 0, sizeof(*out_r));
	memset(&w, 0, sizeof(w));
	if (status == STORE_OK && (r.m = malloc(sizeof(*r.m))) == NULL)
		status = STORE_INTERNAL;
	if (status == STORE_OK) {
		w.owner = named ? ch->name.owner : NULL;
		w.op = named ? ch->name.op : NULL;
		w.kind = named ? (uint32_t)ch->kind : 0;
		w.fn = change_txn;
		w.ctx = &r;
		r.w = &w;
		status = st_write_op(st, &w);
	}
	free(r.m);
	if (status != STORE_OK) {
		out_r->status = status;
		return status;
	}
	if (w.replayed) {
		out_r->replayed = 1;
		out_r->reply = w.replay;
		out_r->reply_len = w.replay_len;
		return STORE_OK;
	}
	*out_r = r.out;
	return STORE_OK;
}

/* One id, not named: the old single-message calls. */
static int change_id(store_t *st, const char *mbox, store_change_t *ch, uint64_t *new_id_r)
{
	store_change_outcome_t out;
	uint64_t new_id = 0;

	ch->n = 1;
	ch->new_ids = &new_id;
	int status = store_change(st, mbox, ch, NULL, NULL, &out);
	if (status == STORE_OK)
		status = out.status;
	if (new_id_r != NULL)
		*new_id_r = status == STORE_OK ? new_id : 0;
	return status;
}

int store_message_move(store_t *st, const char *mbox, uint64_t id, const char *dest)
{
	store_change_t ch = { .kind = STORE_OP_MOVE, .ids = &id, .dest = dest };

	return change_id(st, mbox, &ch, NULL);
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
	store_change_outcome_t out;
	int status = store_change(st, mbox, &ch, NULL, NULL, &out);

	return status == STORE_OK ? out.status : status;
}
