/*
 * test_store_sync.c -- tombstones and store_sync: a sync from a saved state
 * returns exactly the removals (hard delete, move out) and the changes
 * (new, flags, move in); pages of any size add up to the same; states past
 * the horizon (count bound, age, expiry, a store from before tombstones)
 * and folders created or renamed after the state answer "resync".
 */
#include "test_util.h"
#include "store_int.h"

#define MAXIDS 4096

struct result {
	uint64_t removed[MAXIDS], changed[MAXIDS];
	size_t n_removed, n_changed;
	uint64_t state;
	int resync, pages;
};

/* Pages through a whole sync like a client: state is the first page's. */
static void sync_all(store_t *st, const char *folder, uint64_t since, uint32_t max_removed,
                     uint32_t max_changed, struct result *r)
{
	store_sync_pos_t pos = { 0, 0, 0, 0 };
	store_sync_page_t *page = NULL;
	size_t i;

	memset(r, 0, sizeof(*r));
	for (r->pages = 1; r->pages < 10000; r->pages++) {
		OK(store_sync(st, "a", folder, since, &pos, max_removed, max_changed, &page));
		if (r->pages == 1)
			r->state = page->change;
		r->resync = page->resync;
		for (i = 0; i < page->n_removed; i++)
			r->removed[r->n_removed++] = page->removed[i];
		for (i = 0; i < page->changed->count; i++)
			r->changed[r->n_changed++] = page->changed->items[i].id;
		CHECK(!page->more || page->n_removed + page->changed->count > 0);
		pos = page->next;
		int more = page->more;
		store_sync_page_free(&page);
		if (!more)
			return;
	}
	CHECK(!"sync never ended");
}

static uint64_t put(store_t *st, const char *folder)
{
	size_t len;
	uint64_t id;
	char *m = mkmsg("s@x", "sync", 50, &len);

	OK(store_message_append(st, "a", folder, m, len, 0, 0, &id));
	free(m);
	return id;
}

static int has(const uint64_t *ids, size_t n, uint64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

static void t_sync_changes(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	struct result r;
	uint64_t ids[4], fresh, other, moved, came;

	OK(store_mailbox_ensure(st, "a"));
	for (int i = 0; i < 4; i++)
		ids[i] = put(st, "Inbox");
	other = put(st, "Drafts");
	sync_all(st, "Inbox", 0, 100, 100, &r);
	CHECK(!r.resync && r.n_removed == 0 && r.n_changed == 4);
	uint64_t saved = r.state;

	fresh = put(st, "Inbox");
	OK(store_message_set_flags(st, "a", &ids[0], 1, STORE_FLAG_FLAGGED, 0));
	/* A move gives a new id where it goes: the old one leaves its folder. */
	OK(store_message_move(st, "a", ids[1], "Drafts", &moved));
	OK(store_message_move(st, "a", other, "Inbox", &came));
	OK(store_message_delete(st, "a", ids[2], 1));
	OK(store_message_delete(st, "a", ids[3], 0));   /* to Deleted Items */
	put(st, "Sent Items");                           /* another folder */
	sync_all(st, "Inbox", saved, 100, 100, &r);
	CHECK(!r.resync && r.n_removed == 3 && r.n_changed == 3);
	CHECK(has(r.removed, 3, ids[1]) && has(r.removed, 3, ids[2]) && has(r.removed, 3, ids[3]));
	CHECK(has(r.changed, 3, fresh) && has(r.changed, 3, ids[0]) && has(r.changed, 3, came));

	saved = r.state;
	sync_all(st, "Inbox", saved, 100, 100, &r);
	CHECK(!r.resync && r.n_removed == 0 && r.n_changed == 0 && r.state == saved);
	sync_all(st, "Drafts", 0, 100, 100, &r);
	CHECK(r.n_changed == 1 && r.changed[0] == moved);
	store_sync_page_t *page = NULL;
	store_sync_pos_t pos = { 0, 0, 0, 0 };
	CHECK_RC(store_sync(st, "a", "Nope", 0, &pos, 1, 1, &page), STORE_NOTFOUND);
	CHECK(page == NULL);
	store_close(&st);
	rmtmp(&dir);
}

static void t_sync_pages(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	struct result r, small;
	uint64_t ids[300];

	OK(store_mailbox_ensure(st, "a"));
	for (int i = 0; i < 300; i++)
		ids[i] = put(st, "Inbox");
	sync_all(st, "Inbox", 0, 100, 1000, &r);
	uint64_t saved = r.state;
	for (int i = 0; i < 300; i += 2)
		OK(store_message_delete(st, "a", ids[i], 1));
	for (int i = 1; i < 300; i += 4)
		OK(store_message_set_flags(st, "a", &ids[i], 1, STORE_FLAG_SEEN, 0));
	sync_all(st, "Inbox", saved, 1000, 1000, &r);
	CHECK(r.pages == 1 && r.n_removed == 150 && r.n_changed == 75);
	sync_all(st, "Inbox", saved, 7, 5, &small);
	CHECK(small.pages > 30 && small.n_removed == 150 && small.n_changed == 75);
	CHECK(memcmp(small.removed, r.removed, 150 * sizeof(uint64_t)) == 0);
	CHECK(memcmp(small.changed, r.changed, 75 * sizeof(uint64_t)) == 0);
	CHECK(small.state == r.state);
	store_close(&st);
	rmtmp(&dir);
}

static void t_sync_horizon_count(void)
{
	char *dir;
	store_options_t opt;
	store_options_init(&opt);
	opt.tomb_max = 3;
	store_t *st = open_new(&dir, &opt);
	struct result r;
	uint64_t ids[6], states[6];

	OK(store_mailbox_ensure(st, "a"));
	for (int i = 0; i < 6; i++)
		ids[i] = put(st, "Inbox");
	for (int i = 0; i < 6; i++) {
		sync_all(st, "Inbox", 0, 10, 10, &r);
		states[i] = r.state;
		OK(store_message_delete(st, "a", ids[i], 1));
	}
	/* Three kept: the deletes after states[3..5]; states[2]'s is gone. */
	sync_all(st, "Inbox", states[2], 10, 10, &r);
	CHECK(r.resync && r.n_removed == 0 && r.n_changed == 0);
	sync_all(st, "Inbox", states[3], 10, 10, &r);
	CHECK(!r.resync && r.n_removed == 3);
	sync_all(st, "Inbox", r.state + 1, 10, 10, &r);   /* ahead of the mailbox */
	CHECK(r.resync);
	store_close(&st);
	rmtmp(&dir);
}

static void t_sync_horizon_age(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	OK(store_policy_set(st, STORE_POLICY_TOMBSTONE_AGE, 1));
	struct result r;
	uint64_t expired = 0, a = 0, b = 0;

	OK(store_mailbox_ensure(st, "a"));
	a = put(st, "Inbox");
	b = put(st, "Inbox");
	sync_all(st, "Inbox", 0, 10, 10, &r);
	uint64_t saved = r.state;
	OK(store_message_delete(st, "a", a, 1));
	OK(store_tomb_expire(st, &expired));
	CHECK(expired == 0);
	sync_all(st, "Inbox", saved, 10, 10, &r);
	CHECK(!r.resync && r.n_removed == 1);
	sleep(2);
	OK(store_tomb_expire(st, &expired));
	CHECK(expired == 1);
	sync_all(st, "Inbox", saved, 10, 10, &r);
	CHECK(r.resync);
	saved = r.state;
	OK(store_message_delete(st, "a", b, 1));
	sync_all(st, "Inbox", saved, 10, 10, &r);
	CHECK(!r.resync && r.n_removed == 1 && r.removed[0] == b);
	store_close(&st);
	rmtmp(&dir);
}

static void t_sync_folder_reset(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	struct result r;

	OK(store_mailbox_ensure(st, "a"));
	OK(store_folder_create(st, "a", "X"));
	put(st, "X");
	sync_all(st, "X", 0, 10, 10, &r);
	uint64_t saved = r.state;
	OK(store_folder_rename(st, "a", "X", "Y"));
	OK(store_folder_create(st, "a", "X"));
	sync_all(st, "X", saved, 10, 10, &r);
	CHECK(r.resync);
	sync_all(st, "Y", saved, 10, 10, &r);
	CHECK(r.resync);
	sync_all(st, "Inbox", saved, 10, 10, &r);
	CHECK(!r.resync && r.n_removed == 0 && r.n_changed == 0);
	OK(store_mailbox_delete(st, "a"));
	store_close(&st);
	rmtmp(&dir);
}

/* Makes the store look like one from before tombstones. */
static int forget_tombstones(store_t *st, MDB_txn *txn, void *ctx)
{
	MDB_val k = { strlen("tombstones"), "tombstones" };

	(void)ctx;
	CHECK(mdb_drop(txn, st->db_tomb, 0) == 0);
	CHECK(mdb_del(txn, st->db_meta, &k, NULL) == 0);
	return STORE_OK;
}

static void t_sync_old_store(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	struct result r;

	OK(store_mailbox_ensure(st, "a"));
	uint64_t gone = put(st, "Inbox");
	put(st, "Inbox");
	sync_all(st, "Inbox", 0, 10, 10, &r);
	uint64_t before = r.state;
	OK(store_message_delete(st, "a", gone, 1));
	OK(st_write(st, forget_tombstones, NULL));
	store_close(&st);
	OK(store_open(dir, NULL, &st));
	/* The delete's tombstone is lost: its state cannot be answered ... */
	sync_all(st, "Inbox", before, 10, 10, &r);
	CHECK(r.resync && r.n_changed == 0);
	/* ... but the current one can, and later removals are kept. */
	sync_all(st, "Inbox", r.state, 10, 10, &r);
	CHECK(!r.resync && r.n_changed == 0 && r.n_removed == 0);
	store_close(&st);
	rmtmp(&dir);
}

int main(void)
{
	RUN(t_sync_changes);
	RUN(t_sync_pages);
	RUN(t_sync_horizon_count);
	RUN(t_sync_horizon_age);
	RUN(t_sync_folder_reset);
	RUN(t_sync_old_store);
	printf("%d tests passed\n", test_count);
	return 0;
}
