/*
 * session.c -- drives libmailrpc the way long-lived clients do, for tests
 * that a one-shot CLI run cannot express.
 *
 *   session SERVER hold SECONDS
 *       connect, WHOAMI, print "ready", then sit on the open connection
 *       (tests SIGKILL it to leave a context behind without DESTROY).
 *   session SERVER expiry RENEWED_FILE
 *       connect and open the public folders, WHOAMI, wait until the ticket's
 *       lifetime has passed, WHOAMI again on the same connection (must be
 *       refused: print "refused: MSG"), then wait for RENEWED_FILE (the test
 *       runs kinit and creates it) and WHOAMI once more (must work again:
 *       print "renewed: MAILBOX"), and count the folders it sees ("folders:
 *       N": the new context works in the public folders still).
 *   session SERVER revoke MAILBOX/FOLDER CHANGED_FILE
 *       open MAILBOX, list FOLDER (print "first: ok" or "first: MSG"), wait
 *       for CHANGED_FILE (the test changes rights meanwhile), list again on
 *       the same connection ("second: ok" / "second: MSG").
 *   session SERVER corrupt BAD_ID GOOD_ID
 *       on one connection: fetch BAD_ID ("bad: ok" / "bad: MSG"), fetch
 *       GOOD_ID ("good: ok" / "good: MSG"), list the folders ("folders: ok"
 *       / MSG) and WHOAMI ("whoami: ok" / MSG).
 *   session SERVER append FOLDER FILE CHANGED_FILE
 *       append FILE (at most 128 KiB) to FOLDER ("first: ok" / "first: MSG"),
 *       wait for CHANGED_FILE (the test changes the store's policy), append
 *       it again on the same connection ("second: ok" / "second: MSG").
 *   session SERVER delete MAILBOX/ID GO_FILE
 *       open MAILBOX and make a call (the server's process has its store
 *       open and is idle), print "ready", wait for GO_FILE, then delete
 *       message ID on the same connection ("deleted" / "refused: MSG").
 *   session SERVER uploads N SIZE
 *       begin up to N uploads of SIZE bytes each and leave them unfinished;
 *       print "begun K" and, if one was refused, "refused: MSG".
 * Environment: KRB5CCNAME etc. as for the CLI.  Every wait is bounded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mailrpc.h"

static int whoami(struct mailrpc *conn, struct mailrpc_whoami *who, struct mailrpc_error *err)
{
	int status = mailrpc_whoami(conn, who, err);
	if (status != MAILRPC_OK)
		printf("refused: %s\n", err->message);
	fflush(stdout);
	return status;
}

static int hold(struct mailrpc *conn, int seconds)
{
	struct mailrpc_whoami who;
	struct mailrpc_error err;
	if (whoami(conn, &who, &err) != MAILRPC_OK)
		return 1;
	printf("ready\n");
	fflush(stdout);
	sleep((unsigned)(seconds > 600 ? 600 : seconds));
	return 0;
}

static int expiry(struct mailrpc *conn, const char *renewed_file)
{
	struct mailrpc_whoami who;
	struct mailrpc_error err;
	struct mailrpc_folder *folders = NULL;
	size_t n = 0;
	if (mailrpc_open_mailbox(conn, "public", &err) != MAILRPC_OK ||
	    whoami(conn, &who, &err) != MAILRPC_OK)
		return 1;
	if (who.expires_in > 120) {
		printf("ticket lives %d s: too long for this test\n", who.expires_in);
		return 1;
	}
	printf("expires_in %d\n", who.expires_in);
	fflush(stdout);
	sleep((unsigned)who.expires_in + 2);
	if (whoami(conn, &who, &err) == MAILRPC_OK) {
		printf("accepted after expiry\n");
		return 1;
	}
	for (int i = 0; i < 600 && access(renewed_file, F_OK) != 0; i++)
		usleep(100000);
	if (whoami(conn, &who, &err) != MAILRPC_OK)
		return 1;
	printf("renewed: %s\n", who.mailbox);
	if (mailrpc_folders(conn, &folders, &n, &err) != MAILRPC_OK)
		printf("folders: %s\n", err.message);
	else
		printf("folders: %zu\n", n);
	free(folders);
	return 0;
}

static void list_once(struct mailrpc *conn, const char *folder, const char *label)
{
	struct mailrpc_list_query q = {.folder = folder};
	struct mailrpc_msglist *list = NULL;
	struct mailrpc_error err;
	if (mailrpc_list(conn, &q, &list, &err) == MAILRPC_OK)
		printf("%s: ok\n", label);
	else
		printf("%s: %s\n", label, err.message);
	fflush(stdout);
	mailrpc_msglist_free(&list);
}

static int watch_revocation(struct mailrpc *conn, char *where, const char *changed_file)
{
	struct mailrpc_error err;
	char *slash = strchr(where, '/');
	if (slash == NULL)
		return 2;
	*slash = '\0';
	if (mailrpc_open_mailbox(conn, where, &err) != MAILRPC_OK) {
		printf("open: %s\n", err.message);
		return 1;
	}
	list_once(conn, slash + 1, "first");
	for (int i = 0; i < 600 && access(changed_file, F_OK) != 0; i++)
		usleep(100000);
	list_once(conn, slash + 1, "second");
	return 0;
}

static void fetch_once(struct mailrpc *conn, const char *id, const char *label)
{
	char buf[4096];
	size_t got = 0;
	struct mailrpc_error err;
	if (mailrpc_fetch(conn, strtoull(id, NULL, 10), 0, buf, sizeof(buf), &got, NULL, NULL,
			  &err) == MAILRPC_OK)
		printf("%s: ok\n", label);
	else
		printf("%s: %s\n", label, err.message);
	fflush(stdout);
}

/* A corrupt message is an error for its own call only. */
static int read_corrupt(struct mailrpc *conn, const char *bad, const char *good)
{
	struct mailrpc_folder *folders = NULL;
	struct mailrpc_whoami who;
	struct mailrpc_error err;
	size_t n = 0;
	fetch_once(conn, bad, "bad");
	fetch_once(conn, good, "good");
	if (mailrpc_folders(conn, &folders, &n, &err) == MAILRPC_OK)
		printf("folders: ok\n");
	else
		printf("folders: %s\n", err.message);
	free(folders);
	if (mailrpc_whoami(conn, &who, &err) == MAILRPC_OK)
		printf("whoami: ok\n");
	else
		printf("whoami: %s\n", err.message);
	return 0;
}

static void append_once(struct mailrpc *conn, const char *folder, const char *data, size_t len,
			const char *label)
{
	struct mailrpc_error err;
	uint64_t id;
	if (mailrpc_append(conn, folder, data, len, 0, &id, &err) == MAILRPC_OK)
		printf("%s: ok\n", label);
	else
		printf("%s: %s\n", label, err.message);
	fflush(stdout);
}

static int append_twice(struct mailrpc *conn, const char *folder, const char *path,
			const char *changed_file)
{
	static char data[MAILRPC_APPEND_MAX];
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return 2;
	size_t len = fread(data, 1, sizeof(data), f);
	fclose(f);
	append_once(conn, folder, data, len, "first");
	for (int i = 0; i < 600 && access(changed_file, F_OK) != 0; i++)
		usleep(100000);
	append_once(conn, folder, data, len, "second");
	return 0;
}

static int delete_later(struct mailrpc *conn, char *what, const char *go_file)
{
	struct mailrpc_whoami who;
	struct mailrpc_error err;
	char *slash = strchr(what, '/');
	size_t done = 0;
	if (slash == NULL)
		return 2;
	*slash = '\0';
	uint64_t id = strtoull(slash + 1, NULL, 10);
	if (mailrpc_open_mailbox(conn, what, &err) != MAILRPC_OK || whoami(conn, &who, &err) != 0) {
		printf("open: %s\n", err.message);
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (int i = 0; i < 600 && access(go_file, F_OK) != 0; i++)
		usleep(100000);
	if (mailrpc_delete(conn, &id, 1, 0, NULL, &done, &err) == MAILRPC_OK)
		printf("deleted\n");
	else
		printf("refused: %s\n", err.message);
	return 0;
}

static int begin_uploads(struct mailrpc *conn, int n, uint64_t size)
{
	struct mailrpc_error err;
	unsigned char sha256[32] = {0}; /* never committed: never checked */
	uint64_t id;
	int begun = 0;
	while (begun < n && begun < 100000 &&
	       mailrpc_upload_begin(conn, size, sha256, &id, &err) == MAILRPC_OK)
		begun++;
	printf("begun %d\n", begun);
	if (begun < n)
		printf("refused: %s\n", err.message);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 4 || argc > 6) {
		fprintf(stderr, "usage: session SERVER hold SECONDS | expiry FILE | revoke MAILBOX/FOLDER "
				"FILE | corrupt BAD_ID GOOD_ID | append FOLDER FILE CHANGED_FILE"
				" | delete MAILBOX/ID FILE | uploads N SIZE\n");
		return 2;
	}
	struct mailrpc_options opts = {
	    .server = argv[1], .level = MAILRPC_LEVEL_PRIVACY, .principal = "mailrpc@localhost"};
	struct mailrpc *conn = NULL;
	struct mailrpc_error err;
	if (mailrpc_connect(&opts, &conn, &err) != MAILRPC_OK) {
		printf("connect failed: %s\n", err.message);
		return 1;
	}
	int rc = 2;
	if (strcmp(argv[2], "hold") == 0)
		rc = hold(conn, atoi(argv[3]));
	else if (strcmp(argv[2], "expiry") == 0)
		rc = expiry(conn, argv[3]);
	else if (strcmp(argv[2], "revoke") == 0 && argc == 5)
		rc = watch_revocation(conn, argv[3], argv[4]);
	else if (strcmp(argv[2], "corrupt") == 0 && argc == 5)
		rc = read_corrupt(conn, argv[3], argv[4]);
	else if (strcmp(argv[2], "append") == 0 && argc == 6)
		rc = append_twice(conn, argv[3], argv[4], argv[5]);
	else if (strcmp(argv[2], "delete") == 0 && argc == 5)
		rc = delete_later(conn, argv[3], argv[4]);
	else if (strcmp(argv[2], "uploads") == 0 && argc == 5)
		rc = begin_uploads(conn, atoi(argv[3]), strtoull(argv[4], NULL, 10));
	mailrpc_close(&conn);
	return rc;
}
