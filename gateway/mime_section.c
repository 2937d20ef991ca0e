/* mime_section.c -- BODY[section]<partial> by offsets (see mime_section.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime_header.h"
#include "mime_section.h"

static const struct {
	const char *name;
	enum mime_section_spec spec;
} specs[] = {
    {"HEADER.FIELDS.NOT", SECTION_HEADER_FIELDS_NOT},
    {"HEADER.FIELDS", SECTION_HEADER_FIELDS},
    {"HEADER", SECTION_HEADER},
    {"TEXT", SECTION_TEXT},
    {"MIME", SECTION_MIME},
};

/* "(name name ...)": atoms or quoted strings. */
static int parse_fields(const char *p, const char *end, struct mime_section *s)
{
	if (p == end || *p != '(')
		return -1;
	p++;
	while (p < end && *p != ')') {
		if (s->nfields > 0) {
			if (*p != ' ')
				return -1;
			p++;
		}
		const char *start = p;
		size_t n;
		if (p < end && *p == '"') {
			start = ++p;
			while (p < end && *p != '"' && *p != '\\')
				p++;
			if (p == end || *p != '"')
				return -1;
			n = (size_t)(p - start);
			p++;
		} else {
			while (p<end && * p> ' ' && *p < 127 && *p != '(' && *p != ')' &&
			       *p != '"' && *p != ':')
				p++;
			n = (size_t)(p - start);
		}
		if (n == 0 || n > MIME_FIELD_NAME_MAX || s->nfields == MIME_SECTION_FIELDS)
			return -1;
		memcpy(s->field[s->nfields], start, n);
		s->field[s->nfields][n] = '\0';
		s->nfields++;
	}
	if (p == end || s->nfields == 0 || p + 1 != end)
		return -1;
	return 0;
}

int mime_section_parse(const char *text, size_t len, struct mime_section *s)
{
	const char *p = text, *end = text + len;
	memset(s, 0, sizeof(*s));
	s->spec = SECTION_BODY;
	/* Part numbers: nz-number *("." nz-number) */
	while (p < end && isdigit((unsigned char)*p)) {
		uint64_t n = 0;
		if (*p == '0' || s->nparts == MIME_SECTION_DEPTH)
			return -1;
		while (p < end && isdigit((unsigned char)*p)) {
			n = n * 10 + (uint64_t)(*p++ - '0');
			if (n > UINT32_MAX)
				return -1;
		}
		s->part[s->nparts++] = (uint32_t)n;
		if (p == end)
			return 0;
		if (*p != '.')
			return -1;
		p++;
		if (p == end)
			return -1;
	}
	if (p == end)
		return 0;
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		size_t n = strlen(specs[i].name);
		if ((size_t)(end - p) < n || strncasecmp(p, specs[i].name, n) != 0)
			continue;
		const char *rest = p + n;
		s->spec = specs[i].spec;
		if (s->spec == SECTION_MIME && s->nparts == 0)
			return -1; /* MIME needs a part number */
		if (s->spec == SECTION_HEADER_FIELDS || s->spec == SECTION_HEADER_FIELDS_NOT) {
			if (rest == end || *rest != ' ')
				return -1;
			return parse_fields(rest + 1, end, s);
		}
		return rest == end ? 0 : -1;
	}
	return -1;
}

/* A byte range of the message: what a section resolves to. */
struct range {
	size_t start, end;
};

/* A message's header and body, at the top or inside a message/rfc822 part. */
struct message_view {
	struct range header, body;
	const struct mime_entity *body_entity;
};

/* Part n of a message's body: its parts when multipart, else itself as 1. */
static const struct mime_entity *nth_part(const struct mime_entity *body, uint32_t n)
{
	if (body->kind == MIME_MULTIPART)
		return n >= 1 && n <= body->nparts ? &body->parts[n - 1] : NULL;
	return n == 1 ? body : NULL;
}

static int view_of_part(const struct mime_entity *e, struct message_view *v)
{
	if (e->kind != MIME_MESSAGE || e->message_body == NULL)
		return -1;
	v->header = (struct range){e->body_start, e->message_body_start};
	v->body = (struct range){e->message_body_start, e->end};
	v->body_entity = e->message_body;
	return 0;
}

/* Header fields chosen by the section, then the empty line. */
static int write_fields(const struct mime_message *m, const struct mime_section *s,
			struct range header, struct buf *out)
{
	struct mime_field f;
	size_t pos = header.start;
	int keep_named = s->spec == SECTION_HEADER_FIELDS;
	while (mime_header_next(m->data, header.end, &pos, &f)) {
		if (f.name_len == 0)
			continue;
		int named = 0;
		for (size_t i = 0; i < s->nfields && !named; i++)
			named = mime_field_is(m->data, &f, s->field[i], strlen(s->field[i]));
		if (named == keep_named && buf_add(out, m->data + f.start, f.end - f.start) != 0)
			return -1;
	}
	/* pos is at the empty line, if the block has one. */
	if (pos < header.end)
		return buf_add(out, m->data + pos, header.end - pos);
	return buf_add(out, "\r\n", 2);
}

/* Resolves the section to a range, or to HEADER.FIELDS output in *fields. */
static int resolve(const struct mime_message *m, const struct mime_section *s, struct range *r,
		   int *fields, struct range *fields_header)
{
	struct message_view v = {{0, m->body_start}, {m->body_start, m->len}, &m->body};
	const struct mime_entity *e = NULL;
	*fields = 0;
	for (size_t i = 0; i < s->nparts; i++) {
		/* Deeper numbers go into a multipart's parts or a message's;
		 * a single part of a multipart is its own part 1, the single
		 * body of a message has none (as Dovecot answers). */
		if (e != NULL && e->kind == MIME_MESSAGE) {
			if (view_of_part(e, &v) != 0)
				return -1;
		} else if (e != NULL) {
			if (e == v.body_entity)
				return -1;
			v.body_entity = e;
		}
		e = nth_part(v.body_entity, s->part[i]);
		if (e == NULL)
			return -1;
	}
	if (e != NULL && s->spec != SECTION_BODY && s->spec != SECTION_MIME &&
	    view_of_part(e, &v) != 0)
		return -1; /* HEADER, TEXT of a part: only a message/rfc822 one */
	switch (s->spec) {
	case SECTION_BODY:
		*r = e ? (struct range){e->body_start, e->end} : (struct range){0, m->len};
		return 0;
	case SECTION_MIME:
		*r = (struct range){e->header_start, e->body_start};
		return 0;
	case SECTION_HEADER:
		*r = v.header;
		return 0;
	case SECTION_TEXT:
		*r = v.body;
		return 0;
	default:
		*fields = 1;
		*fields_header = v.header;
		return 0;
	}
}

int mime_section_fetch(const struct mime_message *m, const struct mime_section *s, size_t offset,
		       size_t length, struct buf *out)
{
	struct range r, header;
	int fields;
	const char *bytes;
	size_t n;
	struct buf tmp;
	buf_init(&tmp, m->len + 2);
	if (resolve(m, s, &r, &fields, &header) != 0) {
		buf_free(&tmp);
		return 0;
	}
	if (fields) {
		if (write_fields(m, s, header, &tmp) != 0) {
			buf_free(&tmp);
			return -1;
		}
		bytes = tmp.data;
		n = tmp.len;
	} else {
		bytes = m->data + r.start;
		n = r.end - r.start;
	}
	int rc = 0;
	if (offset < n) {
		size_t take = n - offset < length ? n - offset : length;
		rc = buf_add(out, bytes + offset, take);
	}
	buf_free(&tmp);
	return rc;
}
