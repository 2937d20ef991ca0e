/*
 * store_index.c -- a folder's messages as an IMAP session keeps them: id,
 * flags, size, received time and change number, in id order, from the
 * folder index ("fidx") and the records' fixed fields; no summary is
 * built, no string copied.
 */
#include "store_int.h"

#include <string.h>

void store_index_free(store_index_t **index)
{
	if (index == NULL || *index == NULL)
		return;
	free((*index)->items);
	free(*index);
	*index = NULL;
}

/* Entries after id after in folder fid, at most max, into ix. */
static int walk(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t fid, uint64_t after,
		uint32_t max, st_msg_t *m, store_index_t *ix)
{
	unsigned char kb[24], mk[16];
	MDB_cursor *cur = NULL;
	MDB_val k = {st_key3(kb, mbid, fid, after + 1), kb}, v, mv = {0, mk};
	int rc, status = STORE_OK;

	rc = mdb_cursor_open(txn, st->db_fidx, &cur);
	for (rc = rc ? rc : mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	     rc == 0 && status == STORE_OK; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 24 || memcmp(k.mv_data, kb, 16) != 0)
			break;
		if (ix->count == max) {
			ix->more = 1;
			break;
		}
		store_index_entry_t *e = &ix->items[ix->count];
		e->id = st_get_u64((const unsigned char *)k.mv_data + 16);
		/* Read in place: the map stays valid until the txn ends. */
		mv.mv_size = st_key2(mk, mbid, e->id);
		status = st_err(mdb_get(txn, st->db_msg, &mv, &v), "msg get");
		if (status == STORE_NOTFOUND)
			status = st_corrupt("msg", &mv, "in a folder index, but missing");
		if (status == STORE_OK && st_msg_decode(&v, m) != STORE_OK)
			status = st_corrupt(
			    "msg", &mv, "message record of %zu bytes does not decode", v.mv_size);
		if (status != STORE_OK)
			break;
		e->flags = m->flags;
		e->size = m->size;
		e->received = m->received;
		e->change = m->change;
		ix->count++;
	}
	if (status == STORE_OK && rc != 0 && rc != MDB_NOTFOUND)
		status = st_err(rc, "fidx walk");
	if (cur != NULL)
		mdb_cursor_close(cur);
	return status;
}

int store_index_as(store_t *st, const store_call_t *call, const char *mbox, const char *folder,
		   uint64_t after, uint32_t max, store_index_t **index_r)
{
	store_index_t *ix = calloc(1, sizeof(*ix));
	st_msg_t *m = malloc(sizeof(*m));
	MDB_txn *txn = NULL;
	st_mbox_t mb;
	st_folder_t f;
	int status = STORE_INTERNAL;

	*index_r = NULL;
	max = max > STORE_BATCH_MAX ? STORE_BATCH_MAX : max;
	if (ix == NULL || m == NULL ||
	    (max && (ix->items = calloc(max, sizeof(*ix->items))) == NULL))
		goto out;
	status = st_read_begin(st, &txn);
	if (status == STORE_OK)
		status = st_read_target(st, txn, call, mbox, folder, &mb, &f);
	if (status == STORE_OK)
		status = walk(st, txn, mb.mbid, f.id, after, max, m, ix);
	if (status == STORE_OK) {
		*index_r = ix;
		ix = NULL;
	}
out:
	if (txn != NULL)
		mdb_txn_abort(txn);
	store_index_free(&ix);
	free(m);
	return status;
}
