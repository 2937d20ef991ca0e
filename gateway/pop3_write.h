/*
 * pop3_write.h -- POP3 multi-line responses (RFC 1939 section 3): every
 * line ends in CRLF, a line starting with "." gets another in front, and
 * a line holding "." alone ends the response.  A message goes through in
 * pieces as it is read (RETR, TOP), never held whole.
 */
#ifndef GW_POP3_WRITE_H
#define GW_POP3_WRITE_H

#include <stddef.h>

#include "buf.h"

/* Where a multi-line body stands between pieces. */
struct pop3_stuffer {
	int mid_line;	     /* bytes of the current line are out */
	int pending_cr;	     /* a CR ended the last piece: CRLF, or text? */
	int in_body;	     /* past the header's empty line */
	long long body_left; /* TOP: body lines still to send; -1 all */
	int done;	     /* TOP has sent what it should: the rest is dropped */
};

/* body_lines: the body lines to send after the header (TOP), -1 all. */
void pop3_stuffer_init(struct pop3_stuffer *st, long long body_lines);

/* Appends a piece: dot-stuffed, bare LF sent as CRLF (a CR not before LF
 * stays inside its line).  -1 if out's limit is hit. */
int pop3_stuff(struct pop3_stuffer *st, const char *data, size_t len, struct buf *out);

/* Ends the body: a last line without its end is given one, then ".". */
int pop3_stuff_end(struct pop3_stuffer *st, struct buf *out);

/* A whole body at once, with its terminating ".". */
int pop3_write_multiline(struct buf *out, const char *data, size_t len);

#endif
