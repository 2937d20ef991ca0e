/*
 * authz.h -- the one authorization entry point.  Every handler that
 * touches a folder or a message asks here, naming the rights it needs
 * (RFC 4314 letters, as store rights bits) on the mailbox the connection
 * has open.
 *
 * Rules: a mailbox's owner, and --public-admin principals on the public
 * mailbox, hold every right.  Anyone else holds the union of the rights
 * granted to their principal and to "anyone" on that folder.  Without
 * "l" a folder (and every message in it) reads exactly like one that
 * does not exist; with "l" but without a needed right the answer is
 * MR_ERR_DENIED.  Rights are read from the store on every call, so a
 * change takes effect on the next call of every open connection.
 */
#ifndef MAILRPCD_AUTHZ_H
#define MAILRPCD_AUTHZ_H

#include <stdint.h>

#include "procs.h"

#define PUBLIC_MAILBOX "public"

#define R_LOOKUP   (1u << 0)  /* l */
#define R_READ     (1u << 1)  /* r */
#define R_SEEN     (1u << 2)  /* s */
#define R_WRITE    (1u << 3)  /* w */
#define R_INSERT   (1u << 4)  /* i */
#define R_POST     (1u << 5)  /* p */
#define R_CREATE   (1u << 6)  /* k */
#define R_DELETE_FOLDER (1u << 7)  /* x */
#define R_DELETE_MSG (1u << 8)     /* t */
#define R_EXPUNGE  (1u << 9)  /* e */
#define R_ADMIN    (1u << 10) /* a */

/* The mailbox this connection works on: the one opened, else the caller's. */
const char *authz_mailbox(const struct caller *caller);

/* MAILBOX_OPEN: "" returns to the caller's own.  MR_OK or MR_ERR_BADNAME. */
mr_status authz_open(const struct caller *caller, const char *mailbox);

/* Does the caller hold every right in need on folder path ("" the root)? */
mr_status authz_folder(const struct caller *caller, const char *path, uint32_t need);

/*
 * The same for the folder holding message id; a message the caller may
 * not see is MR_ERR_NOMESSAGE, like a missing one.
 */
mr_status authz_message(const struct caller *caller, uint64_t id, uint32_t need);

/*
 * For calls that take a folder or "" for every folder (search, wait): a
 * folder needs what authz_folder says; "" is for the owner only
 * (MR_ERR_INVALID otherwise).
 */
mr_status authz_scope(const struct caller *caller, const char *folder, uint32_t need);

/*
 * authz_folder, then the folder must exist (the root always does): for
 * calls whose later "not found" must mean something else (an id, an
 * upload).  MR_ERR_NOFOLDER / MR_ERR_BADNAME for a missing or bad name.
 */
mr_status authz_existing_folder(const struct caller *caller, const char *path, uint32_t need);

/* Rights needed to set or clear flag bits: "s" for seen, "w" for the rest. */
uint32_t authz_flag_rights(unsigned flags);

/* Send on behalf of mailbox: needs "p" on its Outbox (owners need nothing). */
mr_status authz_post(const struct caller *caller, const char *mailbox);

/* Whether the caller holds "l" on path: for filtering folder listings. */
int authz_can_see(const struct caller *caller, const char *path);

/* The caller owns the open mailbox (or administers it, for public). */
int authz_is_owner(const struct caller *caller);

#endif
