/*
 * put.c -- mailrpc_put and mailrpc_send: everything readable from a file
 * descriptor, uploaded in chunks and committed.
 *
 * A message that fits one chunk is stored by one call (append.c).  The
 * bytes are measured and hashed before the upload begins (the server
 * checks both at commit), so a pipe is first spooled to an unlinked
 * temporary file.  With a state directory, the upload id is remembered
 * under a name derived from the server and the bytes' SHA-256: running the
 * same put or send again after an interruption resumes where it stopped.
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

struct source {
	int fd;              /* regular file to pread from */
	int owned;           /* fd is our spool file */
	uint64_t size;
	unsigned char sha256[32];
	char state_path[1100]; /* "" when not remembered */
};

static int read_some(int fd, void *buf, size_t len, size_t *got_r)
{
	for (;;) {
		ssize_t n = read(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		*got_r = (size_t)n;
		return 0;
	}
}

/* Copies a pipe to an unlinked temporary file so it can be measured and re-read. */
static int spool(int in, int *fd_r, struct mailrpc_error *err)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char path[1024];
	snprintf(path, sizeof(path), "%s/mailrpc-spool-XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd < 0)
		return mr_fail(err, MAILRPC_E_IO, "cannot create a spool file in %s: %s", dir,
			       strerror(errno));
	unlink(path);
	char buf[65536];
	size_t got;
	while (read_some(in, buf, sizeof(buf), &got) == 0 && got > 0) {
		if (write(fd, buf, got) != (ssize_t)got) {
			close(fd);
			return mr_fail(err, MAILRPC_E_IO, "cannot spool the message: %s", strerror(errno));
		}
	}
	*fd_r = fd;
	return MAILRPC_OK;
}

static int measure(struct source *src, struct mailrpc_error *err)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char buf[65536];
	uint64_t off = 0;
	int status = MAILRPC_OK;
	if (md == NULL || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		status = mr_fail(err, MAILRPC_E_NOMEM, "out of memory");
		goto cleanup;
	}
	for (;;) {
		ssize_t n = pread(src->fd, buf, sizeof(buf), (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			status = mr_fail(err, MAILRPC_E_IO, "cannot read the message: %s", strerror(errno));
			goto cleanup;
		}
		if (n == 0)
			break;
		EVP_DigestUpdate(md, buf, (size_t)n);
		off += (uint64_t)n;
	}
	EVP_DigestFinal_ex(md, src->sha256, NULL);
	src->size = off;
cleanup:
	EVP_MD_CTX_free(md);
	return status;
}

static int source_open(int fd, struct source *src, struct mailrpc_error *err)
{
	struct stat st;
	memset(src, 0, sizeof(*src));
	src->fd = fd;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		int status = spool(fd, &src->fd, err);
		if (status != MAILRPC_OK)
			return status;
		src->owned = 1;
	}
	return measure(src, err);
}

static void source_close(struct source *src)
{
	if (src->owned)
		close(src->fd);
}

/* The state file's name: which server, which bytes. */
static void state_path(struct mailrpc *conn, struct source *src)
{
	if (conn->state_dir[0] == '\0')
		return;
	const char *server = conn->link.p.server;
	unsigned char key[32];
	char hex[65];
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (md == NULL)
		return;
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	EVP_DigestUpdate(md, server, strlen(server));
	EVP_DigestUpdate(md, src->sha256, sizeof(src->sha256));
	EVP_DigestFinal_ex(md, key, NULL);
	EVP_MD_CTX_free(md);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	snprintf(src->state_path, sizeof(src->state_path), "%s/upload-%s", conn->state_dir, hex);
}

/* The remembered upload id, 0 if none (or the file is not one to trust:
 * a symbolic link, someone else's). */
static uint64_t state_load(const struct source *src)
{
	char text[32];
	int fd;
	if (src->state_path[0] == '\0' ||
	    mr_state_open(src->state_path, O_RDONLY, &fd, NULL) != MAILRPC_OK)
		return 0;
	ssize_t n = read(fd, text, sizeof(text) - 1);
	close(fd);
	unsigned long long upload = 0;
	if (n > 0) {
		text[n] = '\0';
		if (sscanf(text, "%llu", &upload) != 1)
			upload = 0;
	}
	return upload;
}

/* Best effort: losing it only means the next attempt starts from zero. */
static void state_save(const struct source *src, uint64_t upload)
{
	if (src->state_path[0] == '\0')
		return;
	char text[32];
	int n = snprintf(text, sizeof(text), "%llu\n", (unsigned long long)upload);
	mr_state_replace(src->state_path, text, (size_t)n, NULL);
}

static void state_forget(const struct source *src)
{
	if (src->state_path[0])
		unlink(src->state_path);
}

/* Finds where a remembered upload stands, or begins a new one. */
static int upload_start(struct mailrpc *conn, struct source *src, uint64_t *upload_r,
			uint64_t *offset_r, struct mailrpc_error *err)
{
	uint64_t upload = state_load(src), received = 0, size = 0;
	*offset_r = 0;
	if (upload != 0 && mailrpc_upload_status(conn, upload, &received, &size, NULL) == MAILRPC_OK &&
	    size == src->size && received <= size) {
		*upload_r = upload;
		*offset_r = received;
		return MAILRPC_OK;
	}
	int status = mailrpc_upload_begin(conn, src->size, src->sha256, upload_r, err);
	if (status == MAILRPC_OK)
		state_save(src, *upload_r);
	return status;
}

static int upload_all(struct mailrpc *conn, struct source *src, mailrpc_progress_fn progress,
		      void *ctx, uint64_t *upload_r, struct mailrpc_error *err)
{
	unsigned char *buf = malloc(MAILRPC_CHUNK_MAX);
	uint64_t offset;
	if (buf == NULL)
		return mr_fail(err, MAILRPC_E_NOMEM, "out of memory");
	int status = upload_start(conn, src, upload_r, &offset, err);
	while (status == MAILRPC_OK && offset < src->size) {
		/* Chosen again for each chunk: the link's speed is measured as we go. */
		size_t chunk = mr_chunk_size(conn);
		size_t want = src->size - offset < chunk ? (size_t)(src->size - offset) : chunk;
		ssize_t n = pread(src->fd, buf, want, (off_t)offset);
		if (n != (ssize_t)want) {
			status = mr_fail(err, MAILRPC_E_IO, "the message changed while being sent");
			break;
		}
		uint64_t received = 0;
		status = mailrpc_upload_append(conn, *upload_r, offset, buf, want, &received, err);
		/* Out of step (a reply lost): the server says where to go on. */
		if (status == MAILRPC_E_OFFSET && received <= src->size)
			status = MAILRPC_OK;
		offset = received;
		if (status == MAILRPC_OK && progress)
			progress(offset, src->size, ctx);
	}
	free(buf);
	return status;
}

/* The largest message put in one call: one chunk of the size this link
 * carries in a couple of seconds (a bigger one is uploaded in chunks, so
 * that a cut loses little). */
static uint64_t append_max(struct mailrpc *conn)
{
	return mr_chunk_size(conn);
}

/* A message of one chunk: read whole, stored by one call. */
static int append_whole(struct mailrpc *conn, struct source *src, const char *folder,
			unsigned flags, uint64_t *id_r, struct mailrpc_error *err)
{
	unsigned char *buf = malloc(src->size ? src->size : 1);
	if (buf == NULL)
		return mr_fail(err, MAILRPC_E_NOMEM, "out of memory");
	ssize_t n = pread(src->fd, buf, src->size, 0);
	int status = n == (ssize_t)src->size
			     ? mailrpc_append(conn, folder, buf, src->size, flags, id_r, err)
			     : mr_fail(err, MAILRPC_E_IO, "the message changed while being sent");
	free(buf);
	return status;
}

/* Runs the upload, then commit; forgets the state only once committed. */
static int put_or_send(struct mailrpc *conn, int fd, const char *folder, unsigned flags,
		       const char *from, const char *const *rcpts, size_t n,
		       mailrpc_progress_fn progress, void *ctx, uint64_t *id_r,
		       struct mailrpc_sent *sent_r, struct mailrpc_error *err)
{
	struct source src;
	uint64_t upload = 0;
	*id_r = 0;
	if (conn == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "not connected");
	int status = source_open(fd, &src, err);
	if (status != MAILRPC_OK)
		return status;
	if (folder != NULL && src.size <= append_max(conn)) {
		status = append_whole(conn, &src, folder, flags, id_r, err);
		if (status == MAILRPC_OK && progress)
			progress(src.size, src.size, ctx);
		source_close(&src);
		return status;
	}
	state_path(conn, &src);
	status = upload_all(conn, &src, progress, ctx, &upload, err);
	if (status == MAILRPC_OK)
		status = folder ? mailrpc_upload_commit_append(conn, upload, folder, flags, id_r, err)
				: mailrpc_upload_commit_send(conn, upload, from, rcpts, n, sent_r, err);
	/* Keep the upload only for a retry that can succeed: after a lost
	 * connection, a busy store or an expired ticket.  A refusal (no such
	 * folder, unknown recipient, over quota...) needs a new command. */
	int retryable = status >= 100 || status == MAILRPC_E_BUSY || status == MAILRPC_E_INTERNAL;
	if (status != MAILRPC_OK && !retryable && upload != 0)
		mailrpc_upload_abort(conn, upload, NULL);
	if (status == MAILRPC_OK || !retryable)
		state_forget(&src);
	source_close(&src);
	return status;
}

int mailrpc_put(struct mailrpc *conn, const char *folder, int fd, unsigned flags,
		mailrpc_progress_fn progress, void *ctx, uint64_t *id_r, struct mailrpc_error *err)
{
	*id_r = 0;
	if (folder == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "mailrpc_put: no folder");
	/* Refuse a bad folder name before uploading megabytes for nothing. */
	int status = mr_check_path(folder, err);
	if (status != MAILRPC_OK)
		return status;
	return put_or_send(conn, fd, folder, flags, NULL, NULL, 0, progress, ctx, id_r, NULL, err);
}

int mailrpc_send(struct mailrpc *conn, const char *const *rcpts, size_t n, int fd,
		 mailrpc_progress_fn progress, void *ctx, uint64_t *sent_id_r,
		 struct mailrpc_error *err)
{
	return mailrpc_send_as(conn, NULL, rcpts, n, fd, progress, ctx, sent_id_r, err);
}

int mailrpc_send_as(struct mailrpc *conn, const char *from, const char *const *rcpts, size_t n,
		    int fd, mailrpc_progress_fn progress, void *ctx, uint64_t *sent_id_r,
		    struct mailrpc_error *err)
{
	struct mailrpc_sent sent;
	int status = mailrpc_send_report(conn, from, rcpts, n, fd, progress, ctx, &sent, err);
	*sent_id_r = sent.sent_id;
	return status;
}

int mailrpc_send_report(struct mailrpc *conn, const char *from, const char *const *rcpts,
			size_t n, int fd, mailrpc_progress_fn progress, void *ctx,
			struct mailrpc_sent *sent_r, struct mailrpc_error *err)
{
	uint64_t unused;
	memset(sent_r, 0, sizeof(*sent_r));
	if (rcpts == NULL || n == 0)
		return mr_fail(err, MAILRPC_E_USAGE, "mailrpc_send: no recipients");
	return put_or_send(conn, fd, NULL, 0, from, rcpts, n, progress, ctx, &unused, sent_r, err);
}
