/*
 * store_message.c -- message operations: append (and restore with a
 * chosen id), get, fetch (range).  Changes to stored messages are in
 * store_change.c.
 */
#include "store_int.h"

#include <openssl/evp.h>
#include <string.h>

struct append_ctx {
	const char *mbox, *folder;
	const void *body;
	size_t len;
	uint32_t flags;
	int64_t received;
	const unsigned char *sha256;
	const st_summary_t *sum;
	uint64_t want_id; /* restore: the id the message must get; 0: next */
	uint64_t id;   /* out */
};

static int append_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct append_ctx *c = vctx;
	st_mbox_t mb;
	st_folder_t f;
	st_msg_t *m = NULL;
	int status;

	c->id = 0;
	status = st_mbox_load(st, txn, c->mbox, 0, &mb);
	if (status == STORE_OK)
		status = st_folder_by_path(st, txn, mb.mbid, c->folder, &f);
	if (status == STORE_OK)
		status = st_msg_admit(st, &mb, c->len);
	if (status != STORE_OK)
		goto out;
	m = calloc(1, sizeof(*m));
	if (m == NULL) {
		status = STORE_INTERNAL;
		goto out;
	}
	mb.change++;
	uint64_t next = mb.next_msg_id;
	if (c->want_id != 0) {
		/* A restored message keeps its id; ids stay never reused. */
		status = st_msg_load(st, txn, mb.mbid, c->want_id, m);
		if (status != STORE_NOTFOUND) {
			status = status == STORE_OK ? STORE_EXISTS : status;
			goto out;
		}
		mb.next_msg_id = c->want_id;
	}
	m->flags = c->flags;
	m->size = c->len;
	m->received = c->received;
	memcpy(m->sha256, c->sha256, 32);
	st_msg_set_summary(m, c->sum);
	status = st_blob_new(st, txn, &m->blob_id);
	if (status == STORE_OK)
		status = st_blob_append(st, txn, m->blob_id, 0, c->body, c->len);
	if (status == STORE_OK)
		status = st_msg_insert(st, txn, &mb, f.id, m, &c->id);
	if (status == STORE_OK && c->want_id != 0 && next > mb.next_msg_id)
		mb.next_msg_id = next;
	if (status == STORE_OK)
		status = st_mbox_save(st, txn, c->mbox, &mb);
out:
	free(m);
	return status;
}

int store_message_append(store_t *st, const char *mbox, const char *folder,
                         const void *body, size_t len, uint32_t flags,
                         int64_t received, uint64_t *id_r)
{
	return store_message_restore(st, mbox, folder, 0, body, len, flags, received, id_r);
}

int store_message_restore(store_t *st, const char *mbox, const char *folder,
                          uint64_t want_id, const void *body, size_t len,
                          uint32_t flags, int64_t received, uint64_t *id_r)
{
	struct append_ctx c;
	st_summary_t sum;
	unsigned char sha[32];
	unsigned int shalen = 0;
	int status;

	*id_r = 0;
	memset(&sum, 0, sizeof(sum));
	memset(&c, 0, sizeof(c));
	if ((body == NULL && len > 0) || st_valid_flags(flags) != STORE_OK) {
		status = STORE_INVALID;
		goto out;
	}
	if (len > st->opt.max_message_size) {
		status = STORE_TOOBIG;
		goto out;
	}
	/* Outside the txn: not repeated if the write is retried. */
	if (EVP_Digest(len ? body : "", len, sha, &shalen, EVP_sha256(), NULL) != 1) {
		fprintf(stderr, "store: EVP_Digest failed\n");
		status = STORE_INTERNAL;
		goto out;
	}
	status = st_summary_parse(body, len < ST_HEADER_SCAN_MAX ? len :
	                          ST_HEADER_SCAN_MAX, &sum);
	if (status != STORE_OK)
		goto out;
	c.mbox = mbox;
	c.folder = folder;
	c.body = body;
	c.len = len;
	c.flags = flags;
	c.received = received ? received : st_now();
	c.sha256 = sha;
	c.sum = &sum;
	c.want_id = want_id;
	status = st_write(st, append_txn, &c);
	if (status == STORE_OK)
		*id_r = c.id;
out:
	st_summary_clear(&sum);
	return status;
}

/* Read-side helper: loads mailbox and message into a fresh read txn. */
static int read_msg(store_t *st, const char *mbox, uint64_t id,
                    MDB_txn **txn_r, st_mbox_t *mb, st_msg_t *m)
{
	int status;

	status = st_read_begin(st, txn_r);
	if (status == STORE_OK)
		status = st_mbox_load(st, *txn_r, mbox, 0, mb);
	if (status == STORE_OK)
		status = st_msg_load(st, *txn_r, mb->mbid, id, m);
	return status;
}

int store_message_get(store_t *st, const char *mbox, uint64_t id,
                      store_msginfo_t **info_r)
{
	store_msginfo_t *info = NULL;
	MDB_txn *txn = NULL;
	st_msg_t *m = NULL;
	st_mbox_t mb;
	int status = STORE_INTERNAL;

	*info_r = NULL;
	m = malloc(sizeof(*m));
	info = calloc(1, sizeof(*info));
	if (m == NULL || info == NULL)
		goto out;
	status = read_msg(st, mbox, id, &txn, &mb, m);
	if (status == STORE_OK)
		status = st_msg_to_info(st, txn, mb.mbid, id, m, info);
	if (status == STORE_OK) {
		*info_r = info;
		info = NULL;
	}
out:
	if (txn != NULL)
		mdb_txn_abort(txn);
	store_msginfo_free(&info);
	free(m);
	return status;
}

int store_message_fetch(store_t *st, const char *mbox, uint64_t id,
                        uint64_t offset, void *buf, size_t maxlen,
                        size_t *len_r)
{
	MDB_txn *txn = NULL;
	st_msg_t *m = NULL;
	st_mbox_t mb;
	size_t n;
	int status = STORE_INTERNAL;

	*len_r = 0;
	if (buf == NULL && maxlen > 0) {
		status = STORE_INVALID;
		goto out;
	}
	m = malloc(sizeof(*m));
	if (m == NULL)
		goto out;
	status = read_msg(st, mbox, id, &txn, &mb, m);
	if (status != STORE_OK)
		goto out;
	if (offset > m->size) {
		status = STORE_INVALID;
		goto out;
	}
	n = m->size - offset < maxlen ? (size_t)(m->size - offset) : maxlen;
	status = st_blob_read(st, txn, m->blob_id, m->size, offset, buf, n);
	if (status == STORE_OK)
		*len_r = n;
out:
	if (txn != NULL)
		mdb_txn_abort(txn);
	free(m);
	return status;
}
