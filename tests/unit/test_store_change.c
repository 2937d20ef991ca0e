/*
 * test_store_change.c -- batches of message changes and calls named by an
 * operation id: the work and the op record commit in one transaction (a
 * process killed between them leaves neither, and the retry does the work
 * once); repeats of folder, ACL and upload-begin ops are answered from the
 * record, and a send on behalf adds its Sender: line once.  The
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

static void *reply_ok(const store_change_outcome_t *out, void *ctx, size_t *len_r)
{
	(void)ctx;
	char *b = malloc(32);
	*len_r = (size_t)snprintf(b, 32, "done=%zu", out->done);
	return b;
}

/* Dies inside the write transaction, after the work and before the op
 * record and the commit: the crash the record must not survive alone. */
static void *reply_die(const store_change_outcome_t *out, void *ctx, size_t *len_r)
{
	(void)out;
	(void)ctx;
	(void)len_r;
	_exit(7);
}

static void t_op_atomic(void)
{
	char *dir, where[STORE_PATH_MAX + 1];
	store_t *st = open_new(&dir, NULL);
	unsigned char op[STORE_OPID_LEN] = "move-op-0000001";
	store_mailbox_info_t before, after;
	uint64_t ids[3];

	OK(store_mailbox_ensure(st, "a"));
	OK(store_folder_create(st, "a", "Dst"));
	for (int i = 0; i < 3; i++)
		ids[i] = put(st, "Inbox", 0);
	OK(store_mailbox_info(st, "a", &before));
	store_change_t ch = { .kind = STORE_OP_MOVE, .ids = ids, .n = 3, .dest = "Dst",
	                      .name = { "a", op } };
	store_close(&st);

	/* A connection process dies between the work and its record. */
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		store_t *cst = NULL;
		store_change_outcome_t out;
		if (store_open(dir, NULL, &cst) != STORE_OK)
			_exit(1);
		store_change(cst, "a", &ch, reply_die, NULL, &out);
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
	void *rec = NULL;
	size_t len = 0;
	CHECK_RC(store_op_result_find(st, "a", op, STORE_OP_MOVE, &rec, &len), STORE_NOTFOUND);
	CHECK(problems(st) == 0);

	/* The retry does the work once, and records it with it. */
	store_change_outcome_t out;
	OK(store_change(st, "a", &ch, reply_ok, NULL, &out));
	CHECK(!out.replayed && out.status == STORE_OK && out.done == 3);
	OK(store_mailbox_info(st, "a", &after));
	CHECK(after.change == before.change + 1);
	OK(store_op_result_find(st, "a", op, STORE_OP_MOVE, &rec, &len));
	CHECK(len == 6 && memcmp(rec, "done=3", 6) == 0);
	free(rec);
	/* Another repeat (say, it raced the first) changes nothing. */
	OK(store_change(st, "a", &ch, reply_ok, NULL, &out));
	CHECK(out.replayed && out.reply_len == 6 && memcmp(out.reply, "done=3", 6) == 0);
	free(out.reply);
	OK(store_mailbox_info(st, "a", &after));
	CHECK(after.change == before.change + 1);
	/* The same op id for another kind of call is refused. */
	ch.kind = STORE_OP_DELETE;
	CHECK_RC(store_change(st, "a", &ch, reply_ok, NULL, &out), STORE_INVALID);
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
	uint64_t ids[3], new_ids[3] = { 0, 0, 0 };
	store_change_outcome_t out;

	OK(store_mailbox_ensure(st, "a"));
	ids[0] = put(st, "Inbox", 0);
	ids[1] = 999;   /* missing */
	ids[2] = put(st, "Inbox", 0);
	store_change_t ch = { .kind = STORE_OP_COPY, .ids = ids, .n = 3, .dest = "Drafts",
	                      .new_ids = new_ids, .name = { "a", op } };
	OK(store_change(st, "a", &ch, reply_ok, NULL, &out));
	CHECK(out.status == STORE_NOTFOUND && out.done == 1 && new_ids[0] != 0);
	CHECK(strcmp(folder_of(st, new_ids[0], where, sizeof(where)), "Drafts") == 0);
	/* Part-way is a result too: a repeat gets it and copies nothing more. */
	OK(store_change(st, "a", &ch, reply_ok, NULL, &out));
	CHECK(out.replayed && memcmp(out.reply, "done=1", 6) == 0);
	free(out.reply);
	store_folder_info_t f;
	OK(store_folder_get(st, "a", "Drafts", &f));
	CHECK(f.total == 1);
	/* Nothing done: nothing recorded, the whole call failed. */
	unsigned char op2[STORE_OPID_LEN] = "flag-op-0000001";
	store_change_t fl = { .kind = STORE_OP_FLAGS, .ids = ids, .n = 3, .set = STORE_FLAG_SEEN,
	                      .name = { "a", op2 } };
	CHECK_RC(store_change(st, "a", &fl, reply_ok, NULL, &out), STORE_NOTFOUND);
	void *rec = NULL;
	size_t len = 0;
	CHECK_RC(store_op_result_find(st, "a", op2, STORE_OP_FLAGS, &rec, &len), STORE_NOTFOUND);
	OK(store_folder_get(st, "a", "Inbox", &f));
	CHECK(f.unread == 2);
	CHECK(problems(st) == 0);
	store_close(&st);
	rmtmp(&dir);
}

static void t_named_calls(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	unsigned char op[STORE_OPID_LEN] = "folder-op-00001";
	store_opname_t name = { "a", op };
	store_folder_info_t f;
	int replayed = -1;

	OK(store_mailbox_ensure(st, "a"));
	OK(store_folder_create_op(st, "a", "P", &name, &replayed));
	CHECK(replayed == 0);
	/* The reply was lost; the retry is told it worked, not "exists". */
	OK(store_folder_create_op(st, "a", "P", &name, &replayed));
	CHECK(replayed == 1);
	/* Without an op id the same call is not a repeat. */
	CHECK_RC(store_folder_create_op(st, "a", "P", NULL, &replayed), STORE_EXISTS);
	op[0] = 'r';
	OK(store_folder_rename_op(st, "a", "P", "Q", &name, &replayed));
	OK(store_folder_rename_op(st, "a", "P", "Q", &name, &replayed));
	CHECK(replayed == 1);
	OK(store_folder_get(st, "a", "Q", &f));
	CHECK_RC(store_folder_get(st, "a", "P", &f), STORE_NOTFOUND);
	/* A kind mismatch is an error, not a replay. */
	CHECK_RC(store_folder_delete_op(st, "a", "Q", 0, &name, &replayed), STORE_INVALID);
	op[0] = 'd';
	OK(store_folder_delete_op(st, "a", "Q", 0, &name, &replayed));
	OK(store_folder_delete_op(st, "a", "Q", 0, &name, &replayed));
	CHECK(replayed == 1);
	CHECK_RC(store_folder_get(st, "a", "Q", &f), STORE_NOTFOUND);
	/* A failure is not recorded: the repeat fails the same way. */
	op[0] = 'n';
	CHECK_RC(store_folder_rename_op(st, "a", "Nope", "X", &name, &replayed), STORE_NOTFOUND);
	CHECK_RC(store_folder_rename_op(st, "a", "Nope", "X", &name, &replayed), STORE_NOTFOUND);

	op[0] = 'a';
	OK(store_acl_set_op(st, "a", "Inbox", "bob", 3, &name, &replayed));
	OK(store_acl_set_op(st, "a", "Inbox", "bob", 3, &name, &replayed));
	CHECK(replayed == 1);
	store_mailbox_info_t mi;
	OK(store_mailbox_info(st, "a", &mi));
	uint64_t change = mi.change;
	OK(store_acl_set_op(st, "a", "Inbox", "bob", 3, &name, &replayed));
	OK(store_mailbox_info(st, "a", &mi));
	CHECK(mi.change == change);

	op[0] = 'u';
	uint64_t up1 = 0, up2 = 0, up3 = 0;
	OK(store_upload_begin_op(st, "a", 10, NULL, &name, &up1, &replayed));
	CHECK(replayed == 0 && up1 != 0);
	OK(store_upload_begin_op(st, "a", 10, NULL, &name, &up2, &replayed));
	CHECK(replayed == 1 && up2 == up1);
	OK(store_upload_begin(st, "a", 10, NULL, &up3));
	CHECK(up3 == up1 + 1);   /* the repeat began no upload of its own */
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
	OK(store_message_move(st, "a", ids[1], "F"));
	OK(store_message_move(st, "a", ids[2], "F/G"));
	OK(store_message_copy(st, "a", ids[3], "F", &copy));
	OK(store_message_delete(st, "a", ids[4], 0));
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
	OK(store_message_move(st, "a", ids[0], "Drafts"));
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

int main(void)
{
	RUN(t_op_atomic);
	RUN(t_batch_partial);
	RUN(t_named_calls);
	RUN(t_prepend_once);
	RUN(t_cidx_kept);
	RUN(t_cidx_many);
	RUN(t_cidx_upgrade);
	printf("%d tests passed\n", test_count);
	return 0;
}
