/*
 * session.c -- drives libmailrpc the way long-lived clients do, for tests
 * that a one-shot CLI run cannot express.
 *
 *   session SERVER hold SECONDS
 *       connect, WHOAMI, print "ready", then sit on the open connection
 *       (tests SIGKILL it to leave a context behind without DESTROY).
 *   session SERVER expiry RENEWED_FILE
 *       connect, WHOAMI, wait until the ticket's lifetime has passed, WHOAMI
 *       again on the same connection (must be refused: print "refused: MSG"),
 *       then wait for RENEWED_FILE (the test runs kinit and creates it) and
 *       WHOAMI once more (must work again: print "renewed: MAILBOX").
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
	if (whoami(conn, &who, &err) != MAILRPC_OK)
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
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: session SERVER hold SECONDS | session SERVER expiry FILE\n");
		return 2;
	}
	struct mailrpc_options opts = {.server = argv[1], .level = MAILRPC_LEVEL_PRIVACY,
				       .principal = "mailrpc@localhost"};
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
	mailrpc_close(&conn);
	return rc;
}
