/*
 * maildir.h -- reading a Maildir (new/ and cur/) for import: which files
 * are messages, their flags and their received dates.
 *
 * Every entry of new/ and cur/ whose name does not start with '.' and that
 * is not a directory is a message.  Flags come from the ":2," info suffix
 * of its name: S seen, F flagged, R answered (replied), D draft; other
 * letters (P passed, T trashed) have no store flag and are ignored.  The
 * received date is the file's mtime, which delivery agents (Dovecot,
 * Python's mailbox module, ...) set to the delivery date.  tmp/ and
 * subfolders (Maildir++ ".Name" directories) are not read.
 *
 * Links are never followed: the import may run as root on a directory its
 * owner controls, and new/x -> /etc/shadow must not become mail.  new/ and
 * cur/ must be directories themselves, are opened once, and every message
 * is opened inside them with O_NOFOLLOW; only a regular file is read.
 */
#ifndef MAILRPC_MAILDIR_H
#define MAILRPC_MAILDIR_H

#include <stddef.h>
#include <stdint.h>

struct maildir_entry {
	char *path;	  /* DIR/new/NAME or DIR/cur/NAME, for messages */
	const char *name; /* NAME, inside path */
	int sub;	  /* 0: new/, 1: cur/ */
	int64_t mtime;
	uint32_t flags;    /* STORE_FLAG_* */
};

struct maildir_list {
	size_t count;
	struct maildir_entry *items;   /* oldest first, then by path */
	int dirfd[2];		       /* new/ and cur/, open */
};

enum maildir_read_status {
	MAILDIR_READ_OK = 0,
	MAILDIR_READ_TOOBIG,  /* larger than the limit */
	MAILDIR_READ_NOTFILE, /* a link, device, pipe, ...: not read */
	MAILDIR_READ_ERROR    /* errno says why */
};

/* 1 if dir has the subdirectories new/ and cur/ (not links to them). */
int maildir_detect(const char *dir);
/* Lists the messages of dir.  0, or -1 with errno. */
int maildir_scan(const char *dir, struct maildir_list *list_r);
void maildir_list_clear(struct maildir_list *list);
/* Reads a whole message file of at most max bytes into *buf_r (caller
 * frees): an enum maildir_read_status. */
int maildir_read(const struct maildir_list *list, const struct maildir_entry *e, size_t max,
		 char **buf_r, size_t *len_r);
/* The store flags of a message file name (its ":2," info suffix). */
uint32_t maildir_name_flags(const char *name);

#endif
