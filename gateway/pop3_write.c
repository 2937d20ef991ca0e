/* pop3_write.c -- multi-line responses with dot-stuffing (see pop3_write.h). */
#include <string.h>

#include "pop3_write.h"

int pop3_write_multiline(struct buf *out, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		const char *stop = lf ? lf : end;
		size_t line_len = (size_t)(stop - p);
		if (lf != NULL && line_len > 0 && stop[-1] == '\r')
			line_len--;
		if (*p == '.' && buf_addc(out, '.') != 0)
			return -1;
		if (buf_add(out, p, line_len) != 0 || buf_add(out, "\r\n", 2) != 0)
			return -1;
		p = lf ? lf + 1 : end;
	}
	return buf_add(out, ".\r\n", 3);
}
