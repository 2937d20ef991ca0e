/* imap_write.c -- IMAP response strings (see imap_write.h). */
#include <string.h>
#include <strings.h>

#include "imap_write.h"

/* Longer strings go as literals: easier on clients' line buffers. */
#define QUOTED_MAX 1024

int imap_quotable(const char *data, size_t len)
{
	if (len > QUOTED_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c == '\0' || c == '\r' || c == '\n' || c >= 128)
			return 0;
	}
	return 1;
}

static int is_atom(const char *data, size_t len)
{
	if (len == 0 || (len == 3 && strncasecmp(data, "NIL", 3) == 0))
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c <= ' ' || c >= 127 || strchr("(){%*\"\\]", c) != NULL)
			return 0;
	}
	return 1;
}

int imap_write_literal(struct buf *b, const char *data, size_t len)
{
	if (buf_printf(b, "{%zu}\r\n", len) != 0)
		return -1;
	return buf_add(b, data, len);
}

int imap_write_string(struct buf *b, const char *data, size_t len)
{
	if (!imap_quotable(data, len))
		return imap_write_literal(b, data, len);
	if (buf_addc(b, '"') != 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if ((data[i] == '"' || data[i] == '\\') && buf_addc(b, '\\') != 0)
			return -1;
		if (buf_addc(b, data[i]) != 0)
			return -1;
	}
	return buf_addc(b, '"');
}

int imap_write_nstring(struct buf *b, const char *data, size_t len)
{
	if (data == NULL)
		return buf_adds(b, "NIL");
	return imap_write_string(b, data, len);
}

int imap_write_astring(struct buf *b, const char *data, size_t len)
{
	if (is_atom(data, len))
		return buf_add(b, data, len);
	return imap_write_string(b, data, len);
}
