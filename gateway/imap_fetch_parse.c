/* imap_fetch_parse.c -- FETCH items and modifiers (see imap_fetch.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap_fetch.h"

static struct fetch_item *add(struct fetch_request *req, enum fetch_kind kind, const char *label)
{
	if (req->count == FETCH_MAX_ITEMS)
		return NULL;
	struct fetch_item *it = &req->items[req->count++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	snprintf(it->label, sizeof(it->label), "%s", label);
	return it;
}

/* RFC822, RFC822.HEADER, RFC822.TEXT: sections by older names. */
static int add_rfc822(struct fetch_request *req, const char *name)
{
	static const struct {
		const char *name;
		enum mime_section_spec spec;
		int sets_seen;
	} forms[] = {
	    {"RFC822", SECTION_BODY, 1},
	    {"RFC822.HEADER", SECTION_HEADER, 0},
	    {"RFC822.TEXT", SECTION_TEXT, 1},
	};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		if (strcasecmp(name, forms[i].name) != 0)
			continue;
		struct fetch_item *it = add(req, FETCH_SECTION, forms[i].name);
		if (it == NULL)
			return -1;
		it->section.spec = forms[i].spec;
		it->sets_seen = forms[i].sets_seen;
		return 0;
	}
	return -1;
}

/* "<offset.length>" at p; 0 and the values, or -1. */
static int parse_partial(const char *p, uint64_t *offset, uint64_t *length)
{
	char *end;
	if (*p != '<' || !isdigit((unsigned char)p[1]))
		return -1;
	*offset = strtoull(p + 1, &end, 10);
	if (*end != '.' || !isdigit((unsigned char)end[1]))
		return -1;
	*length = strtoull(end + 1, &end, 10);
	return *end == '>' && end[1] == '\0' && *length > 0 ? 0 : -1;
}

/* BODY[section]<partial> or BODY.PEEK[...]. */
static int add_section(struct fetch_request *req, const char *atom)
{
	int peek = strncasecmp(atom, "BODY.PEEK[", 10) == 0;
	const char *open = strchr(atom, '[');
	const char *close = strrchr(atom, ']');
	if (close == NULL || close < open)
		return -1;
	size_t len = (size_t)(close - open - 1);
	struct fetch_item *it = add(req, FETCH_SECTION, "");
	if (it == NULL || mime_section_parse(open + 1, len, &it->section) != 0)
		return -1;
	it->sets_seen = !peek;
	it->length = UINT64_MAX;
	if (close[1] != '\0') {
		if (parse_partial(close + 1, &it->offset, &it->length) != 0)
			return -1;
		it->partial = 1;
	}
	int n = snprintf(it->label, sizeof(it->label), "BODY[%.*s]", (int)len, open + 1);
	if (it->partial && n > 0 && (size_t)n < sizeof(it->label))
		snprintf(it->label + n, sizeof(it->label) - (size_t)n, "<%llu>",
			 (unsigned long long)it->offset);
	return 0;
}

static int add_named(struct fetch_request *req, const char *name)
{
	static const struct {
		const char *name;
		enum fetch_kind kind;
	} simple[] = {
	    {"UID", FETCH_UID},
	    {"FLAGS", FETCH_FLAGS},
	    {"INTERNALDATE", FETCH_INTERNALDATE},
	    {"RFC822.SIZE", FETCH_SIZE},
	    {"MODSEQ", FETCH_MODSEQ},
	    {"ENVELOPE", FETCH_ENVELOPE},
	    {"BODY", FETCH_BODY},
	    {"BODYSTRUCTURE", FETCH_BODYSTRUCTURE},
	};
	for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++)
		if (strcasecmp(name, simple[i].name) == 0)
			return add(req, simple[i].kind, simple[i].name) ? 0 : -1;
	if (strncasecmp(name, "BODY[", 5) == 0 || strncasecmp(name, "BODY.PEEK[", 10) == 0)
		return add_section(req, name);
	return add_rfc822(req, name);
}

/* ALL, FAST, FULL (RFC 3501 6.4.5). */
static int add_macro(struct fetch_request *req, const char *name, int *was_macro)
{
	static const char *const fast[] = {"FLAGS", "INTERNALDATE", "RFC822.SIZE"};
	int all = strcasecmp(name, "ALL") == 0, full = strcasecmp(name, "FULL") == 0;
	*was_macro = all || full || strcasecmp(name, "FAST") == 0;
	if (!*was_macro)
		return 0;
	for (size_t i = 0; i < 3; i++)
		if (add_named(req, fast[i]) != 0)
			return -1;
	if ((all || full) && add_named(req, "ENVELOPE") != 0)
		return -1;
	return full ? add_named(req, "BODY") : 0;
}

/* What the message must be read as for item it. */
static enum imap_message_need need_of(const struct fetch_item *it)
{
	switch (it->kind) {
	case FETCH_ENVELOPE:
		return IMAP_NEED_HEADER;
	case FETCH_BODY:
	case FETCH_BODYSTRUCTURE:
		return IMAP_NEED_PARSED;
	case FETCH_SECTION:
		if (it->section.nparts == 0 && it->section.spec != SECTION_BODY &&
		    it->section.spec != SECTION_TEXT)
			return IMAP_NEED_HEADER; /* HEADER, HEADER.FIELDS(.NOT) */
		if (it->section.nparts == 0)
			return IMAP_NEED_WHOLE;
		return IMAP_NEED_PARSED;
	default:
		return 0;
	}
}

static int parse_modifiers(const struct imap_arg *arg, int uid, struct fetch_request *req,
			   const char **error)
{
	*error = "FETCH modifiers are (CHANGEDSINCE modseq [VANISHED])";
	if (arg->type != IMAP_ARG_LIST)
		return -1;
	for (size_t i = 0; i < arg->count; i++) {
		const struct imap_arg *a = &arg->list[i];
		if (a->type != IMAP_ARG_ATOM)
			return -1;
		if (strcasecmp(a->data, "VANISHED") == 0) {
			if (!uid) {
				*error = "VANISHED is for UID FETCH only";
				return -1;
			}
			req->vanished = 1;
		} else if (strcasecmp(a->data, "CHANGEDSINCE") == 0 && i + 1 < arg->count &&
			   arg->list[i + 1].type == IMAP_ARG_ATOM) {
			char *end;
			const char *v = arg->list[++i].data;
			req->changedsince = strtoull(v, &end, 10);
			if (!isdigit((unsigned char)v[0]) || *end != '\0')
				return -1;
			req->changedsince_given = 1;
		} else {
			return -1;
		}
	}
	if (req->vanished && !req->changedsince_given) {
		*error = "VANISHED needs CHANGEDSINCE";
		return -1;
	}
	return 0;
}

static int parse_items(const struct imap_arg *arg, struct fetch_request *req)
{
	const struct imap_arg *list = arg->type == IMAP_ARG_LIST ? arg->list : arg;
	size_t n = arg->type == IMAP_ARG_LIST ? arg->count : 1;
	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int macro;
		if (list[i].type != IMAP_ARG_ATOM)
			return -1;
		if (add_macro(req, list[i].data, &macro) != 0)
			return -1;
		/* A macro stands alone (RFC 3501 9: fetch-att list or one macro). */
		if (macro && arg->type == IMAP_ARG_LIST)
			return -1;
		if (!macro && add_named(req, list[i].data) != 0)
			return -1;
	}
	return 0;
}

int fetch_parse(const struct imap_arg *args, size_t nargs, int uid, struct fetch_request *req,
		const char **error)
{
	memset(req, 0, sizeof(*req));
	*error = "FETCH takes a message set, then an item or a list of items";
	if (nargs < 1 || nargs > 2)
		return -1;
	req->items = calloc(FETCH_MAX_ITEMS, sizeof(*req->items));
	if (req->items == NULL || parse_items(&args[0], req) != 0)
		return -1;
	if (nargs == 2 && parse_modifiers(&args[1], uid, req, error) != 0)
		return -1;
	req->streams = 1;
	for (size_t i = 0; i < req->count; i++) {
		const struct fetch_item *it = &req->items[i];
		enum imap_message_need need = need_of(it);
		req->need = need > req->need ? need : req->need;
		req->sets_seen |= it->sets_seen;
		if (it->kind == FETCH_SECTION && it->section.nparts == 0 &&
		    it->section.spec == SECTION_BODY)
			continue; /* BODY[] itself can go out piecewise */
		if (need != 0)
			req->streams = 0;
	}
	return 0;
}

void fetch_request_free(struct fetch_request *req)
{
	free(req->items);
	req->items = NULL;
	req->count = 0;
}
