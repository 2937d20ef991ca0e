/*
 * imap_names.h -- IMAP mailbox names and the store's folders (RFC 3501
 * 5.1, RFC 2342 namespaces).  "/" separates levels, as in store paths.
 *
 *   INBOX/...                 the caller's own folders ("INBOX", in any
 *   Drafts, ...               case, is the store's "Inbox")
 *   Other Users/bob/...       bob's folders shared with the caller
 *   Public Folders/...        the public folders (mailbox "public")
 *
 * "Other Users", "Other Users/bob" and "Public Folders" are nodes of the
 * hierarchy, never folders (\Noselect).  Names travel in modified UTF-7
 * (imap_mutf7.h); store paths are UTF-8.
 */
#ifndef GW_IMAP_NAMES_H
#define GW_IMAP_NAMES_H

#include <stddef.h>

#include "buf.h"
#include "mail.h"

#define IMAP_NS_OTHER "Other Users"
#define IMAP_NS_PUBLIC "Public Folders"

enum imap_box_kind {
	IMAP_BOX_FOLDER,      /* a folder of a mailbox */
	IMAP_BOX_OTHER_ROOT,  /* "Other Users" */
	IMAP_BOX_USER_ROOT,   /* "Other Users/bob": bob's mailbox as a whole */
	IMAP_BOX_PUBLIC_ROOT, /* "Public Folders" */
};

struct imap_box {
	enum imap_box_kind kind;
	char mailbox[MAIL_NAME_MAX + 1]; /* "" the caller's own */
	char path[STORE_PATH_MAX + 1];	 /* the folder ("" for a node) */
};

/* A mailbox name as a client sent it; 0, or -1 if it names nothing that
 * could exist (bad modified UTF-7, an empty level, too long). */
int imap_name_parse(const char *name, size_t len, struct imap_box *box);

/* The name of box as clients see it (modified UTF-7), appended to out. */
int imap_name_format(const struct imap_box *box, struct buf *out);

/* Whether a store path is a well-known folder's, for LIST's special-use
 * attribute (RFC 6154); NULL if none. */
const char *imap_special_use(const char *mailbox, const char *path);

#endif
