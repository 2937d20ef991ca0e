/*
 * store_op.c -- results of operations named by a client-chosen id, so a
 * call retried after a lost reply is answered instead of done twice.
 * st_write_op runs a write as such an operation: the lookup, the work and
 * the record of its result are one transaction, so either both the work
 * and its record commit or neither does.
 *
 * "op"    key mbid(8) op(16) -> created(8) kind(4) id(8) result
 * "opage" key created(8) mbid(8) op(16) -> empty; the same results in age
 *         order, so the oldest are found (and forgotten) first.
 */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

/* Record sizes: store_int.h (verify checks them too). */
#define OP_KEY_LEN ST_OP_KEY_LEN
#define OP_VAL_LEN ST_OP_VAL_LEN
#define OPAGE_KEY_LEN ST_OPAGE_KEY_LEN
/* Forgetting is spread over the writes that add results. */
#define OP_PRUNE_PER_RECORD 8

static void op_key(unsigned char out[OP_KEY_LEN], uint64_t mbid, const unsigned char *op)
{
	st_put_u64(out, mbid);
	memcpy(out + 8, op, STORE_OPID_LEN);
}

/* The record of op: STORE_OK with *v, NOTFOUND (or forgotten), or
 * INVALID if op named another kind of call. */
static int op_get(store_t *st, MDB_txn *txn, uint64_t mbid, const unsigned char *op,
                  uint32_t kind, MDB_val *v)
{
	unsigned char kb[OP_KEY_LEN];
	MDB_val k = { sizeof(kb), kb };
	int status;

	op_key(kb, mbid, op);
	status = st_err(mdb_get(txn, st->db_op, &k, v), "op get");
	if (status != STORE_OK)
		return status;
	if (v->mv_size < OP_VAL_LEN)
		return st_corrupt("op", &k, "%zu bytes, at least %u", v->mv_size, OP_VAL_LEN);
	/* A result older than the limit is as good as forgotten. */
	if ((int64_t)st_get_u64(v->mv_data) < st_now() - st->opt.op_max_age)
		return STORE_NOTFOUND;
	if (st_get_u32((unsigned char *)v->mv_data + 8) != kind)
		return STORE_INVALID;
	return STORE_OK;
}

int st_op_find(store_t *st, MDB_txn *txn, uint64_t mbid, const unsigned char *op,
               uint32_t kind, uint64_t *id_r)
{
	MDB_val v;
	int status = op_get(st, txn, mbid, op, kind, &v);

	*id_r = status == STORE_OK ? st_get_u64((unsigned char *)v.mv_data + 12) : 0;
	return status;
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
	if (k.mv_size != OPAGE_KEY_LEN) {
		status = st_corrupt("opage", &k, "key of %zu bytes, not %u", k.mv_size, OPAGE_KEY_LEN);
		goto out;
	}
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
                 uint32_t kind, uint64_t id, const void *result, size_t len)
{
	unsigned char kb[OP_KEY_LEN], ab[OPAGE_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v = { OP_VAL_LEN + len, NULL };
	MDB_val ak = { sizeof(ab), ab }, av = { 0, NULL };
	int64_t now = st_now();
	int i, forgot = 1, status = STORE_OK;

	/* Room first, so the result about to be added is never the one forgotten. */
	for (i = 0; i < OP_PRUNE_PER_RECORD && forgot && status == STORE_OK; i++)
		status = forget_oldest(st, txn, now, &forgot);
	op_key(kb, mbid, op);
	st_put_u64(ab, (uint64_t)now);
	memcpy(ab + 8, kb, OP_KEY_LEN);
	/* Reserved in place: a change's result may be tens of kilobytes. */
	if (status == STORE_OK)
		status = st_err(mdb_put(txn, st->db_op, &k, &v, MDB_RESERVE), "op put");
	if (status == STORE_OK) {
		unsigned char *vb = v.mv_data;
		st_put_u64(vb, (uint64_t)now);
		st_put_u32(vb + 8, kind);
		st_put_u64(vb + 12, id);
		if (len > 0)
			memcpy(vb + OP_VAL_LEN, result, len);
		status = st_err(mdb_put(txn, st->db_opage, &ak, &av, 0), "opage put");
	}
	return status;
}

int st_write_named(store_t *st, const store_opname_t *name, uint32_t kind, st_write_fn fn,
                   void *ctx, const uint64_t *id_of, uint64_t *id_r, int *replayed_r)
{
	int named = name != NULL && name->owner != NULL && name->op != NULL;
	st_opw_t w = { named ? name->owner : NULL, named ? name->op : NULL, kind, fn, ctx, id_of,
	               NULL, 0, 0, 0, NULL, 0 };
	int status = st_write_op(st, &w);

	if (replayed_r != NULL)
		*replayed_r = status == STORE_OK && w.replayed;
	if (status == STORE_OK && w.replayed && id_r != NULL)
		*id_r = w.id;
	free(w.replay);
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

int store_op_result_find(store_t *st, const char *mbox, const unsigned char *op, int kind,
                         void **result_r, size_t *len_r)
{
	MDB_txn *txn = NULL;
	st_mbox_t mb;
	MDB_val v;
	int status;

	*result_r = NULL;
	*len_r = 0;
	status = st_read_begin(st, &txn);
	if (status == STORE_OK)
		status = st_mbox_load(st, txn, mbox, 0, &mb);
	if (status == STORE_OK)
		status = op_get(st, txn, mb.mbid, op, (uint32_t)kind, &v);
	/* Copied out: the bytes live only as long as the transaction. */
	if (status == STORE_OK && (*result_r = malloc(v.mv_size - OP_VAL_LEN + 1)) == NULL)
		status = STORE_INTERNAL;
	if (status == STORE_OK) {
		*len_r = v.mv_size - OP_VAL_LEN;
		memcpy(*result_r, (unsigned char *)v.mv_data + OP_VAL_LEN, *len_r);
	}
	if (txn != NULL)
		mdb_txn_abort(txn);
	return status;
}

static int opw_txn(store_t *st, MDB_txn *txn, void *ctx)
{
	st_opw_t *w = ctx;
	st_mbox_t owner;
	MDB_val v;
	int status = STORE_OK;

	/* A re-run (the map grew) starts clean. */
	free(w->result);
	free(w->replay);
	w->result = w->replay = NULL;
	w->len = w->replay_len = 0;
	w->id = 0;
	w->replayed = 0;
	memset(&owner, 0, sizeof(owner));
	if (w->op != NULL) {
		status = st_mbox_load(st, txn, w->owner, 0, &owner);
		if (status == STORE_OK)
			status = op_get(st, txn, owner.mbid, w->op, w->kind, &v);
		if (status == STORE_OK) {
			/* Done before (perhaps by a retry that raced this call). */
			w->replay_len = v.mv_size - OP_VAL_LEN;
			if ((w->replay = malloc(w->replay_len + 1)) == NULL)
				return STORE_INTERNAL;
			memcpy(w->replay, (unsigned char *)v.mv_data + OP_VAL_LEN, w->replay_len);
			((char *)w->replay)[w->replay_len] = '\0';
			w->id = st_get_u64((unsigned char *)v.mv_data + 12);
			w->replayed = 1;
			return STORE_OK;
		}
		if (status != STORE_NOTFOUND)
			return status;
	}
	status = w->fn(st, txn, w->ctx);
	if (status == STORE_OK && w->op != NULL)
		status = st_op_record(st, txn, owner.mbid, w->op, w->kind,
		                      w->id_of != NULL ? *w->id_of : 0, w->result, w->len);
	return status;
}

int st_write_op(store_t *st, st_opw_t *w)
{
	int status;

	w->result = w->replay = NULL;
	status = st_write(st, opw_txn, w);
	free(w->result);
	w->result = NULL;
	w->len = 0;
	if (status != STORE_OK) {
		free(w->replay);
		w->replay = NULL;
		w->replay_len = 0;
		w->replayed = 0;
	}
	return status;
}
