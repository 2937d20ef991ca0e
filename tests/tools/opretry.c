/*
 * opretry.c -- a commit whose reply is lost, retried with the same
 * operation id, through libmailrpc's low-level calls (the CLI cannot
 * lose a reply on purpose).  The state file keeps the upload and op id,
 * so the retry may come from another process, after a server restart.
 *
 *   opretry SERVER append FILE FOLDER STATE   upload FILE, commit it to FOLDER
 *                                             with a new op id; print the id
 *   opretry SERVER send FILE RCPT STATE       the same, sent to RCPT
 *   opretry SERVER retry STATE FOLDER|RCPT    the same commit again, same op id
 *   opretry SERVER other STATE FOLDER         the same upload, a new op id
 * Prints the message id (sent copy for send), or "error: MSG" and exits 1.
 */
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mailrpc.h"

struct state {
	char kind[8];                       /* "append" or "send" */
	uint64_t upload;
	unsigned char op[MAILRPC_OPID_SIZE];
};

static int save(const char *path, const struct state *s)
{
	FILE *f = fopen(path, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "%s %llu ", s->kind, (unsigned long long)s->upload);
	for (int i = 0; i < MAILRPC_OPID_SIZE; i++)
		fprintf(f, "%02x", s->op[i]);
	fprintf(f, "\n");
	return fclose(f);
}

static int load(const char *path, struct state *s)
{
	FILE *f = fopen(path, "r");
	unsigned long long up;
	char hex[2 * MAILRPC_OPID_SIZE + 1];
	int ok = f && fscanf(f, "%7s %llu %32s", s->kind, &up, hex) == 3 &&
		 strlen(hex) == 2 * MAILRPC_OPID_SIZE;
	if (f)
		fclose(f);
	if (!ok)
		return -1;
	s->upload = up;
	for (int i = 0; i < MAILRPC_OPID_SIZE; i++)
		sscanf(hex + 2 * i, "%2hhx", &s->op[i]);
	return 0;
}

/* Uploads the whole file (at most one chunk: test messages are small). */
static int upload(struct mailrpc *conn, const char *file, uint64_t *upload_r,
		  struct mailrpc_error *err)
{
	static char buf[65536];
	unsigned char sha[32];
	int fd = open(file, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
	if (fd >= 0)
		close(fd);
	if (n < 0 || !EVP_Digest(buf, (size_t)n, sha, NULL, EVP_sha256(), NULL)) {
		snprintf(err->message, sizeof(err->message), "cannot read %s", file);
		return -1;
	}
	uint64_t received;
	int status = mailrpc_upload_begin(conn, (uint64_t)n, sha, upload_r, err);
	if (status == MAILRPC_OK)
		status = mailrpc_upload_append(conn, *upload_r, 0, buf, (size_t)n, &received, err);
	return status;
}

static int commit(struct mailrpc *conn, const struct state *s, const char *where, uint64_t *id_r,
		  struct mailrpc_error *err)
{
	const char *rcpts[] = {where};
	if (strcmp(s->kind, "send") == 0)
		return mailrpc_upload_commit_submit_op(conn, s->upload, NULL, rcpts, 1, s->op, id_r, err);
	return mailrpc_upload_commit_append_op(conn, s->upload, where, 0, s->op, id_r, err);
}

static int run(struct mailrpc *conn, int argc, char **argv, uint64_t *id_r, struct mailrpc_error *err)
{
	struct state s;
	memset(&s, 0, sizeof(s));
	const char *mode = argv[2];
	if ((strcmp(mode, "append") == 0 || strcmp(mode, "send") == 0) && argc == 6) {
		snprintf(s.kind, sizeof(s.kind), "%s", mode);
		if (upload(conn, argv[3], &s.upload, err) != MAILRPC_OK ||
		    mailrpc_opid_new(s.op, err) != MAILRPC_OK || save(argv[5], &s) != 0)
			return -1;
		return commit(conn, &s, argv[4], id_r, err);
	}
	if ((strcmp(mode, "retry") == 0 || strcmp(mode, "other") == 0) && argc == 5) {
		if (load(argv[3], &s) != 0) {
			snprintf(err->message, sizeof(err->message), "bad state file %s", argv[3]);
			return -1;
		}
		if (strcmp(mode, "other") == 0 && mailrpc_opid_new(s.op, err) != MAILRPC_OK)
			return -1;
		return commit(conn, &s, argv[4], id_r, err);
	}
	snprintf(err->message, sizeof(err->message), "usage: see opretry.c");
	return -1;
}

int main(int argc, char **argv)
{
	struct mailrpc_options opts = {.server = argc > 1 ? argv[1] : NULL};
	struct mailrpc *conn = NULL;
	struct mailrpc_error err = {0};
	uint64_t id = 0;
	if (argc < 3) {
		fprintf(stderr, "usage: see opretry.c\n");
		return 64;
	}
	int status = mailrpc_connect(&opts, &conn, &err);
	if (status == MAILRPC_OK)
		status = run(conn, argc, argv, &id, &err);
	mailrpc_close(&conn);
	if (status != MAILRPC_OK) {
		printf("error: %s\n", err.message);
		return 1;
	}
	printf("%llu\n", (unsigned long long)id);
	return 0;
}
