/* imap_read.c -- one whole IMAP command from the client (see imap_read.h). */
#include <ctype.h>
#include <string.h>

#include "imap_read.h"

/* A too-long line is read to its end up to this much, then the client is let go. */
#define DISCARD_MAX (1024 * 1024)

int imap_literal_at_end(const char *line, size_t len, unsigned long long *size_r, int *nonsync_r)
{
	if (len < 3 || line[len - 1] != '}')
		return 0;
	size_t i = len - 1;
	*nonsync_r = line[i - 1] == '+';
	if (*nonsync_r)
		i--;
	size_t digits_end = i;
	while (i > 0 && isdigit((unsigned char)line[i - 1]))
		i--;
	if (i == digits_end || i == 0 || line[i - 1] != '{' || digits_end - i > 10)
		return 0;
	unsigned long long n = 0;
	for (size_t k = i; k < digits_end; k++)
		n = n * 10 + (unsigned long long)(line[k] - '0');
	*size_r = n;
	return 1;
}

/* The command name on the first line ("" if it has none yet). */
static void command_name(const char *bytes, size_t len, char name[IMAP_NAME_MAX + 1])
{
	char tag[IMAP_TAG_MAX + 1];
	size_t n = 0;
	imap_parse_tag(bytes, len, tag);
	if (tag[0] != '\0') {
		const char *p = bytes + strlen(tag) + 1, *end = bytes + len;
		while (p + n < end && n < IMAP_NAME_MAX && isalpha((unsigned char)p[n])) {
			name[n] = (char)toupper((unsigned char)p[n]);
			n++;
		}
	}
	name[n] = '\0';
}

enum imap_read_result imap_read_command(struct imap_reader *r, struct buf *cmd, struct buf *line)
{
	char name[IMAP_NAME_MAX + 1] = "";
	size_t limit = 0;
	r->tag[0] = '\0';
	r->nonsync_too_big = 0;
	r->stream_status = 0;
	buf_reset(cmd);
	for (;;) {
		int st = stream_read_line(r->stream, line, r->max_line, DISCARD_MAX);
		if (st == STREAM_TOO_LONG)
			return IMAP_READ_TOO_LONG;
		if (st != STREAM_OK) {
			r->stream_status = st;
			return IMAP_READ_CLOSE;
		}
		if (cmd->len == 0) {
			if (line->len == 0)
				return IMAP_READ_EMPTY;
			imap_parse_tag(line->data, line->len, r->tag);
			command_name(line->data, line->len, name);
			limit = r->literal_limit(r->ctx, name);
			/* The command, its literals and the lines between them. */
			cmd->limit = limit + 2 * r->max_line;
		}
		if (buf_add(cmd, line->data, line->len) != 0)
			return IMAP_READ_TOO_LONG;
		unsigned long long size;
		int nonsync;
		if (!imap_literal_at_end(line->data, line->len, &size, &nonsync))
			return IMAP_READ_OK;
		if (size > limit && r->literal_streams != NULL &&
		    r->literal_streams(r->ctx, name)) {
			r->literal_size = size;
			r->literal_nonsync = nonsync;
			return IMAP_READ_LITERAL;
		}
		if (size > limit || size + 2 + cmd->len > cmd->limit) {
			if (!nonsync)
				return IMAP_READ_REFUSED;
			r->nonsync_too_big = 1;
			return IMAP_READ_CLOSE;
		}
		if (!nonsync) {
			stream_puts(r->stream, "+ Ready for literal data\r\n");
			st = stream_flush(r->stream);
			if (st != STREAM_OK) {
				r->stream_status = st;
				return IMAP_READ_CLOSE;
			}
		}
		buf_add(cmd, "\r\n", 2);
		st = stream_read_exact(r->stream, cmd, (size_t)size);
		if (st != STREAM_OK) {
			r->stream_status = st;
			return IMAP_READ_CLOSE;
		}
	}
}
