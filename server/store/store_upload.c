/*
 * store_upload.c -- chunked, resumable uploads: begin, append, status,
 * abort, expiry.  The upload owns a blob (see store_blob.c) that grows
 * with each append; committing (store_submit.c) hands that blob to the
 * new message(s) without copying.  "upload": upload id -> record.
 */
#include "store_int.h"

#include <string.h>

int st_upload_load(store_t *st, MDB_txn *txn, const store_call_t *call, const char *mbox,
                   uint64_t uid, st_mbox_t *mb, st_upload_t *u)
{
	unsigned char kb[8];
	MDB_val k = { 8, kb }, v;
	uint64_t age;
	int status;

	memset(u, 0, sizeof(*u));
	status = st_mbox_load(st, txn, mbox, 0, mb);
	st_target_t at = { mbox, mb->mbid, NULL, 0, 0 };
	if (status == STORE_OK)
		status = st_touch(st, txn, call, STORE_ACT_UPLOAD, 1, &at);
	if (status != STORE_OK)
		goto out;
	st_put_u64(kb, uid);
	status = st_err(mdb_get(txn, st->db_upload, &k, &v), "upload get");
	if (status != STORE_OK)
		goto out;
	if (st_upload_decode(&v, u) != STORE_OK)
		status = st_corrupt("upload", &k, "upload record of %zu bytes does not decode",
		                    v.mv_size);
	else if (u->mbid != mb->mbid)
		status = STORE_NOTFOUND;   /* not among this mailbox's uploads */
	else
		status = st_policy(st, txn, STORE_POLICY_UPLOAD_AGE, &age);
	/* Past its age it is as good as expired (housekeeping removes it). */
	if (status == STORE_OK && u->created < st_now() - (int64_t)age)
		status = STORE_NOTFOUND;
out:
	return status;
}

int st_upload_release(store_t *st, MDB_txn *txn, const char *mbox, st_mbox_t *mb, uint64_t uid,
		      const st_upload_t *u)
{
	int status = st_upload_del(st, txn, uid);

	mb->uploads = st_less(mb->uploads, 1);
	mb->upload_bytes = u->expected > mb->upload_bytes ? 0 : mb->upload_bytes - u->expected;
	if (status == STORE_OK)
		status = st_mbox_save(st, txn, mbox, mb);
	return status;
}

int st_upload_save(store_t *st, MDB_txn *txn, uint64_t uid, const st_upload_t *u)
{
	unsigned char kb[8], vb[ST_UPLOAD_REC_LEN];
	MDB_val k = { 8, kb }, v = { sizeof(vb), vb };

	st_put_u64(kb, uid);
	st_upload_encode(u, vb);
	return st_err(mdb_put(txn, st->db_upload, &k, &v, 0), "upload put");
}

/* Deletes the upload record (its blob reference is the caller's). */
int st_upload_del(store_t *st, MDB_txn *txn, uint64_t uid)
{
	unsigned char kb[8];
	MDB_val k = { 8, kb };

	st_put_u64(kb, uid);
	return st_err(mdb_del(txn, st->db_upload, &k, NULL), "upload del");
}

struct up_ctx {
	const store_call_t *call;   /* NULL: trusted */
	const char *mbox;
	uint64_t uid, expected, offset;
	const unsigned char *sha256;
	const void *data;
	size_t len;
	uint64_t out;        /* begin: upload id; append: received */
	int64_t older_than;
	store_result_t *res;
};

static int begin_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct up_ctx *c = vctx;
	st_upload_t u;
	st_mbox_t mb;
	int status;

	c->out = 0;
	memset(&u, 0, sizeof(u));
	status = st_mbox_load(st, txn, c->mbox, 0, &mb);
	st_target_t at = { c->mbox, mb.mbid, NULL, 0, 0 };
	if (status == STORE_OK)
		status = st_touch(st, txn, c->call, STORE_ACT_UPLOAD, 1, &at);
	if (status == STORE_OK)
		status = st_policy_room(st, txn, c->call, STORE_POLICY_MAX_UPLOADS, mb.uploads);
	/* The announced size is charged now, so unfinished uploads cannot
	 * hold more than the quota leaves (st_msg_admit counts them). */
	if (status == STORE_OK)
		status = st_msg_admit(st, txn, &mb, c->expected);
	if (status == STORE_OK)
		status = st_meta_next(st, txn, "next_upload", &c->out);
	if (status == STORE_OK)
		status = st_blob_new(st, txn, &u.blob_id);
	if (status != STORE_OK)
		goto out;
	u.mbid = mb.mbid;
	u.expected = c->expected;
	u.created = st_now();
	if (c->sha256 != NULL) {
		u.has_sha = 1;
		memcpy(u.sha256, c->sha256, 32);
	}
	status = st_upload_save(st, txn, c->out, &u);
	mb.uploads++;
	mb.upload_bytes += u.expected;
	if (status == STORE_OK)
		status = st_mbox_save(st, txn, c->mbox, &mb);
	c->res->id = c->out;
out:
	return status;
}

int store_upload_begin(store_t *st, const char *mbox, uint64_t expected_size,
                       const unsigned char *sha256, uint64_t *upload_id_r)
{
	store_result_t res;
	int status = store_upload_begin_as(st, NULL, mbox, expected_size, sha256, &res);

	*upload_id_r = res.id;
	return status;
}

int store_upload_begin_as(store_t *st, const store_call_t *call, const char *uploader,
                          uint64_t expected_size, const unsigned char *sha256,
                          store_result_t *res_r)
{
	struct up_ctx c = { .call = call, .mbox = uploader, .expected = expected_size,
	                    .sha256 = sha256, .res = res_r };

	memset(res_r, 0, sizeof(*res_r));
	return st_run(st, call, STORE_OP_UPLOAD_BEGIN, NULL, begin_txn, &c, res_r);
}

static int append_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct up_ctx *c = vctx;
	st_upload_t u;
	st_mbox_t mb;
	uint64_t max;
	int status;

	c->out = 0;
	status = st_upload_load(st, txn, c->call, c->mbox, c->uid, &mb, &u);
	if (status != STORE_OK)
		goto out;
	c->out = u.received;
	if (c->offset != u.received) {
		status = STORE_INVALID;   /* client resumes from c->out */
		goto out;
	}
	status = st_policy(st, txn, STORE_POLICY_MAX_MESSAGE, &max);
	if (status != STORE_OK)
		goto out;
	if (u.received > max || c->len > max - u.received) {
		status = STORE_TOOBIG;
		goto out;
	}
	if (c->len > u.expected - u.received) {
		status = STORE_INVALID;   /* more than announced */
		goto out;
	}
	status = st_blob_append(st, txn, u.blob_id, u.received, c->data, c->len);
	if (status != STORE_OK)
		goto out;
	u.received += c->len;
	status = st_upload_save(st, txn, c->uid, &u);
	if (status == STORE_OK)
		c->out = c->res->id = u.received;
out:
	return status;
}

int store_upload_append(store_t *st, const char *mbox, uint64_t upload_id,
                        uint64_t offset, const void *data, size_t len,
                        uint64_t *received_r)
{
	store_result_t res;
	int status = store_upload_append_as(st, NULL, mbox, upload_id, offset, data, len, &res);

	*received_r = res.id;
	return status;
}

int store_upload_append_as(store_t *st, const store_call_t *call, const char *uploader,
                           uint64_t upload_id, uint64_t offset, const void *data, size_t len,
                           store_result_t *res_r)
{
	struct up_ctx c = { .call = call, .mbox = uploader, .uid = upload_id, .offset = offset,
	                    .data = data, .len = len, .res = res_r };
	int status;

	memset(res_r, 0, sizeof(*res_r));
	if (data == NULL && len > 0)
		return STORE_INVALID;
	status = st_run(st, call, STORE_OP_UPLOAD_APPEND, NULL, append_txn, &c, res_r);
	/* Out of step or too long: still say where the upload stands. */
	if (status == STORE_INVALID || status == STORE_TOOBIG)
		res_r->id = c.out;
	return status;
}

int store_upload_status(store_t *st, const char *mbox, uint64_t upload_id,
                        uint64_t *received_r, uint64_t *expected_r)
{
	return store_upload_status_as(st, NULL, mbox, upload_id, received_r, expected_r);
}

int store_upload_status_as(store_t *st, const store_call_t *call, const char *uploader,
                           uint64_t upload_id, uint64_t *received_r, uint64_t *expected_r)
{
	MDB_txn *txn = NULL;
	st_upload_t u;
	st_mbox_t mb;
	int status;

	*received_r = 0;
	if (expected_r != NULL)
		*expected_r = 0;
	status = st_read_begin(st, &txn);
	if (status == STORE_OK)
		status = st_upload_load(st, txn, call, uploader, upload_id, &mb, &u);
	if (status == STORE_OK) {
		*received_r = u.received;
		if (expected_r != NULL)
			*expected_r = u.expected;
	}
	if (txn != NULL)
		mdb_txn_abort(txn);
	return status;
}

static int abort_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct up_ctx *c = vctx;
	st_upload_t u;
	st_mbox_t mb;
	int status;

	status = st_upload_load(st, txn, c->call, c->mbox, c->uid, &mb, &u);
	if (status == STORE_OK)
		status = st_blob_ref(st, txn, u.blob_id, -1);
	if (status == STORE_OK)
		status = st_upload_release(st, txn, c->mbox, &mb, c->uid, &u);
	return status;
}

int store_upload_abort(store_t *st, const char *mbox, uint64_t upload_id)
{
	store_result_t res;

	return store_upload_abort_as(st, NULL, mbox, upload_id, &res);
}

int store_upload_abort_as(store_t *st, const store_call_t *call, const char *uploader,
                          uint64_t upload_id, store_result_t *res_r)
{
	struct up_ctx c = { .call = call, .mbox = uploader, .uid = upload_id, .res = res_r };

	return st_run(st, call, STORE_OP_UPLOAD_ABORT, NULL, abort_txn, &c, res_r);
}

/* An upload expiry removes: its record and body went in the first pass;
 * its charge comes off its mailbox's record in the second. */
struct gone {
	uint64_t mbid, expected;
};

static int gone_cmp(const void *a, const void *b)
{
	const struct gone *x = a, *y = b;
	return x->mbid < y->mbid ? -1 : x->mbid > y->mbid;
}

struct expired {
	struct gone *g;
	size_t n, cap;
};

/* st_mbox_fn: takes the expired uploads of mb off its counts. */
static int uncharge(store_t *st, MDB_txn *txn, void *ctx, const char *name, st_mbox_t *mb)
{
	const struct expired *e = ctx;
	struct gone key = {mb->mbid, 0};
	const struct gone *g = bsearch(&key, e->g, e->n, sizeof(*e->g), gone_cmp);

	if (g == NULL)
		return STORE_OK;
	while (g > e->g && g[-1].mbid == mb->mbid)
		g--;
	for (; g < e->g + e->n && g->mbid == mb->mbid; g++) {
		mb->uploads = st_less(mb->uploads, 1);
		mb->upload_bytes =
		    g->expected > mb->upload_bytes ? 0 : mb->upload_bytes - g->expected;
	}
	return st_mbox_save(st, txn, name, mb);
}

static int expire_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct up_ctx *c = vctx;
	int64_t cutoff = st_now() - c->older_than;
	struct expired e = {NULL, 0, 0};
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	st_upload_t u;
	int rc, status = STORE_OK;

	c->out = 0;
	rc = mdb_cursor_open(txn, st->db_upload, &cur);
	if (rc != 0) {
		status = st_err(rc, "cursor open");
		goto out;
	}
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		/* A corrupt one is logged and left for verify: expiry goes on. */
		if (st_upload_decode(&v, &u) != STORE_OK) {
			st_corrupt("upload", &k, "upload record of %zu bytes does not decode", v.mv_size);
			continue;
		}
		if (u.created >= cutoff)
			continue;
		if (e.n == e.cap) {
			e.cap = e.cap ? 2 * e.cap : 64;
			struct gone *grown = realloc(e.g, e.cap * sizeof(*e.g));
			if (grown == NULL) {
				status = STORE_INTERNAL;
				goto out;
			}
			e.g = grown;
		}
		e.g[e.n++] = (struct gone){u.mbid, u.expected};
		/* delete through the cursor before touching the blob DBs */
		rc = mdb_cursor_del(cur, 0);
		if (rc != 0)
			break;
		status = st_blob_ref(st, txn, u.blob_id, -1);
		if (status != STORE_OK)
			goto out;
		c->out++;
	}
	if (rc != 0 && rc != MDB_NOTFOUND) {
		status = st_err(rc, "upload expire");
		goto out;
	}
	mdb_cursor_close(cur);
	cur = NULL;
	if (e.n > 0) { /* e.g is NULL when none expired: qsort must not see it */
		qsort(e.g, e.n, sizeof(*e.g), gone_cmp);
		status = st_mbox_each(st, txn, uncharge, &e);
	}
out:
	if (cur != NULL)
		mdb_cursor_close(cur);
	free(e.g);
	return status;
}

int store_upload_expire(store_t *st, int64_t older_than, uint64_t *expired_r)
{
	struct up_ctx c = { .older_than = older_than };
	int status;

	*expired_r = 0;
	if (older_than < 0)
		return STORE_INVALID;
	status = st_write(st, expire_txn, &c);
	if (status == STORE_OK)
		*expired_r = c.out;
	return status;
}
