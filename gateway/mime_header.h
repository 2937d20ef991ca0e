/*
 * mime_header.h -- header fields as bytes of the original message, for
 * what IMAP returns byte-exact (HEADER.FIELDS, ENVELOPE's strings, a
 * part's MIME header).  GMime parses the structure (mime_tree.h); these
 * only find where a header block's fields and end lie, with GMime's rules:
 * a field runs on over lines that start with a space or tab, and the block
 * ends at the first empty line (LF or CRLF).
 */
#ifndef GW_MIME_HEADER_H
#define GW_MIME_HEADER_H

#include <stddef.h>

#include "buf.h"

struct mime_field {
	size_t start, end;  /* the field with its line ends: [start, end) */
	size_t name_len;    /* bytes of its name (0: a line without a colon) */
	size_t value_start; /* after the colon */
};

/* Where the body starts: after the empty line ending the header block that
 * begins at start, or end if the block runs to the end. */
size_t mime_header_end(const char *data, size_t end, size_t start);

/* The field at *pos within [*pos, end), advancing *pos; 0 at the empty line
 * or the end. */
int mime_header_next(const char *data, size_t end, size_t *pos, struct mime_field *f);

/* Whether field f is called name (case-insensitive). */
int mime_field_is(const char *data, const struct mime_field *f, const char *name, size_t name_len);

/* The first field called name in [start, end), unfolded (CR and LF
 * removed) and trimmed, into out; 0 if found. */
int mime_header_value(const char *data, size_t start, size_t end, const char *name,
		      struct buf *out);

#endif
