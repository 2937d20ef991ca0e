/*
 * mta.c -- handing one message to the MTA through its sendmail(1)
 * interface: "sendmail -G -i -f SENDER -- RCPT...", the message on its
 * standard input.  Every MTA offers it (Postfix, Exim, OpenSMTPD); it
 * exits 0 only once the message is safely in the MTA's queue (Postfix's
 * postdrop syncs the queue file first), and from then on queueing,
 * retries and bounces are the MTA's.  -G: a relayed message, not one to
 * rewrite; -i: a line of a single dot is just a line.
 *
 * No shell: the recipients are arguments after "--", each a checked
 * address (store_address_check), so none can pass for an option.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mta.h"

#define MTA_CHUNK 65536

/* The child: sendmail with in on stdin, out on stdout and stderr. */
static void exec_sendmail(const char *path, const struct mta_msg *m, int in, int out)
{
	size_t argc = 0;
	const char **argv = calloc(m->n + 7, sizeof(*argv));
	/* Its own process group, so a timeout ends whatever it started. */
	setpgid(0, 0);
	if (argv == NULL || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
		_exit(127);
	argv[argc++] = path;
	argv[argc++] = "-G";
	argv[argc++] = "-i";
	argv[argc++] = "-f";
	argv[argc++] = m->sender;
	argv[argc++] = "--";
	for (size_t i = 0; i < m->n; i++)
		argv[argc++] = m->rcpts[i];
	argv[argc] = NULL;
	execv(path, (char *const *)argv);
	fprintf(stderr, "cannot run %s: %s\n", path, strerror(errno));
	_exit(127);
}

static long ms_left(const struct timespec *deadline)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/* Keeps the first line of what the MTA said, for the log: printable
 * ASCII only (it goes into log lines and the store's record as is). */
static void keep_output(char *said, size_t size, size_t *used, const char *buf, size_t n)
{
	for (size_t i = 0; i < n && *used + 1 < size; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c == '\n' && *used > 0) {
			said[*used] = '\0';
			*used = size; /* the first line is enough */
			return;
		}
		if (c != '\n')
			said[(*used)++] = c < 0x20 || c >= 0x7f ? ' ' : (char)c;
	}
	if (*used < size)
		said[*used] = '\0';
}

struct feed {
	const struct mta_msg *m;
	char *buf;
	size_t len, off; /* bytes in buf, of them sent */
	uint64_t pos;	 /* of the message, read into buf so far */
	int fd;		 /* -1 once all is sent (or sendmail stopped reading) */
	int failed;	 /* reading the message failed */
};

/* Writes what it can of the message to sendmail's standard input. */
static void feed_more(struct feed *f)
{
	if (f->off == f->len) {
		size_t n = 0;
		if (f->pos < f->m->size &&
		    f->m->read(f->m->ctx, f->pos, f->buf, MTA_CHUNK, &n) != 0) {
			/* Never end its input early: it would send what it got. */
			f->failed = 1;
			return;
		}
		f->pos += n;
		f->len = n;
		f->off = 0;
		if (n == 0) {
			close(f->fd);
			f->fd = -1;
			return;
		}
	}
	ssize_t w = write(f->fd, f->buf + f->off, f->len - f->off);
	if (w > 0)
		f->off += (size_t)w;
	else if (w < 0 && errno != EAGAIN && errno != EINTR) {
		close(f->fd); /* it stopped reading: its exit status says why */
		f->fd = -1;
	}
}

int mta_send(const char *path, const struct mta_msg *m, int timeout_s, char *said, size_t size)
{
	int in[2], out[2];
	struct feed f = {.m = m, .fd = -1};
	struct timespec deadline;
	size_t used = 0;
	int status, rc = -1;

	said[0] = '\0';
	if ((f.buf = malloc(MTA_CHUNK)) == NULL || pipe2(in, O_CLOEXEC) != 0) {
		snprintf(said, size, "cannot start %s: %s", path, strerror(errno));
		free(f.buf);
		return -1;
	}
	if (pipe2(out, O_CLOEXEC) != 0) {
		snprintf(said, size, "cannot start %s: %s", path, strerror(errno));
		close(in[0]), close(in[1]), free(f.buf);
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0)
		exec_sendmail(path, m, in[0], out[1]);
	close(in[0]);
	close(out[1]);
	if (pid < 0) {
		snprintf(said, size, "cannot start %s: %s", path, strerror(errno));
		close(in[1]), close(out[0]), free(f.buf);
		return -1;
	}
	f.fd = in[1];
	fcntl(f.fd, F_SETFL, O_NONBLOCK);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_s;
	int out_fd = out[0];
	while ((f.fd >= 0 || out_fd >= 0) && !f.failed && ms_left(&deadline) > 0) {
		struct pollfd p[2] = {{.fd = f.fd, .events = POLLOUT},
				      {.fd = out_fd, .events = POLLIN}};
		if (poll(p, 2, (int)ms_left(&deadline)) < 0 && errno != EINTR)
			break;
		if (f.fd >= 0 && (p[0].revents & (POLLOUT | POLLERR | POLLHUP)))
			feed_more(&f);
		if (out_fd >= 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			char buf[512];
			ssize_t n = read(out_fd, buf, sizeof(buf));
			if (n > 0)
				keep_output(said, size, &used, buf, (size_t)n);
			else if (n == 0 || errno != EINTR) {
				close(out_fd);
				out_fd = -1;
			}
		}
	}
	int timed_out = !f.failed && (f.fd >= 0 || out_fd >= 0);
	if (timed_out || f.failed)
		kill(-pid, SIGKILL);
	if (f.fd >= 0)
		close(f.fd);
	if (out_fd >= 0)
		close(out_fd);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	char text[256];
	snprintf(text, sizeof(text), "%s", said);
	if (timed_out)
		snprintf(said, size, "%s did not finish within %d s%s%s", path, timeout_s,
			 text[0] ? ": " : "", text);
	else if (f.failed)
		snprintf(said, size, "the message could not be read from the store");
	else if (WIFSIGNALED(status))
		snprintf(said, size, "%s was killed by signal %d", path, WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		snprintf(said, size, "%s exited with status %d%s%s", path, WEXITSTATUS(status),
			 text[0] ? ": " : "", text);
	else
		rc = 0; /* said: what it said all the same (a warning, say) */
	free(f.buf);
	return rc;
}
