/* cmd_whoami.c -- `mailrpc whoami`: who the server says you are. */
#include <stdio.h>

#include "cli.h"

int cmd_whoami(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage("whoami", "whoami");
	struct mailrpc_whoami who;
	struct mailrpc_error err;
	int rc = cli_connect(cli);
	if (rc != 0)
		return rc;
	if (mailrpc_whoami(cli->conn, &who, &err) != MAILRPC_OK)
		return cli_report(&err);

	if (cli->json)
		return cli_print_json(json_pack("{s:s, s:s, s:s, s:s, s:i, s:i}", "principal",
						who.principal, "mailbox", who.mailbox, "level",
						mailrpc_level_name(who.level), "min_level",
						mailrpc_level_name(who.min_level), "expires_in",
						who.expires_in, "max_chunk", (int)who.max_chunk));
	printf("principal:  %s\n", who.principal);
	printf("mailbox:    %s\n", who.mailbox);
	printf("level:      %s (server minimum: %s)\n", mailrpc_level_name(who.level),
	       mailrpc_level_name(who.min_level));
	printf("expires in: %d s\n", who.expires_in);
	printf("max chunk:  %u bytes\n", who.max_chunk);
	return 0;
}
