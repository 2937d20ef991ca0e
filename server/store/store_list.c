/*
 * store_list.c -- listing a folder with paging, sorting and the
 * unread-only filter.
 *
 * The per-folder index (fidx: mbid|folder|id -> flags, size, received)
 * is scanned once per call; id order comes from the key, date (received
 * time) and size from the index value, so those never touch message
 * records.  From/Subject sorting reads each message record and sorts the
 * id list in memory (O(n log n) per call; fine for 100k, see schema doc).
 * Only the records of the returned page are decoded and copied.
 * Id order (the default) needs no sort: the index is already in id order
 * and the folder record counts its entries and unread ones, so such a page
 * walks offset + limit index entries instead of the whole folder.
 */
#include "store_int.h"

#include <string.h>
#include <strings.h>

typedef struct entry {
	uint64_t id, size;
	int64_t  received;
	const char *key;   /* From/Subject inside the read txn's map */
	size_t   keylen;
} entry_t;

static int cmp_id(const entry_t *a, const entry_t *b)
{
	return a->id < b->id ? -1 : a->id > b->id;
}

static int cmp_date(const void *pa, const void *pb)
{
	const entry_t *a = pa, *b = pb;

	if (a->received != b->received)
		return a->received < b->received ? -1 : 1;
	return cmp_id(a, b);
}

static int cmp_size(const void *pa, const void *pb)
{
	const entry_t *a = pa, *b = pb;

	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	return cmp_id(a, b);
}

static int cmp_key(const void *pa, const void *pb)
{
	const entry_t *a = pa, *b = pb;
	size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
	int r = n ? strncasecmp(a->key, b->key, n) : 0;

	if (r == 0 && a->keylen != b->keylen)
		r = a->keylen < b->keylen ? -1 : 1;
	return r ? r : cmp_id(a, b);
}

/* Reads the index of folder fid into *e_r (filtered). */
static int collect(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t fid,
                   int unread_only, entry_t **e_r, size_t *n_r)
{
	unsigned char kb[24];
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	entry_t *e = NULL, *grown;
	size_t n = 0, cap = 0;
	const unsigned char *p;
	int rc, status = STORE_OK;

	*e_r = NULL;
	*n_r = 0;
	rc = mdb_cursor_open(txn, st->db_fidx, &cur);
	if (rc != 0) {
		status = st_err(rc, "cursor open");
		goto out;
	}
	k.mv_data = kb;
	k.mv_size = st_key3(kb, mbid, fid, 0);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 24 || memcmp(k.mv_data, kb, 16) != 0)
			break;
		if (v.mv_size != ST_FIDX_VAL_LEN) {
			status = st_corrupt("fidx", &k, "%zu bytes, not %u", v.mv_size, ST_FIDX_VAL_LEN);
			goto out;
		}
		p = v.mv_data;
		if (unread_only && (st_get_u32(p) & STORE_FLAG_SEEN))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			grown = realloc(e, cap * sizeof(*e));
			if (grown == NULL) {
				status = STORE_INTERNAL;
				goto out;
			}
			e = grown;
		}
		memset(&e[n], 0, sizeof(e[n]));
		e[n].id = st_get_u64((const unsigned char *)k.mv_data + 16);
		e[n].size = st_get_u64(p + 4);
		e[n].received = (int64_t)st_get_u64(p + 12);
		n++;
	}
	if (rc != 0 && rc != MDB_NOTFOUND) {
		status = st_err(rc, "cursor get");
		goto out;
	}
	*e_r = e;
	*n_r = n;
	e = NULL;
out:
	if (cur != NULL)
		mdb_cursor_close(cur);
	free(e);
	return status;
}

/* Positions cur on the folder's first (or, descending, last) index entry. */
static int id_walk_start(MDB_cursor *cur, unsigned char kb[24], uint64_t mbid, uint64_t fid,
                         int descending, MDB_val *k, MDB_val *v)
{
	int rc;

	k->mv_data = kb;
	k->mv_size = st_key3(kb, mbid, fid, descending ? UINT64_MAX : 0);
	rc = mdb_cursor_get(cur, k, v, MDB_SET_RANGE);
	if (!descending)
		return rc;
	if (rc == MDB_NOTFOUND)
		return mdb_cursor_get(cur, k, v, MDB_LAST);
	if (rc == 0 && memcmp(k->mv_data, kb, 16) != 0)
		return mdb_cursor_get(cur, k, v, MDB_PREV);
	return rc;
}

/* The page of an id-ordered listing, straight from the index. */
static int collect_id_page(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t fid,
                           const store_list_query_t *q, size_t limit,
                           entry_t **e_r, size_t *n_r)
{
	unsigned char kb[24];
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	entry_t *e = NULL;
	uint64_t skipped = 0;
	size_t n = 0;
	int rc, status = STORE_OK;

	*e_r = NULL;
	*n_r = 0;
	if (limit && (e = calloc(limit, sizeof(*e))) == NULL)
		return STORE_INTERNAL;
	rc = mdb_cursor_open(txn, st->db_fidx, &cur);
	if (rc != 0) {
		status = st_err(rc, "cursor open");
		goto out;
	}
	for (rc = id_walk_start(cur, kb, mbid, fid, q->descending, &k, &v);
	     rc == 0 && n < limit;
	     rc = mdb_cursor_get(cur, &k, &v, q->descending ? MDB_PREV : MDB_NEXT)) {
		if (k.mv_size != 24 || memcmp(k.mv_data, kb, 16) != 0)
			break;
		if (v.mv_size != ST_FIDX_VAL_LEN) {
			status = st_corrupt("fidx", &k, "%zu bytes, not %u", v.mv_size, ST_FIDX_VAL_LEN);
			goto out;
		}
		if (q->unread_only && (st_get_u32(v.mv_data) & STORE_FLAG_SEEN))
			continue;
		if (skipped < q->offset) {
			skipped++;
			continue;
		}
		e[n++].id = st_get_u64((const unsigned char *)k.mv_data + 16);
	}
	if (rc != 0 && rc != MDB_NOTFOUND)
		status = st_err(rc, "cursor get");
	if (status == STORE_OK) {
		*e_r = e;
		*n_r = n;
		e = NULL;
	}
out:
	if (cur != NULL)
		mdb_cursor_close(cur);
	free(e);
	return status;
}

/* Points each entry's key at its From or Subject (no copy). */
static int load_keys(store_t *st, MDB_txn *txn, uint64_t mbid, entry_t *e,
                     size_t n, int field)
{
	st_msg_t *m = malloc(sizeof(*m));
	unsigned char kb[16];
	MDB_val k, v;
	size_t i;
	int status = STORE_OK;

	if (m == NULL)
		return STORE_INTERNAL;
	for (i = 0; i < n && status == STORE_OK; i++) {
		k.mv_data = kb;
		k.mv_size = st_key2(kb, mbid, e[i].id);
		status = st_err(mdb_get(txn, st->db_msg, &k, &v), "msg get");
		if (status == STORE_NOTFOUND)
			status = st_corrupt("msg", &k, "in a folder index, but missing");
		/* Decoded in place (read txn: pointers stay valid). */
		if (status == STORE_OK && st_msg_decode(&v, m) != STORE_OK)
			status = st_corrupt("msg", &k, "message record of %zu bytes does not decode",
			                    v.mv_size);
		if (status != STORE_OK)
			break;
		e[i].key = m->sum[field];
		e[i].keylen = m->sumlen[field];
	}
	free(m);
	return status;
}

/* Decodes the records of entries [offset, offset + limit) into list. */
static int load_page(store_t *st, MDB_txn *txn, uint64_t mbid, const entry_t *e,
                     size_t n, uint64_t offset, size_t limit, st_msg_t *m,
                     store_msglist_t *list)
{
	size_t i;
	int status = STORE_OK;

	for (i = 0; i < limit && offset < n && i < n - offset; i++) {
		uint64_t id = e[offset + i].id;
		status = st_msg_load(st, txn, mbid, id, m);
		if (status == STORE_OK)
			status = st_msg_to_info(st, txn, mbid, id, m,
			                        &list->items[list->count]);
		if (status != STORE_OK)
			break;
		list->count++;
	}
	return status;
}

/* An empty folder has no array at all (e NULL), which qsort may not get. */
static void sort_entries(entry_t *e, size_t n, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(e, n, sizeof(*e), cmp);
}

int store_message_list(store_t *st, const char *mbox, const char *folder,
                       const store_list_query_t *q, store_msglist_t **list_r)
{
	return store_message_list_as(st, NULL, mbox, folder, q, list_r);
}

int store_message_list_as(store_t *st, const store_call_t *call, const char *mbox,
                          const char *folder, const store_list_query_t *q,
                          store_msglist_t **list_r)
{
	store_msglist_t *list = NULL;
	MDB_txn *txn = NULL;
	entry_t *e = NULL, tmp;
	st_msg_t *m = NULL;
	st_folder_t f;
	st_mbox_t mb;
	size_t n = 0, i, limit;
	int status = STORE_INTERNAL;

	*list_r = NULL;
	if (q == NULL || q->sort < STORE_SORT_ID || q->sort > STORE_SORT_SUBJECT) {
		status = STORE_INVALID;
		goto out;
	}
	limit = q->limit > STORE_LIST_MAX ? STORE_LIST_MAX : q->limit;
	list = calloc(1, sizeof(*list));
	m = malloc(sizeof(*m));
	if (list == NULL || m == NULL ||
	    (limit && (list->items = calloc(limit, sizeof(*list->items))) == NULL))
		goto out;
	status = st_read_begin(st, &txn);
	if (status == STORE_OK)
		status = st_read_target(st, txn, call, mbox, folder, &mb, &f);
	if (status == STORE_OK && q->sort == STORE_SORT_ID) {
		status = collect_id_page(st, txn, mb.mbid, f.id, q, limit, &e, &n);
		if (status == STORE_OK)
			status = load_page(st, txn, mb.mbid, e, n, 0, limit, m, list);
		list->total = q->unread_only ? f.unread : f.total;
		list->more = q->offset + list->count < list->total;
		goto done;
	}
	if (status == STORE_OK)
		status = collect(st, txn, mb.mbid, f.id, q->unread_only, &e, &n);
	if (status != STORE_OK)
		goto out;
	switch (q->sort) {
	case STORE_SORT_DATE:
		sort_entries(e, n, cmp_date);
		break;
	case STORE_SORT_SIZE:
		sort_entries(e, n, cmp_size);
		break;
	case STORE_SORT_FROM:
	case STORE_SORT_SUBJECT:
		status = load_keys(st, txn, mb.mbid, e, n, q->sort ==
		                   STORE_SORT_FROM ? SUM_FROM : SUM_SUBJECT);
		if (status != STORE_OK)
			goto out;
		sort_entries(e, n, cmp_key);
		break;
	default:
		break;   /* id order from the index */
	}
	if (q->descending) {
		for (i = 0; i < n / 2; i++) {
			tmp = e[i];
			e[i] = e[n - 1 - i];
			e[n - 1 - i] = tmp;
		}
	}
	list->total = n;
	status = load_page(st, txn, mb.mbid, e, n, q->offset, limit, m, list);
	list->more = q->offset + list->count < n;
done:
	if (status != STORE_OK)
		goto out;
	*list_r = list;
	list = NULL;
out:
	if (txn != NULL)
		mdb_txn_abort(txn);
	store_msglist_free(&list);
	free(e);
	free(m);
	return status;
}
