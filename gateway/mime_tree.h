/*
 * mime_tree.h -- a message as IMAP sees it: GMime parses it (content
 * types, parameters, addresses, the multipart and message/rfc822
 * structure), and each entity records where its MIME header and body lie
 * in the original bytes, so that every section IMAP returns is a slice of
 * those bytes, never GMime's re-serialisation.
 *
 * Offsets follow RFC 2046 as GMime reads it: a part runs from after its
 * boundary line to before the line end that precedes the next boundary
 * line (that line end belongs to the boundary).
 */
#ifndef GW_MIME_TREE_H
#define GW_MIME_TREE_H

#include <gmime/gmime.h>
#include <stddef.h>

enum mime_kind { MIME_LEAF, MIME_MULTIPART, MIME_MESSAGE };

/* Deeper nesting is shown as an opaque leaf (as Dovecot caps it too). */
#define MIME_MAX_DEPTH 50
/* Parts of one multipart beyond this are left out. */
#define MIME_MAX_PARTS 1000

struct mime_entity {
	enum mime_kind kind;
	GMimeObject *object;	   /* GMime's view of it (NULL: plain text/plain) */
	size_t header_start;	   /* its MIME header: [header_start, body_start) */
	size_t body_start, end;	   /* its body: [body_start, end) */
	struct mime_entity *parts; /* MULTIPART: its parts */
	size_t nparts;
	/* MESSAGE (message/rfc822): the message inside, its header at
	 * [body_start, message_body_start) and its body entity. */
	GMimeMessage *message;
	size_t message_body_start;
	struct mime_entity *message_body;
};

struct mime_message {
	const char *data; /* the message's bytes (not copied: keep them) */
	size_t len;
	GMimeMessage *gmime; /* NULL if GMime found no message at all */
	size_t body_start;   /* the top-level header is [0, body_start) */
	struct mime_entity body;
};

/* GMime's set-up, once per process (mime_parse does it; call it before
 * using other mime_* functions on raw headers). */
void mime_init(void);

/* Parses data (any bytes: never fails but for memory, -1). */
int mime_parse(const char *data, size_t len, struct mime_message *m);
void mime_free(struct mime_message *m);

/*
 * Whether every leaf's body range holds exactly the bytes GMime gave that
 * part as its content: the offsets agree with GMime's own parse.  For
 * tests and the fuzzer.
 */
int mime_agrees_with_gmime(const struct mime_message *m);

/* Lines (LF count) in [start, end), as IMAP's body line counts. */
size_t mime_count_lines(const char *data, size_t start, size_t end);

#endif
