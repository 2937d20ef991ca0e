/*
 * store_message.c -- message operations: append (and restore with a
 * chosen id), get, fetch (range).  Changes to stored messages are in
 * store_change.c.
 */
#include "store_int.h"

#include <openssl/evp.h>
#include <string.h>

struct append_ctx {
	const store_call_t *call;
	const char *mbox, *folder;
	const void *body;
	size_t len;
	uint32_t flags;
	int64_t received;
	const unsigned char *sha256;
	const st_summary_t *sum;
	uint64_t want_id; /* restore: the id the message must get; 0: next */
	uint64_t id;   /* out */
	store_result_t *res;   /* _as: out */
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
	st_target_t at = { c->mbox, mb.mbid, &f, 0, c->flags };
	if (status == STORE_OK)
		status = st_touch(st, txn, c->call, STORE_ACT_MSG_INSERT, 1, &at);
	if (status == STORE_OK)
		status = st_msg_admit(st, txn, &mb, c->len);
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
	if (status == STORE_OK && c->res != NULL)
		c->res->id = c->id;
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

/* Checks and summarises c's body outside the transaction (so that a
 * retried write does not do it again); sha and sum live as long as c. */
static int append_prepare(struct append_ctx *c, unsigned char sha[32],
                          st_summary_t *sum)
{
	unsigned int shalen = 0;

	if ((c->body == NULL && c->len > 0) || st_valid_flags(c->flags) != STORE_OK)
		return STORE_INVALID;
	if (EVP_Digest(c->len ? c->body : "", c->len, sha, &shalen, EVP_sha256(), NULL) != 1) {
		st_log(STORE_LOG_ERR, "EVP_Digest failed");
		return STORE_INTERNAL;
	}
	c->sha256 = sha;
	c->sum = sum;
	if (c->received == 0)
		c->received = st_now();
	return st_summary_parse(c->body, c->len < ST_HEADER_SCAN_MAX ? c->len :
	                        ST_HEADER_SCAN_MAX, sum);
}

int store_message_restore(store_t *st, const char *mbox, const char *folder,
                          uint64_t want_id, const void *body, size_t len,
                          uint32_t flags, int64_t received, uint64_t *id_r)
{
	struct append_ctx c = { NULL, mbox, folder, body, len, flags, received, NULL, NULL, want_id, 0,
	                        NULL };
	st_summary_t sum;
	unsigned char sha[32];
	int status;

	*id_r = 0;
	memset(&sum, 0, sizeof(sum));
	status = append_prepare(&c, sha, &sum);
	if (status == STORE_OK)
		status = st_write(st, append_txn, &c);
	if (status == STORE_OK)
		*id_r = c.id;
	st_summary_clear(&sum);
	return status;
}

int store_message_append_as(store_t *st, const store_call_t *call, const char *mbox,
                            const char *folder, const void *body, size_t len, uint32_t flags,
                            const unsigned char *sha256, store_result_t *res_r)
{
	struct append_ctx c = { call, mbox, folder, body, len, flags, 0, NULL, NULL, 0, 0, res_r };
	st_summary_t sum;
	unsigned char sha[32];
	int status;

	memset(res_r, 0, sizeof(*res_r));
	memset(&sum, 0, sizeof(sum));
	/* Checked before the op is looked up: a body that is not what its
	 * digest says was never this call's. */
	status = append_prepare(&c, sha, &sum);
	if (status == STORE_OK && memcmp(sha, sha256, sizeof(sha)) != 0)
		status = STORE_INVALID;
	if (status == STORE_OK)
		status = st_run(st, call, STORE_OP_APPEND, NULL, append_txn, &c, res_r);
	st_summary_clear(&sum);
	return status;
}

/* Read-side helper: loads mailbox and message into a fresh read txn and
 * asks the guard (if any) to let the caller read it. */
static int read_msg(store_t *st, const store_call_t *call, const char *mbox, uint64_t id,
                    MDB_txn **txn_r, st_mbox_t *mb, st_msg_t *m)
{
	st_folder_t f;
	int status;

	status = st_read_begin(st, txn_r);
	if (status == STORE_OK)
		status = st_mbox_load(st, *txn_r, mbox, 0, mb);
	if (status == STORE_OK)
		status = st_msg_load(st, *txn_r, mb->mbid, id, m);
	if (status != STORE_OK || !st_asks(call, mbox))
		return status;
	status = st_folder_by_id(st, *txn_r, mb->mbid, m->folder_id, &f);
	st_target_t at = { mbox, mb->mbid, &f, id, 0 };
	if (status == STORE_OK)
		status = st_touch(st, *txn_r, call, STORE_ACT_MSG_READ, 1, &at);
	return status;
}

int store_message_get(store_t *st, const char *mbox, uint64_t id,
                      store_msginfo_t **info_r)
{
	return store_message_get_as(st, NULL, mbox, id, info_r);
}

int store_message_get_as(store_t *st, const store_call_t *call, const char *mbox, uint64_t id,
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
	status = read_msg(st, call, mbox, id, &txn, &mb, m);
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
	uint64_t size;
	unsigned char sha[32];

	return store_message_fetch_as(st, NULL, mbox, id, offset, buf, maxlen, len_r, &size, sha);
}

int store_message_fetch_as(store_t *st, const store_call_t *call, const char *mbox,
                           uint64_t id, uint64_t offset, void *buf, size_t maxlen,
                           size_t *len_r, uint64_t *size_r, unsigned char *sha256_r)
{
	MDB_txn *txn = NULL;
	st_msg_t *m = NULL;
	st_mbox_t mb;
	size_t n;
	int status = STORE_INTERNAL;

	*len_r = 0;
	*size_r = 0;
	if (buf == NULL && maxlen > 0) {
		status = STORE_INVALID;
		goto out;
	}
	m = malloc(sizeof(*m));
	if (m == NULL)
		goto out;
	status = read_msg(st, call, mbox, id, &txn, &mb, m);
	if (status != STORE_OK)
		goto out;
	if (offset > m->size) {
		status = STORE_INVALID;
		goto out;
	}
	n = m->size - offset < maxlen ? (size_t)(m->size - offset) : maxlen;
	status = st_blob_read(st, txn, m->blob_id, m->size, offset, buf, n);
	if (status == STORE_OK) {
		*len_r = n;
		*size_r = m->size;
		memcpy(sha256_r, m->sha256, 32);
	}
out:
	if (txn != NULL)
		mdb_txn_abort(txn);
	free(m);
	return status;
}
