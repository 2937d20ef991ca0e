/*
 * test_store_corrupt.c -- corruption is a status: each record decoder
 * fed corrupt bytes says STORE_CORRUPT (and reads nothing past its
 * buffer: every case is a malloc'd copy of its exact length, for ASan);
 * a corrupt record fails the calls that read it, logged through the sink
 * with its database and key, while other calls on the same handle go on;
 * verify lists it.  Also the store's policy: defaults, bounds, and a
 * change seen by another open handle at its next call.
 */
#include "test_util.h"

#include "store_int.h"

/* The lines the store logged, through store_set_log. */
static char logged[8192];

static void capture(void *ctx, int level, const char *line)
{
	(void)ctx;
	CHECK(level == STORE_LOG_ERR || level == STORE_LOG_WARNING || level == STORE_LOG_INFO);
	size_t n = strlen(logged);
	snprintf(logged + n, sizeof(logged) - n, "%s\n", line);
}

/* decode(copy of the first len bytes of rec, exactly len long). */
typedef int (*decode_fn)(const MDB_val *v, void *out);

static int decode_copy(decode_fn decode, const unsigned char *rec, size_t len, void *out)
{
	unsigned char *copy = malloc(len ? len : 1);
	CHECK(copy != NULL);
	memcpy(copy, rec, len);
	MDB_val v = {len, copy};
	int status = decode(&v, out);
	free(copy);
	return status;
}

static int mbox_decode(const MDB_val *v, void *out)
{
	return st_mbox_decode(v, out);
}
static int folder_decode(const MDB_val *v, void *out)
{
	return st_folder_decode(v, out);
}
static int msg_decode(const MDB_val *v, void *out)
{
	return st_msg_decode(v, out);
}
static int upload_decode(const MDB_val *v, void *out)
{
	return st_upload_decode(v, out);
}

static void t_decode_mailbox(void)
{
	st_mbox_t m = {.mbid = 7, .next_msg_id = 3, .change = 9}, got;
	unsigned char rec[ST_MBOX_REC_LEN + 1] = {0};
	st_mbox_encode(&m, rec);
	OK(decode_copy(mbox_decode, rec, ST_MBOX_REC_LEN, &got));
	CHECK(got.mbid == 7 && got.next_msg_id == 3 && got.change == 9);
	CHECK_RC(decode_copy(mbox_decode, rec, 0, &got), STORE_CORRUPT);
	CHECK_RC(decode_copy(mbox_decode, rec, ST_MBOX_REC_LEN - 1, &got), STORE_CORRUPT);
	CHECK_RC(decode_copy(mbox_decode, rec, ST_MBOX_REC_LEN + 1, &got), STORE_CORRUPT);
	rec[1] = 3; /* record version 3 */
	CHECK_RC(decode_copy(mbox_decode, rec, ST_MBOX_REC_LEN, &got), STORE_CORRUPT);
}

static void t_decode_folder(void)
{
	st_folder_t f = {.total = 4, .pathlen = 5}, got;
	unsigned char rec[ST_FOLDER_REC_MAX + 8] = {0};
	memcpy(f.path, "Inbox", 6);
	size_t n = st_folder_encode(&f, rec);
	OK(decode_copy(folder_decode, rec, n, &got));
	CHECK(got.total == 4 && strcmp(got.path, "Inbox") == 0);
	CHECK_RC(decode_copy(folder_decode, rec, 41, &got), STORE_CORRUPT);
	CHECK_RC(decode_copy(folder_decode, rec, n - 1, &got), STORE_CORRUPT);
	CHECK_RC(decode_copy(folder_decode, rec, n + 1, &got), STORE_CORRUPT);
	st_put_u16(rec + 40, STORE_PATH_MAX + 1); /* longer than a path can be */
	CHECK_RC(decode_copy(folder_decode, rec, 42 + STORE_PATH_MAX + 1, &got), STORE_CORRUPT);
	st_put_u16(rec + 40, 5);
	rec[1] = 0; /* version 0 */
	CHECK_RC(decode_copy(folder_decode, rec, n, &got), STORE_CORRUPT);
}

static void t_decode_message(void)
{
	static st_msg_t m, got;
	static unsigned char rec[ST_MSG_REC_MAX + 2048];
	memset(&m, 0, sizeof(m));
	m.size = 100;
	m.sum[SUM_SUBJECT] = "hello";
	m.sumlen[SUM_SUBJECT] = 5;
	for (int i = 0; i < SUM_COUNT; i++)
		if (i != SUM_SUBJECT)
			m.sum[i] = "";
	size_t n = st_msg_encode(&m, rec);
	OK(decode_copy(msg_decode, rec, n, &got));
	MDB_val whole = {n, rec}; /* the summary points into the record: keep it */
	OK(st_msg_decode(&whole, &got));
	CHECK(got.size == 100 && got.sumlen[SUM_SUBJECT] == 5 &&
	      memcmp(got.sum[SUM_SUBJECT], "hello", 5) == 0);
	CHECK_RC(decode_copy(msg_decode, rec, ST_MSG_FIXED_LEN - 1, &got), STORE_CORRUPT);
	CHECK_RC(decode_copy(msg_decode, rec, ST_MSG_FIXED_LEN, &got), STORE_CORRUPT);
	CHECK_RC(decode_copy(msg_decode, rec, n - 1, &got), STORE_CORRUPT); /* field cut */
	CHECK_RC(decode_copy(msg_decode, rec, n + 1, &got), STORE_CORRUPT); /* trailer */
	/* A summary field longer than any the store writes, bytes present. */
	unsigned char *p = rec + ST_MSG_FIXED_LEN;
	st_put_u16(p, STORE_SUMMARY_MAX + 1);
	memset(p + 2, 'x', STORE_SUMMARY_MAX + 1);
	size_t off = ST_MSG_FIXED_LEN + 2 + STORE_SUMMARY_MAX + 1;
	for (int i = 1; i < SUM_COUNT; i++, off += 2)
		st_put_u16(rec + off, 0);
	CHECK_RC(decode_copy(msg_decode, rec, off, &got), STORE_CORRUPT);
	/* A field length pointing past the record. */
	st_put_u16(p, 60000);
	CHECK_RC(decode_copy(msg_decode, rec, n, &got), STORE_CORRUPT);
	/* Longer than any record the store writes. */
	CHECK_RC(decode_copy(msg_decode, rec, ST_MSG_REC_MAX + 1, &got), STORE_CORRUPT);
	n = st_msg_encode(&m, rec);
	rec[1] = 9;
	CHECK_RC(decode_copy(msg_decode, rec, n, &got), STORE_CORRUPT);
}

static void t_decode_upload(void)
{
	st_upload_t u = {.mbid = 2, .expected = 10, .received = 4}, got;
	unsigned char rec[ST_UPLOAD_REC_LEN + 1] = {0};
	st_upload_encode(&u, rec);
	OK(decode_copy(upload_decode, rec, ST_UPLOAD_REC_LEN, &got));
	CHECK(got.mbid == 2 && got.expected == 10 && got.received == 4);
	CHECK_RC(decode_copy(upload_decode, rec, ST_UPLOAD_REC_LEN - 1, &got), STORE_CORRUPT);
	CHECK_RC(decode_copy(upload_decode, rec, ST_UPLOAD_REC_LEN + 1, &got), STORE_CORRUPT);
	rec[1] = 3;
	CHECK_RC(decode_copy(upload_decode, rec, ST_UPLOAD_REC_LEN, &got), STORE_CORRUPT);
}

static void t_key_text(void)
{
	unsigned char kb[40];
	char buf[200];
	MDB_val k = {st_key2(kb, 3, 17), kb};
	CHECK(strcmp(st_key_text("msg", &k, buf, sizeof(buf)), "3/17") == 0);
	MDB_val name = {5, "alice"};
	CHECK(strcmp(st_key_text("mailbox", &name, buf, sizeof(buf)), "\"alice\"") == 0);
	st_put_u64(kb, 5);
	memset(kb + 8, 0x42, STORE_OPID_LEN);
	MDB_val op = {8 + STORE_OPID_LEN, kb};
	CHECK(strcmp(st_key_text("op", &op, buf, sizeof(buf)),
		     "5/42424242424242424242424242424242") == 0);
	st_put_u64(kb, 7);
	st_put_u32(kb + 8, 3);
	MDB_val chunk = {12, kb};
	CHECK(strcmp(st_key_text("blob", &chunk, buf, sizeof(buf)), "7/3") == 0);
	MDB_val cut = {5, "\x01\x02\x03\x04\x05"}; /* shorter than its first field */
	CHECK(strcmp(st_key_text("msg", &cut, buf, sizeof(buf)), "0102030405") == 0);
	char tiny[4];
	CHECK(strlen(st_key_text("msg", &k, tiny, sizeof(tiny))) < sizeof(tiny));
}

struct cut {
	const char *mbox;
	uint64_t id;
};

static int cut_message(store_t *st, MDB_txn *txn, void *ctx)
{
	struct cut *c = ctx;
	st_mbox_t mb;
	unsigned char kb[16];
	int status = st_mbox_load(st, txn, c->mbox, 1, &mb);
	MDB_val k = {st_key2(kb, mb.mbid, c->id), kb}, v = {12, "not a record"};
	return status == STORE_OK ? st_err(mdb_put(txn, st->db_msg, &k, &v, 0), "put") : status;
}

/* Mailbox "a" with two messages in its Inbox, the second one's record cut. */
static void good_and_cut(store_t *st, uint64_t *good_r, uint64_t *bad_r)
{
	size_t len;
	char *msg = mkmsg("a@example.org", "hi", 100, &len);
	OK(store_mailbox_ensure(st, "a"));
	OK(store_message_append(st, "a", "Inbox", msg, len, 0, 0, good_r));
	OK(store_message_append(st, "a", "Inbox", msg, len, 0, 0, bad_r));
	free(msg);
	struct cut c = {"a", *bad_r};
	OK(st_write(st, cut_message, &c));
}

static void count_problem(const char *text, void *ctx)
{
	capture(ctx, STORE_LOG_INFO, text);
}

static void t_corrupt_message(void)
{
	char *dir, want[160];
	store_t *st = open_new(&dir, NULL);
	store_msginfo_t *info = NULL;
	store_msglist_t *list = NULL;
	store_folder_list_t *folders = NULL;
	store_list_query_t q = {.limit = 10};
	store_mailbox_info_t mi;
	uint64_t good, bad, problems = 0;

	good_and_cut(st, &good, &bad);
	logged[0] = '\0';
	store_set_log(capture, NULL);
	CHECK_RC(store_message_get(st, "a", bad, &info), STORE_CORRUPT);
	CHECK(info == NULL);
	/* The first mailbox of a store has id 1. */
	snprintf(want, sizeof(want),
		 "store: corrupt record db=msg key=1/%llu: message record of 12 bytes does not "
		 "decode\n",
		 (unsigned long long)bad);
	CHECK(strcmp(logged, want) == 0); /* one line */
	/* The same handle goes on serving everything else. */
	OK(store_message_get(st, "a", good, &info));
	store_msginfo_free(&info);
	CHECK_RC(store_message_list(st, "a", "Inbox", &q, &list), STORE_CORRUPT);
	OK(store_folder_list(st, "a", 0, 10, &folders));
	store_folder_list_free(&folders);
	CHECK_RC(store_message_set_flags(st, "a", &bad, 1, STORE_FLAG_SEEN, 0), STORE_CORRUPT);
	OK(store_message_set_flags(st, "a", &good, 1, STORE_FLAG_SEEN, 0));
	/* verify lists it by key and goes on. */
	logged[0] = '\0';
	OK(store_verify(st, count_problem, NULL, &problems));
	CHECK(problems >= 2);
	snprintf(want, sizeof(want),
		 "corrupt record db=msg key=1/%llu: message record does not "
		 "decode\n",
		 (unsigned long long)bad);
	CHECK(strstr(logged, want) != NULL);
	CHECK(strstr(logged, "a: mailbox says 2 messages") != NULL);
	/* Deleting the mailbox is a way out: it goes on past the bad record. */
	OK(store_mailbox_delete(st, "a"));
	CHECK_RC(store_mailbox_info(st, "a", &mi), STORE_NOTFOUND);
	store_set_log(NULL, NULL);
	store_close(&st);
	rmtmp(&dir);
}

static int bad_policy_value(store_t *st, MDB_txn *txn, void *ctx)
{
	(void)ctx;
	MDB_val k = {strlen("policy:max-message"), "policy:max-message"}, v = {3, "abc"};
	return st_err(mdb_put(txn, st->db_meta, &k, &v, 0), "put");
}

static void t_policy(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL), *other = NULL;
	uint64_t v, id;
	int set = -1, key = -1;
	size_t len;
	char *msg = mkmsg("a@example.org", "hi", 3000, &len);

	OK(store_open(dir, NULL, &other)); /* as another process would */
	OK(store_mailbox_ensure(st, "a"));
	OK(store_policy_get(st, STORE_POLICY_MAX_MESSAGE, &v, &set));
	CHECK(v == 50ull << 20 && set == 0);
	OK(store_policy_get(st, STORE_POLICY_DEFAULT_QUOTA, &v, &set));
	CHECK(v == 0 && set == 0);
	OK(store_policy_get(st, STORE_POLICY_TOMBSTONE_AGE, &v, NULL));
	CHECK(v == 30 * 86400);
	OK(store_policy_find("tombstone-age", &key));
	CHECK(key == STORE_POLICY_TOMBSTONE_AGE);
	CHECK_RC(store_policy_find("nope", &key), STORE_NOTFOUND);
	CHECK(store_policy_def(STORE_POLICY_KEYS) == NULL && store_policy_def(-1) == NULL);
	for (key = 0; key < STORE_POLICY_KEYS; key++)
		CHECK(store_policy_def(key)->name != NULL && store_policy_def(key)->description);
	CHECK_RC(store_policy_set(st, STORE_POLICY_MAX_MESSAGE, 0), STORE_INVALID);
	CHECK_RC(store_policy_set(st, STORE_POLICY_TOMBSTONE_AGE, 3651ull * 86400), STORE_INVALID);
	CHECK_RC(store_policy_set(st, STORE_POLICY_KEYS, 1), STORE_INVALID);
	/* Set through one handle, applied by the other at its next call. */
	OK(store_message_append(other, "a", "Inbox", msg, len, 0, 0, &id));
	OK(store_policy_set(st, STORE_POLICY_MAX_MESSAGE, 1000));
	OK(store_policy_get(other, STORE_POLICY_MAX_MESSAGE, &v, &set));
	CHECK(v == 1000 && set == 1);
	CHECK_RC(store_message_append(other, "a", "Inbox", msg, len, 0, 0, &id), STORE_TOOBIG);
	OK(store_policy_set(st, STORE_POLICY_DEFAULT_QUOTA, len + 10));
	OK(store_policy_unset(st, STORE_POLICY_MAX_MESSAGE));
	CHECK_RC(store_message_append(other, "a", "Inbox", msg, len, 0, 0, &id), STORE_QUOTA);
	OK(store_mailbox_set_quota(st, "a", 10 * len)); /* its own quota wins */
	OK(store_message_append(other, "a", "Inbox", msg, len, 0, 0, &id));
	OK(store_policy_unset(st, STORE_POLICY_DEFAULT_QUOTA));
	OK(store_policy_unset(st, STORE_POLICY_DEFAULT_QUOTA)); /* unset twice: fine */
	/* A policy value that does not decode is corruption, logged. */
	OK(st_write(st, bad_policy_value, NULL));
	logged[0] = '\0';
	store_set_log(capture, NULL);
	CHECK_RC(store_message_append(other, "a", "Inbox", msg, len, 0, 0, &id), STORE_CORRUPT);
	CHECK(strstr(logged, "store: corrupt record db=meta key=\"policy:max-message\": 3 bytes, "
			     "not 8") != NULL);
	store_set_log(NULL, NULL);
	free(msg);
	store_close(&other);
	store_close(&st);
	rmtmp(&dir);
}

static int schema_1(store_t *st, MDB_txn *txn, void *ctx)
{
	unsigned char v[8];
	MDB_val k = {strlen("schema_version"), "schema_version"}, d = {8, v};
	(void)ctx;
	st_put_u64(v, 1);
	CHECK(mdb_drop(txn, st->db_cidx, 0) == 0);
	return st_err(mdb_put(txn, st->db_meta, &k, &d, 0), "put");
}

/* Opening upgrades a schema-1 store even with a record it cannot read:
 * the record is logged and left for verify, not allowed to lock the
 * store. */
static void t_upgrade_past_corrupt(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	store_msginfo_t *info = NULL;
	uint64_t good, bad, problems = 0, v = 0;
	int found = 0;

	good_and_cut(st, &good, &bad);
	OK(st_write(st, schema_1, NULL));
	store_close(&st);
	logged[0] = '\0';
	store_set_log(capture, NULL);
	OK(store_open(dir, NULL, &st));
	CHECK(strstr(logged, "store: corrupt record db=msg key=1/") != NULL);
	CHECK(strstr(logged, "store: schema 1 -> 2: change index built for 1 messages") != NULL);
	MDB_txn *txn = NULL;
	OK(st_read_begin(st, &txn));
	OK(st_meta_get_u64(st, txn, "schema_version", &v, &found));
	mdb_txn_abort(txn);
	CHECK(found && v == ST_SCHEMA_VERSION);
	OK(store_message_get(st, "a", good, &info));
	store_msginfo_free(&info);
	OK(store_verify(st, NULL, NULL, &problems));
	CHECK(problems > 0);
	store_set_log(NULL, NULL);
	store_close(&st);
	rmtmp(&dir);
}

static int policy_zero(store_t *st, MDB_txn *txn, void *ctx)
{
	unsigned char v[8] = {0};
	MDB_val k = {strlen("policy:max-message"), "policy:max-message"}, d = {8, v};
	(void)ctx;
	return st_err(mdb_put(txn, st->db_meta, &k, &d, 0), "put");
}

/* A stored value outside this build's bounds (another build's, or a bad
 * write) is used clamped and reported by verify. */
static void t_policy_out_of_bounds(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	uint64_t v = 0, problems = 0, id;

	OK(store_mailbox_ensure(st, "a"));
	OK(st_write(st, policy_zero, NULL));
	OK(store_policy_get(st, STORE_POLICY_MAX_MESSAGE, &v, NULL));
	CHECK(v == 1);
	CHECK_RC(store_message_append(st, "a", "Inbox", "ab", 2, 0, 0, &id), STORE_TOOBIG);
	logged[0] = '\0';
	OK(store_verify(st, count_problem, NULL, &problems));
	CHECK(problems == 1);
	CHECK(strcmp(logged, "corrupt record db=meta key=\"policy:max-message\": policy value "
			     "outside its bounds\n") == 0);
	store_close(&st);
	rmtmp(&dir);
}

int main(void)
{
	RUN(t_decode_mailbox);
	RUN(t_decode_folder);
	RUN(t_decode_message);
	RUN(t_decode_upload);
	RUN(t_key_text);
	RUN(t_corrupt_message);
	RUN(t_policy);
	RUN(t_upgrade_past_corrupt);
	RUN(t_policy_out_of_bounds);
	return 0;
}
