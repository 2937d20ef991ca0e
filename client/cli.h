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
	int offline;            /* --offline: answer from the cache, never connect */
	struct mailrpc_cache *cache; /* opened by cli_connect offline, or cli_open_cache */
	int offline_write;      /* the command changes the cache offline */
};

/* Connects with the global options (offline: opens the cache instead, so
 * commands that work offline just pick cli->cache or cli->conn); on
 * failure reports and returns non-zero. */
int cli_connect(struct cli *cli);
/* Opens the offline cache of the server and mailbox; create: for syncing. */
int cli_open_cache(struct cli *cli, int create);

/* Prints "mailrpc: MESSAGE" to stderr; returns the exit status for err. */
int cli_report(const struct mailrpc_error *err);

/* Prints a usage error for a command; returns the usage exit status. */
int cli_usage(const char *command, const char *synopsis);

/* Prints a JSON value (takes ownership) on one line to stdout. */
int cli_print_json(json_t *value);

/* Commands: argv[0] is the command name. Return the process exit status. */
int cmd_whoami(struct cli *cli, int argc, char **argv);
int cmd_quota(struct cli *cli, int argc, char **argv);
/* cmd_folders.c */
int cmd_folders(struct cli *cli, int argc, char **argv);
int cmd_mkfolder(struct cli *cli, int argc, char **argv);
int cmd_rmfolder(struct cli *cli, int argc, char **argv);
int cmd_mvfolder(struct cli *cli, int argc, char **argv);
/* cmd_list.c */
int cmd_ls(struct cli *cli, int argc, char **argv);
int cmd_search(struct cli *cli, int argc, char **argv);
/* cmd_changes.c */
int cmd_mv(struct cli *cli, int argc, char **argv);
int cmd_cp(struct cli *cli, int argc, char **argv);
int cmd_rm(struct cli *cli, int argc, char **argv);
int cmd_flag(struct cli *cli, int argc, char **argv);
/* cmd_wait.c */
int cmd_wait(struct cli *cli, int argc, char **argv);
/* cmd_sync.c */
int cmd_sync(struct cli *cli, int argc, char **argv);
/* cmd_acl.c */
int cmd_acl(struct cli *cli, int argc, char **argv);
/* cmd_transfer.c */
int cmd_cat(struct cli *cli, int argc, char **argv);
int cmd_get(struct cli *cli, int argc, char **argv);
int cmd_put(struct cli *cli, int argc, char **argv);
int cmd_send(struct cli *cli, int argc, char **argv);

/* Progress of a transfer, drawn on a terminal; ctx of mailrpc_progress_fn. */
struct cli_progress {
	const char *label;
	double start, drawn;
};
void cli_progress(uint64_t done, uint64_t total, void *ctx);

/* Parses a decimal message id; prints an error and returns -1 if it is not one. */
int cli_parse_id(const char *text, uint64_t *id_r);

/* args.c */
/* For commands without options: index of the first operand, or -1 after
 * getopt printed what is wrong. */
int cli_operands(int argc, char **argv);
/* Parses a decimal count up to max for option; prints an error, returns -1. */
int cli_parse_count(const char *text, const char *option, uint64_t max, uint64_t *value_r);

/* summary_out.c: how messages, flags and sizes look, for every command. */
/* Prints a listing: one line per message, or a JSON array with --json.
 * with_folder adds the folder column (search spans folders). */
int cli_print_msglist(const struct cli *cli, const struct mailrpc_msglist *list, int with_folder);
/* A listing as the JSON array ls --json prints (NULL when out of memory). */
json_t *cli_msglist_json(const struct mailrpc_msglist *list);
/* The MAILRPC_FLAG_* bit for "seen", "flagged", "answered", "draft"; 0 otherwise. */
unsigned cli_flag_bit(const char *name);
/* "512", "1.5K", "20M": bytes for people. */
const char *cli_human_size(uint64_t bytes, char *buf, size_t len);
/* Characters (UTF-8 sequences) in s. */
int cli_text_width(const char *s);
/* Prints s in exactly width characters: cut with an ellipsis, padded with
 * spaces, control characters shown as '?'. */
void cli_print_cell(const char *s, int width);

#endif
