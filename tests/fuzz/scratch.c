/* scratch.c -- the harnesses' scratch directory and stores (see scratch.h). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scratch.h"
#include "store_int.h"

static char dir[512];
static pid_t dir_owner;

/* To the descriptor, not the stdio stream: scratch_quiet may have
 * pointed stderr elsewhere. */
void fuzz_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dprintf(2, "fuzz: invariant broken: ");
	vdprintf(2, fmt, ap);
	dprintf(2, "\n");
	va_end(ap);
	abort();
}

void scratch_quiet(void)
{
	FILE *null = fopen("/dev/null", "w");
	FUZZ_CHECK(null != NULL);
	stdout = null;
	stderr = null;
}

static int remove_entry(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(p);
}

void scratch_remove(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void remove_dir(void)
{
	/* libFuzzer's forked workers inherit the hook: only the maker cleans. */
	if (dir[0] != '\0' && getpid() == dir_owner)
		scratch_remove(dir);
}

/* Store problems are logged, one line each: a line must stay one line
 * whatever a record or a caller held (they go to syslog). */
static void check_log_line(void *ctx, int level, const char *line)
{
	(void)ctx;
	(void)level;
	for (const unsigned char *p = (const unsigned char *)line; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			fuzz_fail("store log line holds control byte 0x%02x: %s", *p, line);
}

const char *scratch_dir(void)
{
	if (dir[0] != '\0')
		return dir;
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/mailrpc-fuzz.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		fuzz_fail("cannot make a scratch directory under %s: %s", tmp ? tmp : "/tmp",
			  strerror(errno));
	dir_owner = getpid();
	atexit(remove_dir);
	store_set_log(check_log_line, NULL);
	return dir;
}

const char *scratch_path(int slot, const char *name)
{
	static char paths[4][600];
	snprintf(paths[slot & 3], sizeof(paths[0]), "%s/%s", scratch_dir(), name);
	return paths[slot & 3];
}

/* Overwrites in place, then cuts what is left over: on tmpfs much
 * cheaper than O_TRUNC, which frees every page only to allocate it again. */
void scratch_write(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		fuzz_fail("cannot write %s: %s", path, strerror(errno));
	const char *p = data;
	for (size_t done = 0; done < len;) {
		ssize_t n = pwrite(fd, p + done, len - done, (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fuzz_fail("cannot write %s: %s", path, strerror(errno));
		done += (size_t)n;
	}
	if (ftruncate(fd, (off_t)len) != 0)
		fuzz_fail("cannot write %s: %s", path, strerror(errno));
	close(fd);
}

/* Every record of every database of the seeded store. */
struct record {
	MDB_val key, val;
};
struct db_copy {
	char *name;
	struct record *recs;
	size_t n, cap;
};
static struct db_copy *dbs;
static size_t ndbs;
static store_t *work;

static void *copy_bytes(const MDB_val *v)
{
	void *p = malloc(v->mv_size ? v->mv_size : 1);
	FUZZ_CHECK(p != NULL);
	memcpy(p, v->mv_data, v->mv_size);
	return p;
}

static void copy_db(MDB_txn *txn, struct db_copy *d)
{
	MDB_dbi dbi;
	MDB_cursor *cur;
	MDB_val k, v;
	FUZZ_CHECK(mdb_dbi_open(txn, d->name, 0, &dbi) == 0);
	FUZZ_CHECK(mdb_cursor_open(txn, dbi, &cur) == 0);
	for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (d->n == d->cap) {
			d->cap = d->cap ? 2 * d->cap : 64;
			d->recs = realloc(d->recs, d->cap * sizeof(*d->recs));
			FUZZ_CHECK(d->recs != NULL);
		}
		d->recs[d->n].key = (MDB_val){k.mv_size, copy_bytes(&k)};
		d->recs[d->n++].val = (MDB_val){v.mv_size, copy_bytes(&v)};
	}
	mdb_cursor_close(cur);
}

/* The named databases are the keys of LMDB's main one. */
static void snapshot(store_t *st)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	FUZZ_CHECK(mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn) == 0);
	FUZZ_CHECK(mdb_cursor_open(txn, 1 /* MAIN_DBI */, &cur) == 0);
	for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		dbs = realloc(dbs, (ndbs + 1) * sizeof(*dbs));
		FUZZ_CHECK(dbs != NULL);
		memset(&dbs[ndbs], 0, sizeof(dbs[0]));
		dbs[ndbs].name = calloc(1, k.mv_size + 1);
		FUZZ_CHECK(dbs[ndbs].name != NULL);
		memcpy(dbs[ndbs++].name, k.mv_data, k.mv_size);
	}
	mdb_cursor_close(cur);
	for (size_t i = 0; i < ndbs; i++)
		copy_db(txn, &dbs[i]);
	mdb_txn_abort(txn);
}

/* Empties every database and puts the seeded records back, in one commit. */
static void restore(store_t *st)
{
	MDB_txn *txn;
	MDB_dbi dbi;
	FUZZ_CHECK(mdb_txn_begin(st->env, NULL, 0, &txn) == 0);
	for (size_t i = 0; i < ndbs; i++) {
		FUZZ_CHECK(mdb_dbi_open(txn, dbs[i].name, 0, &dbi) == 0);
		FUZZ_CHECK(mdb_drop(txn, dbi, 0) == 0);
		for (size_t j = 0; j < dbs[i].n; j++)
			FUZZ_CHECK(mdb_put(txn, dbi, &dbs[i].recs[j].key, &dbs[i].recs[j].val, 0) ==
				   0);
	}
	FUZZ_CHECK(mdb_txn_commit(txn) == 0);
}

store_t *scratch_store(scratch_seed_fn seed)
{
	if (work != NULL) {
		restore(work);
		return work;
	}
	const char *p = scratch_path(0, "store");
	if (mkdir(p, 0700) != 0 || store_open(p, NULL, &work) != STORE_OK)
		fuzz_fail("cannot make the scratch store in %s", p);
	seed(work);
	scratch_verify(work);
	snapshot(work);
	return work;
}

static void report_problem(const char *text, void *ctx)
{
	(void)ctx;
	fuzz_fail("store_verify: %s", text);
}

void scratch_verify(store_t *st)
{
	uint64_t problems = 0;
	int rc = store_verify(st, report_problem, NULL, &problems);
	if (rc != STORE_OK)
		fuzz_fail("store_verify could not read the store: %s", store_strerror(rc));
}
