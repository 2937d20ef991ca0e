/*
 * cache_folders.c -- keeping the offline cache's folder list current with
 * FOLDER_SYNC (mailrpc_folder_sync): new folders appear, a renamed folder
 * takes its messages and sync state to its new path (matched by folder
 * id, so swapped names stay apart), and a deleted folder goes with its
 * messages, bodies and state.  The list, the ids and the hierarchy state
 * change together in one transaction, so an interrupted sync asks again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache_int.h"

#define KEY_FOLDER_IDS "folder_ids"
#define KEY_HSTATE "hierarchy_state"

struct flist {
	struct mailrpc_folder *f;
	uint64_t *id; /* 0: not known (a cache from before folder ids) */
	size_t n;
};

static void flist_free(struct flist *l)
{
	free(l->f);
	free(l->id);
	memset(l, 0, sizeof(*l));
}

static int no_memory(struct mailrpc_error *err)
{
	return mr_fail(err, MAILRPC_E_NOMEM, "out of memory syncing folders");
}

static int meta_get(struct mailrpc_cache *c, MDB_txn *txn, const char *key, MDB_val *v,
		    struct mailrpc_error *err)
{
	MDB_val k = {strlen(key), (void *)key};
	int rc = mdb_get(txn, c->meta, &k, v);
	if (rc == MDB_NOTFOUND)
		v->mv_size = 0, v->mv_data = NULL;
	return rc == 0 || rc == MDB_NOTFOUND ? MAILRPC_OK
					     : mc_fail(err, rc, "read the folder list");
}

static int meta_put(struct mailrpc_cache *c, MDB_txn *txn, const char *key, const void *p,
		    size_t len, struct mailrpc_error *err)
{
	MDB_val k = {strlen(key), (void *)key}, v = {len, (void *)p};
	int rc = mdb_put(txn, c->meta, &k, &v, 0);
	return rc == 0 ? MAILRPC_OK : mc_fail(err, rc, "store the folder list");
}

/* The cached list with its ids, and the hierarchy state (0 unless the ids
 * are all known). */
static int load_list(struct mailrpc_cache *c, MDB_txn *txn, struct flist *l, uint64_t *state_r,
		     struct mailrpc_error *err)
{
	MDB_val fv, iv, sv;
	*state_r = 0;
	int status = meta_get(c, txn, "folders", &fv, err);
	if (status == MAILRPC_OK)
		status = meta_get(c, txn, KEY_FOLDER_IDS, &iv, err);
	if (status == MAILRPC_OK)
		status = meta_get(c, txn, KEY_HSTATE, &sv, err);
	if (status != MAILRPC_OK)
		return status;
	l->n = fv.mv_size / sizeof(*l->f);
	l->f = malloc(fv.mv_size + sizeof(*l->f));
	l->id = calloc(l->n + 1, sizeof(*l->id));
	if (l->f == NULL || l->id == NULL)
		return no_memory(err);
	if (l->n > 0) /* mv_data may be NULL when absent */
		memcpy(l->f, fv.mv_data, l->n * sizeof(*l->f));
	if (l->n > 0 && iv.mv_size == l->n * sizeof(*l->id) && sv.mv_size == sizeof(*state_r)) {
		memcpy(l->id, iv.mv_data, iv.mv_size);
		memcpy(state_r, sv.mv_data, sizeof(*state_r));
	}
	return MAILRPC_OK;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct mailrpc_folder_change *)a)->folder.path,
		      ((const struct mailrpc_folder_change *)b)->folder.path);
}

/* Index in l of folder id (or, with id unknown there, of path); -1 if none. */
static long find(const struct flist *l, uint64_t id, const char *path)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->id[i] == id || (l->id[i] == 0 && strcmp(l->f[i].path, path) == 0))
			return (long)i;
	return -1;
}

/* The new list: the old one with r applied (r alone when complete), in
 * path order like the server's FOLDER_LIST. */
static int merge(const struct flist *old, const struct mailrpc_folder_sync *r,
		 struct mailrpc_folder_change **out_r, size_t *n_r, struct mailrpc_error *err)
{
	struct mailrpc_folder_change *out = calloc(old->n + r->n_folders + 1, sizeof(*out));
	size_t n = 0;
	if (out == NULL)
		return no_memory(err);
	for (size_t i = 0; !r->complete && i < old->n; i++) {
		int deleted = 0;
		for (size_t j = 0; j < r->n_deleted; j++)
			deleted |= r->deleted[j] == old->id[i];
		if (!deleted)
			out[n].id = old->id[i], out[n++].folder = old->f[i];
	}
	for (size_t j = 0; j < r->n_folders; j++) {
		size_t i = 0;
		while (i < n && out[i].id != r->folders[j].id)
			i++;
		out[i] = r->folders[j];
		n += i == n;
	}
	qsort(out, n, sizeof(*out), by_path);
	*out_r = out;
	*n_r = n;
	return MAILRPC_OK;
}

/* Where each old folder's messages go: its new path, or "" (gone). */
struct move {
	const char *from;
	char to[256];
};

static int plan_moves(const struct flist *old, const struct mailrpc_folder_change *nf, size_t n,
		      struct move **moves_r, size_t *n_r, struct mailrpc_cache_report *report,
		      struct mailrpc_error *err)
{
	struct move *m = calloc(old->n + 1, sizeof(*m));
	size_t k = 0;
	if (m == NULL)
		return no_memory(err);
	for (size_t i = 0; i < old->n; i++) {
		long at = -1;
		for (size_t j = 0; j < n && at < 0; j++) {
			if (old->id[i] ? nf[j].id == old->id[i]
				       : strcmp(nf[j].folder.path, old->f[i].path) == 0)
				at = (long)j;
		}
		const char *to = at < 0 ? "" : nf[at].folder.path;
		if (strcmp(to, old->f[i].path) == 0)
			continue;
		m[k].from = old->f[i].path;
		snprintf(m[k++].to, sizeof(m->to), "%s", to);
		if (to[0])
			report->folders_renamed++;
		else
			report->folders_deleted++;
	}
	for (size_t j = 0; j < n; j++)
		report->folders_new += find(old, nf[j].id, nf[j].folder.path) < 0;
	*moves_r = m;
	*n_r = k;
	return MAILRPC_OK;
}

static const struct move *move_of(const struct move *m, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].from, path) == 0)
			return &m[i];
	return NULL;
}

/* Ids of summaries in moved folders, from one read pass. */
struct moved_ids {
	const struct move *m;
	size_t n_m;
	uint64_t *id;
	const struct move **to;
	size_t n;
};

static int collect(const struct mailrpc_summary *s, void *ctx)
{
	struct moved_ids *v = ctx;
	const struct move *mv = move_of(v->m, v->n_m, s->folder);
	if (mv == NULL)
		return MAILRPC_OK;
	uint64_t *id = realloc(v->id, (v->n + 1) * sizeof(*id));
	if (id != NULL)
		v->id = id;
	const struct move **to = realloc(v->to, (v->n + 1) * sizeof(*to));
	if (to != NULL)
		v->to = to;
	if (id == NULL || to == NULL)
		return MAILRPC_E_NOMEM;
	v->id[v->n] = s->id;
	v->to[v->n++] = mv;
	return MAILRPC_OK;
}

/* A renamed folder's summaries follow it; a deleted one's go with bodies. */
static int move_summaries(struct mailrpc_cache *c, MDB_txn *txn, const struct move *m, size_t n,
			  struct mailrpc_cache_report *report, struct mailrpc_error *err)
{
	struct moved_ids v = {m, n, NULL, NULL, 0};
	int status = n ? mc_summary_each(c, txn, collect, &v, err) : MAILRPC_OK;
	if (status == MAILRPC_E_NOMEM)
		status = no_memory(err);
	for (size_t i = 0; status == MAILRPC_OK && i < v.n; i++) {
		if (v.to[i]->to[0] == '\0') {
			status = mc_summary_drop(c, txn, v.id[i], err);
			report->removed++;
			continue;
		}
		struct mailrpc_summary s;
		status = mc_summary_get(c, txn, v.id[i], &s, err);
		if (status != MAILRPC_OK)
			break;
		snprintf(s.folder, sizeof(s.folder), "%s", v.to[i]->to);
		status = mc_summary_put(c, txn, &s, err);
		mr_summary_clear(&s);
	}
	free(v.id);
	free(v.to);
	return status;
}

/* Sync states follow their folders too (all read first: names may swap). */
static int move_states(struct mailrpc_cache *c, MDB_txn *txn, const struct move *m, size_t n,
		       struct mailrpc_error *err)
{
	uint64_t *st = calloc(n + 1, sizeof(*st));
	int *found = calloc(n + 1, sizeof(*found));
	int status = st && found ? MAILRPC_OK : no_memory(err);
	for (size_t i = 0; status == MAILRPC_OK && i < n; i++)
		status = mc_state_get(c, txn, m[i].from, &st[i], &found[i], err);
	for (size_t i = 0; status == MAILRPC_OK && i < n; i++) {
		MDB_val k = {strlen(m[i].from), (void *)m[i].from};
		int rc = found[i] ? mdb_del(txn, c->state, &k, NULL) : 0;
		if (rc != 0 && rc != MDB_NOTFOUND)
			status = mc_fail(err, rc, "drop a sync state");
	}
	for (size_t i = 0; status == MAILRPC_OK && i < n; i++)
		if (found[i] && m[i].to[0])
			status = mc_state_put(c, txn, m[i].to, st[i], err);
	free(st);
	free(found);
	return status;
}

static int save_list(struct mailrpc_cache *c, MDB_txn *txn, const struct mailrpc_folder_change *nf,
		     size_t n, uint64_t state, struct mailrpc_error *err)
{
	struct mailrpc_folder *f = calloc(n + 1, sizeof(*f));
	uint64_t *id = calloc(n + 1, sizeof(*id));
	int status = f && id ? MAILRPC_OK : no_memory(err);
	for (size_t i = 0; i < n && status == MAILRPC_OK; i++)
		f[i] = nf[i].folder, id[i] = nf[i].id;
	if (status == MAILRPC_OK)
		status = mc_folders_put(c, txn, f, n, err);
	if (status == MAILRPC_OK)
		status = meta_put(c, txn, KEY_FOLDER_IDS, id, n * sizeof(*id), err);
	if (status == MAILRPC_OK)
		status = meta_put(c, txn, KEY_HSTATE, &state, sizeof(state), err);
	free(f);
	free(id);
	return status;
}

static int apply(struct mailrpc_cache *c, MDB_txn *txn, const struct flist *old,
		 const struct mailrpc_folder_sync *r, struct mailrpc_folder **list_r, size_t *n_r,
		 struct mailrpc_cache_report *report, struct mailrpc_error *err)
{
	struct mailrpc_folder_change *nf = NULL;
	struct move *m = NULL;
	size_t n = 0, n_m = 0;
	int status = merge(old, r, &nf, &n, err);
	if (status == MAILRPC_OK)
		status = plan_moves(old, nf, n, &m, &n_m, report, err);
	if (status == MAILRPC_OK)
		status = move_summaries(c, txn, m, n_m, report, err);
	if (status == MAILRPC_OK)
		status = move_states(c, txn, m, n_m, err);
	if (status == MAILRPC_OK)
		status = save_list(c, txn, nf, n, r->state, err);
	if (status == MAILRPC_OK && (*list_r = calloc(n + 1, sizeof(**list_r))) == NULL)
		status = no_memory(err);
	for (size_t i = 0; status == MAILRPC_OK && i < n; i++)
		(*list_r)[i] = nf[i].folder;
	*n_r = status == MAILRPC_OK ? n : 0;
	free(nf);
	free(m);
	return status;
}

int mc_hierarchy_sync(struct mailrpc *conn, struct mailrpc_cache *c, int whole,
		      struct mailrpc_folder **list_r, size_t *n_r,
		      struct mailrpc_cache_report *report, struct mailrpc_error *err)
{
	struct flist old = {NULL, NULL, 0};
	struct mailrpc_folder_sync *r = NULL;
	uint64_t since = 0;
	MDB_txn *txn;
	*list_r = NULL;
	*n_r = 0;
	int status = mc_begin(c, 0, &txn, err);
	if (status != MAILRPC_OK)
		return status;
	status = load_list(c, txn, &old, &since, err);
	mdb_txn_abort(txn);
	/* Counts changed offline are only right again once listed whole. */
	if (whole)
		since = 0;
	if (status == MAILRPC_OK)
		status = mailrpc_folder_sync(conn, since, &r, err);
	if (status == MAILRPC_OK && r->complete && since != 0)
		report->folders_resync = 1;
	if (status == MAILRPC_OK && (status = mc_begin(c, 1, &txn, err)) == MAILRPC_OK)
		status = mc_end(txn, apply(c, txn, &old, r, list_r, n_r, report, err), err);
	if (status != MAILRPC_OK) {
		free(*list_r);
		*list_r = NULL;
		*n_r = 0;
	}
	mailrpc_folder_sync_free(&r);
	flist_free(&old);
	return status;
}

/* ---- counts changed offline ---------------------------------------------- */

int mc_folder_count(struct mailrpc_cache *c, MDB_txn *txn, const char *folder, int64_t total,
		    int64_t unread, int64_t size, struct mailrpc_error *err)
{
	MDB_val v;
	int status = meta_get(c, txn, "folders", &v, err);
	size_t n = v.mv_size / sizeof(struct mailrpc_folder);
	if (status != MAILRPC_OK || n == 0)
		return status;
	struct mailrpc_folder *f = malloc(v.mv_size);
	if (f == NULL)
		return no_memory(err);
	memcpy(f, v.mv_data, v.mv_size);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(f[i].path, folder) != 0)
			continue;
		/* Never below 0, whatever the cache believed before. */
		f[i].total = (int64_t)f[i].total + total < 0 ? 0 : f[i].total + (uint64_t)total;
		f[i].unread =
		    (int64_t)f[i].unread + unread < 0 ? 0 : f[i].unread + (uint64_t)unread;
		f[i].size = (int64_t)f[i].size + size < 0 ? 0 : f[i].size + (uint64_t)size;
	}
	status = mc_folders_put(c, txn, f, n, err);
	free(f);
	return status;
}

int mc_folder_known(struct mailrpc_cache *c, const char *folder, struct mailrpc_error *err)
{
	struct mailrpc_folder *f = NULL;
	size_t n = 0;
	int status = mailrpc_cache_folders(c, &f, &n, err);
	int found = 0;
	for (size_t i = 0; status == MAILRPC_OK && i < n; i++)
		found |= strcmp(f[i].path, folder) == 0;
	free(f);
	if (status == MAILRPC_OK && !found)
		status = mr_fail(err, MAILRPC_E_NOFOLDER, "no such folder: %s", folder);
	return status;
}
