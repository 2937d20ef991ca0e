/*
 * store_handover_db.c -- the records of sends waiting to be handed to the
 * MTA (see store.h, "hand-over to the MTA"): encoding, decoding, and how
 * many a mailbox has.
 *
 * "handover" key: mbid(8) id(8) -> version(2) 0(2) attempts(4) blob(8)
 *     size(8) created(8) next_try(8), then mailbox, sender, message id,
 *     last error, each as len(2) bytes, then count(2) and each recipient
 *     as len(2) bytes.
 */
#include "store_int.h"

#include <string.h>

/* Bytes one string takes in a record (after cutting to max). */
static size_t text_len(const char *s, size_t max)
{
	size_t n = strlen(s);
	return n > max ? max : n;
}

static unsigned char *put_text(unsigned char *p, const char *s, size_t max)
{
	size_t n = text_len(s, max);
	st_put_u16(p, (uint16_t)n);
	memcpy(p + 2, s, n);
	return p + 2 + n;
}

int st_handover_put(store_t *st, MDB_txn *txn, const store_handover_t *h)
{
	unsigned char kb[ST_HANDOVER_KEY_LEN];
	size_t len = ST_HANDOVER_FIXED_LEN + 2 * 4 + 2 + text_len(h->mailbox, STORE_NAME_MAX) +
		     text_len(h->sender, STORE_ADDRESS_MAX) +
		     text_len(h->message_id, STORE_HANDOVER_TEXT_MAX) +
		     text_len(h->last_error, STORE_HANDOVER_TEXT_MAX);
	MDB_val k = {sizeof(kb), kb}, v;
	int status;

	if (h->n_rcpts == 0 || h->n_rcpts > STORE_RCPT_MAX)
		ST_BUG("hand-over with %zu recipients", h->n_rcpts);
	for (size_t i = 0; i < h->n_rcpts; i++)
		len += 2 + text_len(h->rcpts[i], STORE_ADDRESS_MAX);
	st_put_u64(kb, h->mbid);
	st_put_u64(kb + 8, h->id);
	v.mv_size = len;
	status = st_err(mdb_put(txn, st->db_handover, &k, &v, MDB_RESERVE), "handover put");
	if (status != STORE_OK)
		return status;
	unsigned char *p = v.mv_data;
	st_put_u16(p, 1);
	st_put_u16(p + 2, 0);
	st_put_u32(p + 4, h->attempts);
	st_put_u64(p + 8, h->blob_id);
	st_put_u64(p + 16, h->size);
	st_put_u64(p + 24, (uint64_t)h->created);
	st_put_u64(p + 32, (uint64_t)h->next_try);
	p = put_text(p + ST_HANDOVER_FIXED_LEN, h->mailbox, STORE_NAME_MAX);
	p = put_text(p, h->sender, STORE_ADDRESS_MAX);
	p = put_text(p, h->message_id, STORE_HANDOVER_TEXT_MAX);
	p = put_text(p, h->last_error, STORE_HANDOVER_TEXT_MAX);
	st_put_u16(p, (uint16_t)h->n_rcpts);
	p += 2;
	for (size_t i = 0; i < h->n_rcpts; i++)
		p = put_text(p, h->rcpts[i], STORE_ADDRESS_MAX);
	return STORE_OK;
}

/* A reader of the variable part: each text is copied NUL-terminated into
 * out (sized for all of them). */
struct reader {
	const unsigned char *p, *end;
	char *out;
};

static const char *take_text(struct reader *r, size_t max)
{
	if (r->end - r->p < 2)
		return NULL;
	size_t n = st_get_u16(r->p);
	if (n > max || (size_t)(r->end - r->p - 2) < n)
		return NULL;
	char *s = r->out;
	memcpy(s, r->p + 2, n);
	s[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return NULL; /* nothing stored here has a control character */
	r->p += 2 + n;
	r->out += n + 1;
	return s;
}

int st_handover_decode(const MDB_val *k, const MDB_val *v, store_handover_t *h)
{
	const unsigned char *p = v->mv_data;
	struct reader r;
	size_t n;

	memset(h, 0, sizeof(*h));
	if (k->mv_size != ST_HANDOVER_KEY_LEN || v->mv_size < ST_HANDOVER_FIXED_LEN + 10 ||
	    st_get_u16(p) != 1)
		return STORE_CORRUPT;
	h->mbid = st_get_u64(k->mv_data);
	h->id = st_get_u64((unsigned char *)k->mv_data + 8);
	h->attempts = st_get_u32(p + 4);
	h->blob_id = st_get_u64(p + 8);
	h->size = st_get_u64(p + 16);
	h->created = (int64_t)st_get_u64(p + 24);
	h->next_try = (int64_t)st_get_u64(p + 32);
	/* Every text fits in the record's own size, with its NUL. */
	h->strbuf = malloc(v->mv_size);
	r = (struct reader){p + ST_HANDOVER_FIXED_LEN, p + v->mv_size, h->strbuf};
	if (h->strbuf == NULL)
		return STORE_INTERNAL;
	h->mailbox = take_text(&r, STORE_NAME_MAX);
	h->sender = h->mailbox ? take_text(&r, STORE_ADDRESS_MAX) : NULL;
	h->message_id = h->sender ? take_text(&r, STORE_HANDOVER_TEXT_MAX) : NULL;
	h->last_error = h->message_id ? take_text(&r, STORE_HANDOVER_TEXT_MAX) : NULL;
	if (h->last_error == NULL || r.end - r.p < 2)
		goto bad;
	n = st_get_u16(r.p);
	r.p += 2;
	if (n == 0 || n > STORE_RCPT_MAX || (h->rcpts = calloc(n, sizeof(*h->rcpts))) == NULL)
		goto bad;
	for (h->n_rcpts = 0; h->n_rcpts < n; h->n_rcpts++)
		if ((h->rcpts[h->n_rcpts] = take_text(&r, STORE_ADDRESS_MAX)) == NULL)
			goto bad;
	if (r.p != r.end)
		goto bad;
	return STORE_OK;
bad:
	st_handover_clear(h);
	return STORE_CORRUPT;
}

void st_handover_clear(store_handover_t *h)
{
	free(h->strbuf);
	free(h->rcpts);
	memset(h, 0, sizeof(*h));
}

int st_handover_count(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t *count_r)
{
	unsigned char prefix[8];
	MDB_cursor *cur = NULL;
	MDB_val k = {8, prefix}, v;
	int rc = mdb_cursor_open(txn, st->db_handover, &cur);

	*count_r = 0;
	st_put_u64(prefix, mbid);
	for (rc = rc ? rc : mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size < 8 || memcmp(k.mv_data, prefix, 8) != 0)
			break;
		(*count_r)++;
	}
	if (cur != NULL)
		mdb_cursor_close(cur);
	return rc == 0 || rc == MDB_NOTFOUND ? STORE_OK : st_err(rc, "handover count");
}
