/*
 * cmd_sync.c -- `mailrpc sync [FOLDER...] [--headers-only] [--max-size
 * BYTES]`: brings the offline cache (for `--offline`) up to date, all
 * folders by default, transferring only what changed since the last run;
 * and `mailrpc sync FOLDER --since STATE`: prints what changed in a folder
 * since a state an earlier such call printed (removed ids, then changed
 * messages, then the new state), as a client on a slow link would fetch it.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <sysexits.h>

#include "cli.h"

#define SYNC_SYNOPSIS                                                                              \
	"sync [FOLDER...] [--headers-only] [--max-size BYTES] | sync FOLDER --since STATE"

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

/* --since: the changes themselves, nothing cached. */
static int show_changes(struct cli *cli, const char *folder, uint64_t since)
{
	int rc = cli_connect(cli);
	if (rc != 0)
		return rc;
	struct mailrpc_error err;
	struct mailrpc_sync *r = NULL;
	if (mailrpc_sync_folder(cli->conn, folder, since, &r, &err) != MAILRPC_OK)
		return cli_report(&err);
	rc = cli->json ? print_json(r) : print_text(cli, r);
	mailrpc_sync_free(&r);
	return rc;
}

/* Each offline change replayed: a line on stderr, and kept for --json. */
struct replay_log {
	const struct cli *cli;
	json_t *lines;
};

static void on_replayed(const char *line, int dropped, void *ctx)
{
	struct replay_log *log = ctx;
	fprintf(stderr, "mailrpc: %s%s\n", dropped ? "" : "replayed: ", line);
	if (log->lines != NULL)
		json_array_append_new(log->lines,
				      json_pack("{s:s, s:b}", "change", line, "dropped", dropped));
}

static int print_report(const struct cli *cli, const struct mailrpc_cache_report *r,
			json_t *replay)
{
	if (cli->json)
		return cli_print_json(json_pack(
		    "{s:I, s:I, s:I, s:I, s:I, s:I, s:{s:I, s:I, s:I, s:b}, s:I, s:I, s:o}", "folders",
		    (json_int_t)r->folders, "changed", (json_int_t)r->changed, "removed",
		    (json_int_t)r->removed, "bodies", (json_int_t)r->bodies, "body_bytes",
		    (json_int_t)r->body_bytes, "skipped", (json_int_t)r->skipped, "hierarchy", "new",
		    (json_int_t)r->folders_new, "renamed", (json_int_t)r->folders_renamed, "deleted",
		    (json_int_t)r->folders_deleted, "resync", r->folders_resync, "replayed",
		    (json_int_t)r->replayed, "dropped", (json_int_t)r->dropped, "replay",
		    json_incref(replay)));
	if (r->replayed || r->dropped)
		printf("replayed %llu offline changes, dropped %llu\n",
		       (unsigned long long)r->replayed, (unsigned long long)r->dropped);
	if (r->folders_new || r->folders_renamed || r->folders_deleted || r->folders_resync)
		printf("folders: %zu new, %zu renamed, %zu deleted%s\n", r->folders_new,
		       r->folders_renamed, r->folders_deleted,
		       r->folders_resync ? " (listed again whole)" : "");
	printf("synced %zu folders: %llu changed, %llu removed, %llu bodies fetched (%llu bytes), "
	       "%llu skipped\n",
	       r->folders, (unsigned long long)r->changed, (unsigned long long)r->removed,
	       (unsigned long long)r->bodies, (unsigned long long)r->body_bytes,
	       (unsigned long long)r->skipped);
	return 0;
}

/* The cache: folders are argv[0..n), none for all. */
static int update_cache(struct cli *cli, char **folders, size_t n,
			struct mailrpc_cache_limits *limits)
{
	int rc = cli_open_cache(cli, 1);
	if (rc == 0)
		rc = cli_connect(cli);
	if (rc != 0)
		return rc;
	struct cli_progress progress = {.label = "sync"};
	limits->progress = cli_progress; /* draws only on a terminal */
	limits->ctx = &progress;
	struct replay_log log = {cli, json_array()};
	limits->replayed = on_replayed;
	limits->replay_ctx = &log;
	struct mailrpc_cache_report report;
	struct mailrpc_error err;
	if (mailrpc_cache_sync(cli->conn, cli->cache, (const char *const *)folders, n, limits,
			       &report, &err) != MAILRPC_OK)
		rc = cli_report(&err);
	else
		rc = print_report(cli, &report, log.lines);
	json_decref(log.lines);
	return rc;
}

int cmd_sync(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"since", required_argument, NULL, 's'},
	    {"headers-only", no_argument, NULL, 'H'},
	    {"max-size", required_argument, NULL, 'm'},
	    {NULL, 0, NULL, 0},
	};
	uint64_t since = 0;
	int opt, with_since = 0;
	struct mailrpc_cache_limits limits = {0};
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		int bad = 0;
		switch (opt) {
		case 's':
			with_since = 1;
			bad = cli_parse_count(optarg, "--since", UINT64_MAX, &since);
			break;
		case 'H':
			limits.headers_only = 1;
			break;
		case 'm':
			bad = cli_parse_count(optarg, "--max-size", UINT64_MAX, &limits.max_size);
			break;
		default:
			return cli_usage("sync", SYNC_SYNOPSIS);
		}
		if (bad)
			return EX_USAGE;
	}
	if (with_since && (argc - optind != 1 || limits.headers_only || limits.max_size))
		return cli_usage("sync", SYNC_SYNOPSIS);
	if (with_since)
		return show_changes(cli, argv[optind], since);
	return update_cache(cli, argv + optind, (size_t)(argc - optind), &limits);
}
