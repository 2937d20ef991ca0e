/*
 * imap_msgset.h -- which messages of the selected folder a sequence set
 * (or, under UID, a UID set) names (RFC 3501 6.4.8, 9 "sequence-set"):
 * only messages the client has been told of count; "*" is the last of
 * them; a UID range past the last UID still takes the last message.
 */
#ifndef GW_IMAP_MSGSET_H
#define GW_IMAP_MSGSET_H

#include <stddef.h>

#include "imap_parse.h"
#include "imap_view.h"

struct imap_msgset {
	size_t *index; /* view indexes, ascending, each once */
	size_t count;
};

enum imap_msgset_result { IMAP_MSGSET_OK, IMAP_MSGSET_SYNTAX, IMAP_MSGSET_RANGE };

/* RANGE: a sequence number past the messages told (BAD, RFC 3501). */
enum imap_msgset_result imap_msgset_parse(const struct imap_view *v, const struct imap_arg *arg,
					  int uid, struct imap_msgset *set);
void imap_msgset_free(struct imap_msgset *set);
/* The words of a BAD answer to a set that did not parse. */
const char *imap_msgset_error(enum imap_msgset_result r);

/* uid-set text of the UIDs of set's messages ("4:6,9"), into out. */
void imap_msgset_write_uids(const struct imap_view *v, const struct imap_msgset *set,
			    struct buf *out);
/* The same for a list of UIDs in ascending order. */
void imap_write_uid_ranges(const uint64_t *uids, size_t n, struct buf *out);

#endif
