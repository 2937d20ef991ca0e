/*
 * cache_read.c -- answering from the offline cache with no network:
 * mailrpc_cache_list, mailrpc_cache_search and mailrpc_cache_read (see
 * mailrpc.h).  Sorting, filtering and paging follow the server's
 * (server/store/store_list.c, store_search.c), so offline answers look
 * like online ones as of the last sync.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cache_int.h"

/* The query's folder must be in the folder list and synced. */
static int check_folder(struct mailrpc_cache *c, MDB_txn *txn, const char *folder,
			struct mailrpc_error *err)
{
	uint64_t state;
	int found;
	int status = mc_state_get(c, txn, folder, &state, &found, err);
	if (status == MAILRPC_OK && !found)
		status =
		    mr_fail(err, MAILRPC_E_NOTCACHED,
			    "folder %s is not in the offline cache (run mailrpc sync)", folder);
	return status;
}

struct filter {
	const char *folder; /* NULL: every folder */
	int unread_only;
	const struct mailrpc_search_query *search; /* NULL for a listing */
	struct mailrpc_cache *c;
	MDB_txn *txn;
	struct mailrpc_msglist *list;
	struct mailrpc_error *err;
};

/* ASCII case-insensitive substring; "" or NULL matches everything. */
static int ci_contains(const char *hay, size_t hlen, const char *needle)
{
	size_t n = needle ? strlen(needle) : 0;
	for (size_t i = 0; n <= hlen && i <= hlen - n; i++)
		if (strncasecmp(hay + i, needle ? needle : "", n) == 0)
			return 1;
	return 0;
}

/* A whole cached body in memory, for --body. */
struct whole {
	char *p;
	size_t len;
};

static int gather(const void *data, size_t len, void *ctx)
{
	struct whole *w = ctx;
	char *grown = realloc(w->p, w->len + len + 1);
	if (grown == NULL)
		return MAILRPC_E_NOMEM;
	w->p = grown;
	memcpy(w->p + w->len, data, len);
	w->len += len;
	return MAILRPC_OK;
}

/* "Body" means after the blank line that ends the header, as on the server. */
static const char *body_start(const char *p, size_t len)
{
	const char *crlf = memmem(p, len, "\r\n\r\n", 4), *lf = memmem(p, len, "\n\n", 2);
	if (crlf && (!lf || crlf < lf))
		return crlf + 4;
	return lf ? lf + 2 : p + len;
}

static int body_matches(struct filter *f, const struct mailrpc_summary *s, int *match_r)
{
	const char *needle = f->search->body;
	uint64_t have;
	int complete;
	*match_r = needle == NULL || needle[0] == '\0';
	if (*match_r)
		return MAILRPC_OK;
	int status = mc_body_check(f->c, f->txn, s, &have, &complete, f->err);
	if (status != MAILRPC_OK || !complete)
		return status; /* not cached: cannot match offline */
	struct whole w = {0};
	status = mc_body_each(f->c, f->txn, s->id, gather, &w, f->err);
	if (status == MAILRPC_E_NOMEM)
		status = mr_fail(f->err, status, "out of memory searching");
	if (status == MAILRPC_OK && w.p != NULL) {
		const char *b = body_start(w.p, w.len);
		*match_r = ci_contains(b, w.len - (size_t)(b - w.p), needle);
	}
	free(w.p);
	return status;
}

static int headers_match(const struct mailrpc_search_query *q, const struct mailrpc_summary *s)
{
	return ci_contains(s->from, strlen(s->from), q->from) &&
	       ci_contains(s->to, strlen(s->to), q->to) &&
	       ci_contains(s->subject, strlen(s->subject), q->subject);
}

static int take_matching(const struct mailrpc_summary *s, void *ctx)
{
	struct filter *f = ctx;
	int match = 1, status = MAILRPC_OK;
	if (f->folder && strcmp(f->folder, s->folder) != 0)
		return MAILRPC_OK;
	if (f->unread_only && (s->flags & MAILRPC_FLAG_SEEN))
		return MAILRPC_OK;
	if (f->search && (match = headers_match(f->search, s)))
		status = body_matches(f, s, &match);
	if (status != MAILRPC_OK || !match)
		return status;
	return mc_list_append(f->list, s, f->err);
}

/* ---- ordering and paging ---------------------------------------------- */

static int cmp_id(const struct mailrpc_summary *a, const struct mailrpc_summary *b)
{
	return a->id < b->id ? -1 : a->id > b->id;
}

static int cmp_date(const void *pa, const void *pb)
{
	const struct mailrpc_summary *a = pa, *b = pb;
	return a->received != b->received ? (a->received < b->received ? -1 : 1) : cmp_id(a, b);
}

static int cmp_size(const void *pa, const void *pb)
{
	const struct mailrpc_summary *a = pa, *b = pb;
	return a->size != b->size ? (a->size < b->size ? -1 : 1) : cmp_id(a, b);
}

/* The server's key order: case-insensitive over the shorter, then shorter first. */
static int cmp_text(const char *x, const char *y)
{
	size_t lx = strlen(x), ly = strlen(y), n = lx < ly ? lx : ly;
	int r = n ? strncasecmp(x, y, n) : 0;
	return r ? r : lx != ly ? (lx < ly ? -1 : 1) : 0;
}

static int cmp_from(const void *pa, const void *pb)
{
	const struct mailrpc_summary *a = pa, *b = pb;
	int r = cmp_text(a->from, b->from);
	return r ? r : cmp_id(a, b);
}

static int cmp_subject(const void *pa, const void *pb)
{
	const struct mailrpc_summary *a = pa, *b = pb;
	int r = cmp_text(a->subject, b->subject);
	return r ? r : cmp_id(a, b);
}

static void order(struct mailrpc_msglist *l, int sort, int descending)
{
	int (*cmp[])(const void *, const void *) = {[MAILRPC_SORT_DATE] = cmp_date,
						    [MAILRPC_SORT_SIZE] = cmp_size,
						    [MAILRPC_SORT_FROM] = cmp_from,
						    [MAILRPC_SORT_SUBJECT] = cmp_subject};
	/* Id order is the cache's own (big-endian keys). */
	if (sort > MAILRPC_SORT_ID && sort <= MAILRPC_SORT_SUBJECT)
		qsort(l->items, l->count, sizeof(*l->items), cmp[sort]);
	for (size_t i = 0; descending && i < l->count / 2; i++) {
		struct mailrpc_summary t = l->items[i];
		l->items[i] = l->items[l->count - 1 - i];
		l->items[l->count - 1 - i] = t;
	}
}

/* Keeps items [offset, offset + limit) (limit 0: all); total and more
 * describe the whole match as the server's would. */
static void page(struct mailrpc_msglist *l, uint64_t offset, unsigned limit)
{
	size_t from = offset < l->count ? (size_t)offset : l->count;
	size_t keep = l->count - from;
	if (limit && keep > limit)
		keep = limit;
	for (size_t i = 0; i < from; i++)
		mr_summary_clear(&l->items[i]);
	for (size_t i = from + keep; i < l->count; i++)
		mr_summary_clear(&l->items[i]);
	if (keep > 0) /* items is NULL for an empty folder */
		memmove(l->items, l->items + from, keep * sizeof(*l->items));
	l->total = l->count;
	l->count = keep;
	l->more = from + keep < l->total;
}

/* Collects the matches of f in a read transaction; *list_r on success. */
static int run_filter(struct mailrpc_cache *c, struct filter *f, struct mailrpc_msglist **list_r,
		      struct mailrpc_error *err)
{
	*list_r = NULL;
	if (c == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "no offline cache");
	f->c = c;
	f->err = err;
	if ((f->list = calloc(1, sizeof(*f->list))) == NULL)
		return mr_fail(err, MAILRPC_E_NOMEM, "out of memory listing messages");
	int status = mc_begin(c, 0, &f->txn, err);
	if (status != MAILRPC_OK) {
		mailrpc_msglist_free(&f->list);
		return status;
	}
	if (f->folder)
		status = check_folder(c, f->txn, f->folder, err);
	if (status == MAILRPC_OK)
		status = mc_summary_each(c, f->txn, take_matching, f, err);
	mdb_txn_abort(f->txn);
	if (status != MAILRPC_OK)
		mailrpc_msglist_free(&f->list);
	*list_r = f->list;
	return status;
}

int mailrpc_cache_list(struct mailrpc_cache *c, const struct mailrpc_list_query *q,
		       struct mailrpc_msglist **list_r, struct mailrpc_error *err)
{
	struct filter f = {.folder = q->folder ? q->folder : "Inbox",
			   .unread_only = q->unread_only};
	int status = run_filter(c, &f, list_r, err);
	if (status == MAILRPC_OK) {
		order(*list_r, q->sort, q->descending);
		page(*list_r, q->offset, q->limit);
	}
	return status;
}

int mailrpc_cache_search(struct mailrpc_cache *c, const struct mailrpc_search_query *q,
			 struct mailrpc_msglist **list_r, struct mailrpc_error *err)
{
	struct filter f = {.folder = q->folder && q->folder[0] ? q->folder : NULL, .search = q};
	int status = run_filter(c, &f, list_r, err);
	if (status == MAILRPC_OK)
		page(*list_r, q->offset, q->limit);
	return status;
}

/* ---- bodies ----------------------------------------------------------- */

static int write_chunk(const void *data, size_t len, void *ctx)
{
	const int *fd = ctx;
	return mr_write_all(*fd, data, len) == 0 ? MAILRPC_OK : MAILRPC_E_IO;
}

int mailrpc_cache_read(struct mailrpc_cache *c, uint64_t id, int fd, struct mailrpc_error *err)
{
	MDB_txn *txn;
	struct mailrpc_summary s;
	memset(&s, 0, sizeof(s));
	uint64_t have;
	int complete = 0;
	int status =
	    c ? mc_begin(c, 0, &txn, err) : mr_fail(err, MAILRPC_E_USAGE, "no offline cache");
	if (status != MAILRPC_OK)
		return status;
	status = mc_summary_get(c, txn, id, &s, err);
	if (status == MAILRPC_OK)
		status = mc_body_check(c, txn, &s, &have, &complete, err);
	/* Unknown or bodiless alike: the one thing to do is a full sync. */
	if ((status == MAILRPC_OK && !complete) || status == MAILRPC_E_NOTCACHED)
		status = mr_fail(
		    err, MAILRPC_E_NOTCACHED,
		    "message %llu is not in the offline cache (sync without --headers-only)",
		    (unsigned long long)id);
	if (status == MAILRPC_OK &&
	    (status = mc_body_each(c, txn, id, write_chunk, &fd, err)) == MAILRPC_E_IO)
		mr_fail(err, status, "cannot write the message: %s", strerror(errno));
	mr_summary_clear(&s);
	mdb_txn_abort(txn);
	return status;
}
