/* cmd_transfer.c -- `cat`, `get`, `put`, `send`: message bytes in and out. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cmd_cat(struct cli *cli, int argc, char **argv)
{
	uint64_t id;
	struct mailrpc_error err;
	if (argc != 2)
		return cli_usage("cat", "cat ID");
	if (cli_parse_id(argv[1], &id) != 0)
		return 64;
	int rc = cli_connect(cli);
	if (rc != 0)
		return rc;
	if ((cli->offline ? mailrpc_cache_read(cli->cache, id, STDOUT_FILENO, &err)
			  : mailrpc_download(cli->conn, id, STDOUT_FILENO, 0, NULL, NULL, &err)) !=
	    MAILRPC_OK)
		return cli_report(&err);
	return 0;
}

int cmd_get(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"resume", no_argument, NULL, 'r'},
		{NULL, 0, NULL, 0},
	};
	const char *synopsis = "get ID -o FILE [--resume]";
	const char *path = NULL;
	int resume = 0, opt;
	uint64_t id;
	struct mailrpc_error err;
	while ((opt = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o': path = optarg; break;
		case 'r': resume = 1; break;
		default: return cli_usage("get", synopsis);
		}
	}
	if (path == NULL || optind != argc - 1)
		return cli_usage("get", synopsis);
	if (cli_parse_id(argv[optind], &id) != 0)
		return 64;
	int rc = cli_connect(cli);
	if (rc != 0)
		return rc;
	/* A failed download leaves what arrived, for --resume. */
	int fd = open(path, O_RDWR | O_CREAT | (resume ? 0 : O_TRUNC), 0600);
	if (fd < 0) {
		fprintf(stderr, "mailrpc: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	struct cli_progress progress = {.label = path};
	rc = mailrpc_download(cli->conn, id, fd, resume, cli_progress, &progress, &err);
	if (close(fd) != 0 && rc == MAILRPC_OK) {
		fprintf(stderr, "mailrpc: cannot write %s: %s\n", path, strerror(errno));
		return 1;
	}
	return rc == MAILRPC_OK ? 0 : cli_report(&err);
}

/* Opens FILE, or standard input without one. */
static int open_input(int argc, char **argv, int first, int *fd_r)
{
	*fd_r = STDIN_FILENO;
	if (first >= argc)
		return 0;
	*fd_r = open(argv[first], O_RDONLY);
	if (*fd_r < 0) {
		fprintf(stderr, "mailrpc: cannot open %s: %s\n", argv[first], strerror(errno));
		return 1;
	}
	return 0;
}

int cmd_put(struct cli *cli, int argc, char **argv)
{
	struct mailrpc_error err;
	uint64_t id;
	int fd;
	if (argc < 2 || argc > 3 || argv[1][0] == '-')
		return cli_usage("put", "put FOLDER [FILE]");
	if (open_input(argc, argv, 2, &fd) != 0)
		return 1;
	int rc = cli_connect(cli);
	if (rc != 0)
		return rc;
	struct cli_progress progress = {.label = "put"};
	if (mailrpc_put(cli->conn, argv[1], fd, 0, cli_progress, &progress, &id, &err) != MAILRPC_OK)
		return cli_report(&err);
	if (cli->json)
		return cli_print_json(json_pack("{s:I}", "id", (json_int_t)id));
	printf("%llu\n", (unsigned long long)id);
	return 0;
}

/* Splits an address list ("bob, Carol <carol@example.org>") in place at
 * the commas between addresses (not those inside quotes, <> or comments),
 * appending to rcpts; each piece goes to the server as written, which
 * parses it.  Returns the new count, or 0 if a piece is empty or there are
 * more than max. */
static size_t split_rcpts(char *list, char **rcpts, size_t n, size_t max)
{
	int quoted = 0, angle = 0, comment = 0;
	char *start = list;
	for (char *p = list;; p++) {
		if (*p == '\\' && quoted && p[1] != '\0')
			p++;
		else if (*p == '"')
			quoted = !quoted;
		else if (!quoted && (*p == '<' || *p == '>'))
			angle = *p == '<';
		else if (!quoted && (*p == '(' || *p == ')'))
			comment += *p == '(' ? 1 : comment > 0 ? -1 : 0;
		else if (*p == '\0' || (*p == ',' && !quoted && !angle && comment == 0)) {
			int end = *p == '\0';
			*p = '\0';
			while (*start == ' ' || *start == '\t')
				start++;
			for (char *e = p; e > start && (e[-1] == ' ' || e[-1] == '\t');)
				*--e = '\0';
			if (*start == '\0' || n == max)
				return 0;
			rcpts[n++] = start;
			start = p + 1;
			if (end)
				return n;
		}
	}
}

/* --offline: into the cached Outbox, sent by the next sync. */
static int queue_send(struct cli *cli, const char *from, const char *const *rcpts, size_t n,
		      int fd)
{
	struct mailrpc_error err;
	uint64_t id;
	if (mailrpc_cache_send(cli->cache, from, rcpts, n, fd, &id, &err) != MAILRPC_OK)
		return cli_report(&err);
	if (cli->json)
		return cli_print_json(json_pack("{s:I, s:i, s:b}", "queued_id", (json_int_t)id,
						"recipients", (int)n, "queued", 1));
	printf("queued for %zu recipient%s as %llu in the Outbox; sent by the next mailrpc sync\n",
	       n, n == 1 ? "" : "s", (unsigned long long)id);
	return 0;
}

int cmd_send(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"to", required_argument, NULL, 't'},
		{"from", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	const char *synopsis = "send --to ADDRESS[,ADDRESS...] [--from MAILBOX] [FILE]";
	char *from = NULL, *rcpts[1000];
	size_t n = 0;
	int opt, fd, bad = 0;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (opt == 't') {
			size_t more = split_rcpts(optarg, rcpts, n, sizeof(rcpts) / sizeof(rcpts[0]));
			bad |= more == 0;
			n = more ? more : n;
		} else if (opt == 'f') {
			from = optarg;
		} else {
			return cli_usage("send", synopsis);
		}
	}
	if (bad || n == 0 || argc - optind > 1)
		return cli_usage("send", synopsis);
	if (open_input(argc, argv, optind, &fd) != 0)
		return 1;
	cli->offline_write = 1;
	int rc = cli_connect(cli);
	if (rc != 0)
		return rc;
	struct mailrpc_error err;
	if (cli->offline)
		return queue_send(cli, from, (const char *const *)rcpts, n, fd);
	struct cli_progress progress = {.label = "send"};
	struct mailrpc_sent sent;
	if (mailrpc_send_report(cli->conn, from, (const char *const *)rcpts, n, fd, cli_progress,
				&progress, &sent, &err) != MAILRPC_OK)
		return cli_report(&err);
	if (cli->json)
		return cli_print_json(json_pack("{s:I, s:i, s:i, s:i}", "sent_id",
						(json_int_t)sent.sent_id, "recipients", (int)n,
						"local", (int)sent.local, "remote", (int)sent.remote));
	printf("sent to %zu recipient%s", n, n == 1 ? "" : "s");
	if (sent.remote > 0)
		printf(" (%u through the mail system)", sent.remote);
	printf("; copy %llu in Sent Items\n", (unsigned long long)sent.sent_id);
	return 0;
}
