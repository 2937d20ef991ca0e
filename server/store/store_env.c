/*
 * store_env.c -- the LMDB environment of a handle: creating it, reader
 * check, map growth, and the transaction helpers every call goes through.
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
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define ST_MAX_MAP (1ull << 46)   /* 64 TiB: give up growing past this */
#define ST_WRITE_ATTEMPTS 48
/* A file system with less free space than this after a short write is full. */
#define ST_FULL_BELOW (1ull << 20)

int64_t st_now(void)
{
	return (int64_t)time(NULL);
}

static void st_check_pid(const store_t *st)
{
	if (st->pid != getpid())
		ST_BUG("store handle used after fork; call store_open in the child");
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
			/* A write transaction needs no reader slot. */
			if ((flags & MDB_RDONLY) && st->opt.readers_full_fallback) {
				st_log(STORE_LOG_WARNING,
				       "reader table full: reading under the writer lock");
				flags &= ~(unsigned)MDB_RDONLY;
				continue;
			}
		}
		status = st_err(rc, "mdb_txn_begin");
		goto out;
	}
	st_log(STORE_LOG_WARNING, "mdb_txn_begin: map kept resizing");
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

int st_read_each(store_t *st, MDB_dbi dbi, const char *what, st_each_fn fn, void *ctx)
{
	MDB_txn *txn = NULL;
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	int rc = MDB_NOTFOUND, status = st_read_begin(st, &txn);

	if (status == STORE_OK)
		status = st_err(mdb_cursor_open(txn, dbi, &cur), what);
	for (rc = status == STORE_OK ? mdb_cursor_get(cur, &k, &v, MDB_FIRST) : MDB_NOTFOUND;
	     rc == 0 && status == STORE_OK; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
		status = fn(&k, &v, ctx);
	if (status == STORE_OK && rc != 0 && rc != MDB_NOTFOUND)
		status = st_err(rc, what);
	if (cur != NULL)
		mdb_cursor_close(cur);
	if (txn != NULL)
		mdb_txn_abort(txn);
	return status;
}

int st_room_for_one(void **items, size_t count, size_t *cap, size_t size)
{
	if (count < *cap)
		return STORE_OK;
	size_t want = *cap ? 2 * *cap : 16;
	void *grown = realloc(*items, want * size);
	if (grown == NULL)
		return STORE_INTERNAL;
	*items = grown;
	*cap = want;
	return STORE_OK;
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
		st_log(STORE_LOG_ERR, "map size limit reached (%llu bytes)", (unsigned long long)old);
		status = STORE_INTERNAL;
		goto out;
	}
	want = old * 2;
	rc = mdb_env_set_mapsize(st->env, (size_t)want);
	status = st_err(rc, "mdb_env_set_mapsize");
out:
	return status;
}

/* Free bytes of the file system holding the store (root may use the
 * blocks reserved for it); UINT64_MAX if it cannot be told. */
static uint64_t free_space(store_t *st)
{
	struct statvfs sv;
	int fd;

	if (mdb_env_get_fd(st->env, &fd) != 0 || fstatvfs(fd, &sv) != 0)
		return UINT64_MAX;
	return (uint64_t)(geteuid() == 0 ? sv.f_bfree : sv.f_bavail) * sv.f_frsize;
}

/*
 * The status of a failed mdb_txn_commit.  LMDB writes a transaction's
 * pages, syncs them, then writes the meta page that makes it visible; a
 * failure before the meta page (a write or a sync of the pages) leaves
 * the transaction invisible, aborted, and the environment usable.  A
 * full file system shows there as ENOSPC, or as EIO when a write came
 * back short ("short write, filesystem full?" in LMDB's source): that EIO
 * with the file system out of space is "storage full" too.  (A failed
 * meta page write leaves the environment unusable, MDB_PANIC from then
 * on, and which meta page a reopened one reads is uncertain: a caller
 * that must know repeats its call, named, on a new handle -- see
 * mailrpc-deliver.)
 */
static int commit_status(store_t *st, int rc)
{
	if (rc == EIO && free_space(st) < ST_FULL_BELOW) {
		st_log(STORE_LOG_ERR, "mdb_txn_commit: storage full: short write, %llu bytes free",
		       (unsigned long long)free_space(st));
		return STORE_FULL;
	}
	return st_err(rc, "mdb_txn_commit");
}

/* The meta page's flush after a commit (see the top of this file).  The
 * commit is already visible to every process when this runs, so its
 * failure cannot undo it: the call succeeded, and saying otherwise would
 * make a caller repeat it (mailrpc-deliver exiting 75 after the message
 * was stored would have the MTA deliver it twice).  What the failure
 * risks, losing the commit in a crash before a later flush, is logged. */
static void flush_committed(store_t *st)
{
	int rc = mdb_env_sync(st->env, 1);

	if (rc != 0)
		st_log(STORE_LOG_ERR,
		       "mdb_env_sync after a commit: %s (the change is made and "
		       "visible, but may not survive a crash until a later write is flushed)",
		       mdb_strerror(rc));
}

/* Whether the write transaction numbered id committed pages: LMDB leaves
 * the last transaction id alone when a commit had nothing to write. */
static int committed_since(store_t *st, size_t id)
{
	MDB_envinfo info;

	return mdb_env_info(st->env, &info) != 0 || info.me_last_txnid >= id;
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
		st_notify_clear(st);
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
		size_t id = mdb_txn_id(txn);
		rc = mdb_txn_commit(txn);
		txn = NULL;
		if (rc == MDB_MAP_FULL) {
			status = st_grow(st);
			if (status != STORE_OK)
				goto out;
			continue;
		}
		status = commit_status(st, rc);
		/* A transaction that changed nothing (opening a store that is
		 * already set up: every connection does) commits nothing, and
		 * its flush would only cost a sync. */
		if (status == STORE_OK && committed_since(st, id))
			flush_committed(st);
		/* Waiters re-read the change counters. */
		if (status == STORE_OK)
			st_notify(st);
		goto out;
	}
	st_log(STORE_LOG_ERR, "write gave up after %d map growths", attempt);
	status = STORE_INTERNAL;
out:
	if (txn != NULL)
		mdb_txn_abort(txn);
	if (status == ST_MAPFULL)   /* never leak the internal code */
		status = STORE_INTERNAL;
	return status;
}

int st_env_open(store_t *st, const char *dir)
{
	MDB_envinfo info;
	int rc, dead = 0;

	rc = mdb_env_create(&st->env);
	if (rc == 0)
		rc = mdb_env_set_maxdbs(st->env, 24);
	if (rc == 0)
		rc = mdb_env_set_maxreaders(st->env, st->opt.max_readers);
	if (rc == 0)
		rc = mdb_env_set_mapsize(st->env, (size_t)st->opt.map_size);
	if (rc == 0)
		rc = mdb_env_open(st->env, dir, MDB_NOMETASYNC | MDB_NOTLS, 0660);
	if (rc != 0)
		return rc == ENOENT ? STORE_NOTFOUND : st_err(rc, "mdb_env_open");
	/* Slots of processes that died without closing. */
	rc = mdb_reader_check(st->env, &dead);
	if (rc != 0)
		return st_err(rc, "mdb_reader_check");
	/* Keep a size recorded by another process if it is larger. */
	rc = mdb_env_set_mapsize(st->env, 0);
	if (rc == 0) {
		mdb_env_info(st->env, &info);
		if (info.me_mapsize < st->opt.map_size)
			rc = mdb_env_set_mapsize(st->env, (size_t)st->opt.map_size);
	}
	return st_err(rc, "mdb_env_set_mapsize");
}
