/*
 * buf.h -- a growable byte buffer with a hard cap.  Responses, parsed
 * commands and MIME renderings are built in one; a write past the cap
 * sets the overflow flag instead of growing, so no input can make a
 * process allocate without bound.
 */
#ifndef GW_BUF_H
#define GW_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len, cap, limit;
	int overflow; /* a write was refused: the content is cut */
};

/* limit: the most the buffer may ever hold. */
void buf_init(struct buf *b, size_t limit);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);

/* 0, or -1 (and overflow set) if it would pass the limit or memory ran out. */
int buf_add(struct buf *b, const void *data, size_t len);
int buf_addc(struct buf *b, char c);
int buf_adds(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* A NUL after the content (not counted in len), for string use. */
const char *buf_cstr(struct buf *b);

#endif
