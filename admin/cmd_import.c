/*
 * cmd_import.c -- mailrpc-admin import USER PATH [--folder FOLDER]
 * [--mboxo]: an mbox file (mbox.h) or a Maildir (maildir.h) into one
 * folder, Inbox by default; the mailbox and the folder are created if
 * missing.  Messages stay byte-exact with their received dates (and
 * Maildir flags).  Run again after an interruption it imports only what
 * is not there yet (import.h).  Counts go to stdout; each message that
 * cannot be imported is named on stderr, and the status is then 1.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "admin.h"
#include "import.h"
#include "maildir.h"
#include "mbox.h"

#define SYNOPSIS "import USER PATH [--folder FOLDER] [--mboxo]"

static int create_missing(store_t *st, const char *user, const char *path)
{
	int rc = store_folder_create(st, user, path);
	return rc == STORE_EXISTS ? STORE_OK : rc;
}

/* The folder and its missing parents, like mkdir -p. */
static int ensure_folder(store_t *st, const char *user, const char *folder)
{
	char path[STORE_PATH_MAX + 1];
	store_folder_info_t info;
	int rc = store_folder_get(st, user, folder, &info);
	if (rc != STORE_NOTFOUND)
		return rc;
	snprintf(path, sizeof(path), "%s", folder); /* get() checked its length */
	rc = STORE_OK;
	for (char *p = strchr(path, '/'); rc == STORE_OK && p != NULL; p = strchr(p + 1, '/')) {
		*p = '\0';
		rc = create_missing(st, user, path);
		*p = '/';
	}
	return rc == STORE_OK ? create_missing(st, user, path) : rc;
}

/* Stops the import on a store error: what is in stays in, and a rerun
 * continues after it. */
static int stop(const char *where, int rc)
{
	char what[PATH_MAX + 64];
	snprintf(what, sizeof(what), "import: %s: stopped", where);
	return admin_fail(what, rc);
}

static int cannot_read(const char *path)
{
	fprintf(stderr, "mailrpc-admin: import: cannot read %s: %s\n", path, strerror(errno));
	return 1;
}

/* The store policy's message size limit: a larger message is reported
 * as malformed, not read into memory. */
static uint64_t max_message(store_t *st)
{
	uint64_t max = 0;
	if (store_policy_get(st, STORE_POLICY_MAX_MESSAGE, &max, NULL) != STORE_OK)
		max = store_policy_def(STORE_POLICY_MAX_MESSAGE)->def;
	return max;
}

static int import_mbox(struct import_sink *s, const char *path, int mboxo)
{
	struct mbox_reader *r = NULL;
	struct mbox_msg m;
	char where[PATH_MAX + 32] = "";
	int got = 0, rc = STORE_OK;
	if (mbox_open(path, mboxo, max_message(s->st), &r) != 0)
		return cannot_read(path);
	while (rc == STORE_OK && (got = mbox_next(r, &m)) == 1) {
		if (m.bare_from != 0) {
			snprintf(where, sizeof(where), "%s:%lu", path, m.bare_from);
			import_note(s, where,
				    "unquoted \"From \" line inside a message, kept as text");
		}
		snprintf(where, sizeof(where), "%s:%lu", path, m.line);
		if (m.problem != NULL)
			import_malformed(s, where, m.problem);
		else
			rc = import_message(s, where, m.body, m.len, 0, m.received);
		import_progress(s, mbox_done(r), mbox_size(r));
	}
	int status = 0;
	if (rc != STORE_OK)
		status = stop(where, rc);
	else if (got < 0)
		status = cannot_read(path);
	mbox_close(&r);
	return status;
}

/* One Maildir file: a file that cannot be read counts as malformed. */
static int import_file(struct import_sink *s, const struct maildir_list *list,
		       const struct maildir_entry *e)
{
	char *body = NULL;
	size_t len = 0;
	switch (maildir_read(list, e, max_message(s->st), &body, &len)) {
	case MAILDIR_READ_OK:
		break;
	case MAILDIR_READ_TOOBIG:
		import_malformed(s, e->path, "larger than the message size limit");
		return 0;
	case MAILDIR_READ_NOTFILE:
		import_malformed(
		    s, e->path,
		    "not a regular file (a symbolic link, pipe or device is never read)");
		return 0;
	default:
		import_malformed(s, e->path, strerror(errno));
		return 0;
	}
	int rc = import_message(s, e->path, body, len, e->flags, e->mtime);
	free(body);
	return rc == STORE_OK ? 0 : stop(e->path, rc);
}

static int import_maildir(struct import_sink *s, const char *dir)
{
	struct maildir_list list;
	int status = 0;
	if (maildir_scan(dir, &list) != 0)
		return cannot_read(dir);
	for (size_t i = 0; status == 0 && i < list.count; i++) {
		status = import_file(s, &list, &list.items[i]);
		import_progress(s, i + 1, list.count);
	}
	maildir_list_clear(&list);
	return status;
}

/* A directory must be a Maildir; a file or a pipe is read as mbox.  The
 * path itself must not be a link either: its owner could point it at
 * someone else's mail. */
static int check_source(const char *path, int *is_maildir_r)
{
	struct stat sb;
	const char *why = NULL;
	*is_maildir_r = 0;
	if (lstat(path, &sb) != 0)
		why = strerror(errno);
	else if (S_ISLNK(sb.st_mode))
		why = "a symbolic link; name the file or directory itself";
	else if (S_ISDIR(sb.st_mode) && !maildir_detect(path))
		why = "a directory but not a Maildir (no cur/ and new/ directories; links to them "
		      "do not count)";
	else if (!S_ISDIR(sb.st_mode) && !S_ISREG(sb.st_mode) && !S_ISFIFO(sb.st_mode))
		why = "neither a file, a pipe nor a Maildir";
	if (why != NULL) {
		fprintf(stderr, "mailrpc-admin: import: %s: %s\n", path, why);
		return 1;
	}
	*is_maildir_r = S_ISDIR(sb.st_mode);
	return 0;
}

/* Mailbox, folder and the list of what is already there. */
static int open_sink(struct admin *a, const char *user, const char *folder,
		     struct import_sink *s)
{
	store_t *st = admin_store(a);
	int rc = store_mailbox_ensure(st, user);
	if (rc != STORE_OK)
		return admin_fail(user, rc);
	rc = ensure_folder(st, user, folder);
	if (rc != STORE_OK)
		return admin_fail(folder, rc);
	rc = import_begin(s, st, user, folder);
	return rc == STORE_OK ? 0 : admin_fail(folder, rc);
}

int admin_import(struct admin *a, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"folder", required_argument, NULL, 'f'},
		{"mboxo", no_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	const char *folder = STORE_FOLDER_INBOX;
	int mboxo = 0, opt, is_maildir;
	struct import_sink sink;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f': folder = optarg; break;
		case 'o': mboxo = 1; break;
		default: return admin_usage(SYNOPSIS);
		}
	}
	if (argc - optind != 2)
		return admin_usage(SYNOPSIS);
	const char *user = argv[optind];
	char *path = argv[optind + 1];
	/* "link/" would resolve the link before lstat and O_NOFOLLOW see it. */
	for (size_t n = strlen(path); n > 1 && path[n - 1] == '/'; n--)
		path[n - 1] = '\0';
	if (check_source(path, &is_maildir) != 0)
		return 1;
	if (open_sink(a, user, folder, &sink) != 0)
		return 1;
	int status = is_maildir ? import_maildir(&sink, path) : import_mbox(&sink, path, mboxo);
	int end = import_end(&sink);
	return status != 0 ? status : end;
}
