/*
 * cache_int.h -- what the offline cache's files (cache_db.c, cache_sync.c,
 * cache_read.c) share and never export: the LMDB layout and its helpers.
 *
 * Layout, one named database each:
 *   meta     "folders" -> the server's folder list (struct mailrpc_folder[])
 *   state    folder path -> uint64_t sync state (present once synced)
 *   summary  id (8 bytes big-endian, so cursors walk in id order) -> summary
 *   body     id + offset (8 + 8 bytes big-endian) -> that chunk of the body;
 *            chunks are contiguous from 0, so their total is the length
 *            received and a cut transfer continues after the last one
 */
#ifndef MAILRPC_CACHE_INT_H
#define MAILRPC_CACHE_INT_H

#include <lmdb.h>

#include "internal.h"

struct mailrpc_cache {
	MDB_env *env;
	MDB_dbi meta, state, summary, body;
};

/* Maps an LMDB failure to MAILRPC_E_IO with what was being done. */
int mc_fail(struct mailrpc_error *err, int rc, const char *doing);

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

#endif
