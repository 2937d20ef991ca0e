/*
 * store_message.c -- message operations: append, get, fetch (range),
 * move (keeps id), copy (new id, shared body), delete (to Deleted Items
 * or permanent), set/clear flags on many messages.
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

/* Moves a loaded message m (id) to folder dest_fid. */
static int move_loaded(store_t *st, MDB_txn *txn, st_mbox_t *mb, uint64_t id,
                       st_msg_t *m, uint64_t dest_fid)
{
	uint64_t src = m->folder_id;
	int64_t unread = (m->flags & STORE_FLAG_SEEN) ? 0 : 1;
	int status;

	if (src == dest_fid)
		return STORE_OK;
	status = st_fidx_del(st, txn, mb->mbid, src, id);
	if (status == STORE_OK)
		status = st_tomb_add(st, txn, mb->mbid, mb->change, src, id);
	if (status != STORE_OK)
		goto out;
	m->folder_id = dest_fid;
	m->change = mb->change;
	status = st_msg_save(st, txn, mb->mbid, id, m);
	if (status == STORE_OK)
		status = st_fidx_save(st, txn, mb->mbid, id, m);
	if (status == STORE_OK)
		status = st_folder_adjust(st, txn, mb->mbid, src, -1, -unread,
		                          -(int64_t)m->size, mb->change);
	if (status == STORE_OK)
		status = st_folder_adjust(st, txn, mb->mbid, dest_fid, 1, unread,
		                          (int64_t)m->size, mb->change);
out:
	return status;
}

struct msg_ctx {
	const char *mbox, *dest;
	uint64_t id;
	int hard;
	const uint64_t *ids;
	size_t n;
	uint32_t set, clear;
	uint64_t new_id;   /* out */
};

/* Common start of a single-message mutation: mailbox, message, dest. */
static int msg_begin(store_t *st, MDB_txn *txn, struct msg_ctx *c,
                     st_mbox_t *mb, st_msg_t **m_r, st_folder_t *dest)
{
	int status;

	*m_r = malloc(sizeof(**m_r));
	if (*m_r == NULL)
		return STORE_INTERNAL;
	status = st_mbox_load(st, txn, c->mbox, 0, mb);
	if (status == STORE_OK)
		status = st_msg_load(st, txn, mb->mbid, c->id, *m_r);
	if (status == STORE_OK)
		status = st_folder_by_path(st, txn, mb->mbid, c->dest, dest);
	if (status == STORE_OK)
		mb->change++;
	return status;
}

static int move_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct msg_ctx *c = vctx;
	st_msg_t *m = NULL;
	st_folder_t dest;
	st_mbox_t mb;
	int status;

	status = msg_begin(st, txn, c, &mb, &m, &dest);
	if (status == STORE_OK)
		status = move_loaded(st, txn, &mb, c->id, m, dest.id);
	if (status == STORE_OK)
		status = st_mbox_save(st, txn, c->mbox, &mb);
	free(m);
	return status;
}

int store_message_move(store_t *st, const char *mbox, uint64_t id,
                       const char *dest)
{
	struct msg_ctx c = { .mbox = mbox, .dest = dest, .id = id };

	return st_write(st, move_txn, &c);
}

static int copy_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct msg_ctx *c = vctx;
	st_msg_t *m = NULL;
	st_folder_t dest;
	st_mbox_t mb;
	int status;

	c->new_id = 0;
	status = msg_begin(st, txn, c, &mb, &m, &dest);
	if (status == STORE_OK)
		status = st_msg_insert(st, txn, &mb, dest.id, m, &c->new_id);
	if (status == STORE_OK)
		status = st_blob_ref(st, txn, m->blob_id, 1);
	if (status == STORE_OK)
		status = st_mbox_save(st, txn, c->mbox, &mb);
	free(m);
	return status;
}

int store_message_copy(store_t *st, const char *mbox, uint64_t id,
                       const char *dest, uint64_t *new_id_r)
{
	struct msg_ctx c = { .mbox = mbox, .dest = dest, .id = id };
	int status;

	*new_id_r = 0;
	status = st_write(st, copy_txn, &c);
	if (status == STORE_OK)
		*new_id_r = c.new_id;
	return status;
}

static int delete_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct msg_ctx *c = vctx;
	st_msg_t *m = NULL;
	st_folder_t trash;
	st_mbox_t mb;
	int status;

	status = msg_begin(st, txn, c, &mb, &m, &trash);
	if (status != STORE_OK)
		goto out;
	if (c->hard || m->folder_id == trash.id) {
		status = st_msg_remove(st, txn, &mb, c->id, 1);
		if (status == STORE_OK)
			status = st_tomb_add(st, txn, mb.mbid, mb.change, m->folder_id, c->id);
	} else
		status = move_loaded(st, txn, &mb, c->id, m, trash.id);
	if (status == STORE_OK)
		status = st_mbox_save(st, txn, c->mbox, &mb);
out:
	free(m);
	return status;
}

int store_message_delete(store_t *st, const char *mbox, uint64_t id, int hard)
{
	struct msg_ctx c = { .mbox = mbox, .dest = STORE_FOLDER_DELETED,
	                     .id = id, .hard = hard };

	return st_write(st, delete_txn, &c);
}

static int flags_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct msg_ctx *c = vctx;
	st_msg_t *m = NULL;
	st_mbox_t mb;
	uint32_t nf;
	int64_t du;
	size_t i;
	int status;

	m = malloc(sizeof(*m));
	if (m == NULL) {
		status = STORE_INTERNAL;
		goto out;
	}
	status = st_mbox_load(st, txn, c->mbox, 0, &mb);
	if (status != STORE_OK)
		goto out;
	mb.change++;
	for (i = 0; i < c->n; i++) {
		status = st_msg_load(st, txn, mb.mbid, c->ids[i], m);
		if (status != STORE_OK)
			goto out;
		nf = (m->flags | c->set) & ~c->clear;
		if (nf == m->flags)
			continue;
		du = (int64_t)((nf & STORE_FLAG_SEEN) == 0) -
		     (int64_t)((m->flags & STORE_FLAG_SEEN) == 0);
		m->flags = nf;
		m->change = mb.change;
		status = st_msg_save(st, txn, mb.mbid, c->ids[i], m);
		if (status == STORE_OK)
			status = st_fidx_save(st, txn, mb.mbid, c->ids[i], m);
		if (status == STORE_OK)
			status = st_folder_adjust(st, txn, mb.mbid, m->folder_id,
			                          0, du, 0, mb.change);
		if (status != STORE_OK)
			goto out;
	}
	status = st_mbox_save(st, txn, c->mbox, &mb);
out:
	free(m);
	return status;
}

int store_message_set_flags(store_t *st, const char *mbox,
                            const uint64_t *ids, size_t n,
                            uint32_t set, uint32_t clear)
{
	struct msg_ctx c = { .mbox = mbox, .ids = ids, .n = n, .set = set,
	                     .clear = clear };

	if (ids == NULL || n == 0 || n > STORE_BATCH_MAX ||
	    st_valid_flags(set) != STORE_OK || st_valid_flags(clear) != STORE_OK)
		return STORE_INVALID;
	return st_write(st, flags_txn, &c);
}
