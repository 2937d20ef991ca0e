/*
 * main.c -- mailrpc-admin --store DIR COMMAND [ARGS]: command dispatch.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "admin.h"

struct command {
	const char *name;
	int (*run)(struct admin *a, int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
	{"list", admin_list, "list mailboxes with usage"},
	{"create", admin_create, "USER: create a mailbox"},
	{"delete", admin_delete, "USER --yes: delete a mailbox and all its mail"},
	{"disable", admin_disable, "USER: refuse every call to the mailbox"},
	{"enable", admin_enable, "USER: serve the mailbox again"},
	{"quota", admin_quota, "USER BYTES: set the mailbox quota (0: the policy's default-quota)"},
	{"usage", admin_usage_cmd, "USER: show messages, bytes used, quota, and what else it holds"},
	{"dump", admin_dump, "USER FILE: write a complete, restorable backup"},
	{"restore", admin_restore, "USER FILE: recreate a mailbox from a dump"},
	{"verify", admin_verify, "check the store's internal consistency"},
	{"policy", admin_policy, "[set KEY VALUE | unset KEY]: show or change the store's limits"},
	{"import", admin_import, "USER PATH [--folder FOLDER]: import an mbox file or a Maildir"},
	{"export", admin_export, "USER FOLDER PATH.mbox: export a folder as mboxrd"},
	{"domain", admin_domain, "add DOMAIN [--default] | rm DOMAIN | list: the local domains"},
	{"alias", admin_alias, "add ADDRESS USER | rm ADDRESS | list [USER]: addresses of mailboxes"},
	{"pending", admin_pending, "sends for other domains not yet taken by the MTA"},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: mailrpc-admin --store DIR COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].help);
}

store_t *admin_store(struct admin *a)
{
	if (a->store == NULL) {
		int rc = store_open(a->store_dir, NULL, &a->store);
		if (rc != STORE_OK) {
			fprintf(stderr, "mailrpc-admin: cannot open store %s: %s\n", a->store_dir,
				store_strerror(rc));
			exit(1);
		}
	}
	return a->store;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"store", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct admin a = {0};
	int opt;
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case 's': a.store_dir = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EX_USAGE;
		}
	}
	if (a.store_dir == NULL || optind >= argc) {
		usage(stderr);
		return EX_USAGE;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[optind], commands[i].name) != 0)
			continue;
		int cmd_argc = argc - optind;
		char **cmd_argv = argv + optind;
		optind = 0;
		int rc = commands[i].run(&a, cmd_argc, cmd_argv);
		store_close(&a.store);
		return rc;
	}
	fprintf(stderr, "mailrpc-admin: unknown command \"%s\"\n", argv[optind]);
	return EX_USAGE;
}
