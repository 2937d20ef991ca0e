/* mime_header.c -- header blocks as bytes (see mime_header.h). */
#include <string.h>
#include <strings.h>

#include "mime_header.h"

/* The end of the line starting at pos (after its LF), or end. */
static size_t line_end(const char *data, size_t end, size_t pos)
{
	const char *lf = memchr(data + pos, '\n', end - pos);
	return lf ? (size_t)(lf - data) + 1 : end;
}

static int empty_line(const char *data, size_t end, size_t pos)
{
	return data[pos] == '\n' || (data[pos] == '\r' && pos + 1 < end && data[pos + 1] == '\n');
}

size_t mime_header_end(const char *data, size_t end, size_t start)
{
	size_t pos = start;
	while (pos < end) {
		if (empty_line(data, end, pos))
			return line_end(data, end, pos);
		pos = line_end(data, end, pos);
	}
	return end;
}

int mime_header_next(const char *data, size_t end, size_t *pos, struct mime_field *f)
{
	size_t p = *pos;
	if (p >= end || empty_line(data, end, p))
		return 0;
	f->start = p;
	p = line_end(data, end, p);
	while (p < end && (data[p] == ' ' || data[p] == '\t'))
		p = line_end(data, end, p);
	f->end = p;
	*pos = p;
	const char *colon = memchr(data + f->start, ':', f->end - f->start);
	f->name_len = 0;
	f->value_start = f->end;
	if (colon != NULL &&
	    memchr(data + f->start, '\n', (size_t)(colon - data) - f->start) == NULL) {
		size_t n = (size_t)(colon - data) - f->start;
		f->value_start = (size_t)(colon - data) + 1;
		while (n > 0 && (data[f->start + n - 1] == ' ' || data[f->start + n - 1] == '\t'))
			n--;
		f->name_len = n;
	}
	return 1;
}

int mime_field_is(const char *data, const struct mime_field *f, const char *name, size_t name_len)
{
	return f->name_len == name_len && f->name_len > 0 &&
	       strncasecmp(data + f->start, name, name_len) == 0;
}

int mime_header_value(const char *data, size_t start, size_t end, const char *name, struct buf *out)
{
	struct mime_field f;
	size_t pos = start, name_len = strlen(name);
	buf_reset(out);
	while (mime_header_next(data, end, &pos, &f)) {
		if (!mime_field_is(data, &f, name, name_len))
			continue;
		size_t a = f.value_start, b = f.end;
		for (size_t i = a; i < b; i++)
			if (data[i] != '\r' && data[i] != '\n')
				buf_addc(out, data[i]);
		/* Trim the folding and spacing at both ends. */
		size_t lead = 0;
		while (lead < out->len && (out->data[lead] == ' ' || out->data[lead] == '\t'))
			lead++;
		if (lead > 0) {
			memmove(out->data, out->data + lead, out->len - lead);
			out->len -= lead;
		}
		while (out->len > 0 &&
		       (out->data[out->len - 1] == ' ' || out->data[out->len - 1] == '\t'))
			out->len--;
		buf_cstr(out);
		return 0;
	}
	return -1;
}
