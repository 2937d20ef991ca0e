/*
 * imap_flags.h -- IMAP system flags and the store's flag bits.  The store
 * keeps the five system flags of RFC 3501 2.3.2 but \Recent (which is per
 * session here) and no keywords: PERMANENTFLAGS lists no "\*", so clients
 * know keywords are not kept, and a keyword in STORE or APPEND is ignored.
 */
#ifndef GW_IMAP_FLAGS_H
#define GW_IMAP_FLAGS_H

#include <stdint.h>

#include "buf.h"
#include "imap_parse.h"

#define IMAP_SYSTEM_FLAGS "\\Answered \\Flagged \\Deleted \\Seen \\Draft"

/* "(\Seen \Recent ...)" for store bits (recent: add \Recent). */
int imap_write_flags(struct buf *out, uint32_t flags, int recent);

/* The flags a caller may change, given its rights (RFC 4314 s, w, t):
 * "\Seen \Deleted ..." without parentheses. */
int imap_write_permanent_flags(struct buf *out, uint32_t rights);

/* A flag list (a list argument, or one atom) as store bits: 0, or -1 for
 * something that is no flag (\Recent may not be set; keywords count as
 * nothing). */
int imap_parse_flags(const struct imap_arg *arg, uint32_t *flags_r);

/* The store bit of one flag name (case-insensitive), 0 if none. */
uint32_t imap_flag_bit(const char *name);

#endif
