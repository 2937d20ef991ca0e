/*
 * test_store_list.c -- listing a 10,000-message folder with every sort
 * key, both directions, the unread filter and paging, compared against a
 * sort done here; and search by headers and body (including a body match
 * spanning a chunk boundary); an empty folder in every order.
 */
#include "test_util.h"

#include <strings.h>
#include <time.h>

#define NMSG 10000

typedef struct exp {
	uint64_t id, size;
	int64_t received;
	int seen;
	char from[64], subject[64];
} exp_t;

static int g_sort;

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_exp(const void *pa, const void *pb)
{
	const exp_t *a = pa, *b = pb;
	int r = 0;

	switch (g_sort) {
	case STORE_SORT_DATE:
		r = a->received < b->received ? -1 : a->received > b->received;
		break;
	case STORE_SORT_SIZE:
		r = cmp_u64(a->size, b->size);
		break;
	case STORE_SORT_FROM:
		r = strcasecmp(a->from, b->from);
		break;
	case STORE_SORT_SUBJECT:
		r = strcasecmp(a->subject, b->subject);
		break;
	}
	return r ? (r < 0 ? -1 : 1) : cmp_u64(a->id, b->id);
}

static void check_listing(store_t *st, const exp_t *all, size_t n, int sort,
                          int desc, int unread)
{
	exp_t *want = malloc(n * sizeof(*want));
	store_list_query_t q = { .sort = sort, .descending = desc,
	                         .unread_only = unread, .limit = 777 };
	store_msglist_t *ml = NULL;
	size_t nw = 0, i, pos = 0;

	CHECK(want != NULL);
	for (i = 0; i < n; i++)
		if (!unread || !all[i].seen)
			want[nw++] = all[i];
	g_sort = sort;
	qsort(want, nw, sizeof(*want), cmp_exp);
	if (desc)
		for (i = 0; i < nw / 2; i++) {
			exp_t t = want[i];
			want[i] = want[nw - 1 - i];
			want[nw - 1 - i] = t;
		}
	for (;;) {
		q.offset = pos;
		OK(store_message_list(st, "a", "Inbox", &q, &ml));
		CHECK(ml->total == nw);
		for (i = 0; i < ml->count; i++) {
			const store_msginfo_t *it = &ml->items[i];
			const exp_t *w = &want[pos + i];
			if (it->id != w->id) {
				fprintf(stderr, "sort %d desc %d unread %d pos %zu: id %llu want %llu\n",
				        sort, desc, unread, pos + i,
				        (unsigned long long)it->id, (unsigned long long)w->id);
				abort();
			}
			CHECK(it->size == w->size && it->received == w->received);
			CHECK(strcmp(it->from, w->from) == 0);
			CHECK(strcmp(it->subject, w->subject) == 0);
			CHECK(strcmp(it->folder, "Inbox") == 0);
		}
		pos += ml->count;
		CHECK(ml->more == (pos < nw));
		if (ml->count == 0 || !ml->more) {
			store_msglist_free(&ml);
			break;
		}
		store_msglist_free(&ml);
	}
	CHECK(pos == nw);
	free(want);
}

static void t_list_10k(void)
{
	static const char *const froms[] = { "alice@x", "Bob@y", "carol@z",
		"ALICE@x", "dave@w", "Eve@v", "bob@y" };
	store_list_query_t q = { .sort = STORE_SORT_ID, .limit = 5000 };
	store_msglist_t *ml = NULL;
	exp_t *all = calloc(NMSG, sizeof(*all));
	uint64_t seen_ids[STORE_BATCH_MAX];
	size_t i, j, len, nseen = 0;
	unsigned seed = 12345;
	char subj[64], *m, *dir;
	store_t *st = open_new(&dir, NULL);
	int sort, desc, unread;
	struct timespec t0, t1;

	CHECK(all != NULL);
	OK(store_mailbox_ensure(st, "a"));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < NMSG; i++) {
		seed = seed * 1103515245u + 12345u;
		snprintf(subj, sizeof(subj), "%s %u", (seed >> 8) % 3 ? "re" : "Re",
		         (seed >> 12) % 500);
		m = mkmsg(froms[(seed >> 4) % 7], subj, (seed >> 16) % 300, &len);
		all[i].received = 1700000000 + (int64_t)((seed >> 9) % 2000); /* ties */
		OK(store_message_append(st, "a", "Inbox", m, len, 0, all[i].received,
		                        &all[i].id));
		CHECK(all[i].id == i + 1);
		all[i].size = len;
		strcpy(all[i].from, froms[(seed >> 4) % 7]);
		strcpy(all[i].subject, subj);
		if ((seed >> 20) % 3 == 0 && nseen < STORE_BATCH_MAX) {
			all[i].seen = 1;
			seen_ids[nseen++] = all[i].id;
		}
		free(m);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# %d appends in %.2fs\n", NMSG, (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	OK(store_message_set_flags(st, "a", seen_ids, nseen, STORE_FLAG_SEEN, 0));
	/* limit is clamped */
	OK(store_message_list(st, "a", "Inbox", &q, &ml));
	CHECK(ml->count == STORE_LIST_MAX && ml->total == NMSG && ml->more);
	store_msglist_free(&ml);
	q.offset = NMSG;
	OK(store_message_list(st, "a", "Inbox", &q, &ml));
	CHECK(ml->count == 0 && !ml->more);
	store_msglist_free(&ml);
	q.sort = 99;
	CHECK_RC(store_message_list(st, "a", "Inbox", &q, &ml), STORE_INVALID);
	CHECK(ml == NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (sort = STORE_SORT_ID; sort <= STORE_SORT_SUBJECT; sort++)
		for (desc = 0; desc < 2; desc++)
			for (unread = 0; unread < 2; unread++)
				check_listing(st, all, NMSG, sort, desc, unread);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# 20 full listings in %.2fs\n", (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	(void)j;
	store_close(&st);
	rmtmp(&dir);
	free(all);
}

static void t_search(void)
{
	store_search_query_t q = { .limit = 10 };
	store_msglist_t *ml = NULL;
	size_t blen = 3 * STORE_CHUNK_SIZE, len, i;
	char *body = malloc(blen + 200), *m;
	uint64_t id_span, id_second, id_hdr, id_other, id;
	char *dir;
	store_t *st = open_new(&dir, NULL);

	OK(store_mailbox_ensure(st, "a"));
	OK(store_folder_create(st, "a", "Archive"));
	/* body with a needle across the first chunk boundary */
	len = (size_t)snprintf(body, 200, "From: Spanner <s@x>\r\nSubject: span\r\n\r\n");
	memset(body + len, '.', blen - len);
	memcpy(body + STORE_CHUNK_SIZE - 5, "NeedleInHay", 11);
	OK(store_message_append(st, "a", "Inbox", body, blen, 0, 0, &id_span));
	/* needle entirely in the third chunk */
	memset(body + len, '.', blen - len);
	memcpy(body + 2 * STORE_CHUNK_SIZE + 100, "needleinhay", 11);
	OK(store_message_append(st, "a", "Archive", body, blen, 0, 0, &id_second));
	/* needle split as "Needle" + "InHa" across boundary but broken */
	memset(body + len, '.', blen - len);
	memcpy(body + STORE_CHUNK_SIZE - 6, "Needle", 6);
	memcpy(body + STORE_CHUNK_SIZE + 1, "InHay", 5);
	OK(store_message_append(st, "a", "Inbox", body, blen, 0, 0, &id_other));
	m = mkmsg("=?utf-8?Q?J=C3=BCrgen?= <j@example.org>", "Quarterly REPORT", 50, &len);
	OK(store_message_append(st, "a", "Archive", m, len, 0, 0, &id_hdr));
	free(m);

	q.body = "needleinhay";
	OK(store_message_search(st, "a", &q, &ml));
	CHECK(ml->total == 2 && ml->count == 2 && !ml->more);
	CHECK(ml->items[0].id == id_span && ml->items[1].id == id_second);
	CHECK(strcmp(ml->items[1].folder, "Archive") == 0);
	store_msglist_free(&ml);
	q.folder = "Inbox";
	OK(store_message_search(st, "a", &q, &ml));
	CHECK(ml->count == 1 && ml->items[0].id == id_span);
	store_msglist_free(&ml);
	q.folder = NULL;
	q.body = "Hay";   /* short needle */
	OK(store_message_search(st, "a", &q, &ml));
	CHECK(ml->count == 3);
	store_msglist_free(&ml);
	q.body = NULL;
	q.subject = "report";
	OK(store_message_search(st, "a", &q, &ml));
	CHECK(ml->count == 1 && ml->items[0].id == id_hdr);
	store_msglist_free(&ml);
	/* "body" is the body: a word only in a header does not match it */
	q.subject = NULL;
	q.body = "Quarterly";
	OK(store_message_search(st, "a", &q, &ml));
	CHECK(ml->count == 0);
	store_msglist_free(&ml);
	q.body = NULL;
	q.from = "J\xc3\xbcrgen";   /* matches the decoded From */
	OK(store_message_search(st, "a", &q, &ml));
	CHECK(ml->count == 1 && ml->items[0].id == id_hdr);
	store_msglist_free(&ml);
	q.from = "spanner";
	q.subject = "SPAN";
	q.body = "needle";
	OK(store_message_search(st, "a", &q, &ml));
	CHECK(ml->count == 3);
	store_msglist_free(&ml);
	q.from = NULL;
	q.subject = NULL;
	q.to = "BOB@EXAMPLE";
	q.body = NULL;
	OK(store_message_search(st, "a", &q, &ml));
	CHECK(ml->count == 1 && ml->items[0].id == id_hdr);
	store_msglist_free(&ml);
	/* paging */
	q.to = NULL;
	q.subject = "";
	for (i = 0; i < 5; i++)
		OK(store_message_append(st, "a", "Inbox", "Subject: pg\r\n\r\n", 15, 0, 0, &id));
	q.subject = "pg";
	q.limit = 2;
	q.offset = 1;
	OK(store_message_search(st, "a", &q, &ml));
	CHECK(ml->count == 2 && ml->more);
	CHECK(ml->items[0].id == id - 3 && ml->items[1].id == id - 2);
	store_msglist_free(&ml);
	q.offset = 3;
	OK(store_message_search(st, "a", &q, &ml));
	CHECK(ml->count == 2 && !ml->more && ml->total == 5);
	store_msglist_free(&ml);
	/* errors */
	memset(body, 'x', 300);
	body[300] = '\0';
	q.body = body;
	CHECK_RC(store_message_search(st, "a", &q, &ml), STORE_INVALID);
	q.body = NULL;
	q.folder = "Nope";
	CHECK_RC(store_message_search(st, "a", &q, &ml), STORE_NOTFOUND);
	CHECK(ml == NULL);
	store_close(&st);
	rmtmp(&dir);
	free(body);
}

/* An empty folder lists as empty in every order, both directions (sorting
 * nothing once passed NULL to qsort: undefined, and an abort in the
 * sanitizer build; found by fuzz_rpc, crash-877bdf77 in its corpus). */
static void t_list_empty(void)
{
	char *dir = mktmp();
	store_t *st = NULL;
	store_msglist_t *ml = NULL;

	OK(store_open(dir, NULL, &st));
	OK(store_mailbox_ensure(st, "a"));
	for (int sort = STORE_SORT_ID; sort <= STORE_SORT_SUBJECT; sort++)
		for (int desc = 0; desc < 2; desc++) {
			store_list_query_t q = {.sort = sort, .descending = desc, .limit = 10};
			OK(store_message_list(st, "a", "Drafts", &q, &ml));
			CHECK(ml->count == 0 && ml->total == 0 && !ml->more);
			store_msglist_free(&ml);
		}
	store_close(&st);
	rmtmp(&dir);
}

int main(void)
{
	RUN(t_list_empty);
	RUN(t_search);
	RUN(t_list_10k);
	printf("%d tests passed\n", test_count);
	return 0;
}
