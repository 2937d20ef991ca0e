/* buf.c -- growable byte buffer with a hard cap (see buf.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void buf_init(struct buf *b, size_t limit)
{
	memset(b, 0, sizeof(*b));
	b->limit = limit;
}

void buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b, b->limit);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->overflow = 0;
}

/* Room for len more bytes plus a NUL. */
static int reserve(struct buf *b, size_t len)
{
	if (len > b->limit || b->len > b->limit - len) {
		b->overflow = 1;
		return -1;
	}
	if (b->len + len + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + len + 1)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (p == NULL) {
		b->overflow = 1;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

int buf_add(struct buf *b, const void *data, size_t len)
{
	if (len == 0)
		return 0;
	if (reserve(b, len) != 0)
		return -1;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	return 0;
}

int buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	char small[512];
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	int r = -1;
	if (n >= 0 && (size_t)n < sizeof(small)) {
		r = buf_add(b, small, (size_t)n);
	} else if (n >= 0 && reserve(b, (size_t)n) == 0) {
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
		b->len += (size_t)n;
		r = 0;
	}
	va_end(again);
	return r;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

const char *buf_cstr(struct buf *b)
{
	if (reserve(b, 0) != 0)
		return "";
	b->data[b->len] = '\0';
	return b->data;
}
