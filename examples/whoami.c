/*
 * whoami.c -- the smallest complete libmailrpc client: connect at privacy
 * level with the caller's Kerberos ticket, ask who we are, close.
 *
 *   cc whoami.c $(pkg-config --cflags --libs mailrpc) -o whoami
 *   ./whoami mail.example.org:4711
 */
#include <mailrpc.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: whoami HOST:PORT\n");
		return 2;
	}
	struct mailrpc_options opts = {.server = argv[1], .level = MAILRPC_LEVEL_PRIVACY};
	struct mailrpc *conn;
	struct mailrpc_error err;
	struct mailrpc_whoami who;

	if (mailrpc_connect(&opts, &conn, &err) != MAILRPC_OK) {
		fprintf(stderr, "whoami: %s\n", err.message);
		return 1;
	}
	int status = mailrpc_whoami(conn, &who, &err);
	mailrpc_close(&conn);
	if (status != MAILRPC_OK) {
		fprintf(stderr, "whoami: %s\n", err.message);
		return 1;
	}
	printf("%s owns mailbox %s (%s)\n", who.principal, who.mailbox,
	       mailrpc_level_name(who.level));
	return 0;
}
