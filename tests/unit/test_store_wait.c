/*
 * test_store_wait.c -- store_wait_change (a write by another process wakes
 * a waiter at once, without CPU spent waiting; idle waits end at their
 * timeout; a folder's wait ignores other folders) and exactly-once commits
 * (store_op_find: replay, kinds, bounds by count and age, across reopen).
 */
#include "test_util.h"
#include "store_int.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void append_one(store_t *st, const char *folder)
{
	size_t len;
	uint64_t id;
	char *m = mkmsg("w@x", "wake", 100, &len);

	OK(store_message_append(st, "a", folder, m, len, 0, 0, &id));
	free(m);
}

/* After a pause, another process (own handle) appends to folder. */
static pid_t append_later(const char *dir, const char *folder, int ms)
{
	pid_t pid = fork();
	store_t *st = NULL;

	CHECK(pid >= 0);
	if (pid == 0) {
		usleep((useconds_t)ms * 1000);
		OK(store_open(dir, NULL, &st));
		append_one(st, folder);
		store_close(&st);
		_exit(0);
	}
	return pid;
}

static void reap(pid_t pid)
{
	int status;

	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void t_wait_timeout(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	store_mailbox_info_t mi;
	uint64_t change;
	double t0;

	OK(store_mailbox_ensure(st, "a"));
	OK(store_mailbox_info(st, "a", &mi));
	t0 = now_s();
	OK(store_wait_change(st, "a", NULL, mi.change, 300, &change));
	CHECK(change == mi.change);
	CHECK(now_s() - t0 >= 0.29 && now_s() - t0 < 2);
	/* Already past since: no wait at all. */
	t0 = now_s();
	OK(store_wait_change(st, "a", NULL, mi.change - 1, 5000, &change));
	CHECK(change == mi.change && now_s() - t0 < 0.5);
	CHECK_RC(store_wait_change(st, "nobody", NULL, 0, 10, &change), STORE_NOTFOUND);
	CHECK_RC(store_wait_change(st, "a", "Nowhere", 0, 10, &change), STORE_NOTFOUND);
	store_close(&st);
	rmtmp(&dir);
}

static void t_wait_other_process(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	store_mailbox_info_t mi;
	uint64_t change;
	double t0, c0;
	pid_t pid;

	OK(store_mailbox_ensure(st, "a"));
	OK(store_mailbox_info(st, "a", &mi));
	pid = append_later(dir, "Inbox", 700);
	t0 = now_s();
	c0 = cpu_s();
	OK(store_wait_change(st, "a", NULL, mi.change, 10000, &change));
	printf("# woke after %.3f s, %.4f s CPU\n", now_s() - t0, cpu_s() - c0);
	CHECK(change > mi.change);
	CHECK(now_s() - t0 < 1.7);
	CHECK(cpu_s() - c0 < 0.05);
	reap(pid);
	store_close(&st);
	rmtmp(&dir);
}

static void t_wait_folder(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	store_folder_info_t fi;
	uint64_t change;
	double t0;
	pid_t pid;

	OK(store_mailbox_ensure(st, "a"));
	OK(store_folder_get(st, "a", "Drafts", &fi));
	/* A change elsewhere wakes the waiter, which looks and sleeps again. */
	pid = append_later(dir, "Inbox", 100);
	OK(store_wait_change(st, "a", "Drafts", fi.change, 600, &change));
	CHECK(change == fi.change);
	reap(pid);
	pid = append_later(dir, "Drafts", 100);
	t0 = now_s();
	OK(store_wait_change(st, "a", "Drafts", fi.change, 10000, &change));
	CHECK(change > fi.change && now_s() - t0 < 2);
	reap(pid);
	store_close(&st);
	rmtmp(&dir);
}

/* A finished upload of a small message; returns its id. */
static uint64_t upload(store_t *st, const char *mbox)
{
	uint64_t uid, rcv;

	OK(store_upload_begin(st, mbox, 5, NULL, &uid));
	OK(store_upload_append(st, mbox, uid, 0, "hello", 5, &rcv));
	return uid;
}

static void t_op_replay(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	unsigned char op[STORE_OPID_LEN] = "0123456789abcde", op2[STORE_OPID_LEN] = "submit-op-00001";
	const char *rc[] = { "b" };
	store_folder_info_t fi;
	uint64_t uid, id, again, sent;
	size_t bad;

	OK(store_mailbox_ensure(st, "a"));
	OK(store_mailbox_ensure(st, "b"));
	CHECK_RC(store_op_find(st, "a", op, STORE_OP_APPEND, &id), STORE_NOTFOUND);
	uid = upload(st, "a");
	OK(store_upload_commit_append_to(st, "a", uid, "a", "Inbox", 0, op, &id));
	OK(store_op_find(st, "a", op, STORE_OP_APPEND, &again));
	CHECK(again == id);
	/* The retry after a lost reply: same upload, same op, same answer. */
	OK(store_upload_commit_append_to(st, "a", uid, "a", "Inbox", 0, op, &again));
	CHECK(again == id);
	OK(store_folder_get(st, "a", "Inbox", &fi));
	CHECK(fi.total == 1);
	/* Another op on the consumed upload really is refused. */
	CHECK_RC(store_upload_commit_append_to(st, "a", uid, "a", "Inbox", 0, op2, &again),
	         STORE_NOTFOUND);
	/* An op id is the uploader's, and of one kind of call. */
	CHECK_RC(store_op_find(st, "b", op, STORE_OP_APPEND, &again), STORE_NOTFOUND);
	CHECK_RC(store_op_find(st, "a", op, STORE_OP_SUBMIT, &again), STORE_INVALID);
	uid = upload(st, "a");
	OK(store_upload_commit_submit_as(st, "a", uid, "a", rc, 1, op2, &sent, &bad));
	store_close(&st);
	/* Results survive a restart. */
	OK(store_open(dir, NULL, &st));
	OK(store_upload_commit_submit_as(st, "a", uid, "a", rc, 1, op2, &again, &bad));
	CHECK(again == sent);
	OK(store_folder_get(st, "b", "Inbox", &fi));
	CHECK(fi.total == 1);
	store_close(&st);
	rmtmp(&dir);
}

static void t_op_bounds(void)
{
	char *dir;
	store_options_t opt;
	store_t *st;
	unsigned char op[4][STORE_OPID_LEN];
	uint64_t id;
	int i;

	store_options_init(&opt);
	opt.op_max = 2;
	opt.op_max_age = 1;
	st = open_new(&dir, &opt);
	OK(store_mailbox_ensure(st, "a"));
	memset(op, 0, sizeof(op));
	for (i = 0; i < 3; i++) {
		op[i][0] = (unsigned char)(i + 1);
		OK(store_upload_commit_append_to(st, "a", upload(st, "a"), "a", "Inbox", 0, op[i], &id));
	}
	/* At most two kept: the oldest went first. */
	CHECK_RC(store_op_find(st, "a", op[0], STORE_OP_APPEND, &id), STORE_NOTFOUND);
	OK(store_op_find(st, "a", op[1], STORE_OP_APPEND, &id));
	OK(store_op_find(st, "a", op[2], STORE_OP_APPEND, &id));
	sleep(2);
	/* Past the age limit: forgotten, and pruned by the next record. */
	CHECK_RC(store_op_find(st, "a", op[2], STORE_OP_APPEND, &id), STORE_NOTFOUND);
	op[3][0] = 4;
	OK(store_upload_commit_append_to(st, "a", upload(st, "a"), "a", "Inbox", 0, op[3], &id));
	{
		MDB_txn *txn = NULL;
		MDB_stat ms;
		OK(st_read_begin(st, &txn));
		CHECK(mdb_stat(txn, st->db_op, &ms) == 0 && ms.ms_entries == 1);
		CHECK(mdb_stat(txn, st->db_opage, &ms) == 0 && ms.ms_entries == 1);
		mdb_txn_abort(txn);
	}
	store_close(&st);
	rmtmp(&dir);
}

int main(void)
{
	RUN(t_wait_timeout);
	RUN(t_wait_other_process);
	RUN(t_wait_folder);
	RUN(t_op_replay);
	RUN(t_op_bounds);
	printf("%d tests passed\n", test_count);
	return 0;
}
