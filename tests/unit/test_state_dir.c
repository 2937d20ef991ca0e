/*
 * test_state_dir.c -- libmailrpc's client state directory (stub/state_dir.c):
 * which directories are used, and files in them opened without following
 * symbolic links or writing through anything planted in their place.
 * Runs in a scratch directory under $TMPDIR; the foreign-owner case needs
 * root (to chown), and is reported SKIP (not passed) otherwise.
 */
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "check.h"

static char top[256];

/* top/name, as a path in a static buffer (one at a time per slot). */
static const char *at(int slot, const char *name)
{
	static char buf[4][512];
	snprintf(buf[slot], sizeof(buf[slot]), "%s/%s", top, name);
	return buf[slot];
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	fputs(text, f);
	CHECK(fclose(f) == 0);
}

/* The file's whole text (at most 255 bytes). */
static const char *read_file(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	CHECK(f != NULL);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static mode_t mode_of(const char *path)
{
	struct stat st;
	CHECK(stat(path, &st) == 0);
	return st.st_mode & 07777;
}

static void t_dir_modes(void)
{
	struct mailrpc_error err = {0};
	const char *d = at(0, "modes");
	CHECK(mkdir(d, 0700) == 0);
	CHECK(mr_state_dir_check(d, &err) == MAILRPC_OK);
	CHECK(chmod(d, 0770) == 0);
	CHECK(mr_state_dir_check(d, &err) == MAILRPC_E_IO);
	CHECK(strstr(err.message, d) != NULL && strstr(err.message, "chmod go-w") != NULL);
	CHECK(chmod(d, 0757) == 0);
	CHECK(mr_state_dir_check(d, &err) == MAILRPC_E_IO);
	/* Readable by others is their business; writable is not. */
	CHECK(chmod(d, 0755) == 0);
	CHECK(mr_state_dir_check(d, &err) == MAILRPC_OK);
	const char *f = at(1, "modes-file");
	write_file(f, "x");
	CHECK(mr_state_dir_check(f, &err) == MAILRPC_E_IO);
	CHECK(strstr(err.message, "not a directory") != NULL);
	CHECK(mr_state_dir_check(at(2, "missing"), &err) == MAILRPC_E_IO);
}

static void t_dir_foreign_owner(void)
{
	struct mailrpc_error err = {0};
	const char *d = at(0, "foreign");
	CHECK(mkdir(d, 0700) == 0);
	CHECK(chown(d, 65534, 65534) == 0);
	CHECK(mr_state_dir_check(d, &err) == MAILRPC_E_IO);
	CHECK(strstr(err.message, d) != NULL && strstr(err.message, "uid 65534") != NULL);
}

static void t_state_dir_made_private(void)
{
	struct mailrpc_error err = {0};
	char path[600];
	const char *xdg = at(0, "xdg");
	mode_t old = umask(022);
	setenv("XDG_CACHE_HOME", xdg, 1);
	CHECK(mailrpc_state_dir(path, sizeof(path), &err) == MAILRPC_OK);
	CHECK(strcmp(path, at(1, "xdg/mailrpc")) == 0);
	CHECK(mode_of(path) == 0700);
	/* An existing one made unsafe is refused, by name. */
	CHECK(chmod(path, 0775) == 0);
	CHECK(mailrpc_state_dir(path, sizeof(path), &err) == MAILRPC_E_IO);
	CHECK(strstr(err.message, at(1, "xdg/mailrpc")) != NULL);
	unsetenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	unsetenv("HOME");
	CHECK(mailrpc_state_dir(path, sizeof(path), &err) == MAILRPC_E_USAGE);
	if (home != NULL)
		setenv("HOME", home, 1);
	umask(old);
}

static void t_open_refuses_links(void)
{
	struct mailrpc_error err = {0};
	int fd;
	write_file(at(0, "target"), "precious\n");
	CHECK(symlink(at(0, "target"), at(1, "link")) == 0);
	CHECK(mr_state_open(at(1, "link"), O_RDWR | O_CREAT, &fd, &err) == MAILRPC_E_IO);
	CHECK(fd == -1 && strstr(err.message, "symbolic link") != NULL);
	CHECK(mr_state_open(at(1, "link"), O_RDONLY, &fd, &err) == MAILRPC_E_IO);
	/* A second name for a file elsewhere: refused too. */
	CHECK(link(at(0, "target"), at(2, "hard")) == 0);
	CHECK(mr_state_open(at(2, "hard"), O_RDONLY, &fd, &err) == MAILRPC_E_IO);
	CHECK(strcmp(read_file(at(0, "target")), "precious\n") == 0);
	/* A FIFO: refused at once, not waited on. */
	CHECK(mkfifo(at(3, "fifo"), 0600) == 0);
	CHECK(mr_state_open(at(3, "fifo"), O_RDONLY, &fd, &err) == MAILRPC_E_IO);
}

static void t_open_makes_private_files(void)
{
	struct mailrpc_error err = {0};
	int fd;
	CHECK(mr_state_open(at(0, "absent"), O_RDONLY, &fd, &err) == MAILRPC_E_NOTFOUND);
	CHECK(mr_state_open(at(0, "new"), O_RDWR | O_CREAT, &fd, &err) == MAILRPC_OK);
	CHECK(fd >= 0 && (fcntl(fd, F_GETFL) & O_NONBLOCK) == 0);
	close(fd);
	CHECK(mode_of(at(0, "new")) == 0600);
}

/* Entries of top whose names start with prefix. */
static int names_starting(const char *prefix)
{
	DIR *d = opendir(top);
	CHECK(d != NULL);
	int n = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

static void t_replace_never_writes_through(void)
{
	struct mailrpc_error err = {0};
	write_file(at(0, "victim"), "precious\n");
	CHECK(symlink(at(0, "victim"), at(1, "state")) == 0);
	CHECK(mr_state_replace(at(1, "state"), "42\n", 3, &err) == MAILRPC_OK);
	CHECK(strcmp(read_file(at(0, "victim")), "precious\n") == 0);
	struct stat st;
	CHECK(lstat(at(1, "state"), &st) == 0 && S_ISREG(st.st_mode));
	CHECK((st.st_mode & 07777) == 0600);
	CHECK(strcmp(read_file(at(1, "state")), "42\n") == 0);
	CHECK(names_starting("state.") == 0); /* no temporary left behind */
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(top, sizeof(top), "%s/test_state_dir.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	CHECK(mkdtemp(top) != NULL);
	RUN(t_dir_modes);
	if (geteuid() == 0)
		RUN(t_dir_foreign_owner);
	else
		printf("SKIP t_dir_foreign_owner: needs root to chown\n");
	RUN(t_state_dir_made_private);
	RUN(t_open_refuses_links);
	RUN(t_open_makes_private_files);
	RUN(t_replace_never_writes_through);
	nftw(top, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
