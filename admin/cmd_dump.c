/*
 * cmd_dump.c -- mailrpc-admin dump USER FILE: a complete backup of one
 * mailbox (folders, messages byte-exact with ids, flags and received
 * times, ACLs, quota, disabled flag, next message id), read as one
 * consistent snapshot (store_dump.h) and written in the format of
 * dump_format.h.  The file is new (an existing file or link there is
 * refused), private (0600 whatever the umask) and synced before success
 * is reported; a failed dump removes it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "admin.h"
#include "dump_format.h"
#include "store_dump.h"

struct writer {
	FILE *out;
	const char *user;
	uint64_t body_left; /* bytes of the current message still to come */
	uint64_t messages;
	int write_errno; /* why writing the file failed; 0: it did not */
};

/* A failed write stops the walk; the error is the file's, not the store's. */
static int written(struct writer *w)
{
	if (!ferror(w->out))
		return STORE_OK;
	w->write_errno = errno != 0 ? errno : EIO;
	return STORE_INTERNAL;
}

static int put_head(void *ctx, const store_dump_head_t *h)
{
	struct writer *w = ctx;
	fprintf(w->out, "%s %d\nmailbox ", DUMP_MAGIC, DUMP_VERSION);
	dump_put_field(w->out, w->user);
	fprintf(w->out,
		"\nnext-id %" PRIu64 "\nquota %" PRIu64 "\ndisabled %d\nfolders %" PRIu64
		"\nacls %" PRIu64 "\nmessages %" PRIu64 "\n",
		h->next_id, h->quota, h->disabled, h->folders, h->acls, h->messages);
	return written(w);
}

static int put_folder(void *ctx, const char *path)
{
	struct writer *w = ctx;
	fputs("folder ", w->out);
	dump_put_field(w->out, path);
	fputc('\n', w->out);
	return written(w);
}

static int put_acl(void *ctx, const store_acl_entry_t *e)
{
	struct writer *w = ctx;
	char letters[16];
	fputs("acl ", w->out);
	dump_put_field(w->out, e->path[0] != '\0' ? e->path : "/");
	fputc(' ', w->out);
	dump_put_field(w->out, e->principal);
	fprintf(w->out, " %s\n", store_rights_format(e->rights, letters));
	return written(w);
}

/* "message ID FLAGS RECEIVED SIZE SHA256 FOLDER", then SIZE bytes and
 * "\n" (put_body ends a non-empty body). */
static int put_message(void *ctx, const store_dump_msg_t *m)
{
	struct writer *w = ctx;
	char sha[65];
	dump_format_sha256(m->sha256, sha);
	fprintf(w->out, "message %" PRIu64 " %" PRIu32 " %" PRId64 " %" PRIu64 " %s ", m->id,
		m->flags, m->received, m->size, sha);
	dump_put_field(w->out, m->folder);
	fputc('\n', w->out);
	w->body_left = m->size;
	w->messages++;
	if (m->size == 0)
		fputc('\n', w->out);
	return written(w);
}

static int put_body(void *ctx, const void *p, size_t n)
{
	struct writer *w = ctx;
	if (n > w->body_left)
		return STORE_INTERNAL;
	fwrite(p, 1, n, w->out);
	w->body_left -= n;
	if (w->body_left == 0)
		fputc('\n', w->out);
	return written(w);
}

static const store_dump_visitor_t writer_visitor = {
    .head = put_head,
    .folder = put_folder,
    .acl = put_acl,
    .message = put_message,
    .body = put_body,
};

/* A new private file: never an existing one, never through a link. */
static FILE *create_private(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	FILE *f = fchmod(fd, 0600) == 0 ? fdopen(fd, "w") : NULL;
	if (f == NULL) {
		int saved = errno;
		close(fd);
		unlink(path);
		errno = saved;
	}
	return f;
}

/* Flushes to disk and closes; 0, or -1 with errno of the first failure. */
static int finish(FILE *f)
{
	int rc = fflush(f) == 0 && fsync(fileno(f)) == 0 ? 0 : -1;
	int saved = errno;
	if (fclose(f) != 0 && rc == 0)
		return -1;
	errno = saved;
	return rc;
}

int admin_dump(struct admin *a, int argc, char **argv)
{
	if (argc != 3)
		return admin_usage("dump USER FILE");
	store_t *st = admin_store(a);
	struct writer w = {.user = argv[1]};
	const char *path = argv[2];
	store_mailbox_info_t info;
	int rc = store_mailbox_info(st, w.user, &info);
	if (rc != STORE_OK)
		return admin_fail(w.user, rc);
	if ((w.out = create_private(path)) == NULL) {
		fprintf(stderr, "mailrpc-admin: cannot create %s: %s\n", path, strerror(errno));
		return 1;
	}
	rc = store_dump(st, w.user, &writer_visitor, &w);
	if (rc == STORE_OK)
		fputs("end\n", w.out);
	if (finish(w.out) != 0 && w.write_errno == 0)
		w.write_errno = errno;
	if (w.write_errno != 0)
		fprintf(stderr, "mailrpc-admin: cannot write %s: %s\n", path,
			strerror(w.write_errno));
	else if (rc != STORE_OK)
		admin_fail("dump", rc);
	if (rc != STORE_OK || w.write_errno != 0) {
		unlink(path);
		return 1;
	}
	fprintf(stderr, "mailrpc-admin: dumped %s: %" PRIu64 " messages to %s\n", w.user,
		w.messages, path);
	return 0;
}
