/*
 * maildir.c -- lists a Maildir's messages with flags and dates, and reads
 * one message file (rules in maildir.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "maildir.h"
#include "store.h"

static const char *const subdirs[2] = {"new", "cur"};

/* sub of the directory open as fd (AT_FDCWD: the current one), as a
 * directory that is no link: a descriptor, or -1 with errno. */
static int open_subdir(int fd, const char *sub)
{
	return openat(fd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static int is_real_dir(const char *dir, const char *sub)
{
	struct stat sb;
	int fd = open_subdir(AT_FDCWD, dir);
	int ok = fd >= 0 && fstatat(fd, sub, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(sb.st_mode);
	if (fd >= 0)
		close(fd);
	return ok;
}

int maildir_detect(const char *dir)
{
	return is_real_dir(dir, "new") && is_real_dir(dir, "cur");
}

uint32_t maildir_name_flags(const char *name)
{
	static const struct {
		char letter;
		uint32_t flag;
	} letters[] = {
		{'S', STORE_FLAG_SEEN},
		{'F', STORE_FLAG_FLAGGED},
		{'R', STORE_FLAG_ANSWERED},
		{'D', STORE_FLAG_DRAFT},
	};
	const char *info = strrchr(name, ':');
	uint32_t flags = 0;
	if (info == NULL || strncmp(info, ":2,", 3) != 0)
		return 0;
	for (const char *c = info + 3; *c; c++)
		for (size_t i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
			if (*c == letters[i].letter)
				flags |= letters[i].flag;
	return flags;
}

static int add_entry(struct maildir_list *list, size_t *cap, const char *dir, int sub,
		     const struct stat *sb, const char *name)
{
	if (list->count == *cap) {
		size_t cap2 = *cap ? *cap * 2 : 64;
		struct maildir_entry *items = realloc(list->items, cap2 * sizeof(*items));
		if (items == NULL)
			return -1;
		list->items = items;
		*cap = cap2;
	}
	struct maildir_entry *e = &list->items[list->count];
	if (asprintf(&e->path, "%s/%s/%s", dir, subdirs[sub], name) < 0)
		return -1;
	e->name = e->path + strlen(e->path) - strlen(name);
	e->sub = sub;
	e->mtime = (int64_t)sb->st_mtime;
	e->flags = maildir_name_flags(name);
	list->count++;
	return 0;
}

/* Adds the entries of subdirectory sub (open in list) that are neither
 * hidden nor directories.  Links are listed (their own mtime) so that
 * the import names them when it refuses to read them. */
static int scan_sub(const char *dir, int sub, struct maildir_list *list, size_t *cap)
{
	struct dirent *de;
	struct stat sb;
	int rc = 0, fd = dup(list->dirfd[sub]);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (rc == 0 && (errno = 0, de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (fstatat(list->dirfd[sub], de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
			rc = errno == ENOENT ? 0 : -1; /* gone meanwhile (a MUA moved it) */
		else if (!S_ISDIR(sb.st_mode))
			rc = add_entry(list, cap, dir, sub, &sb, de->d_name);
	}
	if (rc == 0 && errno != 0)
		rc = -1;
	int saved = errno;
	closedir(d);
	errno = saved;
	return rc;
}

static int by_date(const void *a, const void *b)
{
	const struct maildir_entry *x = a, *y = b;
	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? -1 : 1;
	return strcmp(x->path, y->path);
}

int maildir_scan(const char *dir, struct maildir_list *list_r)
{
	size_t cap = 0;
	memset(list_r, 0, sizeof(*list_r));
	list_r->dirfd[0] = list_r->dirfd[1] = -1;
	int top = open_subdir(AT_FDCWD, dir), rc = top >= 0 ? 0 : -1;
	for (int sub = 0; rc == 0 && sub < 2; sub++)
		if ((list_r->dirfd[sub] = open_subdir(top, subdirs[sub])) < 0 ||
		    scan_sub(dir, sub, list_r, &cap) != 0)
			rc = -1;
	int saved = errno;
	if (top >= 0)
		close(top);
	if (rc != 0) {
		maildir_list_clear(list_r);
		errno = saved;
		return -1;
	}
	if (list_r->count > 0)
		qsort(list_r->items, list_r->count, sizeof(list_r->items[0]), by_date);
	return 0;
}

void maildir_list_clear(struct maildir_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->items[i].path);
	free(list->items);
	for (int sub = 0; sub < 2; sub++)
		if (list->dirfd[sub] >= 0)
			close(list->dirfd[sub]);
	memset(list, 0, sizeof(*list));
	list->dirfd[0] = list->dirfd[1] = -1;
}

/* Reads fd to its end into buf of cap bytes; a file that fills it grew
 * while being read (a writer not following the Maildir rules): EAGAIN. */
static int read_all(int fd, char *buf, size_t cap, size_t *len_r)
{
	size_t got = 0;
	for (;;) {
		ssize_t n = read(fd, buf + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
		if (got == cap) {
			errno = EAGAIN;
			return -1;
		}
	}
	*len_r = got;
	return 0;
}

int maildir_read(const struct maildir_list *list, const struct maildir_entry *e, size_t max,
		 char **buf_r, size_t *len_r)
{
	struct stat sb;
	int rc = MAILDIR_READ_ERROR;
	char *buf = NULL;
	*buf_r = NULL;
	*len_r = 0;
	/* O_NONBLOCK: a FIFO must not hang the import (it is refused below). */
	int fd = openat(list->dirfd[e->sub], e->name,
			O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 && errno == ELOOP)
		rc = MAILDIR_READ_NOTFILE;
	if (fd < 0 || fstat(fd, &sb) != 0)
		goto cleanup;
	if (!S_ISREG(sb.st_mode)) {
		rc = MAILDIR_READ_NOTFILE;
		goto cleanup;
	}
	if ((uint64_t)sb.st_size > max) {
		rc = MAILDIR_READ_TOOBIG;
		goto cleanup;
	}
	buf = malloc((size_t)sb.st_size + 1);
	if (buf == NULL)
		goto cleanup;
	if (read_all(fd, buf, (size_t)sb.st_size + 1, len_r) == 0) {
		rc = MAILDIR_READ_OK;
		*buf_r = buf;
		buf = NULL;
	}
cleanup:;
	int saved = errno;
	free(buf);
	if (fd >= 0)
		close(fd);
	errno = saved;
	return rc;
}
