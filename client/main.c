/*
 * main.c -- the mailrpc command line: global options, then one command.
 *
 *   mailrpc [-s HOST:PORT] [-l auth|integrity|privacy] [--principal SERVICE@HOST]
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
};

static const struct command commands[] = {
	{"whoami", cmd_whoami, "show your principal, mailbox, protection level and ticket time"},
	{"folders", cmd_folders, "list folders with message counts and sizes"},
	{"mkfolder", cmd_mkfolder, "PATH: create a folder"},
	{"rmfolder", cmd_rmfolder, "[-r] PATH: delete a folder (-r: with its contents)"},
	{"mvfolder", cmd_mvfolder, "OLD NEW: rename or move a folder"},
	{"ls", cmd_ls, "[FOLDER] [--sort date|size|from|subject] [--reverse] [--unread] [--offset N] [--limit N]"},
	{"cat", cmd_cat, "ID: write a message, byte-exact, to standard output"},
	{"get", cmd_get, "ID -o FILE [--resume]: download a message to a file"},
	{"put", cmd_put, "FOLDER [FILE]: store a message (standard input without FILE)"},
	{"send", cmd_send, "--to USER[,USER...] [--from MAILBOX] [FILE]: send to local users"},
	{"mv", cmd_mv, "ID... FOLDER: move messages"},
	{"cp", cmd_cp, "ID... FOLDER: copy messages"},
	{"rm", cmd_rm, "[--hard] ID...: delete messages (to Deleted Items; --hard: permanently)"},
	{"flag", cmd_flag, "ID... +seen|-seen|+flagged|-flagged|+answered|-answered|+draft|-draft..."},
	{"search", cmd_search, "[FOLDER] [--from S] [--to S] [--subject S] [--body S]"},
	{"wait", cmd_wait, "[FOLDER] [--follow]: print a line when new mail arrives (--follow: keep waiting)"},
	{"sync", cmd_sync, "FOLDER [--since STATE]: what changed in a folder since STATE (default 0: all)"},
	{"acl", cmd_acl, "FOLDER [set PRINCIPAL RIGHTS | rm PRINCIPAL]: show or change rights"},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: mailrpc [-s HOST:PORT] [-l auth|integrity|privacy] "
		     "[-m MAILBOX] [--principal SERVICE@HOST] [--json] COMMAND [ARGS]\n\n"
		     "  -s HOST:PORT   server (default: $MAILRPC_SERVER)\n"
		     "  -l LEVEL       protection of every call (default: privacy)\n"
		     "  -m MAILBOX     work in another mailbox (\"public\": the public folders)\n"
		     "  --principal P  the server's Kerberos service (default: mailrpc@HOST)\n"
		     "  --json         machine-readable output\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].help);
}

/*
 * Where unfinished uploads are remembered so that repeating a put or send
 * resumes it: $XDG_CACHE_HOME/mailrpc or ~/.cache/mailrpc.  NULL (no
 * resuming) if it cannot be made.
 */
static const char *upload_state_dir(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char base[1024];
	if (xdg && xdg[0])
		snprintf(base, sizeof(base), "%s", xdg);
	else if (home && home[0])
		snprintf(base, sizeof(base), "%s/.cache", home);
	else
		return NULL;
	snprintf(buf, len, "%s/mailrpc", base);
	if ((mkdir(base, 0700) != 0 && errno != EEXIST) || (mkdir(buf, 0700) != 0 && errno != EEXIST))
		return NULL;
	return buf;
}

int cli_connect(struct cli *cli)
{
	struct mailrpc_error err;
	if (cli->opts.server == NULL) {
		fprintf(stderr, "mailrpc: no server given: use -s HOST:PORT or set MAILRPC_SERVER\n");
		return EX_USAGE;
	}
	char state_dir[1100];
	cli->opts.state_dir = upload_state_dir(state_dir, sizeof(state_dir));
	if (mailrpc_connect(&cli->opts, &cli->conn, &err) != MAILRPC_OK)
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

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"principal", required_argument, NULL, 'P'},
		{"json", no_argument, NULL, 'j'},
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
		case 'j': cli.json = 1; break;
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
		int cmd_argc = argc - optind;
		char **cmd_argv = argv + optind;
		/* Commands parse their own options from cmd_argv[1]; 0 makes glibc's
		 * getopt start afresh. */
		optind = 0;
		int rc = commands[i].run(&cli, cmd_argc, cmd_argv);
		mailrpc_close(&cli.conn);
		return rc;
	}
	fprintf(stderr, "mailrpc: unknown command \"%s\" (see mailrpc --help)\n", name);
	return EX_USAGE;
}
