/*
 * pop3_write.h -- POP3 multi-line responses (RFC 1939 section 3): every
 * line ends in CRLF, a line starting with "." gets another in front, and
 * a line holding "." alone ends the response.
 */
#ifndef GW_POP3_WRITE_H
#define GW_POP3_WRITE_H

#include <stddef.h>

#include "buf.h"

/*
 * Appends data as a multi-line body and its terminating ".": dot-stuffed,
 * bare LF sent as CRLF (a CR not before LF stays inside its line), a last
 * line without its end given one.  -1 if out's limit is hit.
 */
int pop3_write_multiline(struct buf *out, const char *data, size_t len);

#endif
