/* mime_tree.c -- GMime's structure with byte offsets (see mime_tree.h). */
#include <stdlib.h>
#include <string.h>

#include "mime_header.h"
#include "mime_tree.h"

static void init_gmime(void)
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
			if (in_part) {
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
	if (in_part && e->nparts < (size_t)count && e->nparts < MIME_MAX_PARTS) {
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
	init_gmime();
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
