/*
 * store_folder.c -- folder operations: list, get, create, rename (with
 * subfolders), delete (optionally recursive).
 */
#include "store_int.h"

#include <string.h>

typedef struct subtree {
	size_t count, cap;
	struct { uint64_t fid; size_t len; char path[STORE_PATH_MAX + 1]; } *e;
} subtree_t;

static void subtree_free(subtree_t *t)
{
	free(t->e);
	memset(t, 0, sizeof(*t));
}

/* Collects path itself (if present) and every folder below it; path ""
 * collects all folders of the mailbox. */
static int subtree_collect(store_t *st, MDB_txn *txn, uint64_t mbid,
                           const char *path, subtree_t *t_r)
{
	unsigned char kb[8 + STORE_PATH_MAX];
	size_t plen = strlen(path), n;
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	int rc, status = STORE_OK;
	void *grown;

	memset(t_r, 0, sizeof(*t_r));
	st_put_u64(kb, mbid);
	memcpy(kb + 8, path, plen);
	k.mv_data = kb;
	k.mv_size = 8 + plen;
	rc = mdb_cursor_open(txn, st->db_fpath, &cur);
	if (rc != 0) {
		status = st_err(rc, "cursor open");
		goto out;
	}
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		const char *kp = (const char *)k.mv_data + 8;
		if (k.mv_size < 8 + plen || memcmp(k.mv_data, kb, 8 + plen) != 0)
			break;
		n = k.mv_size - 8;
		if (plen > 0 && n != plen && kp[plen] != '/')
			continue;   /* e.g. "A B" after "A": not below "A" */
		if (t_r->count == t_r->cap) {
			t_r->cap = t_r->cap ? t_r->cap * 2 : 16;
			grown = realloc(t_r->e, t_r->cap * sizeof(*t_r->e));
			if (grown == NULL) {
				status = STORE_INTERNAL;
				goto out;
			}
			t_r->e = grown;
		}
		t_r->e[t_r->count].fid = st_get_u64(v.mv_data);
		t_r->e[t_r->count].len = n;
		memcpy(t_r->e[t_r->count].path, kp, n);
		t_r->e[t_r->count].path[n] = '\0';
		t_r->count++;
	}
	if (rc != 0 && rc != MDB_NOTFOUND)
		status = st_err(rc, "cursor get");
out:
	if (cur != NULL)
		mdb_cursor_close(cur);
	if (status != STORE_OK)
		subtree_free(t_r);
	return status;
}

void store_folder_list_free(store_folder_list_t **list)
{
	if (list == NULL || *list == NULL)
		return;
	free((*list)->items);
	free(*list);
	*list = NULL;
}

int store_folder_list(store_t *st, const char *mbox, uint64_t offset,
                      uint32_t limit, store_folder_list_t **list_r)
{
	store_folder_list_t *list = NULL;
	MDB_txn *txn = NULL;
	subtree_t all = { 0, 0, NULL };
	st_mbox_t mb;
	st_folder_t f;
	size_t i;
	int status;

	*list_r = NULL;
	if (limit > STORE_LIST_MAX)
		limit = STORE_LIST_MAX;
	status = st_read_begin(st, &txn);
	if (status != STORE_OK)
		goto out;
	status = st_mbox_load(st, txn, mbox, 0, &mb);
	if (status != STORE_OK)
		goto out;
	status = subtree_collect(st, txn, mb.mbid, "", &all);
	if (status != STORE_OK)
		goto out;
	list = calloc(1, sizeof(*list));
	if (list == NULL || (limit > 0 &&
	    (list->items = calloc(limit, sizeof(*list->items))) == NULL)) {
		status = STORE_INTERNAL;
		goto out;
	}
	list->total = all.count;
	for (i = 0; i < limit && offset + i < all.count; i++) {
		status = st_folder_by_id(st, txn, mb.mbid,
		                         all.e[offset + i].fid, &f);
		if (status != STORE_OK)
			goto out;
		st_folder_to_info(&f, &list->items[list->count++]);
	}
	*list_r = list;
	list = NULL;
out:
	if (txn != NULL)
		mdb_txn_abort(txn);
	subtree_free(&all);
	store_folder_list_free(&list);
	return status;
}

int store_folder_get(store_t *st, const char *mbox, const char *path,
                     store_folder_info_t *info_r)
{
	MDB_txn *txn = NULL;
	st_mbox_t mb;
	st_folder_t f;
	int status;

	memset(info_r, 0, sizeof(*info_r));
	status = st_read_begin(st, &txn);
	if (status != STORE_OK)
		goto out;
	status = st_mbox_load(st, txn, mbox, 0, &mb);
	if (status == STORE_OK)
		status = st_folder_by_path(st, txn, mb.mbid, path, &f);
	if (status == STORE_OK)
		st_folder_to_info(&f, info_r);
out:
	if (txn != NULL)
		mdb_txn_abort(txn);
	return status;
}

/* Checks that the parent of path (if any) exists. */
static int parent_exists(store_t *st, MDB_txn *txn, uint64_t mbid,
                         const char *path)
{
	char parent[STORE_PATH_MAX + 1];
	const char *slash = strrchr(path, '/');
	st_folder_t f;

	if (slash == NULL)
		return STORE_OK;
	memcpy(parent, path, (size_t)(slash - path));
	parent[slash - path] = '\0';
	return st_folder_by_path(st, txn, mbid, parent, &f);
}

struct folder_ctx {
	const char *mbox, *path, *to;
	int recursive;
};

static int create_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct folder_ctx *c = vctx;
	st_mbox_t mb;
	st_folder_t f;
	int status;

	status = st_valid_path(c->path);
	if (status == STORE_OK)
		status = st_mbox_load(st, txn, c->mbox, 0, &mb);
	if (status != STORE_OK)
		goto out;
	status = st_folder_by_path(st, txn, mb.mbid, c->path, &f);
	if (status != STORE_NOTFOUND) {
		if (status == STORE_OK)
			status = STORE_EXISTS;
		goto out;
	}
	status = parent_exists(st, txn, mb.mbid, c->path);
	if (status != STORE_OK)
		goto out;
	mb.change++;
	status = st_folder_add(st, txn, &mb, c->path, 0);
	/* A path that existed before may be reused: its syncs start over. */
	if (status == STORE_OK)
		status = st_folder_by_path(st, txn, mb.mbid, c->path, &f);
	if (status == STORE_OK)
		status = st_tomb_add(st, txn, mb.mbid, mb.change, f.id, 0);
	if (status == STORE_OK)
		status = st_mbox_save(st, txn, c->mbox, &mb);
out:
	return status;
}

int store_folder_create(store_t *st, const char *mbox, const char *path)
{
	struct folder_ctx c = { mbox, path, NULL, 0 };

	return st_write(st, create_txn, &c);
}

static int fpath_del(store_t *st, MDB_txn *txn, uint64_t mbid,
                     const char *path, size_t len)
{
	unsigned char kb[8 + STORE_PATH_MAX];
	MDB_val k = { 8 + len, kb };

	st_put_u64(kb, mbid);
	memcpy(kb + 8, path, len);
	return st_err(mdb_del(txn, st->db_fpath, &k, NULL), "fpath del");
}

static int fpath_put(store_t *st, MDB_txn *txn, uint64_t mbid,
                     const char *path, size_t len, uint64_t fid)
{
	unsigned char kb[8 + STORE_PATH_MAX], vb[8];
	MDB_val k = { 8 + len, kb }, v = { 8, vb };
	int rc;

	st_put_u64(kb, mbid);
	memcpy(kb + 8, path, len);
	st_put_u64(vb, fid);
	rc = mdb_put(txn, st->db_fpath, &k, &v, MDB_NOOVERWRITE);
	return rc == MDB_KEYEXIST ? STORE_EXISTS : st_err(rc, "fpath put");
}

static int rename_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct folder_ctx *c = vctx;
	size_t flen, tlen, i, n;
	subtree_t t = { 0, 0, NULL };
	st_mbox_t mb;
	st_folder_t f;
	int status;

	status = st_valid_path(c->path);
	if (status == STORE_OK)
		status = st_valid_path(c->to);
	if (status == STORE_OK)
		status = st_mbox_load(st, txn, c->mbox, 0, &mb);
	if (status != STORE_OK)
		goto out;
	status = st_folder_by_path(st, txn, mb.mbid, c->path, &f);
	if (status != STORE_OK)
		goto out;
	if (f.flags & ST_FOLDER_WELLKNOWN) {
		status = STORE_DENIED;
		goto out;
	}
	flen = f.pathlen;
	tlen = strlen(c->to);
	if (tlen > flen && memcmp(c->to, c->path, flen) == 0 &&
	    c->to[flen] == '/') {
		status = STORE_INVALID;   /* into itself */
		goto out;
	}
	status = st_folder_by_path(st, txn, mb.mbid, c->to, &f);
	if (status != STORE_NOTFOUND) {
		if (status == STORE_OK)
			status = STORE_EXISTS;
		goto out;
	}
	status = parent_exists(st, txn, mb.mbid, c->to);
	if (status == STORE_OK)
		status = subtree_collect(st, txn, mb.mbid, c->path, &t);
	if (status != STORE_OK)
		goto out;
	for (i = 0; i < t.count; i++) {
		if (tlen + t.e[i].len - flen > STORE_PATH_MAX) {
			status = STORE_INVALID;   /* a subfolder path too long */
			goto out;
		}
	}
	mb.change++;
	for (i = 0; i < t.count; i++) {
		status = fpath_del(st, txn, mb.mbid, t.e[i].path, t.e[i].len);
		if (status != STORE_OK)
			goto out;
	}
	for (i = 0; i < t.count; i++) {
		status = st_folder_by_id(st, txn, mb.mbid, t.e[i].fid, &f);
		if (status != STORE_OK)
			goto out;
		n = t.e[i].len - flen;   /* suffix "" or "/..." */
		memcpy(f.path, c->to, tlen);
		memcpy(f.path + tlen, t.e[i].path + flen, n);
		f.pathlen = tlen + n;
		f.path[f.pathlen] = '\0';
		f.change = mb.change;
		status = fpath_put(st, txn, mb.mbid, f.path, f.pathlen, f.id);
		if (status == STORE_OK)
			status = st_folder_save(st, txn, mb.mbid, &f);
		/* Its new path named other messages before: syncs start over. */
		if (status == STORE_OK)
			status = st_tomb_add(st, txn, mb.mbid, mb.change, f.id, 0);
		if (status != STORE_OK)
			goto out;
	}
	status = st_mbox_save(st, txn, c->mbox, &mb);
out:
	subtree_free(&t);
	return status;
}

int store_folder_rename(store_t *st, const char *mbox, const char *from,
                        const char *to)
{
	struct folder_ctx c = { mbox, from, to, 0 };

	return st_write(st, rename_txn, &c);
}

/* Permanently removes every message of folder fid (folder record is
 * about to be deleted, so its counters are not maintained). */
static int purge_folder(store_t *st, MDB_txn *txn, st_mbox_t *mb, uint64_t fid)
{
	unsigned char kb[24];
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	uint64_t *ids = NULL, *grown;
	size_t n = 0, cap = 0, i;
	int rc, status = STORE_OK;

	rc = mdb_cursor_open(txn, st->db_fidx, &cur);
	if (rc != 0) {
		status = st_err(rc, "cursor open");
		goto out;
	}
	k.mv_data = kb;
	k.mv_size = st_key3(kb, mb->mbid, fid, 0);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 24 || memcmp(k.mv_data, kb, 16) != 0)
			break;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			grown = realloc(ids, cap * sizeof(*ids));
			if (grown == NULL) {
				status = STORE_INTERNAL;
				goto out;
			}
			ids = grown;
		}
		ids[n++] = st_get_u64((const unsigned char *)k.mv_data + 16);
	}
	if (rc != 0 && rc != MDB_NOTFOUND) {
		status = st_err(rc, "cursor get");
		goto out;
	}
	mdb_cursor_close(cur);
	cur = NULL;
	for (i = 0; i < n && status == STORE_OK; i++)
		status = st_msg_remove(st, txn, mb, ids[i], 0);
out:
	if (cur != NULL)
		mdb_cursor_close(cur);
	free(ids);
	return status;
}

static int delete_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct folder_ctx *c = vctx;
	subtree_t t = { 0, 0, NULL };
	unsigned char kb[16];
	MDB_val k;
	st_mbox_t mb;
	st_folder_t f;
	size_t i;
	int status;

	status = st_valid_path(c->path);
	if (status == STORE_OK)
		status = st_mbox_load(st, txn, c->mbox, 0, &mb);
	if (status == STORE_OK)
		status = st_folder_by_path(st, txn, mb.mbid, c->path, &f);
	if (status != STORE_OK)
		goto out;
	if (f.flags & ST_FOLDER_WELLKNOWN) {
		status = STORE_DENIED;
		goto out;
	}
	status = subtree_collect(st, txn, mb.mbid, c->path, &t);
	if (status != STORE_OK)
		goto out;
	if (!c->recursive && (f.total > 0 || t.count > 1)) {
		status = STORE_NOTEMPTY;
		goto out;
	}
	mb.change++;
	for (i = 0; i < t.count; i++) {
		status = purge_folder(st, txn, &mb, t.e[i].fid);
		if (status == STORE_OK)
			status = fpath_del(st, txn, mb.mbid, t.e[i].path, t.e[i].len);
		if (status != STORE_OK)
			goto out;
		k.mv_data = kb;
		k.mv_size = st_key2(kb, mb.mbid, t.e[i].fid);
		status = st_err(mdb_del(txn, st->db_folder, &k, NULL), "folder del");
		if (status == STORE_OK)
			status = st_acl_drop_folder(st, txn, mb.mbid, t.e[i].fid);
		/* For FOLDER_SYNC: clients that know the id must drop it. */
		if (status == STORE_OK)
			status = st_tomb_add(st, txn, mb.mbid, mb.change, t.e[i].fid,
			                     ST_TOMB_FOLDER_GONE);
		if (status != STORE_OK)
			goto out;
	}
	status = st_mbox_save(st, txn, c->mbox, &mb);
out:
	subtree_free(&t);
	return status;
}

int store_folder_delete(store_t *st, const char *mbox, const char *path,
                        int recursive)
{
	struct folder_ctx c = { mbox, path, NULL, recursive };

	return st_write(st, delete_txn, &c);
}

int store_folder_create_op(store_t *st, const char *mbox, const char *path,
                           const store_opname_t *name, int *replayed_r)
{
	struct folder_ctx c = { mbox, path, NULL, 0 };

	return st_write_named(st, name, STORE_OP_FOLDER_CREATE, create_txn, &c, NULL, NULL,
	                      replayed_r);
}

int store_folder_rename_op(store_t *st, const char *mbox, const char *from, const char *to,
                           const store_opname_t *name, int *replayed_r)
{
	struct folder_ctx c = { mbox, from, to, 0 };

	return st_write_named(st, name, STORE_OP_FOLDER_RENAME, rename_txn, &c, NULL, NULL,
	                      replayed_r);
}

int store_folder_delete_op(store_t *st, const char *mbox, const char *path, int recursive,
                           const store_opname_t *name, int *replayed_r)
{
	struct folder_ctx c = { mbox, path, NULL, recursive };

	return st_write_named(st, name, STORE_OP_FOLDER_DELETE, delete_txn, &c, NULL, NULL,
	                      replayed_r);
}
