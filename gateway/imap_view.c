/* imap_view.c -- the selected folder's messages for one session (see imap_view.h). */
#include <stdlib.h>
#include <string.h>

#include "imap_view.h"

#define INDEX_PAGE STORE_BATCH_MAX
#define SYNC_REMOVED 4096
#define SYNC_CHANGED STORE_LIST_MAX

int imap_view_use(struct mail_session *m, const struct imap_view *v)
{
	return mail_open(m, v->box.mailbox);
}

void imap_view_free(struct imap_view **v)
{
	if (v == NULL || *v == NULL)
		return;
	free((*v)->msgs);
	free(*v);
	*v = NULL;
}

static int append_msg(struct imap_view *v, const struct imap_msg *msg)
{
	if (v->count == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		struct imap_msg *n = realloc(v->msgs, cap * sizeof(*n));
		if (n == NULL)
			return -1;
		v->msgs = n;
		v->cap = cap;
	}
	v->msgs[v->count++] = *msg;
	return 0;
}

static struct imap_msg msg_of(const store_index_entry_t *e)
{
	return (struct imap_msg){.uid = e->id,
				 .modseq = e->change,
				 .size = e->size,
				 .received = e->received,
				 .flags = e->flags};
}

size_t imap_view_lower_bound(const struct imap_view *v, size_t n, uint64_t uid)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v->msgs[mid].uid < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t imap_view_find(const struct imap_view *v, uint64_t uid)
{
	size_t i = imap_view_lower_bound(v, v->count, uid);
	return i < v->count && v->msgs[i].uid == uid ? i : SIZE_MAX;
}

/* The mailbox's change number now: a state ahead of every mailbox is
 * always answered "resync" with the number (store_sync). */
static int mailbox_change(struct mail_session *m, const char *path, uint64_t *change_r)
{
	store_sync_pos_t pos = {0};
	store_sync_page_t *page = NULL;
	int status = mail_sync(m, path, UINT64_MAX, &pos, 0, 0, &page);
	*change_r = status == MAIL_OK ? page->change : 0;
	store_sync_page_free(&page);
	return status;
}

/* Every message of the folder, in UID order, into a fresh array. */
static int load_all(struct mail_session *m, const char *path, struct imap_view *into)
{
	uint64_t after = 0;
	int status;
	for (;;) {
		store_index_t *ix = NULL;
		status = mail_index(m, path, after, INDEX_PAGE, &ix);
		for (size_t i = 0; status == MAIL_OK && i < ix->count; i++) {
			struct imap_msg msg = msg_of(&ix->items[i]);
			if (append_msg(into, &msg) != 0)
				status = MAIL_ERR_INTERNAL;
		}
		int more = status == MAIL_OK && ix->more && ix->count > 0;
		if (more)
			after = ix->items[ix->count - 1].id;
		store_index_free(&ix);
		if (!more)
			return status;
	}
}

/* The folder's id, counts and UIDNEXT, and whether it is still the one viewed. */
static int look(struct mail_session *m, struct imap_view *v, store_folder_info_t *info)
{
	uint64_t next;
	int status = mail_folder_get(m, v->box.path, info, &next);
	if (status == MAIL_ERR_NOFOLDER ||
	    (status == MAIL_OK && v->uidvalidity && info->id != v->uidvalidity)) {
		v->closed = 1;
		return MAIL_ERR_NOFOLDER;
	}
	if (status == MAIL_OK) {
		v->uidnext = next > v->uidnext ? next : v->uidnext;
		v->unseen = info->unread;
	}
	return status;
}

int imap_view_open(struct mail_session *m, const struct imap_box *box, int readonly,
		   struct imap_view **v_r)
{
	store_folder_info_t info;
	struct imap_view *v = calloc(1, sizeof(*v));
	*v_r = NULL;
	if (v == NULL)
		return MAIL_ERR_INTERNAL;
	v->box = *box;
	v->readonly = readonly;
	int status = imap_view_use(m, v);
	if (status == MAIL_OK)
		status = mail_myrights(m, box->path, &v->rights);
	/* The state first: whatever changes while the index is read is seen
	 * again by the first refresh (ids only grow, so none is missed). */
	if (status == MAIL_OK)
		status = mailbox_change(m, box->path, &v->since);
	if (status == MAIL_OK)
		status = look(m, v, &info);
	if (status == MAIL_OK)
		status = load_all(m, box->path, v);
	if (status != MAIL_OK) {
		imap_view_free(&v);
		return status;
	}
	v->uidvalidity = info.id;
	v->highest = info.change;
	*v_r = v;
	return MAIL_OK;
}

static void mark_gone(struct imap_view *v, size_t i)
{
	if (!v->msgs[i].gone) {
		v->msgs[i].gone = 1;
		v->gone++;
	}
}

/* A message as the store has it now: updated in place, or added. */
static int apply_changed(struct imap_view *v, const struct imap_msg *now)
{
	size_t i = imap_view_find(v, now->uid);
	if (i != SIZE_MAX) {
		struct imap_msg *msg = &v->msgs[i];
		if (!msg->gone && (msg->flags != now->flags || msg->modseq != now->modseq)) {
			msg->flags = now->flags;
			msg->modseq = now->modseq;
			msg->changed = 1;
		}
		return 0;
	}
	/* New messages have the highest UIDs; anything else was seen gone. */
	if (v->count > 0 && now->uid < v->msgs[v->count - 1].uid)
		return 0;
	struct imap_msg added = *now;
	added.recent = 1;
	return append_msg(v, &added);
}

/* The store could not say what changed since v->since (too old): the
 * whole folder again, told apart from the view. */
static int resync(struct mail_session *m, struct imap_view *v)
{
	struct imap_view fresh = {0};
	int status = load_all(m, v->box.path, &fresh);
	size_t k = 0;
	for (size_t i = 0; status == MAIL_OK && i < v->count; i++) {
		while (k < fresh.count && fresh.msgs[k].uid < v->msgs[i].uid)
			k++;
		if (k == fresh.count || fresh.msgs[k].uid != v->msgs[i].uid)
			mark_gone(v, i);
	}
	for (size_t i = 0; status == MAIL_OK && i < fresh.count; i++)
		if (apply_changed(v, &fresh.msgs[i]) != 0)
			status = MAIL_ERR_INTERNAL;
	free(fresh.msgs);
	return status;
}

static int apply_page(struct imap_view *v, const store_sync_page_t *page)
{
	for (size_t i = 0; i < page->n_removed; i++) {
		size_t at = imap_view_find(v, page->removed[i]);
		if (at != SIZE_MAX)
			mark_gone(v, at);
	}
	for (size_t i = 0; i < page->changed->count; i++) {
		const store_msginfo_t *e = &page->changed->items[i];
		struct imap_msg now = {.uid = e->id,
				       .modseq = e->change,
				       .size = e->size,
				       .received = e->received,
				       .flags = e->flags};
		if (apply_changed(v, &now) != 0)
			return MAIL_ERR_INTERNAL;
	}
	return MAIL_OK;
}

int imap_view_refresh(struct mail_session *m, struct imap_view *v)
{
	store_folder_info_t info;
	store_sync_pos_t pos = {0};
	uint64_t state = 0;
	int status = imap_view_use(m, v);
	if (status == MAIL_OK && !v->closed)
		status = look(m, v, &info);
	if (status != MAIL_OK || v->closed || info.change == v->highest)
		return status;
	for (int first = 1;; first = 0) {
		store_sync_page_t *page = NULL;
		status =
		    mail_sync(m, v->box.path, v->since, &pos, SYNC_REMOVED, SYNC_CHANGED, &page);
		/* The state of the first page: what changes between pages is
		 * seen again next time, never missed. */
		if (status == MAIL_OK && first)
			state = page->change;
		if (status == MAIL_OK)
			status = page->resync ? resync(m, v) : apply_page(v, page);
		int more = status == MAIL_OK && !page->resync && page->more;
		if (more)
			pos = page->next;
		store_sync_page_free(&page);
		if (!more)
			break;
	}
	if (status == MAIL_OK) {
		v->since = state;
		v->highest = info.change;
	}
	return status;
}

size_t imap_view_compact(struct imap_view *v)
{
	size_t kept = 0, dropped = 0, told = v->told;
	for (size_t i = 0; i < v->count; i++) {
		if (!v->msgs[i].gone) {
			v->msgs[kept++] = v->msgs[i];
			continue;
		}
		dropped++;
		if (i < v->told)
			told--;
	}
	v->count = kept;
	v->told = told;
	v->gone = 0;
	return dropped;
}
