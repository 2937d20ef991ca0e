/*
 * cmd_export.c -- mailrpc-admin export USER FOLDER PATH.mbox: a folder as
 * an mboxrd file (mbox.h), oldest id first, each message dated with its
 * received time.  The file appears complete or not at all: it is written
 * under a temporary name, synced, then renamed.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin.h"
#include "mbox.h"

#define SYNOPSIS "export USER FOLDER PATH.mbox"

static int write_failed(const char *path)
{
	fprintf(stderr, "mailrpc-admin: export: cannot write %s: %s\n", path, strerror(errno));
	return 1;
}

static int export_message(store_t *st, const char *user, const store_msginfo_t *m, FILE *f,
			  const char *path)
{
	char what[64];
	size_t got = 0;
	char *body = malloc(m->size ? (size_t)m->size : 1);
	if (body == NULL)
		return write_failed(path);
	int rc = store_message_fetch(st, user, m->id, 0, body, (size_t)m->size, &got);
	int status = 0;
	if (rc == STORE_OK && got != m->size)
		rc = STORE_INTERNAL;
	if (rc != STORE_OK) {
		snprintf(what, sizeof(what), "export: message %llu", (unsigned long long)m->id);
		status = admin_fail(what, rc);
	} else if (mbox_write(f, body, got, m->received) != 0) {
		status = write_failed(path);
	}
	free(body);
	return status;
}

/* Every message of the folder, a page of ids at a time. */
static int export_folder(store_t *st, const char *user, const char *folder, FILE *f,
			 const char *path, uint64_t *count_r)
{
	store_list_query_t q = {.sort = STORE_SORT_ID, .limit = STORE_LIST_MAX};
	store_msglist_t *page = NULL;
	int status = 0, more;
	*count_r = 0;
	do {
		int rc = store_message_list(st, user, folder, &q, &page);
		if (rc != STORE_OK)
			return admin_fail(folder, rc);
		for (size_t i = 0; status == 0 && i < page->count; i++)
			status = export_message(st, user, &page->items[i], f, path);
		*count_r += status == 0 ? page->count : 0;
		q.offset += page->count;
		more = status == 0 && page->more && page->count > 0;
		store_msglist_free(&page);
	} while (more);
	return status;
}

/* Flushes to disk and gives the file its name. */
static int publish(FILE *f, const char *tmp, const char *path)
{
	int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) != 0)
		return write_failed(path);
	return 0;
}

int admin_export(struct admin *a, int argc, char **argv)
{
	char tmp[PATH_MAX];
	uint64_t count = 0;
	if (argc != 4)
		return admin_usage(SYNOPSIS);
	const char *user = argv[1], *folder = argv[2], *path = argv[3];
	/* The rename at the end would replace whatever is there: a device
	 * (/dev/null!) or a link must not silently become a plain file. */
	struct stat st_path;
	if (lstat(path, &st_path) == 0 && !S_ISREG(st_path.st_mode)) {
		fprintf(stderr, "mailrpc-admin: %s exists and is not a regular file\n", path);
		return 1;
	}
	store_t *st = admin_store(a);
	store_folder_info_t info;
	int rc = store_folder_get(st, user, folder, &info);
	if (rc != STORE_OK) {
		char what[STORE_NAME_MAX + STORE_PATH_MAX + 16];
		snprintf(what, sizeof(what), "export: %s %s", user, folder);
		return admin_fail(what, rc);
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return write_failed(path);
	}
	int fd = mkstemp(tmp); /* mode 0600: it holds someone's mail */
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f == NULL) {
		int saved = errno;
		if (fd >= 0)
			close(fd);
		errno = saved;
		return write_failed(path);
	}
	int status = export_folder(st, user, folder, f, path, &count);
	if (status == 0)
		status = publish(f, tmp, path);
	else
		fclose(f);
	if (status != 0)
		unlink(tmp);
	else
		printf("exported %llu messages to %s\n", (unsigned long long)count, path);
	return status;
}
