/*
 * store_submit.c -- turning a finished upload into messages:
 * commit_append (one message in one of the owner's folders) and
 * commit_submit (one copy per recipient Inbox plus the sender's
 * "Sent Items", all in one write transaction).
 *
 * The SHA-256 and summary are computed first in a read transaction (the
 * body cannot change once received == expected, since appends past the
 * expected size are refused), so the writer lock is held only briefly.
 * All copies share the upload's blob; its reference moves to them.
 */
#include "store_int.h"

#include <string.h>

typedef struct prep {
	st_upload_t u;
	unsigned char sha[32];
	st_summary_t sum;
} prep_t;

static int prepare(store_t *st, const store_call_t *call, const char *mbox, uint64_t uid,
                   prep_t *p)
{
	MDB_txn *txn = NULL;
	st_mbox_t mb;
	int status;

	st_summary_clear(&p->sum);
	memset(p, 0, sizeof(*p));
	status = st_read_begin(st, &txn);
	if (status == STORE_OK)
		status = st_upload_load(st, txn, call, mbox, uid, &mb, &p->u);
	if (status != STORE_OK)
		goto out;
	if (p->u.received != p->u.expected) {
		status = STORE_INVALID;
		goto out;
	}
	status = st_blob_sha256(st, txn, p->u.blob_id, p->u.received, p->sha);
	if (status != STORE_OK)
		goto out;
	if (p->u.has_sha && memcmp(p->sha, p->u.sha256, 32) != 0) {
		status = STORE_INVALID;
		goto out;
	}
	status = st_blob_summary(st, txn, p->u.blob_id, p->u.received, &p->sum);
out:
	if (txn != NULL)
		mdb_txn_abort(txn);
	if (status != STORE_OK)
		st_summary_clear(&p->sum);
	return status;
}

/* Re-checks in the write txn that the upload is still the prepared one,
 * then takes it: its record goes and its charge comes off the uploader's
 * mailbox (loaded into mb, saved), before the messages it becomes are
 * charged.  The body's reference moves to the first message. */
static int take(store_t *st, MDB_txn *txn, const store_call_t *call, const char *mbox, uint64_t uid,
		const prep_t *p, st_mbox_t *mb)
{
	st_upload_t u;
	int status;

	status = st_upload_load(st, txn, call, mbox, uid, mb, &u);
	if (status == STORE_OK &&
	    (u.blob_id != p->u.blob_id || u.received != p->u.received))
		status = STORE_INVALID;
	if (status == STORE_OK)
		status = st_upload_release(st, txn, mbox, mb, uid, &u);
	return status;
}

static void fill_msg(st_msg_t *m, const prep_t *p, uint32_t flags,
                     int64_t now)
{
	m->flags = flags;
	m->blob_id = p->u.blob_id;
	m->size = p->u.received;
	m->received = now;
	memcpy(m->sha256, p->sha, 32);
	st_msg_set_summary(m, &p->sum);
}

struct commit_ctx {
	const store_call_t *call;   /* NULL: trusted */
	const char *uploader;  /* whose upload it is */
	const char *mbox, *folder;  /* where it goes (append) / who sends */
	uint64_t uid;
	uint32_t flags;
	prep_t p;
	const store_send_t *send;   /* submit: where it goes */
	int64_t now;
	store_result_t *res;   /* out: res->id the new / sent id */
	size_t bad;          /* out: failing recipient */
};

/* st_prepare_fn: the upload's digest and summary, before the write lock. */
static int commit_prepare(store_t *st, void *vctx)
{
	struct commit_ctx *c = vctx;
	int status = prepare(st, c->call, c->uploader, c->uid, &c->p);

	c->now = st_now();
	return status;
}

static int append_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct commit_ctx *c = vctx;
	st_msg_t *m = NULL;
	st_folder_t f;
	st_mbox_t mb;
	int status;

	status = take(st, txn, c->call, c->uploader, c->uid, &c->p, &mb);
	if (status == STORE_OK && strcmp(c->mbox, c->uploader) != 0)
		status = st_mbox_load(st, txn, c->mbox, 0, &mb);
	if (status == STORE_OK)
		status = st_folder_by_path(st, txn, mb.mbid, c->folder, &f);
	st_target_t at = { c->mbox, mb.mbid, &f, 0, c->flags };
	if (status == STORE_OK)
		status = st_touch(st, txn, c->call, STORE_ACT_MSG_INSERT, 1, &at);
	if (status != STORE_OK)
		goto out;
	m = calloc(1, sizeof(*m));
	if (m == NULL) {
		status = STORE_INTERNAL;
		goto out;
	}
	mb.change++;
	fill_msg(m, &c->p, c->flags, c->now);
	status = st_msg_insert(st, txn, &mb, f.id, m, &c->res->id);
	if (status == STORE_OK)
		status = st_mbox_save(st, txn, c->mbox, &mb);
out:
	free(m);
	return status;
}

int store_upload_commit_append(store_t *st, const char *mbox,
                               uint64_t upload_id, const char *folder,
                               uint32_t flags, uint64_t *id_r)
{
	store_result_t res;
	int status = store_upload_commit_append_as(st, NULL, mbox, upload_id, mbox, folder, flags,
	                                           &res);

	*id_r = res.id;
	return status;
}

int store_upload_commit_append_as(store_t *st, const store_call_t *call, const char *uploader,
                                  uint64_t upload_id, const char *mbox, const char *folder,
                                  uint32_t flags, store_result_t *res_r)
{
	struct commit_ctx c = { .call = call, .uploader = uploader, .mbox = mbox,
	                        .folder = folder, .uid = upload_id, .flags = flags,
	                        .res = res_r };
	int status;

	memset(res_r, 0, sizeof(*res_r));
	status = st_valid_flags(flags);
	if (status == STORE_OK)
		status = st_valid_path(folder);
	if (status == STORE_OK)
		status = st_run(st, call, STORE_OP_APPEND, commit_prepare, append_txn, &c, res_r);
	st_summary_clear(&c.p.sum);
	return status;
}

/* Sending as the mailbox: the guard asked about POST on its Outbox. */
static int post_allowed(store_t *st, MDB_txn *txn, const struct commit_ctx *c,
                        const st_mbox_t *mb)
{
	st_folder_t f;
	int status;

	if (!st_asks(c->call, c->mbox))
		return STORE_OK;
	status = st_folder_by_path(st, txn, mb->mbid, STORE_FOLDER_OUTBOX, &f);
	st_target_t at = { c->mbox, mb->mbid, &f, 0, 0 };
	if (status == STORE_OK)
		status = st_touch(st, txn, c->call, STORE_ACT_POST, 1, &at);
	return status;
}

/* The same for mailbox sender, loaded here. */
static int post_allowed_in(store_t *st, MDB_txn *txn, const store_call_t *call,
                           const char *sender)
{
	struct commit_ctx c = { .call = call, .mbox = sender };
	st_mbox_t mb;
	int status = st_mbox_load(st, txn, sender, 0, &mb);

	return status == STORE_OK ? post_allowed(st, txn, &c, &mb) : status;
}

/* One distinct mailbox taking part in a submit. */
typedef struct party {
	const char *name;
	size_t rindex;     /* first index in rcpts; SIZE_MAX: not a recipient */
	st_mbox_t mb;
} party_t;

/* The hand-over of send's remote recipients (see store.h), charged to
 * the uploader's mailbox mbid: one more reference to the body. */
static int record_handover(store_t *st, MDB_txn *txn, struct commit_ctx *c, uint64_t mbid)
{
	const store_send_t *send = c->send;
	store_handover_t h = {.mbid = mbid, .blob_id = c->p.u.blob_id, .size = c->p.u.received,
			      .created = c->now, .next_try = c->now, .mailbox = c->uploader,
			      .sender = send->envelope, .message_id = send->message_id ? send->message_id : "",
			      .last_error = "", .n_rcpts = send->n_remote, .rcpts = (const char **)send->remote};
	uint64_t waiting;
	int status = st_handover_count(st, txn, mbid, &waiting);

	if (status == STORE_OK && waiting >= STORE_HANDOVER_MAX)
		status = STORE_LIMIT;
	if (status == STORE_OK)
		status = st_meta_next(st, txn, "next_handover", &h.id);
	if (status == STORE_OK)
		status = st_handover_put(st, txn, &h);
	if (status == STORE_OK)
		status = st_blob_ref(st, txn, c->p.u.blob_id, 1);
	return status;
}

/* The result a repeat gets too: the copy and how many went where. */
static int submit_result(struct commit_ctx *c, uint64_t sent_id)
{
	c->res->id = sent_id;
	c->res->ids = calloc(2, sizeof(uint64_t));
	if (c->res->ids == NULL)
		return STORE_INTERNAL;
	c->res->done = 2;
	c->res->ids[0] = c->send->n;
	c->res->ids[1] = c->send->n_remote;
	return STORE_OK;
}

static int submit_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct commit_ctx *c = vctx;
	const store_send_t *send = c->send;
	party_t *pt = NULL;
	st_msg_t *m = NULL;
	st_folder_t f;
	size_t np = 1, i, j;
	uint64_t id, sent_id = 0, uploader_mbid = 0;
	int status = STORE_INTERNAL;

	c->bad = SIZE_MAX;
	pt = calloc(send->n + 1, sizeof(*pt));
	m = calloc(1, sizeof(*m));
	if (pt == NULL || m == NULL)
		goto out;
	pt[0].name = c->mbox;
	pt[0].rindex = SIZE_MAX;
	status = take(st, txn, c->call, c->uploader, c->uid, &c->p, &pt[0].mb);
	uploader_mbid = pt[0].mb.mbid;
	if (status == STORE_OK && strcmp(c->mbox, c->uploader) != 0)
		status = st_mbox_load(st, txn, c->mbox, 0, &pt[0].mb);
	if (status == STORE_OK)
		status = post_allowed(st, txn, c, &pt[0].mb);
	if (status != STORE_OK)
		goto out;
	/* Load every distinct recipient before writing anything. */
	for (i = 0; i < send->n; i++) {
		for (j = 0; j < np && strcmp(pt[j].name, send->rcpts[i]) != 0; j++)
			;
		if (j == np) {
			pt[np].name = send->rcpts[i];
			pt[np].rindex = i;
			status = st_mbox_load(st, txn, send->rcpts[i], 0, &pt[np].mb);
			if (status != STORE_OK) {
				c->bad = i;
				goto out;
			}
			np++;
		}
		if (pt[j].rindex == SIZE_MAX)
			pt[j].rindex = i;
	}
	for (i = 0; i < np; i++)
		pt[i].mb.change++;
	/* sender's copy */
	status = st_folder_by_path(st, txn, pt[0].mb.mbid, STORE_FOLDER_SENT, &f);
	if (status == STORE_OK) {
		fill_msg(m, &c->p, STORE_FLAG_SEEN, c->now);
		status = st_msg_insert(st, txn, &pt[0].mb, f.id, m, &sent_id);
	}
	if (status != STORE_OK)
		goto out;
	for (i = 0; i < np; i++) {
		if (pt[i].rindex == SIZE_MAX)
			continue;
		status = st_folder_by_path(st, txn, pt[i].mb.mbid,
		                           STORE_FOLDER_INBOX, &f);
		if (status == STORE_OK) {
			fill_msg(m, &c->p, 0, c->now);
			status = st_msg_insert(st, txn, &pt[i].mb, f.id, m, &id);
		}
		if (status == STORE_OK)
			status = st_blob_ref(st, txn, c->p.u.blob_id, 1);
		if (status != STORE_OK) {
			c->bad = pt[i].rindex;
			goto out;
		}
	}
	if (send->n_remote > 0)
		status = record_handover(st, txn, c, uploader_mbid);
	for (i = 0; i < np && status == STORE_OK; i++)
		status = st_mbox_save(st, txn, pt[i].name, &pt[i].mb);
	if (status == STORE_OK)
		status = submit_result(c, sent_id);
out:
	free(pt);
	free(m);
	return status;
}

int store_upload_commit_submit(store_t *st, const char *sender,
                               uint64_t upload_id, const char *const *rcpts,
                               size_t n, uint64_t *sent_id_r,
                               size_t *bad_index_r)
{
	store_send_t send = { .rcpts = rcpts, .n = n };
	store_result_t res;
	int status = store_upload_commit_submit_as(st, NULL, sender, upload_id, sender, &send,
	                                           &res, bad_index_r);

	*sent_id_r = res.id;
	store_result_clear(&res);
	return status;
}

/* A send's arguments: INVALID (with *bad_index_r for a recipient) or OK. */
static int check_send(const store_send_t *send, size_t *bad_index_r)
{
	size_t i;

	if (send->n + send->n_remote == 0 || send->n > STORE_RCPT_MAX ||
	    send->n_remote > STORE_RCPT_MAX || (send->n > 0 && send->rcpts == NULL))
		return STORE_INVALID;
	for (i = 0; i < send->n; i++) {
		if (st_valid_mailbox_name(send->rcpts[i]) != STORE_OK) {
			*bad_index_r = i;
			return STORE_INVALID;
		}
	}
	if (send->n_remote == 0)
		return STORE_OK;
	if (send->remote == NULL || store_address_check(send->envelope) != STORE_OK)
		return STORE_INVALID;
	for (i = 0; i < send->n_remote; i++)
		if (store_address_check(send->remote[i]) != STORE_OK)
			return STORE_INVALID;
	return STORE_OK;
}

int store_upload_commit_submit_as(store_t *st, const store_call_t *call, const char *uploader,
                                  uint64_t upload_id, const char *sender,
                                  const store_send_t *send, store_result_t *res_r,
                                  size_t *bad_index_r)
{
	struct commit_ctx c = { .call = call, .uploader = uploader, .mbox = sender,
	                        .uid = upload_id, .send = send, .res = res_r, .bad = SIZE_MAX };
	int status;

	memset(res_r, 0, sizeof(*res_r));
	*bad_index_r = SIZE_MAX;
	status = check_send(send, bad_index_r);
	if (status != STORE_OK)
		return status;
	status = st_run(st, call, STORE_OP_SUBMIT, commit_prepare, submit_txn, &c, res_r);
	if (status != STORE_OK)
		*bad_index_r = c.bad;
	st_summary_clear(&c.p.sum);
	return status;
}

/* Bytes of header lines put before an upload at most (before CRLF). */
#define ST_PREPEND_MAX 4096u

struct prepend_ctx {
	const store_call_t *call;
	const char *uploader, *sender;
	uint64_t uid;
	const void *prefix;
	size_t len;
};

/* Copies blob from into blob to (which already holds at bytes), by chunks
 * read into a buffer: pointers into the map do not survive our own puts. */
static int blob_copy(store_t *st, MDB_txn *txn, uint64_t from, uint64_t size, uint64_t to,
                     uint64_t at)
{
	unsigned char *buf = malloc(STORE_CHUNK_SIZE);
	int status = buf ? STORE_OK : STORE_INTERNAL;
	for (uint64_t off = 0; status == STORE_OK && off < size; off += STORE_CHUNK_SIZE) {
		size_t n = size - off < STORE_CHUNK_SIZE ? (size_t)(size - off) : STORE_CHUNK_SIZE;
		status = st_blob_read(st, txn, from, size, off, buf, n);
		if (status == STORE_OK)
			status = st_blob_append(st, txn, to, at + off, buf, n);
	}
	free(buf);
	return status;
}

static int prepend_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct prepend_ctx *c = vctx;
	st_mbox_t mb;
	st_upload_t u;
	unsigned char sha[32];
	uint64_t nb = 0;
	int status = st_upload_load(st, txn, c->call, c->uploader, c->uid, &mb, &u);
	if (status == STORE_OK && c->sender != NULL)
		status = post_allowed_in(st, txn, c->call, c->sender);
	if (status == STORE_OK && u.received != u.expected)
		status = STORE_INVALID;
	/* Already there (a send retried after a crash or a failed commit):
	 * once is enough. */
	if (status == STORE_OK && !u.has_sha && u.received >= c->len) {
		unsigned char *head = malloc(c->len);
		status = head ? st_blob_read(st, txn, u.blob_id, u.received, 0, head, c->len)
			      : STORE_INTERNAL;
		int same = status == STORE_OK && memcmp(head, c->prefix, c->len) == 0;
		free(head);
		if (same)
			return STORE_OK;
	}
	/* The client's digest covers what it sent: check it before changing it. */
	if (status == STORE_OK && u.has_sha) {
		status = st_blob_sha256(st, txn, u.blob_id, u.received, sha);
		if (status == STORE_OK && memcmp(sha, u.sha256, 32) != 0)
			status = STORE_INVALID;
	}
	if (status == STORE_OK)
		status = st_blob_new(st, txn, &nb);
	if (status == STORE_OK)
		status = st_blob_append(st, txn, nb, 0, c->prefix, c->len);
	if (status == STORE_OK)
		status = blob_copy(st, txn, u.blob_id, u.received, nb, c->len);
	if (status == STORE_OK)
		status = st_blob_ref(st, txn, u.blob_id, -1);
	if (status == STORE_OK) {
		u.blob_id = nb;
		u.received = u.expected = u.received + c->len;
		u.has_sha = 0;
		status = st_upload_save(st, txn, c->uid, &u);
	}
	/* The upload grew: so does what it holds of the quota. */
	mb.upload_bytes += c->len;
	if (status == STORE_OK)
		status = st_mbox_save(st, txn, c->uploader, &mb);
	return status;
}

int store_upload_head_as(store_t *st, const store_call_t *call, const char *uploader,
                         uint64_t upload_id, void *buf, size_t max, size_t *len_r,
                         uint64_t *size_r)
{
	MDB_txn *txn = NULL;
	st_mbox_t mb;
	st_upload_t u;
	int status = st_read_begin(st, &txn);

	*len_r = 0;
	*size_r = 0;
	if (status == STORE_OK)
		status = st_upload_load(st, txn, call, uploader, upload_id, &mb, &u);
	if (status == STORE_OK && u.received != u.expected)
		status = STORE_INVALID;
	size_t n = status == STORE_OK && u.received < max ? (size_t)u.received : max;
	if (status == STORE_OK && n > 0)
		status = st_blob_read(st, txn, u.blob_id, u.received, 0, buf, n);
	if (txn != NULL)
		mdb_txn_abort(txn);
	if (status == STORE_OK) {
		*len_r = n;
		*size_r = u.received;
	}
	return status;
}

/* Whether the body's first line ends in CRLF (read before the write lock). */
static int first_line_crlf(store_t *st, const char *uploader, uint64_t uid)
{
	char buf[1024];
	size_t n;
	uint64_t size;
	if (store_upload_head_as(st, NULL, uploader, uid, buf, sizeof(buf), &n, &size) != STORE_OK)
		return 0;
	const char *nl = memchr(buf, '\n', n);
	return nl != NULL && nl > buf && nl[-1] == '\r';
}

/* Header lines as store_upload_prepend_as takes them: each "Name: value"
 * ending in "\n", nothing else of control but tabs. */
static int header_lines_ok(const char *header, size_t n)
{
	size_t start = 0;
	if (n == 0 || n > ST_PREPEND_MAX || header[n - 1] != '\n')
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)header[i];
		if (ch == '\n') {
			const char *colon = memchr(header + start, ':', i - start);
			if (colon == NULL || colon == header + start)
				return 0;
			start = i + 1;
		} else if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
			return 0;
		}
	}
	return 1;
}

int store_upload_prepend_as(store_t *st, const store_call_t *call, const char *uploader,
                            uint64_t upload_id, const char *sender, const char *header)
{
	size_t n = header ? strnlen(header, ST_PREPEND_MAX + 1) : 0;
	if (!header_lines_ok(header, n))
		return STORE_INVALID;
	int crlf = first_line_crlf(st, uploader, upload_id);
	char *block = malloc(2 * n);
	size_t len = 0;
	if (block == NULL)
		return STORE_INTERNAL;
	for (size_t i = 0; i < n; i++) {
		if (header[i] == '\n' && crlf)
			block[len++] = '\r';
		block[len++] = header[i];
	}
	struct prepend_ctx c = { call, uploader, sender, upload_id, block, len };
	int status = st_write(st, prepend_txn, &c);
	free(block);
	return status;
}

int store_upload_prepend_header(store_t *st, const char *uploader, uint64_t upload_id,
                                const char *header)
{
	char line[ST_PREPEND_MAX + 1];
	size_t n = strlen(header);
	if (n == 0 || n + 1 > ST_PREPEND_MAX || memchr(header, '\n', n))
		return STORE_INVALID;
	snprintf(line, sizeof(line), "%s\n", header);
	return store_upload_prepend_as(st, NULL, uploader, upload_id, NULL, line);
}
