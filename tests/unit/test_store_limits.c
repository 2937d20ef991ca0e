/*
 * test_store_limits.c -- what a mailbox holds besides messages is counted
 * in its record and bounded by the store's policy (issue 15 items 5, 6):
 * folders, ACL entries per folder and per mailbox, unfinished uploads
 * (their number, their age, and their announced bytes against the quota);
 * calls on a user's behalf get STORE_LIMIT, trusted callers are counted
 * but not held to the limits; verify checks the counts; a schema 3 store
 * is upgraded with its counts.  Also: an idle handle holds no reader slot
 * (MDB_NOTLS), and a full reader table refuses reads unless the handle
 * reads under the writer lock instead (mailrpc-deliver's option).
 */
#include "store_int.h"
#include "test_util.h"

#include <sys/wait.h>

static uint64_t problems_found(store_t *st)
{
	uint64_t n = 0;
	OK(store_verify(st, NULL, NULL, &n));
	return n;
}

static store_mailbox_info_t info(store_t *st, const char *mbox)
{
	store_mailbox_info_t mi;
	OK(store_mailbox_info(st, mbox, &mi));
	return mi;
}

/* A user's call in mailbox mbox (no guard: rights are not the point). */
static store_call_t as_user(const char *mbox)
{
	store_call_t call = {NULL, mbox, NULL};
	return call;
}

static void t_folders(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	store_call_t a = as_user("a");
	store_result_t res;

	OK(store_mailbox_ensure(st, "a"));
	CHECK(info(st, "a").folders == 5); /* the well-known ones */
	OK(store_policy_set(st, STORE_POLICY_MAX_FOLDERS, 7));
	OK(store_folder_create_as(st, &a, "a", "One", &res));
	OK(store_folder_create_as(st, &a, "a", "Two", &res));
	CHECK_RC(store_folder_create_as(st, &a, "a", "Three", &res), STORE_LIMIT);
	CHECK_RC(store_folder_get(st, "a", "Three", &(store_folder_info_t){0}), STORE_NOTFOUND);
	/* An existing path is still "exists", not "limit". */
	CHECK_RC(store_folder_create_as(st, &a, "a", "Two", &res), STORE_EXISTS);
	/* Trusted (a restore, an import) is counted, not held. */
	OK(store_folder_create(st, "a", "Three"));
	CHECK(info(st, "a").folders == 8);
	/* A recursive delete gives back every folder it took. */
	OK(store_folder_create(st, "a", "Two/Sub"));
	OK(store_folder_delete(st, "a", "Two", 1));
	CHECK(info(st, "a").folders == 7);
	CHECK_RC(store_folder_create_as(st, &a, "a", "Four", &res), STORE_LIMIT);
	OK(store_folder_delete(st, "a", "Three", 0));
	OK(store_folder_create_as(st, &a, "a", "Four", &res));
	/* A rename takes nothing new. */
	OK(store_folder_rename_as(st, &a, "a", "Four", "Five", &res));
	CHECK(info(st, "a").folders == 7);
	CHECK(problems_found(st) == 0);
	store_close(&st);
	rmtmp(&dir);
}

static void t_acl(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	store_call_t a = as_user("a");
	store_result_t res;
	store_acl_t *acl = NULL;

	OK(store_mailbox_ensure(st, "a"));
	OK(store_folder_create(st, "a", "Shared"));
	OK(store_policy_set(st, STORE_POLICY_MAX_ACL_ENTRIES, 2));
	OK(store_policy_set(st, STORE_POLICY_MAX_ACL_TOTAL, 3));
	OK(store_acl_set_as(st, &a, "a", "Shared", "bob", 1, &res));
	OK(store_acl_set_as(st, &a, "a", "Shared", "carol", 1, &res));
	/* The folder's limit: a third principal is refused... */
	CHECK_RC(store_acl_set_as(st, &a, "a", "Shared", "dave", 1, &res), STORE_LIMIT);
	/* ...but changing an entry it has is not a new one. */
	OK(store_acl_set_as(st, &a, "a", "Shared", "bob", 3, &res));
	OK(store_acl_set_as(st, &a, "a", "Inbox", "bob", 1, &res));
	/* The mailbox's limit: three entries in all. */
	CHECK_RC(store_acl_set_as(st, &a, "a", "", "bob", 1, &res), STORE_LIMIT);
	CHECK(info(st, "a").acl_entries == 3);
	/* Removing one makes room; removing a missing one changes nothing. */
	OK(store_acl_set_as(st, &a, "a", "Shared", "carol", 0, &res));
	OK(store_acl_set_as(st, &a, "a", "Shared", "nobody", 0, &res));
	CHECK(info(st, "a").acl_entries == 2);
	OK(store_acl_set_as(st, &a, "a", "", "bob", 1, &res));
	/* Trusted callers (a restore) are counted, not held. */
	OK(store_acl_set(st, "a", "Shared", "erin", 1));
	OK(store_acl_set(st, "a", "Shared", "frank", 1));
	CHECK(info(st, "a").acl_entries == 5);
	OK(store_acl_get_as(st, &a, "a", "Shared", &acl));
	CHECK(acl->count == 3);
	store_acl_free(&acl);
	/* A deleted folder's entries go with it, and off the count. */
	OK(store_folder_delete(st, "a", "Shared", 0));
	CHECK(info(st, "a").acl_entries == 2);
	CHECK(problems_found(st) == 0);
	store_close(&st);
	rmtmp(&dir);
}

/* Issue 15 item 5: "200 uploads of 900 KB each succeed under --quota 1M". */
static void t_uploads(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	store_call_t a = as_user("a");
	store_result_t res;
	uint64_t up1, up2, rcv, id;
	char body[200];

	memset(body, 'x', sizeof(body));
	OK(store_mailbox_ensure(st, "a"));
	OK(store_mailbox_set_quota(st, "a", 1000));
	/* The announced size is held against the quota from the start. */
	OK(store_upload_begin_as(st, &a, "a", 900, NULL, &res));
	up1 = res.id;
	CHECK_RC(store_upload_begin_as(st, &a, "a", 900, NULL, &res), STORE_QUOTA);
	CHECK(info(st, "a").upload_bytes == 900 && info(st, "a").uploads == 1);
	/* So is a delivery (it would have fitted beside the messages alone). */
	CHECK_RC(store_message_append(st, "a", "Inbox", body, 200, 0, 0, &id), STORE_QUOTA);
	OK(store_message_append(st, "a", "Inbox", body, 100, 0, 0, &id));
	/* Aborting gives it back. */
	OK(store_upload_abort_as(st, &a, "a", up1, &res));
	CHECK(info(st, "a").upload_bytes == 0 && info(st, "a").uploads == 0);
	/* Committed, the upload's hold becomes the message's bytes. */
	OK(store_upload_begin_as(st, &a, "a", 100, NULL, &res));
	up2 = res.id;
	OK(store_upload_append(st, "a", up2, 0, body, 100, &rcv));
	OK(store_upload_commit_append_as(st, &a, "a", up2, "a", "Inbox", 0, &res));
	CHECK(info(st, "a").upload_bytes == 0 && info(st, "a").bytes_used == 200);
	/* The number of uploads is bounded too. */
	OK(store_mailbox_set_quota(st, "a", 0));
	OK(store_policy_set(st, STORE_POLICY_MAX_UPLOADS, 2));
	OK(store_upload_begin_as(st, &a, "a", 10, NULL, &res));
	OK(store_upload_begin_as(st, &a, "a", 10, NULL, &res));
	CHECK_RC(store_upload_begin_as(st, &a, "a", 10, NULL, &res), STORE_LIMIT);
	CHECK(problems_found(st) == 0);
	store_close(&st);
	rmtmp(&dir);
}

/* A submit takes the upload's hold off the uploader, whoever it sends as. */
static void t_upload_submit(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	uint64_t up, rcv, sent;
	size_t bad;
	const char *rcpt[] = {"b"};

	OK(store_mailbox_ensure(st, "a"));
	OK(store_mailbox_ensure(st, "b"));
	OK(store_upload_begin(st, "a", 5, NULL, &up));
	OK(store_upload_append(st, "a", up, 0, "hello", 5, &rcv));
	CHECK(info(st, "a").upload_bytes == 5);
	OK(store_upload_commit_submit(st, "a", up, rcpt, 1, &sent, &bad));
	CHECK(info(st, "a").upload_bytes == 0 && info(st, "a").uploads == 0);
	CHECK(info(st, "a").bytes_used == 5 && info(st, "b").bytes_used == 5);
	CHECK(problems_found(st) == 0);
	store_close(&st);
	rmtmp(&dir);
}

static void t_upload_age(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	store_call_t a = as_user("a");
	store_result_t res;
	uint64_t up, rcv, n;

	OK(store_mailbox_ensure(st, "a"));
	OK(store_policy_set(st, STORE_POLICY_UPLOAD_AGE, 1));
	OK(store_upload_begin_as(st, &a, "a", 10, NULL, &res));
	up = res.id;
	sleep(2);
	/* Past its age it is gone for its owner at once... */
	CHECK_RC(store_upload_append(st, "a", up, 0, "x", 1, &rcv), STORE_NOTFOUND);
	CHECK(info(st, "a").uploads == 1);
	/* ...and housekeeping takes it off the mailbox's counts. */
	OK(store_upload_expire(st, 1, &n));
	CHECK(n == 1);
	CHECK(info(st, "a").uploads == 0 && info(st, "a").upload_bytes == 0);
	CHECK(problems_found(st) == 0);
	store_close(&st);
	rmtmp(&dir);
}

/* Writes schema-3 records into a store: version 1 mailbox records (no
 * counts), "opage" keyed created | mbid | op. */
static int to_schema3(store_t *st, MDB_txn *txn, void *ctx)
{
	const char *const *names = ctx;
	unsigned char v[8], rec[ST_MBOX_REC_LEN], age[40];
	MDB_val k = {strlen("schema_version"), "schema_version"}, d = {8, v};
	MDB_cursor *cur = NULL;
	MDB_val ok, ov, ak = {ST_OPAGE_KEY_LEN, age}, av = {0, NULL};
	st_mbox_t mb;

	st_put_u64(v, 3);
	CHECK(mdb_put(txn, st->db_meta, &k, &d, 0) == 0);
	for (; *names != NULL; names++) {
		OK(st_mbox_load(st, txn, *names, 1, &mb));
		st_mbox_encode(&mb, rec);
		st_put_u16(rec, 1);
		MDB_val nk = {strlen(*names), (void *)*names}, nv = {ST_MBOX_REC_V1_LEN, rec};
		CHECK(mdb_put(txn, st->db_mailbox, &nk, &nv, 0) == 0);
	}
	CHECK(mdb_drop(txn, st->db_opage, 0) == 0);
	CHECK(mdb_cursor_open(txn, st->db_op, &cur) == 0);
	for (int rc = mdb_cursor_get(cur, &ok, &ov, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(cur, &ok, &ov, MDB_NEXT)) {
		memcpy(age, ov.mv_data, 8);
		memcpy(age + 8, ok.mv_data, ST_OP_KEY_LEN);
		CHECK(mdb_put(txn, st->db_opage, &ak, &av, 0) == 0);
	}
	mdb_cursor_close(cur);
	return STORE_OK;
}

static void t_upgrade(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	unsigned char op[STORE_OPID_LEN] = "upgrade-op-0001";
	store_call_t a = {NULL, "a", op};
	store_result_t res;
	const char *names[] = {"a", "b", NULL};
	uint64_t up;

	OK(store_mailbox_ensure(st, "a"));
	OK(store_mailbox_ensure(st, "b"));
	OK(store_folder_create_as(st, &a, "a", "Kept", &res));
	OK(store_acl_set(st, "a", "Kept", "b", 1));
	OK(store_upload_begin(st, "b", 77, NULL, &up));
	OK(st_write(st, to_schema3, names));
	CHECK(problems_found(st) == 2); /* two records without their counts */
	store_close(&st);
	/* Opening it counts what each mailbox holds. */
	OK(store_open(dir, NULL, &st));
	CHECK(info(st, "a").folders == 6 && info(st, "a").acl_entries == 1);
	CHECK(info(st, "a").op_records == 1);
	CHECK(info(st, "b").uploads == 1 && info(st, "b").upload_bytes == 77);
	CHECK(problems_found(st) == 0);
	/* The op result still answers its repeat. */
	OK(store_folder_create_as(st, &a, "a", "Kept", &res));
	CHECK(res.replayed == 1);
	store_close(&st);
	rmtmp(&dir);
}

/* verify finds a count that disagrees with the records. */
static int miscount(store_t *st, MDB_txn *txn, void *ctx)
{
	st_mbox_t mb;
	(void)ctx;
	OK(st_mbox_load(st, txn, "a", 1, &mb));
	mb.folders++;
	return st_mbox_save(st, txn, "a", &mb);
}

static void t_verify_counts(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);

	OK(store_mailbox_ensure(st, "a"));
	CHECK(problems_found(st) == 0);
	OK(st_write(st, miscount, NULL));
	CHECK(problems_found(st) == 1);
	store_close(&st);
	rmtmp(&dir);
}

/* Slots of the reader table in use (pid set), by LMDB's own list. */
static int count_line(const char *msg, void *ctx)
{
	int *n = ctx;
	/* The header line is "    pid     thread     txnid"; entries start with a pid. */
	if (strstr(msg, "txnid") == NULL && strstr(msg, "(no active readers)") == NULL)
		(*n)++;
	return 0;
}

static int readers_in_use(store_t *st)
{
	int n = 0;
	CHECK(mdb_reader_list(st->env, count_line, &n) >= 0);
	return n;
}

/* In a child process: takes every reader slot (one transaction each),
 * says how many on out, and lets them go when in closes. */
static pid_t hold_readers(const char *dir, const store_options_t *opt, int *in_w, int *out_r)
{
	int to_child[2], from_child[2];
	CHECK(pipe(to_child) == 0 && pipe(from_child) == 0);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		store_t *st = NULL;
		MDB_txn *held[256];
		int n = 0;
		char c;
		close(to_child[1]);
		close(from_child[0]);
		OK(store_open(dir, opt, &st)); /* the first opener sizes the table */
		while (n < 256 && st_read_begin(st, &held[n]) == STORE_OK)
			n++;
		CHECK(write(from_child[1], &n, sizeof(n)) == sizeof(n));
		CHECK(read(to_child[0], &c, 1) == 0);
		while (n > 0)
			mdb_txn_abort(held[--n]);
		store_close(&st);
		_exit(0);
	}
	close(to_child[0]);
	close(from_child[1]);
	*in_w = to_child[1];
	*out_r = from_child[0];
	return pid;
}

static void t_readers(void)
{
	char *dir;
	store_options_t opt;
	store_t *st, *other = NULL;
	store_mailbox_info_t mi;
	uint64_t id;
	int n = 0, in_w, out_r, status;

	store_options_init(&opt);
	opt.max_readers = 4; /* LMDB rounds the table up to fill a page */
	st = open_new(&dir, &opt);
	OK(store_mailbox_ensure(st, "a"));
	/* A read leaves no slot behind: an idle process holds none. */
	OK(store_mailbox_info(st, "a", &mi));
	CHECK(readers_in_use(st) == 0);
	/* One environment per process (LMDB's rule), so the slots are taken
	 * by another process. */
	store_close(&st);
	pid_t pid = hold_readers(dir, &opt, &in_w, &out_r);
	CHECK(read(out_r, &n, sizeof(n)) == sizeof(n));
	CHECK(n > 0 && n < 256);
	/* The table is full: a reader is told "busy"... */
	OK(store_open(dir, NULL, &other));
	CHECK(readers_in_use(other) == n);
	CHECK_RC(store_mailbox_info(other, "a", &mi), STORE_BUSY);
	store_close(&other);
	/* ...a handle that may read under the writer lock goes on, and a
	 * delivery, which only writes, always does. */
	opt.readers_full_fallback = 1;
	OK(store_open(dir, &opt, &other));
	OK(store_mailbox_info(other, "a", &mi));
	OK(store_message_append(other, "a", "Inbox", "x", 1, 0, 0, &id));
	close(in_w);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(out_r);
	CHECK(readers_in_use(other) == 0);
	store_close(&other);
	rmtmp(&dir);
}

int main(void)
{
	RUN(t_folders);
	RUN(t_acl);
	RUN(t_uploads);
	RUN(t_upload_submit);
	RUN(t_upload_age);
	RUN(t_upgrade);
	RUN(t_verify_counts);
	RUN(t_readers);
	printf("%d tests passed\n", test_count);
	return 0;
}
