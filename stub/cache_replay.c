/*
 * cache_replay.c -- mailrpc_cache_replay: sending the offline changes of
 * the journal (cache_journal.c) to the server in order, each with the
 * operation id it was recorded with, and removing each entry only once
 * the server answered it.  A refusal drops the entry (told to the caller)
 * and re-reads the message from the server so the cached view matches it
 * (a refused send is kept in Drafts first); a lost link or a server fault
 * stops with the entry kept.  A message the server moved has a new id
 * there: the cache keeps its summary and body under it, and later entries
 * about it follow.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>

#include "cache_int.h"

#define DELETED_ITEMS "Deleted Items"
#define DRAFTS "Drafts"
#define UPLOAD_CHUNK 65536

/* Whether status is the server's definitive answer (not worth retrying). */
static int definitive(int status)
{
	return status > MAILRPC_OK && status < MAILRPC_E_USAGE && status != MAILRPC_E_BUSY &&
	       status != MAILRPC_E_INTERNAL;
}

/* *new_id_r: the message's id after the change (0: gone for good). */
static int call_batch(struct mailrpc *conn, const struct mc_entry *e, uint64_t *new_id_r,
		      struct mailrpc_error *err)
{
	mr_id id = e->id;
	mr_batch_res res;
	memset(&res, 0, sizeof(res));
	int status;
	*new_id_r = 0;
	if (e->kind == MC_DELETE && e->hard) {
		mr_delete_args a = {.ids = {1, &id}, .hard = 1};
		memcpy(a.op, e->op, sizeof(a.op));
		status = mr_call(conn, MR_MSG_DELETE, (xdrproc_t)xdr_mr_delete_args, &a,
				 (xdrproc_t)xdr_mr_batch_res, &res, err);
	} else {
		/* A delete not meant to be permanent is a move to Deleted Items:
		 * if the server put it there already, it stays there. */
		const char *to = e->kind == MC_MOVE ? e->folder : DELETED_ITEMS;
		mr_move_args a = {.ids = {1, &id}, .folder = (char *)to};
		memcpy(a.op, e->op, sizeof(a.op));
		status = mr_call(conn, MR_MSG_MOVE, (xdrproc_t)xdr_mr_move_args, &a,
				 (xdrproc_t)xdr_mr_batch_res, &res, err);
	}
	if (status == MAILRPC_OK && res.new_ids.new_ids_len == 1)
		*new_id_r = res.new_ids.new_ids_val[0];
	xdr_free((xdrproc_t)xdr_mr_batch_res, &res);
	return status;
}

static int call_flags(struct mailrpc *conn, const struct mc_entry *e, struct mailrpc_error *err)
{
	mr_id id = e->id;
	mr_flags_args a = {.ids = {1, &id}, .set = e->set, .clear = e->clear};
	mr_res res;
	memset(&res, 0, sizeof(res));
	memcpy(a.op, e->op, sizeof(a.op));
	int status = mr_call(conn, MR_MSG_FLAGS, (xdrproc_t)xdr_mr_flags_args, &a,
			     (xdrproc_t)xdr_mr_res, &res, err);
	xdr_free((xdrproc_t)xdr_mr_res, &res);
	return status;
}

/* A queued message's bytes, for the upload. */
struct whole {
	unsigned char *p;
	size_t len;
};

static int gather(const void *data, size_t len, void *ctx)
{
	struct whole *w = ctx;
	unsigned char *grown = realloc(w->p, w->len + len + 1);
	if (grown == NULL)
		return MAILRPC_E_NOMEM;
	memcpy(grown + w->len, data, len);
	w->p = grown;
	w->len += len;
	return MAILRPC_OK;
}

/* Uploads the bytes (a fresh upload each time: cheap next to a lost send). */
static int upload_whole(struct mailrpc *conn, const struct whole *w, const unsigned char *sha256,
			uint64_t *upload_r, struct mailrpc_error *err)
{
	uint64_t got = 0;
	int status = mailrpc_upload_begin(conn, w->len, sha256, upload_r, err);
	for (uint64_t off = 0; status == MAILRPC_OK && off < w->len; off = got) {
		size_t n = w->len - off < UPLOAD_CHUNK ? w->len - off : UPLOAD_CHUNK;
		status = mailrpc_upload_append(conn, *upload_r, off, w->p + off, n, &got, err);
		if (status == MAILRPC_OK && got <= off)
			status = mr_fail(err, MAILRPC_E_RPC, "upload made no progress");
	}
	return status;
}

/*
 * A send the server refused must not take the message with it: it goes to
 * Drafts, named by an op id derived from the send's, so that a replay cut
 * off here stores it there once.  *draft_r: its id.
 */
static int keep_in_drafts(struct mailrpc *conn, const struct mc_entry *e, const struct whole *w,
			  const unsigned char *sha256, uint64_t *draft_r, struct mailrpc_error *err)
{
	unsigned char op[MAILRPC_OPID_SIZE];
	memcpy(op, e->op, sizeof(op));
	op[0] ^= 0xd5; /* a different call, so a different id */
	uint64_t upload = 0;
	int status = upload_whole(conn, w, sha256, &upload, err);
	if (status == MAILRPC_OK)
		status = mailrpc_upload_commit_append_op(conn, upload, DRAFTS, MAILRPC_FLAG_DRAFT, op,
							 draft_r, err);
	return status;
}

/* Upload, then commit with the entry's op id: a repeat gets the first
 * send's answer.  A refusal keeps the message in Drafts (*draft_r). */
static int call_send(struct mailrpc *conn, struct mailrpc_cache *c, const struct mc_entry *e,
		     uint64_t *draft_r, struct mailrpc_error *err)
{
	struct mailrpc_summary s;
	struct whole w = {NULL, 0};
	MDB_txn *txn;
	*draft_r = 0;
	int status = mc_begin(c, 0, &txn, err);
	if (status != MAILRPC_OK)
		return status;
	status = mc_summary_get(c, txn, e->id, &s, err);
	if (status == MAILRPC_OK)
		status = mc_body_each(c, txn, e->id, gather, &w, err);
	mdb_txn_abort(txn);
	if (status == MAILRPC_E_NOMEM)
		status = mr_fail(err, status, "out of memory replaying a send");
	if (status == MAILRPC_OK && w.len != s.size)
		status = mr_fail(err, MAILRPC_E_CORRUPT, "queued message %llu is damaged",
				 (unsigned long long)e->id);
	uint64_t upload = 0, sent_id = 0;
	if (status == MAILRPC_OK)
		status = upload_whole(conn, &w, s.sha256, &upload, err);
	const char **rcpts = calloc(e->n_rcpts + 1, sizeof(*rcpts));
	if (status == MAILRPC_OK && rcpts == NULL)
		status = mr_fail(err, MAILRPC_E_NOMEM, "out of memory replaying a send");
	for (size_t i = 0, off = 0; status == MAILRPC_OK && i < e->n_rcpts; i++) {
		rcpts[i] = e->rcpts + off;
		off += strlen(rcpts[i]) + 1;
	}
	if (status == MAILRPC_OK)
		status = mailrpc_upload_commit_submit_op(conn, upload, e->folder, rcpts, e->n_rcpts,
							 e->op, &sent_id, err);
	if (definitive(status)) {
		struct mailrpc_error derr;
		int kept = keep_in_drafts(conn, e, &w, s.sha256, draft_r, &derr);
		if (kept != MAILRPC_OK) {
			/* Not refused for good while the message has nowhere to go:
			 * the entry stays, and the next sync tries again. */
			char why[sizeof(err->message)];
			snprintf(why, sizeof(why), "%s", err ? err->message : "refused");
			status = mr_fail(err, definitive(kept) ? MAILRPC_E_RPC : kept,
					 "the server refused to send queued message %llu (%s) and "
					 "it could not be kept in %s: %s",
					 (unsigned long long)e->id, why, DRAFTS, derr.message);
		}
	}
	free(rcpts);
	free(w.p);
	mr_summary_clear(&s);
	return status;
}

/* What an entry does, in words. */
static void describe(const struct mc_entry *e, char *buf, size_t len)
{
	unsigned long long id = e->id;
	if (e->kind == MC_FLAGS) {
		static const char *names[] = {"seen", "flagged", "answered", "draft", "deleted"};
		int used = snprintf(buf, len, "flag %llu", id);
		for (int i = 0; i < 5 && used > 0 && (size_t)used < len; i++)
			if ((e->set | e->clear) & (1u << i))
				used += snprintf(buf + used, len - (size_t)used, " %c%s",
						 e->set & (1u << i) ? '+' : '-', names[i]);
	} else if (e->kind == MC_MOVE)
		snprintf(buf, len, "mv %llu %s", id, e->folder);
	else if (e->kind == MC_DELETE)
		snprintf(buf, len, "rm%s %llu", e->hard ? " --hard" : "", id);
	else
		snprintf(buf, len, "send %llu to %s%s", id, e->rcpts ? e->rcpts : "",
			 e->n_rcpts > 1 ? " and others" : "");
}

/* After a refusal the cached copy is shown as the server has it: its
 * summary read again (*list_r; NULL when gone there: dropped).  A refused
 * send leaves the Outbox. */
static int server_copy(struct mailrpc *conn, const struct mc_entry *e,
		       struct mailrpc_msglist **list_r, struct mailrpc_error *err)
{
	*list_r = NULL;
	if (e->kind == MC_SEND)
		return MAILRPC_OK;
	int status = mailrpc_info(conn, e->id, list_r, err);
	if (status == MAILRPC_OK && (*list_r)->count != 1)
		mailrpc_msglist_free(list_r);
	return definitive(status) ? MAILRPC_OK : status;
}

/* Removes the answered entry (and, after a send or a refusal, updates the
 * cached copy; after a move, follows the message to its new id) in one
 * transaction. */
static int settle(struct mailrpc *conn, struct mailrpc_cache *c, const struct mc_entry *e,
		  int refused, uint64_t new_id, struct mailrpc_error *err)
{
	struct mailrpc_msglist *now = NULL;
	int status = refused ? server_copy(conn, e, &now, err) : MAILRPC_OK;
	unsigned char kb[8];
	mc_put_be64(kb, e->seq);
	MDB_val k = {8, kb};
	MDB_txn *txn;
	if (status == MAILRPC_OK)
		status = mc_begin(c, 1, &txn, err);
	if (status != MAILRPC_OK) {
		mailrpc_msglist_free(&now);
		return status;
	}
	if (now != NULL)
		status = mc_summary_put(c, txn, &now->items[0], err);
	else if (refused || e->kind == MC_SEND)
		status = mc_summary_drop(c, txn, e->id, err);
	else if (new_id != 0 && new_id != e->id)
		status = mc_summary_rekey(c, txn, e->id, new_id, err);
	if (status == MAILRPC_OK && !refused && new_id != 0 && new_id != e->id)
		status = mc_journal_renumber(c, txn, e->seq, e->id, new_id, err);
	int rc = status == MAILRPC_OK ? mdb_del(txn, c->journal, &k, NULL) : 0;
	if (rc != 0)
		status = mc_fail(err, rc, "remove a replayed change");
	mailrpc_msglist_free(&now);
	return mc_end(txn, status, err);
}

/* The oldest entry, if any (*found_r). */
static int first_entry(struct mailrpc_cache *c, struct mc_entry *e, int *found_r,
		       struct mailrpc_error *err)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	*found_r = 0;
	int status = mc_begin(c, 0, &txn, err);
	if (status != MAILRPC_OK)
		return status;
	int rc = mdb_cursor_open(txn, c->journal, &cur);
	if (rc == 0) {
		rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
		if (rc == 0) {
			status = mc_entry_decode(&k, &v, e);
			if (status != MAILRPC_OK)
				status = mr_fail(err, status, "the offline journal is damaged");
			*found_r = status == MAILRPC_OK;
		}
		mdb_cursor_close(cur);
	}
	mdb_txn_abort(txn);
	if (rc != 0 && rc != MDB_NOTFOUND)
		status = mc_fail(err, rc, "read the offline journal");
	return status;
}

static int replay_all(struct mailrpc *conn, struct mailrpc_cache *cache,
		      void (*replayed)(const char *line, int dropped, void *ctx), void *ctx,
		      struct mailrpc_cache_report *report_r, struct mailrpc_error *err)
{
	int status = MAILRPC_OK, found = 1;
	/* Each turn removes the first entry or stops: bounded by the journal. */
	while (status == MAILRPC_OK && found) {
		struct mc_entry e;
		status = first_entry(cache, &e, &found, err);
		if (status != MAILRPC_OK || !found)
			break;
		struct mailrpc_error cerr;
		uint64_t draft = 0, new_id = 0;
		int answer = e.kind == MC_SEND	  ? call_send(conn, cache, &e, &draft, &cerr)
			     : e.kind == MC_FLAGS ? call_flags(conn, &e, &cerr)
						  : call_batch(conn, &e, &new_id, &cerr);
		if (answer != MAILRPC_OK && !definitive(answer)) {
			if (err != NULL)
				*err = cerr;
			mc_entry_clear(&e);
			return answer;
		}
		char what[400], line[1000];
		describe(&e, what, sizeof(what));
		if (answer == MAILRPC_OK && new_id != 0 && new_id != e.id)
			snprintf(line, sizeof(line), "%s (now %llu)", what, (unsigned long long)new_id);
		else if (answer == MAILRPC_OK)
			snprintf(line, sizeof(line), "%s", what);
		else if (answer == MAILRPC_E_NOMESSAGE || answer == MAILRPC_E_NOTFOUND)
			snprintf(line, sizeof(line),
				 "dropped: %s: message %llu is gone from the server", what,
				 (unsigned long long)e.id);
		else if (draft != 0)
			snprintf(line, sizeof(line), "dropped: %s: %s; the message is kept in %s as %llu",
				 what, cerr.message, DRAFTS, (unsigned long long)draft);
		else
			snprintf(line, sizeof(line), "dropped: %s: %s", what, cerr.message);
		status = settle(conn, cache, &e, answer != MAILRPC_OK, new_id, err);
		if (status == MAILRPC_OK && report_r) {
			report_r->replayed += answer == MAILRPC_OK;
			report_r->dropped += answer != MAILRPC_OK;
		}
		if (status == MAILRPC_OK && replayed)
			replayed(line, answer != MAILRPC_OK, ctx);
		mc_entry_clear(&e);
	}
	return status;
}

int mailrpc_cache_replay(struct mailrpc *conn, struct mailrpc_cache *cache,
			 void (*replayed)(const char *line, int dropped, void *ctx), void *ctx,
			 struct mailrpc_cache_report *report_r, struct mailrpc_error *err)
{
	if (conn == NULL || cache == NULL)
		return mr_fail(err, MAILRPC_E_USAGE,
			       "mailrpc_cache_replay: no connection or cache");
	if (cache->no_journal)
		return MAILRPC_OK;
	/* One replay at a time per cache: two would send the same entry at
	 * once, and a change's op record is written after its work. */
	int fd = -1;
	if (mdb_env_get_fd(cache->env, &fd) != 0 || flock(fd, LOCK_EX | LOCK_NB) != 0)
		return mr_fail(err, MAILRPC_E_BUSY,
			       "another mailrpc is replaying this cache's offline changes");
	int status = replay_all(conn, cache, replayed, ctx, report_r, err);
	flock(fd, LOCK_UN);
	return status;
}
