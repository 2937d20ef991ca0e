/*
 * maildir.h -- reading a Maildir (new/ and cur/) for import: which files
 * are messages, their flags and their received dates.
 *
 * Every regular file in new/ and cur/ whose name does not start with '.'
 * is a message.  Flags come from the ":2," info suffix of its name: S
 * seen, F flagged, R answered (replied), D draft; other letters (P
 * passed, T trashed) have no store flag and are ignored.  The received
 * date is the file's mtime, which delivery agents (Dovecot, Python's
 * mailbox module, ...) set to the delivery date.  Subfolders (Maildir++
 * ".Name" directories) are not read.
 */
#ifndef MAILRPC_MAILDIR_H
#define MAILRPC_MAILDIR_H

#include <stddef.h>
#include <stdint.h>

struct maildir_entry {
	char *path;        /* DIR/new/NAME or DIR/cur/NAME */
	int64_t mtime;
	uint32_t flags;    /* STORE_FLAG_* */
};

struct maildir_list {
	size_t count;
	struct maildir_entry *items;   /* oldest first, then by path */
};

/* 1 if dir has the subdirectories new/ and cur/. */
int maildir_detect(const char *dir);
/* Lists the messages of dir.  0, or -1 with errno. */
int maildir_scan(const char *dir, struct maildir_list *list_r);
void maildir_list_clear(struct maildir_list *list);
/* Reads a whole message file of at most max bytes into *buf_r (caller
 * frees).  0; 1 if the file is larger than max; -1 with errno. */
int maildir_read(const struct maildir_entry *e, size_t max, char **buf_r, size_t *len_r);

#endif
