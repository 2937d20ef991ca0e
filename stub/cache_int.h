/*
 * cache_int.h -- what the offline cache's files (cache_db.c, cache_sync.c,
 * cache_read.c) share and never export: the LMDB layout and its helpers.
 *
 * Layout, one named database each:
 *   meta     "folders" -> the server's folder list (struct mailrpc_folder[])
 *            "folder_ids" -> their ids (uint64_t[], same order)
 *            "hierarchy_state" -> FOLDER_SYNC state (uint64_t)
 *   state    folder path -> uint64_t sync state (present once synced)
 *   summary  id (8 bytes big-endian, so cursors walk in id order) -> summary
 *   body     id + offset (8 + 8 bytes big-endian) -> that chunk of the body;
 *            chunks are contiguous from 0, so their total is the length
 *            received and a cut transfer continues after the last one
 *   journal  sequence number (8 bytes big-endian) -> one offline change
 *            waiting to be replayed (cache_journal.c)
 */
#ifndef MAILRPC_CACHE_INT_H
#define MAILRPC_CACHE_INT_H

#include <lmdb.h>

#include "internal.h"

struct mailrpc_cache {
	MDB_env *env;
	MDB_dbi meta, state, summary, body, journal;
	int no_journal; /* opened read-only, from before the journal existed */
};

/* Maps an LMDB failure to MAILRPC_E_IO with what was being done. */
int mc_fail(struct mailrpc_error *err, int rc, const char *doing);

/* Big-endian numbers in keys and values: keys sort as the numbers do. */
void mc_put_be64(unsigned char *p, uint64_t v);
uint64_t mc_get_be64(const unsigned char *p);

/* A transaction; read-only unless write.  mc_end commits when status is
 * MAILRPC_OK (and returns the commit's status), else aborts. */
int mc_begin(struct mailrpc_cache *c, int write, MDB_txn **txn_r, struct mailrpc_error *err);
int mc_end(MDB_txn *txn, int status, struct mailrpc_error *err);

/* Summaries: encoded/decoded with all strings copied (decode: free with
 * the list it goes into).  mc_summary_get: MAILRPC_E_NOTCACHED if absent. */
int mc_summary_put(struct mailrpc_cache *c, MDB_txn *txn, const struct mailrpc_summary *s,
		   struct mailrpc_error *err);
int mc_summary_decode(const MDB_val *key, const MDB_val *val, struct mailrpc_summary *s);
int mc_summary_get(struct mailrpc_cache *c, MDB_txn *txn, uint64_t id, struct mailrpc_summary *s,
		   struct mailrpc_error *err);
/* Drops a summary with its body. */
int mc_summary_drop(struct mailrpc_cache *c, MDB_txn *txn, uint64_t id, struct mailrpc_error *err);
/* The message cached as old is new_id now (the server moved it): its
 * summary and body go under the new id (nothing cached: nothing done). */
int mc_summary_rekey(struct mailrpc_cache *c, MDB_txn *txn, uint64_t old, uint64_t new_id,
		     struct mailrpc_error *err);

/* Calls fn for every summary in id order until it returns non-zero (which
 * is returned); s is valid only during the call. */
typedef int (*mc_summary_fn)(const struct mailrpc_summary *s, void *ctx);
int mc_summary_each(struct mailrpc_cache *c, MDB_txn *txn, mc_summary_fn fn, void *ctx,
		    struct mailrpc_error *err);
/* Appends a copy of s to list (strings duplicated). */
int mc_list_append(struct mailrpc_msglist *list, const struct mailrpc_summary *s,
		   struct mailrpc_error *err);

/* Bodies.  mc_body_each calls fn on each chunk in order until non-zero. */
typedef int (*mc_chunk_fn)(const void *data, size_t len, void *ctx);
int mc_body_each(struct mailrpc_cache *c, MDB_txn *txn, uint64_t id, mc_chunk_fn fn, void *ctx,
		 struct mailrpc_error *err);
/* Length received so far, and whether it is the whole message with the
 * summary's SHA-256 (complete_r). */
int mc_body_check(struct mailrpc_cache *c, MDB_txn *txn, const struct mailrpc_summary *s,
		  uint64_t *have_r, int *complete_r, struct mailrpc_error *err);
int mc_body_append(struct mailrpc_cache *c, MDB_txn *txn, uint64_t id, uint64_t offset,
		   const void *data, size_t len, struct mailrpc_error *err);
int mc_body_drop(struct mailrpc_cache *c, MDB_txn *txn, uint64_t id, struct mailrpc_error *err);

/* Sync state of a folder: 0 (and found_r 0) when never synced. */
int mc_state_get(struct mailrpc_cache *c, MDB_txn *txn, const char *folder, uint64_t *state_r,
		 int *found_r, struct mailrpc_error *err);
int mc_state_put(struct mailrpc_cache *c, MDB_txn *txn, const char *folder, uint64_t state,
		 struct mailrpc_error *err);

/* The folder list as the server last gave it. */
int mc_folders_put(struct mailrpc_cache *c, MDB_txn *txn, const struct mailrpc_folder *f, size_t n,
		   struct mailrpc_error *err);

/* Offline changes (cache_journal.c, replayed by cache_replay.c). */
enum { MC_FLAGS = 1, MC_MOVE = 2, MC_DELETE = 3, MC_SEND = 4 };
/* Ids of messages queued in the Outbox here: 2^52 + journal sequence
 * (under 2^53, so JSON tools that read numbers as doubles keep them). */
#define MC_LOCAL_ID ((uint64_t)1 << 52)
struct mc_entry {
	uint64_t seq;
	uint32_t kind;
	unsigned char op[MAILRPC_OPID_SIZE];
	uint32_t set, clear, hard;
	uint64_t id;       /* the message (MC_SEND: its local id) */
	char folder[256];  /* MOVE: target; DELETE: where it was; SEND: from */
	char *rcpts;       /* SEND: n_rcpts names, each NUL-terminated */
	size_t n_rcpts, rcpts_len;
};
int mc_entry_decode(const MDB_val *key, const MDB_val *val, struct mc_entry *e);
void mc_entry_clear(struct mc_entry *e);
/* Entries after seq about message old are about new_id now. */
int mc_journal_renumber(struct mailrpc_cache *c, MDB_txn *txn, uint64_t seq, uint64_t old,
			uint64_t new_id, struct mailrpc_error *err);

/* Adds to the cached counts of folder (cache_folders.c); a folder not in
 * the list is left alone. */
int mc_folder_count(struct mailrpc_cache *c, MDB_txn *txn, const char *folder, int64_t total,
		    int64_t unread, int64_t size, struct mailrpc_error *err);
/* MAILRPC_E_NOFOLDER unless folder is in the cached list. */
int mc_folder_known(struct mailrpc_cache *c, const char *folder, struct mailrpc_error *err);

/* The folder list brought up to date with FOLDER_SYNC (whole: listed from
 * scratch), renamed and deleted folders' messages and states moved or
 * dropped (cache_folders.c); the new list in *list_r (free()). */
int mc_hierarchy_sync(struct mailrpc *conn, struct mailrpc_cache *c, int whole,
		      struct mailrpc_folder **list_r, size_t *n_r,
		      struct mailrpc_cache_report *report, struct mailrpc_error *err);

#endif
