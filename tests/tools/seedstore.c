/*
 * seedstore.c -- fills a mailbox folder straight through the store library
 * with COUNT generated messages, so that end-to-end tests of listing and
 * paging over thousands of messages need not upload them one by one.
 *
 *   seedstore STORE_DIR MAILBOX FOLDER COUNT SEED
 * Messages vary in From, Subject, size, received time and seen flag, from
 * a fixed-seed generator: the same SEED gives the same mailbox.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

static const char *const names[] = {"Alice", "bob", "Carol", "dave", "Eve", "frank", "Grace",
				    "heidi", "Ivan", "judy"};
static const char *const words[] = {"report", "Lunch", "meeting", "budget", "Plan", "review",
				    "invoice", "trip", "update", "question"};

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: seedstore STORE_DIR MAILBOX FOLDER COUNT SEED\n");
		return 2;
	}
	long count = atol(argv[4]);
	srandom((unsigned)atol(argv[5]));
	store_t *st = NULL;
	int rc = store_open(argv[1], NULL, &st);
	if (rc == STORE_OK)
		rc = store_mailbox_ensure(st, argv[2]);
	static char body[8192];
	for (long i = 0; rc == STORE_OK && i < count; i++) {
		int pad = 100 + (int)(random() % 4000);
		int n = snprintf(body, sizeof(body), "From: %s <u%ld@example.org>\nSubject: %s %s %ld\n\n",
				 names[random() % 10], i, words[random() % 10], words[random() % 10], i);
		memset(body + n, 'x', (size_t)pad);
		body[n + pad] = '\n';
		uint64_t id;
		int64_t received = 1700000000 + (int64_t)(random() % 10000000);
		uint32_t flags = random() % 3 == 0 ? 0 : STORE_FLAG_SEEN;
		rc = store_message_append(st, argv[2], argv[3], body, (size_t)(n + pad + 1), flags,
					  received, &id);
	}
	store_close(&st);
	if (rc != STORE_OK) {
		fprintf(stderr, "seedstore: %s\n", store_strerror(rc));
		return 1;
	}
	return 0;
}
