/*
 * store.h -- public API of the mailrpc mailbox store.
 *
 * A pure C library over one LMDB environment (a directory).  No RPC
 * dependency.  Schema: docs/store-schema.md.
 *
 * Conventions
 *  - Every function returns an int status (enum store_status).
 *  - Out-parameters end in _r.  They are set to a neutral value (0, NULL)
 *    on entry and receive their result only on STORE_OK (exceptions are
 *    documented per function, e.g. received_r / bad_index_r which are also
 *    set on specific errors).
 *  - Memory returned through _r pointers belongs to the caller and is
 *    released with the matching *_free(T **) function, which NULLs the
 *    caller's pointer.  Nothing returned points into LMDB memory: all data
 *    is copied out before the read transaction ends.
 *  - Every mutation is exactly one LMDB write transaction; STORE_OK means
 *    mdb_txn_commit succeeded (durable, no MDB_NOSYNC).  On any error
 *    nothing was changed.
 *
 * Processes and threads
 *  - A store_t belongs to one process and one thread at a time.  The
 *    server forks one process per connection; each child must call
 *    store_open itself after fork (never use a handle inherited over
 *    fork).  MDB_NOTLS is not used: no read transaction is held between
 *    calls, and a handle is used by one thread.
 *  - Many processes may have the store open at once; LMDB serialises
 *    writers across processes.
 */
#ifndef MAILRPC_STORE_H
#define MAILRPC_STORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum store_status {
	STORE_OK = 0,
	STORE_NOTFOUND,   /* no such mailbox / folder / message / upload */
	STORE_EXISTS,     /* target already exists */
	STORE_NOTEMPTY,   /* folder has messages or subfolders */
	STORE_INVALID,    /* malformed argument or wrong state */
	STORE_TOOBIG,     /* over the message size limit */
	STORE_QUOTA,      /* mailbox quota would be exceeded */
	STORE_DENIED,     /* operation not allowed on this object */
	STORE_BUSY,       /* temporarily unavailable (e.g. reader table full) */
	STORE_DISABLED,   /* mailbox disabled by the administrator */
	STORE_INTERNAL,   /* unexpected LMDB/system error, logged "store:" */
	STORE_CORRUPT     /* a stored record does not decode or contradicts
	                     another; its database and key are logged.  The
	                     call changed nothing; others go on working. */
};

/* Returns a static string; never NULL. */
const char *store_strerror(int status);

/* ---- diagnostics (store_log.c) ------------------------------------------
 * Every problem the store meets is one line starting "store: " that says
 * what failed and where (for a corrupt record: its database and key).
 * They go to stderr unless the process sets a sink: mailrpcd routes them
 * to its log, mailrpc-deliver to syslog and stderr.  The sink is
 * process-wide (some problems arise before any handle exists): set it
 * once at start, before store_open.  fn NULL: back to stderr. */
/* The values are syslog(3)'s priorities, so a sink may pass them on. */
enum store_log_level { STORE_LOG_ERR = 3, STORE_LOG_WARNING = 4, STORE_LOG_INFO = 6 };
typedef void (*store_log_fn)(void *ctx, int level, const char *line);
void store_set_log(store_log_fn fn, void *ctx);

/* ---- limits ---------------------------------------------------------- */
#define STORE_NAME_MAX          255u  /* mailbox name, bytes */
#define STORE_PATH_MAX          255u  /* folder path, bytes */
#define STORE_SUMMARY_MAX       1024u /* each summary field, bytes (UTF-8) */
#define STORE_CHUNK_SIZE        65520u /* body chunk: 16 LMDB 4 KiB pages */
#define STORE_LIST_MAX          1000u /* listing limit is clamped to this */
#define STORE_BATCH_MAX         4096u /* ids in one set_flags call */
#define STORE_RCPT_MAX          1000u /* recipients in one submit */
#define STORE_SEARCH_TEXT_MAX   256u  /* each search substring, bytes */
#define STORE_DEFAULT_MAP_SIZE  (1ull << 30)  /* 1 GiB, doubled on demand */
#define STORE_DEFAULT_OP_MAX_AGE (24 * 3600)  /* seconds */
#define STORE_DEFAULT_OP_MAX    100000u
#define STORE_DEFAULT_TOMB_MAX  100000u /* tombstones kept per mailbox */

/* Message flags (bitmask). */
#define STORE_FLAG_SEEN      1u
#define STORE_FLAG_FLAGGED   2u
#define STORE_FLAG_ANSWERED  4u
#define STORE_FLAG_DRAFT     8u
#define STORE_FLAGS_ALL      15u

/* Well-known folders, created with every mailbox; never deleted/renamed. */
#define STORE_FOLDER_INBOX    "Inbox"
#define STORE_FOLDER_DRAFTS   "Drafts"
#define STORE_FOLDER_OUTBOX   "Outbox"
#define STORE_FOLDER_SENT     "Sent Items"
#define STORE_FOLDER_DELETED  "Deleted Items"

typedef struct store store_t;

/* Names a call by an operation id (see store_op_find): op (STORE_OPID_LEN
 * bytes; NULL: not named) of the caller's own mailbox owner, under which
 * its result is kept. */
typedef struct store_opname {
	const char *owner;
	const unsigned char *op;
} store_opname_t;

/* ---- environment (store_env.c) ---------------------------------------- */
typedef struct store_options {
	uint64_t map_size;         /* initial map size; 0 -> 1 GiB.  An existing
	                              environment's larger size is kept. */
	unsigned max_readers;      /* LMDB reader slots; 0 -> 1024.  Only the
	                              process creating the lock file decides. */
	int64_t  op_max_age;       /* seconds an operation's result is kept
	                              (see store_op_find); 0 -> 1 day */
	uint64_t op_max;           /* results kept store-wide; 0 -> 100000 */
	uint64_t tomb_max;         /* tombstones kept per mailbox; 0 -> 100000 */
} store_options_t;

/* Fills defaults (all zero = defaults).  Limits on what users may store
 * are not options of the opener but the store's policy (below). */
void store_options_init(store_options_t *opt);

/* Opens (creating if needed) the store in directory dir (must exist).
 * Clears stale reader slots of dead processes.  opt may be NULL. */
int store_open(const char *dir, const store_options_t *opt, store_t **st_r);
/* Closes and frees; *st becomes NULL.  NULL-safe. */
void store_close(store_t **st);
/* Current LMDB map size of this handle, bytes. */
int store_map_size(store_t *st, uint64_t *size_r);

/* ---- policy (store_policy.c) -------------------------------------------
 * Limits that belong to the store, not to the process that opens it: kept
 * in the "meta" database and read by the transaction that applies them,
 * so mailrpcd, mailrpc-deliver and mailrpc-admin all apply the same
 * values, and a change applies to running processes from their next call.
 * A key never set has its default.  One table describes every key (name,
 * type, default, bounds, description): a new limit is a new row. */
enum store_policy_key {
	STORE_POLICY_DEFAULT_QUOTA,  /* bytes per mailbox without its own quota; 0: none */
	STORE_POLICY_MAX_MESSAGE,    /* bytes in one message */
	STORE_POLICY_TOMBSTONE_AGE,  /* seconds a removal is remembered for SYNC */
	STORE_POLICY_KEYS            /* how many keys */
};
enum store_policy_type {
	STORE_POLICY_BYTES,          /* written with K/M/G suffixes */
	STORE_POLICY_SECONDS,        /* written as a duration (s/m/h/d) */
	STORE_POLICY_COUNT           /* a plain number */
};
typedef struct store_policy_def {
	const char *name;            /* e.g. "max-message" */
	int type;                    /* enum store_policy_type */
	uint64_t def, min, max;      /* default and inclusive bounds */
	const char *description;
} store_policy_def_t;

/* The row of key, NULL if there is none; keys run 0..STORE_POLICY_KEYS-1. */
const store_policy_def_t *store_policy_def(int key);
/* The key named name: STORE_OK or STORE_NOTFOUND. */
int store_policy_find(const char *name, int *key_r);
/* The value in force (the default if never set); *is_set_r (may be NULL)
 * says whether it was set. */
int store_policy_get(store_t *st, int key, uint64_t *value_r, int *is_set_r);
/* STORE_INVALID for an unknown key or a value outside its bounds. */
int store_policy_set(store_t *st, int key, uint64_t value);
/* Forgets the set value: the default applies again. */
int store_policy_unset(store_t *st, int key);

/* ---- mailboxes (store_mailbox.c) ------------------------------------- */
typedef struct store_mailbox_info {
	uint64_t next_id;     /* next message id to be assigned */
	uint64_t bytes_used;  /* sum of sizes of all messages */
	uint64_t messages;    /* number of messages */
	uint64_t change;      /* change counter (every mutation +1) */
	uint64_t quota;       /* own quota bytes, 0 = the policy's default-quota */
	int      disabled;
} store_mailbox_info_t;

/* Creates the mailbox with its well-known folders if missing.
 * STORE_DISABLED if it exists and is disabled; STORE_INVALID bad name. */
int store_mailbox_ensure(store_t *st, const char *name);
/* Does not check the disabled flag (admin view). */
int store_mailbox_info(store_t *st, const char *name, store_mailbox_info_t *info_r);
/* Admin setters (work on disabled mailboxes). */
int store_mailbox_set_disabled(store_t *st, const char *name, int disabled);
int store_mailbox_set_quota(store_t *st, const char *name, uint64_t quota);

/* All functions below that take a mailbox name return STORE_NOTFOUND if
 * it does not exist and STORE_DISABLED if it is disabled. */

/* ---- waiting for changes (store_wait.c) ---------------------------------
 * Every committed write that changes a mailbox record (every change to its
 * folders or messages does) also touches the file "notify" in the store
 * directory, whichever process made it (server, delivery agent, admin).
 * Waiters watch that file with inotify, so they cost no CPU until then. */

/* Blocks until the change number of mailbox mbox (of its folder, if folder
 * is not NULL) exceeds since, at most timeout_ms milliseconds.  STORE_OK
 * with the current change number either way (a timeout or a signal
 * returns it unchanged: compare it with since); NOTFOUND / DISABLED /
 * INVALID as for the mailbox or folder. */
int store_wait_change(store_t *st, const char *mbox, const char *folder,
                      uint64_t since, int timeout_ms, uint64_t *change_r);

/* ---- folders (store_folder.c) ------------------------------------------
 * Paths: "/" between levels, case-sensitive, 1..255 bytes of valid UTF-8,
 * no control characters, no empty, "." or ".." components. */
typedef struct store_folder_info {
	char     path[STORE_PATH_MAX + 1];
	uint64_t total;      /* messages */
	uint64_t unread;     /* messages without STORE_FLAG_SEEN */
	uint64_t bytes;      /* sum of message sizes */
	uint64_t change;     /* change number of the last change */
	int      well_known;
} store_folder_info_t;

typedef struct store_folder_list {
	uint64_t total;               /* folders in the mailbox */
	size_t   count;               /* entries in items */
	store_folder_info_t *items;   /* in path byte order */
} store_folder_list_t;

/* limit is clamped to STORE_LIST_MAX. */
int store_folder_list(store_t *st, const char *mbox, uint64_t offset,
                      uint32_t limit, store_folder_list_t **list_r);
void store_folder_list_free(store_folder_list_t **list);
int store_folder_get(store_t *st, const char *mbox, const char *path,
                     store_folder_info_t *info_r);
/* Parent must exist (NOTFOUND); EXISTS if present. */
int store_folder_create(store_t *st, const char *mbox, const char *path);
/* Renames/moves with all subfolders.  DENIED for well-known; EXISTS if the
 * target exists; NOTFOUND if source or target parent missing; INVALID if
 * the target is inside the source. */
int store_folder_rename(store_t *st, const char *mbox, const char *from,
                        const char *to);
/* NOTEMPTY if it has messages or subfolders unless recursive (then all
 * subfolders and messages go, counters updated).  DENIED for well-known. */
int store_folder_delete(store_t *st, const char *mbox, const char *path,
                        int recursive);
/* The same, named by an operation id (see store_opname_t); replayed_r may
 * be NULL. */
int store_folder_create_op(store_t *st, const char *mbox, const char *path,
                           const store_opname_t *name, int *replayed_r);
int store_folder_rename_op(store_t *st, const char *mbox, const char *from,
                           const char *to, const store_opname_t *name, int *replayed_r);
int store_folder_delete_op(store_t *st, const char *mbox, const char *path, int recursive,
                           const store_opname_t *name, int *replayed_r);

/* ---- messages (store_message.c, store_list.c, store_search.c) ---------- */
typedef struct store_msginfo {
	uint64_t id;
	uint32_t flags;
	uint64_t size;
	unsigned char sha256[32];
	int64_t  received;     /* unix seconds, set by the store */
	uint64_t change;
	/* NUL-terminated UTF-8, never NULL, all inside strbuf: */
	char *folder, *from, *to, *cc, *subject, *date, *message_id;
	char *strbuf;          /* owner of the strings above */
} store_msginfo_t;

typedef struct store_msglist {
	uint64_t total;   /* list: entries matching the filter; search: matches
	                     found (scan stops after offset+limit+1) */
	int      more;    /* entries exist after this page */
	size_t   count;
	store_msginfo_t *items;
} store_msglist_t;

void store_msginfo_free(store_msginfo_t **info);
void store_msglist_free(store_msglist_t **list);

/* Appends a complete body to folder.  received 0 = now.  TOOBIG over the
 * size limit, QUOTA over quota (nothing stored). */
int store_message_append(store_t *st, const char *mbox, const char *folder,
                         const void *body, size_t len, uint32_t flags,
                         int64_t received, uint64_t *id_r);
/* The same for a body announced with its SHA-256 (INVALID if it does not
 * match), named by an operation id: a repeat returns the first id. */
int store_message_append_op(store_t *st, const char *mbox, const char *folder,
                            const void *body, size_t len, uint32_t flags,
                            const unsigned char *sha256, const store_opname_t *name,
                            uint64_t *id_r, int *replayed_r);
/* The same with a chosen id (restoring a backup): EXISTS if taken. */
int store_message_restore(store_t *st, const char *mbox, const char *folder,
                          uint64_t id, const void *body, size_t len,
                          uint32_t flags, int64_t received, uint64_t *id_r);
int store_message_get(store_t *st, const char *mbox, uint64_t id,
                      store_msginfo_t **info_r);
/* Copies at most maxlen body bytes starting at offset into buf.
 * offset > size -> INVALID; offset == size -> *len_r = 0. */
int store_message_fetch(store_t *st, const char *mbox, uint64_t id,
                        uint64_t offset, void *buf, size_t maxlen,
                        size_t *len_r);
/* One id, not named (see store_change). */
/* Moves within the mailbox, keeping the id. */
int store_message_move(store_t *st, const char *mbox, uint64_t id,
                       const char *dest);
/* Copies within the mailbox; new id (body shared, counted in quota). */
int store_message_copy(store_t *st, const char *mbox, uint64_t id,
                       const char *dest, uint64_t *new_id_r);
/* Moves to "Deleted Items"; permanent if already there or hard != 0. */
int store_message_delete(store_t *st, const char *mbox, uint64_t id, int hard);
/* Sets then clears flag bits on n (1..STORE_BATCH_MAX) messages in one
 * transaction; NOTFOUND (nothing changed) if any id is missing. */
int store_message_set_flags(store_t *st, const char *mbox,
                            const uint64_t *ids, size_t n,
                            uint32_t set, uint32_t clear);

enum store_sort {
	STORE_SORT_ID = 0,
	STORE_SORT_DATE,     /* received time (not the Date header) */
	STORE_SORT_SIZE,
	STORE_SORT_FROM,     /* decoded From, ASCII case-insensitive */
	STORE_SORT_SUBJECT   /* decoded Subject, ASCII case-insensitive */
};

typedef struct store_list_query {
	int      sort;         /* enum store_sort */
	int      descending;   /* reverses the total order (key, id) */
	int      unread_only;
	uint64_t offset;
	uint32_t limit;        /* clamped to STORE_LIST_MAX */
} store_list_query_t;

int store_message_list(store_t *st, const char *mbox, const char *folder,
                       const store_list_query_t *q, store_msglist_t **list_r);

typedef struct store_search_query {
	const char *folder;   /* NULL = all folders */
	/* substrings, ASCII case-insensitive, NULL/"" = any; all must match */
	const char *from, *to, *subject, *body;
	uint64_t offset;
	uint32_t limit;       /* clamped to STORE_LIST_MAX */
} store_search_query_t;

/* Results in ascending id order. */
int store_message_search(store_t *st, const char *mbox,
                         const store_search_query_t *q, store_msglist_t **list_r);

/* ---- exactly-once commits (store_op.c) ----------------------------------
 * A client names a non-idempotent call with an operation id of its choice
 * (random, STORE_OPID_LEN bytes).  A call given an op id (upload commits,
 * message changes, folder calls, ACL set, upload begin) records its result
 * in the same transaction as its work, under the caller's (uploader's)
 * mailbox; the same op id again returns that result without doing the
 * work twice, as long as it is kept (op_max_age seconds, op_max results
 * store-wide, oldest forgotten first).  Only successes are recorded: a
 * failed call changed nothing, so repeating it is harmless. */
#define STORE_OPID_LEN 16u
enum store_op_kind {
	STORE_OP_APPEND = 1, STORE_OP_SUBMIT = 2,
	STORE_OP_MOVE = 3, STORE_OP_COPY = 4, STORE_OP_DELETE = 5, STORE_OP_FLAGS = 6,
	STORE_OP_FOLDER_CREATE = 7, STORE_OP_FOLDER_RENAME = 8, STORE_OP_FOLDER_DELETE = 9,
	STORE_OP_ACL_SET = 10, STORE_OP_UPLOAD_BEGIN = 11
};

/* STORE_OK with the recorded id (new message, sent copy, upload begun; 0
 * for the rest); NOTFOUND if op is unknown (or forgotten); INVALID if op
 * named another kind of call. */
int store_op_find(store_t *st, const char *mbox, const unsigned char *op,
                  int kind, uint64_t *id_r);

/* The recorded reply of a change (store_change) named by op: STORE_OK
 * with a malloc'd copy (free it) and its length; NOTFOUND; INVALID if op
 * named another kind of call.  A read: for answering a repeat before
 * checking it again (the write transaction looks op up again too). */
int store_op_result_find(store_t *st, const char *mbox, const unsigned char *op, int kind,
                         void **result_r, size_t *len_r);

/* Calls named by a store_opname_t (the *_op functions and store_change)
 * look op up, do the work and record its success in one write
 * transaction: a repeated op changes nothing and returns STORE_OK with
 * *replayed_r = 1 (and the recorded id where there is one); a failure
 * records nothing (it changed nothing, so repeating it is safe). */

/* ---- changes to messages (store_change.c) -------------------------------
 * Moves (keeping ids), copies (new ids, shared bodies), deletes (to
 * Deleted Items; permanent if already there or hard) and flag changes of
 * n ids (1..STORE_BATCH_MAX) of one mailbox, in one write transaction
 * taking one change number.  Move, copy and delete go id by id and stop at
 * the first id that cannot be changed (missing, over quota): the ids
 * before it stay changed and the outcome says how far it got.  Flags are
 * all or nothing. */
typedef struct store_change {
	int kind;                  /* STORE_OP_MOVE, _COPY, _DELETE or _FLAGS */
	const uint64_t *ids;
	size_t n;
	const char *dest;          /* MOVE, COPY: the folder */
	int hard;                  /* DELETE */
	uint32_t set, clear;       /* FLAGS: set, then clear */
	uint64_t *new_ids;         /* COPY: room for n ids of the copies */
	store_opname_t name;       /* op id; owner NULL or op NULL: none */
} store_change_t;

typedef struct store_change_outcome {
	int status;                /* STORE_OK or why ids[done] was not changed */
	size_t done;               /* ids changed (new_ids holds as many) */
	int replayed;              /* op was done before: nothing else is set
	                              but reply */
	void *reply;               /* replayed: the recorded reply (free it) */
	size_t reply_len;
} store_change_outcome_t;

/* The reply to keep for a named change, made from its outcome inside the
 * transaction (may be called more than once): malloc'd bytes, opaque to
 * the store, and their length; NULL keeps none. */
typedef void *(*store_reply_fn)(const store_change_outcome_t *out, void *ctx, size_t *len_r);

/* Does ch in mailbox mbox.  STORE_OK: *out_r holds the outcome (or the
 * replay of a repeated op), and the ids before out_r->done were changed
 * and, if named, recorded with reply(out_r) in the same transaction.
 * Another status: nothing changed (out_r->status says the same). */
int store_change(store_t *st, const char *mbox, const store_change_t *ch,
                 store_reply_fn reply, void *reply_ctx, store_change_outcome_t *out_r);

/* ---- changes since a state (store_tomb.c, store_sync.c) -----------------
 * Removing a message from a folder (a permanent delete, or a move out of
 * it, which includes a delete to Deleted Items) leaves a tombstone
 * (folder, id, change number, time).  Creating or renaming a folder leaves
 * one with id 0 for it: its path now names other messages.  Tombstones
 * are kept for the policy's tombstone-age and at most tomb_max per mailbox (oldest
 * forgotten first); the newest change number forgotten is the mailbox's
 * horizon, and a state older than it can no longer be answered. */
typedef struct store_sync_pos {
	uint64_t tomb_change, tomb_id; /* last tombstone delivered (0: none) */
	uint64_t msg_id;               /* last summary delivered (0: none) */
	int      tombs_done;           /* every tombstone delivered */
} store_sync_pos_t;

typedef struct store_sync_page {
	int      resync;      /* since is past the horizon (or ahead of the
	                         mailbox, or the folder was created or renamed
	                         after it): nothing else is set; start from 0 */
	uint64_t change;      /* the mailbox's change number now */
	size_t   n_removed;
	uint64_t *removed;    /* ids removed from the folder after since */
	store_msglist_t *changed; /* messages in the folder whose change
	                             number is above since, in id order */
	int      more;        /* ask again from next */
	store_sync_pos_t next;
} store_sync_page_t;

/* One page of what changed in folder after change number since (0: all
 * its messages, as changed): first removed ids (at most max_removed),
 * then, once those are done, changed messages (at most max_changed,
 * clamped to STORE_LIST_MAX).  pos is where the last page ended (all zero
 * for the first).  Removed ids come before changed messages: apply them
 * first (a message moved out and back in is in both). */
int store_sync(store_t *st, const char *mbox, const char *folder, uint64_t since,
               const store_sync_pos_t *pos, uint32_t max_removed, uint32_t max_changed,
               store_sync_page_t **page_r);
void store_sync_page_free(store_sync_page_t **page);
/* Forgets tombstones older than the policy's tombstone-age (every mailbox). */
int store_tomb_expire(store_t *st, uint64_t *expired_r);

/* ---- uploads (store_upload.c) -------------------------------------------
 * Chunked, resumable; kept in the store (survive restart).  Upload ids are
 * store-wide, never reused, and only visible to the mailbox that began
 * them (others get NOTFOUND). */
int store_upload_begin(store_t *st, const char *mbox, uint64_t expected_size,
                       const unsigned char *sha256 /* 32 bytes or NULL */,
                       uint64_t *upload_id_r);
/* The same, named by an operation id: a repeat gets the same upload id. */
int store_upload_begin_op(store_t *st, const char *mbox, uint64_t expected_size,
                          const unsigned char *sha256, const store_opname_t *name,
                          uint64_t *upload_id_r, int *replayed_r);
/* offset must equal the bytes received so far; otherwise STORE_INVALID
 * and *received_r = bytes received (resume from there).  On OK
 * *received_r = new total.  TOOBIG past the size limit, INVALID past the
 * expected size (both also set *received_r; nothing appended). */
int store_upload_append(store_t *st, const char *mbox, uint64_t upload_id,
                        uint64_t offset, const void *data, size_t len,
                        uint64_t *received_r);
int store_upload_status(store_t *st, const char *mbox, uint64_t upload_id,
                        uint64_t *received_r, uint64_t *expected_r);
/* Verifies size and SHA-256 (INVALID on mismatch; upload kept), then the
 * upload's body becomes the message body (no copy). */
int store_upload_commit_append(store_t *st, const char *mbox,
                               uint64_t upload_id, const char *folder,
                               uint32_t flags, uint64_t *id_r);
/* Delivers to each distinct recipient's Inbox (unread) and to the sender's
 * "Sent Items" (seen, id in *sent_id_r) in one transaction.  If a
 * recipient is invalid / missing / disabled / over quota, the status says
 * which error, *bad_index_r is its index in rcpts and nothing is delivered
 * to anyone; *bad_index_r is SIZE_MAX for errors not about a recipient
 * (e.g. the sender's own quota).  The upload is consumed on success only. */
int store_upload_commit_submit(store_t *st, const char *sender,
                               uint64_t upload_id, const char *const *rcpts,
                               size_t n, uint64_t *sent_id_r,
                               size_t *bad_index_r);
/* The same, where the upload was made by another mailbox than the one the
 * message goes to (a delegate filing into, or sending as, mailbox).  op
 * (NULL: none) is the call's operation id, see store_op_find: a commit
 * whose op already succeeded returns the recorded id and does nothing. */
int store_upload_commit_append_to(store_t *st, const char *uploader,
                                  uint64_t upload_id, const char *mbox,
                                  const char *folder, uint32_t flags,
                                  const unsigned char *op, uint64_t *id_r);
int store_upload_commit_submit_as(store_t *st, const char *uploader,
                                  uint64_t upload_id, const char *sender,
                                  const char *const *rcpts, size_t n,
                                  const unsigned char *op,
                                  uint64_t *sent_id_r, size_t *bad_index_r);
/* Puts one header line (no line ending; CRLF or LF is added to match the
 * message's first line) before a finished upload's bytes, after checking
 * them against the announced SHA-256 (INVALID on mismatch).  The commit
 * then stores the longer message.  For "Sender:" on send-on-behalf. */
int store_upload_prepend_header(store_t *st, const char *uploader,
                                uint64_t upload_id, const char *header);
int store_upload_abort(store_t *st, const char *mbox, uint64_t upload_id);
/* Removes uploads begun more than older_than seconds ago (any mailbox). */
int store_upload_expire(store_t *st, int64_t older_than, uint64_t *expired_r);

/* ---- access control lists (store_acl.c) ---------------------------------
 * Rights per folder (and on the mailbox root, path ""), for a principal or
 * for STORE_ANYONE, as RFC 4314 letters.  Entries follow a folder through
 * renames (they are keyed by folder id) and go when it is deleted.  The
 * store records rights; deciding what they allow is the server's job. */
#define STORE_PRINCIPAL_MAX 255u
#define STORE_ANYONE "anyone"
#define STORE_RIGHTS_LETTERS "lrswipkxtea"   /* bit i is letter i */
#define STORE_RIGHTS_ALL 0x7ffu

typedef struct store_acl_entry {
	char path[STORE_PATH_MAX + 1];            /* "" = the mailbox root */
	char principal[STORE_PRINCIPAL_MAX + 1];
	uint32_t rights;
} store_acl_entry_t;

typedef struct store_acl {
	size_t count;
	store_acl_entry_t *items;                 /* by folder, then principal */
} store_acl_t;

/* Sets principal's rights on path ("" = root); 0 removes the entry.
 * NOTFOUND if the mailbox or folder is missing.  Works on disabled
 * mailboxes (admin restore). */
int store_acl_set(store_t *st, const char *mbox, const char *path,
                  const char *principal, uint32_t rights);
/* The same, named by an operation id (see store_opname_t). */
int store_acl_set_op(store_t *st, const char *mbox, const char *path,
                     const char *principal, uint32_t rights,
                     const store_opname_t *name, int *replayed_r);
/* Every entry of the mailbox.  NOTFOUND if the mailbox is missing. */
int store_acl_list(store_t *st, const char *mbox, store_acl_t **acl_r);
void store_acl_free(store_acl_t **acl);
/* "lrs..." for rights (buf >= 12 bytes); returns buf. */
char *store_rights_format(uint32_t rights, char *buf);
/* Parses letters into rights; STORE_INVALID on an unknown letter. */
int store_rights_parse(const char *letters, uint32_t *rights_r);

/* ---- administration (store_admin.c) -------------------------------------- */
typedef struct store_mailbox_names {
	size_t count;
	char (*names)[STORE_NAME_MAX + 1];
} store_mailbox_names_t;

/* All mailbox names, in byte order. */
int store_mailbox_list(store_t *st, store_mailbox_names_t **names_r);
void store_mailbox_names_free(store_mailbox_names_t **names);
/* Creates a mailbox without the well-known folders (public folders);
 * OK if it already exists. */
int store_mailbox_ensure_plain(store_t *st, const char *name);
/* Deletes a mailbox with every folder, message, upload and ACL entry. */
int store_mailbox_delete(store_t *st, const char *name);
/* Checks every invariant of docs/store-schema.md in one read transaction
 * (nothing is changed), calling report once per problem found: first
 * every record that does not decode, by database and key, then the
 * invariants between records, skipping the ones that did not decode.
 * STORE_OK however many problems it found; another status only if it
 * could not read the store at all. */
typedef void (*store_problem_fn)(const char *text, void *ctx);
int store_verify(store_t *st, store_problem_fn report, void *ctx, uint64_t *problems_r);
/* Raises the mailbox's next message id to at least next (restore). */
int store_mailbox_raise_next_id(store_t *st, const char *name, uint64_t next);

/* ---- the folder hierarchy since a state (store_folder_sync.c) ----------
 * Deleting a folder leaves a tombstone for its id (ST_TOMB_FOLDER_GONE),
 * kept and forgotten like the others; creating, renaming and changing a
 * folder's messages stamp its change number. */
typedef struct store_fsync_pos {
	uint64_t tomb_change, tomb_fid; /* last deleted folder delivered (0: none) */
	uint64_t folder_id;             /* last folder delivered (0: none) */
	int      tombs_done;            /* every deleted folder delivered */
} store_fsync_pos_t;

typedef struct store_fsync_entry {
	uint64_t id;
	store_folder_info_t info;
} store_fsync_entry_t;

typedef struct store_fsync_page {
	int      resync;      /* since is past the horizon or ahead of the
	                         mailbox: nothing else is set; start from 0 */
	uint64_t change;      /* the mailbox's change number now */
	size_t   n_deleted;
	uint64_t *deleted;    /* ids of folders deleted after since */
	size_t   n_folders;
	store_fsync_entry_t *folders; /* change number above since, by id */
	int      more;        /* ask again from next */
	store_fsync_pos_t next;
} store_fsync_page_t;

/* One page of how mailbox's folders changed after since (0: every folder,
 * none deleted): deleted folder ids first (at most max_deleted), then the
 * changed folders (at most max_folders).  pos: where the last page ended
 * (all zero for the first). */
int store_folder_sync(store_t *st, const char *mbox, uint64_t since, const store_fsync_pos_t *pos,
                      uint32_t max_deleted, uint32_t max_folders, store_fsync_page_t **page_r);
void store_folder_sync_page_free(store_fsync_page_t **page);

#ifdef __cplusplus
}
#endif
#endif /* MAILRPC_STORE_H */
