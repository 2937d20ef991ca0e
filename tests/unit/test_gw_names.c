/*
 * test_gw_names.c -- the gateway's mailbox-name and date syntax: modified
 * UTF-7 both ways (RFC 3501 5.1.3, with the strict decoding the header
 * promises), LIST pattern matching, and IMAP dates.
 */
#include <string.h>

#include "buf.h"
#include "check.h"
#include "imap_date.h"
#include "imap_list.h"
#include "imap_mutf7.h"

static int to_utf8(const char *in, char *out, size_t cap)
{
	struct buf b;
	buf_init(&b, cap);
	int rc = mutf7_to_utf8(in, strlen(in), &b);
	if (rc == 0) {
		CHECK(b.len < cap);
		memcpy(out, b.data ? b.data : "", b.len);
		out[b.len] = 0;
	}
	buf_free(&b);
	return rc;
}

static int from_utf8(const char *in, char *out, size_t cap)
{
	struct buf b;
	buf_init(&b, cap);
	int rc = mutf7_from_utf8(in, strlen(in), &b);
	if (rc == 0) {
		CHECK(b.len < cap);
		memcpy(out, b.data ? b.data : "", b.len);
		out[b.len] = 0;
	}
	buf_free(&b);
	return rc;
}

static void t_mutf7(void)
{
	static const struct {
		const char *utf8, *mutf7;
	} pairs[] = {
	    {"Inbox", "Inbox"},
	    {"K\xc3\xa4se", "K&AOQ-se"},
	    {"Caf\xc3\xa9", "Caf&AOk-"},
	    {"R&D", "R&-D"},
	    {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "&ZeVnLIqe-"},
	    {"\xf0\x9f\x98\x80", "&2D3eAA-"}, /* outside the BMP: a surrogate pair */
	    {"a/b", "a/b"},
	    {"", ""},
	};
	char out[64];
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		CHECK(from_utf8(pairs[i].utf8, out, sizeof(out)) == 0);
		CHECK(strcmp(out, pairs[i].mutf7) == 0);
		CHECK(to_utf8(pairs[i].mutf7, out, sizeof(out)) == 0);
		CHECK(strcmp(out, pairs[i].utf8) == 0);
	}
	/* Strict decoding: each of these is refused. */
	static const char *bad[] = {
	    "&AGE-",	   /* a run spelling printable ASCII ("a") */
	    "&2D0-",	   /* a lone high surrogate */
	    "&AOQ",	   /* a run never ended */
	    "&AO*-",	   /* not base64 */
	    "K\xc3\xa4se", /* 8-bit bytes are no modified UTF-7 */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(to_utf8(bad[i], out, sizeof(out)) == -1);
	CHECK(from_utf8("\xc3", out, sizeof(out)) == -1);	  /* cut UTF-8 */
	CHECK(from_utf8("\xed\xa0\x80", out, sizeof(out)) == -1); /* a surrogate in UTF-8 */
}

static int match(const char *pattern, const char *name)
{
	return imap_pattern_match(pattern, strlen(pattern), name, strlen(name));
}

static void t_list_patterns(void)
{
	CHECK(match("*", "a/b/c"));
	CHECK(match("%", "a"));
	CHECK(!match("%", "a/b"));
	CHECK(match("a/%", "a/b"));
	CHECK(!match("a/%", "a/b/c"));
	CHECK(match("a*c", "a/b/c"));
	CHECK(match("a%c", "abc"));
	CHECK(!match("a%c", "a/c"));
	CHECK(!match("a", "ab"));
	CHECK(match("", "") == 1);
	char p[] = "inbox*";
	imap_pattern_inbox(p, strlen(p));
	CHECK(strcmp(p, "INBOX*") == 0);
	char q[] = "inboxes";
	imap_pattern_inbox(q, strlen(q));
	CHECK(strcmp(q, "INBOXes") == 0 || strcmp(q, "inboxes") == 0);
	CHECK(imap_pattern_reaches("*", 1, "Other Users/"));
	CHECK(imap_pattern_reaches("Other Users/%", 13, "Other Users/"));
	CHECK(!imap_pattern_reaches("Work/*", 6, "Other Users/"));
	/* A pattern of many stars stays cheap (no backtracking blow-up). */
	char stars[201], name[401];
	memset(stars, '*', 200);
	stars[200] = 0;
	memset(name, 'a', 400);
	name[400] = 0;
	CHECK(match(stars, name));
	stars[199] = 'b';
	CHECK(!match(stars, name));
}

static void t_dates(void)
{
	struct buf b;
	buf_init(&b, 64);
	CHECK(imap_write_date_time(&b, 0) == 0);
	CHECK(b.len == 28 && memcmp(b.data, "\" 1-Jan-1970 00:00:00 +0000\"", 28) == 0);
	buf_free(&b);
	int64_t d, t;
	CHECK(imap_parse_date("1-Feb-1994", &d) == 0 && d == imap_civil_day(1994, 2, 1));
	CHECK(imap_parse_date("29-Feb-2024", &d) == 0);
	CHECK(imap_parse_date("30-Feb-2024", &d) == -1);
	CHECK(imap_parse_date("1-Foo-1994", &d) == -1);
	CHECK(imap_parse_date("1-Feb-94", &d) == -1);
	CHECK(imap_parse_date_time("17-Jul-1996 02:44:25 -0700", &t) == 0 && t == 837596665);
	CHECK(imap_parse_date_time(" 1-Jan-1970 00:00:00 +0000", &t) == 0 && t == 0);
	CHECK(imap_parse_date_time("17-Jul-1996 25:44:25 -0700", &t) == -1);
	CHECK(imap_parse_date_time("17-Jul-1996 02:44:25", &t) == -1);
	CHECK(imap_day_of(86399) == 0 && imap_day_of(86400) == 1 && imap_day_of(-1) == -1);
}

int main(void)
{
	RUN(t_mutf7);
	RUN(t_list_patterns);
	RUN(t_dates);
	return 0;
}
