/*
 * store_dump.c -- a mailbox walked in one read transaction (see
 * store_dump.h): counts first, so the head can say what follows, then
 * folders (fpath order), ACL entries, and messages (msg order, i.e. by id)
 * with their bodies.
 */
#include "store_dump.h"
#include "store_int.h"

#include <string.h>

struct walk {
	store_t *st;
	MDB_txn *txn;
	uint64_t mbid;
	const store_dump_visitor_t *v;
	void *ctx;
};

/* Calls fn for every record of dbi whose key starts with the mailbox id;
 * fn returns STORE_OK to go on. */
static int each_of_mailbox(const struct walk *w, MDB_dbi dbi,
			   int (*fn)(const struct walk *w, const MDB_val *k, const MDB_val *v,
				     void *arg),
			   void *arg)
{
	unsigned char prefix[8];
	MDB_cursor *cur = NULL;
	MDB_val k = {sizeof(prefix), prefix}, v;
	int status = STORE_OK, rc;

	st_put_u64(prefix, w->mbid);
	rc = mdb_cursor_open(w->txn, dbi, &cur);
	if (rc != 0)
		return st_err(rc, "dump cursor");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0 && status == STORE_OK;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size < sizeof(prefix) || memcmp(k.mv_data, prefix, sizeof(prefix)) != 0)
			break;
		status = fn(w, &k, &v, arg);
	}
	mdb_cursor_close(cur);
	if (status == STORE_OK && rc != 0 && rc != MDB_NOTFOUND)
		status = st_err(rc, "dump walk");
	return status;
}

static int count_one(const struct walk *w, const MDB_val *k, const MDB_val *v, void *arg)
{
	(void)w, (void)k, (void)v;
	(*(uint64_t *)arg)++;
	return STORE_OK;
}

/* fpath: mbid || path -> folder id */
static int visit_folder(const struct walk *w, const MDB_val *k, const MDB_val *v, void *arg)
{
	char path[STORE_PATH_MAX + 1];
	size_t n = k->mv_size - 8;
	(void)v, (void)arg;
	if (k->mv_size < 8 || n > STORE_PATH_MAX)
		return st_corrupt("fpath", k, "folder path key of %zu bytes", k->mv_size);
	memcpy(path, (const char *)k->mv_data + 8, n);
	path[n] = '\0';
	return w->v->folder(w->ctx, path);
}

static int visit_chunk(const unsigned char *p, size_t len, void *arg)
{
	const struct walk *w = arg;
	return w->v->body(w->ctx, p, len);
}

/* msg: mbid || id -> record */
static int visit_message(const struct walk *w, const MDB_val *k, const MDB_val *v, void *arg)
{
	st_msg_t *m = arg;
	st_folder_t f;
	int status = st_msg_decode(v, m);
	if (status != STORE_OK)
		return status;
	if (st_folder_by_id(w->st, w->txn, w->mbid, m->folder_id, &f) != STORE_OK) {
		fprintf(stderr,
			"store: dump: message %llu is in folder id %llu, which is missing\n",
			(unsigned long long)st_get_u64((const unsigned char *)k->mv_data + 8),
			(unsigned long long)m->folder_id);
		return STORE_INTERNAL;
	}
	store_dump_msg_t out = {
	    .id = st_get_u64((const unsigned char *)k->mv_data + 8),
	    .flags = m->flags,
	    .received = m->received,
	    .size = m->size,
	    .folder = f.path,
	};
	memcpy(out.sha256, m->sha256, sizeof(out.sha256));
	status = w->v->message(w->ctx, &out);
	if (status == STORE_OK)
		status = st_blob_each(w->st, w->txn, m->blob_id, m->size, visit_chunk, (void *)w);
	return status;
}

static int walk_mailbox(struct walk *w, const st_mbox_t *mb)
{
	store_dump_head_t h = {
	    .next_id = mb->next_msg_id,
	    .quota = mb->quota,
	    .disabled = (mb->flags & ST_MBOX_DISABLED) != 0,
	};
	store_acl_t acl = {0};
	st_msg_t *m = malloc(sizeof(*m)); /* ~6 KiB: not on the stack */
	int status = m != NULL ? STORE_OK : STORE_INTERNAL;

	if (status == STORE_OK)
		status = each_of_mailbox(w, w->st->db_fpath, count_one, &h.folders);
	if (status == STORE_OK)
		status = each_of_mailbox(w, w->st->db_msg, count_one, &h.messages);
	if (status == STORE_OK)
		status = st_acl_collect(w->st, w->txn, w->mbid, &acl);
	h.acls = acl.count;
	if (status == STORE_OK)
		status = w->v->head(w->ctx, &h);
	if (status == STORE_OK)
		status = each_of_mailbox(w, w->st->db_fpath, visit_folder, NULL);
	for (size_t i = 0; status == STORE_OK && i < acl.count; i++)
		status = w->v->acl(w->ctx, &acl.items[i]);
	if (status == STORE_OK)
		status = each_of_mailbox(w, w->st->db_msg, visit_message, m);
	free(acl.items);
	free(m);
	return status;
}

int store_dump(store_t *st, const char *mbox, const store_dump_visitor_t *v, void *ctx)
{
	struct walk w = {.st = st, .v = v, .ctx = ctx};
	st_mbox_t mb;
	int status = st_read_begin(st, &w.txn);
	if (status == STORE_OK)
		status = st_mbox_load(st, w.txn, mbox, 1, &mb);
	if (status == STORE_OK) {
		w.mbid = mb.mbid;
		status = walk_mailbox(&w, &mb);
	}
	if (w.txn != NULL)
		mdb_txn_abort(w.txn);
	return status;
}
