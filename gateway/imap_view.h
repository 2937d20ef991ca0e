/*
 * imap_view.h -- the selected folder as one IMAP session sees it (RFC
 * 3501 2.3.1, RFC 7162): its messages in UID order, which gives their
 * sequence numbers, with flags, sizes, times and MODSEQs (the store's
 * change numbers).
 *
 * The view changes only when refreshed: other sessions' changes (found
 * through the store's change index, mail_sync) are applied then, and
 * marked until they are told.  A message removed from the store stays in
 * the view, marked gone, until the session may tell the client (EXPUNGE
 * or VANISHED): sequence numbers never shift under a client between
 * commands that may not report expunges.  Messages added are appended
 * (their UIDs are always above the others'), but count for sequence
 * numbers only once EXISTS told the client of them.
 */
#ifndef GW_IMAP_VIEW_H
#define GW_IMAP_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "imap_names.h"
#include "mail.h"

struct imap_msg {
	uint64_t uid;
	uint64_t modseq;
	uint64_t size;
	int64_t received;
	uint32_t flags;	       /* STORE_FLAG_* */
	unsigned char gone;    /* removed from the store, not yet told */
	unsigned char changed; /* flags or MODSEQ changed, not yet told */
	unsigned char recent;  /* arrived while this session had it selected */
};

struct imap_view {
	struct imap_box box;
	uint64_t uidvalidity; /* the folder's id: stays through renames */
	struct imap_msg *msgs;
	size_t count, cap;
	size_t told;	  /* messages the client knows of: sequence numbers 1..told */
	size_t gone;	  /* messages marked gone */
	uint64_t since;	  /* the mailbox's change number the view is at */
	uint64_t highest; /* the folder's change number then (HIGHESTMODSEQ) */
	uint64_t uidnext; /* no message added later has a lower UID */
	uint64_t unseen;  /* the folder's unread count when last looked at */
	uint32_t rights;  /* the caller's rights there (STORE_RIGHTS_LETTERS bits) */
	int readonly;	  /* EXAMINE, or no right to change anything */
	int closed;	  /* the folder was deleted or replaced under the session */
};

/* Opens box's folder (a mail status; MAIL_ERR_NOFOLDER if there is none
 * the caller may see) with every message, none told yet. */
int imap_view_open(struct mail_session *m, const struct imap_box *box, int readonly,
		   struct imap_view **v_r);
void imap_view_free(struct imap_view **v);

/* Makes box's mailbox the one m works in (every call on the view's
 * folder does this first: other commands may have opened others). */
int imap_view_use(struct mail_session *m, const struct imap_view *v);

/* Applies what changed in the store since the view was last brought up
 * to date (a mail status; v->closed if the folder is gone). */
int imap_view_refresh(struct mail_session *m, struct imap_view *v);

/* The index of uid in v->msgs, or SIZE_MAX. */
size_t imap_view_find(const struct imap_view *v, uint64_t uid);
/* The first index below n (a prefix of v->msgs, which ascend by UID)
 * whose UID is at least uid; n if none. */
size_t imap_view_lower_bound(const struct imap_view *v, size_t n, uint64_t uid);

/* Drops the gone messages (once the client has been told), keeping the
 * order; returns how many. */
size_t imap_view_compact(struct imap_view *v);

#endif
