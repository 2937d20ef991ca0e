/*
 * imap_read.h -- reading one whole IMAP command from the client: its lines
 * and literals, with the continuation "+" before each synchronizing
 * literal.  Sizes are checked before anything is read: a literal above
 * the command's limit is refused without asking for it ({n}); a LITERAL+
 * one ({n+}), which the client sends unasked, ends the connection
 * (RFC 7888 section 4), since reading it would mean taking it all.
 * A command may instead take a long literal as a stream (APPEND's
 * message): the read then stops before it, and the command reads it.
 */
#ifndef GW_IMAP_READ_H
#define GW_IMAP_READ_H

#include <stddef.h>

#include "buf.h"
#include "imap_parse.h"
#include "stream.h"

enum imap_read_result {
	IMAP_READ_OK,	    /* cmd holds one whole command (see imap_parse.h) */
	IMAP_READ_EMPTY,    /* an empty line, to be ignored */
	IMAP_READ_TOO_LONG, /* a line past the limit was thrown away; the next follows */
	IMAP_READ_REFUSED,  /* a literal was refused unread; the command is over */
	IMAP_READ_CLOSE,    /* the connection is over (see stream_status) */
	IMAP_READ_LITERAL,  /* cmd holds the command up to a literal it streams:
			       literal_size bytes follow (no "+" was sent) */
};

/* The largest literal a command (upper-cased name) may carry. */
typedef size_t (*imap_literal_limit_fn)(void *ctx, const char *name);
/* Whether a command takes a literal above its limit as a stream. */
typedef int (*imap_literal_streams_fn)(void *ctx, const char *name);

struct imap_reader {
	struct stream *stream;
	size_t max_line;
	imap_literal_limit_fn literal_limit;
	imap_literal_streams_fn literal_streams;
	void *ctx;
	/* Results of the last read: */
	char tag[IMAP_TAG_MAX + 1];	 /* the command's tag, when refused */
	int stream_status;		 /* why IMAP_READ_CLOSE */
	int nonsync_too_big;		 /* IMAP_READ_CLOSE for an oversized {n+} */
	unsigned long long literal_size; /* IMAP_READ_LITERAL: the literal left */
	int literal_nonsync;		 /* ... announced {n+} */
};

enum imap_read_result imap_read_command(struct imap_reader *r, struct buf *cmd, struct buf *line);

/* Whether a line ends with a literal announcement; its size and kind. */
int imap_literal_at_end(const char *line, size_t len, unsigned long long *size_r, int *nonsync_r);

#endif
