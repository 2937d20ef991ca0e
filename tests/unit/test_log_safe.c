/*
 * test_log_safe.c -- log_safe (server/log.c), the one way client-chosen
 * text reaches a log line: plain text stays as it is, every byte that
 * could end the line or fake a field (controls, space, quotes, backslash,
 * DEL, 8-bit bytes) becomes \xNN, the result reads back to the original
 * byte for byte, and a cut never splits an escape.
 */
#include "log.h"
#include "test_util.h"

/* The inverse of log_safe, for the round trip. */
static void unescape(const char *s, char *out)
{
	while (*s != '\0') {
		unsigned v;
		if (s[0] == '\\' && s[1] == 'x' && sscanf(s + 2, "%2x", &v) == 1) {
			*out++ = (char)v;
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

static void t_plain_text_unchanged(void)
{
	char buf[64];
	CHECK(strcmp(log_safe(buf, sizeof(buf), "alice@MAILRPC.TEST"), "alice@MAILRPC.TEST") == 0);
	CHECK(strcmp(log_safe(buf, sizeof(buf), "Shared/Sub-2_x.y"), "Shared/Sub-2_x.y") == 0);
	CHECK(strcmp(log_safe(buf, sizeof(buf), ""), "-") == 0);
}

static void t_dangerous_bytes_escaped(void)
{
	char buf[256];
	CHECK(strcmp(log_safe(buf, sizeof(buf), "a\nb"), "a\\x0ab") == 0);
	CHECK(strcmp(log_safe(buf, sizeof(buf), "a\r\t\x1b[0m"), "a\\x0d\\x09\\x1b[0m") == 0);
	CHECK(strcmp(log_safe(buf, sizeof(buf), "Sent Items"), "Sent\\x20Items") == 0);
	CHECK(strcmp(log_safe(buf, sizeof(buf), "x\" y=\\"), "x\\x22\\x20y=\\x5c") == 0);
	CHECK(strcmp(log_safe(buf, sizeof(buf), "\x7f\xc3\xbc"), "\\x7f\\xc3\\xbc") == 0);
	/* Nothing a client sends survives as a control character. */
	char all[256], back[256];
	for (int i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[255] = '\0';
	char big[1024];
	log_safe(big, sizeof(big), all);
	for (const char *p = big; *p != '\0'; p++)
		CHECK(*p > ' ' && *p < 127 && *p != '"');
	unescape(big, back);
	CHECK(strcmp(back, all) == 0);
}

static void t_cut_whole_escapes(void)
{
	char buf[8];
	/* "ab" fits, the escape of '\n' (4 bytes) would need 7 of 8 with the
	 * NUL: it fits; the next one does not, and is left out whole. */
	CHECK(strcmp(log_safe(buf, sizeof(buf), "ab\n\n"), "ab\\x0a") == 0);
	CHECK(strcmp(log_safe(buf, sizeof(buf), "abcdefghij"), "abcdefg") == 0);
	char tiny[4];
	CHECK(strcmp(log_safe(tiny, sizeof(tiny), "\n"), "-") == 0);
}

int main(void)
{
	RUN(t_plain_text_unchanged);
	RUN(t_dangerous_bytes_escaped);
	RUN(t_cut_whole_escapes);
	return 0;
}
