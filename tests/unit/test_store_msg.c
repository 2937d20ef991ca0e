/*
 * test_store_msg.c -- messages and uploads: byte-exact append/fetch over
 * chunk boundaries with SHA-256 checked against OpenSSL, move / copy /
 * delete and id reuse, flags, recursive folder delete counters, upload
 * resume across reopen, submit (one txn, unknown recipient), size and
 * quota limits, upload abort/expiry, map growth from a tiny map.
 */
#include "test_util.h"

#include "store_int.h"

#include <openssl/sha.h>

static unsigned char *pattern(size_t n, unsigned seed)
{
	unsigned char *p = malloc(n ? n : 1);
	size_t i;

	CHECK(p != NULL);
	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (unsigned char)(seed >> 16);
	}
	return p;
}

/* Reads the whole body back in pieces of step bytes and compares. */
static void check_body(store_t *st, const char *mbox, uint64_t id,
                       const unsigned char *want, size_t len, size_t step)
{
	unsigned char *buf = malloc(step + 1), sha[32];
	store_msginfo_t *mi = NULL;
	size_t off = 0, got;

	CHECK(buf != NULL);
	OK(store_message_get(st, mbox, id, &mi));
	CHECK(mi->size == len && mi->id == id);
	SHA256(want, len, sha);
	CHECK(memcmp(mi->sha256, sha, 32) == 0);
	store_msginfo_free(&mi);
	CHECK(mi == NULL);
	while (off < len) {
		OK(store_message_fetch(st, mbox, id, off, buf, step, &got));
		CHECK(got == (len - off < step ? len - off : step));
		CHECK(memcmp(buf, want + off, got) == 0);
		off += got;
	}
	OK(store_message_fetch(st, mbox, id, len, buf, step, &got));
	CHECK(got == 0);
	CHECK_RC(store_message_fetch(st, mbox, id, len + 1, buf, step, &got),
	         STORE_INVALID);
	free(buf);
}

static void t_append_fetch_large(void)
{
	size_t len = 3 * STORE_CHUNK_SIZE + 12345 + (1u << 20), got;
	unsigned char *body = pattern(len, 7), buf[100];
	store_folder_info_t fi;
	store_mailbox_info_t mb;
	uint64_t id, id0;
	char *dir;
	store_t *st = open_new(&dir, NULL);

	OK(store_mailbox_ensure(st, "a"));
	memcpy(body, "Subject: big\r\n\r\n", 16);
	OK(store_message_append(st, "a", "Inbox", body, len, 0, 0, &id));
	CHECK(id == 1);
	check_body(st, "a", id, body, len, 70000);     /* unaligned steps */
	check_body(st, "a", id, body, len, STORE_CHUNK_SIZE);
	/* a range straddling a chunk boundary */
	OK(store_message_fetch(st, "a", id, STORE_CHUNK_SIZE - 50, buf, 100, &got));
	CHECK(got == 100 && memcmp(buf, body + STORE_CHUNK_SIZE - 50, 100) == 0);
	/* empty and tiny messages */
	OK(store_message_append(st, "a", "Inbox", "", 0, STORE_FLAG_SEEN, 0, &id0));
	check_body(st, "a", id0, (const unsigned char *)"", 0, 10);
	OK(store_message_append(st, "a", "Drafts", "x", 1, 0, 0, &id0));
	check_body(st, "a", id0, (const unsigned char *)"x", 1, 10);
	CHECK_RC(store_message_append(st, "a", "Nope", "x", 1, 0, 0, &id0), STORE_NOTFOUND);
	CHECK_RC(store_message_append(st, "a", "Inbox", "x", 1, 32, 0, &id0), STORE_INVALID);
	CHECK_RC(store_message_append(st, "zz", "Inbox", "x", 1, 0, 0, &id0), STORE_NOTFOUND);
	CHECK_RC(store_message_fetch(st, "a", 999, 0, buf, 1, &got), STORE_NOTFOUND);
	OK(store_folder_get(st, "a", "Inbox", &fi));
	CHECK(fi.total == 2 && fi.unread == 1 && fi.bytes == len);
	OK(store_mailbox_info(st, "a", &mb));
	CHECK(mb.messages == 3 && mb.bytes_used == len + 1 && mb.next_id == 4);
	store_close(&st);
	/* still byte-exact after reopen */
	OK(store_open(dir, NULL, &st));
	check_body(st, "a", id, body, len, 1u << 20);
	store_close(&st);
	rmtmp(&dir);
	free(body);
}

/* One-call append for a caller: the announced SHA-256 is checked, the op
 * id makes a repeat return the first id, and nothing is stored twice. */
static void t_append_op(void)
{
	const char body[] = "Subject: once\r\n\r\nonly once\r\n";
	unsigned char sha[32], wrong[32], op[STORE_OPID_LEN] = { 1, 2, 3 };
	store_call_t named = { NULL, "a", op }, plain = { NULL, NULL, NULL };
	store_folder_info_t fi;
	store_result_t res;
	uint64_t id;
	char *dir;
	store_t *st = open_new(&dir, NULL);

	OK(store_mailbox_ensure(st, "a"));
	SHA256((const unsigned char *)body, sizeof(body) - 1, sha);
	memcpy(wrong, sha, 32);
	wrong[0] ^= 1;
	CHECK_RC(store_message_append_as(st, &named, "a", "Inbox", body, sizeof(body) - 1, 0, wrong,
	                                 &res), STORE_INVALID);
	CHECK(res.id == 0 && res.replayed == 0);
	OK(store_message_append_as(st, &named, "a", "Inbox", body, sizeof(body) - 1,
	                           STORE_FLAG_SEEN, sha, &res));
	id = res.id;
	CHECK(id != 0 && res.replayed == 0);
	check_body(st, "a", id, (const unsigned char *)body, sizeof(body) - 1, 7);
	OK(store_message_append_as(st, &named, "a", "Inbox", body, sizeof(body) - 1,
	                           STORE_FLAG_SEEN, sha, &res));
	CHECK(res.id == id && res.replayed == 1);
	OK(store_folder_get(st, "a", "Inbox", &fi));
	CHECK(fi.total == 1 && fi.unread == 0);
	/* The same op id naming another kind of call is refused. */
	CHECK_RC(store_upload_begin_as(st, &named, "a", 10, NULL, &res), STORE_INVALID);
	/* Without a name it is a plain append. */
	OK(store_message_append_as(st, &plain, "a", "Drafts", body, sizeof(body) - 1, 0, sha, &res));
	CHECK(res.id != id && res.replayed == 0);
	CHECK_RC(store_message_append_as(st, NULL, "a", "Nope", body, sizeof(body) - 1, 0, sha,
	                                 &res), STORE_NOTFOUND);
	store_close(&st);
	rmtmp(&dir);
}

static void t_move_copy_delete(void)
{
	store_msginfo_t *mi = NULL;
	store_folder_info_t fi;
	store_mailbox_info_t mb;
	uint64_t id1, id2, id3, idc, idm;
	size_t len;
	char *m = mkmsg("x@y", "hello", 100, &len);
	char *dir;
	store_t *st = open_new(&dir, NULL);

	OK(store_mailbox_ensure(st, "a"));
	OK(store_folder_create(st, "a", "Work"));
	OK(store_message_append(st, "a", "Inbox", m, len, 0, 0, &id1));
	OK(store_message_append(st, "a", "Inbox", m, len, 0, 0, &id2));
	/* A move gives the message a new id where it goes; the old one is gone. */
	OK(store_message_move(st, "a", id1, "Work", &idm));
	CHECK(idm == 3);
	CHECK_RC(store_message_get(st, "a", id1, &mi), STORE_NOTFOUND);
	id1 = idm;
	OK(store_message_get(st, "a", id1, &mi));
	CHECK(mi->id == id1 && strcmp(mi->folder, "Work") == 0);
	CHECK(strcmp(mi->subject, "hello") == 0 && strcmp(mi->from, "x@y") == 0);
	store_msginfo_free(&mi);
	/* ... and a move where it already is changes nothing. */
	OK(store_message_move(st, "a", id1, "Work", &idm));
	CHECK(idm == id1);
	CHECK_RC(store_message_move(st, "a", id1, "Nope", NULL), STORE_NOTFOUND);
	CHECK_RC(store_message_move(st, "a", 777, "Work", NULL), STORE_NOTFOUND);
	OK(store_message_copy(st, "a", id1, "Inbox", &idc));
	CHECK(idc == 4 && idc != id1);
	OK(store_message_get(st, "a", idc, &mi));
	CHECK(strcmp(mi->folder, "Inbox") == 0 && mi->size == len);
	store_msginfo_free(&mi);
	OK(store_mailbox_info(st, "a", &mb));
	CHECK(mb.messages == 3 && mb.bytes_used == 3 * len);
	/* delete -> Deleted Items (a new id there), then permanent */
	OK(store_message_move(st, "a", id2, STORE_FOLDER_DELETED, &id2));
	OK(store_message_get(st, "a", id2, &mi));
	CHECK(strcmp(mi->folder, "Deleted Items") == 0);
	store_msginfo_free(&mi);
	OK(store_message_delete(st, "a", id2, 0));
	CHECK_RC(store_message_get(st, "a", id2, &mi), STORE_NOTFOUND);
	OK(store_message_delete(st, "a", id1, 1));   /* hard */
	CHECK_RC(store_message_get(st, "a", id1, &mi), STORE_NOTFOUND);
	/* the copy shares the body and still reads back */
	check_body(st, "a", idc, (unsigned char *)m, len, 37);
	OK(store_message_append(st, "a", "Inbox", m, len, 0, 0, &id3));
	CHECK(id3 == 6);                        /* ids never reused */
	OK(store_folder_get(st, "a", "Work", &fi));
	CHECK(fi.total == 0 && fi.bytes == 0 && fi.unread == 0);
	OK(store_folder_get(st, "a", "Deleted Items", &fi));
	CHECK(fi.total == 0);
	OK(store_mailbox_info(st, "a", &mb));
	CHECK(mb.messages == 2 && mb.bytes_used == 2 * len);
	/* recursive folder delete removes messages and fixes counters */
	OK(store_folder_create(st, "a", "Work/Sub"));
	OK(store_message_move(st, "a", id3, "Work/Sub", &id3));
	OK(store_message_copy(st, "a", idc, "Work", &id1));
	CHECK_RC(store_folder_delete(st, "a", "Work", 0), STORE_NOTEMPTY);
	OK(store_folder_delete(st, "a", "Work", 1));
	OK(store_mailbox_info(st, "a", &mb));
	CHECK(mb.messages == 1 && mb.bytes_used == len);
	CHECK_RC(store_message_get(st, "a", id3, &mi), STORE_NOTFOUND);
	check_body(st, "a", idc, (unsigned char *)m, len, 1000);
	store_close(&st);
	rmtmp(&dir);
	free(m);
}

static void t_flags(void)
{
	store_msginfo_t *mi = NULL;
	store_folder_info_t fi;
	store_mailbox_info_t mb;
	uint64_t ids[3], bad[2];
	size_t len, i;
	char *m = mkmsg("x@y", "f", 10, &len);
	char *dir;
	store_t *st = open_new(&dir, NULL);

	OK(store_mailbox_ensure(st, "a"));
	for (i = 0; i < 3; i++)
		OK(store_message_append(st, "a", "Inbox", m, len, 0, 0, &ids[i]));
	OK(store_folder_get(st, "a", "Inbox", &fi));
	CHECK(fi.unread == 3);
	OK(store_message_set_flags(st, "a", ids, 2, STORE_FLAG_SEEN | STORE_FLAG_FLAGGED, 0));
	OK(store_folder_get(st, "a", "Inbox", &fi));
	CHECK(fi.unread == 1);
	OK(store_mailbox_info(st, "a", &mb));
	OK(store_message_get(st, "a", ids[0], &mi));
	CHECK(mi->flags == (STORE_FLAG_SEEN | STORE_FLAG_FLAGGED));
	CHECK(mi->change == mb.change && fi.change == mb.change);
	store_msginfo_free(&mi);
	OK(store_message_set_flags(st, "a", ids, 1, STORE_FLAG_ANSWERED, STORE_FLAG_SEEN));
	OK(store_message_get(st, "a", ids[0], &mi));
	CHECK(mi->flags == (STORE_FLAG_ANSWERED | STORE_FLAG_FLAGGED));
	store_msginfo_free(&mi);
	OK(store_folder_get(st, "a", "Inbox", &fi));
	CHECK(fi.unread == 2);
	/* one bad id: nothing changes */
	bad[0] = ids[2];
	bad[1] = 999;
	CHECK_RC(store_message_set_flags(st, "a", bad, 2, STORE_FLAG_SEEN, 0), STORE_NOTFOUND);
	OK(store_message_get(st, "a", ids[2], &mi));
	CHECK(mi->flags == 0);
	store_msginfo_free(&mi);
	CHECK_RC(store_message_set_flags(st, "a", ids, 0, 1, 0), STORE_INVALID);
	CHECK_RC(store_message_set_flags(st, "a", ids, 1, 32, 0), STORE_INVALID);
	/* moving an unread message carries the unread count */
	OK(store_message_move(st, "a", ids[2], "Drafts", NULL));
	OK(store_folder_get(st, "a", "Drafts", &fi));
	CHECK(fi.unread == 1 && fi.total == 1);
	OK(store_folder_get(st, "a", "Inbox", &fi));
	CHECK(fi.unread == 1 && fi.total == 2);
	store_close(&st);
	rmtmp(&dir);
	free(m);
}

static void t_upload_resume(void)
{
	size_t len = 2 * STORE_CHUNK_SIZE + 777, half = 100000, piece;
	unsigned char *body = pattern(len, 99), sha[32];
	uint64_t uid, rcv, exp, id, off;
	store_folder_info_t fi;
	char *dir;
	store_t *st = open_new(&dir, NULL);

	SHA256(body, len, sha);
	OK(store_mailbox_ensure(st, "a"));
	OK(store_mailbox_ensure(st, "b"));
	OK(store_upload_begin(st, "a", len, sha, &uid));
	CHECK(uid != 0);
	OK(store_upload_append(st, "a", uid, 0, body, 1000, &rcv));
	CHECK(rcv == 1000);
	OK(store_upload_append(st, "a", uid, 1000, body + 1000, half - 1000, &rcv));
	CHECK(rcv == half);
	/* "connection drops": close, reopen, ask where we were */
	store_close(&st);
	OK(store_open(dir, NULL, &st));
	CHECK_RC(store_upload_status(st, "b", uid, &rcv, &exp), STORE_NOTFOUND);
	OK(store_upload_status(st, "a", uid, &rcv, &exp));
	CHECK(rcv == half && exp == len);
	/* wrong offset -> INVALID with the offset to resume from */
	CHECK_RC(store_upload_append(st, "a", uid, 5, body, 10, &rcv), STORE_INVALID);
	CHECK(rcv == half);
	CHECK_RC(store_upload_append(st, "b", uid, half, body, 10, &rcv), STORE_NOTFOUND);
	/* commit too early */
	CHECK_RC(store_upload_commit_append(st, "a", uid, "Inbox", 0, &id), STORE_INVALID);
	OK(store_upload_status(st, "a", uid, &rcv, &exp));
	for (off = rcv; off < len; off += piece) {
		piece = len - off < 33333 ? len - off : 33333;
		OK(store_upload_append(st, "a", uid, off, body + off, piece, &rcv));
		CHECK(rcv == off + piece);
	}
	CHECK_RC(store_upload_append(st, "a", uid, len, body, 1, &rcv), STORE_INVALID);
	OK(store_upload_commit_append(st, "a", uid, "Drafts", STORE_FLAG_DRAFT, &id));
	check_body(st, "a", id, body, len, 65536);
	OK(store_folder_get(st, "a", "Drafts", &fi));
	CHECK(fi.total == 1 && fi.bytes == len);
	CHECK_RC(store_upload_status(st, "a", uid, &rcv, &exp), STORE_NOTFOUND);
	/* SHA-256 mismatch is refused, upload kept */
	sha[0] ^= 1;
	OK(store_upload_begin(st, "a", 5, sha, &uid));
	OK(store_upload_append(st, "a", uid, 0, "hello", 5, &rcv));
	CHECK_RC(store_upload_commit_append(st, "a", uid, "Inbox", 0, &id), STORE_INVALID);
	OK(store_upload_status(st, "a", uid, &rcv, &exp));
	OK(store_upload_abort(st, "a", uid));
	CHECK_RC(store_upload_status(st, "a", uid, &rcv, &exp), STORE_NOTFOUND);
	store_close(&st);
	rmtmp(&dir);
	free(body);
}

static void t_submit(void)
{
	const char *rc2[] = { "bob", "carol", "bob" };
	store_mailbox_info_t mi;
	store_msglist_t *ml = NULL;
	store_list_query_t q = { .limit = 10 };
	uint64_t uid, rcv, sent;
	size_t len, bad;
	char *m = mkmsg("alice@x", "=?utf-8?Q?Gr=C3=BC=C3=9Fe?=", 5000, &len);
	char *dir;
	store_t *st = open_new(&dir, NULL);

	OK(store_mailbox_ensure(st, "alice"));
	OK(store_mailbox_ensure(st, "bob"));
	OK(store_mailbox_ensure(st, "carol"));
	OK(store_upload_begin(st, "alice", len, NULL, &uid));
	OK(store_upload_append(st, "alice", uid, 0, m, len, &rcv));
	OK(store_upload_commit_submit(st, "alice", uid, rc2, 3, &sent, &bad));
	CHECK(bad == SIZE_MAX && sent != 0);
	OK(store_mailbox_info(st, "alice", &mi));
	CHECK(mi.messages == 1 && mi.bytes_used == len);
	OK(store_mailbox_info(st, "bob", &mi));
	CHECK(mi.messages == 1 && mi.bytes_used == len);
	OK(store_mailbox_info(st, "carol", &mi));
	CHECK(mi.messages == 1 && mi.bytes_used == len);
	OK(store_message_list(st, "alice", "Sent Items", &q, &ml));
	CHECK(ml->count == 1 && ml->items[0].id == sent);
	CHECK(ml->items[0].flags == STORE_FLAG_SEEN);
	CHECK(strcmp(ml->items[0].subject, "Gr\xc3\xbc\xc3\x9f" "e") == 0);
	store_msglist_free(&ml);
	OK(store_message_list(st, "bob", "Inbox", &q, &ml));
	CHECK(ml->count == 1 && ml->items[0].flags == 0);   /* deduplicated */
	check_body(st, "bob", ml->items[0].id, (unsigned char *)m, len, 4096);
	store_msglist_free(&ml);
	OK(store_message_list(st, "carol", "Inbox", &q, &ml));
	CHECK(ml->count == 1);
	check_body(st, "carol", ml->items[0].id, (unsigned char *)m, len, 999);
	/* deleting one copy leaves the others intact */
	OK(store_message_delete(st, "carol", ml->items[0].id, 1));
	store_msglist_free(&ml);
	OK(store_message_list(st, "bob", "Inbox", &q, &ml));
	check_body(st, "bob", ml->items[0].id, (unsigned char *)m, len, 4096);
	store_msglist_free(&ml);
	CHECK_RC(store_upload_status(st, "alice", uid, &rcv, NULL), STORE_NOTFOUND);
	store_close(&st);
	rmtmp(&dir);
	free(m);
}

static void t_submit_unknown_rcpt(void)
{
	const char *rc[] = { "bob", "carol", "nobody", "dave" };
	const char *names[] = { "alice", "bob", "carol", "dave" };
	store_mailbox_info_t mi;
	uint64_t uid, rcv, sent;
	size_t len, bad, i;
	char *m = mkmsg("alice@x", "s", 100, &len);
	char *dir;
	store_t *st = open_new(&dir, NULL);

	for (i = 0; i < 4; i++)
		OK(store_mailbox_ensure(st, names[i]));
	OK(store_upload_begin(st, "alice", len, NULL, &uid));
	OK(store_upload_append(st, "alice", uid, 0, m, len, &rcv));
	CHECK_RC(store_upload_commit_submit(st, "alice", uid, rc, 4, &sent, &bad),
	         STORE_NOTFOUND);
	CHECK(bad == 2 && sent == 0);
	for (i = 0; i < 4; i++) {
		OK(store_mailbox_info(st, names[i], &mi));
		CHECK(mi.messages == 0 && mi.bytes_used == 0 && mi.next_id == 1);
	}
	/* disabled recipient, invalid name */
	OK(store_mailbox_set_disabled(st, "dave", 1));
	rc[2] = "bob";
	CHECK_RC(store_upload_commit_submit(st, "alice", uid, rc, 4, &sent, &bad),
	         STORE_DISABLED);
	CHECK(bad == 3);
	rc[3] = "";
	CHECK_RC(store_upload_commit_submit(st, "alice", uid, rc, 4, &sent, &bad),
	         STORE_INVALID);
	CHECK(bad == 3);
	/* the upload is still there and can be delivered */
	OK(store_upload_commit_submit(st, "alice", uid, rc, 2, &sent, &bad));
	OK(store_mailbox_info(st, "bob", &mi));
	CHECK(mi.messages == 1);
	store_close(&st);
	rmtmp(&dir);
	free(m);
}

static void t_limits(void)
{
	store_mailbox_info_t mi;
	store_folder_info_t fi;
	const char *rc[] = { "b" };
	unsigned char *big;
	uint64_t id, uid, rcv, sent;
	size_t bad;
	char *dir;
	store_t *st;

	st = open_new(&dir, NULL);
	OK(store_policy_set(st, STORE_POLICY_MAX_MESSAGE, 200000));
	OK(store_policy_set(st, STORE_POLICY_DEFAULT_QUOTA, 500000));
	big = pattern(300000, 3);
	OK(store_mailbox_ensure(st, "a"));
	OK(store_mailbox_ensure(st, "b"));
	CHECK_RC(store_message_append(st, "a", "Inbox", big, 200001, 0, 0, &id), STORE_TOOBIG);
	CHECK(id == 0);
	OK(store_message_append(st, "a", "Inbox", big, 200000, 0, 0, &id));
	OK(store_message_append(st, "a", "Inbox", big, 200000, 0, 0, &uid));
	CHECK_RC(store_message_append(st, "a", "Inbox", big, 100001, 0, 0, &id), STORE_QUOTA);
	CHECK(id == 0);
	CHECK_RC(store_message_copy(st, "a", uid, "Drafts", &id), STORE_QUOTA);
	OK(store_mailbox_info(st, "a", &mi));
	CHECK(mi.messages == 2 && mi.bytes_used == 400000 && mi.next_id == 3);
	OK(store_folder_get(st, "a", "Drafts", &fi));
	CHECK(fi.total == 0);
	/* per-mailbox quota overrides the default */
	OK(store_mailbox_set_quota(st, "a", 1000000));
	OK(store_message_append(st, "a", "Inbox", big, 100001, 0, 0, &id));
	/* uploads: size limit at begin and during append */
	CHECK_RC(store_upload_begin(st, "a", 200001, NULL, &id), STORE_TOOBIG);
	OK(store_upload_begin(st, "b", 200000, NULL, &uid));
	OK(store_upload_append(st, "b", uid, 0, big, 150000, &rcv));
	CHECK_RC(store_upload_append(st, "b", uid, 150000, big, 60000, &rcv), STORE_TOOBIG);
	CHECK(rcv == 150000);
	OK(store_upload_append(st, "b", uid, 150000, big, 50000, &rcv));
	/* quota of a submit recipient: nothing delivered */
	OK(store_mailbox_set_quota(st, "b", 10));
	OK(store_mailbox_set_quota(st, "a", 400000));
	CHECK_RC(store_upload_begin(st, "b", 200000, NULL, &id), STORE_QUOTA);
	CHECK(id == 0);
	CHECK_RC(store_upload_commit_submit(st, "b", uid, rc, 1, &sent, &bad), STORE_QUOTA);
	CHECK(bad == SIZE_MAX);   /* the sender's own copy */
	OK(store_mailbox_set_quota(st, "b", 0));
	OK(store_upload_commit_submit(st, "b", uid, rc, 1, &sent, &bad));
	OK(store_mailbox_info(st, "b", &mi));
	CHECK(mi.messages == 2);   /* to self: Sent Items + Inbox */
	store_close(&st);
	rmtmp(&dir);
	free(big);
}

static void t_submit_quota(void)
{
	const char *rc[] = { "b", "c" };
	store_mailbox_info_t mi;
	uint64_t uid, rcv, sent;
	size_t bad;
	unsigned char *body = pattern(5000, 1);
	char *dir;
	store_t *st = open_new(&dir, NULL);

	OK(store_mailbox_ensure(st, "a"));
	OK(store_mailbox_ensure(st, "b"));
	OK(store_mailbox_ensure(st, "c"));
	OK(store_mailbox_set_quota(st, "c", 4999));
	OK(store_upload_begin(st, "a", 5000, NULL, &uid));
	OK(store_upload_append(st, "a", uid, 0, body, 5000, &rcv));
	CHECK_RC(store_upload_commit_submit(st, "a", uid, rc, 2, &sent, &bad), STORE_QUOTA);
	CHECK(bad == 1);
	OK(store_mailbox_set_quota(st, "c", 0));
	OK(store_mailbox_set_quota(st, "a", 100));
	CHECK_RC(store_upload_commit_submit(st, "a", uid, rc, 2, &sent, &bad), STORE_QUOTA);
	CHECK(bad == SIZE_MAX);
	OK(store_mailbox_info(st, "b", &mi));
	CHECK(mi.messages == 0);
	OK(store_mailbox_set_quota(st, "a", 0));
	OK(store_upload_commit_submit(st, "a", uid, rc, 2, &sent, &bad));
	store_close(&st);
	rmtmp(&dir);
	free(body);
}

static void t_upload_expire(void)
{
	uint64_t u1, u2, n, rcv;
	char *dir;
	store_t *st = open_new(&dir, NULL);

	OK(store_mailbox_ensure(st, "a"));
	OK(store_upload_begin(st, "a", 10, NULL, &u1));
	OK(store_upload_append(st, "a", u1, 0, "0123456789", 10, &rcv));
	OK(store_upload_expire(st, 3600, &n));
	CHECK(n == 0);
	sleep(2);
	OK(store_upload_begin(st, "a", 10, NULL, &u2));
	CHECK(u2 > u1);
	OK(store_upload_expire(st, 1, &n));
	CHECK(n == 1);
	CHECK_RC(store_upload_status(st, "a", u1, &rcv, NULL), STORE_NOTFOUND);
	OK(store_upload_status(st, "a", u2, &rcv, NULL));
	CHECK_RC(store_upload_expire(st, -1, &n), STORE_INVALID);
	OK(store_upload_abort(st, "a", u2));
	CHECK_RC(store_upload_abort(st, "a", u2), STORE_NOTFOUND);
	OK(store_upload_expire(st, 0, &n));
	CHECK(n == 0);
	store_close(&st);
	rmtmp(&dir);
}

static void t_map_growth(void)
{
	store_options_t opt;
	uint64_t ids[12], size0, size1, uid, rcv;
	unsigned char *bodies[12];
	size_t len = 700000, i;
	char *dir;
	store_t *st;

	store_options_init(&opt);
	opt.map_size = 1u << 20;   /* 1 MiB */
	st = open_new(&dir, &opt);
	OK(store_map_size(st, &size0));
	CHECK(size0 == 1u << 20);
	OK(store_mailbox_ensure(st, "a"));
	for (i = 0; i < 12; i++) {
		bodies[i] = pattern(len, (unsigned)i);
		OK(store_message_append(st, "a", "Inbox", bodies[i], len, 0, 0, &ids[i]));
	}
	/* an upload append that needs growth too */
	OK(store_upload_begin(st, "a", 3u << 20, NULL, &uid));
	{
		unsigned char *u = pattern(3u << 20, 42);
		OK(store_upload_append(st, "a", uid, 0, u, 3u << 20, &rcv));
		free(u);
	}
	OK(store_map_size(st, &size1));
	CHECK(size1 >= 8u << 20);
	for (i = 0; i < 12; i++)
		check_body(st, "a", ids[i], bodies[i], len, 100000);
	store_close(&st);
	/* a new handle with the small option keeps the grown size */
	OK(store_open(dir, &opt, &st));
	OK(store_map_size(st, &size0));
	CHECK(size0 >= size1);
	check_body(st, "a", ids[11], bodies[11], len, 300000);
	store_close(&st);
	for (i = 0; i < 12; i++)
		free(bodies[i]);
	rmtmp(&dir);
}

static size_t entries(store_t *st, MDB_dbi dbi)
{
	MDB_txn *txn = NULL;
	MDB_stat ms;

	OK(st_read_begin(st, &txn));
	CHECK(mdb_stat(txn, dbi, &ms) == 0);
	mdb_txn_abort(txn);
	return ms.ms_entries;
}

/* Shared bodies are freed exactly when the last reference goes. */
static void t_no_leaks(void)
{
	const char *rc[] = { "b", "a" };
	unsigned char *body = pattern(200000, 5);
	uint64_t id1, id2, uid, rcv, sent, n;
	store_msglist_t *ml = NULL;
	store_list_query_t q = { .limit = 100 };
	size_t bad, i;
	char *dir;
	store_t *st = open_new(&dir, NULL);

	OK(store_mailbox_ensure(st, "a"));
	OK(store_mailbox_ensure(st, "b"));
	OK(store_folder_create(st, "a", "F"));
	OK(store_message_append(st, "a", "F", body, 200000, 0, 0, &id1));
	OK(store_message_copy(st, "a", id1, "Inbox", &id2));
	OK(store_upload_begin(st, "a", 200000, NULL, &uid));
	OK(store_upload_append(st, "a", uid, 0, body, 200000, &rcv));
	OK(store_upload_commit_submit(st, "a", uid, rc, 2, &sent, &bad));
	OK(store_upload_begin(st, "a", 200000, NULL, &uid));
	OK(store_upload_append(st, "a", uid, 0, body, 100000, &rcv));
	OK(store_upload_abort(st, "a", uid));
	OK(store_upload_begin(st, "b", 200000, NULL, &uid));
	OK(store_upload_append(st, "b", uid, 0, body, 100000, &rcv));
	CHECK(entries(st, st->db_blobmeta) == 3);
	CHECK_RC(store_upload_expire(st, -10, &n), STORE_INVALID);
	sleep(1);
	OK(store_upload_expire(st, 0, &n));
	CHECK(n == 1);
	CHECK(entries(st, st->db_blobmeta) == 2);
	OK(store_folder_delete(st, "a", "F", 1));
	OK(store_message_delete(st, "a", id2, 1));
	CHECK(entries(st, st->db_blobmeta) == 1);   /* the submitted body */
	OK(store_message_move(st, "a", sent, STORE_FOLDER_DELETED, &sent)); /* a new id there */
	OK(store_message_delete(st, "a", sent, 0));  /* permanent */
	for (i = 0; i < 2; i++) {
		OK(store_message_list(st, rc[i], "Inbox", &q, &ml));
		CHECK(ml->count == 1);
		OK(store_message_delete(st, rc[i], ml->items[0].id, 1));
		store_msglist_free(&ml);
	}
	CHECK(entries(st, st->db_blobmeta) == 0);
	CHECK(entries(st, st->db_blob) == 0);
	CHECK(entries(st, st->db_msg) == 0);
	CHECK(entries(st, st->db_fidx) == 0);
	CHECK(entries(st, st->db_upload) == 0);
	store_close(&st);
	rmtmp(&dir);
	free(body);
}

int main(void)
{
	RUN(t_no_leaks);
	RUN(t_append_fetch_large);
	RUN(t_append_op);
	RUN(t_move_copy_delete);
	RUN(t_flags);
	RUN(t_upload_resume);
	RUN(t_submit);
	RUN(t_submit_unknown_rcpt);
	RUN(t_limits);
	RUN(t_submit_quota);
	RUN(t_upload_expire);
	RUN(t_map_growth);
	printf("%d tests passed\n", test_count);
	return 0;
}
