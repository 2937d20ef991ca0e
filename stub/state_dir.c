/*
 * state_dir.c -- the directory where libmailrpc keeps a user's client
 * state (unfinished uploads, offline caches), and the files in it.
 *
 * Whoever can write to that directory could plant a symbolic link where
 * the library writes, and have it overwrite any file of the user's, or
 * plant files it then trusts.  So a directory is used only if it is the
 * user's and nobody else can write to it, and its files are opened
 * without following symbolic links and checked to be the user's own.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

int mr_state_dir_check(const char *dir, struct mailrpc_error *err)
{
	struct stat st;
	if (stat(dir, &st) != 0)
		return mr_fail(err, MAILRPC_E_IO, "cannot use the state directory %s: %s", dir,
			       strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return mr_fail(err, MAILRPC_E_IO,
			       "state directory %s is not a directory (remove it, or set "
			       "XDG_CACHE_HOME to a directory of your own)",
			       dir);
	if (st.st_uid != geteuid())
		return mr_fail(err, MAILRPC_E_IO,
			       "state directory %s belongs to uid %u, not to you (uid %u): remove "
			       "it, or set XDG_CACHE_HOME to a directory of your own",
			       dir, (unsigned)st.st_uid, (unsigned)geteuid());
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return mr_fail(
		    err, MAILRPC_E_IO,
		    "state directory %s is writable by others than you: run chmod go-w %s", dir,
		    dir);
	return MAILRPC_OK;
}

/* mkdir that accepts what is already there (checked afterwards). */
static int make_dir(const char *path, struct mailrpc_error *err)
{
	if (mkdir(path, 0700) == 0 || errno == EEXIST)
		return MAILRPC_OK;
	return mr_fail(err, MAILRPC_E_IO, "cannot make the state directory %s: %s", path,
		       strerror(errno));
}

int mailrpc_state_dir(char *buf, size_t len, struct mailrpc_error *err)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char base[1024];
	int n;
	if (buf == NULL || len == 0)
		return mr_fail(err, MAILRPC_E_USAGE, "mailrpc_state_dir: no buffer");
	buf[0] = '\0';
	if (xdg && xdg[0])
		n = snprintf(base, sizeof(base), "%s", xdg);
	else if (home && home[0])
		n = snprintf(base, sizeof(base), "%s/.cache", home);
	else
		return mr_fail(err, MAILRPC_E_USAGE,
			       "no state directory: set XDG_CACHE_HOME or HOME");
	if (n < 0 || (size_t)n >= sizeof(base) || (size_t)n + sizeof("/mailrpc") > len)
		return mr_fail(err, MAILRPC_E_USAGE, "state directory name too long: %s/mailrpc",
			       base);
	snprintf(buf, len, "%s/mailrpc", base);
	int status = make_dir(base, err);
	if (status == MAILRPC_OK)
		status = make_dir(buf, err);
	return status == MAILRPC_OK ? mr_state_dir_check(buf, err) : status;
}

/* Refuses fd unless it is a regular file of this user's with one name (a
 * hard link would make a write here land in a file elsewhere). */
static int check_file(int fd, const char *path, struct mailrpc_error *err)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return mr_fail(err, MAILRPC_E_IO, "cannot use %s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || st.st_nlink != 1)
		return mr_fail(err, MAILRPC_E_IO,
			       "%s is not a plain file of yours (a directory, device, link or "
			       "someone else's file): remove it",
			       path);
	return MAILRPC_OK;
}

int mr_state_open(const char *path, int flags, int *fd_r, struct mailrpc_error *err)
{
	*fd_r = -1;
	/* O_NONBLOCK: a FIFO planted here must not hang the open. */
	int fd = open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0 && errno == ENOENT)
		return mr_fail(err, MAILRPC_E_NOTFOUND, "%s does not exist", path);
	if (fd < 0 && errno == ELOOP)
		return mr_fail(err, MAILRPC_E_IO,
			       "%s is a symbolic link, which is never followed: remove it", path);
	if (fd < 0)
		return mr_fail(err, MAILRPC_E_IO, "cannot open %s: %s", path, strerror(errno));
	int status = check_file(fd, path, err);
	if (status != MAILRPC_OK) {
		close(fd);
		return status;
	}
	/* Regular files ignore O_NONBLOCK, but the caller gets a plain fd. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	*fd_r = fd;
	return MAILRPC_OK;
}

int mr_state_replace(const char *path, const void *data, size_t len, struct mailrpc_error *err)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return mr_fail(err, MAILRPC_E_IO, "file name too long: %s", path);
	/* A fresh name, made exclusively: nothing planted there can be in the way. */
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return mr_fail(err, MAILRPC_E_IO, "cannot write next to %s: %s", path,
			       strerror(errno));
	int status = MAILRPC_OK;
	/* A regular file takes it all at once, or is out of space. */
	errno = ENOSPC;
	if (write(fd, data, len) != (ssize_t)len)
		status = mr_fail(err, MAILRPC_E_IO, "cannot write %s: %s", tmp, strerror(errno));
	if (close(fd) != 0 && status == MAILRPC_OK)
		status = mr_fail(err, MAILRPC_E_IO, "cannot write %s: %s", tmp, strerror(errno));
	/* rename replaces a symbolic link at path; it never writes through one. */
	if (status == MAILRPC_OK && rename(tmp, path) != 0)
		status = mr_fail(err, MAILRPC_E_IO, "cannot replace %s: %s", path, strerror(errno));
	if (status != MAILRPC_OK)
		unlink(tmp);
	return status;
}
