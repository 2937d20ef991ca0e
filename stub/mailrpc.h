/*
 * mailrpc.h -- libmailrpc, the C API for mailrpc clients.
 *
 * A connection is one TCP connection to mailrpcd carrying one RPCSEC_GSS
 * (Kerberos v5) context at a chosen protection level.  No password is
 * ever handled here: the caller's Kerberos ticket cache (kinit) is used.
 *
 * Error idiom: every function returns an int status, MAILRPC_OK (0) on
 * success; on failure, if err is not NULL, err->status repeats the status
 * and err->message holds one sentence a user can act on.
 *
 * Thread safety: a connection must be used by one thread at a time (one
 * RPCSEC_GSS context allows one call in flight).  Open several connections
 * to work in parallel.
 *
 * Build with: pkg-config --cflags --libs mailrpc
 */
#ifndef MAILRPC_H
#define MAILRPC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Protection of every call and reply on the connection. */
enum mailrpc_level {
	MAILRPC_LEVEL_AUTH = 1,      /* authenticated only: readable on the wire */
	MAILRPC_LEVEL_INTEGRITY = 2, /* signed: tamper-evident, still readable */
	MAILRPC_LEVEL_PRIVACY = 3    /* encrypted (the server's default minimum) */
};

enum mailrpc_status {
	MAILRPC_OK = 0,
	/* Refusals by the server (same numbers as mr_status in the IDL). */
	MAILRPC_E_INTERNAL = 1,   /* server fault */
	MAILRPC_E_NOMAILBOX = 2,  /* your principal maps to no mailbox */
	MAILRPC_E_FOREIGN = 3,    /* your realm is not served */
	MAILRPC_E_INVALID = 4,
	MAILRPC_E_TOOBIG = 5,
	MAILRPC_E_NOTFOUND = 6,
	MAILRPC_E_EXISTS = 7,
	MAILRPC_E_NOTEMPTY = 8,
	MAILRPC_E_QUOTA = 9,
	MAILRPC_E_BUSY = 10,
	MAILRPC_E_DENIED = 11,
	MAILRPC_E_DISABLED = 12,
	MAILRPC_E_NOFOLDER = 13,
	MAILRPC_E_NOMESSAGE = 14,
	MAILRPC_E_NOUPLOAD = 15,  /* upload finished, expired, or not yours */
	MAILRPC_E_BADNAME = 16,   /* folder name not allowed */
	MAILRPC_E_NORCPT = 17,    /* cannot deliver to a recipient: nothing was delivered */
	MAILRPC_E_MISMATCH = 18,  /* upload size or SHA-256 differs from announced */
	MAILRPC_E_OFFSET = 19,    /* upload offset is not the bytes received */
	MAILRPC_E_WELLKNOWN = 20, /* well-known folders cannot be renamed/deleted */
	MAILRPC_E_DAMAGED = 21,   /* a record stored on the server is damaged */
	MAILRPC_E_FULL = 22,      /* the server's storage is full: try later */
	MAILRPC_E_LIMIT = 23,     /* a per-user resource limit was reached */
	MAILRPC_E_CONNLIMIT = 24, /* too many connections of your principal */
	MAILRPC_E_SENDER = 25,    /* the message's From: or Sender: is not yours to use */
	/* Failures found on the client side. */
	MAILRPC_E_USAGE = 100,    /* bad argument to a libmailrpc function */
	MAILRPC_E_CONNECT = 101,  /* TCP connection could not be made */
	MAILRPC_E_NOCREDS = 102,  /* no Kerberos ticket: run kinit */
	MAILRPC_E_EXPIRED = 103,  /* Kerberos ticket expired: run kinit */
	MAILRPC_E_AUTH = 104,     /* Kerberos authentication failed */
	MAILRPC_E_TOOWEAK = 105,  /* server requires a higher level */
	MAILRPC_E_RPC = 106,      /* connection lost, timeout, protocol error */
	MAILRPC_E_NOMEM = 107,
	MAILRPC_E_IO = 108,       /* reading or writing a local file failed */
	MAILRPC_E_CORRUPT = 109,  /* downloaded or cached bytes do not match their SHA-256 */
	MAILRPC_E_NOTCACHED = 110, /* not in the offline cache (mailrpc_cache_*) */
	/* The server does not know the operation (a procedure or protocol
	 * version newer than it): upgrade mailrpcd.  The message names the
	 * operation, "server too old for X" (or, for a server that dropped
	 * this client's version, says the client is too old). */
	MAILRPC_E_TOOOLD = 111,
	/* A sealed reply failed its integrity check (altered on the way): none
	 * of it was used and the connection's security context was ended (the
	 * next call makes a new one).  Also: a server that offered sealed
	 * calls on a connection stopped offering them (never continued
	 * unsealed). */
	MAILRPC_E_INTEGRITY = 112
};

struct mailrpc_error {
	int status;
	char message[512];
};

struct mailrpc_options {
	const char *server;    /* "HOST:PORT" or "[V6ADDR]:PORT"; required.  "HOST"
				* or "[V6ADDR]" alone: the port rpcbind there has
				* for mailrpc (mailrpcd --register) */
	int level;             /* enum mailrpc_level; 0 means privacy */
	const char *principal; /* service, "SERVICE@HOST"; NULL: "mailrpc@HOST" */
	const char *ccache;    /* Kerberos credential cache; NULL: the default */
	/* Seconds to wait for each reply; 0 (the default) adapts it to the
	 * link: 4 times the call's expected time at the measured speed
	 * (rate and round trip, learned from the calls made), at least 10 s,
	 * at most 600 s (50 s more for a search or a folder delete, which
	 * take server time).  So a 56 kbit/s link does not time out on a
	 * large chunk while a dead LAN link is noticed within 10 s.  Chunk sizes
	 * adapt as well (mailrpc_fetch).  $MAILRPC_DEBUG_LINK set: a line
	 * per call on stderr with what was measured and chosen. */
	int timeout;
	const char *state_dir; /* where unfinished uploads are remembered so that
	                          the same put/send resumes; NULL: not remembered.
	                          Refused (MAILRPC_E_IO) unless it is a directory
	                          of yours that group and others cannot write to:
	                          see mailrpc_state_dir */
	const char *mailbox;   /* work in this mailbox ("public": the public
	                          folders); NULL: your own */
	/* When a call fails because the connection is lost (cannot send,
	 * cannot receive, no reply within timeout) and it is safe to repeat
	 * -- it reads, appends at an explicit offset, or carries an operation
	 * id (commits, move, copy, delete, set_flags) -- the library makes a
	 * new connection and security context (and opens mailbox again),
	 * then repeats the call, waiting reconnect_delay_ms before the first
	 * attempt and twice as long before each next one (at most 10 s; each
	 * wait a quarter longer or shorter at random).  Other calls fail,
	 * and the connection is remade before the next call.  Giving up says
	 * "connection to the server lost ... (gave up after N attempts)". */
	int reconnect_attempts; /* per call; 0 means 4 (at most 7.5 s of
	                           waiting with the default delay); <0: never */
	int reconnect_delay_ms; /* 0 means 500 */
};

struct mailrpc;

/*
 * The directory for options.state_dir: $XDG_CACHE_HOME/mailrpc, else
 * $HOME/.cache/mailrpc, made (mode 0700) when missing.  Whoever can write
 * there could make the library read or overwrite files as you, so an
 * existing one is used only if it is a directory you own that group and
 * others cannot write to; otherwise MAILRPC_E_IO, the message naming it
 * and the fix.  Files in it are never opened through a symbolic link.
 * MAILRPC_E_USAGE when neither variable is set.  The path goes to buf.
 */
int mailrpc_state_dir(char *buf, size_t len, struct mailrpc_error *err);

/*
 * Connects and establishes the security context.  On success *conn_r owns
 * the connection; release it with mailrpc_close.
 */
int mailrpc_connect(const struct mailrpc_options *opts, struct mailrpc **conn_r,
		    struct mailrpc_error *err);

/* Destroys the context on the server, closes, and sets *conn to NULL. */
void mailrpc_close(struct mailrpc **conn);

/* The server's view of the caller (WHOAMI). */
struct mailrpc_whoami {
	char principal[256];   /* Kerberos principal */
	char mailbox[256];     /* mailbox it maps to */
	int level;             /* level of this connection, as the server saw it */
	int min_level;         /* the server's minimum level */
	int expires_in;        /* seconds until the Kerberos ticket expires */
	unsigned max_chunk;    /* largest data chunk per fetch reply, bytes */
	/* At privacy: 1 when the calls are sealed (AES-256-GCM with keys
	 * derived from the Kerberos context, docs/sealing.md), which the
	 * library does whenever the server offers it; 0 when they are
	 * RPCSEC_GSS's own privacy (a server without sealing).  0 at lower
	 * levels. */
	int sealed;
};

int mailrpc_whoami(struct mailrpc *conn, struct mailrpc_whoami *who_r, struct mailrpc_error *err);

/* ------------------------------------------------------------------ */
/* Folders.  Paths use "/" between levels; names may contain spaces.   */

struct mailrpc_folder {
	char path[256];
	uint64_t total;        /* messages */
	uint64_t unread;
	uint64_t size;         /* bytes */
	int well_known;        /* Inbox, Drafts, Outbox, Sent Items, Deleted Items */
};

/* Every folder, in path order.  *folders_r is one malloc'd array: free(). */
int mailrpc_folders(struct mailrpc *conn, struct mailrpc_folder **folders_r, size_t *count_r,
		    struct mailrpc_error *err);
/* The parent must exist. */
int mailrpc_folder_create(struct mailrpc *conn, const char *path, struct mailrpc_error *err);
/* Renames or moves a folder with its subfolders. */
int mailrpc_folder_rename(struct mailrpc *conn, const char *from, const char *to,
			  struct mailrpc_error *err);
/* A folder with messages or subfolders is refused unless recursive. */
int mailrpc_folder_delete(struct mailrpc *conn, const char *path, int recursive,
			  struct mailrpc_error *err);

/* ------------------------------------------------------------------ */
/* Message summaries.                                                  */

enum mailrpc_flag {
	MAILRPC_FLAG_SEEN = 1,
	MAILRPC_FLAG_FLAGGED = 2,
	MAILRPC_FLAG_ANSWERED = 4,
	MAILRPC_FLAG_DRAFT = 8,
	MAILRPC_FLAG_DELETED = 16  /* IMAP \Deleted: marked for expunge (right "t") */
};

struct mailrpc_summary {
	uint64_t id;
	char folder[256];
	unsigned flags;            /* enum mailrpc_flag bits */
	uint64_t size;             /* bytes */
	int64_t received;          /* unix seconds, when the server stored it */
	unsigned char sha256[32];  /* of the message bytes */
	/* Headers decoded to UTF-8 (RFC 2047); never NULL, "" when absent. */
	char *from, *to, *cc, *subject, *date, *message_id;
};

struct mailrpc_msglist {
	size_t count;
	struct mailrpc_summary *items;
	uint64_t total;            /* entries matching (search: found so far) */
	int more;                  /* entries exist after these */
};

/* Frees a list and its strings; sets *list to NULL. */
void mailrpc_msglist_free(struct mailrpc_msglist **list);

enum mailrpc_sort {
	MAILRPC_SORT_ID = 0,
	MAILRPC_SORT_DATE = 1,     /* received time */
	MAILRPC_SORT_SIZE = 2,
	MAILRPC_SORT_FROM = 3,
	MAILRPC_SORT_SUBJECT = 4
};

struct mailrpc_list_query {
	const char *folder;        /* NULL: "Inbox" */
	int sort;                  /* enum mailrpc_sort */
	int descending;
	int unread_only;
	uint64_t offset;
	unsigned limit;            /* 0: all */
};

/* Lists a folder; the library fetches as many server pages as needed. */
int mailrpc_list(struct mailrpc *conn, const struct mailrpc_list_query *q,
		 struct mailrpc_msglist **list_r, struct mailrpc_error *err);

struct mailrpc_search_query {
	const char *folder;        /* NULL or "": every folder */
	/* Substrings, ASCII case-insensitive; NULL or "": any.  All must match. */
	const char *from, *to, *subject, *body;
	uint64_t offset;
	unsigned limit;            /* 0: all */
};

/* Results in ascending id order. */
int mailrpc_search(struct mailrpc *conn, const struct mailrpc_search_query *q,
		   struct mailrpc_msglist **list_r, struct mailrpc_error *err);

/* One message's summary (a list of one). */
int mailrpc_info(struct mailrpc *conn, uint64_t id, struct mailrpc_msglist **list_r,
		 struct mailrpc_error *err);

/* ------------------------------------------------------------------ */
/* Changing messages.  Ids go one by one; on failure *done_r says how  */
/* many ids succeeded first.  The server takes MAILRPC_BATCH_MAX ids a */
/* call at most (more are sent in several calls).  Each call carries a */
/* new operation id, so one lost with its connection is repeated and   */
/* still done once (a repeated move or copy gets the same new ids).    */
/* A message moved or copied gets a new id in the folder it goes to    */
/* (the ids of a folder only grow, as IMAP's UIDs must): new_ids_r     */
/* (may be NULL) receives them, n entries (0 for those not done).      */

#define MAILRPC_BATCH_MAX 4096
int mailrpc_move(struct mailrpc *conn, const uint64_t *ids, size_t n, const char *folder,
		 uint64_t *new_ids_r, size_t *done_r, struct mailrpc_error *err);
int mailrpc_copy(struct mailrpc *conn, const uint64_t *ids, size_t n, const char *folder,
		 uint64_t *new_ids_r, size_t *done_r, struct mailrpc_error *err);
/* To Deleted Items (new ids there in new_ids_r); for good (new id 0)
 * when already there or when hard. */
int mailrpc_delete(struct mailrpc *conn, const uint64_t *ids, size_t n, int hard,
		   uint64_t *new_ids_r, size_t *done_r, struct mailrpc_error *err);
/* Sets, then clears, flag bits on all ids in one transaction (all or none). */
int mailrpc_set_flags(struct mailrpc *conn, const uint64_t *ids, size_t n, unsigned set,
		      unsigned clear, struct mailrpc_error *err);

/* ------------------------------------------------------------------ */
/* Moving message bytes, in chunks of at most the server's max_chunk. */

/* Called after each chunk; total is the message size. */
typedef void (*mailrpc_progress_fn)(uint64_t done, uint64_t total, void *ctx);

/* One chunk: up to len bytes from offset.  size_r and sha256_r (32 bytes)
 * describe the whole message; either may be NULL.  *got_r may be less
 * than len before the end: the library asks for chunks that take about
 * 2 s at the link's measured speed (at least 16 KiB, at most 128 KiB), so
 * a cut loses little; uploads (mailrpc_put, mailrpc_send) do the same. */
int mailrpc_fetch(struct mailrpc *conn, uint64_t id, uint64_t offset, void *buf, size_t len,
		  size_t *got_r, uint64_t *size_r, unsigned char *sha256_r,
		  struct mailrpc_error *err);

/*
 * Writes message id to fd and checks it against the server's SHA-256.
 * resume: fd is a regular file opened read-write holding the start of an
 * earlier download; the download continues after its last byte, and the
 * check covers the whole file.  Otherwise writing starts at byte 0 (fd may
 * be a pipe).  progress may be NULL.
 */
int mailrpc_download(struct mailrpc *conn, uint64_t id, int fd, int resume,
		     mailrpc_progress_fn progress, void *ctx, struct mailrpc_error *err);

/*
 * Stores everything readable from fd (file or pipe) as a new message in
 * folder, with the given flags.  A message that fits one chunk goes in one
 * call (mailrpc_append); a bigger one is uploaded in chunks, and with
 * opts.state_dir set an interrupted put of the same bytes resumes where it
 * stopped.
 */
/*
 * Stores len (at most MAILRPC_APPEND_MAX) bytes as a new message in folder
 * in one call: one round trip and one durable commit, checked against its
 * SHA-256, named by a fresh operation id so that a repeat after a lost
 * connection stores it once.
 */
#define MAILRPC_APPEND_MAX 131072u /* the protocol's chunk limit */
int mailrpc_append(struct mailrpc *conn, const char *folder, const void *data, size_t len,
		   unsigned flags, uint64_t *id_r, struct mailrpc_error *err);
int mailrpc_put(struct mailrpc *conn, const char *folder, int fd, unsigned flags,
		mailrpc_progress_fn progress, void *ctx, uint64_t *id_r, struct mailrpc_error *err);

/*
 * Sends everything readable from fd to rcpts: addresses, each one address
 * as people write them ("Carol <carol@example.org>", carol@example.org),
 * or bare mailbox names of the server.  Addresses in the server's domains
 * (and mailbox names) get it in their Inbox, and a copy goes to your Sent
 * Items, all in one transaction; the server hands the rest to its mail
 * system (MTA), which delivers them and retries and bounces as mail
 * systems do: a failure after that comes back as a bounce in your Inbox.
 * Success means the server has the message: even if its MTA is down just
 * then, it hands it over once it can.
 *
 * The message's From: (and any Sender:) must name addresses you may send
 * as: your own, or those of a mailbox whose Outbox grants you right "p"
 * (then that mailbox's Sent Items get the copy and the message gains a
 * Sender: line naming you); else MAILRPC_E_SENDER, "you may not send as
 * ADDRESS".  A missing From: (your address), Date: or Message-ID: is
 * added by the server.  A malformed address is MAILRPC_E_INVALID ("X is
 * not a valid address"), and a recipient the server cannot deliver to
 * MAILRPC_E_NORCPT ("cannot deliver to X"; never why, so nobody learns
 * whether another mailbox exists, is disabled or is full): either way
 * nothing is sent to anyone.
 */
int mailrpc_send(struct mailrpc *conn, const char *const *rcpts, size_t n, int fd,
		 mailrpc_progress_fn progress, void *ctx, uint64_t *sent_id_r,
		 struct mailrpc_error *err);

/*
 * Sends on behalf of mailbox from (you need right "p" on its Outbox, and
 * no other): the message gains a "Sender:" header naming you, and from's
 * Sent Items gets the copy.  from NULL or "" is mailrpc_send (the From:
 * line alone then says whose message it is).
 */
int mailrpc_send_as(struct mailrpc *conn, const char *from, const char *const *rcpts, size_t n,
		    int fd, mailrpc_progress_fn progress, void *ctx, uint64_t *sent_id_r,
		    struct mailrpc_error *err);

/* What a send did. */
struct mailrpc_sent {
	uint64_t sent_id; /* the copy in Sent Items */
	unsigned local;	  /* recipients delivered on the server */
	unsigned remote;  /* recipients the server hands to its mail system */
};
/* mailrpc_send_as, telling what went where. */
int mailrpc_send_report(struct mailrpc *conn, const char *from, const char *const *rcpts,
			size_t n, int fd, mailrpc_progress_fn progress, void *ctx,
			struct mailrpc_sent *sent_r, struct mailrpc_error *err);

/* The building blocks of put and send, for clients that manage uploads. */
int mailrpc_upload_begin(struct mailrpc *conn, uint64_t size, const unsigned char *sha256,
			 uint64_t *upload_r, struct mailrpc_error *err);
/* On MAILRPC_E_OFFSET, *received_r still says where to resume. */
int mailrpc_upload_append(struct mailrpc *conn, uint64_t upload, uint64_t offset,
			  const void *data, size_t len, uint64_t *received_r,
			  struct mailrpc_error *err);
int mailrpc_upload_status(struct mailrpc *conn, uint64_t upload, uint64_t *received_r,
			  uint64_t *size_r, struct mailrpc_error *err);
int mailrpc_upload_abort(struct mailrpc *conn, uint64_t upload, struct mailrpc_error *err);
int mailrpc_upload_commit_append(struct mailrpc *conn, uint64_t upload, const char *folder,
				 unsigned flags, uint64_t *id_r, struct mailrpc_error *err);
/* from: NULL or "" to send as the message says, else on behalf of that
 * mailbox; rcpts as for mailrpc_send. */
int mailrpc_upload_commit_send(struct mailrpc *conn, uint64_t upload, const char *from,
			       const char *const *rcpts, size_t n, struct mailrpc_sent *sent_r,
			       struct mailrpc_error *err);
/* The same, telling only the Sent Items copy. */
int mailrpc_upload_commit_submit(struct mailrpc *conn, uint64_t upload, const char *from,
				 const char *const *rcpts, size_t n, uint64_t *sent_id_r,
				 struct mailrpc_error *err);

/*
 * Exactly-once commits.  The two commits above name each call with a new
 * random operation id and, when the connection is lost before the reply
 * (see reconnect_attempts), reconnect and ask again with the same id: the
 * server answers a repeated id with the first call's result instead of
 * storing or sending the message twice.  The
 * _op forms take the id from the caller, for clients that retry across
 * connections or restarts themselves: reuse the id only for the same call.
 */
#define MAILRPC_OPID_SIZE 16
/* A new random operation id (OpenSSL RAND_bytes). */
int mailrpc_opid_new(unsigned char op[MAILRPC_OPID_SIZE], struct mailrpc_error *err);
int mailrpc_upload_commit_append_op(struct mailrpc *conn, uint64_t upload, const char *folder,
				    unsigned flags, const unsigned char op[MAILRPC_OPID_SIZE],
				    uint64_t *id_r, struct mailrpc_error *err);
int mailrpc_upload_commit_submit_op(struct mailrpc *conn, uint64_t upload, const char *from,
				    const char *const *rcpts, size_t n,
				    const unsigned char op[MAILRPC_OPID_SIZE], uint64_t *sent_id_r,
				    struct mailrpc_error *err);
int mailrpc_upload_commit_send_op(struct mailrpc *conn, uint64_t upload, const char *from,
				  const char *const *rcpts, size_t n,
				  const unsigned char op[MAILRPC_OPID_SIZE],
				  struct mailrpc_sent *sent_r, struct mailrpc_error *err);

/* ------------------------------------------------------------------ */
/* Sharing.  Rights are RFC 4314 letters: l lookup, r read, s keep     */
/* seen, w write flags, i insert, p post (send on behalf), k create    */
/* subfolders, x delete folder, t delete messages, e expunge,          */
/* a administer.  Folders you may not look up read as nonexistent.     */

/* Later calls work in mailbox (NULL or "": your own; "public": the public
 * folders).  Never fails for an unknown mailbox: it just shows nothing. */
int mailrpc_open_mailbox(struct mailrpc *conn, const char *mailbox, struct mailrpc_error *err);

struct mailrpc_acl_entry {
	char principal[256];   /* Kerberos principal, or "anyone" */
	char rights[16];       /* letters */
};

/* The ACL of folder ("" or "/": the mailbox root).  *entries_r: free(). */
int mailrpc_acl_get(struct mailrpc *conn, const char *folder, struct mailrpc_acl_entry **entries_r,
		    size_t *count_r, struct mailrpc_error *err);
/* Grants principal exactly rights on folder; rights "" removes the entry. */
int mailrpc_acl_set(struct mailrpc *conn, const char *folder, const char *principal,
		    const char *rights, struct mailrpc_error *err);
/* Your own rights on folder (letters as above; the owner holds all). */
int mailrpc_myrights(struct mailrpc *conn, const char *folder, char rights_r[16],
		     struct mailrpc_error *err);

/* The quota of the mailbox you work in (its owner only). */
struct mailrpc_quota {
	uint64_t used;         /* bytes of all messages */
	uint64_t limit;        /* bytes in force: the mailbox's own quota, else
	                          the server's default-quota policy; 0: none */
	uint64_t messages;
};
int mailrpc_quota(struct mailrpc *conn, struct mailrpc_quota *quota_r, struct mailrpc_error *err);

/* ------------------------------------------------------------------ */
/* Waiting for changes.                                                */

/*
 * Every change to a mailbox takes its next change number.  Returns as soon
 * as the number of folder (NULL or "": the whole mailbox, which only its
 * owner may watch) exceeds since, or after max_wait seconds (the server
 * may cut the wait shorter; at most 3600), with the current number in
 * *change_r: not above since means nothing changed.  max_wait 0 answers at
 * once: the number to start from.  The reply timeout is a small call's
 * (see timeout in struct mailrpc_options) plus max_wait.
 */
#define MAILRPC_WAIT_MAX_SECONDS 3600
int mailrpc_wait(struct mailrpc *conn, const char *folder, uint64_t since, unsigned max_wait,
		 uint64_t *change_r, struct mailrpc_error *err);

/* ------------------------------------------------------------------ */
/* Catching up with a folder.                                          */

struct mailrpc_sync {
	int resync;                /* since could no longer be answered (the
	                              server forgot removals that old, or the
	                              folder's path was created or renamed since):
	                              changed is then the whole folder; drop
	                              everything kept for it first */
	uint64_t state;            /* keep this, pass it as since next time */
	size_t n_removed;
	uint64_t *removed;         /* ids that left the folder (deleted or moved out) */
	struct mailrpc_msglist *changed; /* new, flags changed or moved in, by id */
};

/*
 * What changed in folder after state since (0: never synced: every message,
 * as changed), in as many server pages as it takes.  Apply removed before
 * changed: a message moved out and back in is in both.  On failure nothing
 * is returned and since is still the state to use.  *result_r belongs to
 * the caller: mailrpc_sync_free.
 */
int mailrpc_sync_folder(struct mailrpc *conn, const char *folder, uint64_t since,
			struct mailrpc_sync **result_r, struct mailrpc_error *err);
/* Frees a sync result; sets *result to NULL. */
void mailrpc_sync_free(struct mailrpc_sync **result);

/* Catching up with the folder hierarchy.                              */
struct mailrpc_folder_change {
	uint64_t id;               /* stays with the folder through renames */
	struct mailrpc_folder folder;
};
struct mailrpc_folder_sync {
	int complete;              /* the whole list (since was 0, or the server
	                              could no longer answer since: older than
	                              the removals it keeps, or not your own
	                              mailbox): forget folders not in it */
	uint64_t state;            /* keep this, pass it as since next time */
	size_t n_deleted;
	uint64_t *deleted;         /* ids of folders deleted since */
	size_t n_folders;
	struct mailrpc_folder_change *folders; /* created, renamed or changed, by id */
};
/*
 * How the folders changed after hierarchy state since (0: every folder you
 * may look up), in as many server pages as it takes.  A folder renamed
 * keeps its id; a folder's counts changing also lists it.  On failure
 * nothing is returned and since is still the state to use.  Free the
 * result with mailrpc_folder_sync_free.
 */
int mailrpc_folder_sync(struct mailrpc *conn, uint64_t since, struct mailrpc_folder_sync **result_r,
			struct mailrpc_error *err);
void mailrpc_folder_sync_free(struct mailrpc_folder_sync **result);

/* ------------------------------------------------------------------ */
/* Offline cache: a local copy of a mailbox for slow or missing links. */
/*
 * One LMDB file per server and mailbox, cache-<SHA-256 of both>.mdb in
 * opts->state_dir, holds the folder list, every synced folder's summaries
 * and sync state, and message bodies (kept in chunks, so a body cut off
 * mid-transfer continues from where it stopped).  The mailbox is
 * opts->mailbox, or for your own the default principal of opts->ccache
 * (read locally), so two users sharing a cache directory never share a
 * file.  The cache is not thread-safe: one thread per cache.
 */
struct mailrpc_cache;

/*
 * Opens the cache of opts->server and opts->mailbox in opts->state_dir
 * (both required; nothing is connected).  create: make it if missing (for
 * syncing); MAILRPC_CACHE_WRITE: open an existing one for offline changes;
 * 0: read only.  A missing cache is MAILRPC_E_NOTCACHED unless create is
 * 1.  Release with mailrpc_cache_close.
 */
#define MAILRPC_CACHE_WRITE 2
int mailrpc_cache_open(const struct mailrpc_options *opts, int create,
		       struct mailrpc_cache **cache_r, struct mailrpc_error *err);
/* Closes the cache and sets *cache to NULL. */
void mailrpc_cache_close(struct mailrpc_cache **cache);

struct mailrpc_cache_limits {
	int headers_only;              /* cache summaries only, no bodies */
	uint64_t max_size;             /* skip bodies larger than this; 0: none */
	mailrpc_progress_fn progress;  /* body bytes fetched of those to fetch; may be NULL */
	void *ctx;
	/* Told of each offline change replayed (see mailrpc_cache_replay);
	 * may be NULL. */
	void (*replayed)(const char *line, int dropped, void *ctx);
	void *replay_ctx;
};

/* What one mailrpc_cache_sync did. */
struct mailrpc_cache_report {
	size_t folders;                /* folders synced */
	uint64_t changed, removed;     /* summaries stored and dropped */
	uint64_t bodies;               /* bodies fetched (finished) */
	uint64_t body_bytes;           /* body bytes fetched */
	uint64_t skipped;              /* bodies left out by the limits */
	/* Folders: new, renamed (messages kept) and deleted (messages
	 * dropped); folders_resync: the hierarchy was listed again whole. */
	size_t folders_new, folders_renamed, folders_deleted;
	int folders_resync;
	/* Offline changes sent to the server, and dropped because their
	 * message is gone there (mailrpc_cache_replay). */
	uint64_t replayed, dropped;
};

/*
 * Brings the cache up to date with the server over conn: first replays
 * the offline changes (mailrpc_cache_replay, told to limits->replayed),
 * then the folder list (FOLDER_SYNC: renamed folders keep their messages,
 * deleted ones leave the cache with theirs), then for each of folders (n == 0: every folder) only what changed since
 * its last sync (the whole folder the first time, or when the server says
 * resync), then every missing body of those folders within limits (limits
 * may be NULL: all bodies).  Interrupted, it resumes: a folder's state is
 * kept only with its changes applied, bodies whose SHA-256 checks out are
 * never fetched again, and a partial body continues from its length.
 * report_r may be NULL.
 */
int mailrpc_cache_sync(struct mailrpc *conn, struct mailrpc_cache *cache,
		       const char *const *folders, size_t n,
		       const struct mailrpc_cache_limits *limits,
		       struct mailrpc_cache_report *report_r, struct mailrpc_error *err);

/*
 * Offline changes.  With no link, these change the cache's view at once
 * (--offline ls and cat show it) and record the change in the cache's
 * journal, each message's change an entry with its own operation id chosen
 * now.  mailrpc_cache_sync replays the journal first, in order, each call
 * with its entry's id (so a replay cut off and repeated, even by another
 * run, reuses the id and the server does it once), removing each entry once
 * the server answered it, then syncs down.  A message moved (to Deleted
 * Items too) gets a new id on the server: the cache keeps its summary and
 * body under it, and later entries about the message follow it.
 *
 * Conflicts: a message deleted on the server (or otherwise gone) stays
 * deleted: the offline change is dropped and reported (dropped = 1).  Any
 * other refusal (a target folder deleted meanwhile, rights revoked) is
 * dropped and reported the same way, and the cached message is read from
 * the server again.  Flags replay as a change (set these, clear those),
 * never as a whole set: flags changed on the server that the offline change
 * did not touch stay as the server has them; for a flag both changed, the
 * offline change wins (it is applied last).  A move replays to the folder
 * named offline, wherever the message is by then.  A delete replays as a
 * move to Deleted Items, or as a permanent delete if it was hard or the
 * message was in Deleted Items when deleted offline.
 *
 * Ids of messages in the cache only; messages waiting in the Outbox to be
 * sent cannot be changed.  At most MAILRPC_BATCH_MAX ids per call.
 */
int mailrpc_cache_set_flags(struct mailrpc_cache *cache, const uint64_t *ids, size_t n,
			    unsigned set, unsigned clear, struct mailrpc_error *err);
int mailrpc_cache_move(struct mailrpc_cache *cache, const uint64_t *ids, size_t n,
		       const char *folder, struct mailrpc_error *err);
int mailrpc_cache_delete(struct mailrpc_cache *cache, const uint64_t *ids, size_t n, int hard,
			 struct mailrpc_error *err);
/*
 * Queues everything readable from fd for sending to rcpts (from: NULL or ""
 * yourself, else on behalf of that mailbox): it shows in the cached Outbox
 * under a local id (*local_id_r, may be NULL; 2^52 and up) until a sync
 * submits it, once (upload, then UPLOAD_COMMIT_SUBMIT with the entry's
 * operation id).  A send the server refuses (unknown recipient) is
 * reported like any other dropped change, and the message is appended to
 * Drafts on the server (once, under an operation id derived from the
 * send's); if even that fails, the entry stays for the next sync.
 */
int mailrpc_cache_send(struct mailrpc_cache *cache, const char *from, const char *const *rcpts,
		       size_t n, int fd, uint64_t *local_id_r, struct mailrpc_error *err);
/* Changes recorded and not yet replayed. */
int mailrpc_cache_pending(struct mailrpc_cache *cache, size_t *count_r, struct mailrpc_error *err);
/*
 * Replays the journal over conn (mailrpc_cache_sync does this first).
 * replayed (may be NULL) is told of each entry answered, with a line such
 * as "flag 12 +seen" or "dropped: rm 12: message 12 is gone from the
 * server"; report_r counts replayed and dropped entries (may be NULL).  A
 * lost link or a server fault stops it with the entry kept for next time.
 */
int mailrpc_cache_replay(struct mailrpc *conn, struct mailrpc_cache *cache,
			 void (*replayed)(const char *line, int dropped, void *ctx), void *ctx,
			 struct mailrpc_cache_report *report_r, struct mailrpc_error *err);

/*
 * The offline forms of mailrpc_folders, mailrpc_list, mailrpc_search and
 * mailrpc_download: the same arguments and results, answered from the cache
 * as of the last sync, with no network.  A folder never synced, or a body
 * not cached (headers only, over max_size, not yet fetched), is
 * MAILRPC_E_NOTCACHED.  Search looks at synced folders only, and --body
 * at cached bodies only.
 */
int mailrpc_cache_folders(struct mailrpc_cache *cache, struct mailrpc_folder **folders_r,
			  size_t *count_r, struct mailrpc_error *err);
int mailrpc_cache_list(struct mailrpc_cache *cache, const struct mailrpc_list_query *q,
		       struct mailrpc_msglist **list_r, struct mailrpc_error *err);
int mailrpc_cache_search(struct mailrpc_cache *cache, const struct mailrpc_search_query *q,
			 struct mailrpc_msglist **list_r, struct mailrpc_error *err);
/* Writes cached message id to fd, after checking it against its SHA-256. */
int mailrpc_cache_read(struct mailrpc_cache *cache, uint64_t id, int fd,
		       struct mailrpc_error *err);

/* "auth", "integrity", "privacy" (or "unknown"). */
const char *mailrpc_level_name(int level);

/* The level for a name, or 0 when it is not one. */
int mailrpc_level_parse(const char *name);

#ifdef __cplusplus
}
#endif
#endif
