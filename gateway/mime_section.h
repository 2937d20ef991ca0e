/*
 * mime_section.h -- IMAP's BODY[section]<partial> (RFC 3501 6.4.5): the
 * section text parsed, and the bytes it names taken from the original
 * message by offset (mime_tree.h).  HEADER.FIELDS keeps each chosen field
 * whole, folding included, in the message's order, and the empty line
 * after them as the message has it (CRLF when it has none).
 */
#ifndef GW_MIME_SECTION_H
#define GW_MIME_SECTION_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "mime_tree.h"

#define MIME_SECTION_DEPTH 32
#define MIME_SECTION_FIELDS 64
#define MIME_FIELD_NAME_MAX 128

enum mime_section_spec {
	SECTION_BODY, /* [] or [1.2]: the whole message, or the part */
	SECTION_HEADER,
	SECTION_HEADER_FIELDS,
	SECTION_HEADER_FIELDS_NOT,
	SECTION_TEXT,
	SECTION_MIME,
};

struct mime_section {
	uint32_t part[MIME_SECTION_DEPTH]; /* part numbers, from 1 */
	size_t nparts;
	enum mime_section_spec spec;
	char field[MIME_SECTION_FIELDS][MIME_FIELD_NAME_MAX + 1];
	size_t nfields;
};

/* The text between the brackets ("1.2.HEADER.FIELDS (From To)"); 0 or -1. */
int mime_section_parse(const char *text, size_t len, struct mime_section *s);

/*
 * Appends the section's bytes to out, from offset on and at most length
 * of them (length SIZE_MAX: to the end).  A part that does not exist gives
 * nothing (an empty string), as Dovecot answers.  -1 only if out's limit
 * is hit.
 */
int mime_section_fetch(const struct mime_message *m, const struct mime_section *s, size_t offset,
		       size_t length, struct buf *out);

#endif
