/*
 * dump_format.c -- escaping, splitting and numbers of dump lines (rules in
 * dump_format.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dump_format.h"

static const char hexdigits[] = "0123456789abcdef";

static int needs_escape(unsigned char c)
{
	return c <= ' ' || c == 0x7f || c == '%';
}

int dump_put_field(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (needs_escape(*p))
			fprintf(f, "%%%c%c", hexdigits[*p >> 4], hexdigits[*p & 15]);
		else
			fputc(*p, f);
	}
	return ferror(f) ? -1 : 0;
}

/* Only the lowercase digits the writer uses. */
static int hexval(char c)
{
	const char *at = c != '\0' ? strchr(hexdigits, c) : NULL;
	return at != NULL ? (int)(at - hexdigits) : -1;
}

/* Decodes %XX in place; refuses raw bytes that must have been escaped and
 * %00 (a NUL would cut the string short). */
static const char *unescape(char *s)
{
	char *out = s;
	if (*s == '\0')
		return "an empty field";
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c != '%') {
			if (needs_escape(c))
				return "a control character in a field";
			*out++ = (char)c;
			continue;
		}
		int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
		if (lo < 0 || (hi | lo) == 0)
			return "a bad %-escape in a field";
		*out++ = (char)(hi << 4 | lo);
		p += 2;
	}
	*out = '\0';
	return NULL;
}

/* Splits s at each sep into exactly want fields. */
static const char *split_at(char *s, char sep, char **fields, unsigned want)
{
	for (unsigned i = 0; i < want; i++) {
		char *end = strchr(s, sep);
		if (i + 1 < want && end == NULL)
			return "too few fields";
		if (i + 1 == want && end != NULL)
			return "too many fields";
		if (end != NULL)
			*end = '\0';
		fields[i] = s;
		s = end != NULL ? end + 1 : NULL;
	}
	return NULL;
}

/* Version 1: "acl PATH\tPRINCIPAL\tRIGHTS", "message ID FLAGS RECEIVED
 * SIZE SHA256\tFOLDER"; every other line's one field is the rest. */
static const char *split_v1(char *rest, const char *kw, char **fields, unsigned want)
{
	if (strcmp(kw, "acl") == 0)
		return split_at(rest, '\t', fields, want);
	if (strcmp(kw, "message") == 0) {
		char *tab = strchr(rest, '\t');
		if (tab == NULL)
			return "no tab before the folder";
		*tab = '\0';
		fields[want - 1] = tab + 1;
		return split_at(rest, ' ', fields, want - 1);
	}
	fields[0] = rest;
	return want == 1 ? NULL : "too few fields";
}

const char *dump_split(char *rest, int version, const char *kw, char **fields, unsigned want)
{
	const char *why =
	    version == 1 ? split_v1(rest, kw, fields, want) : split_at(rest, ' ', fields, want);
	for (unsigned i = 0; why == NULL && i < want; i++)
		why = version == 1 ? (fields[i][0] == '\0' ? "an empty field" : NULL)
				   : unescape(fields[i]);
	return why;
}

int dump_parse_u64(const char *s, uint64_t *v_r)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*v_r = v;
	return 0;
}

int dump_parse_i64(const char *s, int64_t *v_r)
{
	uint64_t v;
	int neg = *s == '-';
	if (dump_parse_u64(s + neg, &v) != 0 || v > (uint64_t)INT64_MAX + (uint64_t)neg)
		return -1;
	*v_r = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

int dump_parse_sha256(const char *s, unsigned char out[32])
{
	if (strlen(s) != 64)
		return -1;
	for (int i = 0; i < 32; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

void dump_format_sha256(const unsigned char sha[32], char *out)
{
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hexdigits[sha[i] >> 4];
		out[2 * i + 1] = hexdigits[sha[i] & 15];
	}
	out[64] = '\0';
}
