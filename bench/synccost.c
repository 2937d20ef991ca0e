/*
 * synccost.c -- what one SYNC page costs when little changed: times
 * store_sync of a folder from the state just before one flag change, the
 * question a client asks on every reconnect.
 *
 *   synccost STORE MAILBOX FOLDER [ROUNDS]
 * The folder should be seeded first (bench/seed ... -g COUNT SEED).  Flags
 * one message of the folder, then syncs from the state before it ROUNDS
 * times (default 50) and prints the median and the slowest, in ms, and
 * the number of changed summaries found (1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "store.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int fail(const char *what, int rc)
{
	fprintf(stderr, "synccost: %s: %s\n", what, store_strerror(rc));
	return 1;
}

int main(int argc, char **argv)
{
	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: synccost STORE MAILBOX FOLDER [ROUNDS]\n");
		return 2;
	}
	int rounds = argc == 5 ? atoi(argv[4]) : 50;
	if (rounds < 1 || rounds > 10000)
		rounds = 50;
	store_t *st = NULL;
	double t0 = now_ms();
	int rc = store_open(argv[1], NULL, &st);
	if (rc != STORE_OK)
		return fail("open", rc);
	printf("open: %.1f ms\n", now_ms() - t0);
	store_list_query_t q = {.limit = 1};
	store_msglist_t *one = NULL;
	store_mailbox_info_t info;
	store_folder_info_t f;
	rc = store_message_list(st, argv[2], argv[3], &q, &one);
	if (rc == STORE_OK && one->count == 0)
		rc = STORE_NOTFOUND;
	if (rc == STORE_OK)
		rc = store_mailbox_info(st, argv[2], &info);
	if (rc == STORE_OK)
		rc = store_message_set_flags(st, argv[2], &one->items[0].id, 1,
					     one->items[0].flags & STORE_FLAG_FLAGGED ? 0 : STORE_FLAG_FLAGGED,
					     one->items[0].flags & STORE_FLAG_FLAGGED ? STORE_FLAG_FLAGGED : 0);
	store_msglist_free(&one);
	if (rc == STORE_OK)
		rc = store_folder_get(st, argv[2], argv[3], &f);
	if (rc != STORE_OK)
		return fail("setup", rc);
	double *ms = calloc((size_t)rounds, sizeof(*ms));
	size_t found = 0;
	for (int i = 0; i < rounds && rc == STORE_OK; i++) {
		store_sync_pos_t pos = {0, 0, 0, 0};
		store_sync_page_t *page = NULL;
		double t = now_ms();
		rc = store_sync(st, argv[2], argv[3], info.change, &pos, 4096, 1000, &page);
		ms[i] = now_ms() - t;
		if (rc == STORE_OK)
			found = page->changed->count;
		store_sync_page_free(&page);
	}
	if (rc != STORE_OK)
		return fail("sync", rc);
	qsort(ms, (size_t)rounds, sizeof(*ms), cmp);
	printf("folder %s: %llu messages; sync of 1 change: median %.3f ms, max %.3f ms "
	       "(%d rounds), %zu changed found\n",
	       argv[3], (unsigned long long)f.total, ms[rounds / 2], ms[rounds - 1], rounds, found);
	free(ms);
	store_close(&st);
	return found == 1 ? 0 : 1;
}
