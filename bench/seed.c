/*
 * seed.c -- fills a mailbox for `make bench` straight through the store
 * library (seeding 100k messages over RPC would take longer than the
 * benchmark may run), like tests/tools/seedstore.c.
 *
 *   seed STORE MAILBOX                         creates the mailbox
 *   seed STORE MAILBOX FOLDER FILE...          appends each file, in order;
 *                                              prints "ID SIZE FILE" lines
 *   seed STORE MAILBOX FOLDER -g COUNT SEED    COUNT generated messages
 *                                              (about 100 B to 4 KiB; the
 *                                              same SEED, the same folder);
 *                                              prints "FIRST_ID LAST_ID"
 * The folder is created when missing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"

static const char *const names[] = {"Alice", "bob", "Carol", "dave", "Eve", "frank", "Grace",
				    "heidi", "Ivan", "judy"};
static const char *const words[] = {"report", "Lunch", "meeting", "budget", "Plan", "review",
				    "invoice", "trip", "update", "question"};

static int fail(const char *what, int rc)
{
	fprintf(stderr, "seed: %s: %s\n", what, store_strerror(rc));
	return 1;
}

static int read_file(const char *path, char **buf_r, size_t *len_r)
{
	struct stat sb;
	int fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &sb) != 0) {
		fprintf(stderr, "seed: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	size_t len = (size_t)sb.st_size, have = 0;
	char *buf = malloc(len ? len : 1);
	while (buf && have < len) {
		ssize_t n = read(fd, buf + have, len - have);
		if (n <= 0)
			break;
		have += (size_t)n;
	}
	close(fd);
	if (buf == NULL || have != len) {
		fprintf(stderr, "seed: cannot read %s\n", path);
		free(buf);
		return -1;
	}
	*buf_r = buf;
	*len_r = len;
	return 0;
}

static int append_files(store_t *st, const char *mbox, const char *folder, char **files, int n)
{
	for (int i = 0; i < n; i++) {
		char *body;
		size_t len;
		uint64_t id;
		if (read_file(files[i], &body, &len) != 0)
			return 1;
		int rc = store_message_append(st, mbox, folder, body, len, 0, 0, &id);
		free(body);
		if (rc != STORE_OK)
			return fail(files[i], rc);
		printf("%llu %zu %s\n", (unsigned long long)id, len, files[i]);
	}
	return 0;
}

static int append_generated(store_t *st, const char *mbox, const char *folder, long count,
			    unsigned seed)
{
	static char body[8192];
	uint64_t id = 0, first = 0;
	srandom(seed);
	for (long i = 0; i < count; i++) {
		int pad = 100 + (int)(random() % 4000);
		int n = snprintf(body, sizeof(body),
				 "From: %s <u%ld@example.org>\nTo: alice@example.org\n"
				 "Subject: %s %s %ld\n\n",
				 names[random() % 10], i, words[random() % 10], words[random() % 10], i);
		memset(body + n, 'x', (size_t)pad);
		body[n + pad] = '\n';
		int64_t received = 1700000000 + (int64_t)(random() % 10000000);
		uint32_t flags = random() % 3 == 0 ? 0 : STORE_FLAG_SEEN;
		int rc = store_message_append(st, mbox, folder, body, (size_t)(n + pad + 1), flags,
					      received, &id);
		if (rc != STORE_OK)
			return fail("append", rc);
		if (first == 0)
			first = id;
	}
	printf("%llu %llu\n", (unsigned long long)first, (unsigned long long)id);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: seed STORE MAILBOX [FOLDER (FILE...|-g COUNT SEED)]\n");
		return 2;
	}
	store_t *st = NULL;
	int rc = store_open(argv[1], NULL, &st);
	if (rc == STORE_OK)
		rc = store_mailbox_ensure(st, argv[2]);
	if (rc == STORE_OK && argc > 3) {
		rc = store_folder_create(st, argv[2], argv[3]);
		if (rc == STORE_EXISTS)
			rc = STORE_OK;
	}
	int out = rc == STORE_OK ? 0 : fail(argv[1], rc);
	if (out == 0 && argc == 7 && strcmp(argv[4], "-g") == 0)
		out = append_generated(st, argv[2], argv[3], atol(argv[5]), (unsigned)atol(argv[6]));
	else if (out == 0 && argc > 4)
		out = append_files(st, argv[2], argv[3], argv + 4, argc - 4);
	store_close(&st);
	return out;
}
