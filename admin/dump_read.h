/*
 * dump_read.h -- reads a mailbox dump (dump_format.h) strictly: every line
 * must be one the writer makes, in the writer's order (head; folders;
 * ACL entries; messages, each followed by its body; "end"), the counts a
 * version 2 head declares must be what follows, every body must have its
 * size and SHA-256, and nothing may follow "end".  Each problem is
 * reported on stderr with the file and line, never guessed around.
 */
#ifndef MAILRPC_DUMP_READ_H
#define MAILRPC_DUMP_READ_H

#include <stdint.h>

#include "store.h"

struct dump_head {
	int version; /* 1 or 2 */
	uint64_t next_id, quota;
	int disabled;
	int counted; /* the counts below were declared (version 2) */
	uint64_t folders, acls, messages;
};

enum dump_kind { DUMP_FOLDER, DUMP_ACL, DUMP_MESSAGE, DUMP_KINDS };

struct dump_record {
	enum dump_kind kind;
	unsigned long line;
	char path[STORE_PATH_MAX + 1];		 /* folder; ACL: its folder, "" the root;
						    message: its folder */
	char principal[STORE_PRINCIPAL_MAX + 1]; /* ACL */
	uint32_t rights;			 /* ACL, never 0 */
	uint64_t id, size;			 /* message */
	uint32_t flags;
	int64_t received;
	unsigned char sha256[32];
};

struct dump_reader;

/* Opens path and reads the head.  0, or -1 (reported). */
int dump_read_open(const char *path, struct dump_reader **r_r, struct dump_head *head_r);

/* 1: *rec_r is the next record; a message's body must then be read with
 * dump_read_body before the next call.  0: "end" was read, the counts
 * agree and nothing follows.  -1: malformed or unreadable (reported). */
int dump_read_next(struct dump_reader *r, struct dump_record *rec_r);

/* The body of the message just read: copied to buf (the record's size in
 * bytes) or, buf NULL, only checked.  It must be complete and match the
 * record's SHA-256.  0 or -1 (reported). */
int dump_read_body(struct dump_reader *r, void *buf);

/* Reports a problem of the record just read ("FILE line N: WHY"); -1. */
int dump_read_error(const struct dump_reader *r, const char *why);

/* NULL-safe; *r becomes NULL. */
void dump_read_close(struct dump_reader **r);

#endif
