/*
 * test_store.c -- store open, mailbox auto-creation with well-known
 * folders, disabled flag, folder validation, create / rename / delete
 * (recursive) and well-known folder protection.
 */
#include "test_util.h"

static const char *const wk[] = { "Deleted Items", "Drafts", "Inbox",
                                  "Outbox", "Sent Items" };   /* byte order */

static void t_open_errors(void)
{
	store_t *st = NULL;

	CHECK_RC(store_open("/nonexistent/dir/x", NULL, &st), STORE_NOTFOUND);
	CHECK(st == NULL);
	CHECK_RC(store_open(NULL, NULL, &st), STORE_INVALID);
	store_close(&st);   /* NULL-safe */
	CHECK(strcmp(store_strerror(STORE_QUOTA), "quota exceeded") == 0);
	CHECK(strcmp(store_strerror(12345), "unknown status") == 0);
}

static void t_mailbox_ensure(void)
{
	store_folder_list_t *fl = NULL;
	store_mailbox_info_t mi;
	store_folder_info_t fi;
	char *dir;
	store_t *st = open_new(&dir, NULL);
	size_t i;

	CHECK_RC(store_folder_list(st, "alice", 0, 100, &fl), STORE_NOTFOUND);
	CHECK(fl == NULL);
	CHECK_RC(store_mailbox_ensure(st, ""), STORE_INVALID);
	CHECK_RC(store_mailbox_ensure(st, "bad\001name"), STORE_INVALID);
	OK(store_mailbox_ensure(st, "alice"));
	OK(store_mailbox_ensure(st, "alice"));     /* idempotent */
	OK(store_mailbox_info(st, "alice", &mi));
	CHECK(mi.next_id == 1 && mi.messages == 0 && mi.bytes_used == 0);
	CHECK(mi.change == 1 && !mi.disabled && mi.quota == 0);
	OK(store_folder_list(st, "alice", 0, 100, &fl));
	CHECK(fl->total == 5 && fl->count == 5);
	for (i = 0; i < 5; i++) {
		CHECK(strcmp(fl->items[i].path, wk[i]) == 0);
		CHECK(fl->items[i].well_known);
		CHECK(fl->items[i].total == 0 && fl->items[i].unread == 0);
	}
	store_folder_list_free(&fl);
	CHECK(fl == NULL);
	/* paging over folders */
	OK(store_folder_list(st, "alice", 3, 1, &fl));
	CHECK(fl->total == 5 && fl->count == 1);
	CHECK(strcmp(fl->items[0].path, "Outbox") == 0);
	store_folder_list_free(&fl);
	OK(store_folder_list(st, "alice", 9, 10, &fl));
	CHECK(fl->total == 5 && fl->count == 0);
	store_folder_list_free(&fl);
	OK(store_folder_get(st, "alice", "Sent Items", &fi));
	CHECK(fi.well_known && strcmp(fi.path, "Sent Items") == 0);
	CHECK_RC(store_folder_get(st, "alice", "inbox", &fi), STORE_NOTFOUND); /* case */
	/* survives reopen */
	store_close(&st);
	CHECK(st == NULL);
	OK(store_open(dir, NULL, &st));
	OK(store_mailbox_info(st, "alice", &mi));
	CHECK(mi.change == 1);
	store_close(&st);
	rmtmp(&dir);
}

static void t_mailbox_disabled(void)
{
	store_mailbox_info_t mi;
	store_folder_info_t fi;
	char *dir;
	store_t *st = open_new(&dir, NULL);

	OK(store_mailbox_ensure(st, "carol"));
	CHECK_RC(store_mailbox_set_disabled(st, "nobody", 1), STORE_NOTFOUND);
	OK(store_mailbox_set_disabled(st, "carol", 1));
	CHECK_RC(store_mailbox_ensure(st, "carol"), STORE_DISABLED);
	CHECK_RC(store_folder_get(st, "carol", "Inbox", &fi), STORE_DISABLED);
	CHECK_RC(store_folder_create(st, "carol", "x"), STORE_DISABLED);
	OK(store_mailbox_info(st, "carol", &mi));
	CHECK(mi.disabled);
	OK(store_mailbox_set_quota(st, "carol", 4096));
	OK(store_mailbox_set_disabled(st, "carol", 0));
	OK(store_mailbox_info(st, "carol", &mi));
	CHECK(!mi.disabled && mi.quota == 4096);
	OK(store_folder_create(st, "carol", "x"));
	store_close(&st);
	rmtmp(&dir);
}

static void t_folder_validation(void)
{
	static const char *const bad[] = {
		"", "/", "/a", "a/", "a//b", ".", "..", "a/./b", "a/../b",
		"ctl\x01", "tab\tx", "nl\nx", "\xff", "\xc0\x80", "del\x7f",
	};
	char longp[300];
	char *dir;
	store_t *st = open_new(&dir, NULL);
	size_t i;

	OK(store_mailbox_ensure(st, "a"));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_RC(store_folder_create(st, "a", bad[i]), STORE_INVALID);
		CHECK_RC(store_folder_delete(st, "a", bad[i], 1), STORE_INVALID);
		CHECK_RC(store_folder_rename(st, "a", "Inbox", bad[i]), STORE_INVALID);
	}
	CHECK_RC(store_folder_create(st, "a", NULL), STORE_INVALID);
	memset(longp, 'x', sizeof(longp));
	longp[256] = '\0';
	CHECK_RC(store_folder_create(st, "a", longp), STORE_INVALID);
	longp[255] = '\0';
	OK(store_folder_create(st, "a", longp));
	OK(store_folder_create(st, "a", "With Spaces"));
	OK(store_folder_create(st, "a", "caf\xc3\xa9"));
	OK(store_folder_create(st, "a", "inbox"));   /* case-sensitive: distinct */
	store_close(&st);
	rmtmp(&dir);
}

static void t_folder_create_rename_delete(void)
{
	store_folder_list_t *fl = NULL;
	store_folder_info_t fi;
	store_mailbox_info_t mi;
	uint64_t change;
	char *dir;
	store_t *st = open_new(&dir, NULL);

	OK(store_mailbox_ensure(st, "a"));
	CHECK_RC(store_folder_create(st, "a", "P/Q"), STORE_NOTFOUND);  /* parent */
	OK(store_folder_create(st, "a", "P"));
	CHECK_RC(store_folder_create(st, "a", "P"), STORE_EXISTS);
	CHECK_RC(store_folder_create(st, "a", "Inbox"), STORE_EXISTS);
	OK(store_folder_create(st, "a", "P/Q"));
	OK(store_folder_create(st, "a", "P/Q/R"));
	OK(store_folder_create(st, "a", "P Q"));      /* sorts between P and P/ */
	OK(store_folder_create(st, "a", "Inbox/Sub"));
	OK(store_mailbox_info(st, "a", &mi));
	change = mi.change;
	OK(store_folder_get(st, "a", "P/Q/R", &fi));
	CHECK(fi.change == change - 2);   /* then "P Q", "Inbox/Sub" */

	/* rename errors */
	CHECK_RC(store_folder_rename(st, "a", "Nope", "X"), STORE_NOTFOUND);
	CHECK_RC(store_folder_rename(st, "a", "P", "P Q"), STORE_EXISTS);
	CHECK_RC(store_folder_rename(st, "a", "P", "P"), STORE_EXISTS);
	CHECK_RC(store_folder_rename(st, "a", "P", "P/Q/X"), STORE_INVALID);
	CHECK_RC(store_folder_rename(st, "a", "P", "P/new"), STORE_INVALID);
	CHECK_RC(store_folder_rename(st, "a", "P", "No/Parent"), STORE_NOTFOUND);
	/* move P (with subfolders) under Inbox/Sub */
	OK(store_folder_rename(st, "a", "P", "Inbox/Sub/Moved"));
	CHECK_RC(store_folder_get(st, "a", "P", &fi), STORE_NOTFOUND);
	CHECK_RC(store_folder_get(st, "a", "P/Q", &fi), STORE_NOTFOUND);
	OK(store_folder_get(st, "a", "P Q", &fi));    /* sibling untouched */
	OK(store_folder_get(st, "a", "Inbox/Sub/Moved/Q/R", &fi));
	CHECK(strcmp(fi.path, "Inbox/Sub/Moved/Q/R") == 0);
	CHECK(fi.change == change + 1);
	OK(store_folder_get(st, "a", "Inbox/Sub/Moved", &fi));
	OK(store_folder_list(st, "a", 0, 100, &fl));
	CHECK(fl->total == 10);
	store_folder_list_free(&fl);

	/* delete: not empty unless recursive */
	CHECK_RC(store_folder_delete(st, "a", "Inbox/Sub", 0), STORE_NOTEMPTY);
	CHECK_RC(store_folder_delete(st, "a", "Nope", 0), STORE_NOTFOUND);
	OK(store_folder_delete(st, "a", "Inbox/Sub/Moved/Q/R", 0));
	OK(store_folder_delete(st, "a", "Inbox/Sub", 1));
	CHECK_RC(store_folder_get(st, "a", "Inbox/Sub/Moved/Q", &fi), STORE_NOTFOUND);
	OK(store_folder_get(st, "a", "Inbox", &fi));
	OK(store_folder_list(st, "a", 0, 100, &fl));
	CHECK(fl->total == 6);   /* 5 well-known + "P Q" */
	store_folder_list_free(&fl);
	/* the name can be reused */
	OK(store_folder_create(st, "a", "Inbox/Sub"));
	store_close(&st);
	rmtmp(&dir);
}

static void t_wellknown_protected(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	size_t i;

	OK(store_mailbox_ensure(st, "a"));
	OK(store_folder_create(st, "a", "Inbox/child"));
	for (i = 0; i < 5; i++) {
		CHECK_RC(store_folder_delete(st, "a", wk[i], 0), STORE_DENIED);
		CHECK_RC(store_folder_delete(st, "a", wk[i], 1), STORE_DENIED);
		CHECK_RC(store_folder_rename(st, "a", wk[i], "Other"), STORE_DENIED);
	}
	/* a folder below a well-known one is an ordinary folder */
	OK(store_folder_rename(st, "a", "Inbox/child", "child"));
	OK(store_folder_delete(st, "a", "child", 0));
	store_close(&st);
	rmtmp(&dir);
}

int main(void)
{
	RUN(t_open_errors);
	RUN(t_mailbox_ensure);
	RUN(t_mailbox_disabled);
	RUN(t_folder_validation);
	RUN(t_folder_create_rename_delete);
	RUN(t_wellknown_protected);
	printf("%d tests passed\n", test_count);
	return 0;
}
