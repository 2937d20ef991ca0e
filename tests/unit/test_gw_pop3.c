/*
 * test_gw_pop3.c -- the gateway's POP3 command parser (good and hostile
 * lines) and multi-line writer (dot-stuffing, line ends, terminator),
 * plus the SASL pieces both protocols share: base64, PLAIN's framing.
 */
#include <string.h>

#include "base64.h"
#include "check.h"
#include "pop3_parse.h"
#include "pop3_write.h"
#include "slots.h"

static int parse(const char *text, struct pop3_command *cmd, const char **error)
{
	static char line[4096];
	size_t n = strlen(text);
	memcpy(line, text, n + 1);
	return pop3_parse_command(line, n, cmd, error);
}

static void t_parse(void)
{
	struct pop3_command cmd;
	const char *error;
	CHECK(parse("user alice", &cmd, &error) == 0 && strcmp(cmd.keyword, "USER") == 0 &&
	      cmd.nargs == 1 && strcmp(cmd.args[0], "alice") == 0);
	CHECK(parse("PASS pass word  with spaces ", &cmd, &error) == 0 && cmd.nargs == 1 &&
	      strcmp(cmd.args[0], "pass word  with spaces ") == 0);
	CHECK(parse("TOP 1 10", &cmd, &error) == 0 && cmd.nargs == 2 &&
	      strcmp(cmd.args[1], "10") == 0);
	CHECK(parse("AUTH GSSAPI =", &cmd, &error) == 0 && cmd.nargs == 2);
	CHECK(parse("capa", &cmd, &error) == 0 && cmd.nargs == 0 &&
	      strcmp(cmd.keyword, "CAPA") == 0);
	static const char *const bad[] = {"",	  "US",	       "USERS x",   "USER  x", "USER x ",
					  "1234", "TOP 1 2 3", "USER \x01", " USER x", "USER\tx"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		error = NULL;
		CHECK(parse(bad[i], &cmd, &error) != 0 && error != NULL);
	}
	char longarg[300] = "USER ";
	memset(longarg + 5, 'a', 290);
	longarg[295] = '\0';
	CHECK(parse(longarg, &cmd, &error) != 0 && strcmp(error, "Argument too long") == 0);
	char nul[] = "USER a\0b";
	CHECK(pop3_parse_command(nul, sizeof(nul) - 1, &cmd, &error) != 0);
}

static void expect_multiline(const char *in, size_t len, const char *want)
{
	struct buf b;
	buf_init(&b, 1 << 16);
	CHECK(pop3_write_multiline(&b, in, len) == 0);
	if (strcmp(buf_cstr(&b), want) != 0)
		fprintf(stderr, "got [%s] want [%s]\n", b.data, want);
	CHECK(strcmp(buf_cstr(&b), want) == 0);
	buf_free(&b);
}

static void t_multiline(void)
{
	expect_multiline("", 0, ".\r\n");
	expect_multiline("a\r\nb\r\n", 6, "a\r\nb\r\n.\r\n");
	expect_multiline("a\nb\n", 4, "a\r\nb\r\n.\r\n");
	expect_multiline(".\r\n..x\r\n.", 9, "..\r\n...x\r\n..\r\n.\r\n");
	expect_multiline("no end", 6, "no end\r\n.\r\n");
	expect_multiline("cr\rinside\r\n", 11, "cr\rinside\r\n.\r\n");
	expect_multiline("\n\n", 2, "\r\n\r\n.\r\n");
	struct buf small;
	buf_init(&small, 4);
	CHECK(pop3_write_multiline(&small, "abcdef\n", 7) == -1 && small.overflow);
	buf_free(&small);
}

static void t_base64(void)
{
	struct buf b;
	buf_init(&b, 1 << 16);
	CHECK(base64_encode(&b, "\0alice\0alice-pw", 15) == 0);
	CHECK(strcmp(buf_cstr(&b), "AGFsaWNlAGFsaWNlLXB3") == 0);
	buf_reset(&b);
	CHECK(base64_decode(&b, "AGFsaWNlAGFsaWNlLXB3", 20) == 0 && b.len == 15 &&
	      memcmp(b.data, "\0alice\0alice-pw", 15) == 0);
	buf_reset(&b);
	CHECK(base64_decode(&b, "YQ==", 4) == 0 && b.len == 1 && b.data[0] == 'a');
	buf_reset(&b);
	CHECK(base64_decode(&b, "YWI=", 4) == 0 && b.len == 2);
	buf_reset(&b);
	CHECK(base64_decode(&b, "", 0) == 0 && b.len == 0);
	static const char *const bad[] = {"YQ=", "Y===", "YQ=a", "YW Jj", "YW\nJ", "!!!!", "=AAA"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf_reset(&b);
		CHECK(base64_decode(&b, bad[i], strlen(bad[i])) != 0);
	}
	/* Longer than one chunk, both ways. */
	static char big[10000], text[20000];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7);
	buf_reset(&b);
	CHECK(base64_encode(&b, big, sizeof(big)) == 0 && b.len < sizeof(text));
	memcpy(text, b.data, b.len);
	size_t tlen = b.len;
	buf_reset(&b);
	CHECK(base64_decode(&b, text, tlen) == 0 && b.len == sizeof(big) &&
	      memcmp(b.data, big, sizeof(big)) == 0);
	buf_free(&b);
}

static void t_slots(void)
{
	struct slots t;
	CHECK(slots_init(&t, 3) == 0);
	struct slot *a = slots_take(&t, "10.0.0.1");
	slots_claim(a, 100);
	struct slot *b = slots_take(&t, "10.0.0.1");
	slots_claim(b, 101);
	struct slot *c = slots_take(&t, "10.0.0.2");
	slots_claim(c, 102);
	CHECK(slots_in_use(&t) == 3 && slots_take(&t, "x") == NULL);
	CHECK(slots_unauthenticated(&t, "10.0.0.1") == 2);
	slot_mark_authenticated(a);
	CHECK(slots_unauthenticated(&t, "10.0.0.1") == 1);
	CHECK(slots_release(&t, 101) == 0 && slots_release(&t, 101) == -1);
	CHECK(slots_unauthenticated(&t, "10.0.0.1") == 0 && slots_in_use(&t) == 2);
	/* A freed slot starts unauthenticated. */
	struct slot *d = slots_take(&t, "10.0.0.1");
	CHECK(d != NULL && !d->authenticated);
}

int main(void)
{
	RUN(t_parse);
	RUN(t_multiline);
	RUN(t_base64);
	RUN(t_slots);
	return 0;
}
