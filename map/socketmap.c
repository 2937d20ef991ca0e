/* socketmap.c -- netstrings in and out (see socketmap.h). */
#include <string.h>

#include "socketmap.h"

int socketmap_read(FILE *in, char *buf, size_t size)
{
	size_t len = 0;
	int c, digits = 0;
	while ((c = getc(in)) != EOF && c >= '0' && c <= '9') {
		len = len * 10 + (size_t)(c - '0');
		if (++digits > 9 || len > size - 1)
			return -1;
	}
	if (c == EOF && digits == 0)
		return 0;
	if (c != ':' || digits == 0 || fread(buf, 1, len, in) != len || getc(in) != ',')
		return -1;
	buf[len] = '\0';
	return memchr(buf, '\0', len) != NULL ? -1 : 1;
}

int socketmap_reply(FILE *out, const char *status, const char *text)
{
	size_t n = strlen(status) + 1 + strlen(text);
	if (fprintf(out, "%zu:%s %s,", n, status, text) < 0 || fflush(out) != 0)
		return -1;
	return 0;
}
