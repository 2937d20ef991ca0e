/*
 * test_maildir.c -- the Maildir reader (admin/maildir.h): which entries
 * are messages (new/ and cur/, not tmp/, not hidden, not directories),
 * flags from the ":2," info suffix, odd names, the mtime order, and
 * links never followed: a message that is a link (or a pipe) is listed
 * but not read, and new/ or cur/ or the Maildir itself being a link is
 * refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "maildir.h"
#include "test_util.h"

static char *dir;

static char *path_of(const char *md, const char *rel)
{
	char *p;
	CHECK(asprintf(&p, "%s/%s%s%s", dir, md, *rel ? "/" : "", rel) > 0);
	return p;
}

static void mkdirs(const char *md)
{
	static const char *const subs[] = {"", "new", "cur", "tmp"};
	for (size_t i = 0; i < 4; i++) {
		char *p = path_of(md, subs[i]);
		CHECK(mkdir(p, 0700) == 0);
		free(p);
	}
}

/* A file with text, modified at mtime. */
static void put_file(const char *md, const char *rel, const char *text, time_t mtime)
{
	char *p = path_of(md, rel);
	struct timespec times[2] = {{mtime, 0}, {mtime, 0}};
	int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	CHECK(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	CHECK(futimens(fd, times) == 0 && close(fd) == 0);
	free(p);
}

static const struct maildir_entry *entry(const struct maildir_list *l, const char *name)
{
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i].name, name) == 0)
			return &l->items[i];
	return NULL;
}

static void t_flags_from_names(void)
{
	static const struct {
		const char *name;
		uint32_t flags;
	} names[] = {
	    {"1700000000.1.host", 0},
	    {"1.2.host:2,S", STORE_FLAG_SEEN},
	    {"1.2.host:2,DFRS",
	     STORE_FLAG_DRAFT | STORE_FLAG_FLAGGED | STORE_FLAG_ANSWERED | STORE_FLAG_SEEN},
	    {"1.2.host:2,PT", 0}, /* passed, trashed: no store flag */
	    {"1.2.host:2,", 0},
	    {"1.2.host:1,S", 0}, /* experimental info: not flags */
	    {"a:b:c:2,FR", STORE_FLAG_FLAGGED | STORE_FLAG_ANSWERED},
	    {"1.2.host:2,S:2,F", STORE_FLAG_FLAGGED}, /* the last info counts */
	    {"lower:2,sfrd", 0},
	    {"", 0},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		CHECK(maildir_name_flags(names[i].name) == names[i].flags);
}

static void t_scan(void)
{
	struct maildir_list l;
	mkdirs("md");
	put_file("md", "new/3-newest", "Subject: 3\n\n", 3000);
	put_file("md", "cur/1-oldest:2,S", "Subject: 1\n\n", 1000);
	put_file("md", "cur/2 odd name, with spaces:2,FR", "Subject: 2\n\n", 2000);
	put_file("md", "cur/2 same time:2,", "Subject: 2b\n\n", 2000);
	put_file("md", "cur/.hidden:2,S", "not a message", 500);
	put_file("md", "tmp/being-delivered", "Subject: tmp\n\n", 500);
	char *sub = path_of("md", "new/a-directory");
	CHECK(mkdir(sub, 0700) == 0);
	free(sub);

	CHECK(maildir_detect(dir) == 0);
	char *md = path_of("md", "");
	CHECK(maildir_detect(md) == 1);
	CHECK(maildir_scan(md, &l) == 0);
	CHECK(l.count == 4);
	/* Oldest first; equal mtimes by path. */
	CHECK(strcmp(l.items[0].name, "1-oldest:2,S") == 0 && l.items[0].mtime == 1000);
	CHECK(strcmp(l.items[1].name, "2 odd name, with spaces:2,FR") == 0);
	CHECK(strcmp(l.items[2].name, "2 same time:2,") == 0);
	CHECK(strcmp(l.items[3].name, "3-newest") == 0 && l.items[3].sub == 0);
	CHECK(l.items[0].flags == STORE_FLAG_SEEN && l.items[0].sub == 1);
	CHECK(l.items[1].flags == (STORE_FLAG_FLAGGED | STORE_FLAG_ANSWERED));
	CHECK(l.items[3].flags == 0);
	CHECK(strstr(l.items[0].path, "/md/cur/1-oldest:2,S") != NULL);

	char *body = NULL;
	size_t len = 0;
	CHECK(maildir_read(&l, &l.items[1], 100, &body, &len) == MAILDIR_READ_OK);
	CHECK(len == 12 && memcmp(body, "Subject: 2\n\n", 12) == 0);
	free(body);
	CHECK(maildir_read(&l, &l.items[1], 11, &body, &len) == MAILDIR_READ_TOOBIG &&
	      body == NULL);
	CHECK(maildir_read(&l, &l.items[1], 12, &body, &len) == MAILDIR_READ_OK);
	free(body);
	maildir_list_clear(&l);
	CHECK(l.count == 0 && l.items == NULL && l.dirfd[0] == -1);
	free(md);
}

static void t_links_never_followed(void)
{
	struct maildir_list l;
	char *body = NULL;
	size_t len = 0;
	mkdirs("ln");
	put_file("ln", "new/real", "Subject: real\n\n", 1000);
	char *secret = path_of("ln", "tmp/secret");
	put_file("ln", "tmp/secret", "root:secret\n", 900);
	char *link = path_of("ln", "new/x");
	CHECK(symlink(secret, link) == 0);
	char *fifo = path_of("ln", "cur/fifo:2,S");
	CHECK(mkfifo(fifo, 0600) == 0);
	char *md = path_of("ln", "");
	CHECK(maildir_scan(md, &l) == 0);
	CHECK(l.count == 3);
	const struct maildir_entry *x = entry(&l, "x"), *f = entry(&l, "fifo:2,S");
	CHECK(x != NULL && f != NULL && entry(&l, "real") != NULL);
	CHECK(maildir_read(&l, x, 1000, &body, &len) == MAILDIR_READ_NOTFILE && body == NULL);
	/* A pipe without a writer must not hang the import. */
	CHECK(maildir_read(&l, f, 1000, &body, &len) == MAILDIR_READ_NOTFILE && body == NULL);
	/* Swapped for a link after the scan: still not followed. */
	const struct maildir_entry *real = entry(&l, "real");
	char *real_path = path_of("ln", "new/real");
	CHECK(unlink(real_path) == 0 && symlink(secret, real_path) == 0);
	CHECK(maildir_read(&l, real, 1000, &body, &len) == MAILDIR_READ_NOTFILE && body == NULL);
	maildir_list_clear(&l);

	/* new/ or cur/ a link, or the Maildir itself: refused. */
	mkdirs("sub");
	char *cur = path_of("sub", "cur"), *elsewhere = path_of("ln", "new");
	CHECK(rmdir(cur) == 0 && symlink(elsewhere, cur) == 0);
	char *sub = path_of("sub", "");
	CHECK(maildir_detect(sub) == 0);
	CHECK(maildir_scan(sub, &l) == -1 && (errno == ELOOP || errno == ENOTDIR));
	char *top;
	CHECK(asprintf(&top, "%s/toplink", dir) > 0 && symlink(md, top) == 0);
	CHECK(maildir_detect(top) == 0);
	CHECK(maildir_scan(top, &l) == -1 && (errno == ELOOP || errno == ENOTDIR));
	CHECK(l.count == 0 && l.dirfd[0] == -1 && l.dirfd[1] == -1);
	free(secret), free(link), free(fifo), free(md), free(real_path);
	free(cur), free(elsewhere), free(sub), free(top);
}

static void t_missing(void)
{
	struct maildir_list l;
	char *none = path_of("none", "");
	CHECK(maildir_scan(none, &l) == -1 && errno == ENOENT);
	CHECK(maildir_detect(none) == 0);
	free(none);
}

int main(void)
{
	dir = mktmp();
	RUN(t_flags_from_names);
	RUN(t_scan);
	RUN(t_links_never_followed);
	RUN(t_missing);
	rmtmp(&dir);
	return 0;
}
