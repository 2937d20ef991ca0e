/*
 * store_sync.c -- what changed in a folder since a client's state: ids
 * removed (tombstones newer than the state, store_tomb.c), then messages
 * whose change number is newer (new, flags changed, moved in), a page at
 * a time.
 *
 * Cost: removed ids walk the mailbox's tombstones after the state (one
 * range); changed messages are the folder's range of the change index
 * (store_cidx.c) after the state, so a sync costs what changed, not the
 * folder's size.  When much of the folder changed (or since is 0) one
 * walk of the folder in id order is cheaper than sorting that many ids
 * on every page, and is used instead (see docs/store-schema.md).
 */
#include "store_int.h"

#include <string.h>

void store_sync_page_free(store_sync_page_t **page)
{
	if (page == NULL || *page == NULL)
		return;
	free((*page)->removed);
	store_msglist_free(&(*page)->changed);
	free(*page);
	*page = NULL;
}

/* Whether since can be answered at all (0 always can: everything). */
static int since_known(store_t *st, MDB_txn *txn, const st_mbox_t *mb, uint64_t since,
                       int *known_r)
{
	uint64_t horizon = 0;
	int status = st_tomb_horizon(st, txn, mb->mbid, &horizon);

	*known_r = since == 0 || (since >= horizon && since <= mb->change);
	return status;
}

struct removed_walk {
	store_sync_page_t *page;
	uint64_t fid;
	uint32_t max;
};

static int take_removed(void *ctx, uint64_t change, uint64_t fid, uint64_t id)
{
	struct removed_walk *w = ctx;
	store_sync_page_t *page = w->page;

	if (fid != w->fid)
		return ST_TOMB_NEXT;
	if (id == 0) {
		page->resync = 1;   /* the path named another folder */
		return ST_TOMB_STOP;
	}
	if (page->n_removed == w->max) {
		page->more = 1;     /* one more exists: the next page has it */
		return ST_TOMB_STOP;
	}
	page->next.tomb_change = change;
	page->next.tomb_id = id;
	page->removed[page->n_removed++] = id;
	return ST_TOMB_NEXT;
}

/* Tombstones of folder fid after since and after pos, into page. */
static int collect_removed(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t fid,
                           uint64_t since, const store_sync_pos_t *pos, uint32_t max,
                           store_sync_page_t *page)
{
	struct removed_walk w = { page, fid, max };
	int status;

	if (max && (page->removed = calloc(max, sizeof(uint64_t))) == NULL)
		return STORE_INTERNAL;
	status = pos->tomb_change
	                 ? st_tomb_walk(st, txn, mbid, pos->tomb_change, fid, pos->tomb_id + 1,
	                                take_removed, &w)
	                 : st_tomb_walk(st, txn, mbid, since + 1, 0, 0, take_removed, &w);
	page->next.tombs_done = status == STORE_OK && !page->more && !page->resync;
	return status;
}

/* Whole-folder walk (or sort the index's ids) when more than this many
 * of its messages changed: a folder of n messages, 1/8 of n but at least
 * SYNC_INDEX_MIN. */
#define SYNC_INDEX_MIN 4096u
#define SYNC_INDEX_SHARE 8u

/* One summary of a changed message into page; *full_r once max are there
 * (then the message is not added: the page has more). */
static int add_changed(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t id, uint32_t max,
                       st_msg_t *m, store_sync_page_t *page)
{
	store_msglist_t *list = page->changed;
	int status;

	if (list->count == max) {
		list->more = page->more = 1;
		return STORE_OK;
	}
	status = st_msg_to_info(st, txn, mbid, id, m, &list->items[list->count]);
	if (status == STORE_OK)
		page->next.msg_id = id;
	list->count += status == STORE_OK;
	return status;
}

static int cmp_id(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The ids above after_id of folder fid's messages changed after since,
 * from the change index; *too_many_r (and no ids) if there are more than
 * limit changed messages. */
static int indexed_ids(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t fid, uint64_t since,
                       uint64_t after_id, size_t limit, uint64_t **ids_r, size_t *n_r,
                       int *too_many_r)
{
	unsigned char kb[ST_CIDX_KEY_LEN];
	MDB_cursor *cur = NULL;
	MDB_val k = { st_cidx_key(kb, mbid, fid, since + 1, 0), kb }, v;
	size_t seen = 0, cap = 0;
	int rc, status = STORE_OK;

	*ids_r = NULL;
	*n_r = 0;
	*too_many_r = 0;
	rc = mdb_cursor_open(txn, st->db_cidx, &cur);
	for (rc = rc ? rc : mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != ST_CIDX_KEY_LEN || memcmp(k.mv_data, kb, 16) != 0)
			break;
		if (++seen > limit) {
			*too_many_r = 1;
			*n_r = 0;
			break;
		}
		uint64_t id = st_get_u64((const unsigned char *)k.mv_data + 24);
		if (id <= after_id)
			continue;
		if (*n_r == cap) {
			void *grown = realloc(*ids_r, (cap = cap ? 2 * cap : 64) * sizeof(uint64_t));
			if (grown == NULL) {
				status = STORE_INTERNAL;
				break;
			}
			*ids_r = grown;
		}
		(*ids_r)[(*n_r)++] = id;
	}
	if (status == STORE_OK && rc != 0 && rc != MDB_NOTFOUND)
		status = st_err(rc, "cidx scan");
	if (cur != NULL)
		mdb_cursor_close(cur);
	if (*n_r > 1)
		qsort(*ids_r, *n_r, sizeof(uint64_t), cmp_id);
	return status;
}

/* Messages of folder fid after after_id changed after since, found
 * through the change index; *too_many_r if the walk is cheaper. */
static int collect_indexed(store_t *st, MDB_txn *txn, uint64_t mbid, const st_folder_t *f,
                           uint64_t since, uint64_t after_id, uint32_t max, st_msg_t *m,
                           store_sync_page_t *page, int *too_many_r)
{
	size_t limit = f->total / SYNC_INDEX_SHARE, n = 0;
	uint64_t *ids = NULL;
	int status;

	limit = limit > SYNC_INDEX_MIN ? limit : SYNC_INDEX_MIN;
	status = indexed_ids(st, txn, mbid, f->id, since, after_id, limit, &ids, &n, too_many_r);
	for (size_t i = 0; status == STORE_OK && i < n && !page->more; i++) {
		status = st_msg_load(st, txn, mbid, ids[i], m);
		if (status == STORE_NOTFOUND)
			status = st_corrupt("cidx", NULL, "mailbox %llu folder %llu: message %llu is "
			                    "indexed but missing", (unsigned long long)mbid,
			                    (unsigned long long)f->id, (unsigned long long)ids[i]);
		if (status == STORE_OK)
			status = add_changed(st, txn, mbid, ids[i], max, m, page);
	}
	free(ids);
	return status;
}

/* Messages of folder fid after pos with a change number above since, by
 * walking the folder in id order. */
static int collect_walked(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t fid,
                          uint64_t since, uint64_t after_id, uint32_t max, st_msg_t *m,
                          store_sync_page_t *page)
{
	unsigned char kb[24];
	MDB_cursor *cur = NULL;
	MDB_val k = { st_key3(kb, mbid, fid, after_id + 1), kb }, v;
	int rc, status = STORE_OK;

	rc = mdb_cursor_open(txn, st->db_fidx, &cur);
	for (rc = rc ? rc : mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	     rc == 0 && status == STORE_OK; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 24 || memcmp(k.mv_data, kb, 16) != 0)
			break;
		uint64_t id = st_get_u64((const unsigned char *)k.mv_data + 16);
		status = st_msg_load(st, txn, mbid, id, m);
		if (status == STORE_NOTFOUND)
			status = st_corrupt("fidx", &k, "in a folder index, but missing");
		if (status != STORE_OK || m->change <= since)
			continue;
		status = add_changed(st, txn, mbid, id, max, m, page);
		if (page->more)
			break;
	}
	if (status == STORE_OK && rc != 0 && rc != MDB_NOTFOUND)
		status = st_err(rc, "fidx scan");
	if (cur != NULL)
		mdb_cursor_close(cur);
	return status;
}

/* Messages of folder f after after_id changed after since, into page. */
static int collect_changed(store_t *st, MDB_txn *txn, uint64_t mbid, const st_folder_t *f,
                           uint64_t since, uint64_t after_id, uint32_t max,
                           store_sync_page_t *page)
{
	store_msglist_t *list = page->changed;
	st_msg_t *m = malloc(sizeof(*m));
	int too_many = since == 0, status = STORE_OK;

	if (m == NULL || (max && (list->items = calloc(max, sizeof(*list->items))) == NULL)) {
		free(m);
		return STORE_INTERNAL;
	}
	if (!too_many)
		status = collect_indexed(st, txn, mbid, f, since, after_id, max, m, page, &too_many);
	if (status == STORE_OK && too_many)
		status = collect_walked(st, txn, mbid, f->id, since, after_id, max, m, page);
	list->total = list->count;
	free(m);
	return status;
}

/* The page itself, in the read txn. */
static int sync_read(store_t *st, MDB_txn *txn, const store_call_t *call, const char *mbox,
                     const char *folder, uint64_t since, const store_sync_pos_t *pos,
                     uint32_t max_removed, uint32_t max_changed, store_sync_page_t *page)
{
	st_mbox_t mb;
	st_folder_t f;
	int known = 0, status;

	status = st_read_target(st, txn, call, mbox, folder, &mb, &f);
	if (status == STORE_OK)
		status = since_known(st, txn, &mb, since, &known);
	if (status != STORE_OK)
		return status;
	page->change = mb.change;
	page->next = *pos;
	page->resync = !known;
	if (page->resync)
		return STORE_OK;
	if (since == 0)
		page->next.tombs_done = 1;   /* a full listing removes nothing */
	if (!page->next.tombs_done)
		status = collect_removed(st, txn, mb.mbid, f.id, since, pos, max_removed, page);
	if (status != STORE_OK || page->resync || !page->next.tombs_done)
		return status;
	return collect_changed(st, txn, mb.mbid, &f, since, pos->msg_id, max_changed, page);
}

int store_sync(store_t *st, const char *mbox, const char *folder, uint64_t since,
               const store_sync_pos_t *pos, uint32_t max_removed, uint32_t max_changed,
               store_sync_page_t **page_r)
{
	return store_sync_as(st, NULL, mbox, folder, since, pos, max_removed, max_changed, page_r);
}

int store_sync_as(store_t *st, const store_call_t *call, const char *mbox, const char *folder,
                  uint64_t since, const store_sync_pos_t *pos, uint32_t max_removed,
                  uint32_t max_changed, store_sync_page_t **page_r)
{
	store_sync_page_t *page = NULL;
	MDB_txn *txn = NULL;
	int status = STORE_INTERNAL;

	*page_r = NULL;
	if (pos == NULL || folder == NULL) {
		status = STORE_INVALID;
		goto out;
	}
	max_changed = max_changed > STORE_LIST_MAX ? STORE_LIST_MAX : max_changed;
	page = calloc(1, sizeof(*page));
	if (page == NULL || (page->changed = calloc(1, sizeof(*page->changed))) == NULL)
		goto out;
	status = st_read_begin(st, &txn);
	if (status == STORE_OK)
		status = sync_read(st, txn, call, mbox, folder, since, pos, max_removed,
		                   max_changed, page);
	if (status == STORE_OK && page->resync) {
		/* Nothing but the verdict: ids gathered before it mean nothing. */
		page->n_removed = 0;
		page->more = 0;
	}
	if (status == STORE_OK) {
		*page_r = page;
		page = NULL;
	}
out:
	if (txn != NULL)
		mdb_txn_abort(txn);
	store_sync_page_free(&page);
	return status;
}
