/*
 * test_deliver_message.c -- the delivery agent's message assembly
 * (deliver/message.c): Return-Path and Delivered-To in front of the
 * untouched input, ending like the message's first line (LF, CRLF), the
 * null sender, input without any line end, empty input, the size limit at
 * its edge (the MTA's pipe is always read to its end), and a read error.
 */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "deliver.h"
#include "test_util.h"

/* Reads len bytes of data through a pipe, fed by a child process (more
 * than a pipe holds would block a single process). */
static int read_through_pipe(const char *data, size_t len, size_t max, const char *sender,
			     struct deliver_msg *m, int *writer_ok_r)
{
	int fds[2], status;
	CHECK(pipe(fds) == 0);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		size_t done = 0;
		while (done < len) {
			ssize_t n = write(fds[1], data + done, len - done);
			if (n <= 0)
				_exit(1);
			done += (size_t)n;
		}
		_exit(0);
	}
	close(fds[1]);
	int rc = deliver_read_message(fds[0], max, sender, "alice", m);
	close(fds[0]);
	CHECK(waitpid(pid, &status, 0) == pid);
	*writer_ok_r = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	return rc;
}

static void expect(const char *input, const char *sender, const char *want)
{
	struct deliver_msg m;
	int writer_ok;
	CHECK(read_through_pipe(input, strlen(input), 1 << 20, sender, &m, &writer_ok) ==
	      DELIVER_READ_OK);
	CHECK(writer_ok);
	if (m.len != strlen(want) || memcmp(m.data, want, m.len) != 0) {
		fprintf(stderr, "got [%.*s]\nwant [%s]\n", (int)m.len, m.data, want);
		CHECK(0);
	}
	CHECK(m.input_len == strlen(input));
	/* The input is untouched, right after the added lines. */
	CHECK(memcmp(m.data + m.len - m.input_len, input, m.input_len) == 0);
	deliver_msg_clear(&m);
	CHECK(m.buf == NULL && m.data == NULL && m.len == 0);
}

static void t_trace_headers(void)
{
	expect("Subject: hi\n\nbody\n", "bob@example.org",
	       "Return-Path: <bob@example.org>\nDelivered-To: alice\nSubject: hi\n\nbody\n");
	expect(
	    "Subject: hi\r\n\r\nbody\r\n", "bob@example.org",
	    "Return-Path: <bob@example.org>\r\nDelivered-To: alice\r\nSubject: hi\r\n\r\nbody\r\n");
	/* The null sender of bounces. */
	expect("Subject: bounce\n\n", "",
	       "Return-Path: <>\nDelivered-To: alice\nSubject: bounce\n\n");
	/* No -f: no Return-Path. */
	expect("Subject: x\n\n", NULL, "Delivered-To: alice\nSubject: x\n\n");
	/* The first line decides; no line end at all means LF. */
	expect("Subject: mixed\nX: y\r\n\r\n", NULL,
	       "Delivered-To: alice\nSubject: mixed\nX: y\r\n\r\n");
	expect("no line end", NULL, "Delivered-To: alice\nno line end");
	expect("\r\n", NULL, "Delivered-To: alice\r\n\r\n");
	expect("\nheaderless\n", "a@b", "Return-Path: <a@b>\nDelivered-To: alice\n\nheaderless\n");
}

static void t_empty_input(void)
{
	struct deliver_msg m;
	int writer_ok;
	CHECK(read_through_pipe("", 0, 100, "a@b", &m, &writer_ok) == DELIVER_READ_OK);
	CHECK(m.input_len == 0 && writer_ok);
	deliver_msg_clear(&m);
}

static void t_size_limit_edges(void)
{
	const size_t max = 300 * 1024; /* several reads and pipe buffers */
	char *big = malloc(max + 2);
	struct deliver_msg m;
	int writer_ok;
	memset(big, 'x', max + 2);
	memcpy(big, "Subject: big\r\n\r\n", 16);
	CHECK(read_through_pipe(big, max, max, "a@b", &m, &writer_ok) == DELIVER_READ_OK);
	CHECK(writer_ok && m.input_len == max && memcmp(m.data + m.len - max, big, max) == 0);
	CHECK(m.len == max + strlen("Return-Path: <a@b>\r\nDelivered-To: alice\r\n"));
	deliver_msg_clear(&m);
	/* One byte more: too big, yet the writer could write it all. */
	CHECK(read_through_pipe(big, max + 1, max, "a@b", &m, &writer_ok) == DELIVER_READ_TOOBIG);
	CHECK(writer_ok && m.buf == NULL && m.len == 0);
	CHECK(read_through_pipe(big, max + 2, 0, "a@b", &m, &writer_ok) == DELIVER_READ_TOOBIG);
	CHECK(writer_ok);
	free(big);
}

static void t_read_error(void)
{
	struct deliver_msg m;
	errno = 0;
	CHECK(deliver_read_message(-1, 100, "a@b", "alice", &m) == DELIVER_READ_ERROR);
	CHECK(errno == EBADF && m.buf == NULL && m.data == NULL);
}

int main(void)
{
	RUN(t_trace_headers);
	RUN(t_empty_input);
	RUN(t_size_limit_edges);
	RUN(t_read_error);
	return 0;
}
