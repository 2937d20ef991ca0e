/* cmd_whoami.c -- `mailrpc whoami`: who the server says you are; `quota`:
 * how much of your mailbox is used. */
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

	/* What protects the calls: sealed ones name their cipher. */
	const char *protection = who.sealed ? "sealed, AES-256-GCM" : "RPCSEC_GSS";
	if (cli->json)
		return cli_print_json(json_pack(
		    "{s:s, s:s, s:s, s:s, s:s, s:b, s:i, s:i}", "principal", who.principal,
		    "mailbox", who.mailbox, "level", mailrpc_level_name(who.level), "protection",
		    protection, "min_level", mailrpc_level_name(who.min_level), "sealed",
		    who.sealed, "expires_in", who.expires_in, "max_chunk", (int)who.max_chunk));
	printf("principal:  %s\n", who.principal);
	printf("mailbox:    %s\n", who.mailbox);
	printf("level:      %s (%s)\n", mailrpc_level_name(who.level), protection);
	printf("minimum:    %s (the server's)\n", mailrpc_level_name(who.min_level));
	printf("expires in: %d s\n", who.expires_in);
	printf("max chunk:  %u bytes\n", who.max_chunk);
	return 0;
}

int cmd_quota(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage("quota", "quota");
	struct mailrpc_quota q;
	struct mailrpc_error err;
	char used[32], limit[32];
	int rc = cli_connect(cli);
	if (rc != 0)
		return rc;
	if (mailrpc_quota(cli->conn, &q, &err) != MAILRPC_OK)
		return cli_report(&err);
	if (cli->json)
		return cli_print_json(json_pack("{s:I, s:I, s:I}", "used", (json_int_t)q.used,
						"limit", (json_int_t)q.limit, "messages",
						(json_int_t)q.messages));
	printf("used:     %s in %llu messages\n", cli_human_size(q.used, used, sizeof(used)),
	       (unsigned long long)q.messages);
	printf("limit:    %s\n", q.limit ? cli_human_size(q.limit, limit, sizeof(limit)) : "none");
	return 0;
}
