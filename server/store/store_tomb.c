/*
 * store_tomb.c -- tombstones: what left a folder, so a client can be told
 * which ids it must drop (store_sync.c).
 *
 * "tomb" key mbid(8) change(8) folder id(8) id(8) -> time (i64).  Ordered
 * by change number within a mailbox, so "everything after state S" is one
 * range and the oldest are first.  The key with change 0 is the mailbox's
 * head: horizon(8) count(8); change numbers start at 1, so it sorts first.
 */
#include "store_int.h"

#include <string.h>

/* Forgetting is spread over the writes that add tombstones. */
#define TOMB_PRUNE_PER_ADD 8
/* Tombstones forgotten per write transaction by store_tomb_expire. */
#define TOMB_EXPIRE_PER_TXN 10000u

typedef struct head {
	uint64_t horizon, count;
} head_t;

size_t st_tomb_key(unsigned char out[ST_TOMB_KEY_LEN], uint64_t mbid, uint64_t change,
                   uint64_t fid, uint64_t id)
{
	st_put_u64(out, mbid);
	st_put_u64(out + 8, change);
	st_put_u64(out + 16, fid);
	st_put_u64(out + 24, id);
	return ST_TOMB_KEY_LEN;
}

int st_tomb_walk(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t change, uint64_t fid,
                 uint64_t id, st_tomb_fn fn, void *ctx)
{
	unsigned char kb[ST_TOMB_KEY_LEN];
	MDB_val k = { st_tomb_key(kb, mbid, change, fid, id), kb }, v;
	MDB_cursor *cur = NULL;
	int rc, status = ST_TOMB_NEXT;

	rc = mdb_cursor_open(txn, st->db_tomb, &cur);
	for (rc = rc ? rc : mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	     rc == 0 && status == ST_TOMB_NEXT; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		const unsigned char *p = k.mv_data;
		if (k.mv_size != ST_TOMB_KEY_LEN || st_get_u64(p) != mbid)
			break;
		status = fn(ctx, st_get_u64(p + 8), st_get_u64(p + 16), st_get_u64(p + 24));
	}
	if (cur != NULL)
		mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return st_err(rc, "tomb scan");
	return status == ST_TOMB_NEXT ? STORE_OK : status;
}

static int head_load(store_t *st, MDB_txn *txn, uint64_t mbid, head_t *h)
{
	unsigned char kb[ST_TOMB_KEY_LEN];
	MDB_val k = { st_tomb_key(kb, mbid, 0, 0, 0), kb }, v;
	int status;

	memset(h, 0, sizeof(*h));
	status = st_err(mdb_get(txn, st->db_tomb, &k, &v), "tomb head get");
	if (status == STORE_NOTFOUND)
		return STORE_OK;   /* no tombstone forgotten yet */
	if (status != STORE_OK)
		return status;
	if (v.mv_size != ST_TOMB_HEAD_LEN)
		return st_corrupt("tomb", &k, "head of %zu bytes, not %u", v.mv_size, ST_TOMB_HEAD_LEN);
	h->horizon = st_get_u64(v.mv_data);
	h->count = st_get_u64((unsigned char *)v.mv_data + 8);
	return STORE_OK;
}

static int head_save(store_t *st, MDB_txn *txn, uint64_t mbid, const head_t *h)
{
	unsigned char kb[ST_TOMB_KEY_LEN], vb[ST_TOMB_HEAD_LEN];
	MDB_val k = { st_tomb_key(kb, mbid, 0, 0, 0), kb }, v = { sizeof(vb), vb };

	st_put_u64(vb, h->horizon);
	st_put_u64(vb + 8, h->count);
	return st_err(mdb_put(txn, st->db_tomb, &k, &v, 0), "tomb head put");
}

int st_tomb_horizon(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t *horizon_r)
{
	head_t h;
	int status = head_load(st, txn, mbid, &h);

	*horizon_r = status == STORE_OK ? h.horizon : 0;
	return status;
}

/* Forgets the mailbox's oldest tombstone if it is older than cutoff or
 * the mailbox keeps max or more; *forgot_r says whether it did. */
static int forget_oldest(store_t *st, MDB_txn *txn, uint64_t mbid, head_t *h,
                         int64_t cutoff, uint64_t max, int *forgot_r)
{
	unsigned char kb[ST_TOMB_KEY_LEN];
	MDB_cursor *cur = NULL;
	MDB_val k = { st_tomb_key(kb, mbid, 1, 0, 0), kb }, v;
	int rc, status;

	*forgot_r = 0;
	rc = mdb_cursor_open(txn, st->db_tomb, &cur);
	if (rc == 0)
		rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	status = rc == MDB_NOTFOUND ? STORE_OK : st_err(rc, "tomb first");
	if (rc != 0 || memcmp(k.mv_data, kb, 8) != 0)
		goto out;
	if (k.mv_size != ST_TOMB_KEY_LEN || v.mv_size != ST_TOMB_VAL_LEN) {
		status = st_corrupt("tomb", &k, "key of %zu bytes, value of %zu", k.mv_size,
		                    v.mv_size);
		goto out;
	}
	if (h->count < max && (int64_t)st_get_u64(v.mv_data) >= cutoff)
		goto out;
	h->horizon = st_get_u64((unsigned char *)k.mv_data + 8);
	h->count -= h->count > 0;
	status = st_err(mdb_cursor_del(cur, 0), "tomb del");
	*forgot_r = status == STORE_OK;
out:
	if (cur != NULL)
		mdb_cursor_close(cur);
	return status;
}

int st_tomb_add(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t change,
                uint64_t fid, uint64_t id)
{
	unsigned char kb[ST_TOMB_KEY_LEN], vb[ST_TOMB_VAL_LEN];
	MDB_val k = { st_tomb_key(kb, mbid, change, fid, id), kb };
	MDB_val v = { sizeof(vb), vb };
	int64_t now = st_now();
	uint64_t age = 0;
	head_t h;
	int i, forgot = 1, status;

	status = head_load(st, txn, mbid, &h);
	if (status == STORE_OK)
		status = st_policy(st, txn, STORE_POLICY_TOMBSTONE_AGE, &age);
	for (i = 0; i < TOMB_PRUNE_PER_ADD && forgot && status == STORE_OK; i++)
		status = forget_oldest(st, txn, mbid, &h, now - (int64_t)age, st->opt.tomb_max,
		                       &forgot);
	st_put_u64(vb, (uint64_t)now);
	if (status == STORE_OK)
		status = st_err(mdb_put(txn, st->db_tomb, &k, &v, 0), "tomb put");
	h.count++;
	if (status == STORE_OK)
		status = head_save(st, txn, mbid, &h);
	return status;
}

int st_tomb_init(store_t *st, MDB_txn *txn)
{
	MDB_val mk = { strlen(ST_META_TOMBSTONES), ST_META_TOMBSTONES }, mv = { 0, "" }, k, v;
	MDB_cursor *cur = NULL;
	st_mbox_t mb;
	head_t h = { 0, 0 };
	int rc, status;

	status = st_err(mdb_get(txn, st->db_meta, &mk, &mv), "meta get");
	if (status != STORE_NOTFOUND)
		return status;
	/* Removals before this store kept tombstones were never recorded. */
	rc = mdb_cursor_open(txn, st->db_mailbox, &cur);
	status = st_err(rc, "cursor open");
	for (rc = rc ? rc : mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	     rc == 0 && status == STORE_OK; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		/* Logged and skipped: one bad record must not make the store
		 * unopenable (verify reports it). */
		if (st_mbox_decode(&v, &mb) != STORE_OK) {
			st_corrupt("mailbox", &k, "mailbox record of %zu bytes does not decode", v.mv_size);
			continue;
		}
		h.horizon = mb.change;
		status = head_save(st, txn, mb.mbid, &h);
	}
	if (cur != NULL)
		mdb_cursor_close(cur);
	if (status == STORE_OK && rc != MDB_NOTFOUND)
		status = st_err(rc, "cursor get");
	mv.mv_size = 0;
	if (status == STORE_OK)
		status = st_err(mdb_put(txn, st->db_meta, &mk, &mv, 0), "meta put");
	return status;
}

/* Forgets expired tombstones of mailbox mbid (at most *budget, which it
 * decreases).  Only age counts here: the count bound is kept when adding. */
static int expire_mailbox(store_t *st, MDB_txn *txn, uint64_t mbid, int64_t cutoff,
                          uint64_t *budget, uint64_t *expired)
{
	head_t h;
	uint64_t before = *expired;
	int forgot = 1, status;

	status = head_load(st, txn, mbid, &h);
	while (status == STORE_OK && forgot && *budget > 0) {
		status = forget_oldest(st, txn, mbid, &h, cutoff, UINT64_MAX, &forgot);
		*budget -= (uint64_t)forgot;
		*expired += (uint64_t)forgot;
	}
	if (status == STORE_OK && *expired > before)
		status = head_save(st, txn, mbid, &h);
	return status;
}

struct expire_ctx {
	uint64_t from_mbid;  /* first mailbox to look at */
	uint64_t next_mbid;  /* out: where the next txn resumes */
	uint64_t expired;    /* out */
	int done;            /* out */
};

static int expire_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct expire_ctx *c = vctx;
	unsigned char kb[ST_TOMB_KEY_LEN];
	uint64_t budget = TOMB_EXPIRE_PER_TXN, mbid = c->from_mbid, age = 0;
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	int rc, status = st_policy(st, txn, STORE_POLICY_TOMBSTONE_AGE, &age);
	int64_t cutoff = st_now() - (int64_t)age;

	c->expired = 0;
	c->done = 0;
	while (status == STORE_OK && budget > 0) {
		/* Heads are the first key of each mailbox's range. */
		k.mv_data = kb;
		k.mv_size = st_tomb_key(kb, mbid, 0, 0, 0);
		rc = mdb_cursor_open(txn, st->db_tomb, &cur);
		if (rc == 0)
			rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
		if (rc == 0)
			mbid = st_get_u64(k.mv_data);
		mdb_cursor_close(cur);
		cur = NULL;
		if (rc == MDB_NOTFOUND) {
			c->done = 1;
			break;
		}
		status = st_err(rc, "tomb next mailbox");
		if (status == STORE_OK)
			status = expire_mailbox(st, txn, mbid, cutoff, &budget, &c->expired);
		if (budget > 0)
			mbid++;
	}
	c->next_mbid = mbid;
	return status;
}

int store_tomb_expire(store_t *st, uint64_t *expired_r)
{
	struct expire_ctx c = { 0, 0, 0, 0 };
	int i, status = STORE_OK;

	*expired_r = 0;
	/* Bounded: each round forgets up to TOMB_EXPIRE_PER_TXN or ends. */
	for (i = 0; i < 1000 && !c.done && status == STORE_OK; i++) {
		status = st_write(st, expire_txn, &c);
		if (status == STORE_OK)
			*expired_r += c.expired;
		c.from_mbid = c.next_mbid;
	}
	return status;
}
