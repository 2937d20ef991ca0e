/*
 * mailstore.h -- the connection process's handle on the mailbox store
 * (server/store), and the one place store statuses become wire statuses.
 *
 * LMDB handles must not cross fork(), so each connection process opens
 * the store itself, on its first call that needs it.
 */
#ifndef MAILRPCD_MAILSTORE_H
#define MAILRPCD_MAILSTORE_H

#include "mailrpc_prot.h"
#include "store.h"

/* Routes the store's diagnostics to mailrpcd's log (log.h); call once
 * after log_init, before any store is opened. */
void mailstore_log_init(void);

/* The store (its policy is its own: docs/store-schema.md); NULL (logged)
 * on failure. */
store_t *mailstore(void);

/*
 * Makes sure the caller's mailbox exists (created on the owner's first
 * call, with the well-known folders).  MR_OK, MR_ERR_DISABLED, or
 * MR_ERR_INTERNAL.
 */
mr_status mailstore_ensure_mailbox(const char *mailbox);

/*
 * Housekeeping run by the parent process (hourly): forgets uploads left
 * unfinished for UPLOAD_MAX_AGE and tombstones older than the store
 * policy's tombstone-age.  Opens and closes its own handle, so no
 * LMDB state is ever inherited by a connection process.
 */
#define UPLOAD_MAX_AGE (7 * 24 * 3600)
void mailstore_maintain(void);

/*
 * Store status to wire status.  What "not found" and "invalid" mean
 * depends on what the call named, so the handler says: e.g. a folder
 * call passes MR_ERR_NOFOLDER and MR_ERR_BADNAME.
 */
mr_status mailstore_status(int store_status, mr_status if_notfound, mr_status if_invalid);

#endif
