/*
 * store_op.c -- results of operations named by a client-chosen id, so a
 * commit retried after a lost reply is answered instead of done twice.
 *
 * "op"    key mbid(8) op(16) -> created(8) kind(4) id(8)
 * "opage" key created(8) mbid(8) op(16) -> empty; the same results in age
 *         order, so the oldest are found (and forgotten) first.
 */
#include "store_int.h"

#include <string.h>

#define OP_KEY_LEN (8u + STORE_OPID_LEN)
#define OP_VAL_LEN 20u
#define OPAGE_KEY_LEN (8u + OP_KEY_LEN)
/* Forgetting is spread over the writes that add results. */
#define OP_PRUNE_PER_RECORD 8

static void op_key(unsigned char out[OP_KEY_LEN], uint64_t mbid, const unsigned char *op)
{
	st_put_u64(out, mbid);
	memcpy(out + 8, op, STORE_OPID_LEN);
}

int st_op_find(store_t *st, MDB_txn *txn, uint64_t mbid, const unsigned char *op,
               uint32_t kind, uint64_t *id_r)
{
	unsigned char kb[OP_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v;
	int status;

	*id_r = 0;
	op_key(kb, mbid, op);
	status = st_err(mdb_get(txn, st->db_op, &k, &v), "op get");
	if (status != STORE_OK)
		return status;
	if (v.mv_size != OP_VAL_LEN)
		ST_FATAL("corrupt op record");
	/* A result older than the limit is as good as forgotten. */
	if ((int64_t)st_get_u64(v.mv_data) < st_now() - st->opt.op_max_age)
		return STORE_NOTFOUND;
	if (st_get_u32((unsigned char *)v.mv_data + 8) != kind)
		return STORE_INVALID;
	*id_r = st_get_u64((unsigned char *)v.mv_data + 12);
	return STORE_OK;
}

/* Forgets the oldest result if it is past the age limit, or if there is
 * no room for one more; *forgot_r says whether it did. */
static int forget_oldest(store_t *st, MDB_txn *txn, int64_t now, int *forgot_r)
{
	MDB_cursor *cur = NULL;
	MDB_val k, v, ok;
	MDB_stat ms;
	int rc, status;

	*forgot_r = 0;
	rc = mdb_stat(txn, st->db_op, &ms);
	if (rc == 0)
		rc = mdb_cursor_open(txn, st->db_opage, &cur);
	if (rc == 0)
		rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	status = rc == MDB_NOTFOUND ? STORE_OK : st_err(rc, "opage first");
	if (rc != 0)
		goto out;
	if (k.mv_size != OPAGE_KEY_LEN)
		ST_FATAL("corrupt opage key");
	if (ms.ms_entries < st->opt.op_max &&
	    (int64_t)st_get_u64(k.mv_data) >= now - st->opt.op_max_age)
		goto out;
	ok.mv_size = OP_KEY_LEN;
	ok.mv_data = (unsigned char *)k.mv_data + 8;
	status = st_err(mdb_del(txn, st->db_op, &ok, NULL), "op del");
	if (status == STORE_OK)
		status = st_err(mdb_cursor_del(cur, 0), "opage del");
	*forgot_r = status == STORE_OK;
out:
	if (cur != NULL)
		mdb_cursor_close(cur);
	return status;
}

int st_op_record(store_t *st, MDB_txn *txn, uint64_t mbid, const unsigned char *op,
                 uint32_t kind, uint64_t id)
{
	unsigned char kb[OP_KEY_LEN], vb[OP_VAL_LEN], ab[OPAGE_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v = { sizeof(vb), vb };
	MDB_val ak = { sizeof(ab), ab }, av = { 0, vb };
	int64_t now = st_now();
	int i, forgot = 1, status = STORE_OK;

	/* Room first, so the result about to be added is never the one forgotten. */
	for (i = 0; i < OP_PRUNE_PER_RECORD && forgot && status == STORE_OK; i++)
		status = forget_oldest(st, txn, now, &forgot);
	op_key(kb, mbid, op);
	st_put_u64(vb, (uint64_t)now);
	st_put_u32(vb + 8, kind);
	st_put_u64(vb + 12, id);
	st_put_u64(ab, (uint64_t)now);
	memcpy(ab + 8, kb, OP_KEY_LEN);
	if (status == STORE_OK)
		status = st_err(mdb_put(txn, st->db_op, &k, &v, 0), "op put");
	if (status == STORE_OK)
		status = st_err(mdb_put(txn, st->db_opage, &ak, &av, 0), "opage put");
	return status;
}

int store_op_find(store_t *st, const char *mbox, const unsigned char *op, int kind,
                  uint64_t *id_r)
{
	MDB_txn *txn = NULL;
	st_mbox_t mb;
	int status;

	*id_r = 0;
	status = st_read_begin(st, &txn);
	if (status == STORE_OK)
		status = st_mbox_load(st, txn, mbox, 0, &mb);
	if (status == STORE_OK)
		status = st_op_find(st, txn, mb.mbid, op, (uint32_t)kind, id_r);
	if (txn != NULL)
		mdb_txn_abort(txn);
	return status;
}
