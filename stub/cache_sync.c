/*
 * cache_sync.c -- mailrpc_cache_sync: bringing the offline cache up to date
 * (see mailrpc.h).  Three steps, each safe to interrupt: the folder list;
 * per folder, SYNC's changes applied together with the new state in one
 * transaction; then the bodies the cache still lacks, fetched chunk by
 * chunk with each chunk committed, so that a cut link costs at most one
 * chunk and the next run continues from the cached length.
 */
#include <stdlib.h>
#include <string.h>

#include "cache_int.h"

/* Ids collected in a read pass, acted on afterwards (a cursor's table
 * must not change under it). */
struct idvec {
	uint64_t *v;
	size_t n;
	const char *folder;
};

static int collect_in_folder(const struct mailrpc_summary *s, void *ctx)
{
	struct idvec *ids = ctx;
	if (strcmp(s->folder, ids->folder) != 0)
		return MAILRPC_OK;
	uint64_t *grown = realloc(ids->v, (ids->n + 1) * sizeof(*grown));
	if (grown == NULL)
		return MAILRPC_E_NOMEM;
	ids->v = grown;
	ids->v[ids->n++] = s->id;
	return MAILRPC_OK;
}

/* On resync: what was kept for folder and is not in the full listing
 * goes; messages that are still there keep their cached bodies (a
 * renamed folder resyncs, and its bodies need not travel again). */
static int drop_folder(struct mailrpc_cache *c, MDB_txn *txn, const char *folder,
		       const struct mailrpc_msglist *keep, struct mailrpc_error *err)
{
	struct idvec ids = {.folder = folder};
	int status = mc_summary_each(c, txn, collect_in_folder, &ids, err);
	if (status == MAILRPC_E_NOMEM)
		status = mr_fail(err, status, "out of memory syncing");
	/* Both in id order: one merge walk. */
	size_t j = 0;
	for (size_t i = 0; status == MAILRPC_OK && i < ids.n; i++) {
		while (j < keep->count && keep->items[j].id < ids.v[i])
			j++;
		if (j == keep->count || keep->items[j].id != ids.v[i])
			status = mc_summary_drop(c, txn, ids.v[i], err);
	}
	free(ids.v);
	return status;
}

/* A message removed from folder: dropped unless it is cached under another
 * folder already (moved there, and that folder was synced first). */
static int drop_if_in(struct mailrpc_cache *c, MDB_txn *txn, uint64_t id, const char *folder,
		      struct mailrpc_error *err)
{
	struct mailrpc_summary s;
	int status = mc_summary_get(c, txn, id, &s, err);
	if (status == MAILRPC_E_NOTCACHED)
		return MAILRPC_OK;
	if (status != MAILRPC_OK)
		return status;
	int here = strcmp(s.folder, folder) == 0;
	mr_summary_clear(&s);
	return here ? mc_summary_drop(c, txn, id, err) : MAILRPC_OK;
}

/* Removed before changed (a message moved out and back in is in both),
 * and the state only with them: an interrupted sync asks again. */
static int apply_changes(struct mailrpc_cache *c, const char *folder, const struct mailrpc_sync *r,
			 struct mailrpc_cache_report *report, struct mailrpc_error *err)
{
	MDB_txn *txn;
	int status = mc_begin(c, 1, &txn, err);
	if (status != MAILRPC_OK)
		return status;
	if (r->resync)
		status = drop_folder(c, txn, folder, r->changed, err);
	for (size_t i = 0; status == MAILRPC_OK && i < r->n_removed; i++)
		status = drop_if_in(c, txn, r->removed[i], folder, err);
	for (size_t i = 0; status == MAILRPC_OK && i < r->changed->count; i++)
		status = mc_summary_put(c, txn, &r->changed->items[i], err);
	if (status == MAILRPC_OK)
		status = mc_state_put(c, txn, folder, r->state, err);
	if (status == MAILRPC_OK) {
		report->removed += r->n_removed;
		report->changed += r->changed->count;
	}
	return mc_end(txn, status, err);
}

static int sync_folder(struct mailrpc *conn, struct mailrpc_cache *c, const char *folder,
		       struct mailrpc_cache_report *report, struct mailrpc_error *err)
{
	MDB_txn *txn;
	uint64_t since;
	int found;
	int status = mc_begin(c, 0, &txn, err);
	if (status != MAILRPC_OK)
		return status;
	status = mc_state_get(c, txn, folder, &since, &found, err);
	mdb_txn_abort(txn);
	struct mailrpc_sync *r = NULL;
	if (status == MAILRPC_OK)
		status = mailrpc_sync_folder(conn, folder, since, &r, err);
	if (status == MAILRPC_OK)
		status = apply_changes(c, folder, r, report, err);
	if (status == MAILRPC_OK)
		report->folders++;
	mailrpc_sync_free(&r);
	return status;
}

/* ---- bodies ----------------------------------------------------------- */

struct want {
	uint64_t id, size, have;
	unsigned char sha256[32];
	int restart; /* what is cached is not a start of it */
};

/* Which bodies to fetch, from one read pass over the summaries. */
struct plan {
	struct mailrpc_cache *c;
	MDB_txn *txn;
	const char *const *folders;
	size_t n_folders;
	const struct mailrpc_cache_limits *limits;
	struct mailrpc_cache_report *report;
	struct mailrpc_error *err;
	struct want *w;
	size_t n;
	uint64_t total; /* bytes still to fetch */
};

static int in_folders(const struct plan *p, const char *folder)
{
	for (size_t i = 0; i < p->n_folders; i++)
		if (strcmp(p->folders[i], folder) == 0)
			return 1;
	return 0;
}

static int plan_one(const struct mailrpc_summary *s, void *ctx)
{
	struct plan *p = ctx;
	if (!in_folders(p, s->folder) || p->limits->headers_only)
		return MAILRPC_OK;
	if (p->limits->max_size && s->size > p->limits->max_size) {
		p->report->skipped++;
		return MAILRPC_OK;
	}
	uint64_t have;
	int complete;
	int status = mc_body_check(p->c, p->txn, s, &have, &complete, p->err);
	if (status != MAILRPC_OK || complete)
		return status;
	struct want *grown = realloc(p->w, (p->n + 1) * sizeof(*grown));
	if (grown == NULL)
		return mr_fail(p->err, MAILRPC_E_NOMEM, "out of memory syncing");
	p->w = grown;
	struct want *w = &p->w[p->n++];
	/* A full-length body that fails its digest is damaged: start over. */
	w->restart = have >= s->size;
	w->id = s->id;
	w->size = s->size;
	w->have = w->restart ? 0 : have;
	memcpy(w->sha256, s->sha256, sizeof(w->sha256));
	p->total += w->size - w->have;
	return MAILRPC_OK;
}

/* Runs fn(c, txn, id, err) in a write transaction of its own. */
static int in_write_txn(struct mailrpc_cache *c, uint64_t id,
			int (*fn)(struct mailrpc_cache *, MDB_txn *, uint64_t,
				  struct mailrpc_error *),
			struct mailrpc_error *err)
{
	MDB_txn *txn;
	int status = mc_begin(c, 1, &txn, err);
	return status == MAILRPC_OK ? mc_end(txn, fn(c, txn, id, err), err) : status;
}

/* Progress over all bodies of one sync. */
struct fetch_state {
	const struct mailrpc_cache_limits *limits;
	struct mailrpc_cache_report *report;
	uint64_t done, total;
	unsigned char *buf;
};

/* One chunk at offset into the cache, committed on its own. */
static int fetch_chunk(struct mailrpc *conn, struct mailrpc_cache *c, const struct want *w,
		       uint64_t offset, struct fetch_state *fs, size_t *got_r,
		       struct mailrpc_error *err)
{
	uint64_t size;
	unsigned char sha256[32];
	int status = mailrpc_fetch(conn, w->id, offset, fs->buf, MAILRPC_SEALED_CHUNK_MAX, got_r,
				   &size, sha256, err);
	if (status != MAILRPC_OK)
		return status;
	if (size != w->size || memcmp(sha256, w->sha256, sizeof(sha256)) != 0)
		return mr_fail(err, MAILRPC_E_RPC,
			       "the server described message %llu differently "
			       "from its summary",
			       (unsigned long long)w->id);
	if (*got_r == 0)
		return mr_fail(err, MAILRPC_E_RPC, "server sent no data at offset %llu of %llu",
			       (unsigned long long)offset, (unsigned long long)size);
	MDB_txn *txn;
	if ((status = mc_begin(c, 1, &txn, err)) != MAILRPC_OK)
		return status;
	status = mc_body_append(c, txn, w->id, offset, fs->buf, *got_r, err);
	return mc_end(txn, status, err);
}

/* The rest of one body, then its SHA-256 check over everything cached. */
static int fetch_body(struct mailrpc *conn, struct mailrpc_cache *c, const struct want *w,
		      struct fetch_state *fs, struct mailrpc_error *err)
{
	int status = w->restart ? in_write_txn(c, w->id, mc_body_drop, err) : MAILRPC_OK;
	uint64_t offset = w->have;
	/* Every chunk brings data (checked), so this ends with the message. */
	while (status == MAILRPC_OK && offset < w->size) {
		size_t got = 0;
		status = fetch_chunk(conn, c, w, offset, fs, &got, err);
		offset += got;
		fs->done += got;
		fs->report->body_bytes += got;
		if (fs->limits->progress)
			fs->limits->progress(fs->done, fs->total, fs->limits->ctx);
	}
	if (status == MAILRPC_E_NOMESSAGE)
		return MAILRPC_OK; /* gone since the sync: the next one drops it */
	if (status != MAILRPC_OK)
		return status;
	struct mailrpc_summary s = {.id = w->id, .size = w->size};
	memcpy(s.sha256, w->sha256, sizeof(s.sha256));
	MDB_txn *txn;
	int complete = 0;
	uint64_t have;
	if ((status = mc_begin(c, 0, &txn, err)) != MAILRPC_OK)
		return status;
	status = mc_body_check(c, txn, &s, &have, &complete, err);
	mdb_txn_abort(txn);
	if (status == MAILRPC_OK && !complete) {
		in_write_txn(c, w->id, mc_body_drop, NULL);
		return mr_fail(err, MAILRPC_E_CORRUPT,
			       "message %llu does not match the server's "
			       "SHA-256",
			       (unsigned long long)w->id);
	}
	fs->report->bodies += status == MAILRPC_OK;
	return status;
}

static int fetch_bodies(struct mailrpc *conn, struct mailrpc_cache *c, struct plan *p,
			struct mailrpc_error *err)
{
	int status = mc_begin(c, 0, &p->txn, err);
	if (status != MAILRPC_OK)
		return status;
	status = mc_summary_each(c, p->txn, plan_one, p, err);
	mdb_txn_abort(p->txn);
	struct fetch_state fs = {.limits = p->limits,
				 .report = p->report,
				 .total = p->total,
				 .buf = malloc(MAILRPC_SEALED_CHUNK_MAX)};
	if (status == MAILRPC_OK && fs.buf == NULL)
		status = mr_fail(err, MAILRPC_E_NOMEM, "out of memory syncing");
	for (size_t i = 0; status == MAILRPC_OK && i < p->n; i++)
		status = fetch_body(conn, c, &p->w[i], &fs, err);
	free(fs.buf);
	free(p->w);
	return status;
}

/* ---- the whole sync --------------------------------------------------- */

/* Every folder's path, when the caller named none. */
static const char **all_paths(const struct mailrpc_folder *f, size_t n)
{
	const char **paths = calloc(n + 1, sizeof(*paths));
	for (size_t i = 0; paths != NULL && i < n; i++)
		paths[i] = f[i].path;
	return paths;
}

int mailrpc_cache_sync(struct mailrpc *conn, struct mailrpc_cache *cache,
		       const char *const *folders, size_t n,
		       const struct mailrpc_cache_limits *limits,
		       struct mailrpc_cache_report *report_r, struct mailrpc_error *err)
{
	static const struct mailrpc_cache_limits everything;
	struct mailrpc_cache_report report;
	memset(&report, 0, sizeof(report));
	if (report_r)
		*report_r = report;
	if (conn == NULL || cache == NULL || (n > 0 && folders == NULL))
		return mr_fail(err, MAILRPC_E_USAGE, "mailrpc_cache_sync: no connection or cache");
	struct mailrpc_folder *f = NULL;
	size_t nf = 0;
	const char **paths = NULL;
	const struct mailrpc_cache_limits *lim = limits ? limits : &everything;
	/* Offline changes first, so what comes down already has them. */
	int status = mailrpc_cache_replay(conn, cache, lim->replayed, lim->replay_ctx, &report, err);
	if (status == MAILRPC_OK)
		status = mc_hierarchy_sync(conn, cache, report.replayed + report.dropped > 0, &f,
					   &nf, &report, err);
	if (status == MAILRPC_OK && n == 0) {
		if ((paths = all_paths(f, nf)) == NULL)
			status = mr_fail(err, MAILRPC_E_NOMEM, "out of memory syncing");
		folders = paths;
		n = nf;
	}
	for (size_t i = 0; status == MAILRPC_OK && i < n; i++) {
		status = sync_folder(conn, cache, folders[i], &report, err);
		/* "Everything" means everything readable: a delegate may see
		 * folders it cannot read, and a folder may go meanwhile. */
		if (paths && (status == MAILRPC_E_DENIED || status == MAILRPC_E_NOFOLDER))
			status = MAILRPC_OK;
	}
	struct plan p = {.c = cache,
			 .folders = folders,
			 .n_folders = n,
			 .limits = limits ? limits : &everything,
			 .report = &report,
			 .err = err};
	if (status == MAILRPC_OK)
		status = fetch_bodies(conn, cache, &p, err);
	free(paths);
	free(f);
	if (report_r)
		*report_r = report;
	return status;
}
