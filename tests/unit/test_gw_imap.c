/*
 * test_gw_imap.c -- the gateway's IMAP syntax: the command parser on good
 * and hostile input, sequence sets, the response writer's quoting, and
 * the command reader's literal handling over a real socket pair (a
 * literal above the limit is refused before a byte of it is read).
 */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "imap_parse.h"
#include "imap_read.h"
#include "imap_write.h"

static int parse(const char *text, struct imap_command *cmd, const char **error)
{
	return imap_parse_command(text, strlen(text), cmd, error);
}

static void t_parse_good(void)
{
	struct imap_command cmd;
	const char *error;
	CHECK(parse("a1 login alice \"pass \\\"word\\\\\"", &cmd, &error) == 0);
	CHECK(strcmp(cmd.tag, "a1") == 0 && strcmp(cmd.name, "LOGIN") == 0 && cmd.nargs == 2);
	CHECK(cmd.args[0].type == IMAP_ARG_ATOM && strcmp(cmd.args[0].data, "alice") == 0);
	CHECK(cmd.args[1].type == IMAP_ARG_QUOTED &&
	      strcmp(cmd.args[1].data, "pass \"word\\") == 0);
	imap_command_free(&cmd);

	/* Literals, synchronizing and LITERAL+, NUL inside. */
	static const char lit[] = "t APPEND INBOX (\\Seen) {5}\r\na\0b\r\n {3+}\r\nxyz";
	CHECK(imap_parse_command(lit, sizeof(lit) - 1, &cmd, &error) == 0);
	CHECK(cmd.nargs == 4 && cmd.args[1].type == IMAP_ARG_LIST && cmd.args[1].count == 1);
	CHECK(strcmp(cmd.args[1].list[0].data, "\\Seen") == 0);
	CHECK(cmd.args[2].type == IMAP_ARG_LITERAL && cmd.args[2].len == 5 &&
	      memcmp(cmd.args[2].data, "a\0b\r\n", 5) == 0);
	CHECK(cmd.args[3].len == 3 && memcmp(cmd.args[3].data, "xyz", 3) == 0);
	imap_command_free(&cmd);

	/* FETCH's section atoms hold spaces and parentheses; NIL; nesting. */
	CHECK(parse("f UID FETCH 1:*,7 (FLAGS BODY.PEEK[HEADER.FIELDS (FROM TO)]<0.100>) NIL", &cmd,
		    &error) == 0);
	CHECK(cmd.nargs == 4 && cmd.args[2].type == IMAP_ARG_LIST && cmd.args[2].count == 2);
	CHECK(strcmp(cmd.args[2].list[1].data, "BODY.PEEK[HEADER.FIELDS (FROM TO)]<0.100>") == 0);
	CHECK(cmd.args[3].type == IMAP_ARG_NIL);
	imap_command_free(&cmd);

	CHECK(parse("x LIST \"\" %", &cmd, &error) == 0 && cmd.args[0].len == 0);
	imap_command_free(&cmd);
	CHECK(parse("y NOOP", &cmd, &error) == 0 && cmd.nargs == 0);
	imap_command_free(&cmd);
	CHECK(parse("z ID ()", &cmd, &error) == 0 && cmd.args[0].type == IMAP_ARG_LIST &&
	      cmd.args[0].count == 0);
	imap_command_free(&cmd);
	/* The string arena is the command's own size: tiny strings fit. */
	static const char tiny[] = "a X a b (c) (d e) \"\" {0}\r\n ((f)) {1+}\r\ng";
	CHECK(imap_parse_command(tiny, sizeof(tiny) - 1, &cmd, &error) == 0 && cmd.nargs == 8);
	imap_command_free(&cmd);
}

static void t_parse_hostile(void)
{
	static const char *const bad[] = {
	    "",
	    " NOOP",
	    "a",
	    "a ",
	    "+ NOOP",
	    "a* NOOP",
	    "a NO-OP",
	    "a NOOP  x",
	    "a NOOP x ",
	    "a NOOP (x",
	    "a NOOP x)",
	    "a NOOP ( x)",
	    "a NOOP (x )",
	    "a NOOP \"abc",
	    "a NOOP \"a\\b\"",
	    "a NOOP \"a\rb\"",
	    "a NOOP {5}\r\nabc",
	    "a NOOP {5}abc",
	    "a NOOP {}\r\n",
	    "a NOOP {99999999999}\r\n",
	    "a NOOP ~{3}\r\nabc",
	    "a NOOP x[y",
	    "a NOOP x[a\x01]",
	    "a NOOP \x80\x81",
	    "a NOOP ((((((((((x))))))))))",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct imap_command cmd;
		const char *error = NULL;
		int r = parse(bad[i], &cmd, &error);
		if (r == 0)
			fprintf(stderr, "accepted: [%s]\n", bad[i]);
		CHECK(r != 0 && error != NULL && error[0] != '\0');
		imap_command_free(&cmd);
	}
	/* The tag is still known for the BAD answer. */
	struct imap_command cmd;
	const char *error;
	CHECK(parse("t42 NOOP (", &cmd, &error) != 0 && strcmp(cmd.tag, "t42") == 0);
	/* Too many arguments in all. */
	static char many[5 * IMAP_MAX_ARGS + 64];
	size_t n = (size_t)snprintf(many, sizeof(many), "a X");
	for (int i = 0; i <= IMAP_MAX_ARGS; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, " a");
	CHECK(parse(many, &cmd, &error) != 0 && strstr(error, "Too many") != NULL);
}

static void t_seqset(void)
{
	struct imap_seqset set;
	CHECK(imap_seqset_parse("1,3:5,9:*,*", 11, &set) == 0 && set.count == 4);
	CHECK(set.range[1].lo == 3 && set.range[1].hi == 5);
	CHECK(set.range[2].lo == 9 && set.range[2].hi == IMAP_SEQ_STAR);
	imap_seqset_free(&set);
	CHECK(imap_seqset_parse("7:2", 3, &set) == 0 && set.range[0].lo == 2 &&
	      set.range[0].hi == 7);
	imap_seqset_free(&set);
	CHECK(imap_seqset_parse("4294967294", 10, &set) == 0);
	imap_seqset_free(&set);
	static const char *const bad[] = {
	    "",	    "0",     "1,", ",1", "1::2", "1:", "a", "4294967295", "99999999999999999999",
	    "1,,2", "1:2:3", "-1"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(imap_seqset_parse(bad[i], strlen(bad[i]), &set) != 0 && set.range == NULL);
}

static void t_write(void)
{
	struct buf b;
	buf_init(&b, 1 << 16);
	imap_write_astring(&b, "INBOX", 5);
	buf_addc(&b, ' ');
	imap_write_astring(&b, "NIL", 3);
	buf_addc(&b, ' ');
	imap_write_astring(&b, "", 0);
	buf_addc(&b, ' ');
	imap_write_string(&b, "a\"b\\c", 5);
	buf_addc(&b, ' ');
	imap_write_nstring(&b, NULL, 0);
	buf_addc(&b, ' ');
	imap_write_string(&b, "l1\r\nl2", 6);
	buf_addc(&b, ' ');
	imap_write_string(&b, "caf\xc3\xa9", 5);
	CHECK(strcmp(buf_cstr(&b), "INBOX \"NIL\" \"\" \"a\\\"b\\\\c\" NIL {6}\r\nl1\r\nl2 "
				   "{5}\r\ncaf\xc3\xa9") == 0);
	buf_free(&b);
}

/* The reader over a socket pair: the test writes as the client. */
struct pair {
	int client, server;
	struct stream stream;
	struct buf cmd, line;
	struct imap_reader reader;
};

static size_t limit_cb(void *ctx, const char *name)
{
	(void)ctx;
	return strcmp(name, "APPEND") == 0 ? 1000000 : 100;
}

static void pair_open(struct pair *p)
{
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	p->client = sv[0];
	p->server = sv[1];
	stream_init(&p->stream, p->server, 2000, NULL);
	buf_init(&p->cmd, 100);
	buf_init(&p->line, 1024);
	p->reader =
	    (struct imap_reader){.stream = &p->stream, .max_line = 1024, .literal_limit = limit_cb};
}

static void pair_close(struct pair *p)
{
	stream_free(&p->stream);
	buf_free(&p->cmd);
	buf_free(&p->line);
	close(p->client);
	close(p->server);
}

static void say(struct pair *p, const char *text)
{
	CHECK(write(p->client, text, strlen(text)) == (ssize_t)strlen(text));
}

/* What the server has sent the client so far. */
static void heard(struct pair *p, char *out, size_t n)
{
	struct timeval tv = {0, 200000};
	setsockopt(p->client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ssize_t got = read(p->client, out, n - 1);
	out[got > 0 ? got : 0] = '\0';
}

static void t_read_literals(void)
{
	struct pair p;
	char said[256];
	pair_open(&p);
	/* Within the limit: continuation, then the literal and the rest. */
	say(&p, "a LOGIN {5}\r\nalice {2}\r\npw\r\n");
	CHECK(imap_read_command(&p.reader, &p.cmd, &p.line) == IMAP_READ_OK);
	CHECK(p.cmd.len == strlen("a LOGIN {5}\r\nalice {2}\r\npw") &&
	      memcmp(p.cmd.data, "a LOGIN {5}\r\nalice {2}\r\npw", p.cmd.len) == 0);
	heard(&p, said, sizeof(said));
	CHECK(strcmp(said, "+ Ready for literal data\r\n+ Ready for literal data\r\n") == 0);
	/* Above the command's limit: refused without a continuation. */
	say(&p, "b LOGIN {101}\r\n");
	CHECK(imap_read_command(&p.reader, &p.cmd, &p.line) == IMAP_READ_REFUSED);
	CHECK(strcmp(p.reader.tag, "b") == 0);
	heard(&p, said, sizeof(said));
	CHECK(said[0] == '\0');
	/* APPEND's limit is the message size: 1000001 is refused unread. */
	say(&p, "c APPEND INBOX {1000001}\r\n");
	CHECK(imap_read_command(&p.reader, &p.cmd, &p.line) == IMAP_READ_REFUSED);
	heard(&p, said, sizeof(said));
	CHECK(said[0] == '\0');
	/* The session goes on. */
	say(&p, "d NOOP\r\n");
	CHECK(imap_read_command(&p.reader, &p.cmd, &p.line) == IMAP_READ_OK);
	CHECK(p.cmd.len == 6 && memcmp(p.cmd.data, "d NOOP", 6) == 0);
	/* An over-long line is thrown away; the next one is read. */
	static char longline[3000];
	memset(longline, 'x', sizeof(longline) - 3);
	memcpy(longline + sizeof(longline) - 3, "\r\n", 3);
	say(&p, longline);
	say(&p, "e NOOP\r\n");
	CHECK(imap_read_command(&p.reader, &p.cmd, &p.line) == IMAP_READ_TOO_LONG);
	CHECK(imap_read_command(&p.reader, &p.cmd, &p.line) == IMAP_READ_OK);
	/* A LITERAL+ above the limit cannot be skipped unread: the end. */
	say(&p, "f LOGIN {101+}\r\n");
	CHECK(imap_read_command(&p.reader, &p.cmd, &p.line) == IMAP_READ_CLOSE);
	CHECK(p.reader.nonsync_too_big);
	pair_close(&p);
	/* A client that stops mid-literal: a timeout, nothing kept. */
	pair_open(&p);
	p.stream.timeout_ms = 200;
	say(&p, "g LOGIN {10}\r\nabc");
	CHECK(imap_read_command(&p.reader, &p.cmd, &p.line) == IMAP_READ_CLOSE);
	CHECK(p.reader.stream_status == STREAM_TIMEOUT);
	pair_close(&p);
}

static void t_literal_marker(void)
{
	unsigned long long n;
	int nonsync;
	CHECK(imap_literal_at_end("a {12}", 6, &n, &nonsync) == 1 && n == 12 && !nonsync);
	CHECK(imap_literal_at_end("a {12+}", 7, &n, &nonsync) == 1 && n == 12 && nonsync);
	CHECK(imap_literal_at_end("a {}", 4, &n, &nonsync) == 0);
	CHECK(imap_literal_at_end("a {+}", 5, &n, &nonsync) == 0);
	CHECK(imap_literal_at_end("a 12}", 5, &n, &nonsync) == 0);
	CHECK(imap_literal_at_end("}", 1, &n, &nonsync) == 0);
	CHECK(imap_literal_at_end("{12345678901}", 13, &n, &nonsync) == 0);
}

int main(void)
{
	RUN(t_parse_good);
	RUN(t_parse_hostile);
	RUN(t_seqset);
	RUN(t_write);
	RUN(t_literal_marker);
	RUN(t_read_literals);
	return 0;
}
