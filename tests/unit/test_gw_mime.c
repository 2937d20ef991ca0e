/*
 * test_gw_mime.c -- the gateway's MIME rendering (gateway/mime_*.c) on
 * tests/corpus: ENVELOPE and BODYSTRUCTURE exactly as checked by hand
 * against Dovecot 2.3's answers (tests/gw/dovecot/), sections byte-exact,
 * and hostile messages (no crash, every range inside the message).
 *
 * Where this differs from Dovecot, on purpose: sizes and line counts are
 * of the stored bytes (Dovecot counts LF as CRLF: the store keeps messages
 * byte-exact and FETCH returns them so); address display names that are
 * not plain ASCII are GMime's decoding re-encoded (UTF-8, RFC 2047), where
 * Dovecot repeats the original encoded words.
 *
 * With --render FILE ITEM... it prints what the gateway would answer
 * (tests/gw/mime_vs_dovecot.py compares that with Dovecot's answers).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mime_imap.h"
#include "mime_section.h"
#include "mime_tree.h"

#define CORPUS "tests/corpus/"

static char *slurp(const char *path, size_t *len_r)
{
	FILE *f = fopen(path, "rb");
	CHECK(f != NULL);
	CHECK(fseek(f, 0, SEEK_END) == 0);
	long n = ftell(f);
	CHECK(n >= 0);
	rewind(f);
	char *data = malloc((size_t)n + 1);
	CHECK(data != NULL);
	CHECK(fread(data, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	*len_r = (size_t)n;
	return data;
}

/* "BODY.PEEK[1.MIME]<5.20>" or "BODY[]" into a section and partial. */
static int item_section(const char *item, struct mime_section *s, size_t *off, size_t *len)
{
	const char *open = strchr(item, '['), *close = strrchr(item, ']');
	*off = 0;
	*len = SIZE_MAX;
	if (open == NULL || close == NULL || close < open)
		return -1;
	if (close[1] == '<' && sscanf(close + 2, "%zu.%zu", off, len) != 2)
		return -1;
	return mime_section_parse(open + 1, (size_t)(close - open - 1), s);
}

/* What the gateway answers for item, into out. */
static void render(const struct mime_message *m, const char *item, struct buf *out)
{
	struct mime_section s;
	size_t off, len;
	buf_reset(out);
	if (strcmp(item, "ENVELOPE") == 0)
		CHECK(mime_write_envelope(m, out) == 0);
	else if (strcmp(item, "BODY") == 0)
		CHECK(mime_write_bodystructure(m, 0, out) == 0);
	else if (strcmp(item, "BODYSTRUCTURE") == 0)
		CHECK(mime_write_bodystructure(m, 1, out) == 0);
	else if (strcmp(item, "RFC822.SIZE") == 0)
		buf_printf(out, "%zu", m->len);
	else {
		CHECK(item_section(item, &s, &off, &len) == 0);
		CHECK(mime_section_fetch(m, &s, off, len, out) == 0);
	}
}

static void render_mode(int argc, char **argv)
{
	size_t len;
	char *data = slurp(argv[2], &len);
	struct mime_message m;
	struct buf out;
	CHECK(mime_parse(data, len, &m) == 0);
	buf_init(&out, 1 << 26);
	for (int i = 3; i < argc; i++) {
		render(&m, argv[i], &out);
		printf("%s\n%zu\n", argv[i], out.len);
		if (out.len > 0)
			fwrite(out.data, 1, out.len, stdout);
		printf("\n");
	}
	buf_free(&out);
	mime_free(&m);
	free(data);
}

struct expected {
	const char *file, *envelope, *bodystructure;
};

static const struct expected corpus[] = {
    {"01-plain-lf.eml",
     "(\"Mon, 02 Nov 2026 12:00:00 +0000\" \"Lunch?\" ((\"Alice Example\" NIL \"alice\" "
     "\"example.org\")) ((\"Alice Example\" NIL \"alice\" \"example.org\")) ((\"Alice Example\" "
     "NIL \"alice\" \"example.org\")) ((NIL NIL \"bob\" \"example.org\")) NIL NIL NIL "
     "\"<lunch-1@example.org>\")",
     /* Dovecot: 42 octets (3 LF counted as CRLF) */
     "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 39 3 NIL NIL NIL NIL)"},
    {"02-crlf-encoded-words.eml",
     /* Dovecot repeats =?UTF-8?B?...?= and =?ISO-8859-1?Q?Andr=E9?= */
     "(\"Tue, 03 Nov 2026 08:15:30 +0100\" \"=?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?= "
     "=?UTF-8?B?IOKAkyBtaXQg4oKs?=\" ((\"=?UTF-8?b?SsO8cmdlbiBNw7xsbGVy?=\" NIL \"jm\" "
     "\"example.de\")) ((\"=?UTF-8?b?SsO8cmdlbiBNw7xsbGVy?=\" NIL \"jm\" \"example.de\")) "
     "((\"=?UTF-8?b?SsO8cmdlbiBNw7xsbGVy?=\" NIL \"jm\" \"example.de\")) "
     "((\"=?UTF-8?b?QW5kcsOp?=\" NIL \"andre\" \"example.fr\")) ((NIL NIL \"team\" "
     "\"example.org\")) NIL NIL \"<koeln-2@example.de>\")",
     "(\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"8bit\" 62 2 NIL NIL NIL NIL)"},
    {"03-no-final-newline.eml",
     "(NIL \"no newline at the end\" ((NIL NIL \"carol\" \"example.org\")) ((NIL NIL \"carol\" "
     "\"example.org\")) ((NIL NIL \"carol\" \"example.org\")) ((NIL NIL \"alice\" "
     "\"example.org\")) NIL NIL NIL NIL)",
     "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 32 0 NIL NIL NIL NIL)"},
    {"05-multipart-binary.eml",
     "(\"Wed, 04 Nov 2026 17:45:00 -0500\" \"Report attached\" ((NIL NIL \"dave\" "
     "\"example.org\")) ((NIL NIL \"dave\" \"example.org\")) ((NIL NIL \"dave\" "
     "\"example.org\")) ((NIL NIL \"alice\" \"example.org\")) NIL NIL NIL NIL)",
     /* Dovecot: 21562 octets (the binary part's 178 bare LF counted as CRLF) */
     "((\"text\" \"plain\" (\"charset\" \"iso-8859-1\") NIL NIL \"8bit\" 26 0 NIL NIL NIL "
     "NIL)(\"application\" \"octet-stream\" (\"name\" \"report.bin\") NIL NIL \"binary\" 21384 "
     "NIL (\"attachment\" (\"filename\" \"report.bin\")) NIL NIL) \"mixed\" (\"boundary\" "
     "\"XyZ-boundary\") NIL NIL NIL)"},
    {"06-mixed-endings-nul.eml",
     "(NIL \"mixed\" ((NIL NIL \"eve\" \"example.org\")) ((NIL NIL \"eve\" \"example.org\")) "
     "((NIL NIL \"eve\" \"example.org\")) ((NIL NIL \"alice\" \"example.org\")) NIL NIL NIL "
     "NIL)",
     /* Dovecot: 50 octets, 4 lines (it makes the bare LF and the bare CR CRLF) */
     "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 48 3 NIL NIL NIL NIL)"},
    {"07-alternative-base64.eml",
     "(NIL \"=?utf-8?B?w4dhIHZhPw==?=\" ((\"=?UTF-8?b?RnJhbsOnb2lz?=\" NIL \"f\" "
     "\"example.fr\")) ((\"=?UTF-8?b?RnJhbsOnb2lz?=\" NIL \"f\" \"example.fr\")) "
     "((\"=?UTF-8?b?RnJhbsOnb2lz?=\" NIL \"f\" \"example.fr\")) ((NIL NIL \"alice\" "
     "\"example.org\")) NIL NIL NIL NIL)",
     /* Dovecot: 86 octets for the base64 part (one LF counted as CRLF) */
     "((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 21 0 NIL NIL NIL NIL)"
     "(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"base64\" 85 1 NIL NIL NIL NIL) "
     "\"alternative\" (\"boundary\" \"b1\") NIL NIL NIL)"},
    {"08-headers-only.eml",
     "(NIL \"(no body)\" ((NIL NIL \"frank\" \"example.org\")) ((NIL NIL \"frank\" "
     "\"example.org\")) ((NIL NIL \"frank\" \"example.org\")) ((NIL NIL \"alice\" "
     "\"example.org\")) NIL NIL NIL NIL)",
     "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0 NIL NIL NIL NIL)"},
};

static void t_corpus_envelope_bodystructure(void)
{
	for (size_t i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++) {
		char path[256];
		size_t len;
		snprintf(path, sizeof(path), CORPUS "%s", corpus[i].file);
		char *data = slurp(path, &len);
		struct mime_message m;
		struct buf out;
		buf_init(&out, 1 << 20);
		CHECK(mime_parse(data, len, &m) == 0);
		CHECK(mime_agrees_with_gmime(&m));
		render(&m, "ENVELOPE", &out);
		if (strcmp(buf_cstr(&out), corpus[i].envelope) != 0)
			fprintf(stderr, "%s ENVELOPE\n got %s\nwant %s\n", corpus[i].file, out.data,
				corpus[i].envelope);
		CHECK(strcmp(buf_cstr(&out), corpus[i].envelope) == 0);
		render(&m, "BODYSTRUCTURE", &out);
		if (strcmp(buf_cstr(&out), corpus[i].bodystructure) != 0)
			fprintf(stderr, "%s BODYSTRUCTURE\n got %s\nwant %s\n", corpus[i].file,
				out.data, corpus[i].bodystructure);
		CHECK(strcmp(buf_cstr(&out), corpus[i].bodystructure) == 0);
		buf_free(&out);
		mime_free(&m);
		free(data);
	}
}

/* The section's bytes must be exactly [start, start+len) of the file. */
static void expect_slice(const struct mime_message *m, const char *item, size_t start, size_t len)
{
	struct buf out;
	buf_init(&out, 1 << 20);
	render(m, item, &out);
	if (out.len != len || (len > 0 && memcmp(out.data, m->data + start, len) != 0))
		fprintf(stderr, "%s: got %zu bytes, want %zu at %zu\n", item, out.len, len, start);
	CHECK(out.len == len);
	CHECK(len == 0 || memcmp(out.data, m->data + start, len) == 0);
	buf_free(&out);
}

static void expect_text(const struct mime_message *m, const char *item, const char *want)
{
	struct buf out;
	buf_init(&out, 1 << 20);
	render(m, item, &out);
	if (out.len != strlen(want) || memcmp(out.data, want, out.len) != 0)
		fprintf(stderr, "%s: got [%.*s] want [%s]\n", item, (int)out.len, out.data, want);
	CHECK(out.len == strlen(want) && memcmp(out.data, want, out.len) == 0);
	buf_free(&out);
}

static size_t find(const struct mime_message *m, const char *needle)
{
	const char *p = memmem(m->data, m->len, needle, strlen(needle));
	CHECK(p != NULL);
	return (size_t)(p - m->data);
}

static void t_sections_multipart(void)
{
	size_t len;
	char *data = slurp(CORPUS "05-multipart-binary.eml", &len);
	struct mime_message m;
	CHECK(mime_parse(data, len, &m) == 0);
	size_t body = find(&m, "\r\n\r\n") + 4;
	expect_slice(&m, "BODY[]", 0, len);
	expect_slice(&m, "BODY[HEADER]", 0, body);
	expect_slice(&m, "BODY[TEXT]", body, len - body);
	/* Part 1: after its boundary line, up to the CRLF before the next. */
	size_t p1 = find(&m, "--XyZ-boundary\r\n") + 16;
	size_t p1_body = find(&m, "See the report");
	expect_slice(&m, "BODY[1.MIME]", p1, p1_body - p1);
	expect_slice(&m, "BODY[1]", p1_body, 26);
	expect_slice(&m, "BODY[1.1]", p1_body, 26); /* a single part is its own part 1 */
	size_t p2 = find(&m, "Content-Type: application/octet-stream");
	size_t p2_body = p2 + (size_t)(strstr(m.data + p2, "\r\n\r\n") - (m.data + p2)) + 4;
	size_t close = len - strlen("\r\n--XyZ-boundary--\r\n");
	expect_slice(&m, "BODY[2.MIME]", p2, p2_body - p2);
	expect_slice(&m, "BODY[2]", p2_body, close - p2_body);
	expect_slice(&m, "BODY[2]<100.50>", p2_body + 100, 50);
	expect_slice(&m, "BODY[2]<21380.100>", p2_body + 21380, 4); /* cut at the end */
	expect_slice(&m, "BODY[3]", 0, 0);
	expect_slice(&m, "BODY[2.1]", p2_body, close - p2_body);
	expect_slice(&m, "BODY[2.1.1]", 0, 0);
	expect_slice(&m, "BODY[]<100000.5>", 0, 0);
	expect_text(&m, "BODY[HEADER.FIELDS (From Subject)]",
		    "From: dave@example.org\r\nSubject: Report attached\r\n\r\n");
	expect_text(&m, "BODY[HEADER.FIELDS.NOT (From Subject Date MIME-Version Content-Type)]",
		    "To: alice@example.org\r\n\r\n");
	expect_text(&m, "BODY[HEADER.FIELDS (Nothing)]", "\r\n");
	/* HEADER of a part that is no message/rfc822: nothing. */
	expect_slice(&m, "BODY[1.HEADER]", 0, 0);
	mime_free(&m);
	free(data);
}

static void t_sections_plain_lf(void)
{
	size_t len;
	char *data = slurp(CORPUS "04-long-headers.eml", &len);
	struct mime_message m;
	CHECK(mime_parse(data, len, &m) == 0);
	size_t body = find(&m, "\n\nbody") + 2;
	expect_slice(&m, "BODY[HEADER]", 0, body);
	expect_slice(&m, "BODY[TEXT]", body, len - body);
	expect_slice(&m, "BODY[1]", body, len - body);
	expect_slice(&m, "BODY[1.MIME]", 0, body); /* Dovecot: the message header */
	/* A folded field whole, with its LF line ends and the LF empty line. */
	expect_text(&m, "BODY[HEADER.FIELDS (X-Folded)]",
		    "X-Folded: first part\n\tsecond part\n  third part\n\n");
	expect_text(
	    &m, "BODY[HEADER.FIELDS (x-folded \"FROM\")]",
	    "From: list@example.org\nX-Folded: first part\n\tsecond part\n  third part\n\n");
	mime_free(&m);
	free(data);
	data = slurp(CORPUS "08-headers-only.eml", &len);
	CHECK(mime_parse(data, len, &m) == 0);
	expect_slice(&m, "BODY[TEXT]", len, 0);
	expect_slice(&m, "BODY[HEADER]", 0, len);
	mime_free(&m);
	free(data);
}

static void t_nested_message(void)
{
	static const char msg[] =
	    "From: a@example.org\r\nSubject: outer\r\nContent-Type: multipart/mixed; "
	    "boundary=\"o\"\r\n"
	    "\r\npreamble\r\n--o\r\nContent-Type: text/plain\r\n\r\nfirst\r\n--o\r\n"
	    "Content-Type: message/rfc822\r\nContent-Description: inner one\r\n\r\n"
	    "From: \"B. Example\" <b@example.org>\r\nSubject: inner\r\nContent-Type: "
	    "multipart/alternative; "
	    "boundary=i\r\n\r\n--i\r\nContent-Type: text/plain; "
	    "charset=utf-8\r\n\r\nplain\r\n--i\r\n"
	    "Content-Type: text/html\r\n\r\n<p>html</p>\r\n--i--\r\n\r\n--o--\r\nepilogue\r\n";
	struct mime_message m;
	CHECK(mime_parse(msg, sizeof(msg) - 1, &m) == 0);
	CHECK(mime_agrees_with_gmime(&m));
	expect_text(&m, "BODY[1]", "first");
	expect_text(&m, "BODY[2.HEADER]",
		    "From: \"B. Example\" <b@example.org>\r\nSubject: inner\r\nContent-Type: "
		    "multipart/alternative; boundary=i\r\n\r\n");
	expect_text(&m, "BODY[2.1]", "plain");
	expect_text(&m, "BODY[2.2]", "<p>html</p>");
	expect_text(&m, "BODY[2.2.MIME]", "Content-Type: text/html\r\n\r\n");
	expect_text(&m, "BODY[2.HEADER.FIELDS (Subject)]", "Subject: inner\r\n\r\n");
	expect_text(&m, "BODY[2.TEXT]",
		    "--i\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nplain\r\n--i\r\n"
		    "Content-Type: text/html\r\n\r\n<p>html</p>\r\n--i--\r\n");
	expect_text(&m, "BODY[2.MIME]",
		    "Content-Type: message/rfc822\r\nContent-Description: inner one\r\n\r\n");
	struct buf out;
	buf_init(&out, 1 << 20);
	render(&m, "BODYSTRUCTURE", &out);
	const char *want =
	    "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 5 0 NIL NIL NIL NIL)"
	    "(\"message\" \"rfc822\" NIL NIL \"inner one\" \"7bit\" 210 (NIL \"inner\" "
	    "((\"B. Example\" NIL \"b\" \"example.org\")) ((\"B. Example\" NIL \"b\" "
	    "\"example.org\")) ((\"B. Example\" NIL \"b\" \"example.org\")) NIL NIL NIL NIL NIL) "
	    "((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 5 0 NIL NIL NIL NIL)"
	    "(\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 11 0 NIL NIL NIL NIL) "
	    "\"alternative\" (\"boundary\" \"i\") NIL NIL NIL) 13 NIL NIL NIL NIL) \"mixed\" "
	    "(\"boundary\" \"o\") NIL NIL NIL)";
	if (strcmp(buf_cstr(&out), want) != 0)
		fprintf(stderr, " got %s\nwant %s\n", out.data, want);
	CHECK(strcmp(buf_cstr(&out), want) == 0);
	buf_free(&out);
	mime_free(&m);
}

/* Between two boundary lines with nothing in between GMime sees no part:
 * neither does the tree, so part numbers stay GMime's. */
static void t_empty_stretch_is_no_part(void)
{
	static const char msg[] = "Content-Type: multipart/mixed; boundary=b\n\n--b\n--b\n"
				  "Content-Type: text/html\n\n<p>x</p>\n--b--\n";
	struct mime_message m;
	CHECK(mime_parse(msg, sizeof(msg) - 1, &m) == 0);
	CHECK(m.body.kind == MIME_MULTIPART && m.body.nparts == 1);
	CHECK(mime_agrees_with_gmime(&m));
	expect_text(&m, "BODY[1]", "<p>x</p>");
	expect_text(&m, "BODY[1.MIME]", "Content-Type: text/html\n\n");
	mime_free(&m);
}

static void t_section_syntax(void)
{
	struct mime_section s;
	CHECK(mime_section_parse("", 0, &s) == 0 && s.spec == SECTION_BODY && s.nparts == 0);
	CHECK(mime_section_parse("1.2.3", 5, &s) == 0 && s.nparts == 3 && s.part[2] == 3);
	CHECK(mime_section_parse("3.MIME", 6, &s) == 0 && s.spec == SECTION_MIME);
	CHECK(mime_section_parse("MIME", 4, &s) != 0);
	CHECK(mime_section_parse("0", 1, &s) != 0);
	CHECK(mime_section_parse("1.", 2, &s) != 0);
	CHECK(mime_section_parse("1..2", 4, &s) != 0);
	CHECK(mime_section_parse("99999999999", 11, &s) != 0);
	CHECK(mime_section_parse("HEADER.FIELDS", 13, &s) != 0);
	CHECK(mime_section_parse("HEADER.FIELDS ()", 16, &s) != 0);
	CHECK(mime_section_parse("HEADER.FIELDS (A", 16, &s) != 0);
	CHECK(mime_section_parse("HEADER.FIELDS (A) x", 19, &s) != 0);
	CHECK(mime_section_parse("TEXTX", 5, &s) != 0);
	CHECK(mime_section_parse("header.fields.not (a b)", 23, &s) == 0 &&
	      s.spec == SECTION_HEADER_FIELDS_NOT && s.nfields == 2);
}

/* Every range of every entity lies within the message, in order. */
static void check_ranges(const struct mime_entity *e, size_t len)
{
	CHECK(e->header_start <= e->body_start && e->body_start <= e->end && e->end <= len);
	for (size_t i = 0; i < e->nparts; i++) {
		CHECK(e->parts[i].header_start >= e->body_start && e->parts[i].end <= e->end);
		check_ranges(&e->parts[i], len);
	}
	if (e->message_body != NULL)
		check_ranges(e->message_body, len);
}

static void t_hostile(void)
{
	static const char *const msgs[] = {
	    "",
	    "\n",
	    "no colon here\n\nbody",
	    "Content-Type: multipart/mixed; boundary=x\n\n--x\n--x\n--x--\n",
	    "Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: multipart/mixed; "
	    "boundary=x\n\n--x\n--x--\n--x--",
	    "Content-Type: multipart/mixed; boundary=\"\"\n\n--\n--",
	    "Content-Type: multipart/mixed\n\nno boundary at all",
	    "Content-Type: message/rfc822\n\n",
	    "Content-Type: message/rfc822\n\nContent-Type: message/rfc822\n\nContent-Type: "
	    "message/rfc822\n\nx",
	    "Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/mixed; "
	    "boundary=b\n\n--b\nnot closed",
	    "From: \"unterminated <a@b\nTo: ,,,@,<>\nCc: group: ;\nBcc: x@\n\n",
	    "\r\r\r\n\n\r\n",
	};
	struct buf out;
	buf_init(&out, 1 << 22);
	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		struct mime_message m;
		CHECK(mime_parse(msgs[i], strlen(msgs[i]), &m) == 0);
		check_ranges(&m.body, m.len);
		render(&m, "ENVELOPE", &out);
		render(&m, "BODYSTRUCTURE", &out);
		render(&m, "BODY[1.2.3.MIME]", &out);
		render(&m, "BODY[1.MIME]", &out);
		render(&m, "BODY[2.HEADER.FIELDS (A)]", &out);
		mime_free(&m);
	}
	/* Nested a thousand deep: capped, no stack exhaustion. */
	struct buf deep;
	buf_init(&deep, 1 << 22);
	for (int i = 0; i < 1000; i++)
		buf_printf(&deep, "Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n", i, i);
	struct mime_message m;
	CHECK(mime_parse(deep.data, deep.len, &m) == 0);
	check_ranges(&m.body, m.len);
	render(&m, "BODYSTRUCTURE", &out);
	mime_free(&m);
	buf_free(&deep);
	buf_free(&out);
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "--render") == 0) {
		render_mode(argc, argv);
		return 0;
	}
	/* The corpus is found from the repository's top (tests/run runs there). */
	RUN(t_corpus_envelope_bodystructure);
	RUN(t_sections_multipart);
	RUN(t_sections_plain_lf);
	RUN(t_nested_message);
	RUN(t_empty_stretch_is_no_part);
	RUN(t_section_syntax);
	RUN(t_hostile);
	return 0;
}
