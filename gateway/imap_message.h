/*
 * imap_message.h -- one message's bytes as FETCH and SEARCH need them,
 * read through the mail service: its header alone (ENVELOPE, HEADER
 * sections, header searches), or the whole message, parsed with GMime
 * when asked (BODYSTRUCTURE, parts, text searches).  The session keeps
 * the last message read, so the usual run of FETCHes of one message
 * (structure, then parts) reads it once.  A whole BODY[] can instead go
 * to the client chunk by chunk without being held (imap_message_send).
 */
#ifndef GW_IMAP_MESSAGE_H
#define GW_IMAP_MESSAGE_H

#include <stddef.h>
#include <stdint.h>

#include "mime_tree.h"
#include "stream.h"

struct mail_session;

struct imap_message {
	uint64_t uid;
	uint64_t size; /* the whole message's */
	char *data;    /* its first len bytes */
	size_t len;
	size_t header_end; /* where its header ends (valid once the header is in) */
	int parsed;	   /* mime holds GMime's parse of the whole */
	struct mime_message mime;
};

enum imap_message_need { IMAP_NEED_HEADER = 1, IMAP_NEED_WHOLE, IMAP_NEED_PARSED };

/* *m_r holds message uid (of size bytes) with at least what need says
 * (the session's cache, *m_r, is reused or replaced): a mail status. */
int imap_message_get(struct mail_session *ms, uint64_t uid, uint64_t size,
		     enum imap_message_need need, struct imap_message **m_r);
void imap_message_free(struct imap_message **m);

/* A mime_message of the header alone (for HEADER sections and ENVELOPE
 * without a parse): data and header_end of m. */
void imap_message_header_view(const struct imap_message *m, struct mime_message *hv);

/* Writes len bytes of message uid from offset to out, read in pieces
 * (never the whole message at once): a mail status; -1 if out failed. */
int imap_message_send(struct mail_session *ms, uint64_t uid, uint64_t offset, uint64_t len,
		      struct stream *out);

#endif
