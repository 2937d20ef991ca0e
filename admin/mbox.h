/*
 * mbox.h -- reading and writing mbox files (RFC 4155) for import and
 * export.
 *
 * Reading.  A message starts at a "From " line that is the first line of
 * the file, or that follows an empty line and ends in a date
 * ("From SENDER Www Mmm dd hh:mm:ss yyyy", optionally with a zone): so a
 * "From " line inside a body that does not look like a separator stays
 * in the body.  The empty line before the next separator belongs to the
 * format, not to the message, and is removed.  Lines end in LF or CRLF.
 *
 * Quoting.  mboxrd writers turn each line ">*From " into ">" + that line;
 * mboxo writers only quote "From ".  Both read the same except for lines
 * starting with two or more '>' before "From "; in an mboxo file those
 * exist only if a message had them, while an mboxrd writer makes one from
 * every ">From " line.  So a file is read as mboxrd (one '>' removed from
 * every ">+From " line) unless the caller says it is mboxo (only ">From "
 * loses its '>').  Writing is always mboxrd.
 */
#ifndef MAILRPC_MBOX_H
#define MAILRPC_MBOX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct mbox_reader;

struct mbox_msg {
	const char *body;          /* unquoted bytes; valid until the next call */
	size_t len;
	int64_t received;          /* the separator's date, 0 if it has none */
	unsigned long line;        /* line number of the separator (or first line) */
	unsigned long bare_from;   /* first line inside that starts "From "
	                              unquoted (a broken writer), 0 if none */
	const char *problem;       /* why it is not a message, NULL if none */
};

/* Opens path for reading; messages over max bytes are reported as a
 * problem, not kept in memory.  Only a regular file or a pipe, never
 * through a symbolic link (see maildir.h).  0, or -1 with errno (ELOOP:
 * a link; EINVAL: neither file nor pipe). */
int mbox_open(const char *path, int mboxo, size_t max, struct mbox_reader **r_r);
/* 1: *msg_r is the next message; 0: end of file; -1: read error (errno). */
int mbox_next(struct mbox_reader *r, struct mbox_msg *msg_r);
/* Bytes of the file read so far, and its size (for progress). */
uint64_t mbox_done(const struct mbox_reader *r);
uint64_t mbox_size(const struct mbox_reader *r);
/* NULL-safe; *r becomes NULL. */
void mbox_close(struct mbox_reader **r);

/* Appends one message as mboxrd: a "From MAILER-DAEMON DATE" separator
 * dated received, the quoted lines, a final newline if the message has
 * none (mbox cannot keep that), and the empty line.  0, or -1 with errno. */
int mbox_write(FILE *f, const void *body, size_t len, int64_t received);

#endif
