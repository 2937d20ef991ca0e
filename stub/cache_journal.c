/*
 * cache_journal.c -- offline changes (mailrpc_cache_set_flags, _move,
 * _delete, _send; see mailrpc.h): each changes the cached view at once
 * and records one journal entry per message, with its operation id, in
 * the same transaction, so the view and the journal always agree.  The
 * entries are replayed by cache_replay.c.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cache_int.h"

#define DELETED_ITEMS "Deleted Items"
#define OUTBOX "Outbox"
/* Largest message queued offline: the server's default limit. */
#define SEND_MAX ((size_t)50 << 20)
#define FIXED (4 + MAILRPC_OPID_SIZE + 4 + 4 + 4 + 8)
/* Where an entry keeps its message id (see journal_add). */
#define ENTRY_ID_AT 32

static int no_memory(struct mailrpc_error *err)
{
	return mr_fail(err, MAILRPC_E_NOMEM, "out of memory recording an offline change");
}

/* ---- entries ------------------------------------------------------------ */

int mc_entry_decode(const MDB_val *key, const MDB_val *val, struct mc_entry *e)
{
	const unsigned char *p = val->mv_data;
	memset(e, 0, sizeof(*e));
	if (key->mv_size != 8 || val->mv_size < FIXED + 1)
		return MAILRPC_E_CORRUPT;
	e->seq = mc_get_be64(key->mv_data);
	memcpy(&e->kind, p, 4);
	memcpy(e->op, p + 4, MAILRPC_OPID_SIZE);
	memcpy(&e->set, p + 20, 4);
	memcpy(&e->clear, p + 24, 4);
	memcpy(&e->hard, p + 28, 4);
	memcpy(&e->id, p + ENTRY_ID_AT, 8);
	const char *s = (const char *)p + FIXED, *end = (const char *)p + val->mv_size;
	const char *nul = memchr(s, '\0', (size_t)(end - s));
	if (nul == NULL || nul - s >= (long)sizeof(e->folder))
		return MAILRPC_E_CORRUPT;
	memcpy(e->folder, s, (size_t)(nul - s) + 1);
	e->rcpts_len = (size_t)(end - nul - 1);
	if (e->rcpts_len > 0) {
		if (end[-1] != '\0')
			return MAILRPC_E_CORRUPT;
		if ((e->rcpts = malloc(e->rcpts_len)) == NULL)
			return MAILRPC_E_NOMEM;
		memcpy(e->rcpts, nul + 1, e->rcpts_len);
		for (size_t i = 0; i < e->rcpts_len; i++)
			e->n_rcpts += e->rcpts[i] == '\0';
	}
	return MAILRPC_OK;
}

void mc_entry_clear(struct mc_entry *e)
{
	free(e->rcpts);
	e->rcpts = NULL;
}

int mc_journal_renumber(struct mailrpc_cache *c, MDB_txn *txn, uint64_t seq, uint64_t old,
			uint64_t new_id, struct mailrpc_error *err)
{
	MDB_cursor *cur;
	unsigned char kb[8];
	mc_put_be64(kb, seq + 1);
	MDB_val k = {8, kb}, v;
	int rc = mdb_cursor_open(txn, c->journal, &cur);
	if (rc != 0)
		return mc_fail(err, rc, "renumber offline changes");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		uint64_t id;
		uint32_t kind;
		if (v.mv_size < FIXED)
			continue;
		memcpy(&kind, v.mv_data, 4);
		memcpy(&id, (unsigned char *)v.mv_data + ENTRY_ID_AT, 8);
		if (id != old || kind == MC_SEND)
			continue;
		unsigned char *copy = malloc(v.mv_size);
		if (copy == NULL) {
			mdb_cursor_close(cur);
			return no_memory(err);
		}
		memcpy(copy, v.mv_data, v.mv_size);
		memcpy(copy + ENTRY_ID_AT, &new_id, 8);
		MDB_val nv = {v.mv_size, copy};
		rc = mdb_cursor_put(cur, &k, &nv, MDB_CURRENT);
		free(copy);
		if (rc != 0)
			break;
	}
	mdb_cursor_close(cur);
	return rc == 0 || rc == MDB_NOTFOUND ? MAILRPC_OK
					      : mc_fail(err, rc, "renumber offline changes");
}

/* Appends e under the next sequence number, with a fresh operation id. */
static int journal_add(struct mailrpc_cache *c, MDB_txn *txn, struct mc_entry *e,
		       struct mailrpc_error *err)
{
	int status = mailrpc_opid_new(e->op, err);
	if (status != MAILRPC_OK)
		return status;
	MDB_cursor *cur;
	MDB_val k, v;
	unsigned char kb[8];
	int rc = mdb_cursor_open(txn, c->journal, &cur);
	if (rc != 0)
		return mc_fail(err, rc, "record an offline change");
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	uint64_t seq = 1;
	if (rc == 0 && k.mv_size == 8)
		seq = mc_get_be64(k.mv_data) + 1;
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return mc_fail(err, rc, "record an offline change");
	/* A queued message's local id comes from its entry: unique. */
	if (e->kind == MC_SEND)
		e->id = MC_LOCAL_ID + seq;
	size_t flen = strlen(e->folder) + 1, len = FIXED + flen + e->rcpts_len;
	unsigned char *buf = malloc(len);
	if (buf == NULL)
		return no_memory(err);
	memcpy(buf, &e->kind, 4);
	memcpy(buf + 4, e->op, MAILRPC_OPID_SIZE);
	memcpy(buf + 20, &e->set, 4);
	memcpy(buf + 24, &e->clear, 4);
	memcpy(buf + 28, &e->hard, 4);
	memcpy(buf + ENTRY_ID_AT, &e->id, 8);
	memcpy(buf + FIXED, e->folder, flen);
	if (e->rcpts_len)
		memcpy(buf + FIXED + flen, e->rcpts, e->rcpts_len);
	e->seq = seq;
	mc_put_be64(kb, seq);
	k.mv_size = 8, k.mv_data = kb;
	v.mv_size = len, v.mv_data = buf;
	rc = mdb_put(txn, c->journal, &k, &v, 0);
	free(buf);
	return rc == 0 ? MAILRPC_OK : mc_fail(err, rc, "record an offline change");
}

/* ---- the cached view ---------------------------------------------------- */

/* A writable cache with a journal, and the folder list's entry for path. */
static int writable(struct mailrpc_cache *c, struct mailrpc_error *err)
{
	if (c == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "no offline cache");
	if (c->no_journal)
		return mr_fail(err, MAILRPC_E_USAGE,
			       "the offline cache was opened read-only (MAILRPC_CACHE_WRITE)");
	return MAILRPC_OK;
}

/* The summary of a message that is on the server (not one queued here). */
static int get_server_msg(struct mailrpc_cache *c, MDB_txn *txn, uint64_t id,
			  struct mailrpc_summary *s, struct mailrpc_error *err)
{
	if (id >= MC_LOCAL_ID)
		return mr_fail(err, MAILRPC_E_USAGE,
			       "message %llu waits in the Outbox to be sent: it cannot be changed",
			       (unsigned long long)id);
	return mc_summary_get(c, txn, id, s, err);
}

/* Moves s to folder in the view, counts too (folder "" drops it). */
static int view_move(struct mailrpc_cache *c, MDB_txn *txn, struct mailrpc_summary *s,
		     const char *folder, struct mailrpc_error *err)
{
	int unread = !(s->flags & MAILRPC_FLAG_SEEN);
	int status = mc_folder_count(c, txn, s->folder, -1, -unread, -(int64_t)s->size, err);
	if (status == MAILRPC_OK && folder[0] == '\0')
		return mc_summary_drop(c, txn, s->id, err);
	if (status == MAILRPC_OK)
		status = mc_folder_count(c, txn, folder, 1, unread, (int64_t)s->size, err);
	snprintf(s->folder, sizeof(s->folder), "%s", folder);
	return status == MAILRPC_OK ? mc_summary_put(c, txn, s, err) : status;
}

enum change { CH_FLAGS, CH_MOVE, CH_DELETE };

struct change_args {
	enum change what;
	unsigned set, clear;
	int hard;
	const char *folder;
};

/* One message: the view, then its journal entry. */
static int change_one(struct mailrpc_cache *c, MDB_txn *txn, uint64_t id,
		      const struct change_args *a, struct mailrpc_error *err)
{
	struct mailrpc_summary s;
	struct mc_entry e = {.id = id};
	int status = get_server_msg(c, txn, id, &s, err);
	if (status != MAILRPC_OK)
		return status;
	if (a->what == CH_FLAGS) {
		e.kind = MC_FLAGS, e.set = a->set, e.clear = a->clear;
		unsigned flags = (s.flags | a->set) & ~a->clear;
		int seen_was = !!(s.flags & MAILRPC_FLAG_SEEN),
		    seen = !!(flags & MAILRPC_FLAG_SEEN);
		s.flags = flags;
		status = mc_folder_count(c, txn, s.folder, 0, seen_was - seen, 0, err);
		if (status == MAILRPC_OK)
			status = mc_summary_put(c, txn, &s, err);
	} else if (a->what == CH_MOVE) {
		e.kind = MC_MOVE;
		snprintf(e.folder, sizeof(e.folder), "%s", a->folder);
		status = view_move(c, txn, &s, a->folder, err);
	} else {
		/* Hard, or already in Deleted Items: gone for good. */
		e.kind = MC_DELETE;
		e.hard = a->hard || strcmp(s.folder, DELETED_ITEMS) == 0;
		snprintf(e.folder, sizeof(e.folder), "%s", s.folder);
		status = view_move(c, txn, &s, e.hard ? "" : DELETED_ITEMS, err);
	}
	mr_summary_clear(&s);
	return status == MAILRPC_OK ? journal_add(c, txn, &e, err) : status;
}

static int change_all(struct mailrpc_cache *c, const uint64_t *ids, size_t n,
		      const struct change_args *a, struct mailrpc_error *err)
{
	int status = writable(c, err);
	if (status == MAILRPC_OK && (n == 0 || ids == NULL || n > MAILRPC_IDS_MAX))
		status = mr_fail(err, MAILRPC_E_USAGE, "give 1 to %d message ids", MAILRPC_IDS_MAX);
	if (status == MAILRPC_OK && a->folder != NULL)
		status = mc_folder_known(c, a->folder, err);
	MDB_txn *txn;
	if (status != MAILRPC_OK || (status = mc_begin(c, 1, &txn, err)) != MAILRPC_OK)
		return status;
	/* All or nothing, like the online commands' refusals before any work. */
	for (size_t i = 0; status == MAILRPC_OK && i < n; i++)
		status = change_one(c, txn, ids[i], a, err);
	return mc_end(txn, status, err);
}

int mailrpc_cache_set_flags(struct mailrpc_cache *cache, const uint64_t *ids, size_t n,
			    unsigned set, unsigned clear, struct mailrpc_error *err)
{
	const unsigned all =
	    MAILRPC_FLAG_SEEN | MAILRPC_FLAG_FLAGGED | MAILRPC_FLAG_ANSWERED | MAILRPC_FLAG_DRAFT;
	if (((set | clear) & ~all) != 0 || (set & clear) != 0 || (set | clear) == 0)
		return mr_fail(err, MAILRPC_E_USAGE, "bad flag change");
	struct change_args a = {CH_FLAGS, set, clear, 0, NULL};
	return change_all(cache, ids, n, &a, err);
}

int mailrpc_cache_move(struct mailrpc_cache *cache, const uint64_t *ids, size_t n,
		       const char *folder, struct mailrpc_error *err)
{
	if (folder == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "no folder given");
	struct change_args a = {CH_MOVE, 0, 0, 0, folder};
	return change_all(cache, ids, n, &a, err);
}

int mailrpc_cache_delete(struct mailrpc_cache *cache, const uint64_t *ids, size_t n, int hard,
			 struct mailrpc_error *err)
{
	struct change_args a = {CH_DELETE, 0, 0, hard != 0, NULL};
	return change_all(cache, ids, n, &a, err);
}

/* ---- sending ------------------------------------------------------------ */

/* Everything readable from fd, at most SEND_MAX bytes. */
static int slurp(int fd, unsigned char **buf_r, size_t *len_r, struct mailrpc_error *err)
{
	size_t cap = 65536, len = 0;
	unsigned char *buf = malloc(cap);
	for (;;) {
		if (buf == NULL)
			return no_memory(err);
		ssize_t got = read(fd, buf + len, cap - len);
		if (got == 0)
			break;
		if (got < 0) {
			free(buf);
			return mr_fail(err, MAILRPC_E_IO, "cannot read the message to send");
		}
		len += (size_t)got;
		if (len == cap) {
			if (cap >= SEND_MAX) {
				free(buf);
				return mr_fail(err, MAILRPC_E_TOOBIG, "message over %zu bytes",
					       SEND_MAX);
			}
			unsigned char *grown = realloc(buf, cap *= 2);
			if (grown == NULL)
				free(buf);
			buf = grown;
		}
	}
	*buf_r = buf;
	*len_r = len;
	return MAILRPC_OK;
}

/* The first header named name (unfolded no further than its line), or "". */
static char *header(const unsigned char *msg, size_t len, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < len;) {
		const unsigned char *eol = memchr(msg + i, '\n', len - i);
		size_t end = eol ? (size_t)(eol - msg) : len;
		if (end == i || (end == i + 1 && msg[i] == '\r'))
			break; /* end of the header */
		if (end - i > n && strncasecmp((const char *)msg + i, name, n) == 0 &&
		    msg[i + n] == ':') {
			size_t a = i + n + 1, b = end;
			while (a < b && (msg[a] == ' ' || msg[a] == '\t'))
				a++;
			while (b > a && (msg[b - 1] == '\r' || msg[b - 1] == ' '))
				b--;
			return strndup((const char *)msg + a, b > a + 1024 ? 1024 : b - a);
		}
		i = end + 1;
	}
	return strdup("");
}

static int queue_send(struct mailrpc_cache *c, MDB_txn *txn, const unsigned char *msg, size_t len,
		      struct mc_entry *e, struct mailrpc_error *err)
{
	struct mailrpc_summary s = {.folder = OUTBOX,
				    .flags = MAILRPC_FLAG_SEEN,
				    .size = len,
				    .received = (int64_t)time(NULL)};
	EVP_Digest(msg, len, s.sha256, NULL, EVP_sha256(), NULL);
	s.from = header(msg, len, "From"), s.to = header(msg, len, "To");
	s.cc = header(msg, len, "Cc"), s.subject = header(msg, len, "Subject");
	s.date = header(msg, len, "Date"), s.message_id = header(msg, len, "Message-ID");
	int status = s.from && s.to && s.cc && s.subject && s.date && s.message_id
			 ? journal_add(c, txn, e, err)
			 : no_memory(err);
	s.id = e->id;
	for (size_t off = 0; status == MAILRPC_OK && off < len; off += 65536)
		status = mc_body_append(c, txn, s.id, off, msg + off,
					len - off < 65536 ? len - off : 65536, err);
	if (status == MAILRPC_OK)
		status = mc_summary_put(c, txn, &s, err);
	if (status == MAILRPC_OK)
		status = mc_folder_count(c, txn, OUTBOX, 1, 0, (int64_t)len, err);
	mr_summary_clear(&s);
	return status;
}

int mailrpc_cache_send(struct mailrpc_cache *cache, const char *from, const char *const *rcpts,
		       size_t n, int fd, uint64_t *local_id_r, struct mailrpc_error *err)
{
	struct mc_entry e = {.kind = MC_SEND};
	unsigned char *msg = NULL;
	size_t len = 0;
	if (local_id_r)
		*local_id_r = 0;
	int status = writable(cache, err);
	if (status == MAILRPC_OK && (n == 0 || rcpts == NULL || n > MAILRPC_RCPT_MAX))
		status = mr_fail(err, MAILRPC_E_USAGE, "give 1 to %d recipients", MAILRPC_RCPT_MAX);
	for (size_t i = 0; status == MAILRPC_OK && i < n; i++)
		e.rcpts_len += strlen(rcpts[i]) + 1;
	if (status == MAILRPC_OK && (e.rcpts = malloc(e.rcpts_len + 1)) == NULL)
		status = no_memory(err);
	for (size_t i = 0, off = 0; status == MAILRPC_OK && i < n; i++) {
		memcpy(e.rcpts + off, rcpts[i], strlen(rcpts[i]) + 1);
		off += strlen(rcpts[i]) + 1;
	}
	e.n_rcpts = n;
	snprintf(e.folder, sizeof(e.folder), "%s", from ? from : "");
	if (status == MAILRPC_OK)
		status = slurp(fd, &msg, &len, err);
	MDB_txn *txn;
	if (status == MAILRPC_OK && (status = mc_begin(cache, 1, &txn, err)) == MAILRPC_OK)
		status = mc_end(txn, queue_send(cache, txn, msg, len, &e, err), err);
	if (status == MAILRPC_OK && local_id_r)
		*local_id_r = e.id;
	free(msg);
	mc_entry_clear(&e);
	return status;
}

int mailrpc_cache_pending(struct mailrpc_cache *cache, size_t *count_r, struct mailrpc_error *err)
{
	*count_r = 0;
	if (cache == NULL || cache->no_journal)
		return MAILRPC_OK;
	MDB_txn *txn;
	MDB_stat st;
	int status = mc_begin(cache, 0, &txn, err);
	if (status != MAILRPC_OK)
		return status;
	int rc = mdb_stat(txn, cache->journal, &st);
	mdb_txn_abort(txn);
	*count_r = rc == 0 ? st.ms_entries : 0;
	return rc == 0 ? MAILRPC_OK : mc_fail(err, rc, "count offline changes");
}
