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

/* Commits upload uid of "a" to its Inbox as op (NULL: unnamed). */
static int commit(store_t *st, const unsigned char *op, uint64_t uid, store_result_t *res)
{
	store_call_t call = { NULL, "a", op };

	return store_upload_commit_append_as(st, &call, "a", uid, "a", "Inbox", 0, res);
}

static void t_op_replay(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	unsigned char op[STORE_OPID_LEN] = "0123456789abcde", op2[STORE_OPID_LEN] = "submit-op-00001";
	const char *rc[] = { "b" };
	store_call_t as_a = { NULL, "a", op2 }, as_b = { NULL, "b", op };
	store_folder_info_t fi;
	store_result_t res;
	uint64_t uid, id, sent;
	size_t bad;

	OK(store_mailbox_ensure(st, "a"));
	OK(store_mailbox_ensure(st, "b"));
	uid = upload(st, "a");
	OK(commit(st, op, uid, &res));
	id = res.id;
	CHECK(res.replayed == 0 && id != 0);
	/* The retry after a lost reply: same upload, same op, same answer. */
	OK(commit(st, op, uid, &res));
	CHECK(res.replayed == 1 && res.id == id);
	OK(store_folder_get(st, "a", "Inbox", &fi));
	CHECK(fi.total == 1);
	/* Another op on the consumed upload really is refused. */
	CHECK_RC(commit(st, op2, uid, &res), STORE_NOTFOUND);
	/* An op id is its owner's (b's op is new) and of one kind of call. */
	uid = upload(st, "b");
	OK(store_upload_commit_append_as(st, &as_b, "b", uid, "b", "Inbox", 0, &res));
	CHECK(res.replayed == 0);
	uid = upload(st, "a");
	store_call_t wrong_kind = { NULL, "a", op };
	store_send_t to_b = { .rcpts = rc, .n = 1 };
	CHECK_RC(store_upload_commit_submit_as(st, &wrong_kind, "a", uid, "a", &to_b, &res, &bad),
	         STORE_INVALID);
	OK(store_upload_commit_submit_as(st, &as_a, "a", uid, "a", &to_b, &res, &bad));
	sent = res.id;
	store_result_clear(&res);
	store_close(&st);
	/* Results survive a restart. */
	OK(store_open(dir, NULL, &st));
	OK(store_upload_commit_submit_as(st, &as_a, "a", uid, "a", &to_b, &res, &bad));
	CHECK(res.replayed == 1 && res.id == sent);
	CHECK(res.done == 2 && res.ids[0] == 1 && res.ids[1] == 0);
	store_result_clear(&res);
	OK(store_folder_get(st, "b", "Inbox", &fi));
	CHECK(fi.total == 2);
	store_close(&st);
	rmtmp(&dir);
}

/* Whether op's record is kept: a repeat (with a fresh upload, in case it
 * is not) is answered from it. */
static int kept(store_t *st, const unsigned char *op)
{
	store_result_t res;

	OK(commit(st, op, upload(st, "a"), &res));
	return res.replayed;
}

/* How many op records (and age entries) the store holds. */
static void op_entries(store_t *st, size_t *ops_r, size_t *ages_r)
{
	MDB_txn *txn = NULL;
	MDB_stat ms;

	OK(st_read_begin(st, &txn));
	CHECK(mdb_stat(txn, st->db_op, &ms) == 0);
	*ops_r = ms.ms_entries;
	CHECK(mdb_stat(txn, st->db_opage, &ms) == 0);
	*ages_r = ms.ms_entries;
	mdb_txn_abort(txn);
}

static void t_op_bounds(void)
{
	char *dir;
	store_options_t opt;
	store_result_t res;
	store_mailbox_info_t mi;
	store_t *st;
	unsigned char op[17][STORE_OPID_LEN];
	size_t ops, ages;
	int i;

	store_options_init(&opt);
	opt.op_max_age = 1;
	st = open_new(&dir, &opt);
	OK(store_mailbox_ensure(st, "a"));
	OK(store_policy_set(st, STORE_POLICY_MAX_OP_RECORDS, 16));
	memset(op, 0, sizeof(op));
	for (i = 0; i < 17; i++) {
		op[i][0] = (unsigned char)(i + 1);
		OK(commit(st, op[i], upload(st, "a"), &res));
	}
	/* At most 16 kept, counted in the mailbox: the oldest went first. */
	OK(store_mailbox_info(st, "a", &mi));
	CHECK(mi.op_records == 16);
	CHECK(kept(st, op[16]) && kept(st, op[1]));
	CHECK(!kept(st, op[0]));
	sleep(2);
	/* Past the age limit: forgotten, and pruned by the next records
	 * (8 each): the repeat is done anew, and with one more call only
	 * those two are left. */
	CHECK(!kept(st, op[16]));
	op[0][0] = 0x77;
	OK(commit(st, op[0], upload(st, "a"), &res));
	op_entries(st, &ops, &ages);
	CHECK(ops == 2 && ages == 2);
	OK(store_mailbox_info(st, "a", &mi));
	CHECK(mi.op_records == 2);
	store_close(&st);
	rmtmp(&dir);
}

/* Issue 15 item 11: results are kept per mailbox.  b making many more
 * calls than max-op-records forgets b's oldest, never a's: a's retried
 * copy is still answered from its record (the same new id, once). */
static void t_op_per_mailbox(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	unsigned char op_a[STORE_OPID_LEN] = {0xaa}, op_b[STORE_OPID_LEN] = {0};
	store_call_t as_a = {NULL, "a", op_a}, as_b = {NULL, "b", op_b};
	store_change_t copy = {.kind = STORE_OP_COPY, .n = 1, .dest = "Drafts"};
	store_change_t flags = {.kind = STORE_OP_FLAGS, .n = 1, .set = STORE_FLAG_SEEN};
	store_result_t res;
	store_folder_info_t fi;
	store_mailbox_info_t mi;
	uint64_t id_a, id_b, first;

	OK(store_mailbox_ensure(st, "a"));
	OK(store_mailbox_ensure(st, "b"));
	OK(store_policy_set(st, STORE_POLICY_MAX_OP_RECORDS, 16));
	append_one(st, "Inbox");
	OK(store_message_append(st, "b", "Inbox", "x", 1, 0, 0, &id_b));
	id_a = 1;
	copy.ids = &id_a;
	OK(store_change(st, &as_a, "a", &copy, &res));
	CHECK(res.replayed == 0 && res.done == 1);
	first = res.ids[0];
	store_result_clear(&res);
	flags.ids = &id_b;
	for (int i = 0; i < 200; i++) {
		op_b[0] = (unsigned char)i;
		op_b[1] = (unsigned char)(i >> 8);
		OK(store_change(st, &as_b, "b", &flags, &res));
		store_result_clear(&res);
	}
	OK(store_mailbox_info(st, "b", &mi));
	CHECK(mi.op_records == 16);
	OK(store_change(st, &as_a, "a", &copy, &res));
	CHECK(res.replayed == 1 && res.done == 1 && res.ids[0] == first);
	store_result_clear(&res);
	OK(store_folder_get(st, "a", "Drafts", &fi));
	CHECK(fi.total == 1);
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
	RUN(t_op_per_mailbox);
	printf("%d tests passed\n", test_count);
	return 0;
}
