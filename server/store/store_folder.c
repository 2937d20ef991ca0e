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
	return store_folder_list_as(st, NULL, mbox, offset, limit, list_r);
}

int store_folder_list_as(store_t *st, const store_call_t *call, const char *mbox,
                         uint64_t offset, uint32_t limit, store_folder_list_t **list_r)
{
	store_folder_list_t *list = NULL;
	MDB_txn *txn = NULL;
	subtree_t all = { 0, 0, NULL };
	st_mbox_t mb;
	st_folder_t f;
	size_t i;
	int status, seen;

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
	/* total and offset count only what the caller may see. */
	for (i = 0; i < all.count && status == STORE_OK; i++) {
		status = st_folder_by_id(st, txn, mb.mbid, all.e[i].fid, &f);
		st_target_t at = { mbox, mb.mbid, &f, 0, 0 };
		if (status == STORE_OK)
			status = st_visible(st, txn, call, &at, &seen);
		if (status != STORE_OK || !seen)
			continue;
		if (list->total >= offset && list->count < limit)
			st_folder_to_info(&f, &list->items[list->count++]);
		list->total++;
	}
	if (status != STORE_OK)
		goto out;
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
	return store_folder_get_as(st, NULL, mbox, path, STORE_ACT_LOOKUP, info_r, NULL);
}

int store_folder_get_as(store_t *st, const store_call_t *call, const char *mbox,
                        const char *path, int action, store_folder_info_t *info_r,
                        uint64_t *next_id_r)
{
	MDB_txn *txn = NULL;
	st_mbox_t mb;
	st_folder_t f;
	int status;

	memset(info_r, 0, sizeof(*info_r));
	if (next_id_r != NULL)
		*next_id_r = 0;
	status = st_read_begin(st, &txn);
	if (status != STORE_OK)
		goto out;
	status = st_mbox_load(st, txn, mbox, 0, &mb);
	memset(&f, 0, sizeof(f));
	/* Only a caller may ask about the root (its rights there). */
	if (status == STORE_OK && (path[0] != '\0' || call == NULL))
		status = st_folder_by_path(st, txn, mb.mbid, path, &f);
	st_target_t at = { mbox, mb.mbid, path[0] ? &f : NULL, 0, 0 };
	if (status == STORE_OK)
		status = st_touch(st, txn, call, action, 1, &at);
	if (status == STORE_OK)
		st_folder_to_info(&f, info_r);
	if (status == STORE_OK && next_id_r != NULL)
		*next_id_r = mb.next_msg_id;
out:
	if (txn != NULL)
		mdb_txn_abort(txn);
	return status;
}

struct folder_ctx {
	const store_call_t *call;   /* NULL: trusted */
	const char *mbox, *path, *to;
	int recursive;
};

/* Asks the guard about action on folder f (NULL: the root) of c's mailbox. */
static int touch(store_t *st, MDB_txn *txn, const struct folder_ctx *c, const st_mbox_t *mb,
                 int action, int named, const st_folder_t *f)
{
	st_target_t at = { c->mbox, mb->mbid, f, 0, 0 };

	return st_touch(st, txn, c->call, action, named, &at);
}

/* The parent of path (if any) exists, and the caller may make folders in
 * it (or in the root). */
static int parent_allows(store_t *st, MDB_txn *txn, const struct folder_ctx *c,
                         const st_mbox_t *mb, const char *path)
{
	char parent[STORE_PATH_MAX + 1];
	const char *slash = strrchr(path, '/');
	st_folder_t f;
	int status;

	if (slash == NULL)
		return touch(st, txn, c, mb, STORE_ACT_CREATE, 1, NULL);
	memcpy(parent, path, (size_t)(slash - path));
	parent[slash - path] = '\0';
	status = st_folder_by_path(st, txn, mb->mbid, parent, &f);
	if (status == STORE_OK)
		status = touch(st, txn, c, mb, STORE_ACT_CREATE, 1, &f);
	return status;
}

/* Whether path is free for a new folder: EXISTS for a folder the caller
 * may see there, what the guard says for one it may not. */
static int path_free(store_t *st, MDB_txn *txn, const struct folder_ctx *c, const st_mbox_t *mb,
                     const char *path)
{
	st_folder_t f;
	int status = st_folder_by_path(st, txn, mb->mbid, path, &f);

	if (status == STORE_NOTFOUND)
		return STORE_OK;
	if (status == STORE_OK)
		status = touch(st, txn, c, mb, STORE_ACT_TAKEN, 0, &f);
	return status == STORE_OK ? STORE_EXISTS : status;
}

static int create_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct folder_ctx *c = vctx;
	st_mbox_t mb;
	st_folder_t f;
	int status;

	status = st_valid_path(c->path);
	if (status == STORE_OK)
		status = st_mbox_load(st, txn, c->mbox, 0, &mb);
	if (status == STORE_OK)
		status = parent_allows(st, txn, c, &mb, c->path);
	if (status == STORE_OK)
		status = path_free(st, txn, c, &mb, c->path);
	if (status == STORE_OK)
		status = st_policy_room(st, txn, c->call, STORE_POLICY_MAX_FOLDERS, mb.folders);
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
	store_result_t res;

	return store_folder_create_as(st, NULL, mbox, path, &res);
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
	if (status == STORE_OK)
		status = touch(st, txn, c, &mb, STORE_ACT_RENAME, 1, &f);
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
	status = parent_allows(st, txn, c, &mb, c->to);
	if (status == STORE_OK)
		status = path_free(st, txn, c, &mb, c->to);
	if (status == STORE_OK)
		status = subtree_collect(st, txn, mb.mbid, c->path, &t);
	if (status != STORE_OK)
		goto out;
	/* Every folder it moves, the first being f itself. */
	for (i = 1; i < t.count && status == STORE_OK; i++) {
		status = st_folder_by_id(st, txn, mb.mbid, t.e[i].fid, &f);
		if (status == STORE_OK)
			status = touch(st, txn, c, &mb, STORE_ACT_RENAME, 0, &f);
	}
	for (i = 0; i < t.count && status == STORE_OK; i++) {
		if (tlen + t.e[i].len - flen > STORE_PATH_MAX)
			status = STORE_INVALID;   /* a subfolder path too long */
	}
	if (status != STORE_OK)
		goto out;
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
	store_result_t res;

	return store_folder_rename_as(st, NULL, mbox, from, to, &res);
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

/* The folders below the one deleted (t's first): each must go too when
 * recursive; otherwise any is NOTEMPTY, but only if the caller may see it
 * (a folder it cannot see must not show through). */
static int subfolders_allow(store_t *st, MDB_txn *txn, const struct folder_ctx *c,
                            const st_mbox_t *mb, const subtree_t *t)
{
	int action = c->recursive ? STORE_ACT_DELETE : STORE_ACT_CHILD;
	int refused = STORE_OK, status;
	st_folder_t f;

	for (size_t i = 1; i < t->count; i++) {
		status = st_folder_by_id(st, txn, mb->mbid, t->e[i].fid, &f);
		if (status == STORE_OK)
			status = touch(st, txn, c, mb, action, 0, &f);
		if (status == STORE_OK && !c->recursive)
			return STORE_NOTEMPTY;
		/* Not recursive, a folder the guard hides may come before one
		 * the caller sees, which says NOTEMPTY. */
		int hidden = status == STORE_FORBIDDEN || status == STORE_NOTFOUND;
		if (status != STORE_OK && (c->recursive || !hidden))
			return status;
		if (refused == STORE_OK)
			refused = status;
	}
	return refused;
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
	if (status == STORE_OK)
		status = touch(st, txn, c, &mb, STORE_ACT_DELETE, 1, &f);
	if (status != STORE_OK)
		goto out;
	if (f.flags & ST_FOLDER_WELLKNOWN) {
		status = STORE_DENIED;
		goto out;
	}
	status = subtree_collect(st, txn, mb.mbid, c->path, &t);
	if (status == STORE_OK && !c->recursive && f.total > 0)
		status = STORE_NOTEMPTY;
	if (status == STORE_OK)
		status = subfolders_allow(st, txn, c, &mb, &t);
	if (status != STORE_OK)
		goto out;
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
			status = st_acl_drop_folder(st, txn, &mb, t.e[i].fid);
		/* For FOLDER_SYNC: clients that know the id must drop it. */
		if (status == STORE_OK)
			status = st_tomb_add(st, txn, mb.mbid, mb.change, t.e[i].fid,
			                     ST_TOMB_FOLDER_GONE);
		if (status != STORE_OK)
			goto out;
		mb.folders = st_less(mb.folders, 1);
	}
	status = st_mbox_save(st, txn, c->mbox, &mb);
out:
	subtree_free(&t);
	return status;
}

int store_folder_delete(store_t *st, const char *mbox, const char *path,
                        int recursive)
{
	store_result_t res;

	return store_folder_delete_as(st, NULL, mbox, path, recursive, &res);
}

int store_folder_create_as(store_t *st, const store_call_t *call, const char *mbox,
                           const char *path, store_result_t *res_r)
{
	struct folder_ctx c = { call, mbox, path, NULL, 0 };

	return st_run(st, call, STORE_OP_FOLDER_CREATE, NULL, create_txn, &c, res_r);
}

int store_folder_rename_as(store_t *st, const store_call_t *call, const char *mbox,
                           const char *from, const char *to, store_result_t *res_r)
{
	struct folder_ctx c = { call, mbox, from, to, 0 };

	return st_run(st, call, STORE_OP_FOLDER_RENAME, NULL, rename_txn, &c, res_r);
}

int store_folder_delete_as(store_t *st, const store_call_t *call, const char *mbox,
                           const char *path, int recursive, store_result_t *res_r)
{
	struct folder_ctx c = { call, mbox, path, NULL, recursive };

	return st_run(st, call, STORE_OP_FOLDER_DELETE, NULL, delete_txn, &c, res_r);
}
