/*
 * cmd_wait.c -- `mailrpc wait [FOLDER] [--follow]`: a line for each folder
 * that gained messages, as soon as it happens (WAIT, no polling); exits
 * after the first, or keeps waiting with --follow.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define WAIT_SYNOPSIS "wait [FOLDER] [--follow]"

/* Folder counts to compare after each change: the folder, or every one. */
struct counts {
	struct mailrpc_folder *items;
	size_t n;
};

static int take_counts(struct cli *cli, const char *folder, struct counts *c,
		       struct mailrpc_error *err)
{
	free(c->items);
	c->items = NULL;
	c->n = 0;
	int status = mailrpc_folders(cli->conn, &c->items, &c->n, err);
	if (status != MAILRPC_OK || folder[0] == '\0')
		return status;
	size_t kept = 0;
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->items[i].path, folder) == 0)
			c->items[kept++] = c->items[i];
	c->n = kept;
	return MAILRPC_OK;
}

static uint64_t total_before(const struct counts *old, const char *path)
{
	for (size_t i = 0; i < old->n; i++)
		if (strcmp(old->items[i].path, path) == 0)
			return old->items[i].total;
	return 0;
}

/* Prints a line per folder with more messages than before; how many. */
static int report_new(const struct cli *cli, const struct counts *old, const struct counts *now)
{
	int lines = 0;
	for (size_t i = 0; i < now->n; i++) {
		const struct mailrpc_folder *f = &now->items[i];
		uint64_t before = total_before(old, f->path);
		if (f->total <= before)
			continue;
		if (cli->json)
			cli_print_json(json_pack("{s:s, s:I, s:I, s:I}", "folder", f->path, "new",
						 (json_int_t)(f->total - before), "total",
						 (json_int_t)f->total, "unread", (json_int_t)f->unread));
		else
			printf("new mail in %s: %llu new, %llu unread, %llu in all\n", f->path,
			       (unsigned long long)(f->total - before), (unsigned long long)f->unread,
			       (unsigned long long)f->total);
		lines++;
	}
	fflush(stdout);
	return lines;
}

/* Waits for changes until new mail is reported (or forever with follow). */
static int wait_loop(struct cli *cli, const char *folder, int follow, struct mailrpc_error *err)
{
	struct counts old = {0}, now = {0};
	uint64_t since = 0, change = 0;
	/* The number first, then the counts: a change in between is seen twice, never missed. */
	int status = mailrpc_wait(cli->conn, folder, 0, 0, &since, err);
	if (status == MAILRPC_OK)
		status = take_counts(cli, folder, &old, err);
	while (status == MAILRPC_OK) {
		status = mailrpc_wait(cli->conn, folder, since, MAILRPC_WAIT_MAX_SECONDS, &change, err);
		if (status != MAILRPC_OK || change <= since)
			continue;   /* the server's wait ended quietly: wait again */
		since = change;
		status = take_counts(cli, folder, &now, err);
		if (status != MAILRPC_OK)
			break;
		int lines = report_new(cli, &old, &now);
		struct counts swap = old;
		old = now;
		now = swap;
		if (lines > 0 && !follow)
			break;
	}
	free(old.items);
	free(now.items);
	return status;
}

int cmd_wait(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"follow", no_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	int follow = 0, opt;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (opt != 'f')
			return cli_usage("wait", WAIT_SYNOPSIS);
		follow = 1;
	}
	if (argc - optind > 1)
		return cli_usage("wait", WAIT_SYNOPSIS);
	const char *folder = optind < argc ? argv[optind] : "";
	int rc = cli_connect(cli);
	if (rc != 0)
		return rc;
	struct mailrpc_error err;
	if (wait_loop(cli, folder, follow, &err) != MAILRPC_OK)
		return cli_report(&err);
	return 0;
}
