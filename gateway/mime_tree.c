/* mime_tree.c -- GMime's structure with byte offsets (see mime_tree.h). */
#include <stdlib.h>
#include <string.h>

#include "mime_header.h"
#include "mime_tree.h"

void mime_init(void)
{
	static int done;
	if (!done) {
		g_mime_init();
		done = 1;
	}
}

size_t mime_count_lines(const char *data, size_t start, size_t end)
{
	size_t n = 0;
	for (const char *p = data + start; (p = memchr(p, '\n', (size_t)(data + end - p))) != NULL;
	     p++)
		n++;
	return n;
}

static size_t next_line(const char *data, size_t end, size_t pos)
{
	const char *lf = memchr(data + pos, '\n', end - pos);
	return lf ? (size_t)(lf - data) + 1 : end;
}

/*
 * Whether the line at pos is a boundary line of boundary: "--" boundary,
 * then "--" for the last one, then only spaces and tabs.  *close_r says
 * which.
 */
static int boundary_line(const char *data, size_t end, size_t pos, const char *boundary,
			 size_t blen, int *close_r)
{
	if (end - pos < blen + 2 || data[pos] != '-' || data[pos + 1] != '-' ||
	    memcmp(data + pos + 2, boundary, blen) != 0)
		return 0;
	size_t p = pos + 2 + blen;
	*close_r = end - p >= 2 && data[p] == '-' && data[p + 1] == '-';
	if (*close_r)
		p += 2;
	while (p < end && (data[p] == ' ' || data[p] == '\t' || data[p] == '\r'))
		p++;
	return p == end || data[p] == '\n';
}

/* Where a part ends: before the line end that precedes a boundary line at pos. */
static size_t part_end(const char *data, size_t part_start, size_t pos)
{
	size_t e = pos;
	if (e > part_start && data[e - 1] == '\n')
		e--;
	if (e > part_start && data[e - 1] == '\r')
		e--;
	return e;
}

static int build(struct mime_message *m, struct mime_entity *e, GMimeObject *obj,
		 size_t header_start, size_t end, int depth);

/* A field name as GMime takes it: no control characters, no inner blanks. */
static int valid_field_name(const char *data, const struct mime_field *f)
{
	for (size_t i = 0; i < f->name_len; i++) {
		unsigned char c = (unsigned char)data[f->start + i];
		if (c < ' ' || c == 127 || c == ' ' || c == '\t')
			return 0;
	}
	return f->name_len > 0;
}

/*
 * GMime makes no part of what lies between two boundary lines when it
 * holds neither an empty line nor a header field (nothing at all, or
 * stray text): such a stretch is skipped here too, so that the parts
 * found here stay GMime's, one for one.
 */
static int no_part(const char *data, size_t start, size_t end)
{
	struct mime_field f;
	size_t pos = start;
	while (mime_header_next(data, end, &pos, &f))
		if (valid_field_name(data, &f))
			return 0;
	return pos >= end; /* else pos is at an empty line */
}

/* The parts of a multipart, found by its boundary, paired with GMime's. */
static int build_parts(struct mime_message *m, struct mime_entity *e, int depth)
{
	GMimeMultipart *mp = GMIME_MULTIPART(e->object);
	const char *boundary = g_mime_multipart_get_boundary(mp);
	int count = g_mime_multipart_get_count(mp);
	if (boundary == NULL || count <= 0)
		return 0;
	size_t blen = strlen(boundary), pos = e->body_start, part_start = 0;
	int in_part = 0, close = 0;
	e->parts = calloc((size_t)count, sizeof(*e->parts));
	if (e->parts == NULL)
		return -1;
	while (pos < e->end && e->nparts < (size_t)count && e->nparts < MIME_MAX_PARTS) {
		size_t next = next_line(m->data, e->end, pos);
		if (boundary_line(m->data, next, pos, boundary, blen, &close)) {
			if (in_part && !no_part(m->data, part_start, pos)) {
				size_t pe = part_end(m->data, part_start, pos);
				GMimeObject *child = g_mime_multipart_get_part(mp, (int)e->nparts);
				if (build(m, &e->parts[e->nparts], child, part_start, pe,
					  depth + 1) != 0)
					return -1;
				e->nparts++;
			}
			in_part = !close;
			part_start = next;
			if (close)
				break;
		}
		pos = next;
	}
	/* A last part without its closing boundary runs to the end. */
	if (in_part && e->nparts < (size_t)count && e->nparts < MIME_MAX_PARTS &&
	    !no_part(m->data, part_start, e->end)) {
		GMimeObject *child = g_mime_multipart_get_part(mp, (int)e->nparts);
		if (build(m, &e->parts[e->nparts], child, part_start, e->end, depth + 1) != 0)
			return -1;
		e->nparts++;
	}
	return 0;
}

static int build_message(struct mime_message *m, struct mime_entity *e, int depth)
{
	e->message = g_mime_message_part_get_message(GMIME_MESSAGE_PART(e->object));
	e->message_body_start = mime_header_end(m->data, e->end, e->body_start);
	if (e->message == NULL)
		return 0;
	e->message_body = calloc(1, sizeof(*e->message_body));
	if (e->message_body == NULL)
		return -1;
	return build(m, e->message_body, g_mime_message_get_mime_part(e->message), e->body_start,
		     e->end, depth + 1);
}

static int build(struct mime_message *m, struct mime_entity *e, GMimeObject *obj,
		 size_t header_start, size_t end, int depth)
{
	e->object = obj;
	e->header_start = header_start;
	e->end = end;
	e->body_start = mime_header_end(m->data, end, header_start);
	e->kind = MIME_LEAF;
	if (obj == NULL || depth >= MIME_MAX_DEPTH)
		return 0;
	if (GMIME_IS_MULTIPART(obj)) {
		e->kind = MIME_MULTIPART;
		return build_parts(m, e, depth);
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		e->kind = MIME_MESSAGE;
		return build_message(m, e, depth);
	}
	return 0;
}

int mime_parse(const char *data, size_t len, struct mime_message *m)
{
	mime_init();
	memset(m, 0, sizeof(*m));
	m->data = data;
	m->len = len;
	m->body_start = mime_header_end(data, len, 0);
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(data, len);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	m->gmime = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	g_object_unref(stream);
	GMimeObject *body = m->gmime ? g_mime_message_get_mime_part(m->gmime) : NULL;
	return build(m, &m->body, body, 0, len, 0);
}

static void free_entity(struct mime_entity *e)
{
	for (size_t i = 0; i < e->nparts; i++)
		free_entity(&e->parts[i]);
	free(e->parts);
	if (e->message_body != NULL) {
		free_entity(e->message_body);
		free(e->message_body);
	}
}

void mime_free(struct mime_message *m)
{
	free_entity(&m->body);
	if (m->gmime != NULL)
		g_object_unref(m->gmime);
	memset(m, 0, sizeof(*m));
}

/* GMime's copy of a part's content, as it came (still transfer-encoded). */
static int same_as_content(const struct mime_message *m, const struct mime_entity *e)
{
	GMimeDataWrapper *w = g_mime_part_get_content(GMIME_PART(e->object));
	GMimeStream *st = w ? g_mime_data_wrapper_get_stream(w) : NULL;
	size_t len = e->end - e->body_start;
	if (st == NULL)
		return len == 0;
	GByteArray *bytes = g_byte_array_new();
	GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(bytes);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	g_mime_stream_reset(st);
	g_mime_stream_write_to_stream(st, mem);
	int same = bytes->len == len &&
		   (len == 0 || memcmp(bytes->data, m->data + e->body_start, len) == 0);
	g_object_unref(mem);
	g_byte_array_free(bytes, TRUE);
	return same;
}

static int entity_agrees(const struct mime_message *m, const struct mime_entity *e)
{
	if (e->kind == MIME_LEAF && e->object != NULL && GMIME_IS_PART(e->object))
		return same_as_content(m, e);
	for (size_t i = 0; i < e->nparts; i++)
		if (!entity_agrees(m, &e->parts[i]))
			return 0;
	return e->message_body == NULL || entity_agrees(m, e->message_body);
}

int mime_agrees_with_gmime(const struct mime_message *m)
{
	return entity_agrees(m, &m->body);
}
