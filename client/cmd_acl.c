/*
 * cmd_acl.c -- `acl FOLDER` shows who holds which rights on a folder;
 * `acl FOLDER set PRINCIPAL RIGHTS` and `acl FOLDER rm PRINCIPAL` change
 * them; `acl FOLDER mine` says what you may do there.  FOLDER "/" is the
 * mailbox root.  With -m, in another mailbox.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int show(struct cli *cli, const char *folder)
{
	struct mailrpc_acl_entry *e = NULL;
	struct mailrpc_error err;
	size_t n = 0;
	if (mailrpc_acl_get(cli->conn, folder, &e, &n, &err) != MAILRPC_OK)
		return cli_report(&err);
	if (cli->json) {
		json_t *list = json_array();
		for (size_t i = 0; list && i < n; i++)
			json_array_append_new(list, json_pack("{s:s, s:s}", "principal", e[i].principal,
							      "rights", e[i].rights));
		free(e);
		return cli_print_json(list);
	}
	for (size_t i = 0; i < n; i++)
		printf("%-40s %s\n", e[i].principal, e[i].rights);
	free(e);
	return 0;
}

static int mine(struct cli *cli, const char *folder)
{
	struct mailrpc_error err;
	char rights[16];
	if (mailrpc_myrights(cli->conn, folder, rights, &err) != MAILRPC_OK)
		return cli_report(&err);
	if (cli->json)
		return cli_print_json(json_pack("{s:s}", "rights", rights));
	printf("%s\n", rights);
	return 0;
}

int cmd_acl(struct cli *cli, int argc, char **argv)
{
	const char *synopsis = "acl FOLDER [set PRINCIPAL RIGHTS | rm PRINCIPAL | mine]";
	struct mailrpc_error err;
	int set = argc == 5 && strcmp(argv[2], "set") == 0;
	int rm = argc == 4 && strcmp(argv[2], "rm") == 0;
	int own = argc == 3 && strcmp(argv[2], "mine") == 0;
	if (argc != 2 && !set && !rm && !own)
		return cli_usage("acl", synopsis);
	int rc = cli_connect(cli);
	if (rc != 0)
		return rc;
	if (argc == 2)
		return show(cli, argv[1]);
	if (own)
		return mine(cli, argv[1]);
	if (mailrpc_acl_set(cli->conn, argv[1], argv[3], set ? argv[4] : "", &err) != MAILRPC_OK)
		return cli_report(&err);
	return 0;
}
