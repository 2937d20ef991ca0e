/*
 * main.c -- the mailrpc command line: global options, then one command.
 *
 *   mailrpc [-s HOST:PORT] [-l auth|integrity|privacy] [--principal SERVICE@HOST]
 *           [--json] COMMAND [ARGS]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
	{"whoami", cmd_whoami, "show your principal, mailbox, protection level and ticket time"},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: mailrpc [-s HOST:PORT] [-l auth|integrity|privacy] "
		     "[--principal SERVICE@HOST] [--json] COMMAND [ARGS]\n\n"
		     "  -s HOST:PORT   server (default: $MAILRPC_SERVER)\n"
		     "  -l LEVEL       protection of every call (default: privacy)\n"
		     "  --principal P  the server's Kerberos service (default: mailrpc@HOST)\n"
		     "  --json         machine-readable output\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].help);
}

int cli_connect(struct cli *cli)
{
	struct mailrpc_error err;
	if (cli->opts.server == NULL) {
		fprintf(stderr, "mailrpc: no server given: use -s HOST:PORT or set MAILRPC_SERVER\n");
		return EX_USAGE;
	}
	if (mailrpc_connect(&cli->opts, &cli->conn, &err) != MAILRPC_OK)
		return cli_report(&err);
	return 0;
}

int cli_report(const struct mailrpc_error *err)
{
	fprintf(stderr, "mailrpc: %s\n", err->message);
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
	while ((opt = getopt_long(argc, argv, "+s:l:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 's': cli.opts.server = optarg; break;
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
