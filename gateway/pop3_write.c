/* pop3_write.c -- multi-line responses with dot-stuffing (see pop3_write.h). */
#include <string.h>

#include "pop3_write.h"

void pop3_stuffer_init(struct pop3_stuffer *st, long long body_lines)
{
	memset(st, 0, sizeof(*st));
	st->body_left = body_lines;
}

/* A line has ended (its CRLF is out): TOP counts the body's. */
static void line_ended(struct pop3_stuffer *st, int empty)
{
	if (!st->in_body) {
		st->in_body = empty;
		st->done = empty && st->body_left == 0;
		return;
	}
	if (st->body_left > 0 && --st->body_left == 0)
		st->done = 1;
}

int pop3_stuff(struct pop3_stuffer *st, const char *data, size_t len, struct buf *out)
{
	const char *p = data, *end = data + len;
	if (st->pending_cr && p < end && !st->done) {
		st->pending_cr = 0;
		/* Not the CR of a CRLF: text of its line. */
		if (*p != '\n' && buf_addc(out, '\r') != 0)
			return -1;
		st->mid_line |= *p != '\n';
	}
	while (p < end && !st->done) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		const char *stop = lf ? lf : end;
		size_t n = (size_t)(stop - p);
		if (n > 0 && stop[-1] == '\r') {
			n--;
			st->pending_cr = lf == NULL; /* decided by the next piece */
		}
		if (!st->mid_line && n > 0 && *p == '.' && buf_addc(out, '.') != 0)
			return -1;
		if (buf_add(out, p, n) != 0)
			return -1;
		st->mid_line |= n > 0;
		if (lf == NULL)
			break;
		if (buf_add(out, "\r\n", 2) != 0)
			return -1;
		line_ended(st, !st->mid_line);
		st->mid_line = 0;
		p = lf + 1;
	}
	return 0;
}

int pop3_stuff_end(struct pop3_stuffer *st, struct buf *out)
{
	if (st->pending_cr && !st->done) {
		st->pending_cr = 0;
		if (buf_addc(out, '\r') != 0)
			return -1;
		st->mid_line = 1;
	}
	if (st->mid_line && !st->done && buf_add(out, "\r\n", 2) != 0)
		return -1;
	return buf_add(out, ".\r\n", 3);
}

int pop3_write_multiline(struct buf *out, const char *data, size_t len)
{
	struct pop3_stuffer st;
	pop3_stuffer_init(&st, -1);
	if (pop3_stuff(&st, data, len, out) != 0)
		return -1;
	return pop3_stuff_end(&st, out);
}
