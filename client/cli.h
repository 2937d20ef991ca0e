/*
 * cli.h -- what the mailrpc command's files share.  The CLI holds no
 * protocol logic: every command is a call into libmailrpc plus output.
 */
#ifndef MAILRPC_CLI_H
#define MAILRPC_CLI_H

#include <jansson.h>

#include "mailrpc.h"

struct cli {
	struct mailrpc_options opts;
	int json;               /* --json: machine-readable output */
	struct mailrpc *conn;   /* opened by cli_connect */
};

/* Connects with the global options; on failure reports and returns non-zero. */
int cli_connect(struct cli *cli);

/* Prints "mailrpc: MESSAGE" to stderr; returns the exit status for err. */
int cli_report(const struct mailrpc_error *err);

/* Prints a usage error for a command; returns the usage exit status. */
int cli_usage(const char *command, const char *synopsis);

/* Prints a JSON value (takes ownership) on one line to stdout. */
int cli_print_json(json_t *value);

/* Commands: argv[0] is the command name. Return the process exit status. */
int cmd_whoami(struct cli *cli, int argc, char **argv);

#endif
