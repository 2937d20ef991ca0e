/*
 * cmd_sync.c -- `mailrpc sync FOLDER [--since STATE]`: what changed in a
 * folder since a state an earlier sync printed (removed ids, then changed
 * messages, then the new state), as a client on a slow link would fetch it.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <sysexits.h>

#include "cli.h"

#define SYNC_SYNOPSIS "sync FOLDER [--since STATE]"

static int print_json(const struct mailrpc_sync *r)
{
	json_t *removed = json_array();
	for (size_t i = 0; removed != NULL && i < r->n_removed; i++)
		json_array_append_new(removed, json_integer((json_int_t)r->removed[i]));
	return cli_print_json(json_pack("{s:I, s:b, s:o*, s:o*}", "state", (json_int_t)r->state,
					"resync", r->resync, "removed", removed, "changed",
					cli_msglist_json(r->changed)));
}

/* Text: "resync" if the folder starts over, "removed ID" lines, the
 * changed messages as ls shows them, then "state N". */
static int print_text(const struct cli *cli, const struct mailrpc_sync *r)
{
	if (r->resync)
		printf("resync\n");
	for (size_t i = 0; i < r->n_removed; i++)
		printf("removed %llu\n", (unsigned long long)r->removed[i]);
	int rc = cli_print_msglist(cli, r->changed, 0);
	printf("state %llu\n", (unsigned long long)r->state);
	return rc;
}

int cmd_sync(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"since", required_argument, NULL, 's'},
	    {NULL, 0, NULL, 0},
	};
	uint64_t since = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (opt != 's')
			return cli_usage("sync", SYNC_SYNOPSIS);
		if (cli_parse_count(optarg, "--since", UINT64_MAX, &since) != 0)
			return EX_USAGE;
	}
	if (argc - optind != 1)
		return cli_usage("sync", SYNC_SYNOPSIS);
	int rc = cli_connect(cli);
	if (rc != 0)
		return rc;
	struct mailrpc_error err;
	struct mailrpc_sync *r = NULL;
	if (mailrpc_sync_folder(cli->conn, argv[optind], since, &r, &err) != MAILRPC_OK)
		return cli_report(&err);
	rc = cli->json ? print_json(r) : print_text(cli, r);
	mailrpc_sync_free(&r);
	return rc;
}
