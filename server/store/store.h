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
 *    fork).  The environment is opened with MDB_NOTLS: a read transaction
 *    takes a slot of LMDB's reader table (store_options.max_readers) only
 *    while it lives, so an idle process -- a connection between calls, or
 *    waiting -- holds none.
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
	STORE_CORRUPT,    /* a stored record does not decode or contradicts
	                     another; its database and key are logged.  The
	                     call changed nothing; others go on working. */
	STORE_FORBIDDEN,  /* the call's guard refused it (see store_guard_t) */
	STORE_FULL,       /* the file system holding the store is full (or
	                     the store owner's disk quota): nothing changed */
	STORE_LIMIT       /* a per-mailbox limit of the policy was reached
	                     (folders, ACL entries, uploads) */
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
#define STORE_DEFAULT_TOMB_MAX  100000u /* tombstones kept per mailbox */

/* The store's rules for names, for a tool that checks what it will write
 * before writing anything (restore): STORE_OK or STORE_INVALID.  A name
 * (mailbox, ACL principal): 1..STORE_NAME_MAX bytes of UTF-8 without
 * control characters.  A folder path: see "folders" below. */
int store_check_name(const char *name);
int store_check_path(const char *path);

/* Message flags (bitmask). */
#define STORE_FLAG_SEEN      1u
#define STORE_FLAG_FLAGGED   2u
#define STORE_FLAG_ANSWERED  4u
#define STORE_FLAG_DRAFT     8u
#define STORE_FLAG_DELETED   16u  /* IMAP \Deleted: marked, not yet expunged */
#define STORE_FLAGS_ALL      31u

/* Well-known folders, created with every mailbox; never deleted/renamed. */
#define STORE_FOLDER_INBOX    "Inbox"
#define STORE_FOLDER_DRAFTS   "Drafts"
#define STORE_FOLDER_OUTBOX   "Outbox"
#define STORE_FOLDER_SENT     "Sent Items"
#define STORE_FOLDER_DELETED  "Deleted Items"

typedef struct store store_t;

/* ---- environment (store_env.c) ---------------------------------------- */
typedef struct store_options {
	uint64_t map_size;         /* initial map size; 0 -> 1 GiB.  An existing
	                              environment's larger size is kept. */
	unsigned max_readers;	   /* LMDB reader slots; 0 -> 1024.  Only the
				      process creating the lock file decides.
				      Each read in progress takes one. */
	int readers_full_fallback; /* 1: when every reader slot is taken, read
				      under the writer lock instead of failing
				      with STORE_BUSY (for short, trusted
				      processes that must not fail for it:
				      mailrpc-deliver) */
	int64_t op_max_age;	   /* seconds an operation's result is kept
				      (see "exactly-once calls"); 0 -> 1 day.
				      How many are kept per mailbox is the
				      policy's max-op-records. */
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
	STORE_POLICY_DEFAULT_QUOTA, /* bytes per mailbox without its own quota; 0: none */
	STORE_POLICY_MAX_MESSAGE,   /* bytes in one message */
	STORE_POLICY_TOMBSTONE_AGE, /* seconds a removal is remembered for SYNC */
	/* What a mailbox may hold besides messages.  Calls on a user's behalf
	 * (the _as functions with a call) get STORE_LIMIT past them; trusted
	 * ones (delivery, administration, restore) are counted but not held
	 * to them.  Unfinished uploads also count their announced size
	 * against the quota, for everyone. */
	STORE_POLICY_MAX_FOLDERS,     /* folders of a mailbox, the well-known ones too */
	STORE_POLICY_MAX_ACL_ENTRIES, /* ACL entries of one folder (or the root) */
	STORE_POLICY_MAX_ACL_TOTAL,   /* ACL entries of a mailbox, all folders */
	STORE_POLICY_MAX_UPLOADS,     /* unfinished uploads of a mailbox */
	STORE_POLICY_UPLOAD_AGE,      /* seconds an unfinished upload is kept */
	STORE_POLICY_MAX_OP_RECORDS,  /* op results kept per mailbox (the oldest
					 are forgotten to make room: no error) */
	/* Connections, applied by mailrpcd's listener (not by the store). */
	STORE_POLICY_MAX_CONN_USER,    /* connections of one principal at a time */
	STORE_POLICY_MAX_PREAUTH_PEER, /* connections from one address that have
					  not authenticated yet */
	STORE_POLICY_KEYS	       /* how many keys */
};
/* The most ACL entries one folder may have: one reply holds them all. */
#define STORE_ACL_FOLDER_MAX 500u
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

/* ---- calls on a user's behalf (store_call.c, store_op.c) ----------------
 * The functions ending in _as act for a caller (a server's session) and
 * take a store_call_t; the others are the trusted local API (delivery,
 * administration, tests) and check nothing.
 *
 * A guard decides, inside the transaction that reads or changes them,
 * every folder and message a call is about to touch: the store names the
 * action and the object at that moment (store_touch_t) and does nothing
 * the guard refuses.  A recursive or batch operation asks for every object
 * it reaches, so a right revoked before the transaction began is seen, and
 * no object escapes the check.  The store decides nothing about who may
 * do what: that is the guard's job (mailrpc's is service/authz.c). */
enum store_action {
	STORE_ACT_LOOKUP = 1,   /* see this folder (listings: refused ones are left out) */
	STORE_ACT_READ,         /* read this folder's messages (list, search, sync, wait) */
	STORE_ACT_SCOPE,        /* read the whole mailbox at once (search or wait on "") */
	STORE_ACT_CREATE,       /* make a subfolder of this folder ("" the root) */
	STORE_ACT_RENAME,       /* rename or move this folder (each one a rename moves) */
	STORE_ACT_DELETE,       /* delete this folder (each one of a recursive delete) */
	STORE_ACT_TAKEN,        /* a create or rename wants this existing folder's path */
	STORE_ACT_CHILD,        /* a delete that is not recursive finds this subfolder */
	STORE_ACT_MSG_READ,     /* read this message (info, fetch, the source of a copy) */
	STORE_ACT_MSG_INSERT,   /* add a message to this folder with flags */
	STORE_ACT_MSG_MOVE_OUT, /* move this message out of its folder */
	STORE_ACT_MSG_DELETE,   /* move this message to Deleted Items */
	STORE_ACT_MSG_EXPUNGE,  /* delete this message for good */
	STORE_ACT_MSG_FLAGS,    /* set or clear flags (in touch.flags) on this message */
	STORE_ACT_ACL,          /* read or change this folder's access control list */
	STORE_ACT_RIGHTS,       /* tell the caller what it may do in this folder */
	STORE_ACT_POST,         /* send on behalf of the mailbox (touch: its Outbox) */
	STORE_ACT_UPLOAD        /* use the mailbox's uploads (touch: its root) */
};

struct st_where;
typedef struct store_touch {
	int action;             /* enum store_action */
	int named;              /* 1: the object the caller named; 0: one that a
	                           recursive or batch operation reaches through it */
	const char *mailbox;
	const char *path;       /* the folder (of the message); "" the root */
	uint64_t folder_id;     /* 0: the root */
	uint64_t msg_id;        /* 0: a folder action */
	uint32_t flags;         /* MSG_FLAGS: the bits set or cleared;
	                           MSG_INSERT: the new message's flags */
	const struct st_where *where;   /* for store_touch_rights */
} store_touch_t;

/* STORE_OK lets the call touch t; anything else stops it with that status:
 * STORE_NOTFOUND (the caller may not know it exists), STORE_FORBIDDEN,
 * or another the caller should get instead. */
typedef int (*store_guard_fn)(void *ctx, const store_touch_t *t);
typedef struct store_guard {
	store_guard_fn fn;
	void *ctx;
	const char *owned;   /* a mailbox where the guard allows everything
	                        (its owner's), so the store need not ask about
	                        it, nor read what asking takes; NULL: none */
} store_guard_t;

/* For a guard: the rights granted on t's folder to principal (an ACL
 * entry's name, or STORE_ANYONE), read in t's transaction by one direct
 * lookup; 0 when there is no entry. */
int store_touch_rights(const store_touch_t *t, const char *principal, uint32_t *rights_r);

/* Who a call is for.  op names it for exactly-once (see "exactly-once
 * calls" below): STORE_OPID_LEN bytes chosen by the client, kept under
 * the caller's own mailbox owner; NULL: not named. */
typedef struct store_call {
	const store_guard_t *guard;   /* NULL: nothing is checked */
	const char *owner;
	const unsigned char *op;
} store_call_t;

/* What a call did, in ids and counts (so any front-end can answer a
 * repeat of it): filled on STORE_OK.  A batch (store_change) may stop
 * early: status says why ids[done] was not changed. */
typedef struct store_result {
	int replayed;      /* op was done before: this is its record */
	int status;        /* STORE_OK, or why a batch stopped at done */
	uint64_t id;       /* the id the call made: a message, an upload, the
	                      sent copy; an upload append: the bytes received */
	size_t done;       /* a batch: ids changed */
	uint64_t *ids;     /* a batch: the new id each changed one got (copy,
	                      move; 0 for a delete for good); NULL: none */
} store_result_t;
/* Frees ids and zeroes r. */
void store_result_clear(store_result_t *r);

/* ---- mailboxes (store_mailbox.c) ------------------------------------- */
typedef struct store_mailbox_info {
	uint64_t next_id;     /* next message id to be assigned */
	uint64_t bytes_used;  /* sum of sizes of all messages */
	uint64_t messages;    /* number of messages */
	uint64_t change;      /* change counter (every mutation +1) */
	uint64_t quota;       /* own quota bytes, 0 = the policy's default-quota */
	uint64_t quota_in_force; /* what applies: own, else the policy's (0: none) */
	/* What it holds besides messages (limits: the policy's max-*). */
	uint64_t upload_bytes; /* announced by its unfinished uploads: part of
				  what its quota counts */
	uint64_t uploads, folders, acl_entries, op_records;
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
 * folders or messages does), whichever process made it (server, delivery
 * agent, admin), wakes the waiters of that mailbox in every process: a
 * futex counter per mailbox in the store directory's file "wake"
 * (store_notify.c).  A waiter costs no CPU, no file descriptor and no
 * reader slot while it sleeps. */

/* Blocks until the change number of mailbox mbox (of its folder, if folder
 * is not NULL) exceeds since, at most timeout_ms milliseconds.  STORE_OK
 * with the current change number either way (a timeout or a signal
 * returns it unchanged: compare it with since); NOTFOUND / DISABLED /
 * INVALID as for the mailbox or folder. */
int store_wait_change(store_t *st, const char *mbox, const char *folder,
                      uint64_t since, int timeout_ms, uint64_t *change_r);
/* The same for a caller: READ on folder (SCOPE on the root when NULL),
 * decided once, when the wait begins. */
int store_wait_change_as(store_t *st, const store_call_t *call, const char *mbox,
                         const char *folder, uint64_t since, int timeout_ms,
                         uint64_t *change_r);

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
	uint64_t id;         /* stays with the folder through renames; never
	                        reused in its mailbox (0: the root) */
} store_folder_info_t;

typedef struct store_folder_list {
	uint64_t total;               /* folders in the mailbox (_as: that
	                                 the caller may look up) */
	size_t   count;               /* entries in items */
	store_folder_info_t *items;   /* in path byte order */
} store_folder_list_t;

/* limit is clamped to STORE_LIST_MAX. */
int store_folder_list(store_t *st, const char *mbox, uint64_t offset,
                      uint32_t limit, store_folder_list_t **list_r);
/* The same for a caller: only the folders the guard lets it LOOKUP; offset
 * and total count those. */
int store_folder_list_as(store_t *st, const store_call_t *call, const char *mbox,
                         uint64_t offset, uint32_t limit, store_folder_list_t **list_r);
void store_folder_list_free(store_folder_list_t **list);
int store_folder_get(store_t *st, const char *mbox, const char *path,
                     store_folder_info_t *info_r);
/* The same for a caller doing action there (LOOKUP, RIGHTS, ...); path ""
 * is the root (counts 0).  *next_id_r (may be NULL): the mailbox's next
 * message id, which every message added to the folder later reaches. */
int store_folder_get_as(store_t *st, const store_call_t *call, const char *mbox,
                        const char *path, int action, store_folder_info_t *info_r,
                        uint64_t *next_id_r);
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
/* The same for a caller.  Create: CREATE on the parent; a path taken by a
 * folder is EXISTS only if the guard lets the caller see it (TAKEN),
 * else what the guard says.  Rename: RENAME on every folder moved, CREATE
 * on the new parent, TAKEN as for create.  Delete: DELETE on every folder
 * removed; not recursive, NOTEMPTY for messages or for a subfolder the
 * guard lets the caller see (CHILD), else what the guard says. */
int store_folder_create_as(store_t *st, const store_call_t *call, const char *mbox,
                           const char *path, store_result_t *res_r);
int store_folder_rename_as(store_t *st, const store_call_t *call, const char *mbox,
                           const char *from, const char *to, store_result_t *res_r);
int store_folder_delete_as(store_t *st, const store_call_t *call, const char *mbox,
                           const char *path, int recursive, store_result_t *res_r);

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
/* The same for a caller (MSG_INSERT on folder), for a body announced with
 * its SHA-256 (INVALID if it does not match); res_r->id is the new id. */
int store_message_append_as(store_t *st, const store_call_t *call, const char *mbox,
                            const char *folder, const void *body, size_t len, uint32_t flags,
                            const unsigned char *sha256, store_result_t *res_r);
/* The same with a chosen id (restoring a backup): EXISTS if taken. */
int store_message_restore(store_t *st, const char *mbox, const char *folder,
                          uint64_t id, const void *body, size_t len,
                          uint32_t flags, int64_t received, uint64_t *id_r);
int store_message_get(store_t *st, const char *mbox, uint64_t id,
                      store_msginfo_t **info_r);
/* The same for a caller (MSG_READ). */
int store_message_get_as(store_t *st, const store_call_t *call, const char *mbox, uint64_t id,
                         store_msginfo_t **info_r);
/* Copies at most maxlen body bytes starting at offset into buf.
 * offset > size -> INVALID; offset == size -> *len_r = 0. */
int store_message_fetch(store_t *st, const char *mbox, uint64_t id,
                        uint64_t offset, void *buf, size_t maxlen,
                        size_t *len_r);
/* The same for a caller (MSG_READ), also giving the whole message's size
 * and SHA-256 (32 bytes), read in the same transaction. */
int store_message_fetch_as(store_t *st, const store_call_t *call, const char *mbox,
                           uint64_t id, uint64_t offset, void *buf, size_t maxlen,
                           size_t *len_r, uint64_t *size_r, unsigned char *sha256_r);
/* One id, not named (see store_change). */
/* Moves within the mailbox; *new_id_r (may be NULL) is its id there. */
int store_message_move(store_t *st, const char *mbox, uint64_t id,
                       const char *dest, uint64_t *new_id_r);
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
/* The same for a caller (READ on folder). */
int store_message_list_as(store_t *st, const store_call_t *call, const char *mbox,
                          const char *folder, const store_list_query_t *q,
                          store_msglist_t **list_r);

/* A folder's messages in id order from the folder index and the records'
 * fixed fields, without their summaries: what an IMAP session keeps. */
typedef struct store_index_entry {
	uint64_t id;
	uint32_t flags;
	uint64_t size;
	int64_t  received;
	uint64_t change;
} store_index_entry_t;

typedef struct store_index {
	size_t count;
	store_index_entry_t *items;
	int more;            /* entries after these: ask from the last id */
} store_index_t;

/* Up to max (at most STORE_BATCH_MAX) messages of folder with ids above
 * after, for a caller (READ on folder). */
int store_index_as(store_t *st, const store_call_t *call, const char *mbox, const char *folder,
                   uint64_t after, uint32_t max, store_index_t **index_r);
void store_index_free(store_index_t **index);

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
/* The same for a caller: READ on q->folder, or SCOPE on the root. */
int store_message_search_as(store_t *st, const store_call_t *call, const char *mbox,
                            const store_search_query_t *q, store_msglist_t **list_r);

/* ---- exactly-once calls (store_op.c) ------------------------------------
 * A client names a call that changes something with an operation id of its
 * choice (random, STORE_OPID_LEN bytes), in store_call_t.op.  Every _as
 * call that writes looks op up, does its work and records its result
 * (store_result_t: ids and counts) in one write transaction, under the
 * caller's own mailbox (call->owner); the same op id again gets that
 * result back (replayed = 1) and changes nothing, as long as it is kept
 * (op_max_age seconds, and the policy's max-op-records results per
 * mailbox, its oldest forgotten first: one mailbox's calls never make
 * another's forgotten).  A repeat is answered before anything is checked again: the
 * first call may have changed what the check would see.  Only what
 * changed something is recorded: a failed call changed nothing, so
 * repeating it is harmless.  The same id naming another kind of call is
 * STORE_INVALID. */
#define STORE_OPID_LEN 16u
/* The recorded result of call's op if it has one (res_r->replayed), for a
 * front-end that works before calling the store: STORE_OK, NOTFOUND when
 * the call is new (or not named), INVALID if op named another kind. */
int store_op_replay(store_t *st, const store_call_t *call, uint32_t kind,
                    store_result_t *res_r);
enum store_op_kind {
	STORE_OP_APPEND = 1, STORE_OP_SUBMIT = 2,
	STORE_OP_MOVE = 3, STORE_OP_COPY = 4, STORE_OP_DELETE = 5, STORE_OP_FLAGS = 6,
	STORE_OP_FOLDER_CREATE = 7, STORE_OP_FOLDER_RENAME = 8, STORE_OP_FOLDER_DELETE = 9,
	STORE_OP_ACL_SET = 10, STORE_OP_UPLOAD_BEGIN = 11, STORE_OP_UPLOAD_APPEND = 12,
	STORE_OP_UPLOAD_ABORT = 13
};

/* ---- changes to messages (store_change.c) -------------------------------
 * Moves, copies (shared bodies), deletes (to Deleted Items; for good if
 * already there or hard) and flag changes of n ids (1..STORE_BATCH_MAX)
 * of one mailbox, in one write transaction taking one change number.  A
 * message moved (to Deleted Items too) or copied gets a new id in the
 * folder it goes to, so each folder's ids only ever grow (they are IMAP
 * UIDs); the one it leaves keeps a tombstone.  Move, copy and delete go id
 * by id and stop at the first id that cannot be changed (missing, over
 * quota, refused): the ids before it stay changed and the result says how
 * far it got.  Flags are all or nothing. */
typedef struct store_change {
	int kind;                  /* STORE_OP_MOVE, _COPY, _DELETE or _FLAGS */
	const uint64_t *ids;
	size_t n;
	const char *dest;          /* MOVE, COPY: the folder */
	int hard;                  /* DELETE */
	uint32_t set, clear;       /* FLAGS: set, then clear */
} store_change_t;

/* Does ch in mailbox mbox for call (NULL: trusted).  STORE_OK: the ids
 * before res_r->done were changed (res_r->ids: their new ids for a move,
 * copy or delete), and res_r->status says why the next one was not.  The
 * guard is asked about the destination (MSG_INSERT) once, then about each
 * id as it stands when its turn comes (MSG_READ and MSG_INSERT for a copy,
 * MSG_MOVE_OUT, MSG_DELETE or MSG_EXPUNGE, MSG_FLAGS): an id repeated in a
 * delete is judged by where the first occurrence put it.  Another status:
 * nothing changed. */
int store_change(store_t *st, const store_call_t *call, const char *mbox,
                 const store_change_t *ch, store_result_t *res_r);

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
/* The same for a caller (READ on folder). */
int store_sync_as(store_t *st, const store_call_t *call, const char *mbox, const char *folder,
                  uint64_t since, const store_sync_pos_t *pos, uint32_t max_removed,
                  uint32_t max_changed, store_sync_page_t **page_r);
void store_sync_page_free(store_sync_page_t **page);
/* Forgets tombstones older than the policy's tombstone-age (every mailbox). */
int store_tomb_expire(store_t *st, uint64_t *expired_r);

/* ---- uploads (store_upload.c, store_submit.c) ---------------------------
 * Chunked, resumable; kept in the store (survive restart).  Upload ids are
 * store-wide and never reused; each upload belongs to the mailbox that
 * began it, and is looked up only among that mailbox's (others' are
 * NOTFOUND).  The _as forms ask the guard for UPLOAD on that mailbox. */
int store_upload_begin(store_t *st, const char *mbox, uint64_t expected_size,
                       const unsigned char *sha256 /* 32 bytes or NULL */,
                       uint64_t *upload_id_r);
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
/* Puts one header line (no line ending; CRLF or LF is added to match the
 * message's first line) before a finished upload's bytes, after checking
 * them against the announced SHA-256 (INVALID on mismatch).  The commit
 * then stores the longer message.  For "Sender:" on send-on-behalf. */
int store_upload_prepend_header(store_t *st, const char *uploader,
                                uint64_t upload_id, const char *header);
int store_upload_abort(store_t *st, const char *mbox, uint64_t upload_id);
/* Removes uploads begun more than older_than seconds ago (any mailbox). */
int store_upload_expire(store_t *st, int64_t older_than, uint64_t *expired_r);

/* The same for a caller; uploader is the mailbox the upload belongs to.
 * begin: res_r->id is the upload; append: res_r->id the bytes received,
 * also on INVALID and TOOBIG as above; status: *received_r, *expected_r. */
int store_upload_begin_as(store_t *st, const store_call_t *call, const char *uploader,
                          uint64_t expected_size, const unsigned char *sha256,
                          store_result_t *res_r);
int store_upload_append_as(store_t *st, const store_call_t *call, const char *uploader,
                           uint64_t upload_id, uint64_t offset, const void *data, size_t len,
                           store_result_t *res_r);
int store_upload_status_as(store_t *st, const store_call_t *call, const char *uploader,
                           uint64_t upload_id, uint64_t *received_r, uint64_t *expected_r);
int store_upload_abort_as(store_t *st, const store_call_t *call, const char *uploader,
                          uint64_t upload_id, store_result_t *res_r);
/* Files the upload in folder of mailbox mbox (MSG_INSERT there with
 * flags); res_r->id is the new message. */
int store_upload_commit_append_as(store_t *st, const store_call_t *call, const char *uploader,
                                  uint64_t upload_id, const char *mbox, const char *folder,
                                  uint32_t flags, store_result_t *res_r);
/* Where a send goes: local mailboxes (rcpts, as for
 * store_upload_commit_submit) and, when n_remote > 0, addresses handed to
 * the MTA (see "hand-over to the MTA") with envelope sender envelope. */
typedef struct store_send {
	const char *const *rcpts;
	size_t n;
	const char *const *remote;
	size_t n_remote;
	const char *envelope;     /* the MTA's sender address */
	const char *message_id;   /* kept with the hand-over, for the log */
} store_send_t;
/* Sends the upload as mailbox sender (POST on its Outbox): delivers to
 * send's mailboxes, records the hand-over of the rest, and files the copy
 * in sender's Sent Items, all in one transaction.  res_r->id is that copy;
 * res_r->ids (res_r->done = 2): the local and the remote recipients, also
 * on a repeat.  *bad_index_r as for store_upload_commit_submit (an index in
 * send->rcpts).  LIMIT if the uploader's mailbox has STORE_HANDOVER_MAX
 * hand-overs waiting. */
int store_upload_commit_submit_as(store_t *st, const store_call_t *call, const char *uploader,
                                  uint64_t upload_id, const char *sender,
                                  const store_send_t *send, store_result_t *res_r,
                                  size_t *bad_index_r);
/* Puts header lines (each ending in "\n", which becomes "\r\n" if the
 * message's first line ends so; at most 4 KiB in all) before a finished
 * upload's bytes, checked first against the announced SHA-256 (INVALID on
 * mismatch).  Lines the upload already starts with are not put twice (a
 * send retried after a failed commit).  For a caller sending as another
 * mailbox (sender not NULL), once the guard allows POST there. */
int store_upload_prepend_as(store_t *st, const store_call_t *call, const char *uploader,
                            uint64_t upload_id, const char *sender, const char *header);
/* The first bytes of a finished upload (at most max; the header section
 * of a message is what a sender looks at); *size_r is its whole size.
 * INVALID if the upload is not complete. */
int store_upload_head_as(store_t *st, const store_call_t *call, const char *uploader,
                         uint64_t upload_id, void *buf, size_t max, size_t *len_r,
                         uint64_t *size_r);

/* ---- addresses and domains (store_address.c, store_addr_db.c) -----------
 * The store says which domains are local and which addresses they hold,
 * so every process (mailrpcd, mailrpc-deliver, the MTA's lookups) agrees.
 * A mailbox M has the address M@D for every local domain D, and the
 * aliases an administrator gives it.  Domains and aliases are kept in
 * lower case and compared without regard to case; one local domain is the
 * default, whose address is a mailbox's own (store_address_primary).
 * Syntax is RFC 5321's, ASCII only: a local part of at most 64 bytes
 * (atoms between dots, or a quoted string), a domain of at least two DNS
 * labels, no address literals; at most 254 bytes in all. */
#define STORE_DOMAIN_MAX  253u
#define STORE_ADDRESS_MAX 254u

/* STORE_OK or STORE_INVALID, for text given (no store needed). */
int store_domain_check(const char *domain);
int store_address_check(const char *address);

/* Makes domain local (EXISTS if it is); the first one, or make_default,
 * becomes the default. */
int store_domain_add(store_t *st, const char *domain, int make_default);
/* NOTFOUND; NOTEMPTY while aliases use it.  Removing the default makes the
 * first remaining domain (in byte order) the default. */
int store_domain_remove(store_t *st, const char *domain);
/* Whether domain is local: *local_r 1 or 0. */
int store_domain_local(store_t *st, const char *domain, int *local_r);
typedef struct store_domain {
	char name[STORE_DOMAIN_MAX + 1];
	int  is_default;
} store_domain_t;
typedef struct store_domain_list {
	size_t count;
	store_domain_t *items;       /* in byte order */
} store_domain_list_t;
int store_domain_list(store_t *st, store_domain_list_t **list_r);
void store_domain_list_free(store_domain_list_t **list);

/* address (in a local domain: DENIED otherwise) names mailbox (NOTFOUND
 * if it does not exist).  EXISTS if the alias is there. */
int store_alias_add(store_t *st, const char *address, const char *mailbox);
int store_alias_remove(store_t *st, const char *address);
typedef struct store_alias {
	char address[STORE_ADDRESS_MAX + 1];
	char mailbox[STORE_NAME_MAX + 1];
} store_alias_t;
typedef struct store_alias_list {
	size_t count;
	store_alias_t *items;        /* by address */
} store_alias_list_t;
/* The aliases of mailbox (NULL: all). */
int store_alias_list(store_t *st, const char *mailbox, store_alias_list_t **list_r);
void store_alias_list_free(store_alias_list_t **list);

/* What address is here.  *local_r: 1 if it is in a local domain or is a
 * bare mailbox name (no "@"), 0 for the rest of the world.  mailbox_r: for
 * a local one, the mailbox it reaches (an alias first, then the local part
 * as a mailbox name, exactly, then in lower case), "" if none; a disabled
 * mailbox is named all the same.  INVALID for bad syntax. */
int store_address_resolve(store_t *st, const char *address, int *local_r,
                          char mailbox_r[STORE_NAME_MAX + 1]);
/* mailbox's own address: MAILBOX@DEFAULT-DOMAIN (NOTFOUND: no domain). */
int store_address_primary(store_t *st, const char *mailbox, char address_r[STORE_ADDRESS_MAX + 1]);

/* ---- hand-over to the MTA (store_handover.c, store_handover_db.c) --------
 * A send to addresses outside the local domains is recorded, in the
 * transaction that files its Sent Items copy, as "to hand over": the body
 * (one more reference to it), the envelope sender and recipients.  A
 * separate process hands it to the MTA and removes the record only once
 * the MTA has taken it (store_handover_done), so a crash in between can
 * repeat a hand-over but never lose one.  The MTA owns the queue, retries
 * and bounces from there.  Each mailbox may have at most
 * STORE_HANDOVER_MAX waiting (STORE_LIMIT beyond). */
#define STORE_HANDOVER_MAX 100u
#define STORE_HANDOVER_TEXT_MAX 255u  /* message id and error kept, bytes */
typedef struct store_handover {
	uint64_t id;             /* store-wide, never reused */
	uint64_t mbid;           /* the mailbox that sent it (its key) */
	uint64_t blob_id, size;
	int64_t  created;
	int64_t  next_try;       /* not before (unix seconds) */
	uint32_t attempts;       /* failed hand-overs so far */
	/* NUL-terminated, never NULL, all in strbuf: */
	const char *mailbox;     /* who sent it */
	const char *sender;      /* envelope sender */
	const char *message_id;  /* for the log ("" if none) */
	const char *last_error;  /* why the last attempt failed ("" none) */
	size_t n_rcpts;
	const char **rcpts;      /* envelope recipients */
	char *strbuf;
} store_handover_t;
typedef struct store_handover_list {
	size_t count;
	store_handover_t *items; /* by mailbox, then id */
} store_handover_list_t;
/* Every waiting hand-over, or (due_by != 0) those whose next_try is at
 * or before due_by. */
int store_handover_list(store_t *st, int64_t due_by, store_handover_list_t **list_r);
void store_handover_list_free(store_handover_list_t **list);
/* Up to max bytes of h's message from offset (*len_r 0 at its end). */
int store_handover_read(store_t *st, const store_handover_t *h, uint64_t offset, void *buf,
                        size_t max, size_t *len_r);
/* The MTA took it: the record goes (and its body, if nothing else has it).
 * NOTFOUND if it is gone already. */
int store_handover_done(store_t *st, const store_handover_t *h);
/* An attempt failed: not again before next_try; why is kept (cut). */
int store_handover_failed(store_t *st, const store_handover_t *h, int64_t next_try,
                          const char *why);

/* ---- access control lists (store_acl.c) ---------------------------------
 * Rights per folder (and on the mailbox root, path ""), for a principal or
 * for STORE_ANYONE, as RFC 4314 letters.  Entries follow a folder through
 * renames (they are keyed by folder id) and go when it is deleted.  The
 * store records rights; deciding what they allow is the guard's job. */
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
/* The same for a caller (ACL on path). */
int store_acl_set_as(store_t *st, const store_call_t *call, const char *mbox, const char *path,
                     const char *principal, uint32_t rights, store_result_t *res_r);
/* Every entry of the mailbox.  NOTFOUND if the mailbox is missing. */
int store_acl_list(store_t *st, const char *mbox, store_acl_t **acl_r);
/* The entries of one folder ("" the root), for a caller (ACL on path). */
int store_acl_get_as(store_t *st, const store_call_t *call, const char *mbox, const char *path,
                     store_acl_t **acl_r);
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
/* The same for a caller: only the folders the guard lets it LOOKUP are
 * listed and counted, and pos never points past one it may not see. */
int store_folder_sync_as(store_t *st, const store_call_t *call, const char *mbox, uint64_t since,
                         const store_fsync_pos_t *pos, uint32_t max_deleted,
                         uint32_t max_folders, store_fsync_page_t **page_r);
void store_folder_sync_page_free(store_fsync_page_t **page);

#ifdef __cplusplus
}
#endif
#endif /* MAILRPC_STORE_H */
