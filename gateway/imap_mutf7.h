/*
 * imap_mutf7.h -- IMAP's modified UTF-7 (RFC 3501 5.1.3): how mailbox
 * names travel, while the store keeps folder paths in UTF-8.  Printable
 * ASCII stands for itself ("&" as "&-"); anything else is UTF-16 in a
 * base64 run "&...-" (',' for '/').  Decoding is strict: a run that
 * spells printable ASCII, a lone surrogate, or leftover bits are errors.
 */
#ifndef GW_IMAP_MUTF7_H
#define GW_IMAP_MUTF7_H

#include <stddef.h>

#include "buf.h"

/* Appends the UTF-8 of the modified UTF-7 name; 0, or -1 if it is not
 * valid modified UTF-7 (or out is full). */
int mutf7_to_utf8(const char *in, size_t len, struct buf *out);

/* Appends the modified UTF-7 of a UTF-8 name; 0, or -1 if it is not
 * valid UTF-8 (or out is full). */
int mutf7_from_utf8(const char *in, size_t len, struct buf *out);

#endif
