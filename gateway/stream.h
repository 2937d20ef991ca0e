/*
 * stream.h -- one client connection's bytes, plain or TLS (OpenSSL), with
 * an input buffer, an output buffer and a deadline on every wait.
 *
 * Reads never wait longer than the timeout in force: a line must arrive
 * whole within it (a client trickling bytes is idle too), a literal must
 * keep arriving; otherwise STREAM_TIMEOUT.  Lines are bounded: a longer one is read to its end and
 * thrown away (up to a cap, past which the connection is given up).
 */
#ifndef GW_STREAM_H
#define GW_STREAM_H

#include <openssl/ssl.h>
#include <stddef.h>

#include "buf.h"

enum stream_status {
	STREAM_OK = 0,
	STREAM_EOF = -1,      /* the client closed, or TLS was cut */
	STREAM_TIMEOUT = -2,  /* nothing came within the timeout */
	STREAM_ERROR = -3,    /* the connection broke */
	STREAM_TOO_LONG = -4, /* a line past the limit was discarded; the next line follows */
	STREAM_STOPPED = -5,  /* the daemon is stopping */
};

#define STREAM_INBUF 16384

struct stream {
	int fd;
	SSL *ssl;	    /* NULL until TLS starts */
	int timeout_ms;	    /* longest wait for the client */
	volatile int *stop; /* set by SIGTERM: waits end with STREAM_STOPPED */
	unsigned char in[STREAM_INBUF];
	size_t in_pos, in_end;
	struct buf out;
};

void stream_init(struct stream *s, int fd, int timeout_ms, volatile int *stop);
/* Shuts TLS down politely (best effort) and frees; the fd is the caller's. */
void stream_free(struct stream *s);

/*
 * Starts TLS as the server.  Anything the client sent before the handshake
 * and that is still unread is thrown away first (a man in the middle could
 * have put it there: the STARTTLS command-injection class of bugs); the
 * count discarded goes to *discarded_r.  Flush any response before.
 */
int stream_start_tls(struct stream *s, SSL_CTX *ctx, size_t *discarded_r);

/* Bytes received and not yet consumed (plain text, or already decrypted). */
size_t stream_buffered(const struct stream *s);

/*
 * Reads one line into line (replacing its content), without its CRLF or
 * LF.  A line longer than max is consumed up to its end (at most
 * discard_max bytes, else STREAM_ERROR) and STREAM_TOO_LONG returned.
 */
int stream_read_line(struct stream *s, struct buf *line, size_t max, size_t discard_max);

/* Appends exactly n bytes to out (whose limit must allow them). */
int stream_read_exact(struct stream *s, struct buf *out, size_t n);

/* Waits until the client has sent something, at most timeout_ms:
 * STREAM_OK, else STREAM_TIMEOUT, STREAM_STOPPED or STREAM_ERROR. */
int stream_wait_input(struct stream *s, int timeout_ms);

/* Output is buffered until stream_flush. */
int stream_write(struct stream *s, const void *data, size_t len);
int stream_puts(struct stream *s, const char *text);
int stream_printf(struct stream *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int stream_flush(struct stream *s);

#endif
