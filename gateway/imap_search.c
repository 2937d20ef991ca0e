/* imap_search.c -- SEARCH criteria (see imap_search.h). */
#include <gmime/gmime.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap_date.h"
#include "imap_flags.h"
#include "imap_msgset.h"
#include "imap_search.h"
#include "mime_header.h"

#define SEARCH_MAX_NODES 1024

enum search_op {
	S_ALL,
	S_NONE,
	S_FLAG,	  /* flag set (num: the bit) */
	S_NOFLAG, /* flag clear */
	S_NEW,
	S_OLD,
	S_RECENT,
	S_LARGER,
	S_SMALLER,
	S_BEFORE, /* INTERNALDATE day */
	S_ON,
	S_SINCE,
	S_SENTBEFORE, /* Date: day */
	S_SENTON,
	S_SENTSINCE,
	S_HEADER, /* field contains str */
	S_BODY,
	S_TEXT,
	S_SET, /* in a message set (in[]) */
	S_MODSEQ,
	S_NOT,
	S_OR,
	S_AND,
};

struct search_node {
	enum search_op op;
	uint64_t num;
	int64_t day;
	const char *field; /* S_HEADER */
	char *text;	   /* case-folded UTF-8 to look for */
	unsigned char *in; /* S_SET: one byte per view message */
	struct search_node **kids;
	size_t nkids;
};

struct parser {
	const struct imap_view *v;
	const struct imap_arg *args;
	size_t n, pos;
	size_t nodes;
	struct search *srch;
	const char *error;
};

static void node_free(struct search_node *node)
{
	if (node == NULL)
		return;
	for (size_t i = 0; i < node->nkids; i++)
		node_free(node->kids[i]);
	free(node->kids);
	g_free(node->text);
	free(node->in);
	free(node);
}

void search_free(struct search *srch)
{
	node_free(srch->root);
	srch->root = NULL;
}

static struct search_node *new_node(struct parser *p, enum search_op op)
{
	if (++p->nodes > SEARCH_MAX_NODES) {
		p->error = "SEARCH: too many criteria";
		return NULL;
	}
	struct search_node *node = calloc(1, sizeof(*node));
	if (node != NULL)
		node->op = op;
	return node;
}

static int add_kid(struct search_node *parent, struct search_node *kid)
{
	struct search_node **grown = realloc(parent->kids, (parent->nkids + 1) * sizeof(*grown));
	if (grown == NULL)
		return -1;
	parent->kids = grown;
	parent->kids[parent->nkids++] = kid;
	return 0;
}

/* Case-folded UTF-8 (bytes that are not UTF-8 are taken as Latin-1). */
static char *fold(const char *s, size_t len)
{
	if (g_utf8_validate(s, (gssize)len, NULL))
		return g_utf8_casefold(s, (gssize)len);
	char *utf8 = g_convert(s, (gssize)len, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
	char *folded = utf8 ? g_utf8_casefold(utf8, -1) : g_strdup("");
	g_free(utf8);
	return folded;
}

static const struct imap_arg *next_arg(struct parser *p)
{
	if (p->pos == p->n) {
		p->error = "SEARCH: a criterion is missing its argument";
		return NULL;
	}
	return &p->args[p->pos++];
}

static int string_arg(struct parser *p, struct search_node *node)
{
	const struct imap_arg *a = next_arg(p);
	size_t len;
	const char *s = a ? imap_arg_astring(a, &len) : NULL;
	if (s == NULL) {
		p->error = p->error ? p->error : "SEARCH: a string is expected";
		return -1;
	}
	node->text = fold(s, len);
	return node->text ? 0 : -1;
}

static int number_arg(struct parser *p, uint64_t *v)
{
	const struct imap_arg *a = next_arg(p);
	char *end;
	if (a == NULL || a->type != IMAP_ARG_ATOM || a->data[0] < '0' || a->data[0] > '9')
		return -1;
	*v = strtoull(a->data, &end, 10);
	return *end == '\0' ? 0 : -1;
}

static int date_arg(struct parser *p, int64_t *day)
{
	const struct imap_arg *a = next_arg(p);
	size_t len;
	const char *s = a ? imap_arg_astring(a, &len) : NULL;
	if (s == NULL || imap_parse_date(s, day) != 0) {
		p->error = "SEARCH: dates are like 1-Feb-1994";
		return -1;
	}
	return 0;
}

static int set_arg(struct parser *p, const struct imap_arg *a, int uid, struct search_node *node)
{
	struct imap_msgset set;
	if (imap_msgset_parse(p->v, a, uid, &set) != IMAP_MSGSET_OK) {
		p->error = "SEARCH: invalid message set";
		return -1;
	}
	node->in = calloc(p->v->count ? p->v->count : 1, 1);
	for (size_t i = 0; node->in && i < set.count; i++)
		node->in[set.index[i]] = 1;
	imap_msgset_free(&set);
	return node->in ? 0 : -1;
}

/* Keys that stand alone, as flags or the view's marks. */
static int simple_key(const char *name, struct search_node *node)
{
	static const struct {
		const char *name;
		enum search_op op;
		uint32_t flag;
	} keys[] = {
	    {"ALL", S_ALL, 0},
	    {"ANSWERED", S_FLAG, STORE_FLAG_ANSWERED},
	    {"DELETED", S_FLAG, STORE_FLAG_DELETED},
	    {"DRAFT", S_FLAG, STORE_FLAG_DRAFT},
	    {"FLAGGED", S_FLAG, STORE_FLAG_FLAGGED},
	    {"SEEN", S_FLAG, STORE_FLAG_SEEN},
	    {"UNANSWERED", S_NOFLAG, STORE_FLAG_ANSWERED},
	    {"UNDELETED", S_NOFLAG, STORE_FLAG_DELETED},
	    {"UNDRAFT", S_NOFLAG, STORE_FLAG_DRAFT},
	    {"UNFLAGGED", S_NOFLAG, STORE_FLAG_FLAGGED},
	    {"UNSEEN", S_NOFLAG, STORE_FLAG_SEEN},
	    {"NEW", S_NEW, 0},
	    {"OLD", S_OLD, 0},
	    {"RECENT", S_RECENT, 0},
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcasecmp(name, keys[i].name) == 0) {
			node->op = keys[i].op;
			node->num = keys[i].flag;
			return 1;
		}
	return 0;
}

static const struct {
	const char *name;
	const char *field; /* a header field; NULL for the others */
	enum search_op op;
} string_keys[] = {
    {"FROM", "From", S_HEADER}, {"TO", "To", S_HEADER},		  {"CC", "Cc", S_HEADER},
    {"BCC", "Bcc", S_HEADER},	{"SUBJECT", "Subject", S_HEADER}, {"BODY", NULL, S_BODY},
    {"TEXT", NULL, S_TEXT},
};

static const struct {
	const char *name;
	enum search_op op;
} date_keys[] = {
    {"BEFORE", S_BEFORE},	  {"ON", S_ON},		{"SINCE", S_SINCE},
    {"SENTBEFORE", S_SENTBEFORE}, {"SENTON", S_SENTON}, {"SENTSINCE", S_SENTSINCE},
};

static struct search_node *parse_key(struct parser *p);

/* Keys until the end (or a list's end) as one AND. */
static struct search_node *parse_all(struct parser *p)
{
	struct search_node *and = new_node(p, S_AND);
	while (and != NULL && p->pos < p->n) {
		struct search_node *kid = parse_key(p);
		if (kid == NULL || add_kid(and, kid) != 0) {
			node_free(kid);
			node_free(and);
			return NULL;
		}
	}
	return and;
}

static struct search_node *parse_named(struct parser *p, const char *name, struct search_node *node)
{
	for (size_t i = 0; i < sizeof(string_keys) / sizeof(string_keys[0]); i++)
		if (strcasecmp(name, string_keys[i].name) == 0) {
			node->op = string_keys[i].op;
			node->field = string_keys[i].field;
			p->srch->need = node->op == S_HEADER ? p->srch->need : IMAP_NEED_PARSED;
			if (node->op == S_HEADER && p->srch->need < IMAP_NEED_HEADER)
				p->srch->need = IMAP_NEED_HEADER;
			return string_arg(p, node) == 0 ? node : NULL;
		}
	for (size_t i = 0; i < sizeof(date_keys) / sizeof(date_keys[0]); i++)
		if (strcasecmp(name, date_keys[i].name) == 0) {
			node->op = date_keys[i].op;
			if (node->op >= S_SENTBEFORE && p->srch->need < IMAP_NEED_HEADER)
				p->srch->need = IMAP_NEED_HEADER;
			return date_arg(p, &node->day) == 0 ? node : NULL;
		}
	if (strcasecmp(name, "HEADER") == 0) {
		const struct imap_arg *f = next_arg(p);
		size_t len;
		node->op = S_HEADER;
		node->field = f ? imap_arg_astring(f, &len) : NULL;
		if (p->srch->need < IMAP_NEED_HEADER)
			p->srch->need = IMAP_NEED_HEADER;
		return node->field && string_arg(p, node) == 0 ? node : NULL;
	}
	if (strcasecmp(name, "LARGER") == 0 || strcasecmp(name, "SMALLER") == 0) {
		node->op = name[0] == 'L' || name[0] == 'l' ? S_LARGER : S_SMALLER;
		return number_arg(p, &node->num) == 0 ? node : NULL;
	}
	if (strcasecmp(name, "KEYWORD") == 0 || strcasecmp(name, "UNKEYWORD") == 0) {
		/* No keywords are kept: none is set, every one is clear. */
		node->op = name[0] == 'K' || name[0] == 'k' ? S_NONE : S_ALL;
		return next_arg(p) ? node : NULL;
	}
	if (strcasecmp(name, "UID") == 0) {
		const struct imap_arg *a = next_arg(p);
		node->op = S_SET;
		return a && set_arg(p, a, 1, node) == 0 ? node : NULL;
	}
	if (strcasecmp(name, "MODSEQ") == 0) {
		/* MODSEQ ["/flags/..." priv|shared|all] n: every flag shares the
		 * message's MODSEQ here, so the entry changes nothing. */
		if (p->pos < p->n && p->args[p->pos].type == IMAP_ARG_QUOTED)
			p->pos = p->pos + 2 <= p->n ? p->pos + 2 : p->n;
		node->op = S_MODSEQ;
		p->srch->has_modseq = 1;
		return number_arg(p, &node->num) == 0 ? node : NULL;
	}
	p->error = "SEARCH: unknown criterion";
	return NULL;
}

static struct search_node *parse_key(struct parser *p)
{
	const struct imap_arg *a = next_arg(p);
	struct search_node *node = a ? new_node(p, S_ALL) : NULL;
	if (node == NULL)
		return NULL;
	if (a->type == IMAP_ARG_LIST) {
		struct parser sub = *p;
		sub.args = a->list;
		sub.n = a->count;
		sub.pos = 0;
		node_free(node);
		node = a->count ? parse_all(&sub) : NULL;
		p->nodes = sub.nodes;
		p->error = sub.error ? sub.error : "SEARCH: an empty list";
		return node;
	}
	if (a->type != IMAP_ARG_ATOM) {
		p->error = "SEARCH: a criterion is expected";
		node_free(node);
		return NULL;
	}
	struct search_node *done = NULL;
	if (simple_key(a->data, node)) {
		done = node;
	} else if (strcasecmp(a->data, "NOT") == 0 || strcasecmp(a->data, "OR") == 0) {
		node->op = a->data[0] == 'N' || a->data[0] == 'n' ? S_NOT : S_OR;
		for (int k = 0; k < (node->op == S_OR ? 2 : 1); k++) {
			struct search_node *kid = parse_key(p);
			if (kid == NULL || add_kid(node, kid) != 0) {
				node_free(kid);
				node_free(node);
				return NULL;
			}
		}
		done = node;
	} else if ((a->data[0] >= '0' && a->data[0] <= '9') || a->data[0] == '*') {
		node->op = S_SET;
		done = set_arg(p, a, 0, node) == 0 ? node : NULL;
	} else {
		done = parse_named(p, a->data, node);
	}
	if (done == NULL)
		node_free(node);
	return done;
}

int search_parse(const struct imap_view *v, const struct imap_arg *args, size_t n,
		 struct search *srch, const char **error)
{
	struct parser p = {.v = v, .args = args, .n = n, .srch = srch};
	memset(srch, 0, sizeof(*srch));
	if (n == 0) {
		*error = "SEARCH needs criteria";
		return -1;
	}
	srch->root = parse_all(&p);
	*error = p.error ? p.error : "SEARCH: invalid criteria";
	return srch->root ? 0 : -1;
}

/* ---- matching ------------------------------------------------------------ */

static int contains(const char *haystack, const char *needle)
{
	return needle[0] == '\0' || strstr(haystack, needle) != NULL;
}

/* Whether a field called field holds text (RFC 2047-decoded, folded);
 * text "" asks only whether the field is there. */
static int header_has(const struct imap_message *m, const char *field, const char *text)
{
	struct mime_field f;
	size_t pos = 0;
	size_t flen = strlen(field);
	while (mime_header_next(m->data, m->header_end, &pos, &f)) {
		if (!mime_field_is(m->data, &f, field, flen))
			continue;
		if (text[0] == '\0')
			return 1;
		size_t len = f.end - f.value_start;
		char *raw = g_strndup(m->data + f.value_start, len), *p = raw;
		for (char *q = raw; *q; q++) /* unfold */
			if (*q != '\r' && *q != '\n')
				*p++ = *q;
		*p = '\0';
		char *decoded = g_mime_utils_header_decode_text(NULL, raw);
		char *folded = fold(decoded, strlen(decoded));
		int found = contains(folded, text);
		g_free(folded);
		g_free(decoded);
		g_free(raw);
		if (found)
			return 1;
	}
	return 0;
}

static int any_field_has(const struct imap_message *m, const char *text)
{
	struct mime_field f;
	size_t pos = 0;
	char name[256];
	while (mime_header_next(m->data, m->header_end, &pos, &f)) {
		if (f.name_len == 0 || f.name_len >= sizeof(name))
			continue;
		memcpy(name, m->data + f.start, f.name_len);
		name[f.name_len] = '\0';
		if (header_has(m, name, text))
			return 1;
	}
	return 0;
}

struct body_search {
	const char *text;
	int found;
};

/* Text parts as GMime decodes them (transfer encoding, charset). */
static void search_part(GMimeObject *parent, GMimeObject *part, gpointer data)
{
	struct body_search *b = data;
	(void)parent;
	if (b->found || !GMIME_IS_TEXT_PART(part))
		return;
	char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
	if (text != NULL) {
		char *folded = fold(text, strlen(text));
		b->found = contains(folded, b->text);
		g_free(folded);
	}
	g_free(text);
}

static int body_has(const struct imap_message *m, const char *text)
{
	struct body_search b = {text, 0};
	if (m->mime.gmime == NULL)
		return 0;
	GMimeObject *body = g_mime_message_get_mime_part(m->mime.gmime);
	if (body == NULL)
		return 0;
	search_part(NULL, body, &b);
	if (GMIME_IS_MULTIPART(body))
		g_mime_multipart_foreach(GMIME_MULTIPART(body), search_part, &b);
	return b.found;
}

/* The day of the Date: header, in its own zone; 0 if there is none. */
static int sent_day(const struct imap_message *m, int64_t *day)
{
	struct buf v;
	buf_init(&v, m->header_end + 1);
	int found = mime_header_value(m->data, 0, m->header_end, "Date", &v) == 0;
	GDateTime *dt = found ? g_mime_utils_header_decode_date(buf_cstr(&v)) : NULL;
	buf_free(&v);
	if (dt == NULL)
		return 0;
	*day = imap_civil_day(g_date_time_get_year(dt), (unsigned)g_date_time_get_month(dt),
			      (unsigned)g_date_time_get_day_of_month(dt));
	g_date_time_unref(dt);
	return 1;
}

static int match(const struct search_node *node, const struct imap_view *v, size_t i,
		 const struct imap_message *m)
{
	const struct imap_msg *msg = &v->msgs[i];
	int64_t day;
	switch (node->op) {
	case S_ALL:
		return 1;
	case S_NONE:
		return 0;
	case S_FLAG:
		return (msg->flags & node->num) != 0;
	case S_NOFLAG:
		return (msg->flags & node->num) == 0;
	case S_NEW:
		return msg->recent && !(msg->flags & STORE_FLAG_SEEN);
	case S_OLD:
		return !msg->recent;
	case S_RECENT:
		return msg->recent;
	case S_LARGER:
		return msg->size > node->num;
	case S_SMALLER:
		return msg->size < node->num;
	case S_BEFORE:
		return imap_day_of(msg->received) < node->day;
	case S_ON:
		return imap_day_of(msg->received) == node->day;
	case S_SINCE:
		return imap_day_of(msg->received) >= node->day;
	case S_SENTBEFORE:
		return sent_day(m, &day) && day < node->day;
	case S_SENTON:
		return sent_day(m, &day) && day == node->day;
	case S_SENTSINCE:
		return sent_day(m, &day) && day >= node->day;
	case S_HEADER:
		return header_has(m, node->field, node->text);
	case S_BODY:
		return body_has(m, node->text);
	case S_TEXT:
		return any_field_has(m, node->text) || body_has(m, node->text);
	case S_SET:
		return node->in[i];
	case S_MODSEQ:
		return msg->modseq >= node->num;
	case S_NOT:
		return !match(node->kids[0], v, i, m);
	case S_OR:
		return match(node->kids[0], v, i, m) || match(node->kids[1], v, i, m);
	case S_AND:
		for (size_t k = 0; k < node->nkids; k++)
			if (!match(node->kids[k], v, i, m))
				return 0;
		return 1;
	}
	return 0;
}

int search_match(const struct search *srch, const struct imap_view *v, size_t i,
		 const struct imap_message *m)
{
	return match(srch->root, v, i, m);
}
