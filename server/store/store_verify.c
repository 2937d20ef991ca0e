/*
 * store_verify.c -- checks the invariants of docs/store-schema.md in one
 * read transaction and reports every violation found (the store is never
 * changed): first every record that does not decode
 * (store_verify_records.c), then the invariants between records, which
 * skip those.  Invariant 3 includes the change index (store_cidx.c).  For
 * `mailrpc-admin verify`.
 */
#include "store_int.h"

#include <stdarg.h>
#include <string.h>

struct verify {
	store_t *st;
	MDB_txn *txn;
	store_problem_fn report;
	void *ctx;
	uint64_t problems;
	uint64_t *blobs;        /* blob ids named by messages and uploads */
	size_t nblobs, capblobs;
};

struct vfolder {
	st_folder_t rec;
	uint64_t total, unread, bytes;   /* tallied from messages */
};

static void problem(struct verify *v, const char *fmt, ...)
{
	char text[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	v->problems++;
	if (v->report)
		v->report(text, v->ctx);
}

static void bad_record(void *ctx, const char *db, const char *key, const char *why)
{
	problem(ctx, "corrupt record db=%s key=%s: %s", db, key, why);
}

static int name_blob(struct verify *v, uint64_t blob)
{
	if (v->nblobs == v->capblobs) {
		v->capblobs = v->capblobs ? 2 * v->capblobs : 1024;
		void *grown = realloc(v->blobs, v->capblobs * sizeof(*v->blobs));
		if (grown == NULL)
			return STORE_INTERNAL;
		v->blobs = grown;
	}
	v->blobs[v->nblobs++] = blob;
	return STORE_OK;
}

/* Cursor over keys starting with an 8-byte prefix; *rc_r for the caller's loop. */
static int first_with(MDB_cursor *cur, unsigned char prefix[8], MDB_val *k, MDB_val *d)
{
	k->mv_size = 8;
	k->mv_data = prefix;
	int rc = mdb_cursor_get(cur, k, d, MDB_SET_RANGE);
	return rc == 0 && (k->mv_size < 8 || memcmp(k->mv_data, prefix, 8) != 0) ? MDB_NOTFOUND : rc;
}

static int next_with(MDB_cursor *cur, unsigned char prefix[8], MDB_val *k, MDB_val *d)
{
	int rc = mdb_cursor_get(cur, k, d, MDB_NEXT);
	return rc == 0 && (k->mv_size < 8 || memcmp(k->mv_data, prefix, 8) != 0) ? MDB_NOTFOUND : rc;
}

static struct vfolder *find_folder(struct vfolder *f, size_t n, uint64_t fid)
{
	for (size_t i = 0; i < n; i++)
		if (f[i].rec.id == fid)
			return &f[i];
	return NULL;
}

static int load_folders(struct verify *v, const char *name, uint64_t mbid, struct vfolder **f_r,
			size_t *n_r)
{
	unsigned char prefix[8];
	MDB_cursor *cur = NULL;
	MDB_val k, d;
	size_t cap = 0;
	int rc;
	*f_r = NULL;
	*n_r = 0;
	st_put_u64(prefix, mbid);
	if ((rc = mdb_cursor_open(v->txn, v->st->db_folder, &cur)) != 0)
		return st_err(rc, "verify cursor");
	for (rc = first_with(cur, prefix, &k, &d); rc == 0; rc = next_with(cur, prefix, &k, &d)) {
		if (*n_r == cap) {
			cap = cap ? 2 * cap : 16;
			void *grown = realloc(*f_r, cap * sizeof(**f_r));
			if (grown == NULL) {
				mdb_cursor_close(cur);
				return STORE_INTERNAL;
			}
			*f_r = grown;
		}
		struct vfolder *f = &(*f_r)[*n_r];
		memset(f, 0, sizeof(*f));
		if (k.mv_size != 16 || st_folder_decode(&d, &f->rec) != STORE_OK)
			continue;   /* reported by st_verify_records */
		f->rec.id = st_get_u64((unsigned char *)k.mv_data + 8);
		st_folder_t byname;
		if (st_folder_by_path(v->st, v->txn, mbid, f->rec.path, &byname) != STORE_OK ||
		    byname.id != f->rec.id)
			problem(v, "%s: folder \"%s\" (id %llu) is not found by its path", name, f->rec.path,
				(unsigned long long)f->rec.id);
		(*n_r)++;
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? STORE_OK : st_err(rc, "verify folders");
}

/* Invariant 3 for one message: its folder and its index entry. */
static void check_message(struct verify *v, const char *name, uint64_t mbid, uint64_t id,
			  const st_msg_t *m, struct vfolder *f, size_t nf)
{
	struct vfolder *folder = find_folder(f, nf, m->folder_id);
	if (folder == NULL) {
		problem(v, "%s: message %llu is in folder id %llu, which does not exist", name,
			(unsigned long long)id, (unsigned long long)m->folder_id);
	} else {
		folder->total++;
		folder->unread += (m->flags & STORE_FLAG_SEEN) ? 0 : 1;
		folder->bytes += m->size;
	}
	unsigned char kb[24];
	MDB_val k = { st_key3(kb, mbid, m->folder_id, id), kb }, d;
	if (mdb_get(v->txn, v->st->db_fidx, &k, &d) != 0 || d.mv_size != ST_FIDX_VAL_LEN)
		problem(v, "%s: message %llu has no folder index entry", name, (unsigned long long)id);
	else if (st_get_u32(d.mv_data) != m->flags ||
		 st_get_u64((unsigned char *)d.mv_data + 4) != m->size ||
		 (int64_t)st_get_u64((unsigned char *)d.mv_data + 12) != m->received)
		problem(v, "%s: message %llu differs from its folder index entry", name,
			(unsigned long long)id);
	unsigned char ckb[ST_CIDX_KEY_LEN];
	MDB_val ck = { st_cidx_key(ckb, mbid, m->folder_id, m->change, id), ckb };
	if (mdb_get(v->txn, v->st->db_cidx, &ck, &d) != 0)
		problem(v, "%s: message %llu has no change index entry for its folder and change %llu",
			name, (unsigned long long)id, (unsigned long long)m->change);
}

static int check_messages(struct verify *v, const char *name, const st_mbox_t *mb,
			  struct vfolder *f, size_t nf)
{
	unsigned char prefix[8];
	MDB_cursor *cur = NULL;
	MDB_val k, d;
	uint64_t count = 0, bytes = 0, max_id = 0, indexed = 0, by_change = 0;
	st_msg_t *m = malloc(sizeof(*m));
	int rc, status = m ? STORE_OK : STORE_INTERNAL;
	st_put_u64(prefix, mb->mbid);
	if (status == STORE_OK && (rc = mdb_cursor_open(v->txn, v->st->db_msg, &cur)) != 0)
		status = st_err(rc, "verify cursor");
	for (rc = status == STORE_OK ? first_with(cur, prefix, &k, &d) : MDB_NOTFOUND; rc == 0;
	     rc = next_with(cur, prefix, &k, &d)) {
		if (k.mv_size != 16 || st_msg_decode(&d, m) != STORE_OK)
			continue;   /* reported by st_verify_records */
		uint64_t id = st_get_u64((unsigned char *)k.mv_data + 8);
		count++;
		bytes += m->size;
		max_id = id > max_id ? id : max_id;
		check_message(v, name, mb->mbid, id, m, f, nf);
		if (name_blob(v, m->blob_id) != STORE_OK)
			status = STORE_INTERNAL;
	}
	if (cur)
		mdb_cursor_close(cur);
	free(m);
	/* Index entries without a message: count them against the messages. */
	if (status == STORE_OK)
		status = st_prefix_each(v->txn, v->st->db_fidx, prefix, 8, 0, &indexed);
	if (status == STORE_OK)
		status = st_prefix_each(v->txn, v->st->db_cidx, prefix, 8, 0, &by_change);
	if (indexed != count)
		problem(v, "%s: %llu folder index entries for %llu messages", name,
			(unsigned long long)indexed, (unsigned long long)count);
	if (status == STORE_OK && by_change != count)
		problem(v, "%s: %llu change index entries for %llu messages", name,
			(unsigned long long)by_change, (unsigned long long)count);
	if (count != mb->messages || bytes != mb->bytes_used)
		problem(v, "%s: mailbox says %llu messages, %llu bytes; found %llu, %llu", name,
			(unsigned long long)mb->messages, (unsigned long long)mb->bytes_used,
			(unsigned long long)count, (unsigned long long)bytes);
	if (max_id >= mb->next_msg_id)
		problem(v, "%s: next message id %llu is not above id %llu", name,
			(unsigned long long)mb->next_msg_id, (unsigned long long)max_id);
	return status;
}

/* What the record counts besides messages against the records. */
static int check_counts(struct verify *v, const char *name, const st_mbox_t *mb)
{
	st_counts_t c;
	int status = st_count(v->st, v->txn, mb->mbid, &c);
	if (status != STORE_OK)
		return status;
	if (mb->version != 2)
		problem(v,
			"%s: mailbox record of version %u (from before schema 4) counts nothing "
			"it holds besides messages",
			name, mb->version);
	else if (c.folders != mb->folders || c.acl_entries != mb->acl_entries || c.ops != mb->ops ||
		 c.uploads != mb->uploads || c.upload_bytes != mb->upload_bytes)
		problem(v,
			"%s: mailbox says %u folders, %u ACL entries, %u op results, %u uploads of "
			"%llu bytes; found %llu, %llu, %llu, %llu of %llu",
			name, mb->folders, mb->acl_entries, mb->ops, mb->uploads,
			(unsigned long long)mb->upload_bytes, (unsigned long long)c.folders,
			(unsigned long long)c.acl_entries, (unsigned long long)c.ops,
			(unsigned long long)c.uploads, (unsigned long long)c.upload_bytes);
	return STORE_OK;
}

static int check_mailbox(struct verify *v, const char *name, const MDB_val *d)
{
	st_mbox_t mb;
	struct vfolder *f = NULL;
	size_t nf = 0;
	if (st_mbox_decode(d, &mb) != STORE_OK)
		return STORE_OK;   /* reported by st_verify_records */
	int status = load_folders(v, name, mb.mbid, &f, &nf);
	if (status == STORE_OK)
		status = check_messages(v, name, &mb, f, nf);
	if (status == STORE_OK)
		status = check_counts(v, name, &mb);
	for (size_t i = 0; status == STORE_OK && i < nf; i++) {
		const struct vfolder *x = &f[i];
		if (x->total != x->rec.total || x->unread != x->rec.unread || x->bytes != x->rec.bytes)
			problem(v, "%s: folder \"%s\" says %llu/%llu/%llu (total/unread/bytes); messages say %llu/%llu/%llu",
				name, x->rec.path, (unsigned long long)x->rec.total,
				(unsigned long long)x->rec.unread, (unsigned long long)x->rec.bytes,
				(unsigned long long)x->total, (unsigned long long)x->unread,
				(unsigned long long)x->bytes);
	}
	free(f);
	return status;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Sum of the chunk lengths of one blob. */
static uint64_t chunk_bytes(struct verify *v, uint64_t blob)
{
	unsigned char prefix[8];
	MDB_cursor *cur = NULL;
	MDB_val k, d;
	uint64_t sum = 0;
	st_put_u64(prefix, blob);
	if (mdb_cursor_open(v->txn, v->st->db_blob, &cur) != 0)
		return 0;
	for (int rc = first_with(cur, prefix, &k, &d); rc == 0; rc = next_with(cur, prefix, &k, &d))
		sum += d.mv_size;
	mdb_cursor_close(cur);
	return sum;
}

/* Invariant 4: reference counts and sizes of every body. */
static int check_blobs(struct verify *v)
{
	MDB_cursor *cur = NULL;
	MDB_val k, d;
	size_t at = 0;
	int rc = mdb_cursor_open(v->txn, v->st->db_blobmeta, &cur);
	if (rc != 0)
		return st_err(rc, "verify cursor");
	if (v->nblobs > 1)   /* blobs is NULL when nothing names a body */
		qsort(v->blobs, v->nblobs, sizeof(*v->blobs), cmp_u64);
	for (rc = mdb_cursor_get(cur, &k, &d, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &d, MDB_NEXT)) {
		if (k.mv_size != 8 || d.mv_size != ST_BLOBMETA_LEN)
			continue;   /* reported by st_verify_records */
		uint64_t blob = st_get_u64(k.mv_data), named = 0;
		for (; at < v->nblobs && v->blobs[at] < blob; at++)
			problem(v, "body %llu is named but has no metadata", (unsigned long long)v->blobs[at]);
		for (; at < v->nblobs && v->blobs[at] == blob; at++)
			named++;
		uint32_t refs = st_get_u32(d.mv_data);
		uint64_t size = st_get_u64((unsigned char *)d.mv_data + 8);
		if (refs != named)
			problem(v, "body %llu has %u references, %llu named", (unsigned long long)blob, refs,
				(unsigned long long)named);
		if (chunk_bytes(v, blob) != size)
			problem(v, "body %llu: chunks do not add up to its size %llu", (unsigned long long)blob,
				(unsigned long long)size);
	}
	for (; at < v->nblobs; at++)
		problem(v, "body %llu is named but has no metadata", (unsigned long long)v->blobs[at]);
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? STORE_OK : st_err(rc, "verify blobs");
}

/* The body an upload record holds (STORE_CORRUPT: none to count). */
static int upload_blob(const MDB_val *k, const MDB_val *d, uint64_t *blob_r)
{
	st_upload_t u;
	(void)k;
	int status = st_upload_decode(d, &u);
	*blob_r = u.blob_id;
	return status;
}

/* The body a hand-over holds. */
static int handover_blob(const MDB_val *k, const MDB_val *d, uint64_t *blob_r)
{
	store_handover_t h;
	int status = st_handover_decode(k, d, &h);
	*blob_r = h.blob_id;
	st_handover_clear(&h);
	return status;
}

/* Names the body of every record of dbi that decodes (uploads, hand-overs). */
static int name_blobs_of(struct verify *v, MDB_dbi dbi,
			 int (*blob_of)(const MDB_val *k, const MDB_val *d, uint64_t *blob_r))
{
	MDB_cursor *cur = NULL;
	MDB_val k, d;
	uint64_t blob;
	int rc = mdb_cursor_open(v->txn, dbi, &cur), status = STORE_OK;
	if (rc != 0)
		return st_err(rc, "verify cursor");
	for (rc = mdb_cursor_get(cur, &k, &d, MDB_FIRST); rc == 0 && status == STORE_OK;
	     rc = mdb_cursor_get(cur, &k, &d, MDB_NEXT))
		if (blob_of(&k, &d, &blob) == STORE_OK)
			status = name_blob(v, blob);
	mdb_cursor_close(cur);
	return status;
}

static void report_problem(void *ctx, const char *text)
{
	problem(ctx, "%s", text);
}

int store_verify(store_t *st, store_problem_fn report, void *ctx, uint64_t *problems_r)
{
	struct verify v = { .st = st, .report = report, .ctx = ctx };
	MDB_cursor *cur = NULL;
	MDB_val k, d;
	char name[STORE_NAME_MAX + 1];
	int rc, status = st_read_begin(st, &v.txn);

	*problems_r = 0;
	if (status == STORE_OK)
		status = st_verify_records(st, v.txn, bad_record, &v);
	if (status == STORE_OK && (rc = mdb_cursor_open(v.txn, st->db_mailbox, &cur)) != 0)
		status = st_err(rc, "verify cursor");
	for (rc = status == STORE_OK ? mdb_cursor_get(cur, &k, &d, MDB_FIRST) : MDB_NOTFOUND;
	     rc == 0 && status == STORE_OK; rc = mdb_cursor_get(cur, &k, &d, MDB_NEXT)) {
		size_t n = k.mv_size < sizeof(name) ? k.mv_size : sizeof(name) - 1;
		memcpy(name, k.mv_data, n);
		name[n] = '\0';
		status = check_mailbox(&v, name, &d);
	}
	if (cur)
		mdb_cursor_close(cur);
	if (status == STORE_OK)
		status = name_blobs_of(&v, st->db_upload, upload_blob);
	if (status == STORE_OK)
		status = name_blobs_of(&v, st->db_handover, handover_blob);
	if (status == STORE_OK)
		status = st_verify_addresses(st, v.txn, report_problem, &v);
	if (status == STORE_OK)
		status = check_blobs(&v);
	if (v.txn)
		mdb_txn_abort(v.txn);
	free(v.blobs);
	*problems_r = v.problems;
	return status;
}
