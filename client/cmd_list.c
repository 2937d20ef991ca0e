/*
 * cmd_list.c -- `mailrpc ls` (a folder's messages, sorted and paged) and
 * `mailrpc search` (messages matching substrings, in one or all folders).
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"

#define LS_SYNOPSIS                                                                          \
	"ls [FOLDER] [--sort id|date|size|from|subject] [--reverse] [--unread] [--offset N] "  \
	"[--limit N]"
#define SEARCH_SYNOPSIS "search [FOLDER] [--from S] [--to S] [--subject S] [--body S]"

static const struct {
	const char *name;
	int sort;
} sort_names[] = {
	{"id", MAILRPC_SORT_ID},     {"date", MAILRPC_SORT_DATE},
	{"size", MAILRPC_SORT_SIZE}, {"from", MAILRPC_SORT_FROM},
	{"subject", MAILRPC_SORT_SUBJECT},
};

static int parse_sort(const char *text, int *sort_r)
{
	for (size_t i = 0; i < sizeof(sort_names) / sizeof(sort_names[0]); i++)
		if (strcmp(text, sort_names[i].name) == 0) {
			*sort_r = sort_names[i].sort;
			return 0;
		}
	fprintf(stderr, "mailrpc: --sort takes id, date, size, from or subject, not \"%s\"\n", text);
	return -1;
}

/* One option of ls into q: 0, or the usage exit status once reported. */
static int ls_option(int opt, struct mailrpc_list_query *q)
{
	uint64_t v;
	int bad = 0;
	switch (opt) {
	case 's': bad = parse_sort(optarg, &q->sort); break;
	case 'r': q->descending = 1; break;
	case 'u': q->unread_only = 1; break;
	case 'o': bad = cli_parse_count(optarg, "--offset", UINT64_MAX, &q->offset); break;
	case 'n':
		bad = cli_parse_count(optarg, "--limit", UINT_MAX, &v);
		q->limit = (unsigned)v;
		break;
	default: return cli_usage("ls", LS_SYNOPSIS);
	}
	return bad ? EX_USAGE : 0;
}

int cmd_ls(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"sort", required_argument, NULL, 's'},  {"reverse", no_argument, NULL, 'r'},
		{"unread", no_argument, NULL, 'u'},      {"offset", required_argument, NULL, 'o'},
		{"limit", required_argument, NULL, 'n'}, {NULL, 0, NULL, 0},
	};
	struct mailrpc_list_query q = {.sort = MAILRPC_SORT_ID};
	int opt, rc;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		if ((rc = ls_option(opt, &q)) != 0)
			return rc;
	if (argc - optind > 1)
		return cli_usage("ls", LS_SYNOPSIS);
	q.folder = optind < argc ? argv[optind] : "Inbox";

	rc = cli_connect(cli);
	if (rc != 0)
		return rc;
	struct mailrpc_msglist *list;
	struct mailrpc_error err;
	if ((cli->offline ? mailrpc_cache_list(cli->cache, &q, &list, &err)
			  : mailrpc_list(cli->conn, &q, &list, &err)) != MAILRPC_OK)
		return cli_report(&err);
	rc = cli_print_msglist(cli, list, 0);
	mailrpc_msglist_free(&list);
	return rc;
}

int cmd_search(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"from", required_argument, NULL, 'f'},    {"to", required_argument, NULL, 't'},
		{"subject", required_argument, NULL, 's'}, {"body", required_argument, NULL, 'b'},
		{NULL, 0, NULL, 0},
	};
	struct mailrpc_search_query q;
	memset(&q, 0, sizeof(q));
	int opt;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f': q.from = optarg; break;
		case 't': q.to = optarg; break;
		case 's': q.subject = optarg; break;
		case 'b': q.body = optarg; break;
		default: return cli_usage("search", SEARCH_SYNOPSIS);
		}
	}
	if (argc - optind > 1)
		return cli_usage("search", SEARCH_SYNOPSIS);
	q.folder = optind < argc ? argv[optind] : NULL;

	int rc = cli_connect(cli);
	if (rc != 0)
		return rc;
	struct mailrpc_msglist *list;
	struct mailrpc_error err;
	if ((cli->offline ? mailrpc_cache_search(cli->cache, &q, &list, &err)
			  : mailrpc_search(cli->conn, &q, &list, &err)) != MAILRPC_OK)
		return cli_report(&err);
	rc = cli_print_msglist(cli, list, 1);
	mailrpc_msglist_free(&list);
	return rc;
}
