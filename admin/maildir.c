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

static int is_dir(const char *dir, const char *sub)
{
	char path[PATH_MAX];
	struct stat sb;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, sub) >= sizeof(path))
		return 0;
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

int maildir_detect(const char *dir) { return is_dir(dir, "new") && is_dir(dir, "cur"); }

/* The store flags in a name's ":2," info suffix. */
static uint32_t name_flags(const char *name)
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

static int add_entry(struct maildir_list *list, size_t *cap, const char *path,
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
	e->path = strdup(path);
	if (e->path == NULL)
		return -1;
	e->mtime = (int64_t)sb->st_mtime;
	e->flags = name_flags(name);
	list->count++;
	return 0;
}

/* Adds the regular files of dir/sub that are not hidden. */
static int scan_sub(const char *dir, const char *sub, struct maildir_list *list, size_t *cap)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat sb;
	int rc = 0;
	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	DIR *d = opendir(path);
	if (d == NULL)
		return -1;
	while (rc == 0 && (errno = 0, de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, de->d_name) >=
		    sizeof(path)) {
			errno = ENAMETOOLONG;
			rc = -1;
		} else if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
			rc = add_entry(list, cap, path, &sb, de->d_name);
		}
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
	if (scan_sub(dir, "new", list_r, &cap) != 0 || scan_sub(dir, "cur", list_r, &cap) != 0) {
		int saved = errno;
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
	memset(list, 0, sizeof(*list));
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

int maildir_read(const struct maildir_entry *e, size_t max, char **buf_r, size_t *len_r)
{
	struct stat sb;
	int rc = -1;
	char *buf = NULL;
	*buf_r = NULL;
	*len_r = 0;
	int fd = open(e->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) != 0)
		goto cleanup;
	if ((uint64_t)sb.st_size > max) {
		rc = 1;
		goto cleanup;
	}
	buf = malloc((size_t)sb.st_size + 1);
	if (buf == NULL)
		goto cleanup;
	rc = read_all(fd, buf, (size_t)sb.st_size + 1, len_r);
	if (rc == 0) {
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
