/*
 * test_store_proc.c -- several processes on one store: two forked
 * writers appending 200 messages each to the same folder (with a tiny
 * initial map, so both grow it and see MDB_MAP_RESIZED), and clearing a
 * reader slot left behind by a process that died inside a read txn.
 */
#include "test_util.h"
#include "store_int.h"

#include <sys/wait.h>

#define PER_CHILD 200

static void child_append(const char *dir, int who)
{
	store_options_t opt;
	store_t *st = NULL;
	uint64_t id;
	char subj[32], *m;
	size_t len;
	int i;

	store_options_init(&opt);
	opt.map_size = 1u << 20;
	OK(store_open(dir, &opt, &st));   /* after fork, in the child */
	for (i = 0; i < PER_CHILD; i++) {
		snprintf(subj, sizeof(subj), "p%d-%d", who, i);
		m = mkmsg("w@x", subj, 10000 + (size_t)i, &len);
		OK(store_message_append(st, "shared", "Inbox", m, len, 0, 0, &id));
		free(m);
	}
	store_close(&st);
}

static void t_two_writers(void)
{
	store_list_query_t q = { .limit = STORE_LIST_MAX };
	store_msglist_t *ml = NULL;
	store_folder_info_t fi;
	char *dir;
	store_t *st = open_new(&dir, NULL);
	unsigned char seen[2][PER_CHILD];
	uint64_t last = 0;
	pid_t pid[2];
	int i, status, who, n;

	OK(store_mailbox_ensure(st, "shared"));
	store_close(&st);
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		CHECK(pid[i] >= 0);
		if (pid[i] == 0) {
			child_append(dir, i);
			_exit(0);
		}
	}
	for (i = 0; i < 2; i++) {
		CHECK(waitpid(pid[i], &status, 0) == pid[i]);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	OK(store_open(dir, NULL, &st));
	OK(store_folder_get(st, "shared", "Inbox", &fi));
	CHECK(fi.total == 2 * PER_CHILD);
	memset(seen, 0, sizeof(seen));
	while (q.offset < 2 * PER_CHILD) {
		OK(store_message_list(st, "shared", "Inbox", &q, &ml));
		CHECK(ml->total == 2 * PER_CHILD && ml->count > 0);
		for (i = 0; i < (int)ml->count; i++) {
			CHECK(ml->items[i].id > last);   /* distinct, ascending */
			last = ml->items[i].id;
			CHECK(sscanf(ml->items[i].subject, "p%d-%d", &who, &n) == 2);
			CHECK(who >= 0 && who < 2 && n >= 0 && n < PER_CHILD);
			CHECK(!seen[who][n]);
			seen[who][n] = 1;
		}
		q.offset += ml->count;
		store_msglist_free(&ml);
	}
	CHECK(last == 2 * PER_CHILD);   /* ids 1..400, none lost */
	store_close(&st);
	rmtmp(&dir);
}

static int count_line(const char *msg, void *ctx)
{
	(void)msg;
	++*(int *)ctx;
	return 0;
}

/* Reader slots in use (mdb_reader_list prints a header line first). */
static int readers(const char *dir)
{
	MDB_env *env = NULL;
	int n = 0;

	CHECK(mdb_env_create(&env) == 0);
	CHECK(mdb_env_set_maxdbs(env, 16) == 0);
	CHECK(mdb_env_open(env, dir, MDB_RDONLY, 0660) == 0);
	CHECK(mdb_reader_list(env, count_line, &n) >= 0);
	mdb_env_close(env);
	return n;
}

/* Runs fn(dir) in a child process; returns its exit code. */
static int in_child(int (*fn)(const char *), const char *dir)
{
	pid_t pid = fork();
	int status;

	CHECK(pid >= 0);
	if (pid == 0)
		_exit(fn(dir));
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	return WEXITSTATUS(status);
}

static int die_in_read_txn(const char *dir)
{
	store_t *st = NULL;
	MDB_txn *txn = NULL;

	OK(store_open(dir, NULL, &st));
	OK(st_read_begin(st, &txn));
	_exit(0);   /* dies holding a reader slot */
}

static int open_close(const char *dir)
{
	store_t *st = NULL;

	OK(store_open(dir, NULL, &st));   /* runs mdb_reader_check */
	store_close(&st);
	return 0;
}

static int count_readers(const char *dir)
{
	return readers(dir);
}

/* LMDB resets the reader table when the first process opens the lock
 * file, so a stale slot only matters while others keep the env open: the
 * parent holds a handle throughout, and each step runs in its own child
 * (an env must not be opened twice in one process). */
static void t_stale_reader(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	int before, after;

	OK(store_mailbox_ensure(st, "a"));
	CHECK(in_child(die_in_read_txn, dir) == 0);
	before = in_child(count_readers, dir);
	CHECK(before >= 2);                    /* header + the stale slot */
	CHECK(in_child(open_close, dir) == 0);
	after = in_child(count_readers, dir);
	printf("# reader list lines: %d with the stale slot, %d after\n",
	       before, after);
	CHECK(after == before - 1);
	OK(store_mailbox_ensure(st, "a"));
	store_close(&st);
	rmtmp(&dir);
}

int main(void)
{
	RUN(t_two_writers);
	RUN(t_stale_reader);
	printf("%d tests passed\n", test_count);
	return 0;
}
