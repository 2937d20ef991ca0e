/*
 * store_search.c -- search one folder or the whole mailbox by From / To /
 * Subject substrings (decoded summary) and body substring, all ASCII
 * case-insensitive.  Bodies are streamed chunk by chunk, with the last
 * (needle length - 1) bytes carried over so matches spanning a chunk
 * boundary are found.  Scanning stops once offset+limit+1 matches are
 * known.
 */
#include "store_int.h"

#include <ctype.h>
#include <string.h>

static int ci_eq(const unsigned char *a, const unsigned char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tolower(a[i]) != tolower(b[i]))
			return 0;
	return 1;
}

static int ci_find(const void *hay, size_t hlen, const char *needle, size_t nlen)
{
	const unsigned char *h = hay, *n = (const unsigned char *)needle;
	int first;
	size_t i;

	if (nlen == 0)
		return 1;
	first = tolower(n[0]);
	for (i = 0; i + nlen <= hlen; i++)
		if (tolower(h[i]) == first && ci_eq(h + i, n, nlen))
			return 1;
	return 0;
}

typedef struct body_scan {
	const char *needle;
	size_t nlen;
	unsigned char carry[2 * STORE_SEARCH_TEXT_MAX];
	size_t carry_len;
	int found;
	int in_body;     /* past the blank line that ends the header */
	int eol;         /* header scan: 1 after "\n", 2 after "\n\r" */
} body_scan_t;

/* Length of the header part at the start of p (all of it if the header
 * goes on); sets in_body once the blank line, CRLF or LF, has been seen. */
static size_t skip_header(body_scan_t *b, const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = p[i];
		if (c == '\n' && b->eol) {
			b->in_body = 1;
			return i + 1;
		}
		b->eol = c == '\n' ? 1 : (c == '\r' && b->eol == 1) ? 2 : 0;
	}
	return len;
}

#define SCAN_FOUND 0x5ca4

static int scan_chunk(const unsigned char *p, size_t len, void *vctx)
{
	body_scan_t *b = vctx;
	size_t keep = b->nlen - 1, head, total;

	/* "Body" means the body: a match in the header does not count. */
	if (!b->in_body) {
		size_t skip = skip_header(b, p, len);
		p += skip;
		len -= skip;
		if (!b->in_body || len == 0)
			return 0;
	}

	/* window across the boundary: carry + first nlen-1 bytes */
	head = len < keep ? len : keep;
	memcpy(b->carry + b->carry_len, p, head);
	if (ci_find(b->carry, b->carry_len + head, b->needle, b->nlen) ||
	    ci_find(p, len, b->needle, b->nlen)) {
		b->found = 1;
		return SCAN_FOUND;
	}
	/* keep the last nlen-1 bytes of carry||chunk */
	total = b->carry_len + len;
	if (len >= keep) {
		memcpy(b->carry, p + len - keep, keep);
		b->carry_len = keep;
	} else {
		size_t from_carry = total < keep ? b->carry_len : keep - len;
		memmove(b->carry, b->carry + b->carry_len - from_carry, from_carry);
		memcpy(b->carry + from_carry, p, len);
		b->carry_len = from_carry + len;
	}
	return 0;
}

typedef struct needles {
	const char *s[4];   /* from, to, subject, body */
	size_t len[4];
} needles_t;

static int match(store_t *st, MDB_txn *txn, const st_msg_t *m,
                 const needles_t *nd, int *match_r)
{
	static const int field[3] = { SUM_FROM, SUM_TO, SUM_SUBJECT };
	body_scan_t *b = NULL;
	int i, status = STORE_OK;

	*match_r = 0;
	for (i = 0; i < 3; i++)
		if (!ci_find(m->sum[field[i]], m->sumlen[field[i]], nd->s[i], nd->len[i]))
			goto out;
	if (nd->len[3] == 0) {
		*match_r = 1;
		goto out;
	}
	b = calloc(1, sizeof(*b));
	if (b == NULL) {
		status = STORE_INTERNAL;
		goto out;
	}
	b->needle = nd->s[3];
	b->nlen = nd->len[3];
	status = st_blob_each(st, txn, m->blob_id, m->size, scan_chunk, b);
	if (status == SCAN_FOUND)
		status = STORE_OK;
	*match_r = b->found;
out:
	free(b);
	return status;
}

int store_message_search(store_t *st, const char *mbox,
                         const store_search_query_t *q, store_msglist_t **list_r)
{
	return store_message_search_as(st, NULL, mbox, q, list_r);
}

int store_message_search_as(store_t *st, const store_call_t *call, const char *mbox,
                            const store_search_query_t *q, store_msglist_t **list_r)
{
	store_msglist_t *list = NULL;
	MDB_cursor *cur = NULL;
	MDB_txn *txn = NULL;
	st_msg_t *m = NULL;
	unsigned char kb[24], mk[16];
	MDB_val k, v, mv;
	uint64_t *ids = NULL, id, found = 0;
	size_t limit, nids = 0, prefix, i;
	needles_t nd;
	st_folder_t f;
	st_mbox_t mb;
	int rc, hit, status = STORE_INVALID;

	*list_r = NULL;
	if (q == NULL)
		goto out;
	nd.s[0] = q->from;
	nd.s[1] = q->to;
	nd.s[2] = q->subject;
	nd.s[3] = q->body;
	for (i = 0; i < 4; i++) {
		if (nd.s[i] == NULL)
			nd.s[i] = "";
		nd.len[i] = strnlen(nd.s[i], STORE_SEARCH_TEXT_MAX + 1);
		if (nd.len[i] > STORE_SEARCH_TEXT_MAX)
			goto out;
	}
	status = STORE_INTERNAL;
	limit = q->limit > STORE_LIST_MAX ? STORE_LIST_MAX : q->limit;
	list = calloc(1, sizeof(*list));
	m = malloc(sizeof(*m));
	ids = malloc((limit ? limit : 1) * sizeof(*ids));
	if (list == NULL || m == NULL || ids == NULL ||
	    (limit && (list->items = calloc(limit, sizeof(*list->items))) == NULL))
		goto out;
	status = st_read_begin(st, &txn);
	if (status == STORE_OK)
		status = st_read_target(st, txn, call, mbox, q->folder, &mb, &f);
	if (status != STORE_OK)
		goto out;
	k.mv_data = kb;
	if (q->folder != NULL) {
		k.mv_size = st_key3(kb, mb.mbid, f.id, 0);
		prefix = 16;
		rc = mdb_cursor_open(txn, st->db_fidx, &cur);
	} else {
		k.mv_size = st_key2(kb, mb.mbid, 0);
		prefix = 8;
		rc = mdb_cursor_open(txn, st->db_msg, &cur);
	}
	if (rc != 0) {
		status = st_err(rc, "cursor open");
		goto out;
	}
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != prefix + 8 || memcmp(k.mv_data, kb, prefix) != 0)
			break;
		id = st_get_u64((const unsigned char *)k.mv_data + prefix);
		if (q->folder != NULL) {
			mv.mv_data = mk;
			mv.mv_size = st_key2(mk, mb.mbid, id);
			status = st_err(mdb_get(txn, st->db_msg, &mv, &v), "msg get");
			if (status == STORE_NOTFOUND)
				status = st_corrupt("msg", &mv, "in a folder index, but missing");
			if (status != STORE_OK)
				goto out;
		}
		/* Decoded in place (read txn: map pointers stay valid). */
		if (st_msg_decode(&v, m) != STORE_OK) {
			status = st_corrupt("msg", q->folder != NULL ? &mv : &k,
			                    "message record of %zu bytes does not decode", v.mv_size);
			goto out;
		}
		status = match(st, txn, m, &nd, &hit);
		if (status != STORE_OK)
			goto out;
		if (!hit)
			continue;
		if (found >= q->offset && nids < limit)
			ids[nids++] = id;
		found++;
		if (found > q->offset + limit) {
			list->more = 1;
			break;
		}
	}
	if (rc != 0 && rc != MDB_NOTFOUND) {
		status = st_err(rc, "cursor get");
		goto out;
	}
	list->total = found;
	for (i = 0; i < nids; i++) {
		status = st_msg_load(st, txn, mb.mbid, ids[i], m);
		if (status == STORE_OK)
			status = st_msg_to_info(st, txn, mb.mbid, ids[i], m,
			                        &list->items[list->count]);
		if (status != STORE_OK)
			goto out;
		list->count++;
	}
	status = STORE_OK;
	*list_r = list;
	list = NULL;
out:
	if (cur != NULL)
		mdb_cursor_close(cur);
	if (txn != NULL)
		mdb_txn_abort(txn);
	store_msglist_free(&list);
	free(ids);
	free(m);
	return status;
}
