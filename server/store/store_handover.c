/*
 * store_handover.c -- the sends waiting to be handed to the MTA: listing
 * them, reading a message's bytes for the MTA, and closing a record once
 * the MTA took it (or putting off the next attempt).  Records are made by
 * the send itself (store_submit.c); see store.h.
 */
#include "store_int.h"

#include <string.h>

static void list_clear(store_handover_list_t *l)
{
	for (size_t i = 0; i < l->count; i++)
		st_handover_clear(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

void store_handover_list_free(store_handover_list_t **list)
{
	if (list == NULL || *list == NULL)
		return;
	list_clear(*list);
	free(*list);
	*list = NULL;
}

struct handover_walk {
	store_handover_list_t *l;
	size_t cap;
	int64_t due_by; /* 0: every one */
};

static int handover_one(const MDB_val *k, const MDB_val *v, void *ctx)
{
	struct handover_walk *w = ctx;
	store_handover_t h;
	int status = st_handover_decode(k, v, &h);

	if (status == STORE_CORRUPT) {
		/* Logged, and left for verify: the others still go out. */
		st_corrupt("handover", k, "hand-over record of %zu bytes does not decode",
			   v->mv_size);
		return STORE_OK;
	}
	if (status == STORE_OK && w->due_by != 0 && h.next_try > w->due_by) {
		st_handover_clear(&h); /* not due yet */
		return STORE_OK;
	}
	if (status == STORE_OK)
		status = st_room_for_one((void **)&w->l->items, w->l->count, &w->cap,
					 sizeof(*w->l->items));
	if (status != STORE_OK) {
		st_handover_clear(&h);
		return status;
	}
	w->l->items[w->l->count++] = h;
	return STORE_OK;
}

int store_handover_list(store_t *st, int64_t due_by, store_handover_list_t **list_r)
{
	struct handover_walk w = {.l = calloc(1, sizeof(*w.l)), .due_by = due_by};
	int status = w.l ? st_read_each(st, st->db_handover, "handover list", handover_one, &w)
			 : STORE_INTERNAL;

	*list_r = NULL;
	if (status == STORE_OK)
		*list_r = w.l;
	else
		store_handover_list_free(&w.l);
	return status;
}

int store_handover_read(store_t *st, const store_handover_t *h, uint64_t offset, void *buf,
			size_t max, size_t *len_r)
{
	MDB_txn *txn = NULL;
	int status = STORE_INVALID;

	*len_r = 0;
	if (offset > h->size)
		return status;
	size_t n = h->size - offset < max ? (size_t)(h->size - offset) : max;
	status = st_read_begin(st, &txn);
	/* The record holds a reference: the body cannot go while it exists. */
	if (status == STORE_OK && n > 0)
		status = st_blob_read(st, txn, h->blob_id, h->size, offset, buf, n);
	if (txn != NULL)
		mdb_txn_abort(txn);
	if (status == STORE_OK)
		*len_r = n;
	return status;
}

struct close_ctx {
	const store_handover_t *h;
	int64_t next_try; /* failed: not before then */
	const char *why;  /* NULL: done */
};

static int close_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct close_ctx *c = vctx;
	unsigned char kb[ST_HANDOVER_KEY_LEN];
	MDB_val k = {sizeof(kb), kb}, v;
	store_handover_t now;
	int status;

	st_put_u64(kb, c->h->mbid);
	st_put_u64(kb + 8, c->h->id);
	status = st_err(mdb_get(txn, st->db_handover, &k, &v), "handover get");
	if (status != STORE_OK)
		return status;
	status = st_handover_decode(&k, &v, &now);
	if (status == STORE_CORRUPT)
		return st_corrupt("handover", &k, "hand-over record does not decode");
	if (status != STORE_OK)
		return status;
	if (c->why == NULL) {
		status = st_err(mdb_del(txn, st->db_handover, &k, NULL), "handover del");
		if (status == STORE_OK)
			status = st_blob_ref(st, txn, now.blob_id, -1);
	} else {
		now.attempts++;
		now.next_try = c->next_try;
		now.last_error = c->why;
		status = st_handover_put(st, txn, &now);
	}
	st_handover_clear(&now);
	return status;
}

int store_handover_done(store_t *st, const store_handover_t *h)
{
	struct close_ctx c = {h, 0, NULL};
	return st_write(st, close_txn, &c);
}

int store_handover_failed(store_t *st, const store_handover_t *h, int64_t next_try, const char *why)
{
	char text[STORE_HANDOVER_TEXT_MAX + 1];
	size_t n = 0;

	/* One line of printable text: it is shown as it is (admin, log). */
	for (const char *p = why ? why : ""; *p && n < STORE_HANDOVER_TEXT_MAX; p++)
		text[n++] = (unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p;
	text[n] = '\0';
	struct close_ctx c = {h, next_try, text};
	return st_write(st, close_txn, &c);
}
