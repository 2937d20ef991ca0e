/*
 * imap_write.h -- IMAP response syntax (RFC 3501 section 9) into a buffer:
 * strings as atoms, quoted strings or literals, whichever is correct for
 * the bytes (quoted needs 7-bit text without CR, LF or NUL).
 */
#ifndef GW_IMAP_WRITE_H
#define GW_IMAP_WRITE_H

#include <stddef.h>

#include "buf.h"

/* A string: quoted when it can be, else a literal {n} CRLF bytes. */
int imap_write_string(struct buf *b, const char *data, size_t len);
/* NIL for data == NULL, else a string. */
int imap_write_nstring(struct buf *b, const char *data, size_t len);
/* An atom when the bytes are one (and not NIL), else a string. */
int imap_write_astring(struct buf *b, const char *data, size_t len);
/* Always a literal. */
int imap_write_literal(struct buf *b, const char *data, size_t len);

/* Whether the bytes can go out as a quoted string. */
int imap_quotable(const char *data, size_t len);

#endif
