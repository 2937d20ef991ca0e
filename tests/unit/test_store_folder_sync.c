/*
 * test_store_folder_sync.c -- store_folder_sync: from 0 every folder with
 * its id; from a saved state exactly the folders created, renamed (same
 * id, subfolders too) or whose messages changed, and the ids of folders
 * deleted; pages of any size add up to the same; a state past the horizon
 * or ahead of the mailbox answers "resync".
 */
#include "test_util.h"
#include "store_int.h"

#define MAXF 4096

struct result {
	uint64_t deleted[MAXF], ids[MAXF];
	char paths[MAXF][STORE_PATH_MAX + 1];
	size_t n_deleted, n_folders;
	uint64_t state;
	int resync, pages;
};

/* Pages through a whole folder sync like a client. */
static void fsync_all(store_t *st, uint64_t since, uint32_t max_deleted, uint32_t max_folders,
                      struct result *r)
{
	store_fsync_pos_t pos = { 0, 0, 0, 0 };
	store_fsync_page_t *page = NULL;

	memset(r, 0, sizeof(*r));
	for (r->pages = 1; r->pages < 10000; r->pages++) {
		OK(store_folder_sync(st, "a", since, &pos, max_deleted, max_folders, &page));
		if (r->pages == 1)
			r->state = page->change;
		r->resync = page->resync;
		for (size_t i = 0; i < page->n_deleted; i++)
			r->deleted[r->n_deleted++] = page->deleted[i];
		for (size_t i = 0; i < page->n_folders; i++) {
			r->ids[r->n_folders] = page->folders[i].id;
			strcpy(r->paths[r->n_folders++], page->folders[i].info.path);
		}
		CHECK(!page->more || page->n_deleted + page->n_folders > 0);
		pos = page->next;
		int more = page->more;
		store_folder_sync_page_free(&page);
		if (!more)
			return;
	}
	CHECK(!"folder sync never ended");
}

/* The id the result gives path (0: not listed). */
static uint64_t id_of(const struct result *r, const char *path)
{
	for (size_t i = 0; i < r->n_folders; i++)
		if (strcmp(r->paths[i], path) == 0)
			return r->ids[i];
	return 0;
}

static void put(store_t *st, const char *folder)
{
	size_t len;
	uint64_t id;
	char *m = mkmsg("s@x", "fsync", 50, &len);

	OK(store_message_append(st, "a", folder, m, len, 0, 0, &id));
	free(m);
}

static void t_fsync_changes(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	struct result r;

	OK(store_mailbox_ensure(st, "a"));
	OK(store_folder_create(st, "a", "P"));
	OK(store_folder_create(st, "a", "P/S"));
	OK(store_folder_create(st, "a", "G"));
	OK(store_folder_create(st, "a", "G/H"));
	OK(store_folder_create(st, "a", "Q"));
	fsync_all(st, 0, 100, 100, &r);
	CHECK(!r.resync && r.n_deleted == 0 && r.n_folders == 10); /* 5 well-known */
	uint64_t p = id_of(&r, "P"), s = id_of(&r, "P/S"), g = id_of(&r, "G"),
	         h = id_of(&r, "G/H"), saved = r.state;
	CHECK(p && s && g && h && p != s);

	OK(store_folder_rename(st, "a", "P", "R"));
	OK(store_folder_delete(st, "a", "G", 1));
	OK(store_folder_create(st, "a", "N"));
	put(st, "Drafts");
	fsync_all(st, saved, 100, 100, &r);
	CHECK(!r.resync && r.n_folders == 4 && r.n_deleted == 2);
	CHECK(id_of(&r, "R") == p && id_of(&r, "R/S") == s); /* renamed keep their ids */
	CHECK(id_of(&r, "N") != 0 && id_of(&r, "Drafts") != 0 && id_of(&r, "Q") == 0);
	CHECK((r.deleted[0] == g && r.deleted[1] == h) || (r.deleted[0] == h && r.deleted[1] == g));
	saved = r.state;
	fsync_all(st, saved, 100, 100, &r);
	CHECK(!r.resync && r.n_folders == 0 && r.n_deleted == 0 && r.state == saved);
	fsync_all(st, saved + 1, 100, 100, &r); /* ahead of the mailbox */
	CHECK(r.resync);
	store_close(&st);
	rmtmp(&dir);
}

static void t_fsync_pages(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	struct result all, r;
	char name[32];

	OK(store_mailbox_ensure(st, "a"));
	fsync_all(st, 0, 100, 100, &r);
	uint64_t saved = r.state;
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "F%02d", i);
		OK(store_folder_create(st, "a", name));
	}
	for (int i = 0; i < 40; i += 2) {
		snprintf(name, sizeof(name), "F%02d", i);
		OK(store_folder_delete(st, "a", name, 0));
	}
	fsync_all(st, saved, 1000, 1000, &all);
	CHECK(all.pages == 1 && all.n_deleted == 20 && all.n_folders == 20);
	fsync_all(st, saved, 3, 7, &r);
	CHECK(r.pages >= 8 && r.n_deleted == 20 && r.n_folders == 20 && r.state == all.state);
	CHECK(memcmp(r.deleted, all.deleted, sizeof(uint64_t) * 20) == 0);
	CHECK(memcmp(r.ids, all.ids, sizeof(uint64_t) * 20) == 0);
	store_close(&st);
	rmtmp(&dir);
}

static void t_fsync_horizon(void)
{
	char *dir;
	store_options_t opt;
	store_options_init(&opt);
	opt.tomb_max = 2;
	store_t *st = open_new(&dir, &opt);
	struct result r;

	OK(store_mailbox_ensure(st, "a"));
	OK(store_folder_create(st, "a", "X"));
	fsync_all(st, 0, 10, 10, &r);
	uint64_t saved = r.state;
	OK(store_folder_delete(st, "a", "X", 0));
	fsync_all(st, saved, 10, 10, &r);
	CHECK(!r.resync && r.n_deleted == 1);
	/* Three more tombstones: the delete's is forgotten past the bound. */
	for (int i = 0; i < 3; i++)
		OK(store_folder_create(st, "a", i == 0 ? "Y" : i == 1 ? "Z" : "W"));
	fsync_all(st, saved, 10, 10, &r);
	CHECK(r.resync && r.n_deleted == 0 && r.n_folders == 0);
	store_close(&st);
	rmtmp(&dir);
}

int main(void)
{
	RUN(t_fsync_changes);
	RUN(t_fsync_pages);
	RUN(t_fsync_horizon);
	printf("%d tests passed\n", test_count);
	return 0;
}
