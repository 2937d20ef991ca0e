/*
 * mime_imap.h -- a parsed message (mime_tree.h) in IMAP's terms: ENVELOPE
 * and BODY/BODYSTRUCTURE (RFC 3501 7.4.2), written as Dovecot writes them
 * where RFC 3501 leaves a choice (text parts get charset us-ascii when
 * they name none; Sender and Reply-To default to From).
 *
 * Strings that come straight from header fields (date, subject,
 * message-id, content-id, ...) are the original bytes, unfolded.  Address
 * display names are GMime's decoding, sent as they were when plain ASCII
 * and RFC 2047-encoded (UTF-8) by GMime otherwise.
 */
#ifndef GW_MIME_IMAP_H
#define GW_MIME_IMAP_H

#include "buf.h"
#include "mime_tree.h"

/* "(date subject from sender reply-to to cc bcc in-reply-to message-id)" */
int mime_write_envelope(const struct mime_message *m, struct buf *out);

/* The envelope of the header block [start, end) of data (message/rfc822 parts). */
int mime_write_envelope_of(const char *data, size_t start, size_t end, struct buf *out);

/* BODYSTRUCTURE when extended, BODY otherwise. */
int mime_write_bodystructure(const struct mime_message *m, int extended, struct buf *out);

#endif
