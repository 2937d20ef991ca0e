/*
 * imap_fetch.h -- what a FETCH asks for (RFC 3501 6.4.5, RFC 7162 3.1.4):
 * the items of its list (macros expanded), parsed once, and its
 * modifiers (CHANGEDSINCE, VANISHED).
 */
#ifndef GW_IMAP_FETCH_H
#define GW_IMAP_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "imap_message.h"
#include "imap_parse.h"
#include "mime_section.h"

#define FETCH_MAX_ITEMS 64
#define FETCH_LABEL_MAX 512

enum fetch_kind {
	FETCH_UID,
	FETCH_FLAGS,
	FETCH_INTERNALDATE,
	FETCH_SIZE,
	FETCH_MODSEQ,
	FETCH_ENVELOPE,
	FETCH_BODY,	     /* BODY without a section: the non-extended structure */
	FETCH_BODYSTRUCTURE, /* BODYSTRUCTURE */
	FETCH_SECTION,	     /* BODY[...], BODY.PEEK[...], RFC822, RFC822.HEADER/.TEXT */
};

struct fetch_item {
	enum fetch_kind kind;
	struct mime_section section;
	int sets_seen; /* BODY[...] and RFC822(.TEXT): the message is read */
	int partial;   /* <offset.length> given */
	uint64_t offset, length;
	char label[FETCH_LABEL_MAX]; /* how the answer names it: "BODY[1.2]<0>" */
};

struct fetch_request {
	struct fetch_item *items;
	size_t count;
	enum imap_message_need need; /* 0: nothing but the view */
	int sets_seen;
	int streams; /* only whole-message sections: sent piecewise */
	int changedsince_given;
	uint64_t changedsince;
	int vanished;
};

/* Parses the item list (args[0]) and any modifiers (args[1]); 0, or -1
 * with *error for the BAD answer. */
int fetch_parse(const struct imap_arg *args, size_t nargs, int uid, struct fetch_request *req,
		const char **error);
void fetch_request_free(struct fetch_request *req);

#endif
