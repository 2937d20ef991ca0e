/*
 * store_env.c -- LMDB environment: open/close, reader check, map growth,
 * transaction helpers and status strings.
 *
 * Map size: starts at store_options.map_size (default 1 GiB), or the
 * environment's recorded size if larger.  A write that hits MDB_MAP_FULL
 * is aborted, the map is doubled and the whole write is re-run.  A begin
 * that sees MDB_MAP_RESIZED (another process grew the map) adopts the
 * recorded size with mdb_env_set_mapsize(env, 0) and retries.
 *
 * Durability, with commits grouped across processes: LMDB's default commit
 * makes two synchronous writes while it holds the writer lock, the data
 * pages (fdatasync) and then the meta page (an O_DSYNC write), so every
 * connection process waits for both of everyone else's.  The environment
 * is opened with MDB_NOMETASYNC instead: a commit syncs its data pages
 * under the lock and leaves the meta page in the page cache, and st_write
 * makes that durable with one more fdatasync after the lock is released,
 * before it returns.  Such flushes from concurrent writers overlap, and the
 * filesystem serves them with one journal commit (and any later commit's
 * data sync covers an earlier meta page too).  Crash safety is LMDB's own:
 * the pages a meta page points to are on disk before the meta page is
 * written, so a crash loses at most commits whose st_write had not returned.
 */
#include "store_int.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ST_MAX_MAP (1ull << 46)   /* 64 TiB: give up growing past this */
#define ST_WRITE_ATTEMPTS 48

const char *store_strerror(int status)
{
	switch (status) {
	case STORE_OK:       return "ok";
	case STORE_NOTFOUND: return "not found";
	case STORE_EXISTS:   return "already exists";
	case STORE_NOTEMPTY: return "not empty";
	case STORE_INVALID:  return "invalid argument";
	case STORE_TOOBIG:   return "too big";
	case STORE_QUOTA:    return "quota exceeded";
	case STORE_DENIED:   return "denied";
	case STORE_BUSY:     return "busy";
	case STORE_DISABLED: return "mailbox disabled";
	case STORE_INTERNAL: return "internal error";
	case STORE_FORBIDDEN: return "not permitted";
	default:             return "unknown status";
	}
}

int64_t st_now(void)
{
	return (int64_t)time(NULL);
}

int st_err(int rc, const char *what)
{
	switch (rc) {
	case MDB_SUCCESS:
		return STORE_OK;
	case MDB_NOTFOUND:
		return STORE_NOTFOUND;
	case MDB_MAP_FULL:
		return ST_MAPFULL;
	case MDB_READERS_FULL:
		fprintf(stderr, "store: %s: %s\n", what, mdb_strerror(rc));
		return STORE_BUSY;
	case MDB_CORRUPTED:
	case MDB_PANIC:
		ST_FATAL("%s: %s", what, mdb_strerror(rc));
	default:
		fprintf(stderr, "store: %s: %s\n", what, mdb_strerror(rc));
		return STORE_INTERNAL;
	}
}

static void st_check_pid(const store_t *st)
{
	if (st->pid != getpid())
		ST_FATAL("store handle used after fork; call store_open in the child");
}

/* Begins a txn, adopting a map grown by another process. */
static int st_begin(store_t *st, unsigned flags, MDB_txn **txn_r)
{
	int status = STORE_INTERNAL;
	int i, rc, dead;

	*txn_r = NULL;
	st_check_pid(st);
	for (i = 0; i < 8; i++) {
		rc = mdb_txn_begin(st->env, NULL, flags, txn_r);
		if (rc == MDB_MAP_RESIZED) {
			rc = mdb_env_set_mapsize(st->env, 0);
			if (rc != 0) {
				status = st_err(rc, "mdb_env_set_mapsize(0)");
				goto out;
			}
			continue;
		}
		if (rc == MDB_READERS_FULL) {
			dead = 0;
			if (mdb_reader_check(st->env, &dead) == 0 && dead > 0)
				continue;
		}
		status = st_err(rc, "mdb_txn_begin");
		goto out;
	}
	fprintf(stderr, "store: mdb_txn_begin: map kept resizing\n");
	status = STORE_BUSY;
out:
	if (status != STORE_OK)
		*txn_r = NULL;
	return status;
}

int st_read_begin(store_t *st, MDB_txn **txn_r)
{
	return st_begin(st, MDB_RDONLY, txn_r);
}

/* Grows the map after MDB_MAP_FULL (no txn may be active). */
static int st_grow(store_t *st)
{
	MDB_envinfo info;
	uint64_t old, want;
	int rc, status = STORE_INTERNAL;

	mdb_env_info(st->env, &info);
	old = info.me_mapsize;
	/* another process may already have grown it */
	rc = mdb_env_set_mapsize(st->env, 0);
	if (rc != 0) {
		status = st_err(rc, "mdb_env_set_mapsize(0)");
		goto out;
	}
	mdb_env_info(st->env, &info);
	if (info.me_mapsize > old) {
		status = STORE_OK;
		goto out;
	}
	if (old >= ST_MAX_MAP) {
		fprintf(stderr, "store: map size limit reached (%llu bytes)\n",
		        (unsigned long long)old);
		status = STORE_INTERNAL;
		goto out;
	}
	want = old * 2;
	rc = mdb_env_set_mapsize(st->env, (size_t)want);
	status = st_err(rc, "mdb_env_set_mapsize");
out:
	return status;
}

int st_write(store_t *st, st_write_fn fn, void *ctx)
{
	MDB_txn *txn = NULL;
	int status = STORE_INTERNAL;
	int attempt, rc;

	for (attempt = 0; attempt < ST_WRITE_ATTEMPTS; attempt++) {
		status = st_begin(st, 0, &txn);
		if (status != STORE_OK)
			goto out;
		st->notify_pending = 0;
		status = fn(st, txn, ctx);
		if (status == ST_MAPFULL) {
			mdb_txn_abort(txn);
			txn = NULL;
			status = st_grow(st);
			if (status != STORE_OK)
				goto out;
			continue;
		}
		if (status != STORE_OK)
			goto out;
		rc = mdb_txn_commit(txn);
		txn = NULL;
		if (rc == MDB_MAP_FULL) {
			status = st_grow(st);
			if (status != STORE_OK)
				goto out;
			continue;
		}
		status = st_err(rc, "mdb_txn_commit");
		/* The meta page's flush (see the top of this file).  Its failure
		 * (EIO) is reported although the commit is already visible. */
		if (status == STORE_OK)
			status = st_err(mdb_env_sync(st->env, 1), "mdb_env_sync");
		/* Waiters re-read the change counters, which are now durable. */
		if (status == STORE_OK && st->notify_pending)
			st_notify(st);
		goto out;
	}
	fprintf(stderr, "store: write gave up after %d map growths\n", attempt);
	status = STORE_INTERNAL;
out:
	if (txn != NULL)
		mdb_txn_abort(txn);
	if (status == ST_MAPFULL)   /* never leak the internal code */
		status = STORE_INTERNAL;
	return status;
}

void store_options_init(store_options_t *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->map_size = STORE_DEFAULT_MAP_SIZE;
	opt->max_message_size = STORE_DEFAULT_MAX_MSG;
	opt->max_readers = 1024;
	opt->op_max_age = STORE_DEFAULT_OP_MAX_AGE;
	opt->op_max = STORE_DEFAULT_OP_MAX;
	opt->tomb_max_age = STORE_DEFAULT_TOMB_MAX_AGE;
	opt->tomb_max = STORE_DEFAULT_TOMB_MAX;
}

static int st_open_dbs(store_t *st, MDB_txn *txn, void *ctx)
{
	static const struct { const char *name; size_t off; } dbs[] = {
		{ "meta",     offsetof(store_t, db_meta) },
		{ "mailbox",  offsetof(store_t, db_mailbox) },
		{ "fpath",    offsetof(store_t, db_fpath) },
		{ "folder",   offsetof(store_t, db_folder) },
		{ "msg",      offsetof(store_t, db_msg) },
		{ "fidx",     offsetof(store_t, db_fidx) },
		{ "blob",     offsetof(store_t, db_blob) },
		{ "blobmeta", offsetof(store_t, db_blobmeta) },
		{ "upload",   offsetof(store_t, db_upload) },
		{ "acl",      offsetof(store_t, db_acl) },
		{ "op",       offsetof(store_t, db_op) },
		{ "opage",    offsetof(store_t, db_opage) },
		{ "tomb",     offsetof(store_t, db_tomb) },
		{ "cidx",     offsetof(store_t, db_cidx) },
	};
	size_t i;
	int rc, status = STORE_OK;

	(void)ctx;
	for (i = 0; i < sizeof(dbs) / sizeof(dbs[0]); i++) {
		rc = mdb_dbi_open(txn, dbs[i].name, MDB_CREATE,
		                  (MDB_dbi *)((char *)st + dbs[i].off));
		if (rc != 0) {
			status = st_err(rc, "mdb_dbi_open");
			goto out;
		}
	}
	status = st_meta_init(st, txn);
	if (status == STORE_OK)
		status = st_tomb_init(st, txn);
out:
	return status;
}

int store_open(const char *dir, const store_options_t *opt, store_t **st_r)
{
	store_t *st = NULL;
	MDB_envinfo info;
	int rc, dead = 0, status = STORE_INTERNAL;

	*st_r = NULL;
	if (dir == NULL) {
		status = STORE_INVALID;
		goto out;
	}
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		goto out;
	store_options_init(&st->opt);
	if (opt != NULL) {
		if (opt->map_size)
			st->opt.map_size = opt->map_size;
		if (opt->max_message_size)
			st->opt.max_message_size = opt->max_message_size;
		st->opt.default_quota = opt->default_quota;
		if (opt->max_readers)
			st->opt.max_readers = opt->max_readers;
		if (opt->op_max_age)
			st->opt.op_max_age = opt->op_max_age;
		if (opt->op_max)
			st->opt.op_max = opt->op_max;
		if (opt->tomb_max_age)
			st->opt.tomb_max_age = opt->tomb_max_age;
		if (opt->tomb_max)
			st->opt.tomb_max = opt->tomb_max;
	}
	st->pid = getpid();
	st->notify_fd = -1;
	rc = mdb_env_create(&st->env);
	if (rc == 0)
		rc = mdb_env_set_maxdbs(st->env, 16);
	if (rc == 0)
		rc = mdb_env_set_maxreaders(st->env, st->opt.max_readers);
	if (rc == 0)
		rc = mdb_env_set_mapsize(st->env, (size_t)st->opt.map_size);
	if (rc == 0)
		rc = mdb_env_open(st->env, dir, MDB_NOMETASYNC, 0660);
	if (rc != 0) {
		status = rc == ENOENT ? STORE_NOTFOUND : st_err(rc, "mdb_env_open");
		goto out;
	}
	/* Slots of processes that died without closing. */
	rc = mdb_reader_check(st->env, &dead);
	if (rc != 0) {
		status = st_err(rc, "mdb_reader_check");
		goto out;
	}
	/* Keep a size recorded by another process if it is larger. */
	rc = mdb_env_set_mapsize(st->env, 0);
	if (rc == 0) {
		mdb_env_info(st->env, &info);
		if (info.me_mapsize < st->opt.map_size)
			rc = mdb_env_set_mapsize(st->env, (size_t)st->opt.map_size);
	}
	if (rc != 0) {
		status = st_err(rc, "mdb_env_set_mapsize");
		goto out;
	}
	status = st_write(st, st_open_dbs, NULL);
	if (status != STORE_OK)
		goto out;
	st_notify_open(st, dir);
	*st_r = st;
	st = NULL;
out:
	store_close(&st);
	return status;
}

void store_close(store_t **stp)
{
	store_t *st;

	if (stp == NULL || *stp == NULL)
		return;
	st = *stp;
	*stp = NULL;
	if (st->env != NULL)
		mdb_env_close(st->env);
	if (st->notify_fd >= 0)
		close(st->notify_fd);
	free(st->notify_path);
	free(st);
}

int store_map_size(store_t *st, uint64_t *size_r)
{
	MDB_envinfo info;
	int rc;

	*size_r = 0;
	rc = mdb_env_info(st->env, &info);
	if (rc != 0)
		return st_err(rc, "mdb_env_info");
	*size_r = info.me_mapsize;
	return STORE_OK;
}
