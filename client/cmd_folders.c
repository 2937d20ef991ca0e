/*
 * cmd_folders.c -- `mailrpc folders`, `mkfolder`, `rmfolder`, `mvfolder`:
 * listing and managing folders.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The path column grows with the longest path, up to this. */
#define PATH_COLS_MAX 48

static json_t *folders_json(const struct mailrpc_folder *f, size_t n)
{
	json_t *array = json_array();
	for (size_t i = 0; array != NULL && i < n; i++) {
		json_t *o = json_pack("{s:s, s:I, s:I, s:I, s:b}", "path", f[i].path, "total",
				      (json_int_t)f[i].total, "unread", (json_int_t)f[i].unread,
				      "size", (json_int_t)f[i].size, "well_known", f[i].well_known);
		if (json_array_append_new(array, o) != 0) {
			json_decref(array);
			return NULL;
		}
	}
	return array;
}

static void print_table(const struct mailrpc_folder *f, size_t n)
{
	int width = 6;
	for (size_t i = 0; i < n; i++) {
		int w = cli_text_width(f[i].path);
		width = w > width ? w : width;
	}
	width = width < PATH_COLS_MAX ? width : PATH_COLS_MAX;
	cli_print_cell("FOLDER", width);
	printf("  %7s  %7s  %7s\n", "TOTAL", "UNREAD", "SIZE");
	for (size_t i = 0; i < n; i++) {
		char size[16];
		cli_print_cell(f[i].path, width);
		printf("  %7llu  %7llu  %7s\n", (unsigned long long)f[i].total,
		       (unsigned long long)f[i].unread, cli_human_size(f[i].size, size, sizeof(size)));
	}
}

int cmd_folders(struct cli *cli, int argc, char **argv)
{
	int first = cli_operands(argc, argv);
	if (first < 0 || first != argc)
		return cli_usage("folders", "folders");
	int rc = cli_connect(cli);
	if (rc != 0)
		return rc;
	struct mailrpc_folder *folders;
	size_t n;
	struct mailrpc_error err;
	if ((cli->offline ? mailrpc_cache_folders(cli->cache, &folders, &n, &err)
			  : mailrpc_folders(cli->conn, &folders, &n, &err)) != MAILRPC_OK)
		return cli_report(&err);
	if (cli->json)
		rc = cli_print_json(folders_json(folders, n));
	else
		print_table(folders, n);
	free(folders);
	return rc;
}

int cmd_mkfolder(struct cli *cli, int argc, char **argv)
{
	int first = cli_operands(argc, argv);
	if (first < 0 || argc - first != 1)
		return cli_usage("mkfolder", "mkfolder PATH");
	int rc = cli_connect(cli);
	if (rc != 0)
		return rc;
	struct mailrpc_error err;
	if (mailrpc_folder_create(cli->conn, argv[first], &err) != MAILRPC_OK)
		return cli_report(&err);
	return 0;
}

int cmd_rmfolder(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"recursive", no_argument, NULL, 'r'},
		{NULL, 0, NULL, 0},
	};
	int recursive = 0, opt;
	while ((opt = getopt_long(argc, argv, "r", longopts, NULL)) != -1) {
		if (opt != 'r')
			return cli_usage("rmfolder", "rmfolder [-r] PATH");
		recursive = 1;
	}
	if (argc - optind != 1)
		return cli_usage("rmfolder", "rmfolder [-r] PATH");
	int rc = cli_connect(cli);
	if (rc != 0)
		return rc;
	struct mailrpc_error err;
	if (mailrpc_folder_delete(cli->conn, argv[optind], recursive, &err) == MAILRPC_OK)
		return 0;
	/* The library cannot know the option's name; the way out belongs in the line. */
	if (err.status == MAILRPC_E_NOTEMPTY) {
		size_t used = strlen(err.message);
		snprintf(err.message + used, sizeof(err.message) - used,
			 " (use rmfolder -r to delete it with everything in it)");
	}
	return cli_report(&err);
}

int cmd_mvfolder(struct cli *cli, int argc, char **argv)
{
	int first = cli_operands(argc, argv);
	if (first < 0 || argc - first != 2)
		return cli_usage("mvfolder", "mvfolder OLD NEW");
	int rc = cli_connect(cli);
	if (rc != 0)
		return rc;
	struct mailrpc_error err;
	if (mailrpc_folder_rename(cli->conn, argv[first], argv[first + 1], &err) != MAILRPC_OK)
		return cli_report(&err);
	return 0;
}
