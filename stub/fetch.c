/*
 * fetch.c -- reading a message in chunks: mailrpc_fetch for one chunk,
 * mailrpc_download for a whole message, resumable, checked against the
 * server's SHA-256 (the check covers bytes kept from an earlier attempt).
 */
#include <errno.h>
#include <openssl/evp.h>
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
	mr_fetch_args args = {.id = id, .offset = offset,
			      .length = len > MAILRPC_CHUNK_MAX ? MAILRPC_CHUNK_MAX : (u_int)len};
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

static int write_all(int fd, const unsigned char *p, size_t n)
{
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

/* Hashes what an earlier attempt left in fd; leaves fd at its end. */
static int digest_existing(int fd, EVP_MD_CTX *md, uint64_t *have_r, struct mailrpc_error *err)
{
	unsigned char buf[65536];
	*have_r = 0;
	if (lseek(fd, 0, SEEK_SET) < 0)
		return mr_fail(err, MAILRPC_E_IO, "--resume needs a regular file: %s", strerror(errno));
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return mr_fail(err, MAILRPC_E_IO, "cannot read the partial file: %s",
				       strerror(errno));
		if (n == 0)
			return MAILRPC_OK;
		EVP_DigestUpdate(md, buf, (size_t)n);
		*have_r += (uint64_t)n;
	}
}

int mailrpc_download(struct mailrpc *conn, uint64_t id, int fd, int resume,
		     mailrpc_progress_fn progress, void *ctx, struct mailrpc_error *err)
{
	unsigned char *buf = malloc(MAILRPC_CHUNK_MAX);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char want[32], got_digest[32];
	uint64_t offset = 0, size = 0;
	int status;

	if (buf == NULL || md == NULL || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		status = mr_fail(err, MAILRPC_E_NOMEM, "out of memory");
		goto cleanup;
	}
	if (resume && (status = digest_existing(fd, md, &offset, err)) != MAILRPC_OK)
		goto cleanup;
	do {
		size_t got = 0;
		status = mailrpc_fetch(conn, id, offset, buf, MAILRPC_CHUNK_MAX, &got, &size, want, err);
		if (status == MAILRPC_E_INVALID && resume) {
			mr_fail(err, status, "the partial file (%llu bytes) is longer than message %llu; download it again without --resume",
				(unsigned long long)offset, (unsigned long long)id);
			goto cleanup;
		}
		if (status != MAILRPC_OK)
			goto cleanup;
		if (got == 0 && offset < size) {
			status = mr_fail(err, MAILRPC_E_RPC, "server sent no data at offset %llu of %llu",
					 (unsigned long long)offset, (unsigned long long)size);
			goto cleanup;
		}
		if (write_all(fd, buf, got) != 0) {
			status = mr_fail(err, MAILRPC_E_IO, "cannot write the message: %s", strerror(errno));
			goto cleanup;
		}
		EVP_DigestUpdate(md, buf, got);
		offset += got;
		if (progress)
			progress(offset, size, ctx);
	} while (offset < size);

	EVP_DigestFinal_ex(md, got_digest, NULL);
	if (memcmp(got_digest, want, sizeof(want)) != 0)
		status = mr_fail(err, MAILRPC_E_CORRUPT,
				 "message %llu does not match the server's SHA-256%s",
				 (unsigned long long)id,
				 resume ? "; the partial file was not the start of this message: download it again without --resume" : "");
cleanup:
	EVP_MD_CTX_free(md);
	free(buf);
	return status;
}
