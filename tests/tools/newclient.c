/*
 * newclient.c -- libmailrpc as a client newer than the server would be:
 * a call of a procedure the server does not have, or every call in a
 * protocol version it does not serve.  Linked with the library's objects
 * (it needs a link of another version), not the shared library.
 *
 *   newclient SERVER proc N      connect as usual, then call procedure N
 *                                (no arguments; result read as a bare status)
 *   newclient SERVER version V   connect speaking program version V, then
 *                                WHOAMI
 * Prints "status=S message=M" for the call that failed (or "status=0" if
 * it did not), and exits 0 when it ran, 2 on a usage error or when the
 * connection itself failed (then with the message).
 * Environment: KRB5CCNAME etc. as for the CLI.  Every wait is libmailrpc's
 * (bounded by its reply timeouts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int usage(void)
{
	fprintf(stderr, "usage: newclient SERVER proc N | newclient SERVER version V\n");
	return 2;
}

static int report(int status, const struct mailrpc_error *err)
{
	if (status == MAILRPC_OK)
		printf("status=0\n");
	else
		printf("status=%d message=%s\n", status, err->message);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return usage();
	struct mailrpc_options opts = {.server = argv[1], .reconnect_attempts = -1};
	struct mailrpc_error err = {0};
	struct mr_link_params p;
	struct mailrpc *conn = NULL;
	char *end;
	unsigned long n = strtoul(argv[3], &end, 10);
	int is_proc = strcmp(argv[2], "proc") == 0;
	if (*end != '\0' || (!is_proc && strcmp(argv[2], "version") != 0))
		return usage();
	if (mr_link_params_from(&opts, &p, &err) != MAILRPC_OK)
		return fprintf(stderr, "newclient: %s\n", err.message), 2;
	if (!is_proc)
		p.vers = (rpcvers_t)n;
	/* The context set-up is not a versioned call: it works either way. */
	if (mr_connect(&p, NULL, NULL, &conn, &err) != MAILRPC_OK)
		return fprintf(stderr, "newclient: %s\n", err.message), 2;
	int status;
	if (is_proc) {
		mr_status res = MR_OK;
		status = mr_call(conn, (rpcproc_t)n, (xdrproc_t)xdr_void, NULL,
				 (xdrproc_t)xdr_mr_status, &res, &err);
	} else {
		struct mailrpc_whoami who;
		status = mailrpc_whoami(conn, &who, &err);
	}
	report(status, &err);
	mailrpc_close(&conn);
	return 0;
}
