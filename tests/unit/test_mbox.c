/*
 * test_mbox.c -- the mbox reader and writer (admin/mbox.h): where
 * messages start (From_ lines and their dates), mboxrd and mboxo
 * unquoting, CRLF files, a last message without a newline, an empty
 * file, text before the first separator, the size limit, what is opened
 * (no links, no devices), and write -> read giving the bytes back.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "mbox.h"
#include "test_util.h"

#define MAX_MSGS 8

struct got {
	int n;
	char *body[MAX_MSGS];
	size_t len[MAX_MSGS];
	int64_t received[MAX_MSGS];
	unsigned long line[MAX_MSGS], bare_from[MAX_MSGS];
	const char *problem[MAX_MSGS];
};

static char *dir;

static char *file_with(const char *name, const char *data, size_t len)
{
	char *path;
	CHECK(asprintf(&path, "%s/%s", dir, name) > 0);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && write(fd, data, len) == (ssize_t)len && close(fd) == 0);
	return path;
}

/* Reads every message of data (an mbox file's bytes). */
static void read_all_of(const char *data, size_t len, int mboxo, size_t max, struct got *g)
{
	struct mbox_reader *r = NULL;
	struct mbox_msg m;
	int rc;
	char *path = file_with("box", data, len);
	memset(g, 0, sizeof(*g));
	CHECK(mbox_open(path, mboxo, max, &r) == 0);
	while ((rc = mbox_next(r, &m)) == 1) {
		CHECK(g->n < MAX_MSGS);
		g->body[g->n] = malloc(m.len + 1);
		memcpy(g->body[g->n], m.body, m.len);
		g->body[g->n][m.len] = '\0';
		g->len[g->n] = m.len;
		g->received[g->n] = m.received;
		g->line[g->n] = m.line;
		g->bare_from[g->n] = m.bare_from;
		g->problem[g->n] = m.problem;
		g->n++;
	}
	CHECK(rc == 0);
	CHECK(mbox_done(r) == len);
	mbox_close(&r);
	CHECK(r == NULL);
	free(path);
}

static void got_free(struct got *g)
{
	for (int i = 0; i < g->n; i++)
		free(g->body[i]);
}

#define READ(lit, mboxo, g) read_all_of(lit, sizeof(lit) - 1, mboxo, 1 << 20, g)
#define SAME(g, i, lit)                                                                            \
	CHECK((g).len[i] == sizeof(lit) - 1 && memcmp((g).body[i], lit, (g).len[i]) == 0)

static void t_from_lines(void)
{
	struct got g;
	READ("From a@x Mon Jan  1 00:00:00 2024\n"
	     "Subject: one\n\nFrom here on, text.\n\n"
	     "From b@x Tue Jan  2 10:00:00 +0200 2024\n"
	     "Subject: two\n\nbody\n\n"
	     "From not a date\n"
	     "still two\n\n"
	     "From c d@x Wed Jan  3 00:00:00 2024\n"
	     "Subject: three\n",
	     0, &g);
	CHECK(g.n == 3);
	/* "From here" follows no empty line: text, noted as an unquoted From. */
	SAME(g, 0, "Subject: one\n\nFrom here on, text.\n");
	CHECK(g.bare_from[0] == 4 && g.line[0] == 1 && g.received[0] == 1704067200);
	/* "From not a date" follows an empty line but has no date: text. */
	SAME(g, 1, "Subject: two\n\nbody\n\nFrom not a date\nstill two\n");
	CHECK(g.received[1] == 1704182400 && g.line[1] == 6 && g.bare_from[1] == 11);
	/* A sender with a space; the last message keeps its final newline. */
	SAME(g, 2, "Subject: three\n");
	CHECK(g.received[2] == 1704240000 && g.problem[2] == NULL);
	for (int i = 0; i < 3; i++)
		CHECK(i == 2 || g.problem[i] == NULL);
	got_free(&g);

	/* The first line needs no date. */
	READ("From nobody\nSubject: x\n", 0, &g);
	CHECK(g.n == 1 && g.received[0] == 0 && g.problem[0] == NULL);
	SAME(g, 0, "Subject: x\n");
	got_free(&g);
}

static void t_quoting(void)
{
	struct got g;
	static const char box[] = "From a@x Mon Jan  1 00:00:00 2024\n"
				  ">From one\n>>From two\n>>>From three\n> From not\n>Frog\n";
	READ(box, 0, &g); /* mboxrd: one '>' off every >+From line */
	CHECK(g.n == 1);
	SAME(g, 0, "From one\n>From two\n>>From three\n> From not\n>Frog\n");
	got_free(&g);
	READ(box, 1, &g); /* mboxo: only >From loses its '>' */
	SAME(g, 0, "From one\n>>From two\n>>>From three\n> From not\n>Frog\n");
	got_free(&g);
}

static void t_crlf(void)
{
	struct got g;
	READ("From a@x Mon Jan  1 00:00:00 2024\r\nSubject: one\r\n\r\nbody\r\n>From x\r\n\r\n"
	     "From b@x Tue Jan  2 10:00:00 2024\r\nSubject: two\r\n\r\nbody2\r\n\r\n",
	     0, &g);
	CHECK(g.n == 2);
	SAME(g, 0, "Subject: one\r\n\r\nbody\r\nFrom x\r\n");
	SAME(g, 1, "Subject: two\r\n\r\nbody2\r\n");
	got_free(&g);
}

static void t_last_without_newline(void)
{
	struct got g;
	READ("From a@x Mon Jan  1 00:00:00 2024\nSubject: ok\n\n"
	     "From b@x Mon Jan  1 00:00:00 2024\nSubject: cut\n\nthe body was cu",
	     0, &g);
	CHECK(g.n == 2 && g.problem[0] == NULL);
	CHECK(g.problem[1] != NULL && strstr(g.problem[1], "truncated") != NULL);
	CHECK(g.line[1] == 4);
	got_free(&g);
}

static void t_empty_and_junk(void)
{
	struct got g;
	read_all_of("", 0, 0, 1 << 20, &g);
	CHECK(g.n == 0);
	READ("Subject: no separator\n\nbody\n\nFrom a@x Mon Jan  1 00:00:00 2024\nSubject: ok\n", 0,
	     &g);
	CHECK(g.n == 2);
	CHECK(g.problem[0] != NULL && strstr(g.problem[0], "before the first") != NULL);
	CHECK(g.problem[1] == NULL && g.line[1] == 5);
	SAME(g, 1, "Subject: ok\n");
	got_free(&g);
	/* An empty header section is a message like any other. */
	READ("From a@x Mon Jan  1 00:00:00 2024\n\nheaderless\n", 0, &g);
	CHECK(g.n == 1 && g.problem[0] == NULL);
	SAME(g, 0, "\nheaderless\n");
	got_free(&g);
}

static void t_size_limit(void)
{
	struct got g;
	static const char box[] = "From a@x Mon Jan  1 00:00:00 2024\n0123456789\n\n"
				  "From b@x Mon Jan  1 00:00:00 2024\n012345678901234567890\n";
	read_all_of(box, sizeof(box) - 1, 0, 12, &g);
	CHECK(g.n == 2 && g.problem[0] == NULL && g.len[0] == 11);
	CHECK(g.problem[1] != NULL && strstr(g.problem[1], "size limit") != NULL && g.len[1] == 0);
	got_free(&g);
}

static void t_opens_files_and_pipes_only(void)
{
	struct mbox_reader *r = NULL;
	char *target = file_with("target", "From a\n", 7), *link, *fifo;
	CHECK(asprintf(&link, "%s/link", dir) > 0 && symlink(target, link) == 0);
	CHECK(mbox_open(link, 0, 100, &r) == -1 && errno == ELOOP && r == NULL);
	CHECK(mbox_open(dir, 0, 100, &r) == -1 && errno == EINVAL && r == NULL);
	CHECK(mbox_open("/dev/null", 0, 100, &r) == -1 && errno == EINVAL);
	CHECK(asprintf(&fifo, "%s/fifo", dir) > 0 && mkfifo(fifo, 0600) == 0);
	int wfd = open(fifo, O_RDWR); /* a writer, so the reader's open returns */
	CHECK(wfd >= 0 && write(wfd, "From a\nx\n", 9) == 9);
	CHECK(mbox_open(fifo, 0, 100, &r) == 0);
	close(wfd);
	mbox_close(&r);
	CHECK(mbox_open(target, 0, 100, &r) == 0 && mbox_size(r) == 7);
	mbox_close(&r);
	mbox_close(&r); /* NULL-safe */
	free(target);
	free(link);
	free(fifo);
}

/* write -> read gives back each body (one without a final newline gets
 * one: mbox cannot keep its absence). */
static void t_write_then_read(void)
{
	static const char *const bodies[] = {
	    "Subject: a\n\nFrom start\n>From once\n>>From twice\n",
	    "Subject: crlf\r\n\r\nFrom x\r\n",
	    "\nheaderless\n\n\n",
	    "Subject: no newline\n\nend",
	};
	char *path;
	struct got g;
	CHECK(asprintf(&path, "%s/written", dir) > 0);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	for (int i = 0; i < 4; i++)
		CHECK(mbox_write(f, bodies[i], strlen(bodies[i]), 1704067200 + i) == 0);
	CHECK(fclose(f) == 0);
	struct stat sb;
	CHECK(stat(path, &sb) == 0);
	char *data = malloc((size_t)sb.st_size);
	FILE *in = fopen(path, "r");
	CHECK(in && fread(data, 1, (size_t)sb.st_size, in) == (size_t)sb.st_size);
	fclose(in);
	CHECK(strstr(data, "\n>From start\n>>From once\n>>>From twice\n") != NULL);
	read_all_of(data, (size_t)sb.st_size, 0, 1 << 20, &g);
	CHECK(g.n == 4);
	for (int i = 0; i < 3; i++) {
		CHECK(g.len[i] == strlen(bodies[i]) && memcmp(g.body[i], bodies[i], g.len[i]) == 0);
		CHECK(g.received[i] == 1704067200 + i && g.problem[i] == NULL);
	}
	SAME(g, 3, "Subject: no newline\n\nend\n");
	got_free(&g);
	free(data);
	free(path);
}

int main(void)
{
	dir = mktmp();
	RUN(t_from_lines);
	RUN(t_quoting);
	RUN(t_crlf);
	RUN(t_last_without_newline);
	RUN(t_empty_and_junk);
	RUN(t_size_limit);
	RUN(t_opens_files_and_pipes_only);
	RUN(t_write_then_read);
	rmtmp(&dir);
	return 0;
}
