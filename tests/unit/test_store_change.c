/*
 * test_store_change.c -- batches of message changes and calls named by an
 * operation id: the work and the op record commit in one transaction (a
 * process killed in it leaves neither, and the retry does the work once;
 * a repeat gets the first call's ids and counts); repeats of folder, ACL
 * and upload ops are answered from the record, and a send on behalf adds
 * its Sender: line once.  The
 * per-folder change index: kept by every mutation (verify
 * finds nothing wrong; sync from any state equals a brute-force answer, by
 * the index and by the whole-folder walk), rebuilt when a schema-1 store
 * is opened, and its absence caught by verify.
 */
#include <signal.h>
#include <sys/wait.h>

#include "test_util.h"
#include "store_int.h"

static uint64_t put(store_t *st, const char *folder, uint32_t flags)
{
	size_t len;
	uint64_t id;
	char *m = mkmsg("c@x", "change", 40, &len);

	OK(store_message_append(st, "a", folder, m, len, flags, 0, &id));
	free(m);
	return id;
}

static void count_problem(const char *text, void *ctx)
{
	fprintf(stderr, "verify: %s\n", text);
	++*(int *)ctx;
}

static uint64_t problems(store_t *st)
{
	uint64_t n = 0;
	int seen = 0;
	OK(store_verify(st, count_problem, &seen, &n));
	return n;
}

static const char *folder_of(store_t *st, uint64_t id, char *buf, size_t len)
{
	store_msginfo_t *info = NULL;
	if (store_message_get(st, "a", id, &info) != STORE_OK)
		return NULL;
	snprintf(buf, len, "%s", info->folder);
	store_msginfo_free(&info);
	return buf;
}

/* A guard that lets everything through but kills its process at the
 * third touch, inside the write transaction, after part of the work and
 * before the op record: the crash the record must not survive alone. */
static int die_third(void *ctx, const store_touch_t *t)
{
	(void)t;
	if (++*(int *)ctx == 3)
		_exit(7);
	return STORE_OK;
}

static void t_op_atomic(void)
{
	char *dir, where[STORE_PATH_MAX + 1];
	store_t *st = open_new(&dir, NULL);
	unsigned char op[STORE_OPID_LEN] = "move-op-0000001";
	store_mailbox_info_t before, after;
	store_result_t res;
	uint64_t ids[3];

	OK(store_mailbox_ensure(st, "a"));
	OK(store_folder_create(st, "a", "Dst"));
	for (int i = 0; i < 3; i++)
		ids[i] = put(st, "Inbox", 0);
	OK(store_mailbox_info(st, "a", &before));
	store_change_t ch = { .kind = STORE_OP_MOVE, .ids = ids, .n = 3, .dest = "Dst" };
	store_close(&st);

	/* A connection process dies between part of the work and its record. */
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		store_t *cst = NULL;
		int touches = 0;
		store_guard_t g = { die_third, &touches, NULL };
		store_call_t call = { &g, "a", op };
		if (store_open(dir, NULL, &cst) != STORE_OK)
			_exit(1);
		store_change(cst, &call, "a", &ch, &res);
		_exit(2);
	}
	int ws;
	CHECK(waitpid(pid, &ws, 0) == pid && WIFEXITED(ws) && WEXITSTATUS(ws) == 7);
	OK(store_open(dir, NULL, &st));
	/* Neither the moves nor the record are there. */
	OK(store_mailbox_info(st, "a", &after));
	CHECK(after.change == before.change);
	for (int i = 0; i < 3; i++)
		CHECK(strcmp(folder_of(st, ids[i], where, sizeof(where)), "Inbox") == 0);
	CHECK(problems(st) == 0);

	/* The retry does the work once (new ids in Dst), and records it with it. */
	store_call_t call = { NULL, "a", op };
	OK(store_change(st, &call, "a", &ch, &res));
	CHECK(!res.replayed && res.status == STORE_OK && res.done == 3 && res.ids != NULL);
	uint64_t first[3];
	memcpy(first, res.ids, sizeof(first));
	for (int i = 0; i < 3; i++)
		CHECK(first[i] > ids[2] && folder_of(st, ids[i], where, sizeof(where)) == NULL &&
		      strcmp(folder_of(st, first[i], where, sizeof(where)), "Dst") == 0);
	store_result_clear(&res);
	OK(store_mailbox_info(st, "a", &after));
	CHECK(after.change == before.change + 1);
	/* Another repeat (say, it raced the first) changes nothing and gets
	 * the first call's result, new ids and all. */
	OK(store_change(st, &call, "a", &ch, &res));
	CHECK(res.replayed && res.done == 3 && memcmp(res.ids, first, sizeof(first)) == 0);
	store_result_clear(&res);
	OK(store_mailbox_info(st, "a", &after));
	CHECK(after.change == before.change + 1);
	/* The same op id for another kind of call is refused. */
	ch.kind = STORE_OP_DELETE;
	CHECK_RC(store_change(st, &call, "a", &ch, &res), STORE_INVALID);
	CHECK(problems(st) == 0);
	store_close(&st);
	rmtmp(&dir);
}

/* A batch stops at the first id it cannot change and keeps those before. */
static void t_batch_partial(void)
{
	char *dir, where[STORE_PATH_MAX + 1];
	store_t *st = open_new(&dir, NULL);
	unsigned char op[STORE_OPID_LEN] = "copy-op-0000001";
	store_call_t call = { NULL, "a", op };
	store_result_t res;
	uint64_t ids[3];

	OK(store_mailbox_ensure(st, "a"));
	ids[0] = put(st, "Inbox", 0);
	ids[1] = 999;   /* missing */
	ids[2] = put(st, "Inbox", 0);
	store_change_t ch = { .kind = STORE_OP_COPY, .ids = ids, .n = 3, .dest = "Drafts" };
	OK(store_change(st, &call, "a", &ch, &res));
	CHECK(res.status == STORE_NOTFOUND && res.done == 1 && res.ids[0] != 0);
	CHECK(strcmp(folder_of(st, res.ids[0], where, sizeof(where)), "Drafts") == 0);
	uint64_t copy = res.ids[0];
	store_result_clear(&res);
	/* Part-way is a result too: a repeat gets it and copies nothing more. */
	OK(store_change(st, &call, "a", &ch, &res));
	CHECK(res.replayed && res.status == STORE_NOTFOUND && res.done == 1 && res.ids[0] == copy);
	store_result_clear(&res);
	store_folder_info_t f;
	OK(store_folder_get(st, "a", "Drafts", &f));
	CHECK(f.total == 1);
	/* Refused at its first id: nothing done, nothing recorded (a repeat
	 * is refused alike), and the refusal is about the id. */
	unsigned char op1[STORE_OPID_LEN] = "move-op-0000009";
	store_call_t call1 = { NULL, "a", op1 };
	store_change_t mv = { .kind = STORE_OP_MOVE, .ids = &ids[1], .n = 1, .dest = "Drafts" };
	for (int i = 0; i < 2; i++) {
		OK(store_change(st, &call1, "a", &mv, &res));
		CHECK(!res.replayed && res.status == STORE_NOTFOUND && res.done == 0);
		store_result_clear(&res);
	}
	/* ... unlike a missing destination, which fails the call. */
	mv.dest = "Nowhere";
	CHECK_RC(store_change(st, &call1, "a", &mv, &res), STORE_NOTFOUND);
	/* Flags are all or nothing: the call fails, nothing recorded. */
	unsigned char op2[STORE_OPID_LEN] = "flag-op-0000001";
	store_call_t call2 = { NULL, "a", op2 };
	store_change_t fl = { .kind = STORE_OP_FLAGS, .ids = ids, .n = 3, .set = STORE_FLAG_SEEN };
	CHECK_RC(store_change(st, &call2, "a", &fl, &res), STORE_NOTFOUND);
	OK(store_folder_get(st, "a", "Inbox", &f));
	CHECK(f.unread == 2);
	fl.n = 1;
	OK(store_change(st, &call2, "a", &fl, &res));
	CHECK(!res.replayed);   /* the failed one was not recorded */
	OK(store_folder_get(st, "a", "Inbox", &f));
	CHECK(f.unread == 1);
	CHECK(problems(st) == 0);
	store_close(&st);
	rmtmp(&dir);
}

static void t_named_calls(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	unsigned char op[STORE_OPID_LEN] = "folder-op-00001";
	store_call_t name = { NULL, "a", op }, unnamed = { NULL, NULL, NULL };
	store_folder_info_t f;
	store_result_t res;

	OK(store_mailbox_ensure(st, "a"));
	OK(store_folder_create_as(st, &name, "a", "P", &res));
	CHECK(res.replayed == 0);
	/* The reply was lost; the retry is told it worked, not "exists". */
	OK(store_folder_create_as(st, &name, "a", "P", &res));
	CHECK(res.replayed == 1);
	/* Without an op id the same call is not a repeat. */
	CHECK_RC(store_folder_create_as(st, &unnamed, "a", "P", &res), STORE_EXISTS);
	op[0] = 'r';
	OK(store_folder_rename_as(st, &name, "a", "P", "Q", &res));
	OK(store_folder_rename_as(st, &name, "a", "P", "Q", &res));
	CHECK(res.replayed == 1);
	OK(store_folder_get(st, "a", "Q", &f));
	CHECK_RC(store_folder_get(st, "a", "P", &f), STORE_NOTFOUND);
	/* A kind mismatch is an error, not a replay. */
	CHECK_RC(store_folder_delete_as(st, &name, "a", "Q", 0, &res), STORE_INVALID);
	op[0] = 'd';
	OK(store_folder_delete_as(st, &name, "a", "Q", 0, &res));
	OK(store_folder_delete_as(st, &name, "a", "Q", 0, &res));
	CHECK(res.replayed == 1);
	CHECK_RC(store_folder_get(st, "a", "Q", &f), STORE_NOTFOUND);
	/* A failure is not recorded: the repeat fails the same way. */
	op[0] = 'n';
	CHECK_RC(store_folder_rename_as(st, &name, "a", "Nope", "X", &res), STORE_NOTFOUND);
	CHECK_RC(store_folder_rename_as(st, &name, "a", "Nope", "X", &res), STORE_NOTFOUND);

	op[0] = 'a';
	OK(store_acl_set_as(st, &name, "a", "Inbox", "bob", 3, &res));
	OK(store_acl_set_as(st, &name, "a", "Inbox", "bob", 3, &res));
	CHECK(res.replayed == 1);
	store_mailbox_info_t mi;
	OK(store_mailbox_info(st, "a", &mi));
	uint64_t change = mi.change;
	OK(store_acl_set_as(st, &name, "a", "Inbox", "bob", 3, &res));
	OK(store_mailbox_info(st, "a", &mi));
	CHECK(mi.change == change);

	op[0] = 'u';
	uint64_t up1 = 0, up3 = 0;
	OK(store_upload_begin_as(st, &name, "a", 10, NULL, &res));
	CHECK(res.replayed == 0 && res.id != 0);
	up1 = res.id;
	OK(store_upload_begin_as(st, &name, "a", 10, NULL, &res));
	CHECK(res.replayed == 1 && res.id == up1);
	OK(store_upload_begin(st, "a", 10, NULL, &up3));
	CHECK(up3 == up1 + 1);   /* the repeat began no upload of its own */
	/* An abort repeated after a lost reply is told it worked. */
	op[0] = 'x';
	OK(store_upload_abort_as(st, &name, "a", up3, &res));
	OK(store_upload_abort_as(st, &name, "a", up3, &res));
	CHECK(res.replayed == 1);
	CHECK_RC(store_upload_abort_as(st, &unnamed, "a", up3, &res), STORE_NOTFOUND);
	CHECK(problems(st) == 0);
	store_close(&st);
	rmtmp(&dir);
}

/* A send on behalf retried after its header went in adds it only once. */
static void t_prepend_once(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	uint64_t upload, got, sent;
	size_t bad;
	const char *rcpt[] = { "a" };
	const char body[] = "Subject: s\n\nx\n";
	char buf[256];

	OK(store_mailbox_ensure(st, "a"));
	OK(store_upload_begin(st, "a", sizeof(body) - 1, NULL, &upload));
	OK(store_upload_append(st, "a", upload, 0, body, sizeof(body) - 1, &got));
	OK(store_upload_prepend_header(st, "a", upload, "Sender: d@R"));
	OK(store_upload_prepend_header(st, "a", upload, "Sender: d@R"));
	OK(store_upload_commit_submit(st, "a", upload, rcpt, 1, &sent, &bad));
	size_t len = 0;
	OK(store_message_fetch(st, "a", sent, 0, buf, sizeof(buf) - 1, &len));
	buf[len] = '\0';
	CHECK(strcmp(buf, "Sender: d@R\nSubject: s\n\nx\n") == 0);
	store_close(&st);
	rmtmp(&dir);
}

/* Brute force: the messages of folder changed after since, by listing it. */
static size_t changed_by_listing(store_t *st, const char *folder, uint64_t since, uint64_t *ids)
{
	store_list_query_t q = { .limit = STORE_LIST_MAX };
	store_msglist_t *list = NULL;
	size_t n = 0;
	for (;;) {
		OK(store_message_list(st, "a", folder, &q, &list));
		for (size_t i = 0; i < list->count; i++)
			if (list->items[i].change > since)
				ids[n++] = list->items[i].id;
		int more = list->more;
		q.offset += list->count;
		store_msglist_free(&list);
		if (!more)
			return n;
	}
}

/* The changed ids a (paged) sync reports. */
static size_t changed_by_sync(store_t *st, const char *folder, uint64_t since, uint32_t page,
                              uint64_t *ids)
{
	store_sync_pos_t pos = { 0, 0, 0, 0 };
	store_sync_page_t *p = NULL;
	size_t n = 0;
	for (int pages = 0; pages < 100000; pages++) {
		OK(store_sync(st, "a", folder, since, &pos, 4096, page, &p));
		CHECK(!p->resync);
		for (size_t i = 0; i < p->changed->count; i++)
			ids[n++] = p->changed->items[i].id;
		pos = p->next;
		int more = p->more;
		store_sync_page_free(&p);
		if (!more)
			return n;
	}
	CHECK(!"sync never ended");
	return 0;
}

static void same_answer(store_t *st, const char *folder, uint64_t since, uint32_t page)
{
	static uint64_t a[8192], b[8192];
	size_t na = changed_by_listing(st, folder, since, a);
	size_t nb = changed_by_sync(st, folder, since, page, b);
	CHECK(na == nb && memcmp(a, b, na * sizeof(*a)) == 0);
}

static void t_cidx_kept(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	uint64_t ids[12], copy, sent, bad, upload, got;
	const char *rcpt[] = { "a" };

	OK(store_mailbox_ensure(st, "a"));
	OK(store_folder_create(st, "a", "F"));
	OK(store_folder_create(st, "a", "F/G"));
	for (int i = 0; i < 12; i++)
		ids[i] = put(st, i % 2 ? "Inbox" : "F", i % 3 ? 0 : STORE_FLAG_SEEN);
	store_mailbox_info_t mi;
	OK(store_mailbox_info(st, "a", &mi));
	uint64_t s0 = mi.change;
	OK(store_message_set_flags(st, "a", ids, 4, STORE_FLAG_FLAGGED, STORE_FLAG_SEEN));
	OK(store_message_move(st, "a", ids[1], "F", NULL));
	OK(store_message_move(st, "a", ids[2], "F/G", NULL));
	OK(store_message_copy(st, "a", ids[3], "F", &copy));
	OK(store_message_move(st, "a", ids[4], STORE_FOLDER_DELETED, &ids[4]));
	OK(store_message_delete(st, "a", ids[4], 0));   /* now for good */
	OK(store_message_delete(st, "a", ids[5], 1));
	OK(store_mailbox_info(st, "a", &mi));
	uint64_t s1 = mi.change;
	OK(store_message_set_flags(st, "a", &copy, 1, STORE_FLAG_SEEN, 0));
	OK(store_message_restore(st, "a", "F", 500, "Subject: r\n\nx\n", 14, 0, 0, &got));
	OK(store_upload_begin(st, "a", 14, NULL, &upload));
	OK(store_upload_append(st, "a", upload, 0, "Subject: u\n\nx\n", 14, &got));
	OK(store_upload_commit_submit(st, "a", upload, rcpt, 1, &sent, (size_t *)&bad));
	OK(store_upload_begin(st, "a", 14, NULL, &upload));
	OK(store_upload_append(st, "a", upload, 0, "Subject: v\n\nx\n", 14, &got));
	OK(store_upload_commit_append(st, "a", upload, "F", 0, &got));
	CHECK(problems(st) == 0);
	const char *folders[] = { "Inbox", "F", "F/G", "Deleted Items", "Sent Items" };
	for (size_t f = 0; f < 5; f++) {
		same_answer(st, folders[f], s0, 1000);
		same_answer(st, folders[f], s1, 2);
		same_answer(st, folders[f], 0, 3);
	}
	OK(store_folder_delete(st, "a", "F", 1));
	CHECK(problems(st) == 0);
	OK(store_mailbox_delete(st, "a"));
	MDB_txn *txn;
	MDB_stat ms;
	OK(st_read_begin(st, &txn));
	CHECK(mdb_stat(txn, st->db_cidx, &ms) == 0 && ms.ms_entries == 0);
	mdb_txn_abort(txn);
	store_close(&st);
	rmtmp(&dir);
}

/* More changed than the index is worth sorting: the folder walk answers. */
static void t_cidx_many(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	static uint64_t ids[4200];
	const size_t n = sizeof(ids) / sizeof(ids[0]);

	/* Only this test's speed: the store is thrown away. */
	CHECK(mdb_env_set_flags(st->env, MDB_NOSYNC, 1) == 0);
	OK(store_mailbox_ensure(st, "a"));
	for (size_t i = 0; i < n; i++)
		ids[i] = put(st, "Inbox", 0);
	store_mailbox_info_t mi;
	OK(store_mailbox_info(st, "a", &mi));
	uint64_t since = mi.change;
	OK(store_message_set_flags(st, "a", ids, 4096, STORE_FLAG_SEEN, 0));
	OK(store_message_set_flags(st, "a", ids + 4096, n - 4096, STORE_FLAG_SEEN, 0));
	same_answer(st, "Inbox", since, 1000);
	same_answer(st, "Inbox", since + 1, 1000);   /* 104: through the index */
	store_close(&st);
	rmtmp(&dir);
}

static int drop_index(store_t *st, MDB_txn *txn, void *ctx)
{
	unsigned char v[8];
	MDB_val k = { strlen("schema_version"), "schema_version" }, d = { 8, v };
	st_put_u64(v, 1);
	CHECK(mdb_drop(txn, st->db_cidx, 0) == 0);
	if (ctx != NULL)
		CHECK(mdb_put(txn, st->db_meta, &k, &d, 0) == 0);
	return STORE_OK;
}

static void t_cidx_upgrade(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	uint64_t ids[5];

	OK(store_mailbox_ensure(st, "a"));
	for (int i = 0; i < 5; i++)
		ids[i] = put(st, "Inbox", 0);
	OK(store_message_move(st, "a", ids[0], "Drafts", NULL));
	store_mailbox_info_t mi;
	OK(store_mailbox_info(st, "a", &mi));
	OK(store_message_set_flags(st, "a", ids + 3, 1, STORE_FLAG_SEEN, 0));
	/* Without the index, verify says so. */
	OK(st_write(st, drop_index, NULL));
	CHECK(problems(st) == 6);   /* 5 messages without an entry, and the count */
	/* A store written before the index (schema 1) gets it when opened. */
	OK(st_write(st, drop_index, "schema 1"));
	store_close(&st);
	OK(store_open(dir, NULL, &st));
	CHECK(problems(st) == 0);
	same_answer(st, "Inbox", mi.change, 1000);
	uint64_t got[8];
	CHECK(changed_by_sync(st, "Inbox", mi.change, 1000, got) == 1 && got[0] == ids[3]);
	MDB_txn *txn;
	MDB_val k = { strlen("schema_version"), "schema_version" }, d;
	OK(st_read_begin(st, &txn));
	CHECK(mdb_get(txn, st->db_meta, &k, &d) == 0 && st_get_u64(d.mv_data) == ST_SCHEMA_VERSION);
	mdb_txn_abort(txn);
	store_close(&st);
	rmtmp(&dir);
}

/* A schema-2 store as protocol version 1 left it: an op result holding
 * an XDR reply after 20 bytes, and its age entry. */
static int v1_op(store_t *st, MDB_txn *txn, void *ctx)
{
	unsigned char v[8], key[24], val[32] = {0}, age[32];
	MDB_val k = {strlen("schema_version"), "schema_version"}, d = {8, v};
	MDB_val ok = {sizeof(key), key}, ov = {sizeof(val), val};
	MDB_val ak = {sizeof(age), age}, av = {0, NULL};
	(void)ctx;
	st_put_u64(v, 2);
	st_put_u64(key, 1);
	memset(key + 8, 0x42, 16);
	st_put_u64(val, (uint64_t)st_now());
	st_put_u32(val + 8, STORE_OP_MOVE);
	st_put_u64(age, (uint64_t)st_now());
	memcpy(age + 8, key, sizeof(key));
	CHECK(mdb_put(txn, st->db_meta, &k, &d, 0) == 0);
	CHECK(mdb_put(txn, st->db_op, &ok, &ov, 0) == 0);
	CHECK(mdb_put(txn, st->db_opage, &ak, &av, 0) == 0);
	return STORE_OK;
}

/* Opening a schema-2 store forgets the op results of protocol version 1
 * (another layout: verify would call them corrupt, a repeat would read
 * them wrong) and raises the version; the store verifies clean. */
static void t_op_upgrade(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	MDB_txn *txn;
	MDB_stat op, opage;
	uint64_t v;
	int found;

	OK(store_mailbox_ensure(st, "a"));
	OK(st_write(st, v1_op, NULL));
	CHECK(problems(st) == 1);
	store_close(&st);
	OK(store_open(dir, NULL, &st));
	OK(st_read_begin(st, &txn));
	CHECK(mdb_stat(txn, st->db_op, &op) == 0 && op.ms_entries == 0);
	CHECK(mdb_stat(txn, st->db_opage, &opage) == 0 && opage.ms_entries == 0);
	OK(st_meta_get_u64(st, txn, "schema_version", &v, &found));
	CHECK(found && v == ST_SCHEMA_VERSION);
	mdb_txn_abort(txn);
	CHECK(problems(st) == 0);
	store_close(&st);
	rmtmp(&dir);
}

int main(void)
{
	RUN(t_op_atomic);
	RUN(t_batch_partial);
	RUN(t_named_calls);
	RUN(t_prepend_once);
	RUN(t_cidx_kept);
	RUN(t_cidx_many);
	RUN(t_cidx_upgrade);
	RUN(t_op_upgrade);
	printf("%d tests passed\n", test_count);
	return 0;
}
