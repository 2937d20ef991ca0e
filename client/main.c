/*
 * main.c -- the mailrpc command line: global options, then one command.
 *
 *   mailrpc [-s HOST[:PORT]] [-l auth|integrity|privacy] [--principal SERVICE@HOST]
 *           [--json] COMMAND [ARGS]
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "cli.h"

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *help;
	int offline;    /* answers from the cache with --offline */
};

static const struct command commands[] = {
	{"whoami", cmd_whoami, "show your principal, mailbox, protection level and ticket time", 0},
	{"folders", cmd_folders, "list folders with message counts and sizes", 1},
	{"mkfolder", cmd_mkfolder, "PATH: create a folder", 0},
	{"rmfolder", cmd_rmfolder, "[-r] PATH: delete a folder (-r: with its contents)", 0},
	{"mvfolder", cmd_mvfolder, "OLD NEW: rename or move a folder", 0},
	{"ls", cmd_ls, "[FOLDER] [--sort date|size|from|subject] [--reverse] [--unread] [--offset N] [--limit N]", 1},
	{"cat", cmd_cat, "ID: write a message, byte-exact, to standard output", 1},
	{"get", cmd_get, "ID -o FILE [--resume]: download a message to a file", 0},
	{"put", cmd_put, "FOLDER [FILE]: store a message (standard input without FILE)", 0},
	{"send", cmd_send, "--to ADDRESS[,ADDRESS...] [--from MAILBOX] [FILE]: send to addresses "
			   "or local users (--from: on behalf of MAILBOX, with right p on its "
			   "Outbox)", 1},
	{"mv", cmd_mv, "ID... FOLDER: move messages (each gets a new id there, printed)", 1},
	{"cp", cmd_cp, "ID... FOLDER: copy messages", 0},
	{"rm", cmd_rm, "[--hard] ID...: delete messages (to Deleted Items; --hard: permanently)", 1},
	{"flag", cmd_flag, "ID... +seen|-seen|+flagged|-flagged|+answered|-answered|+draft|-draft|"
			   "+deleted|-deleted...", 1},
	{"search", cmd_search, "[FOLDER] [--from S] [--to S] [--subject S] [--body S]", 1},
	{"wait", cmd_wait, "[FOLDER] [--follow]: print a line when new mail arrives (--follow: keep waiting)", 0},
	{"sync", cmd_sync, "[FOLDER...] [--headers-only] [--max-size BYTES]: update the offline cache "
			   "(default: all folders); FOLDER --since STATE: print what changed", 0},
	{"acl", cmd_acl, "FOLDER [set PRINCIPAL RIGHTS | rm PRINCIPAL | mine]: show or change rights "
			 "(RFC 4314 letters: l lookup, r read, s keep seen, w write flags, "
			 "i insert, p post: send on behalf, given on the Outbox (p alone is "
			 "enough), k create subfolders, x delete folder, t delete messages, "
			 "e expunge, a administer); mine: your own", 0},
	{"quota", cmd_quota, "the space used in your mailbox, and its limit", 0},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: mailrpc [-s HOST[:PORT]] [-l auth|integrity|privacy] "
		     "[-m MAILBOX] [--principal SERVICE@HOST] [--retries N] [--json] [--offline]\n"
		     "       COMMAND [ARGS]\n\n"
		     "  -s HOST:PORT   server (default: $MAILRPC_SERVER); HOST alone: the port\n"
		     "                 its rpcbind has for mailrpc (mailrpcd --register)\n"
		     "  -l LEVEL       protection of every call (default: privacy)\n"
		     "  -m MAILBOX     work in another mailbox (\"public\": the public folders)\n"
		     "  --principal P  the server's Kerberos service (default: mailrpc@HOST)\n"
		     "  --retries N    reconnect at most N times when a call loses the\n"
		     "                 connection, waiting 0.5 s, 1 s, 2 s... (default 4; 0: never)\n"
		     "  --json         machine-readable output\n"
		     "  --offline      answer from the cache `sync` keeps, never connect\n"
		     "                 (folders, ls, search, cat); flag, mv, rm and send change\n"
		     "                 the cache and are replayed by the next sync\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].help);
}

/*
 * Where unfinished uploads and the offline cache are kept: the library's
 * state directory ($XDG_CACHE_HOME/mailrpc or ~/.cache/mailrpc), made when
 * missing.  *dir_r is NULL (no resuming) when neither variable is set;
 * 1 after reporting a directory that is not safe to use.
 */
static int state_dir(char *buf, size_t len, const char **dir_r)
{
	struct mailrpc_error err;
	*dir_r = NULL;
	int status = mailrpc_state_dir(buf, len, &err);
	if (status == MAILRPC_E_USAGE)
		return 0;
	if (status != MAILRPC_OK)
		return cli_report(&err);
	*dir_r = buf;
	return 0;
}

/* The server is the key of the offline cache too, so even --offline needs it. */
static int need_server(const struct cli *cli)
{
	if (cli->opts.server != NULL)
		return 0;
	fprintf(stderr, "mailrpc: no server given: use -s HOST[:PORT] or set MAILRPC_SERVER\n");
	return EX_USAGE;
}

int cli_connect(struct cli *cli)
{
	struct mailrpc_error err;
	if (cli->offline)
		return cli_open_cache(cli, cli->offline_write ? MAILRPC_CACHE_WRITE : 0);
	if (need_server(cli) != 0)
		return EX_USAGE;
	char dir[1100];
	struct mailrpc_options opts = cli->opts;
	if (state_dir(dir, sizeof(dir), &opts.state_dir) != 0)
		return 1;
	int status = mailrpc_connect(&opts, &cli->conn, &err);
	return status == MAILRPC_OK ? 0 : cli_report(&err);
}

int cli_open_cache(struct cli *cli, int create)
{
	struct mailrpc_error err;
	if (need_server(cli) != 0)
		return EX_USAGE;
	char dir[1100];
	struct mailrpc_options opts = cli->opts;
	if (state_dir(dir, sizeof(dir), &opts.state_dir) != 0)
		return 1;
	if (opts.state_dir == NULL) {
		fprintf(stderr, "mailrpc: no cache directory: set XDG_CACHE_HOME or HOME\n");
		return 1;
	}
	if (mailrpc_cache_open(&opts, create, &cli->cache, &err) != MAILRPC_OK)
		return cli_report(&err);
	return 0;
}

int cli_parse_id(const char *text, uint64_t *id_r)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (text[0] < '0' || text[0] > '9' || *end != '\0' || errno != 0 || v == 0) {
		fprintf(stderr, "mailrpc: \"%s\" is not a message id (a positive decimal number)\n", text);
		return -1;
	}
	*id_r = v;
	return 0;
}

int cli_report(const struct mailrpc_error *err)
{
	/* Messages quote names people typed or mail carried: keep control
	 * characters (a newline, an escape sequence) off the terminal. */
	char line[sizeof(err->message)];
	size_t i;
	for (i = 0; err->message[i] && i < sizeof(line) - 1; i++) {
		unsigned char c = (unsigned char)err->message[i];
		line[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	line[i] = '\0';
	fprintf(stderr, "mailrpc: %s\n", line);
	return err->status == MAILRPC_E_USAGE ? EX_USAGE : 1;
}

int cli_usage(const char *command, const char *synopsis)
{
	fprintf(stderr, "mailrpc %s: usage: mailrpc [global options] %s\n", command, synopsis);
	return EX_USAGE;
}

int cli_print_json(json_t *value)
{
	if (value == NULL) {
		fprintf(stderr, "mailrpc: out of memory building JSON output\n");
		return 1;
	}
	int rc = json_dumpf(value, stdout, JSON_COMPACT) == 0 ? 0 : 1;
	json_decref(value);
	putchar('\n');
	return rc;
}

/* --retries N: 0 turns reconnection off (the library's 0 means its default). */
static int parse_retries(const char *arg, struct mailrpc_options *opts)
{
	char *end;
	long n = strtol(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || n < 0 || n > 20) {
		fprintf(stderr, "mailrpc: --retries takes a number from 0 to 20, not \"%s\"\n", arg);
		return -1;
	}
	opts->reconnect_attempts = n == 0 ? -1 : (int)n;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"principal", required_argument, NULL, 'P'},
		{"retries", required_argument, NULL, 'r'},
		{"json", no_argument, NULL, 'j'},
		{"offline", no_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	memset(&cli, 0, sizeof(cli));
	cli.opts.server = getenv("MAILRPC_SERVER");
	cli.opts.level = MAILRPC_LEVEL_PRIVACY;

	int opt;
	/* '+': options after the command belong to the command. */
	while ((opt = getopt_long(argc, argv, "+s:l:m:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 's': cli.opts.server = optarg; break;
		case 'm': cli.opts.mailbox = optarg; break;
		case 'l':
			cli.opts.level = mailrpc_level_parse(optarg);
			if (cli.opts.level == 0) {
				fprintf(stderr, "mailrpc: -l takes auth, integrity or privacy, not \"%s\"\n",
					optarg);
				return EX_USAGE;
			}
			break;
		case 'P': cli.opts.principal = optarg; break;
		case 'r':
			if (parse_retries(optarg, &cli.opts) != 0)
				return EX_USAGE;
			break;
		case 'j': cli.json = 1; break;
		case 'o': cli.offline = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EX_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EX_USAGE;
	}
	const char *name = argv[optind];
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(name, commands[i].name) != 0)
			continue;
		if (cli.offline && !commands[i].offline) {
			fprintf(stderr, "mailrpc: --offline works with folders, ls, search, cat, flag, mv, rm and send only\n");
			return EX_USAGE;
		}
		int cmd_argc = argc - optind;
		char **cmd_argv = argv + optind;
		/* Commands parse their own options from cmd_argv[1]; 0 makes glibc's
		 * getopt start afresh. */
		optind = 0;
		int rc = commands[i].run(&cli, cmd_argc, cmd_argv);
		mailrpc_close(&cli.conn);
		mailrpc_cache_close(&cli.cache);
		return rc;
	}
	fprintf(stderr, "mailrpc: unknown command \"%s\" (see mailrpc --help)\n", name);
	return EX_USAGE;
}
