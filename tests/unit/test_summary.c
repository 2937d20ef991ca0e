/*
 * test_summary.c -- header parsing, unfolding, RFC 2047 decoding, bounds
 * and name/path validation (internal functions, no LMDB needed).
 */
#include "test_util.h"
#include "store_int.h"

static char *text(const char *in, int decode)
{
	char *out = NULL;
	size_t n = 0;

	OK(st_header_text(in, strlen(in), decode, STORE_SUMMARY_MAX, &out, &n));
	CHECK(strlen(out) == n);
	return out;
}

#define EXPECT_TEXT(in, want) do { \
	char *got_ = text(in, 1); \
	if (strcmp(got_, want) != 0) { \
		fprintf(stderr, "%s:%d: decode(%s) = [%s], want [%s]\n", \
		        __FILE__, __LINE__, in, got_, want); \
		abort(); \
	} \
	free(got_); \
} while (0)

static void t_rfc2047_basic(void)
{
	EXPECT_TEXT("=?utf-8?B?w6k=?=", "\xc3\xa9");
	EXPECT_TEXT("=?UTF-8?b?w6k?=", "\xc3\xa9");                /* no padding */
	EXPECT_TEXT("=?ISO-8859-1?Q?caf=E9?=", "caf\xc3\xa9");
	EXPECT_TEXT("=?iso-8859-1?q?a_b?=", "a b");
	EXPECT_TEXT("=?us-ascii?Q?plain?=", "plain");
	EXPECT_TEXT("=?us-ascii?Q?x=E9?=", "x\xef\xbf\xbd");       /* not ASCII */
	EXPECT_TEXT("=?utf-8*en?Q?lang?=", "lang");                 /* RFC 2231 */
	EXPECT_TEXT("Hello =?utf-8?Q?W=C3=B6rld?= !", "Hello W\xc3\xb6rld !");
}

static void t_rfc2047_adjacent(void)
{
	/* whitespace between adjacent encoded words disappears */
	EXPECT_TEXT("=?utf-8?Q?a?= =?utf-8?Q?b?=", "ab");
	EXPECT_TEXT("=?utf-8?Q?a?=  \t =?utf-8?B?Yg==?= c", "ab c");
	/* a multi-byte character split over two words */
	EXPECT_TEXT("=?utf-8?B?w6k=?==?utf-8?B?w6k=?=", "\xc3\xa9\xc3\xa9");
	EXPECT_TEXT("=?utf-8?Q?=C3?= =?utf-8?Q?=A9?=", "\xc3\xa9");
	/* but not between a word and plain text */
	EXPECT_TEXT("=?utf-8?Q?a?= b", "a b");
	/* adjacent empty words: nothing decoded, nothing to move (fuzz_summary
	 * found a memmove on the still-NULL buffer, undefined behaviour) */
	EXPECT_TEXT("=?utf-8?Q?\?==?utf-8?Q?\?=", ""); /* \? : not a trigraph */
	EXPECT_TEXT("=?utf-8?Q?\?= =?utf-8?B?\?= x", "x");
}

static void t_rfc2047_left_alone(void)
{
	EXPECT_TEXT("=?koi8-r?B?8NLJ18XU?=", "=?koi8-r?B?8NLJ18XU?=");  /* unknown */
	EXPECT_TEXT("=?utf-8?X?abc?=", "=?utf-8?X?abc?=");              /* bad enc */
	EXPECT_TEXT("=?utf-8?Q?a=ZZ?=", "=?utf-8?Q?a=ZZ?=");            /* bad hex */
	EXPECT_TEXT("=?utf-8?B?!!!?=", "=?utf-8?B?!!!?=");              /* bad b64 */
	EXPECT_TEXT("=?utf-8?Q?no end", "=?utf-8?Q?no end");
	EXPECT_TEXT("a =? b", "a =? b");
}

static void t_sanitize(void)
{
	char in[3000], *out;

	EXPECT_TEXT("  trim me \t ", "trim me");
	EXPECT_TEXT("bad \xff byte", "bad \xef\xbf\xbd byte");
	EXPECT_TEXT("=?utf-8?Q?ctl=01x=0Ay?=", "ctl x y");
	/* Controls that become spaces are trimmed too, at both ends: a
	 * Windows-1252 quote (0x91) sent as ISO-8859-1 is a C1 control
	 * (found by fuzz_summary; crash-56bb5190 in its corpus). */
	EXPECT_TEXT("=?ISO-8859-1?Q?=91quoted=92?=", "quoted");
	EXPECT_TEXT("\xc2\x85 next line \xc2\x85", "next line");
	/* bounded on a UTF-8 boundary */
	memset(in, 'a', sizeof(in));
	memcpy(in + 1023, "\xc3\xa9", 2);
	in[1025] = '\0';
	out = text(in, 1);
	CHECK(strlen(out) == 1023);
	free(out);
	in[2999] = '\0';
	memset(in, 'b', 2999);
	out = text(in, 0);
	CHECK(strlen(out) == STORE_SUMMARY_MAX);
	free(out);
}

static void t_parse_headers(void)
{
	const char *msg =
		"Received: from x\r\n"
		"SUBJECT: folded\r\n\tsubject =?utf-8?Q?=C3=A9t=C3=A9?=\r\n"
		"From: =?iso-8859-1?Q?Andr=E9?= <andre@example.org>\r\n"
		"To: a@example.org,\r\n b@example.org\r\n"
		"Message-ID: <id@host>\r\n"
		"Subject: second subject ignored\r\n"
		"no colon line\r\n"
		"\r\n"
		"Cc: not a header, body\r\n";
	st_summary_t s;

	OK(st_summary_parse(msg, strlen(msg), &s));
	CHECK(strcmp(s.f[SUM_SUBJECT], "folded\tsubject \xc3\xa9t\xc3\xa9") != 0);
	CHECK(strcmp(s.f[SUM_SUBJECT], "folded subject \xc3\xa9t\xc3\xa9") == 0);
	CHECK(strcmp(s.f[SUM_FROM], "Andr\xc3\xa9 <andre@example.org>") == 0);
	CHECK(strcmp(s.f[SUM_TO], "a@example.org, b@example.org") == 0);
	CHECK(strcmp(s.f[SUM_MSGID], "<id@host>") == 0);
	CHECK(strcmp(s.f[SUM_CC], "") == 0);
	CHECK(strcmp(s.f[SUM_DATE], "") == 0);
	CHECK(s.len[SUM_CC] == 0);
	st_summary_clear(&s);
}

static void t_parse_lf_and_edge(void)
{
	const char *lf = "From: x@y\nSubject: =?utf-8?Q?lf?=\n =?utf-8?Q?_only?=\nDate: today\n\nbody\n";
	st_summary_t s;
	int i;

	OK(st_summary_parse(lf, strlen(lf), &s));
	CHECK(strcmp(s.f[SUM_FROM], "x@y") == 0);
	CHECK(strcmp(s.f[SUM_SUBJECT], "lf only") == 0);
	CHECK(strcmp(s.f[SUM_DATE], "today") == 0);
	st_summary_clear(&s);
	/* empty message, no headers at all, header without end */
	OK(st_summary_parse("", 0, &s));
	for (i = 0; i < SUM_COUNT; i++)
		CHECK(s.f[i] != NULL && s.f[i][0] == '\0');
	st_summary_clear(&s);
	OK(st_summary_parse("Subject: cut", 12, &s));
	CHECK(strcmp(s.f[SUM_SUBJECT], "cut") == 0);
	st_summary_clear(&s);
	/* Date and Message-ID are not RFC 2047-decoded */
	OK(st_summary_parse("Date: =?utf-8?Q?x?=\r\n\r\n", 22, &s));
	CHECK(strcmp(s.f[SUM_DATE], "=?utf-8?Q?x?=") == 0);
	st_summary_clear(&s);
}

static void t_validate_path(void)
{
	char longp[300];

	CHECK_RC(st_valid_path("Inbox"), STORE_OK);
	CHECK_RC(st_valid_path("Sent Items"), STORE_OK);
	CHECK_RC(st_valid_path("a/b c/d"), STORE_OK);
	CHECK_RC(st_valid_path("caf\xc3\xa9/.hidden/..x"), STORE_OK);
	CHECK_RC(st_valid_path(""), STORE_INVALID);
	CHECK_RC(st_valid_path(NULL), STORE_INVALID);
	CHECK_RC(st_valid_path("/a"), STORE_INVALID);
	CHECK_RC(st_valid_path("a/"), STORE_INVALID);
	CHECK_RC(st_valid_path("a//b"), STORE_INVALID);
	CHECK_RC(st_valid_path("a/./b"), STORE_INVALID);
	CHECK_RC(st_valid_path(".."), STORE_INVALID);
	CHECK_RC(st_valid_path("a/.."), STORE_INVALID);
	CHECK_RC(st_valid_path("tab\there"), STORE_INVALID);
	CHECK_RC(st_valid_path("del\x7f"), STORE_INVALID);
	CHECK_RC(st_valid_path("c1\xc2\x85"), STORE_INVALID);
	CHECK_RC(st_valid_path("bad\xff"), STORE_INVALID);
	CHECK_RC(st_valid_path("overlong\xc0\xaf"), STORE_INVALID);
	CHECK_RC(st_valid_path("surrogate\xed\xa0\x80"), STORE_INVALID);
	memset(longp, 'x', sizeof(longp));
	longp[255] = '\0';
	CHECK_RC(st_valid_path(longp), STORE_OK);
	longp[255] = 'x';
	longp[256] = '\0';
	CHECK_RC(st_valid_path(longp), STORE_INVALID);
	CHECK_RC(st_valid_mailbox_name("alice"), STORE_OK);
	CHECK_RC(st_valid_mailbox_name(""), STORE_INVALID);
	CHECK_RC(st_valid_mailbox_name("a\nb"), STORE_INVALID);
}

int main(void)
{
	RUN(t_rfc2047_basic);
	RUN(t_rfc2047_adjacent);
	RUN(t_rfc2047_left_alone);
	RUN(t_sanitize);
	RUN(t_parse_headers);
	RUN(t_parse_lf_and_edge);
	RUN(t_validate_path);
	printf("%d tests passed\n", test_count);
	return 0;
}
