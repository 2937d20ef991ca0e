/*
 * store_folder_sync.c -- how a mailbox's folders changed since a client's
 * hierarchy state: ids of folders deleted after it (their tombstones,
 * store_tomb.c), then folders whose change number is newer (created,
 * renamed, or their messages changed), a page at a time.
 *
 * Cost: deleted ids walk the mailbox's tombstones after the state (one
 * range, message tombstones skipped); changed folders walk the mailbox's
 * folder records once.
 */
#include "store_int.h"

#include <string.h>

void store_folder_sync_page_free(store_fsync_page_t **page)
{
	if (page == NULL || *page == NULL)
		return;
	free((*page)->deleted);
	free((*page)->folders);
	free(*page);
	*page = NULL;
}

struct deleted_walk {
	store_fsync_page_t *page;
	uint32_t max;
};

static int take_deleted(void *ctx, uint64_t change, uint64_t fid, uint64_t id)
{
	struct deleted_walk *w = ctx;
	store_fsync_page_t *page = w->page;

	if (id != ST_TOMB_FOLDER_GONE)
		return ST_TOMB_NEXT;
	if (page->n_deleted == w->max) {
		page->more = 1;
		return ST_TOMB_STOP;
	}
	page->next.tomb_change = change;
	page->next.tomb_fid = fid;
	page->deleted[page->n_deleted++] = fid;
	return ST_TOMB_NEXT;
}

/* Folder tombstones after since and after pos, into page. */
static int collect_deleted(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t since,
                           const store_fsync_pos_t *pos, uint32_t max, store_fsync_page_t *page)
{
	struct deleted_walk w = { page, max };
	int status;

	if (max && (page->deleted = calloc(max, sizeof(uint64_t))) == NULL)
		return STORE_INTERNAL;
	/* One folder tombstone per (change, folder): resume at the next folder. */
	status = pos->tomb_change
	                 ? st_tomb_walk(st, txn, mbid, pos->tomb_change, pos->tomb_fid + 1, 0,
	                                take_deleted, &w)
	                 : st_tomb_walk(st, txn, mbid, since + 1, 0, 0, take_deleted, &w);
	page->next.tombs_done = status == STORE_OK && !page->more;
	return status;
}

/* Folders after pos with a change number above since that the caller
 * may look up; the others are skipped, and never named in next. */
static int collect_folders(store_t *st, MDB_txn *txn, const store_call_t *call,
                           const char *mbox, uint64_t mbid, uint64_t since, uint64_t after_id,
                           uint32_t max, store_fsync_page_t *page)
{
	unsigned char kb[16];
	MDB_cursor *cur = NULL;
	MDB_val k = { st_key2(kb, mbid, after_id + 1), kb }, v;
	st_folder_t f;
	int rc, seen, status = STORE_OK;

	if (max && (page->folders = calloc(max, sizeof(*page->folders))) == NULL)
		return STORE_INTERNAL;
	rc = mdb_cursor_open(txn, st->db_folder, &cur);
	for (rc = rc ? rc : mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0 && status == STORE_OK;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 16 || memcmp(k.mv_data, kb, 8) != 0)
			break;
		if (st_folder_decode(&v, &f) != STORE_OK)
			status = st_corrupt("folder", &k, "folder record of %zu bytes does not decode",
			                    v.mv_size);
		f.id = st_get_u64((const unsigned char *)k.mv_data + 8);
		st_target_t at = { mbox, mbid, &f, 0, 0 };
		if (status == STORE_OK && f.change > since)
			status = st_visible(st, txn, call, &at, &seen);
		if (status != STORE_OK || f.change <= since || !seen)
			continue;
		if (page->n_folders == max) {
			page->more = 1;
			break;
		}
		store_fsync_entry_t *e = &page->folders[page->n_folders++];
		e->id = f.id;
		st_folder_to_info(&f, &e->info);
		page->next.folder_id = e->id;
	}
	if (status == STORE_OK && rc != 0 && rc != MDB_NOTFOUND)
		status = st_err(rc, "folder scan");
	if (cur != NULL)
		mdb_cursor_close(cur);
	return status;
}

static int fsync_read(store_t *st, MDB_txn *txn, const store_call_t *call, const char *mbox,
                      uint64_t since, const store_fsync_pos_t *pos, uint32_t max_deleted,
                      uint32_t max_folders, store_fsync_page_t *page)
{
	uint64_t horizon = 0;
	st_mbox_t mb;
	int status = st_mbox_load(st, txn, mbox, 0, &mb);

	if (status == STORE_OK)
		status = st_tomb_horizon(st, txn, mb.mbid, &horizon);
	if (status != STORE_OK)
		return status;
	page->change = mb.change;
	page->next = *pos;
	page->resync = since != 0 && (since < horizon || since > mb.change);
	if (page->resync)
		return STORE_OK;
	if (since == 0)
		page->next.tombs_done = 1; /* a full listing deletes nothing */
	if (!page->next.tombs_done)
		status = collect_deleted(st, txn, mb.mbid, since, pos, max_deleted, page);
	if (status != STORE_OK || !page->next.tombs_done)
		return status;
	return collect_folders(st, txn, call, mbox, mb.mbid, since, pos->folder_id, max_folders,
	                       page);
}

int store_folder_sync(store_t *st, const char *mbox, uint64_t since, const store_fsync_pos_t *pos,
                      uint32_t max_deleted, uint32_t max_folders, store_fsync_page_t **page_r)
{
	return store_folder_sync_as(st, NULL, mbox, since, pos, max_deleted, max_folders, page_r);
}

int store_folder_sync_as(store_t *st, const store_call_t *call, const char *mbox, uint64_t since,
                         const store_fsync_pos_t *pos, uint32_t max_deleted,
                         uint32_t max_folders, store_fsync_page_t **page_r)
{
	store_fsync_page_t *page = NULL;
	MDB_txn *txn = NULL;
	int status = STORE_INVALID;

	*page_r = NULL;
	if (pos == NULL)
		goto out;
	max_folders = max_folders > STORE_LIST_MAX ? STORE_LIST_MAX : max_folders;
	status = STORE_INTERNAL;
	if ((page = calloc(1, sizeof(*page))) == NULL)
		goto out;
	status = st_read_begin(st, &txn);
	if (status == STORE_OK)
		status = fsync_read(st, txn, call, mbox, since, pos, max_deleted, max_folders, page);
	if (status == STORE_OK) {
		*page_r = page;
		page = NULL;
	}
out:
	if (txn != NULL)
		mdb_txn_abort(txn);
	store_folder_sync_page_free(&page);
	return status;
}
