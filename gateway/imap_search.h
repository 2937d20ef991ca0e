/*
 * imap_search.h -- SEARCH criteria (RFC 3501 6.4.4; MODSEQ of RFC 7162
 * 3.1.5) as a tree, and whether a message of the selected folder matches.
 * Criteria on flags, sizes, dates, numbers and MODSEQ are answered from
 * the view; header criteria read the message's header, BODY and TEXT the
 * whole message: header fields are RFC 2047-decoded and text parts
 * decoded to UTF-8 by GMime, then searched without regard to case.
 * INTERNALDATE days are UTC days; Date: header days are the header's own.
 */
#ifndef GW_IMAP_SEARCH_H
#define GW_IMAP_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "imap_message.h"
#include "imap_parse.h"
#include "imap_view.h"

struct search_node;

struct search {
	struct search_node *root;
	enum imap_message_need need; /* the most any criterion reads */
	int has_modseq;		     /* a MODSEQ criterion (the answer says the highest) */
};

/* Parses criteria args[0..n) for view v (numbers and UIDs are resolved
 * against it): 0, or -1 with *error for BAD. */
int search_parse(const struct imap_view *v, const struct imap_arg *args, size_t n,
		 struct search *srch, const char **error);
void search_free(struct search *srch);

/* Whether view message i matches; m: the message read as srch->need says
 * (NULL when the criteria need none of it). */
int search_match(const struct search *srch, const struct imap_view *v, size_t i,
		 const struct imap_message *m);

#endif
