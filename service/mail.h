/*
 * mail.h -- the mail service: every operation a user can do on the store,
 * knowing no transport.  mailrpcd's procedures are thin adapters over it
 * (decode, call, encode); an IMAP/POP3 gateway or sealed calls are more
 * adapters.  Rights are decided inside it, by the one authorization module
 * (authz.c), in the store transaction that reads or changes what they
 * allow; so every front-end gets the same rights, quotas and answers.
 *
 * Idiom: every operation takes a session and returns an enum mail_status
 * (MAIL_OK or why not).  Results are plain C or store types, owned by the
 * caller and freed with the store's *_free or store_result_clear; out
 * parameters are set on entry.  An operation that changes something takes
 * op, the client's operation id (MAIL_OPID_LEN bytes; NULL: none): a
 * repeat of a named call gets the first call's result back (res->replayed)
 * and changes nothing (see store.h, "exactly-once calls").
 *
 * What a caller may not see reads exactly like what does not exist: a
 * mailbox of someone else, disabled or missing, answers like one where
 * nothing is granted; a folder without "l" like a missing folder.
 */
#ifndef MAILRPC_MAIL_H
#define MAILRPC_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* The numbers of mr_status in idl/mailrpc.x (checked where both are seen). */
enum mail_status {
	MAIL_OK = 0,
	MAIL_ERR_INTERNAL = 1,	/* server fault; logged */
	MAIL_ERR_NOMAILBOX = 2, /* the principal maps to no usable mailbox */
	MAIL_ERR_FOREIGN = 3,	/* principal of a realm not served here */
	MAIL_ERR_INVALID = 4,
	MAIL_ERR_TOOBIG = 5,
	MAIL_ERR_NOTFOUND = 6,
	MAIL_ERR_EXISTS = 7,
	MAIL_ERR_NOTEMPTY = 8,
	MAIL_ERR_QUOTA = 9, /* the caller's own quota */
	MAIL_ERR_BUSY = 10,
	MAIL_ERR_DENIED = 11,
	MAIL_ERR_DISABLED = 12,
	MAIL_ERR_NOFOLDER = 13,
	MAIL_ERR_NOMESSAGE = 14,
	MAIL_ERR_NOUPLOAD = 15,
	MAIL_ERR_BADNAME = 16,
	MAIL_ERR_NORCPT = 17, /* cannot deliver to a recipient (never says why) */
	MAIL_ERR_MISMATCH = 18,
	MAIL_ERR_OFFSET = 19,
	MAIL_ERR_WELLKNOWN = 20,
	MAIL_ERR_CORRUPT = 21, /* a stored record is damaged; logged */
	MAIL_ERR_FULL = 22,    /* the server's storage is full */
	MAIL_ERR_LIMIT = 23,   /* a per-user resource limit was reached */
	MAIL_ERR_CONNLIMIT = 24, /* the principal's connections are at their limit */
	MAIL_ERR_SENDER = 25,  /* the message names a sender the caller may not send as */
	MAIL_STATUS_COUNT
};

#define MAIL_OPID_LEN STORE_OPID_LEN
#define MAIL_PRINCIPAL_MAX STORE_PRINCIPAL_MAX
#define MAIL_NAME_MAX STORE_NAME_MAX
#define MAIL_PUBLIC_MAILBOX "public"
#define MAIL_ADDRESS_MAX STORE_ADDRESS_MAX

/* Read-only, process-wide settings, given by the front-end. */
struct mail_config {
	const char *store_dir;		  /* limits are its policy (store.h) */
	const char *const *public_admins; /* principals who own "public" */
	int n_public_admins;
	unsigned wait_max; /* longest wait, seconds */
	/* Called after a send left messages for the MTA (see mail_send), so
	 * that whoever hands them over (mailrpcd's master) does it now; NULL:
	 * they wait for the next hand-over round. */
	void (*handover_kick)(void);
};

/* One process's view of the service: its settings and its store handle
 * (opened on first use; LMDB handles never cross fork()). */
struct mail_service;

/* *svc_r for cfg (which must outlive it).  MAIL_OK or MAIL_ERR_INTERNAL. */
int mail_service_new(const struct mail_config *cfg, struct mail_service **svc_r);
void mail_service_free(struct mail_service **svc);

/* Housekeeping for a process that serves no session (mailrpcd's master,
 * hourly): forgets uploads and tombstones past the policy's upload-age and
 * tombstone-age, with a handle of its own, closed again.  Counts to *_r. */
int mail_maintain(const struct mail_config *cfg, uint64_t *uploads_r, uint64_t *tombs_r);

/* The connection limits of the store's policy, for a listener (read with
 * a handle of its own, closed again). */
struct mail_conn_limits {
	unsigned per_user;	   /* connections of one principal */
	unsigned preauth_per_peer; /* not yet authenticated, from one address */
};
int mail_conn_limits(const struct mail_config *cfg, struct mail_conn_limits *l_r);

/* ---- sessions -----------------------------------------------------------
 * A session is one authenticated principal (one RPCSEC_GSS context, one
 * IMAP login): the mailbox it maps to, the mailbox it works in, and its
 * guard.  The principal maps to a mailbox with krb5_aname_to_localname
 * (krb5.conf auth_to_local rules), as for every MIT service. */
struct mail_session;

/* MAIL_OK, or MAIL_ERR_INTERNAL (out of memory).  A principal that maps
 * to no mailbox still gets a session: its calls say why. */
int mail_session_new(struct mail_service *svc, const char *principal, struct mail_session **s_r);
void mail_session_free(struct mail_session **s);
const char *mail_session_principal(const struct mail_session *s);
/* The mailbox the principal owns ("" when none). */
const char *mail_session_mailbox(const struct mail_session *s);
/* The mailbox the session works in: the one opened, else its own. */
const char *mail_session_target(const struct mail_session *s);

/* Whether the session may work at all: its own mailbox made on its first
 * use, a disabled one refused.  MAIL_OK, NOMAILBOX, FOREIGN, DISABLED. */
int mail_whoami(struct mail_session *s);

/* Later calls work in mailbox ("" its own, "public" the public folders).
 * Never says whether it exists: one the caller may see nothing of looks
 * the same.  MAIL_ERR_BADNAME for a name no mailbox can have. */
int mail_open(struct mail_session *s, const char *mailbox);

struct mail_quota {
	uint64_t used;	/* bytes of all messages, and the sizes announced by
			   unfinished uploads (which the quota counts too) */
	uint64_t limit; /* bytes; 0: none */
	uint64_t messages;
};
/* The quota of the mailbox the session works in (its owner only:
 * MAIL_ERR_DENIED for others): its own, else the store policy's
 * default-quota, as a store call would apply it now. */
int mail_quota(struct mail_session *s, struct mail_quota *q_r);

/* ---- folders ------------------------------------------------------------ */
/* The folders the caller may look up, in path order, from offset. */
int mail_folder_list(struct mail_session *s, uint64_t offset, uint32_t limit,
		     store_folder_list_t **list_r);
/* One folder (it needs "l"): counts, its id (IMAP UIDVALIDITY material),
 * and *next_id_r, a lower bound of the id of any message added to it
 * later (IMAP UIDNEXT). */
int mail_folder_get(struct mail_session *s, const char *path, store_folder_info_t *info_r,
		    uint64_t *next_id_r);
int mail_folder_create(struct mail_session *s, const unsigned char *op, const char *path,
		       store_result_t *res);
int mail_folder_rename(struct mail_session *s, const unsigned char *op, const char *from,
		       const char *to, store_result_t *res);
int mail_folder_delete(struct mail_session *s, const unsigned char *op, const char *path,
		       int recursive, store_result_t *res);
/* The hierarchy since a state (store_folder_sync).  Only the owner gets
 * changes since a state and the mailbox's change numbers: what others see
 * also depends on rights, which change numbers do not track, so for them
 * since != 0 is resync and every state is 0. */
int mail_folder_sync(struct mail_session *s, uint64_t since, const store_fsync_pos_t *pos,
		     uint32_t max_deleted, uint32_t max_folders, store_fsync_page_t **page_r);

/* ---- reading ------------------------------------------------------------ */
int mail_list(struct mail_session *s, const char *folder, const store_list_query_t *q,
	      store_msglist_t **list_r);
/* q->folder NULL searches every folder: the owner only (MAIL_ERR_INVALID). */
int mail_search(struct mail_session *s, const store_search_query_t *q, store_msglist_t **list_r);
int mail_info(struct mail_session *s, uint64_t id, store_msginfo_t **info_r);
/* Up to maxlen bytes of message id from offset; *size_r and sha256_r (32
 * bytes) describe the whole message. */
int mail_fetch(struct mail_session *s, uint64_t id, uint64_t offset, void *buf, size_t maxlen,
	       size_t *len_r, uint64_t *size_r, unsigned char *sha256_r);
/* A folder's messages after id after (store_index_as). */
int mail_index(struct mail_session *s, const char *folder, uint64_t after, uint32_t max,
	       store_index_t **index_r);
int mail_sync(struct mail_session *s, const char *folder, uint64_t since,
	      const store_sync_pos_t *pos, uint32_t max_removed, uint32_t max_changed,
	      store_sync_page_t **page_r);
/* Waits until the change number of folder ("" the whole mailbox: its
 * owner only) exceeds since, at most max_wait seconds (cut to the
 * configured wait_max); *change_r: the number then. */
int mail_wait(struct mail_session *s, const char *folder, uint64_t since, unsigned max_wait,
	      uint64_t *change_r);

/* ---- storing and sending --------------------------------------------------
 * Uploads are the session's own (they live in its own mailbox) whatever
 * mailbox it works in; commits file or send them. */
/* res->id: the upload. */
int mail_upload_begin(struct mail_session *s, const unsigned char *op, uint64_t size,
		      const unsigned char *sha256, store_result_t *res);
/* res->id: the bytes received, also with MAIL_ERR_OFFSET (offset is not
 * where the upload stands: resume from res->id). */
int mail_upload_append(struct mail_session *s, const unsigned char *op, uint64_t upload,
		       uint64_t offset, const void *data, size_t len, store_result_t *res);
int mail_upload_status(struct mail_session *s, uint64_t upload, uint64_t *received_r,
		       uint64_t *size_r);
int mail_upload_abort(struct mail_session *s, const unsigned char *op, uint64_t upload,
		      store_result_t *res);
/* Files the upload in folder of the mailbox worked in; res->id: the message. */
int mail_upload_commit(struct mail_session *s, const unsigned char *op, uint64_t upload,
		       const char *folder, uint32_t flags, store_result_t *res);
/* A whole message in one call (its SHA-256 checked); res->id: the message. */
int mail_append(struct mail_session *s, const unsigned char *op, const char *folder, uint32_t flags,
		const unsigned char *sha256, const void *data, size_t len, store_result_t *res);
/* Sends the upload to rcpts: RFC 5322 addresses ("Carol <carol@x.org>",
 * "carol@x.org") or bare mailbox names, 1..STORE_RCPT_MAX.  Addresses in
 * a local domain (and bare names) are delivered to their mailboxes' Inbox;
 * the rest are recorded for the MTA in the same store transaction, and
 * handed over after it (cfg->handover_kick).  A copy goes to the Sent
 * Items of the mailbox the message is from.
 *
 * Who may send as whom: every From: (and Sender:) address must be one of
 * the caller's own addresses, or an address of a mailbox whose Outbox
 * grants the caller "p" (then a Sender: line naming the caller is added,
 * and that mailbox gets the Sent Items copy); from ("" none) names such a
 * mailbox explicitly.  Otherwise MAIL_ERR_SENDER with the address (or
 * from) in refused_r ("" when the caller has no address at all to give the
 * MTA as sender).  A missing From: (the mailbox's own address), Date: or
 * Message-ID: is added.
 *
 * A malformed address is MAIL_ERR_INVALID, one that cannot be delivered
 * to here MAIL_ERR_NORCPT, both with its index in *bad_r (SIZE_MAX
 * otherwise), and never says why (unknown, disabled, full).  Nothing is
 * stored or sent unless all is well.  res->id: the Sent Items copy;
 * res->ids[0] and [1] (res->done 2): the recipients delivered here and
 * those for the MTA. */
int mail_send(struct mail_session *s, const unsigned char *op, uint64_t upload, const char *from,
	      const char *const *rcpts, size_t n, store_result_t *res, size_t *bad_r,
	      char refused_r[MAIL_ADDRESS_MAX + 1]);
/* mail_send for protocol clients that know only NORCPT: a refused sender
 * is MAIL_ERR_NORCPT with *bad_r SIZE_MAX. */
int mail_submit(struct mail_session *s, const unsigned char *op, uint64_t upload, const char *from,
		const char *const *rcpts, size_t n, store_result_t *res, size_t *bad_r);

/* ---- addresses, for the MTA's lookups (lookup.c) -------------------------
 * The answers Postfix needs, from the store's address data, live: whether
 * a domain is local; the mailbox an address reaches (an enabled one);
 * and who may use an address as sender (SASL login names: the owner's
 * mailbox name, and each principal granted "p" on its Outbox, also
 * without the default realm).  MAIL_OK, MAIL_ERR_NOTFOUND (no such
 * domain or address), MAIL_ERR_INVALID (not an address), or a failure. */
int mail_lookup_domain(struct mail_service *svc, const char *domain);
int mail_lookup_recipient(struct mail_service *svc, const char *address,
			  char mailbox_r[MAIL_NAME_MAX + 1]);
/* Logins separated by commas, into buf (size bytes). */
int mail_lookup_senders(struct mail_service *svc, const char *address, char *buf, size_t size);

/* ---- changing messages ---------------------------------------------------
 * Batches of ids in the mailbox worked in (see store_change): each id
 * moved or copied gets a new id in its folder (res->ids).  The status is
 * why the id after res->done was not changed (MAIL_ERR_NOMESSAGE for an id
 * that does not exist or may not be seen), or why nothing was. */
int mail_move(struct mail_session *s, const unsigned char *op, const uint64_t *ids, size_t n,
	      const char *folder, store_result_t *res);
int mail_copy(struct mail_session *s, const unsigned char *op, const uint64_t *ids, size_t n,
	      const char *folder, store_result_t *res);
/* To Deleted Items (res->ids: the new ids), for good when already there or hard (0). */
int mail_delete(struct mail_session *s, const unsigned char *op, const uint64_t *ids, size_t n,
		int hard, store_result_t *res);
/* Sets then clears flag bits (STORE_FLAG_*) on every id, or on none. */
int mail_flags(struct mail_session *s, const unsigned char *op, const uint64_t *ids, size_t n,
	       uint32_t set, uint32_t clear, store_result_t *res);

/* ---- sharing ------------------------------------------------------------ */
/* The entries of path's ACL ("" the mailbox root); needs "a".  Every
 * entry, or MAIL_ERR_LIMIT for a folder holding more than one answer may
 * (STORE_ACL_FOLDER_MAX: only trusted writers, such as a restore of an
 * older store, can make one): a grant is never left out unsaid. */
int mail_acl_get(struct mail_session *s, const char *path, store_acl_t **acl_r);
/* Grants principal exactly rights (RFC 4314 letters; "" removes it). */
int mail_acl_set(struct mail_session *s, const unsigned char *op, const char *path,
		 const char *principal, const char *rights, store_result_t *res);
/* The other mailboxes in which the caller may look up at least one folder
 * (not its own, not "public"), in name order: what IMAP shows as other
 * users' namespaces.  Reads every mailbox's folder list: O(mailboxes). */
int mail_shared_mailboxes(struct mail_session *s, store_mailbox_names_t **names_r);
/* What the caller may do in folder path (IMAP MYRIGHTS): rights bits of
 * STORE_RIGHTS_LETTERS; any right makes the folder known. */
int mail_myrights(struct mail_session *s, const char *path, uint32_t *rights_r);

#endif
