/*
 * store_dump.h -- one mailbox as a consistent snapshot, for backups
 * (mailrpc-admin dump).
 *
 * The whole walk is one read transaction: a write another process commits
 * meanwhile (a move, a delivery, a delete) is either wholly in the snapshot
 * or wholly not, so no message is skipped or visited twice.  LMDB cannot
 * reuse pages freed while the transaction lives, so the store file may
 * grow while a long walk runs; the walk holds one reader slot.
 */
#ifndef MAILRPC_STORE_DUMP_H
#define MAILRPC_STORE_DUMP_H

#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct store_dump_head {
	uint64_t next_id; /* next message id the mailbox would assign */
	uint64_t quota;	  /* own quota, 0 = store default */
	int disabled;
	uint64_t folders, acls, messages; /* how many of each the walk visits */
} store_dump_head_t;

typedef struct store_dump_msg {
	uint64_t id;
	uint32_t flags;
	int64_t received;
	uint64_t size;
	unsigned char sha256[32];
	const char *folder; /* its path; valid during the callback */
} store_dump_msg_t;

/* Each callback returns STORE_OK to go on; any other status stops the
 * walk and store_dump returns it. */
typedef struct store_dump_visitor {
	int (*head)(void *ctx, const store_dump_head_t *h);
	/* Every folder, in byte order of paths (a parent before its children). */
	int (*folder)(void *ctx, const char *path);
	/* Every ACL entry (path "" is the mailbox root). */
	int (*acl)(void *ctx, const store_acl_entry_t *e);
	/* Every message in id order, each followed by its body in pieces
	 * (none for an empty body). */
	int (*message)(void *ctx, const store_dump_msg_t *m);
	int (*body)(void *ctx, const void *p, size_t n);
} store_dump_visitor_t;

/* Walks mailbox mbox, disabled or not: head, folders, ACL entries, then
 * messages with their bodies.  NOTFOUND if there is no such mailbox. */
int store_dump(store_t *st, const char *mbox, const store_dump_visitor_t *v, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
