/* imap_parse.c -- IMAP command syntax (see imap_parse.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap_parse.h"

struct parser {
	const unsigned char *p, *end;
	char *strings; /* one arena for every string's bytes, NUL-terminated */
	size_t strings_used, strings_cap;
	size_t nargs;
	const char *error;
};

static int fail(struct parser *ps, const char *why)
{
	if (ps->error == NULL)
		ps->error = why;
	return -1;
}

/* ATOM-CHAR, loosened as commands need: list wildcards and ']' too. */
static int atom_char(unsigned char c)
{
	return c > ' ' && c < 127 && c != '(' && c != ')' && c != '{' && c != '"';
}

/* Tag chars: ASTRING-CHAR except '+', and no wildcards or backslash. */
static int tag_char(unsigned char c)
{
	return atom_char(c) && c != '+' && c != '%' && c != '*' && c != '\\';
}

/* Copies bytes into the string arena (sized at the start: never grows). */
static const char *keep(struct parser *ps, const unsigned char *data, size_t len)
{
	if (len + 1 > ps->strings_cap - ps->strings_used) {
		fail(ps, "Command too complex");
		return NULL;
	}
	char *dst = ps->strings + ps->strings_used;
	memcpy(dst, data, len);
	dst[len] = '\0';
	ps->strings_used += len + 1;
	return dst;
}

static int parse_atom(struct parser *ps, struct imap_arg *arg)
{
	const unsigned char *start = ps->p;
	int in_brackets = 0;
	while (ps->p < ps->end) {
		unsigned char c = *ps->p;
		if (in_brackets) {
			/* BODY[HEADER.FIELDS (A B)]: spaces and parentheses allowed. */
			if (c < ' ' || c >= 127 || c == '{' || c == '[')
				return fail(ps, "Invalid characters in section");
			if (c == ']')
				in_brackets = 0;
		} else if (c == '[') {
			in_brackets = 1;
		} else if (!atom_char(c)) {
			break;
		}
		ps->p++;
	}
	if (in_brackets)
		return fail(ps, "Missing ] in section");
	if (ps->p == start)
		return fail(ps, "Invalid characters in atom");
	size_t len = (size_t)(ps->p - start);
	arg->type = len == 3 && strncasecmp((const char *)start, "NIL", 3) == 0 ? IMAP_ARG_NIL
										: IMAP_ARG_ATOM;
	arg->data = keep(ps, start, len);
	arg->len = len;
	return arg->data ? 0 : -1;
}

static int parse_quoted(struct parser *ps, struct imap_arg *arg)
{
	ps->p++; /* the opening quote */
	/* Unescaped it is never longer than escaped: reserve that much. */
	const unsigned char *scan = ps->p;
	size_t out = 0;
	char *dst = ps->strings + ps->strings_used;
	for (;;) {
		if (scan == ps->end)
			return fail(ps, "Missing closing quote");
		unsigned char c = *scan++;
		if (c == '"')
			break;
		if (c == '\r' || c == '\n' || c == '\0')
			return fail(ps, "Line breaks and NUL are not allowed in quoted strings");
		if (c == '\\') {
			if (scan == ps->end || (*scan != '"' && *scan != '\\'))
				return fail(ps,
					    "Only \\\" and \\\\ may be escaped in quoted strings");
			c = *scan++;
		}
		if (out + 2 > ps->strings_cap - ps->strings_used)
			return fail(ps, "Command too complex");
		dst[out++] = (char)c;
	}
	dst[out] = '\0';
	ps->strings_used += out + 1;
	ps->p = scan;
	arg->type = IMAP_ARG_QUOTED;
	arg->data = dst;
	arg->len = out;
	return 0;
}

static int parse_literal(struct parser *ps, struct imap_arg *arg)
{
	ps->p++; /* '{' */
	uint64_t n = 0;
	const unsigned char *digits = ps->p;
	while (ps->p < ps->end && isdigit(*ps->p)) {
		n = n * 10 + (uint64_t)(*ps->p - '0');
		if (n > UINT32_MAX)
			return fail(ps, "Literal too large");
		ps->p++;
	}
	if (ps->p == digits)
		return fail(ps, "Literal size missing");
	if (ps->p < ps->end && *ps->p == '+')
		ps->p++;
	if (ps->end - ps->p < 3 || memcmp(ps->p, "}\r\n", 3) != 0)
		return fail(ps, "Literal must end its line: {n}");
	ps->p += 3;
	if ((uint64_t)(ps->end - ps->p) < n)
		return fail(ps, "Literal shorter than announced");
	arg->type = IMAP_ARG_LITERAL;
	arg->data = keep(ps, ps->p, (size_t)n);
	arg->len = (size_t)n;
	ps->p += n;
	return arg->data ? 0 : -1;
}

static int parse_args(struct parser *ps, int depth, char closer, struct imap_arg **list_r,
		      size_t *count_r);

/* Lists are separate allocations; strings live in the arena. */
static void free_lists(struct imap_arg *args, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (args[i].type == IMAP_ARG_LIST) {
			free_lists(args[i].list, args[i].count);
			free(args[i].list);
		}
}

static int parse_one(struct parser *ps, int depth, struct imap_arg *arg)
{
	memset(arg, 0, sizeof(*arg));
	if (++ps->nargs > IMAP_MAX_ARGS)
		return fail(ps, "Too many arguments");
	switch (*ps->p) {
	case '"':
		return parse_quoted(ps, arg);
	case '{':
		return parse_literal(ps, arg);
	case '(':
		if (depth >= IMAP_MAX_DEPTH)
			return fail(ps, "Lists nested too deeply");
		ps->p++;
		arg->type = IMAP_ARG_LIST;
		if (parse_args(ps, depth + 1, ')', &arg->list, &arg->count) != 0)
			return -1;
		ps->p++; /* ')' */
		return 0;
	case '~':
		if (ps->end - ps->p > 1 && ps->p[1] == '{')
			return fail(ps, "literal8 is not supported");
		return parse_atom(ps, arg);
	default:
		return parse_atom(ps, arg);
	}
}

/*
 * Arguments separated by single spaces, up to closer (')' for a list, or
 * the end of the command for closer '\0'), into a new array.
 */
static int parse_args(struct parser *ps, int depth, char closer, struct imap_arg **list_r,
		      size_t *count_r)
{
	struct imap_arg *list = NULL;
	size_t count = 0, cap = 0;
	*list_r = NULL;
	*count_r = 0;
	for (;;) {
		if (ps->p == ps->end) {
			if (closer != '\0')
				goto bad_close;
			break;
		}
		if (closer != '\0' && *ps->p == ')') {
			if (count > 0 && ps->p[-1] == ' ')
				goto bad_space;
			break;
		}
		if (count > 0 || closer == '\0') {
			/* Top level: every argument follows a space (after the name). */
			if (*ps->p != ' ')
				goto bad_space;
			ps->p++;
			if (ps->p == ps->end || *ps->p == ' ' || *ps->p == ')')
				goto bad_space;
		}
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			struct imap_arg *n = realloc(list, ncap * sizeof(*n));
			if (n == NULL) {
				fail(ps, "Out of memory");
				goto error;
			}
			list = n;
			cap = ncap;
		}
		if (parse_one(ps, depth, &list[count]) != 0) {
			count++; /* so its own list is freed */
			goto error;
		}
		count++;
	}
	*list_r = list;
	*count_r = count;
	return 0;
bad_close:
	fail(ps, "Missing )");
	goto error;
bad_space:
	fail(ps, "Arguments must be separated by single spaces");
error:
	free_lists(list, count);
	free(list);
	return -1;
}

void imap_parse_tag(const char *bytes, size_t len, char tag[IMAP_TAG_MAX + 1])
{
	size_t n = 0;
	while (n < len && n < IMAP_TAG_MAX && tag_char((unsigned char)bytes[n]))
		n++;
	/* A tag ends at a space; anything else means there was none. */
	if (n == 0 || n == IMAP_TAG_MAX || n == len || bytes[n] != ' ')
		n = 0;
	memcpy(tag, bytes, n);
	tag[n] = '\0';
}

int imap_parse_command(const char *bytes, size_t len, struct imap_command *cmd, const char **error)
{
	struct parser ps = {.p = (const unsigned char *)bytes,
			    .end = (const unsigned char *)bytes + len};
	memset(cmd, 0, sizeof(*cmd));
	*error = NULL;
	imap_parse_tag(bytes, len, cmd->tag);
	if (cmd->tag[0] == '\0') {
		*error = "Missing or invalid tag";
		return -1;
	}
	ps.p += strlen(cmd->tag) + 1;
	size_t n = 0;
	while (ps.p + n < ps.end && isalpha(ps.p[n]) && n < IMAP_NAME_MAX) {
		cmd->name[n] = (char)toupper(ps.p[n]);
		n++;
	}
	cmd->name[n] = '\0';
	if (n == 0 || (ps.p + n < ps.end && ps.p[n] != ' ')) {
		*error = "Missing or invalid command name";
		cmd->name[0] = '\0';
		return -1;
	}
	ps.p += n;
	/* Every argument follows a separator (a space or "("), so each string
	 * and its NUL fit in its own bytes and that separator's: the command's
	 * length is enough (an APPEND literal is not held twice over). */
	ps.strings_cap = len + 1;
	ps.strings = malloc(ps.strings_cap);
	if (ps.strings == NULL) {
		*error = "Out of memory";
		return -1;
	}
	if (parse_args(&ps, 0, '\0', &cmd->args, &cmd->nargs) != 0) {
		free(ps.strings);
		*error = ps.error;
		return -1;
	}
	cmd->arena = ps.strings;
	return 0;
}

void imap_command_free(struct imap_command *cmd)
{
	free_lists(cmd->args, cmd->nargs);
	free(cmd->args);
	free(cmd->arena);
	cmd->args = NULL;
	cmd->nargs = 0;
	cmd->arena = NULL;
}

const char *imap_arg_astring(const struct imap_arg *arg, size_t *len_r)
{
	if (arg->type == IMAP_ARG_LIST)
		return NULL;
	*len_r = arg->len;
	return arg->data;
}

const char *imap_arg_string(const struct imap_arg *arg, size_t *len_r)
{
	if (arg->type != IMAP_ARG_QUOTED && arg->type != IMAP_ARG_LITERAL)
		return NULL;
	*len_r = arg->len;
	return arg->data;
}
