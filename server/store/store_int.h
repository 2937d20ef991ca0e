/*
 * store_int.h -- internals shared by the store_*.c files (not public).
 *
 * Record layouts are described in docs/store-schema.md; all integers in
 * keys and values are big-endian.
 *
 * Layers.  A file calls only files of its own layer or below, never up,
 * and files of one layer do not call each other in a circle, so there
 * are no cycles between files (tests/t_store_layers.sh checks both from
 * the symbols of the object files).  Each file is named without "store_":
 *   layer 1: log codec validate
 *   layer 2: notify env
 *   layer 3: meta policy cidx count
 *   layer 4: mailbox folder_db blob message_db tomb op acl upload summary rfc2047 call
 *   layer 4: addr_db handover_db
 *   layer 5: folder message change list search sync folder_sync submit admin
 *   layer 5: verify verify_records verify_addr wait dump index address handover
 *   layer 6: open
 * 1: diagnostics and error helpers, record encoding, argument checks;
 * 2: the notification file, transactions; 3: schema version and upgrades,
 * store-wide counters, the policy; 4: records, and asking a call's guard
 * about them; 5: the public operations;
 * 6: opening and closing a store.
 */
#ifndef MAILRPC_STORE_INT_H
#define MAILRPC_STORE_INT_H

#include "store.h"

#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

/* 2: the per-folder change index "cidx"; 3: op results as ids and counts;
 * 4: what a mailbox holds counted in its record, op results in age order
 * per mailbox; domains, aliases and hand-overs to the MTA (an older store
 * is upgraded at open: store_meta.c). */
#define ST_SCHEMA_VERSION 4u
/* Internal status: the write hit MDB_MAP_FULL; st_write grows and retries. */
#define ST_MAPFULL (-1000)
/* The wake file (store_notify.c): one futex counter per mailbox slot. */
#define ST_WAKE_FILE "wake"
#define ST_WAKE_SLOTS 16384u
/* Bytes at the start of a body scanned for headers. */
#define ST_HEADER_SCAN_MAX (256u * 1024u)

struct store {
	MDB_env *env;
	MDB_dbi db_meta, db_mailbox, db_fpath, db_folder, db_msg, db_fidx,
	        db_blob, db_blobmeta, db_upload, db_acl, db_op, db_opage, db_tomb,
	        db_cidx, db_domain, db_alias, db_handover;
	store_options_t opt;
	pid_t pid;             /* opener; a handle must not cross fork */
	uint32_t *wake;	       /* the wake file's counters, mapped (NULL: none) */
	uint64_t wake_pending[ST_WAKE_SLOTS / 64]; /* counters of the mailboxes
				  this write txn saved: bumped after commit */
};

/* ---- store_log.c ---- */
/* One line "store: ..." to the process's sink (store_set_log). */
void st_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Maps an LMDB return code to a status; logs unexpected ones. */
int st_err(int rc, const char *what);
/* Logs "corrupt record db=DB key=KEY: why" and returns STORE_CORRUPT.
 * key may be NULL when only the record's meaning is known. */
int st_corrupt(const char *db, const MDB_val *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A key as text: its leading u64 fields in decimal ("3/17"), then the
 * rest as a quoted name, a chunk index or hex.  Returns buf. */
const char *st_key_text(const char *db, const MDB_val *key, char *buf, size_t size);
/* A broken promise between the store's own functions (never stored data:
 * that is STORE_CORRUPT): logs and aborts. */
void st_bug(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));
#define ST_BUG(...) st_bug(__FILE__, __LINE__, __VA_ARGS__)

/* ---- store_env.c ---- */
typedef int (*st_write_fn)(store_t *st, MDB_txn *txn, void *ctx);
/* Runs fn in one write txn; commits on STORE_OK; grows the map and
 * re-runs fn on ST_MAPFULL.  fn must only write ctx outputs. */
int st_write(store_t *st, st_write_fn fn, void *ctx);
int st_read_begin(store_t *st, MDB_txn **txn_r);
/* Visits every record of dbi, in key order, in one read transaction: fn
 * returns STORE_OK to go on, anything else ends the walk and is the
 * result.  what names the database in errors. */
typedef int (*st_each_fn)(const MDB_val *k, const MDB_val *v, void *ctx);
int st_read_each(store_t *st, MDB_dbi dbi, const char *what, st_each_fn fn, void *ctx);
/* Room for one more in the growing array *items (count in use, *cap
 * allocated, size bytes each): STORE_OK, or STORE_INTERNAL. */
int st_room_for_one(void **items, size_t count, size_t *cap, size_t size);
int64_t st_now(void);
/* Creates and opens the LMDB environment of st in dir (st->opt set). */
int st_env_open(store_t *st, const char *dir);

/* ---- store_notify.c ---- */
/* Maps (creating) the wake file of dir into st; on failure (logged)
 * waiters only see changes at their timeout. */
void st_notify_open(store_t *st, const char *dir);
void st_notify_close(store_t *st);
/* A write transaction begins: no mailbox saved yet. */
void st_notify_clear(store_t *st);
/* The write transaction saved mailbox mbid's record. */
void st_notify_mark(store_t *st, uint64_t mbid);
/* After the commit: wakes the waiters, in every process, of the mailboxes
 * marked. */
void st_notify(store_t *st);
/* A waiter's counter for mailbox mbid (NULL: no wake file), its value
 * (read before the change number it guards), and a sleep until it moves
 * past seen or ms pass: 0, or -1 when a signal came. */
uint32_t *st_notify_slot(store_t *st, uint64_t mbid);
uint32_t st_notify_seen(const uint32_t *slot);
int st_notify_sleep(uint32_t *slot, uint32_t seen, int ms);

/* ---- store_op.c ---- */
/* A preparation done before a call's write transaction, outside the
 * writer lock (checksums, summaries, a header put before an upload). */
typedef int (*st_prepare_fn)(store_t *st, void *ctx);
/* Runs a call that changes something, exactly once when call names an op
 * (see the exactly-once section of store.h): one write transaction looks
 * the op up and, if it is new, runs fn(ctx), which fills res (cleared
 * before each run: fn may run again when the map grows), then records res
 * when fn returned STORE_OK and changed something (res->status STORE_OK,
 * or res->done above 0).  A repeat fills res from the record
 * (res->replayed) and runs nothing, prepare included: so a call with a
 * prepare step (which may fail once the op is done: its upload is gone)
 * is looked up in a read transaction before it too.  This is the one
 * place that looks ops up or records them. */
int st_run(store_t *st, const store_call_t *call, uint32_t kind, st_prepare_fn prepare,
           st_write_fn fn, void *ctx, store_result_t *res);

/* ---- store_tomb.c ---- */
/* Records that message id (0: the folder itself got a new path) left
 * folder fid at change number change; forgets the oldest tombstones of
 * the mailbox past the bounds first. */
int st_tomb_add(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t change,
                uint64_t fid, uint64_t id);
/* The mailbox's horizon: states below it cannot be answered. */
int st_tomb_horizon(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t *horizon_r);
/* Once per store: mailboxes from before tombstones get their current
 * change number as horizon. */
int st_tomb_init(store_t *st, MDB_txn *txn);
/* Tombstone keys: mbid | change | folder id | id (the mailbox's head,
 * horizon and count, is the key with change 0). */
#define ST_TOMB_KEY_LEN 32u
/* The id of a tombstone that says folder fid itself was deleted
 * (store_folder_sync.c); message ids never reach it. */
#define ST_TOMB_FOLDER_GONE UINT64_MAX
size_t st_tomb_key(unsigned char out[ST_TOMB_KEY_LEN], uint64_t mbid, uint64_t change,
                   uint64_t fid, uint64_t id);
/* Calls fn for each tombstone of mailbox mbid from (change, fid, id) on,
 * in key order, until fn returns ST_TOMB_STOP (or a store error, passed
 * back); ST_TOMB_NEXT goes on. */
#define ST_TOMB_NEXT (-1)
#define ST_TOMB_STOP STORE_OK
typedef int (*st_tomb_fn)(void *ctx, uint64_t change, uint64_t fid, uint64_t id);
int st_tomb_walk(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t change, uint64_t fid,
                 uint64_t id, st_tomb_fn fn, void *ctx);

/* A count less n, never below 0 (a count that would go below is
 * reported by verify, which recounts). */
static inline uint32_t st_less(uint32_t count, uint64_t n)
{
	return n >= count ? 0 : (uint32_t)(count - n);
}

/* ---- big-endian integers (inline: every layer uses them) ---- */
static inline void st_put_u16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static inline void st_put_u32(unsigned char *p, uint32_t v)
{
	st_put_u16(p, (uint16_t)(v >> 16));
	st_put_u16(p + 2, (uint16_t)v);
}

static inline void st_put_u64(unsigned char *p, uint64_t v)
{
	st_put_u32(p, (uint32_t)(v >> 32));
	st_put_u32(p + 4, (uint32_t)v);
}

static inline uint16_t st_get_u16(const unsigned char *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t st_get_u32(const unsigned char *p)
{
	return ((uint32_t)st_get_u16(p) << 16) | st_get_u16(p + 2);
}

static inline uint64_t st_get_u64(const unsigned char *p)
{
	return ((uint64_t)st_get_u32(p) << 32) | st_get_u32(p + 4);
}

/* ---- record sizes (layouts: docs/store-schema.md) ---- */
#define ST_BLOBMETA_LEN 16u                        /* refs, 0, size */
#define ST_ACL_VAL_LEN 8u                          /* version, 0, rights */
#define ST_OP_KEY_LEN (8u + STORE_OPID_LEN)        /* mbid, op id */
#define ST_OP_VAL_LEN 28u                          /* created, kind, id, status, done */
#define ST_OPAGE_KEY_LEN (16u + STORE_OPID_LEN)	   /* mbid, created, op id */
/* An op value: the fixed part, then the result's ids, 8 bytes each. */
static inline int st_op_val_fits(size_t len)
{
	return len >= ST_OP_VAL_LEN && (len - ST_OP_VAL_LEN) % 8 == 0;
}
#define ST_TOMB_VAL_LEN 8u                         /* time */
#define ST_TOMB_HEAD_LEN 16u                       /* horizon, count */
#define ST_META_TOMBSTONES "tombstones"            /* meta key: horizons set */

/* ---- store_codec.c ---- */

typedef struct st_mbox {
	unsigned version;      /* of the record read: 1 only before schema 4 */
	uint32_t flags;        /* ST_MBOX_DISABLED */
	uint64_t mbid, next_msg_id, next_folder_id, bytes_used, messages,
	         change, quota;
	/* What else the mailbox holds, charged to it and bounded by the
	 * policy (store_limit.c): bytes announced by its unfinished uploads
	 * (counted against its quota), and how many uploads, folders, ACL
	 * entries (all folders) and op records it has. */
	uint64_t upload_bytes;
	uint32_t uploads, folders, acl_entries, ops;
} st_mbox_t;
#define ST_MBOX_DISABLED 1u
#define ST_MBOX_REC_LEN 96u
#define ST_MBOX_REC_V1_LEN 64u
void st_mbox_encode(const st_mbox_t *m, unsigned char out[ST_MBOX_REC_LEN]);
int st_mbox_decode(const MDB_val *v, st_mbox_t *m_r);

typedef struct st_folder {
	uint64_t id;           /* from the key */
	uint32_t flags;        /* ST_FOLDER_WELLKNOWN */
	uint64_t total, unread, bytes, change;
	size_t   pathlen;
	char     path[STORE_PATH_MAX + 1];
} st_folder_t;
#define ST_FOLDER_WELLKNOWN 1u
#define ST_FOLDER_REC_MAX (40u + 2u + STORE_PATH_MAX)
size_t st_folder_encode(const st_folder_t *f, unsigned char *out);
int st_folder_decode(const MDB_val *v, st_folder_t *f_r);

enum { SUM_FROM, SUM_TO, SUM_CC, SUM_SUBJECT, SUM_DATE, SUM_MSGID, SUM_COUNT };

#define ST_MSG_FIXED_LEN 80u
#define ST_MSG_REC_MAX (ST_MSG_FIXED_LEN + SUM_COUNT * (2u + STORE_SUMMARY_MAX))
typedef struct st_msg {
	uint32_t flags;
	uint64_t folder_id, blob_id, size, change;
	int64_t  received;
	unsigned char sha256[32];
	const char *sum[SUM_COUNT];  /* not NUL-terminated */
	size_t   sumlen[SUM_COUNT];
	/* st_msg_load copies the record here and points sum[] into it, so a
	 * loaded record survives later writes in the same txn.  Never copy
	 * an st_msg_t by assignment. */
	unsigned char rec[ST_MSG_REC_MAX];
} st_msg_t;
size_t st_msg_encode(const st_msg_t *m, unsigned char *out);
int st_msg_decode(const MDB_val *v, st_msg_t *m_r);

/* Per-folder index value: flags, size, received. */
#define ST_FIDX_VAL_LEN 20u
typedef struct st_fidx {
	uint64_t id;
	uint32_t flags;
	uint64_t size;
	int64_t  received;
} st_fidx_t;

typedef struct st_upload {
	uint32_t has_sha;
	uint64_t mbid, blob_id, expected, received;
	int64_t  created;
	unsigned char sha256[32];
} st_upload_t;
#define ST_UPLOAD_REC_LEN 80u
void st_upload_encode(const st_upload_t *u, unsigned char out[ST_UPLOAD_REC_LEN]);
int st_upload_decode(const MDB_val *v, st_upload_t *u_r);

/* key builders; return key length */
size_t st_key2(unsigned char out[16], uint64_t a, uint64_t b);
size_t st_key3(unsigned char out[24], uint64_t a, uint64_t b, uint64_t c);

/* ---- store_call.c ---- */
/* Where a guard's store_touch_rights looks. */
struct st_where {
	store_t *st;
	MDB_txn *txn;
	uint64_t mbid;
};
/* Asks call's guard (none: STORE_OK) about action on folder f (NULL: the
 * root) of mailbox mbox, message msg_id (0: none); see store_touch_t. */
typedef struct st_target {
	const char *mbox;
	uint64_t mbid;
	const st_folder_t *f;
	uint64_t msg_id;
	uint32_t flags;
} st_target_t;
int st_touch(store_t *st, MDB_txn *txn, const store_call_t *call, int action, int named,
             const st_target_t *at);
/* Whether st_touch would ask call's guard about mailbox mbox: what only
 * the guard needs (the folder of a message) is read only then. */
int st_asks(const store_call_t *call, const char *mbox);
/* The mailbox and the folder (path; NULL: the whole mailbox, *f zeroed)
 * a caller's read names, loaded in txn, with the guard's leave: READ on
 * the folder, SCOPE on the root. */
int st_read_target(store_t *st, MDB_txn *txn, const store_call_t *call, const char *mbox,
		   const char *path, st_mbox_t *mb, st_folder_t *f);
/* Whether the caller may LOOKUP at's folder: listings leave out the
 * folders the guard refuses (*visible_r 0) and fail only on errors. */
int st_visible(store_t *st, MDB_txn *txn, const store_call_t *call, const st_target_t *at,
               int *visible_r);

/* ---- store_acl.c ---- */
/* Sets principal's rights on folder fid (0: the root) of mailbox mbox
 * (loaded in mb, saved with its next change number); 0 removes them.  A
 * new entry for call (NULL: trusted) must fit the policy's limits. */
int st_acl_put(store_t *st, MDB_txn *txn, const store_call_t *call, const char *mbox, st_mbox_t *mb,
	       uint64_t fid, const char *principal, uint32_t rights);
/* Removes every ACL entry of one folder (fid 0: the mailbox root) of mb,
 * counting them off mb (which the caller saves). */
int st_acl_drop_folder(store_t *st, MDB_txn *txn, st_mbox_t *mb, uint64_t fid);
/* The ACL entries of folder fid of mailbox mbid. */
int st_acl_count(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t fid, uint64_t *n_r);
/* Removes every ACL entry of a mailbox. */
int st_acl_drop_mailbox(store_t *st, MDB_txn *txn, uint64_t mbid);
/* Appends every ACL entry of mailbox mbid to acl (by folder id, then
 * principal). */
int st_acl_collect(store_t *st, MDB_txn *txn, uint64_t mbid, store_acl_t *acl);

/* ---- store_validate.c ---- */
/* Length (1..4) of the valid UTF-8 character at s, 0 if invalid. */
size_t st_utf8_char(const unsigned char *s, size_t n, uint32_t *cp_r);
int st_utf8_valid(const char *s, size_t len);
int st_valid_mailbox_name(const char *name);
int st_valid_path(const char *path);   /* STORE_OK or STORE_INVALID */
int st_valid_flags(uint32_t flags);
/* ASCII letters to lower case, in place (domains, aliases). */
void st_lower(char *s);

/* ---- store_meta.c ---- */
/* Checks the schema of a store being opened, upgrading an older one. */
int st_meta_init(store_t *st, MDB_txn *txn);
/* Increments the named store-wide counter and returns its old value. */
int st_meta_next(store_t *st, MDB_txn *txn, const char *name, uint64_t *v_r);
/* A u64 value of "meta": *found_r 0 if absent; CORRUPT if not 8 bytes. */
int st_meta_get_u64(store_t *st, MDB_txn *txn, const char *name, uint64_t *v_r,
                    int *found_r);
int st_meta_put_u64(store_t *st, MDB_txn *txn, const char *name, uint64_t v);

/* ---- store_policy.c ---- */
/* Policy keys are kept in "meta" under this prefix and the key's name. */
#define ST_POLICY_PREFIX "policy:"
/* The value of key in force in txn (the default if never set, clamped
 * to the bounds of this build). */
int st_policy(store_t *st, MDB_txn *txn, int key, uint64_t *value_r);
/* Room for one more of what key bounds, for call, which has `have`:
 * STORE_LIMIT if not.  Trusted callers (call NULL) are not held to it. */
int st_policy_room(store_t *st, MDB_txn *txn, const store_call_t *call, int key, uint64_t have);

/* ---- store_count.c ---- */
/* Deletes (drop) or counts the keys of dbi that start with the plen bytes
 * of prefix; *n_r: how many. */
int st_prefix_each(MDB_txn *txn, MDB_dbi dbi, const unsigned char *prefix, size_t plen, int drop,
		   uint64_t *n_r);
/* What mailbox mbid holds besides messages, counted from the records. */
typedef struct st_counts {
	uint64_t upload_bytes;
	uint64_t uploads, folders, acl_entries, ops;
} st_counts_t;
int st_count(store_t *st, MDB_txn *txn, uint64_t mbid, st_counts_t *c);
/* Schema 3 -> 4: every mailbox record counts what its mailbox holds, and
 * "opage" is keyed by mailbox first.  *mailboxes_r: records rewritten. */
int st_count_upgrade(store_t *st, MDB_txn *txn, uint64_t *mailboxes_r);

/* ---- store_mailbox.c ---- */
/* Loads a mailbox: NOTFOUND, DISABLED (unless allow_disabled), INVALID. */
int st_mbox_load(store_t *st, MDB_txn *txn, const char *name,
                 int allow_disabled, st_mbox_t *mb_r);
int st_mbox_save(store_t *st, MDB_txn *txn, const char *name,
                 const st_mbox_t *mb);
/* Appends every mailbox name, in byte order, to n (*cap: its room). */
int st_mbox_names(store_t *st, MDB_txn *txn, store_mailbox_names_t *n, size_t *cap);
/* Calls fn for every mailbox that decodes (disabled ones too), with its
 * record loaded; fn saves it if it changes it. */
typedef int (*st_mbox_fn)(store_t *st, MDB_txn *txn, void *ctx, const char *name, st_mbox_t *mb);
int st_mbox_each(store_t *st, MDB_txn *txn, st_mbox_fn fn, void *ctx);
/* Effective quota of a mailbox (0 = unlimited). */
int st_mbox_quota(store_t *st, MDB_txn *txn, const st_mbox_t *mb, uint64_t *quota_r);

/* ---- store_folder_db.c ---- */
int st_folder_by_path(store_t *st, MDB_txn *txn, uint64_t mbid,
                      const char *path, st_folder_t *f_r);
int st_folder_by_id(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t fid,
                    st_folder_t *f_r);
int st_folder_save(store_t *st, MDB_txn *txn, uint64_t mbid,
                   const st_folder_t *f);
/* Creates folder path (no parent check) with a new id from mb. */
int st_folder_add(store_t *st, MDB_txn *txn, st_mbox_t *mb, const char *path,
                  uint32_t flags);
int st_folder_adjust(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t fid,
                     int64_t dtotal, int64_t dunread, int64_t dbytes,
                     uint64_t change);
void st_folder_to_info(const st_folder_t *f, store_folder_info_t *info);

/* ---- store_blob.c ---- */
int st_blob_new(store_t *st, MDB_txn *txn, uint64_t *blob_id_r);
int st_blob_append(store_t *st, MDB_txn *txn, uint64_t blob_id,
                   uint64_t cur_size, const void *data, size_t len);
int st_blob_read(store_t *st, MDB_txn *txn, uint64_t blob_id, uint64_t size,
                 uint64_t offset, void *buf, size_t len);
/* Adds delta to the reference count; deletes the body at zero. */
int st_blob_ref(store_t *st, MDB_txn *txn, uint64_t blob_id, int64_t delta);
int st_blob_sha256(store_t *st, MDB_txn *txn, uint64_t blob_id, uint64_t size,
                   unsigned char out[32]);
/* Calls fn for each chunk in order; fn returns non-zero to stop (returned). */
typedef int (*st_chunk_fn)(const unsigned char *p, size_t len, void *ctx);
int st_blob_each(store_t *st, MDB_txn *txn, uint64_t blob_id, uint64_t size,
                 st_chunk_fn fn, void *ctx);

/* ---- store_summary.c / store_rfc2047.c ---- */
typedef struct st_summary {
	char  *f[SUM_COUNT];   /* NUL-terminated UTF-8, malloc'd */
	size_t len[SUM_COUNT];
} st_summary_t;
/* Parses the header section at the start of msg (len bytes). */
int st_summary_parse(const char *msg, size_t len, st_summary_t *sum_r);
void st_summary_clear(st_summary_t *s);
/* Decodes RFC 2047 words in an unfolded header value (decode_words) and
 * sanitises to valid UTF-8 without controls, trimmed, bounded to max
 * bytes on a character boundary.  *out_r is malloc'd. */
int st_header_text(const char *in, size_t len, int decode_words, size_t max,
                   char **out_r, size_t *outlen_r);

/* ---- store_message_db.c ---- */
int st_msg_load(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t id,
                st_msg_t *m_r);
int st_msg_save(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t id,
                const st_msg_t *m);
/* The folder indexes of message id: "fidx" and the change index "cidx".
 * save puts it in m->folder_id under m->change, dropping its cidx entry
 * under old_change there (0: it was not in that folder); del takes it out
 * of folder fid, where its change number is change. */
int st_fidx_save(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t id,
                 const st_msg_t *m, uint64_t old_change);
int st_fidx_del(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t fid,
                uint64_t id, uint64_t change);
/* Inserts a new message (id from mb) referencing an existing blob (takes
 * one reference: caller adjusts refcount).  Checks size limit and quota,
 * updates folder and mailbox counters in mb (caller saves mb). */
/* Size limit and quota check for adding size bytes to mb. */
int st_msg_admit(store_t *st, MDB_txn *txn, const st_mbox_t *mb, uint64_t size);
int st_msg_insert(store_t *st, MDB_txn *txn, st_mbox_t *mb, uint64_t fid,
                  st_msg_t *m, uint64_t *id_r);
/* Removes message permanently, dropping its blob reference. */
int st_msg_remove(store_t *st, MDB_txn *txn, st_mbox_t *mb, uint64_t id,
                  int adjust_folder);
/* Fills a public msginfo (copying strings) from a record. */
int st_msg_to_info(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t id,
                   const st_msg_t *m, store_msginfo_t *info);
void st_msginfo_clear(store_msginfo_t *info);
/* Reads the header area of a blob and parses the summary. */
int st_blob_summary(store_t *st, MDB_txn *txn, uint64_t blob_id,
                    uint64_t size, st_summary_t *sum_r);
void st_msg_set_summary(st_msg_t *m, const st_summary_t *s);

/* ---- store_cidx.c ---- */
/* Change index keys: mbid | folder id | change | id, empty values. */
#define ST_CIDX_KEY_LEN 32u
size_t st_cidx_key(unsigned char out[ST_CIDX_KEY_LEN], uint64_t mbid, uint64_t fid,
                   uint64_t change, uint64_t id);
int st_cidx_put(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t fid, uint64_t change,
                uint64_t id);
int st_cidx_del(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t fid, uint64_t change,
                uint64_t id);
/* Fills the index from every message record (a store of schema 1). */
int st_cidx_build(store_t *st, MDB_txn *txn, uint64_t *count_r);

/* ---- store_verify_records.c ---- */
/* Calls report for each record of every database that does not decode. */
typedef void (*st_verify_report_fn)(void *ctx, const char *db, const char *key, const char *why);
int st_verify_records(store_t *st, MDB_txn *txn, st_verify_report_fn report, void *ctx);

/* ---- store_verify_addr.c ---- */
typedef void (*st_verify_problem_fn)(void *ctx, const char *text);
/* Calls report for each broken rule of the domains and aliases. */
int st_verify_addresses(store_t *st, MDB_txn *txn, st_verify_problem_fn report, void *ctx);

/* ---- store_upload.c ---- */
/* Loads mailbox and upload (the guard asked for UPLOAD on the mailbox);
 * NOTFOUND if the upload is not among the mailbox's. */
int st_upload_load(store_t *st, MDB_txn *txn, const store_call_t *call, const char *mbox,
                   uint64_t uid, st_mbox_t *mb, st_upload_t *u);
int st_upload_save(store_t *st, MDB_txn *txn, uint64_t uid, const st_upload_t *u);
int st_upload_del(store_t *st, MDB_txn *txn, uint64_t uid);
/* Deletes upload uid (record u, of mailbox mbox loaded in mb) and takes
 * its charge off mb, which it saves; the body's reference is the
 * caller's (moved to a message, or dropped). */
int st_upload_release(store_t *st, MDB_txn *txn, const char *mbox, st_mbox_t *mb, uint64_t uid,
		      const st_upload_t *u);

/* ---- store_addr_db.c ---- */
/* Domain records: "domain" key: the name in lower case; value: version,
 * flags.  Alias records: "alias" key: the address in lower case; value:
 * version, 0, 0, the mailbox's mbid, its name. */
#define ST_DOMAIN_DEFAULT 1u
#define ST_DOMAIN_VAL_LEN 4u
#define ST_ALIAS_FIXED_LEN 16u
/* The flags of local domain (lower case): NOTFOUND if it is not local. */
int st_domain_get(store_t *st, MDB_txn *txn, const char *domain, uint32_t *flags_r);
int st_domain_put(store_t *st, MDB_txn *txn, const char *domain, uint32_t flags);
/* The default domain (NOTFOUND: none) into domain_r. */
int st_domain_default(store_t *st, MDB_txn *txn, char domain_r[STORE_DOMAIN_MAX + 1]);
/* The mailbox alias (lower case) names: NOTFOUND if none. */
int st_alias_get(store_t *st, MDB_txn *txn, const char *alias, uint64_t *mbid_r,
                 char mailbox_r[STORE_NAME_MAX + 1]);
int st_alias_decode(const MDB_val *v, uint64_t *mbid_r, char mailbox_r[STORE_NAME_MAX + 1]);
/* See store_address_resolve. */
int st_address_resolve(store_t *st, MDB_txn *txn, const char *address, int *local_r,
                       char mailbox_r[STORE_NAME_MAX + 1]);
/* Removes every alias of mailbox mbid (the mailbox is deleted). */
int st_alias_drop_mailbox(store_t *st, MDB_txn *txn, uint64_t mbid);

/* ---- store_handover_db.c ---- */
/* "handover" key: mbid (8) | id (8); value: version, 0, attempts, blob id,
 * size, created, next try, then mailbox, sender, message id, last error
 * and the recipients (a count, then each) as u16 length and bytes. */
#define ST_HANDOVER_KEY_LEN 16u
#define ST_HANDOVER_FIXED_LEN 40u
/* The record of h (its id and mbid are the key), with its body reference
 * already counted by the caller. */
int st_handover_put(store_t *st, MDB_txn *txn, const store_handover_t *h);
/* Decodes a record into *h (strbuf and rcpts allocated: store_handover_clear). */
int st_handover_decode(const MDB_val *k, const MDB_val *v, store_handover_t *h);
void st_handover_clear(store_handover_t *h);
/* How many hand-overs of mailbox mbid wait. */
int st_handover_count(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t *count_r);

#endif /* MAILRPC_STORE_INT_H */
