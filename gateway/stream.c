/* stream.c -- buffered plain/TLS connection I/O with deadlines (see stream.h). */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <poll.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "stream.h"

/* Output is flushed when it passes this, so a large response streams. */
#define STREAM_OUT_HIGH 65536
#define STREAM_OUT_LIMIT (STREAM_OUT_HIGH * 4)

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void stream_init(struct stream *s, int fd, int timeout_ms, volatile int *stop)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->timeout_ms = timeout_ms;
	s->stop = stop;
	buf_init(&s->out, STREAM_OUT_LIMIT);
	int flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

void stream_free(struct stream *s)
{
	if (s->ssl != NULL) {
		SSL_shutdown(s->ssl);
		SSL_free(s->ssl);
		s->ssl = NULL;
	}
	buf_free(&s->out);
}

/* Waits until fd is ready for events or the deadline passes. */
static int wait_fd(struct stream *s, short events, long long deadline)
{
	for (;;) {
		if (s->stop != NULL && *s->stop)
			return STREAM_STOPPED;
		long long left = deadline - now_ms();
		if (left <= 0)
			return STREAM_TIMEOUT;
		struct pollfd p = {.fd = s->fd, .events = events};
		int n = poll(&p, 1, left > 1000000 ? 1000000 : (int)left);
		if (n > 0)
			return STREAM_OK;
		if (n < 0 && errno != EINTR)
			return STREAM_ERROR;
	}
}

/* What an SSL_* call's failure asks for: a wait, or the end. */
static int ssl_wait(struct stream *s, int ret, long long deadline)
{
	switch (SSL_get_error(s->ssl, ret)) {
	case SSL_ERROR_WANT_READ:
		return wait_fd(s, POLLIN, deadline);
	case SSL_ERROR_WANT_WRITE:
		return wait_fd(s, POLLOUT, deadline);
	case SSL_ERROR_ZERO_RETURN:
		return STREAM_EOF;
	default:
		ERR_clear_error();
		return STREAM_EOF;
	}
}

/* Acknowledges what was just read at once.  Clients that send a literal
 * and its line's CRLF in two writes (Python's imaplib) hold the CRLF
 * (Nagle) until that ACK, which Linux would otherwise delay 40 ms: an
 * APPEND took 50 ms.  Not a TCP socket: nothing to do. */
static void ack_now(const struct stream *s)
{
	int on = 1;
	(void)setsockopt(s->fd, IPPROTO_TCP, TCP_QUICKACK, &on, sizeof(on));
}

/* Reads more input into the buffer; waits until deadline at most. */
static int fill(struct stream *s, long long deadline)
{
	if (s->in_pos == s->in_end)
		s->in_pos = s->in_end = 0;
	if (s->in_end == sizeof(s->in)) {
		memmove(s->in, s->in + s->in_pos, s->in_end - s->in_pos);
		s->in_end -= s->in_pos;
		s->in_pos = 0;
	}
	for (;;) {
		if (s->stop != NULL && *s->stop)
			return STREAM_STOPPED;
		size_t room = sizeof(s->in) - s->in_end;
		if (s->ssl != NULL) {
			int n = SSL_read(s->ssl, s->in + s->in_end, (int)room);
			if (n > 0) {
				s->in_end += (size_t)n;
				ack_now(s);
				return STREAM_OK;
			}
			int w = ssl_wait(s, n, deadline);
			if (w != STREAM_OK)
				return w;
			continue;
		}
		ssize_t n = read(s->fd, s->in + s->in_end, room);
		if (n > 0) {
			s->in_end += (size_t)n;
			ack_now(s);
			return STREAM_OK;
		}
		if (n == 0)
			return STREAM_EOF;
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return STREAM_ERROR;
		int w = wait_fd(s, POLLIN, deadline);
		if (w != STREAM_OK)
			return w;
	}
}

size_t stream_buffered(const struct stream *s)
{
	return s->in_end - s->in_pos;
}

int stream_read_line(struct stream *s, struct buf *line, size_t max, size_t discard_max)
{
	/* A whole line within the timeout: trickling bytes does not keep an
	 * idle connection open. */
	long long deadline = now_ms() + s->timeout_ms;
	size_t seen = 0;
	int too_long = 0;
	buf_reset(line);
	for (;;) {
		unsigned char *start = s->in + s->in_pos;
		size_t avail = s->in_end - s->in_pos;
		unsigned char *lf = memchr(start, '\n', avail);
		size_t take = lf ? (size_t)(lf - start) : avail;
		seen += take;
		if (!too_long && line->len + take > max)
			too_long = 1;
		if (!too_long)
			buf_add(line, start, take);
		if (lf != NULL) {
			s->in_pos += take + 1;
			if (too_long)
				return STREAM_TOO_LONG;
			if (line->len > 0 && line->data[line->len - 1] == '\r')
				line->len--;
			buf_cstr(line);
			return STREAM_OK;
		}
		s->in_pos += take;
		if (seen > discard_max)
			return STREAM_ERROR;
		int r = fill(s, deadline);
		if (r != STREAM_OK)
			return r;
	}
}

int stream_read_exact(struct stream *s, struct buf *out, size_t n)
{
	while (n > 0) {
		/* A literal may be long: the timeout is for each wait. */
		if (s->in_pos == s->in_end) {
			int r = fill(s, now_ms() + s->timeout_ms);
			if (r != STREAM_OK)
				return r;
		}
		size_t take = s->in_end - s->in_pos;
		if (take > n)
			take = n;
		if (buf_add(out, s->in + s->in_pos, take) != 0)
			return STREAM_ERROR;
		s->in_pos += take;
		n -= take;
	}
	return STREAM_OK;
}

int stream_wait_input(struct stream *s, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	for (;;) {
		/* Bytes already here (or decrypted by TLS) need no wait. */
		if (stream_buffered(s) > 0 || (s->ssl != NULL && SSL_pending(s->ssl) > 0))
			return STREAM_OK;
		if (s->stop != NULL && *s->stop)
			return STREAM_STOPPED;
		long long left = deadline - now_ms();
		if (left <= 0)
			return STREAM_TIMEOUT;
		struct pollfd p = {.fd = s->fd, .events = POLLIN};
		int n = poll(&p, 1, left > 1000 ? 1000 : (int)left);
		if (n < 0 && errno != EINTR)
			return STREAM_ERROR;
		if (n > 0 && p.revents)
			return STREAM_OK;
	}
}

static int send_all(struct stream *s, const char *data, size_t len)
{
	long long deadline = now_ms() + s->timeout_ms;
	while (len > 0) {
		if (s->ssl != NULL) {
			size_t written = 0;
			int n = SSL_write_ex(s->ssl, data, len, &written);
			if (n > 0) {
				data += written;
				len -= written;
				continue;
			}
			int w = ssl_wait(s, n, deadline);
			if (w != STREAM_OK)
				return w;
			continue;
		}
		ssize_t n = write(s->fd, data, len);
		if (n > 0) {
			data += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return STREAM_ERROR;
		int w = wait_fd(s, POLLOUT, deadline);
		if (w != STREAM_OK)
			return w;
	}
	return STREAM_OK;
}

int stream_flush(struct stream *s)
{
	int r = send_all(s, s->out.data, s->out.len);
	buf_reset(&s->out);
	return r;
}

int stream_write(struct stream *s, const void *data, size_t len)
{
	if (s->out.len + len > STREAM_OUT_HIGH) {
		int r = stream_flush(s);
		if (r != STREAM_OK)
			return r;
		if (len > STREAM_OUT_HIGH)
			return send_all(s, data, len);
	}
	return buf_add(&s->out, data, len) == 0 ? STREAM_OK : STREAM_ERROR;
}

int stream_puts(struct stream *s, const char *text)
{
	return stream_write(s, text, strlen(text));
}

int stream_printf(struct stream *s, const char *fmt, ...)
{
	if (s->out.len > STREAM_OUT_HIGH && stream_flush(s) != STREAM_OK)
		return STREAM_ERROR;
	va_list ap;
	va_start(ap, fmt);
	int r = buf_vprintf(&s->out, fmt, ap);
	va_end(ap);
	return r == 0 ? STREAM_OK : STREAM_ERROR;
}

int stream_start_tls(struct stream *s, SSL_CTX *ctx, size_t *discarded_r)
{
	*discarded_r = stream_buffered(s);
	s->in_pos = s->in_end = 0;
	s->ssl = SSL_new(ctx);
	if (s->ssl == NULL || SSL_set_fd(s->ssl, s->fd) != 1)
		return STREAM_ERROR;
	long long deadline = now_ms() + s->timeout_ms;
	for (;;) {
		int n = SSL_accept(s->ssl);
		if (n == 1)
			return STREAM_OK;
		int w = ssl_wait(s, n, deadline);
		if (w != STREAM_OK)
			return w;
	}
}
