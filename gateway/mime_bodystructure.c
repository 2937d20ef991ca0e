/* mime_bodystructure.c -- IMAP BODY and BODYSTRUCTURE (see mime_imap.h). */
#include <string.h>
#include <strings.h>

#include "imap_write.h"
#include "mime_header.h"
#include "mime_imap.h"

static void write_str(struct buf *out, const char *s)
{
	imap_write_string(out, s, strlen(s));
}

/* A raw header field of the entity's MIME header as an nstring. */
static void write_field(const struct mime_message *m, const struct mime_entity *e, const char *name,
			struct buf *out)
{
	struct buf v;
	buf_init(&v, e->body_start - e->header_start + 1);
	if (e->object != NULL &&
	    mime_header_value(m->data, e->header_start, e->body_start, name, &v) == 0)
		imap_write_string(out, v.data, v.len);
	else
		buf_adds(out, "NIL");
	buf_free(&v);
}

/* ("name" "value" ...), NIL when empty; text parts always name a charset. */
static void write_params(GMimeParamList *params, int default_charset, struct buf *out)
{
	int n = params ? g_mime_param_list_length(params) : 0, seen_charset = 0;
	if (n == 0 && !default_charset) {
		buf_adds(out, "NIL");
		return;
	}
	buf_addc(out, '(');
	for (int i = 0; i < n; i++) {
		GMimeParam *p = g_mime_param_list_get_parameter_at(params, i);
		const char *name = g_mime_param_get_name(p), *value = g_mime_param_get_value(p);
		if (i > 0)
			buf_addc(out, ' ');
		seen_charset |= strcasecmp(name, "charset") == 0;
		write_str(out, name);
		buf_addc(out, ' ');
		write_str(out, value ? value : "");
	}
	if (default_charset && !seen_charset)
		buf_adds(out, n > 0 ? " \"charset\" \"us-ascii\"" : "\"charset\" \"us-ascii\"");
	buf_addc(out, ')');
}

/* Disposition, language, location: the extension data every part ends with. */
static void write_common_ext(const struct mime_message *m, const struct mime_entity *e,
			     struct buf *out)
{
	GMimeContentDisposition *d =
	    e->object ? g_mime_object_get_content_disposition(e->object) : NULL;
	buf_addc(out, ' ');
	if (d != NULL && g_mime_content_disposition_get_disposition(d) != NULL) {
		buf_addc(out, '(');
		write_str(out, g_mime_content_disposition_get_disposition(d));
		buf_addc(out, ' ');
		write_params(g_mime_content_disposition_get_parameters(d), 0, out);
		buf_addc(out, ')');
	} else {
		buf_adds(out, "NIL");
	}
	/* Content-Language: a list of the comma-separated tags. */
	struct buf v;
	buf_init(&v, e->body_start - e->header_start + 1);
	buf_addc(out, ' ');
	if (e->object != NULL &&
	    mime_header_value(m->data, e->header_start, e->body_start, "Content-Language", &v) ==
		0 &&
	    v.len > 0) {
		buf_addc(out, '(');
		char *save = NULL, *tag;
		int first = 1;
		for (tag = strtok_r(v.data, ", \t", &save); tag;
		     tag = strtok_r(NULL, ", \t", &save)) {
			if (!first)
				buf_addc(out, ' ');
			write_str(out, tag);
			first = 0;
		}
		buf_addc(out, ')');
	} else {
		buf_adds(out, "NIL");
	}
	buf_free(&v);
	buf_addc(out, ' ');
	write_field(m, e, "Content-Location", out);
}

static void write_entity(const struct mime_message *m, const struct mime_entity *e, int extended,
			 struct buf *out);

static void write_multipart(const struct mime_message *m, const struct mime_entity *e, int extended,
			    struct buf *out)
{
	GMimeContentType *ct = g_mime_object_get_content_type(e->object);
	for (size_t i = 0; i < e->nparts; i++)
		write_entity(m, &e->parts[i], extended, out);
	if (e->nparts == 0) /* not allowed; shown as an empty text part, as Dovecot does */
		buf_adds(out, extended ? "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
					 "\"7bit\" 0 0 NIL NIL NIL NIL)"
				       : "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
					 "\"7bit\" 0 0)");
	buf_addc(out, ' ');
	write_str(out, g_mime_content_type_get_media_subtype(ct));
	if (!extended)
		return;
	buf_addc(out, ' ');
	write_params(g_mime_content_type_get_parameters(ct), 0, out);
	write_common_ext(m, e, out);
}

static void write_single(const struct mime_message *m, const struct mime_entity *e, int extended,
			 struct buf *out)
{
	GMimeContentType *ct = e->object ? g_mime_object_get_content_type(e->object) : NULL;
	const char *type = ct ? g_mime_content_type_get_media_type(ct) : "text";
	const char *subtype = ct ? g_mime_content_type_get_media_subtype(ct) : "plain";
	int text = e->kind == MIME_LEAF && strcasecmp(type, "text") == 0;
	if (e->kind == MIME_MESSAGE) {
		buf_adds(out, "\"message\" \"rfc822\"");
	} else {
		write_str(out, type);
		buf_addc(out, ' ');
		write_str(out, subtype);
	}
	buf_addc(out, ' ');
	write_params(ct ? g_mime_content_type_get_parameters(ct) : NULL, text, out);
	buf_addc(out, ' ');
	write_field(m, e, "Content-ID", out);
	buf_addc(out, ' ');
	write_field(m, e, "Content-Description", out);
	buf_addc(out, ' ');
	struct buf v;
	buf_init(&v, e->body_start - e->header_start + 1);
	if (e->object != NULL && mime_header_value(m->data, e->header_start, e->body_start,
						   "Content-Transfer-Encoding", &v) == 0)
		imap_write_string(out, v.data, v.len);
	else
		buf_adds(out, "\"7bit\"");
	buf_free(&v);
	size_t lines = mime_count_lines(m->data, e->body_start, e->end);
	buf_printf(out, " %zu", e->end - e->body_start);
	if (text) {
		buf_printf(out, " %zu", lines);
	} else if (e->kind == MIME_MESSAGE) {
		buf_addc(out, ' ');
		mime_write_envelope_of(m->data, e->body_start, e->message_body_start, out);
		buf_addc(out, ' ');
		if (e->message_body != NULL)
			write_entity(m, e->message_body, extended, out);
		else
			buf_adds(out, "NIL");
		buf_printf(out, " %zu", lines);
	}
	if (!extended)
		return;
	buf_addc(out, ' ');
	write_field(m, e, "Content-MD5", out);
	write_common_ext(m, e, out);
}

static void write_entity(const struct mime_message *m, const struct mime_entity *e, int extended,
			 struct buf *out)
{
	buf_addc(out, '(');
	if (e->kind == MIME_MULTIPART)
		write_multipart(m, e, extended, out);
	else
		write_single(m, e, extended, out);
	buf_addc(out, ')');
}

int mime_write_bodystructure(const struct mime_message *m, int extended, struct buf *out)
{
	write_entity(m, &m->body, extended, out);
	return out->overflow ? -1 : 0;
}
