/*
 * store_cidx.c -- the per-folder change index, so that "what changed in
 * this folder since state S" (store_sync.c) is one range of keys as long
 * as what changed, not a scan of the folder.
 *
 * "cidx" key mbid(8) folder id(8) change(8) id(8) -> empty: one entry per
 * message, under its folder and the change number of its last change.
 * Kept by st_fidx_save / st_fidx_del (store_message_db.c), which every
 * change to a message's folder or change number goes through, in the same
 * transaction.  Stores of schema version 1 had none: st_meta_init builds
 * it once, in the transaction that raises the version.
 */
#include "store_int.h"

#include <string.h>

size_t st_cidx_key(unsigned char out[ST_CIDX_KEY_LEN], uint64_t mbid, uint64_t fid,
                   uint64_t change, uint64_t id)
{
	st_put_u64(out, mbid);
	st_put_u64(out + 8, fid);
	st_put_u64(out + 16, change);
	st_put_u64(out + 24, id);
	return ST_CIDX_KEY_LEN;
}

int st_cidx_put(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t fid, uint64_t change,
                uint64_t id)
{
	unsigned char kb[ST_CIDX_KEY_LEN];
	MDB_val k = { st_cidx_key(kb, mbid, fid, change, id), kb }, v = { 0, "" };

	return st_err(mdb_put(txn, st->db_cidx, &k, &v, 0), "cidx put");
}

int st_cidx_del(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t fid, uint64_t change,
                uint64_t id)
{
	unsigned char kb[ST_CIDX_KEY_LEN];
	MDB_val k = { st_cidx_key(kb, mbid, fid, change, id), kb };
	int status = st_err(mdb_del(txn, st->db_cidx, &k, NULL), "cidx del");

	if (status == STORE_NOTFOUND)
		return st_corrupt("cidx", &k, "message missing from the change index");
	return status;
}

int st_cidx_build(store_t *st, MDB_txn *txn, uint64_t *count_r)
{
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	st_msg_t *m = malloc(sizeof(*m));
	int rc, status = m != NULL ? STORE_OK : STORE_INTERNAL;

	*count_r = 0;
	if (status == STORE_OK)
		status = st_err(mdb_cursor_open(txn, st->db_msg, &cur), "cursor open");
	for (rc = status == STORE_OK ? mdb_cursor_get(cur, &k, &v, MDB_FIRST) : MDB_NOTFOUND;
	     rc == 0 && status == STORE_OK; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		/* A corrupt record is logged and left out, not allowed to make
		 * the store unopenable: verify reports it. */
		if (k.mv_size != 16) {
			st_corrupt("msg", &k, "key of %zu bytes, not 16", k.mv_size);
			continue;
		}
		/* Decoded in place: only the fixed fields are used. */
		if (st_msg_decode(&v, m) != STORE_OK) {
			st_corrupt("msg", &k, "message record of %zu bytes does not decode", v.mv_size);
			continue;
		}
		status = st_cidx_put(st, txn, st_get_u64(k.mv_data), m->folder_id, m->change,
		                     st_get_u64((unsigned char *)k.mv_data + 8));
		*count_r += status == STORE_OK;
	}
	if (status == STORE_OK && rc != MDB_NOTFOUND)
		status = st_err(rc, "cursor get");
	if (cur != NULL)
		mdb_cursor_close(cur);
	free(m);
	return status;
}
