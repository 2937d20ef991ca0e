/*
 * imap_qresync.c -- what QRESYNC (RFC 7162) adds: the UIDs removed from
 * the selected folder since a MODSEQ, from the store's tombstones
 * (mail_sync), as VANISHED (EARLIER).
 */
#include <stdlib.h>

#include "imap_msgset.h"
#include "imap_session.h"
#include "imap_view.h"

struct uid_list {
	uint64_t *uids;
	size_t n, cap;
};

static int add_uid(struct uid_list *l, uint64_t uid)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		uint64_t *grown = realloc(l->uids, cap * sizeof(*grown));
		if (grown == NULL)
			return -1;
		l->uids = grown;
		l->cap = cap;
	}
	l->uids[l->n++] = uid;
	return 0;
}

static int cmp_uid(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int in_ranges(const struct imap_seqset *set, uint64_t uid)
{
	if (set == NULL)
		return 1;
	for (size_t i = 0; i < set->count; i++) {
		uint64_t hi = set->range[i].hi == IMAP_SEQ_STAR ? UINT64_MAX : set->range[i].hi;
		if (uid >= set->range[i].lo && uid <= hi)
			return 1;
	}
	return 0;
}

/* Whether uid is a message of the folder now (not removed, told or not). */
static int present(const struct imap_view *v, uint64_t uid)
{
	size_t i = imap_view_find(v, uid);
	return i != SIZE_MAX && !v->msgs[i].gone;
}

/* The tombstones since modseq within the set; *resync_r if they do not
 * reach back that far. */
static int removed_since(struct imap_session *s, const struct imap_seqset *set, uint64_t modseq,
			 struct uid_list *out, int *resync_r)
{
	store_sync_pos_t pos = {0};
	int status;
	*resync_r = 0;
	for (;;) {
		store_sync_page_t *page = NULL;
		status = imap_view_use(s->gw.mail, s->view);
		if (status == MAIL_OK)
			status =
			    mail_sync(s->gw.mail, s->view->box.path, modseq, &pos, 4096, 0, &page);
		if (status == MAIL_OK && page->resync)
			*resync_r = 1;
		for (size_t i = 0; status == MAIL_OK && !*resync_r && i < page->n_removed; i++) {
			uint64_t uid = page->removed[i];
			if (in_ranges(set, uid) && !present(s->view, uid) && add_uid(out, uid) != 0)
				status = MAIL_ERR_INTERNAL;
		}
		int more = status == MAIL_OK && !*resync_r && !page->next.tombs_done;
		if (more)
			pos = page->next;
		store_sync_page_free(&page);
		if (!more)
			return status;
	}
}

/* Every UID in [lo, hi] that is not in the folder, as ranges. */
static void write_gaps(const struct imap_view *v, uint64_t lo, uint64_t hi, int *first,
		       struct buf *out)
{
	uint64_t next = lo;
	for (size_t i = 0; i < v->count && next <= hi; i++) {
		uint64_t uid = v->msgs[i].uid;
		if (v->msgs[i].gone || uid < next)
			continue;
		if (uid > next) {
			uint64_t end = uid - 1 < hi ? uid - 1 : hi;
			buf_printf(out, *first ? "%llu" : ",%llu", (unsigned long long)next);
			if (end > next)
				buf_printf(out, ":%llu", (unsigned long long)end);
			*first = 0;
		}
		next = uid + 1;
	}
	if (next <= hi) {
		buf_printf(out, *first ? "%llu" : ",%llu", (unsigned long long)next);
		if (hi > next)
			buf_printf(out, ":%llu", (unsigned long long)hi);
		*first = 0;
	}
}

/* What RFC 7162 allows when the removals are not known: the set's UIDs
 * below UIDNEXT that are not in the folder. */
static void write_not_present(const struct imap_view *v, const struct imap_seqset *set,
			      struct buf *out)
{
	uint64_t top = v->uidnext > 0 ? v->uidnext - 1 : 0;
	struct imap_seq_range all = {1, IMAP_SEQ_STAR};
	size_t n = set ? set->count : 1;
	int first = 1;
	for (size_t i = 0; i < n && top > 0; i++) {
		const struct imap_seq_range *r = set ? &set->range[i] : &all;
		uint64_t hi = r->hi == IMAP_SEQ_STAR || r->hi > top ? top : r->hi;
		if (r->lo <= hi)
			write_gaps(v, r->lo, hi, &first, out);
	}
}

void imap_vanished_since(struct imap_session *s, const struct imap_arg *uid_set, uint64_t modseq)
{
	struct imap_seqset ranges, *set = NULL;
	struct uid_list removed = {0};
	int resync;
	if (uid_set != NULL) {
		if (uid_set->type != IMAP_ARG_ATOM ||
		    imap_seqset_parse(uid_set->data, uid_set->len, &ranges) != 0)
			return;
		set = &ranges;
	}
	struct buf *out = &s->reply;
	buf_reset(out);
	buf_adds(out, "* VANISHED (EARLIER) ");
	size_t empty = out->len;
	if (removed_since(s, set, modseq, &removed, &resync) == MAIL_OK) {
		if (resync) {
			write_not_present(s->view, set, out);
		} else {
			if (removed.n > 0)
				qsort(removed.uids, removed.n, sizeof(*removed.uids), cmp_uid);
			size_t k = 0;
			for (size_t i = 0; i < removed.n; i++) /* each once */
				if (k == 0 || removed.uids[k - 1] != removed.uids[i])
					removed.uids[k++] = removed.uids[i];
			imap_write_uid_ranges(removed.uids, k, out);
		}
	}
	if (out->len > empty && !out->overflow) {
		buf_adds(out, "\r\n");
		stream_write(&s->gw.stream, out->data, out->len);
	}
	free(removed.uids);
	if (set != NULL)
		imap_seqset_free(set);
}
