/*
 * fetch.c -- reading a message in chunks: mailrpc_fetch for one chunk,
 * mailrpc_download for a whole message, resumable, checked against the
 * server's SHA-256 (the check covers bytes kept from an earlier attempt).
 * Large messages come over several connections at once (fetch_parallel.c):
 * one RPCSEC_GSS context carries one call at a time, and one stream of
 * privacy calls keeps only about one core busy.
 */
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

int mailrpc_fetch(struct mailrpc *conn, uint64_t id, uint64_t offset, void *buf, size_t len,
		  size_t *got_r, uint64_t *size_r, unsigned char *sha256_r, struct mailrpc_error *err)
{
	*got_r = 0;
	if (conn == NULL || (buf == NULL && len > 0))
		return mr_fail(err, MAILRPC_E_USAGE, "mailrpc_fetch: no connection or buffer");
	/* At most a chunk of the size that suits the link (link.h). */
	size_t chunk = mr_fetch_chunk_size(conn);
	mr_fetch_args args = {.id = id, .offset = offset, .length = len > chunk ? chunk : (u_int)len};
	mr_fetch_res res;
	memset(&res, 0, sizeof(res));
	int status = mr_call(conn, MR_MSG_FETCH, (xdrproc_t)xdr_mr_fetch_args, &args,
			     (xdrproc_t)xdr_mr_fetch_res, &res, err);
	if (status == MAILRPC_OK) {
		const mr_chunk *c = &res.mr_fetch_res_u.chunk;
		if (c->data.data_len > len) {
			status = mr_fail(err, MAILRPC_E_RPC, "server sent a chunk larger than asked for");
		} else {
			memcpy(buf, c->data.data_val, c->data.data_len);
			*got_r = c->data.data_len;
			if (size_r)
				*size_r = c->size;
			if (sha256_r)
				memcpy(sha256_r, c->sha256, 32);
		}
	} else if (status == MAILRPC_E_NOMESSAGE) {
		mr_annotate(err, "%llu", (unsigned long long)id);
	} else if (status == MAILRPC_E_INVALID) {
		mr_fail(err, status, "offset %llu is past the end of message %llu",
			(unsigned long long)offset, (unsigned long long)id);
	}
	xdr_free((xdrproc_t)xdr_mr_fetch_res, &res);
	return status;
}

int mr_write_all(int fd, const void *buf, size_t n)
{
	const unsigned char *p = buf;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int mr_sink_expect(const struct mr_sink *sink, uint64_t size, const unsigned char *sha256,
		   struct mailrpc_error *err)
{
	if (size != sink->size || memcmp(sha256, sink->sha256, sizeof(sink->sha256)) != 0)
		return mr_fail(err, MAILRPC_E_RPC,
			       "the server described the message differently between chunks");
	return MAILRPC_OK;
}

int mr_sink_write(struct mr_sink *sink, const void *buf, size_t len, struct mailrpc_error *err)
{
	if (mr_write_all(sink->fd, buf, len) != 0)
		return mr_fail(err, MAILRPC_E_IO, "cannot write the message: %s", strerror(errno));
	EVP_DigestUpdate(sink->md, buf, len);
	sink->offset += len;
	if (sink->progress)
		sink->progress(sink->offset, sink->size, sink->ctx);
	return MAILRPC_OK;
}

/* Hashes what an earlier attempt left in fd; leaves fd at its end. */
static int digest_existing(struct mr_sink *sink, struct mailrpc_error *err)
{
	unsigned char buf[65536];
	if (lseek(sink->fd, 0, SEEK_SET) < 0)
		return mr_fail(err, MAILRPC_E_IO, "--resume needs a regular file: %s", strerror(errno));
	for (;;) {
		ssize_t n = read(sink->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return mr_fail(err, MAILRPC_E_IO, "cannot read the partial file: %s",
				       strerror(errno));
		if (n == 0)
			return MAILRPC_OK;
		EVP_DigestUpdate(sink->md, buf, (size_t)n);
		sink->offset += (uint64_t)n;
	}
}

/* Fetches and writes the chunk at sink->offset; the first one (first != 0)
 * tells the message's size and digest, later ones must agree with it. */
static int fetch_next(struct mailrpc *conn, uint64_t id, struct mr_sink *sink, unsigned char *buf,
		      int first, struct mailrpc_error *err)
{
	size_t got = 0;
	uint64_t size = 0;
	unsigned char sha256[32];
	int status = mailrpc_fetch(conn, id, sink->offset, buf, MAILRPC_SEALED_CHUNK_MAX, &got,
				   &size, sha256, err);
	if (status != MAILRPC_OK)
		return status;
	if (first) {
		sink->size = size;
		memcpy(sink->sha256, sha256, sizeof(sha256));
	} else if ((status = mr_sink_expect(sink, size, sha256, err)) != MAILRPC_OK) {
		return status;
	}
	if (got == 0 && sink->offset < sink->size)
		return mr_fail(err, MAILRPC_E_RPC, "server sent no data at offset %llu of %llu",
			       (unsigned long long)sink->offset, (unsigned long long)sink->size);
	return mr_sink_write(sink, buf, got, err);
}

/* Below this many chunks, extra connections cost more than they bring. */
#define PARALLEL_MIN_CHUNKS 8
/* Extra streams help where one core's crypto is the limit; on a link
 * slower than this the link is, and streams would only share it. */
#define PARALLEL_MIN_RATE 8e6
#define STREAMS_MIN_DEFAULT 2
#define STREAMS_MAX_DEFAULT 4
#define STREAMS_MAX 16

/*
 * Connections per download: one per local core (each stream's unwrap keeps
 * about one core busy), 2 to 4.  MAILRPC_DOWNLOAD_STREAMS overrides it, and
 * is obeyed whatever the link's measured rate (1 turns parallel downloads
 * off; 2 or more makes every download of PARALLEL_MIN_CHUNKS or more
 * parallel: for measurements and tests, which must not depend on load).
 */
static const char *streams_setting(void)
{
	return getenv("MAILRPC_DOWNLOAD_STREAMS");
}

static int download_streams(void)
{
	const char *v = streams_setting();
	long n = v ? atol(v) : sysconf(_SC_NPROCESSORS_ONLN);
	if (v == NULL)
		n = n < STREAMS_MIN_DEFAULT ? STREAMS_MIN_DEFAULT
					    : n > STREAMS_MAX_DEFAULT ? STREAMS_MAX_DEFAULT : n;
	return n < 1 ? 1 : n > STREAMS_MAX ? STREAMS_MAX : (int)n;
}

/* Everything after the first chunk. */
static int fetch_rest(struct mailrpc *conn, uint64_t id, struct mr_sink *sink, unsigned char *buf,
		      struct mailrpc_error *err)
{
	int streams = download_streams();
	size_t chunk = mr_fetch_chunk_size(conn);
	uint64_t chunks = (sink->size - sink->offset + chunk - 1) / chunk;
	int fast = streams_setting() != NULL ||
		   (chunk == mr_link_max_chunk(&conn->link) &&
		    (conn->link.model.rate == 0 || conn->link.model.rate >= PARALLEL_MIN_RATE));
	if (streams > 1 && fast && chunks >= PARALLEL_MIN_CHUNKS)
		return mr_fetch_parallel(conn, id, sink, streams, chunk, err);
	int status = MAILRPC_OK;
	while (status == MAILRPC_OK && sink->offset < sink->size)
		status = fetch_next(conn, id, sink, buf, 0, err);
	return status;
}

int mailrpc_download(struct mailrpc *conn, uint64_t id, int fd, int resume,
		     mailrpc_progress_fn progress, void *ctx, struct mailrpc_error *err)
{
	struct mr_sink sink = {.fd = fd, .md = EVP_MD_CTX_new(), .progress = progress, .ctx = ctx};
	unsigned char *buf = malloc(MAILRPC_SEALED_CHUNK_MAX);
	unsigned char got_digest[32];
	int status;

	if (conn == NULL) {
		status = mr_fail(err, MAILRPC_E_USAGE, "mailrpc_download: no connection");
		goto cleanup;
	}
	if (buf == NULL || sink.md == NULL || !EVP_DigestInit_ex(sink.md, EVP_sha256(), NULL)) {
		status = mr_fail(err, MAILRPC_E_NOMEM, "out of memory");
		goto cleanup;
	}
	if (resume && (status = digest_existing(&sink, err)) != MAILRPC_OK)
		goto cleanup;
	status = fetch_next(conn, id, &sink, buf, 1, err);
	if (status == MAILRPC_E_INVALID && resume) {
		mr_fail(err, status, "the partial file (%llu bytes) is longer than message %llu; download it again without --resume",
			(unsigned long long)sink.offset, (unsigned long long)id);
		goto cleanup;
	}
	if (status == MAILRPC_OK)
		status = fetch_rest(conn, id, &sink, buf, err);
	if (status != MAILRPC_OK)
		goto cleanup;

	EVP_DigestFinal_ex(sink.md, got_digest, NULL);
	if (memcmp(got_digest, sink.sha256, sizeof(got_digest)) != 0)
		status = mr_fail(err, MAILRPC_E_CORRUPT,
				 "message %llu does not match the server's SHA-256%s",
				 (unsigned long long)id,
				 resume ? "; the partial file was not the start of this message: download it again without --resume" : "");
cleanup:
	EVP_MD_CTX_free(sink.md);
	free(buf);
	return status;
}
