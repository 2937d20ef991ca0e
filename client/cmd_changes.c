/*
 * cmd_changes.c -- `mailrpc mv`, `cp`, `rm` and `flag`: changing messages
 * by id.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"

#define MV_SYNOPSIS "mv ID... FOLDER"
#define CP_SYNOPSIS "cp ID... FOLDER"
#define RM_SYNOPSIS "rm [--hard] ID..."
#define FLAG_SYNOPSIS "flag ID... +seen|-seen|+flagged|-flagged|+answered|-answered|+draft|-draft|+deleted|-deleted..."

/* Parses n decimal ids into a malloc'd array; NULL (reported) on a bad one. */
static uint64_t *parse_ids(char **args, size_t n)
{
	uint64_t *ids = calloc(n ? n : 1, sizeof(*ids));
	if (ids == NULL) {
		fprintf(stderr, "mailrpc: out of memory\n");
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (cli_parse_id(args[i], &ids[i]) != 0) {
			free(ids);
			return NULL;
		}
	return ids;
}

/* Reports a failed batch, saying how much of it was done before the failure. */
static int report_batch(struct mailrpc_error *err, size_t done, size_t n, const char *verb)
{
	if (done > 0) {
		size_t used = strlen(err->message);
		snprintf(err->message + used, sizeof(err->message) - used,
			 " (%zu of %zu messages were %s before that)", done, n, verb);
	}
	return cli_report(err);
}

/* mv and cp: ID... FOLDER.  Fills ids (malloc'd), n and folder. */
static int parse_ids_folder(int argc, char **argv, const char *synopsis, uint64_t **ids_r,
			    size_t *n_r, const char **folder_r)
{
	*ids_r = NULL;
	*n_r = 0;
	*folder_r = NULL;
	int first = cli_operands(argc, argv);
	if (first < 0 || argc - first < 2)
		return cli_usage(argv[0], synopsis);
	*n_r = (size_t)(argc - first - 1);
	*folder_r = argv[argc - 1];
	*ids_r = parse_ids(argv + first, *n_r);
	return *ids_r == NULL ? EX_USAGE : 0;
}

static int print_ids(const struct cli *cli, const uint64_t *ids, size_t n)
{
	if (!cli->json) {
		for (size_t i = 0; i < n; i++)
			printf("%llu\n", (unsigned long long)ids[i]);
		return 0;
	}
	json_t *array = json_array();
	for (size_t i = 0; array != NULL && i < n; i++)
		if (json_array_append_new(array, json_integer((json_int_t)ids[i])) != 0) {
			json_decref(array);
			array = NULL;
		}
	return cli_print_json(array);
}

typedef int (*move_fn)(struct mailrpc *, const uint64_t *, size_t, const char *, uint64_t *,
		       size_t *, struct mailrpc_error *);

/* mv and cp online: both print the ids the messages have in FOLDER. */
static int move_online(struct cli *cli, move_fn fn, const uint64_t *ids, size_t n,
		       const char *folder, const char *verb)
{
	size_t done = 0;
	uint64_t *new_ids = calloc(n, sizeof(*new_ids));
	if (new_ids == NULL) {
		fprintf(stderr, "mailrpc: out of memory\n");
		return 1;
	}
	struct mailrpc_error err;
	int status = fn(cli->conn, ids, n, folder, new_ids, &done, &err);
	/* The messages done before a failure are there: say which they are. */
	int rc = print_ids(cli, new_ids, done);
	if (status != MAILRPC_OK)
		rc = report_batch(&err, done, n, verb);
	free(new_ids);
	return rc;
}

int cmd_mv(struct cli *cli, int argc, char **argv)
{
	uint64_t *ids;
	size_t n;
	const char *folder;
	int rc = parse_ids_folder(argc, argv, MV_SYNOPSIS, &ids, &n, &folder);
	cli->offline_write = 1;
	if (rc == 0)
		rc = cli_connect(cli);
	if (rc == 0 && cli->offline) {
		struct mailrpc_error err;
		if (mailrpc_cache_move(cli->cache, ids, n, folder, &err) != MAILRPC_OK)
			rc = cli_report(&err);
	} else if (rc == 0) {
		rc = move_online(cli, mailrpc_move, ids, n, folder, "moved");
	}
	free(ids);
	return rc;
}

int cmd_cp(struct cli *cli, int argc, char **argv)
{
	uint64_t *ids;
	size_t n;
	const char *folder;
	int rc = parse_ids_folder(argc, argv, CP_SYNOPSIS, &ids, &n, &folder);
	if (rc == 0)
		rc = cli_connect(cli);
	if (rc == 0)
		rc = move_online(cli, mailrpc_copy, ids, n, folder, "copied");
	free(ids);
	return rc;
}

int cmd_rm(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"hard", no_argument, NULL, 'H'},
		{NULL, 0, NULL, 0},
	};
	int hard = 0, opt;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (opt != 'H')
			return cli_usage("rm", RM_SYNOPSIS);
		hard = 1;
	}
	if (optind >= argc)
		return cli_usage("rm", RM_SYNOPSIS);
	size_t n = (size_t)(argc - optind), done = 0;
	uint64_t *ids = parse_ids(argv + optind, n);
	if (ids == NULL)
		return EX_USAGE;
	cli->offline_write = 1;
	int rc = cli_connect(cli);
	if (rc == 0 && cli->offline) {
		struct mailrpc_error err;
		if (mailrpc_cache_delete(cli->cache, ids, n, hard, &err) != MAILRPC_OK)
			rc = cli_report(&err);
	} else if (rc == 0) {
		struct mailrpc_error err;
		if (mailrpc_delete(cli->conn, ids, n, hard, NULL, &done, &err) != MAILRPC_OK)
			rc = report_batch(&err, done, n, "deleted");
	}
	free(ids);
	return rc;
}

/* "+seen" or "-draft" into the set or clear mask; -1 (reported) otherwise. */
static int parse_change(const char *arg, unsigned *set, unsigned *clear)
{
	unsigned bit = cli_flag_bit(arg + 1);
	if (bit == 0) {
		fprintf(stderr, "mailrpc: \"%s\" is not a flag change (+ or - then seen, flagged, answered, draft or deleted)\n",
			arg);
		return -1;
	}
	if ((arg[0] == '+' ? *clear : *set) & bit) {
		fprintf(stderr, "mailrpc: flag %s is both set and cleared\n", arg + 1);
		return -1;
	}
	*(arg[0] == '+' ? set : clear) |= bit;
	return 0;
}

/* Sorts flag's arguments: ids first, then +/- changes mixed with more ids.
 * Returns 0 or the usage exit status (the problem already reported). */
static int parse_flag_args(int argc, char **argv, uint64_t *ids, size_t *n, unsigned *set,
			   unsigned *clear)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		/* A change needs an id before it; "-5" is no id either. */
		if ((arg[0] == '+' || arg[0] == '-') && *n > 0) {
			if (parse_change(arg, set, clear) != 0)
				return EX_USAGE;
		} else if (cli_parse_id(arg, &ids[(*n)++]) != 0) {
			return EX_USAGE;
		}
	}
	if (*n == 0 || (*set | *clear) == 0)
		return cli_usage("flag", FLAG_SYNOPSIS);
	return 0;
}

int cmd_flag(struct cli *cli, int argc, char **argv)
{
	/* No getopt here: "-seen" is an operand, not an option. */
	uint64_t *ids = calloc((size_t)argc, sizeof(*ids));
	size_t n = 0;
	unsigned set = 0, clear = 0;
	if (ids == NULL) {
		fprintf(stderr, "mailrpc: out of memory\n");
		return 1;
	}
	int rc = parse_flag_args(argc, argv, ids, &n, &set, &clear);
	cli->offline_write = 1;
	if (rc == 0)
		rc = cli_connect(cli);
	if (rc == 0 && cli->offline) {
		struct mailrpc_error err;
		if (mailrpc_cache_set_flags(cli->cache, ids, n, set, clear, &err) != MAILRPC_OK)
			rc = cli_report(&err);
	} else if (rc == 0) {
		struct mailrpc_error err;
		if (mailrpc_set_flags(cli->conn, ids, n, set, clear, &err) != MAILRPC_OK)
			rc = cli_report(&err);
	}
	free(ids);
	return rc;
}
