/*
 * store_op.c -- calls named by a client-chosen operation id, so a call
 * retried after a lost reply is answered instead of done twice.  st_run is
 * the one way a call that changes something runs: the lookup of its op,
 * the work and the record of its result are one transaction, so either
 * both the work and its record commit or neither does.
 *
 * "op"    key mbid(8) op(16) -> created(8) kind(4) id(8) status(4) done(4)
 *         then the result's ids (8 each, as many as follow)
 * "opage" key mbid(8) created(8) op(16) -> empty; each mailbox's results
 *         in age order, so its oldest are found (and forgotten) first.
 * Results are kept per mailbox (the caller's own), counted in its record
 * and bounded by the policy's max-op-records: one user's calls forget
 * only that user's oldest results, never another's.
 * A result is ids and counts (store_result_t), never a front-end's reply
 * bytes: any front-end can answer a repeat from it.
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

void store_result_clear(store_result_t *r)
{
	if (r == NULL)
		return;
	free(r->ids);
	memset(r, 0, sizeof(*r));
}

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
	if (!st_op_val_fits(v->mv_size))
		return st_corrupt("op", &k, "%zu bytes, not %u and 8 per id", v->mv_size, OP_VAL_LEN);
	/* A result older than the limit is as good as forgotten. */
	if ((int64_t)st_get_u64(v->mv_data) < st_now() - st->opt.op_max_age)
		return STORE_NOTFOUND;
	if (st_get_u32((unsigned char *)v->mv_data + 8) != kind)
		return STORE_INVALID;
	return STORE_OK;
}

/* res from a record (copied out: map memory lives as long as the txn). */
static int op_decode(const MDB_val *v, store_result_t *res)
{
	const unsigned char *p = v->mv_data;
	size_t n = (v->mv_size - OP_VAL_LEN) / 8;

	store_result_clear(res);
	res->replayed = 1;
	res->id = st_get_u64(p + 12);
	res->status = (int)st_get_u32(p + 20);
	res->done = st_get_u32(p + 24);
	if (n == 0)
		return STORE_OK;
	if ((res->ids = calloc(n, sizeof(uint64_t))) == NULL)
		return STORE_INTERNAL;
	for (size_t i = 0; i < n; i++)
		res->ids[i] = st_get_u64(p + OP_VAL_LEN + 8 * i);
	return STORE_OK;
}

/* Forgets mb's oldest result if it is past the age limit, or if mb has no
 * room for one more under max; *forgot_r says whether it did. */
static int forget_oldest(store_t *st, MDB_txn *txn, st_mbox_t *mb, uint64_t max, int64_t now,
			 int *forgot_r)
{
	unsigned char start[OPAGE_KEY_LEN] = {0}, ob[OP_KEY_LEN];
	MDB_cursor *cur = NULL;
	MDB_val k = {sizeof(start), start}, v, ok = {sizeof(ob), ob};
	int rc, status;

	*forgot_r = 0;
	st_put_u64(start, mb->mbid);
	rc = mdb_cursor_open(txn, st->db_opage, &cur);
	if (rc == 0)
		rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	status = rc == MDB_NOTFOUND ? STORE_OK : st_err(rc, "opage first");
	if (rc != 0 || k.mv_size < 8 || st_get_u64(k.mv_data) != mb->mbid)
		goto out; /* none of this mailbox's */
	if (k.mv_size != OPAGE_KEY_LEN) {
		status = st_corrupt("opage", &k, "key of %zu bytes, not %u", k.mv_size, OPAGE_KEY_LEN);
		goto out;
	}
	if (mb->ops < max &&
	    (int64_t)st_get_u64((const unsigned char *)k.mv_data + 8) >= now - st->opt.op_max_age)
		goto out;
	op_key(ob, mb->mbid, (const unsigned char *)k.mv_data + 16);
	rc = mdb_del(txn, st->db_op, &ok, NULL);
	status = rc == MDB_NOTFOUND ? STORE_OK : st_err(rc, "op del");
	if (status == STORE_OK)
		status = st_err(mdb_cursor_del(cur, 0), "opage del");
	if (status == STORE_OK) {
		mb->ops = st_less(mb->ops, 1);
		*forgot_r = 1;
	}
out:
	if (cur != NULL)
		mdb_cursor_close(cur);
	return status;
}

/* Forgets op's own result if it has one past the age limit (which reads
 * as forgotten), so that recording it again leaves one result, not two. */
static int forget_stale(store_t *st, MDB_txn *txn, st_mbox_t *mb, const unsigned char *op)
{
	unsigned char kb[OP_KEY_LEN], ab[OPAGE_KEY_LEN];
	MDB_val k = {sizeof(kb), kb}, v, ak = {sizeof(ab), ab};
	int rc;

	op_key(kb, mb->mbid, op);
	rc = mdb_get(txn, st->db_op, &k, &v);
	if (rc == MDB_NOTFOUND)
		return STORE_OK;
	if (rc == 0 && v.mv_size < 8)
		return st_corrupt("op", &k, "%zu bytes, not %u and 8 per id", v.mv_size,
				  OP_VAL_LEN);
	st_put_u64(ab, mb->mbid);
	if (rc == 0)
		memcpy(ab + 8, v.mv_data, 8); /* created */
	memcpy(ab + 16, op, STORE_OPID_LEN);
	if (rc == 0)
		rc = mdb_del(txn, st->db_op, &k, NULL);
	if (rc == 0)
		rc = mdb_del(txn, st->db_opage, &ak, NULL);
	if (rc == 0 || rc == MDB_NOTFOUND)
		mb->ops = st_less(mb->ops, 1);
	return rc == MDB_NOTFOUND ? STORE_OK : st_err(rc, "op forget");
}

/* Records res as op's result under mailbox owner, having first forgotten
 * the owner's oldest results beyond the bounds. */
static int op_record(store_t *st, MDB_txn *txn, const char *owner, const unsigned char *op,
		     uint32_t kind, const store_result_t *res)
{
	size_t n = res->ids != NULL ? res->done : 0;
	unsigned char kb[OP_KEY_LEN], ab[OPAGE_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v = { OP_VAL_LEN + 8 * n, NULL };
	MDB_val ak = { sizeof(ab), ab }, av = { 0, NULL };
	int64_t now = st_now();
	uint64_t max = 0;
	st_mbox_t mb;
	int i, forgot = 1;
	/* Loaded now: the call's work may have saved this record already. */
	int status = st_mbox_load(st, txn, owner, 0, &mb);

	if (status == STORE_OK)
		status = st_policy(st, txn, STORE_POLICY_MAX_OP_RECORDS, &max);
	if (status == STORE_OK)
		status = forget_stale(st, txn, &mb, op);
	/* Room first, so the result about to be added is never the one forgotten. */
	for (i = 0; i < OP_PRUNE_PER_RECORD && forgot && status == STORE_OK; i++)
		status = forget_oldest(st, txn, &mb, max, now, &forgot);
	op_key(kb, mb.mbid, op);
	st_put_u64(ab, mb.mbid);
	st_put_u64(ab + 8, (uint64_t)now);
	memcpy(ab + 16, op, STORE_OPID_LEN);
	/* Reserved in place: a batch's new ids may be tens of kilobytes. */
	if (status == STORE_OK)
		status = st_err(mdb_put(txn, st->db_op, &k, &v, MDB_RESERVE), "op put");
	if (status == STORE_OK) {
		unsigned char *vb = v.mv_data;
		st_put_u64(vb, (uint64_t)now);
		st_put_u32(vb + 8, kind);
		st_put_u64(vb + 12, res->id);
		st_put_u32(vb + 20, (uint32_t)res->status);
		st_put_u32(vb + 24, (uint32_t)res->done);
		for (size_t j = 0; j < n; j++)
			st_put_u64(vb + OP_VAL_LEN + 8 * j, res->ids[j]);
		status = st_err(mdb_put(txn, st->db_opage, &ak, &av, 0), "opage put");
	}
	mb.ops++;
	if (status == STORE_OK)
		status = st_mbox_save(st, txn, owner, &mb);
	return status;
}

/* The record of call's op, if it has one: STORE_OK with res filled
 * (replayed), NOTFOUND when the call is new. */
static int op_find(store_t *st, MDB_txn *txn, const store_call_t *call, uint32_t kind,
		   store_result_t *res)
{
	st_mbox_t owner;
	MDB_val v;
	int status = st_mbox_load(st, txn, call->owner, 0, &owner);

	if (status == STORE_OK)
		status = op_get(st, txn, owner.mbid, call->op, kind, &v);
	if (status == STORE_OK)
		status = op_decode(&v, res);
	return status;
}

struct run {
	const store_call_t *call;   /* NULL or op NULL: not named */
	uint32_t kind;
	st_write_fn fn;
	void *ctx;
	store_result_t *res;
};

static int named(const store_call_t *call)
{
	return call != NULL && call->owner != NULL && call->op != NULL;
}

static int run_txn(store_t *st, MDB_txn *txn, void *ctx)
{
	struct run *r = ctx;
	int status;

	/* A re-run (the map grew) starts clean. */
	store_result_clear(r->res);
	if (named(r->call)) {
		/* Done before (perhaps by a retry that raced this call)? */
		status = op_find(st, txn, r->call, r->kind, r->res);
		if (status != STORE_NOTFOUND)
			return status;
		store_result_clear(r->res);
	}
	status = r->fn(st, txn, r->ctx);
	/* Only what changed something: a repeat of a refusal is refused alike. */
	if (status == STORE_OK && named(r->call) &&
	    (r->res->status == STORE_OK || r->res->done > 0))
		status = op_record(st, txn, r->call->owner, r->call->op, r->kind, r->res);
	return status;
}

/* The answer to a repeat, looked up before the call's preparation. */
static int replay_early(store_t *st, const store_call_t *call, uint32_t kind,
                        store_result_t *res)
{
	MDB_txn *txn = NULL;
	int status = st_read_begin(st, &txn);

	if (status == STORE_OK)
		status = op_find(st, txn, call, kind, res);
	if (txn != NULL)
		mdb_txn_abort(txn);
	return status;
}

int store_op_replay(store_t *st, const store_call_t *call, uint32_t kind, store_result_t *res_r)
{
	memset(res_r, 0, sizeof(*res_r));
	if (!named(call))
		return STORE_NOTFOUND;
	int status = replay_early(st, call, kind, res_r);
	if (status != STORE_OK)
		store_result_clear(res_r);
	return status;
}

int st_run(store_t *st, const store_call_t *call, uint32_t kind, st_prepare_fn prepare,
           st_write_fn fn, void *ctx, store_result_t *res)
{
	struct run r = { call, kind, fn, ctx, res };
	int status = STORE_OK;

	memset(res, 0, sizeof(*res));
	if (prepare != NULL && named(call)) {
		status = replay_early(st, call, kind, res);
		if (status != STORE_NOTFOUND)
			goto out;
		store_result_clear(res);
	}
	status = prepare != NULL ? prepare(st, ctx) : STORE_OK;
	if (status == STORE_OK)
		status = st_write(st, run_txn, &r);
out:
	if (status != STORE_OK)
		store_result_clear(res);
	return status;
}
