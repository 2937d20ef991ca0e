/*
 * imap_parse.h -- IMAP4rev1 command syntax (RFC 3501 section 9): a tag, a
 * command name and arguments (atoms, quoted strings, literals {n} and
 * LITERAL+ {n+}, NIL, parenthesised lists), parsed from the bytes of one
 * whole command as imap_read.c assembles them: the lines without their
 * final CRLF, each literal as "{n}" CRLF and its n bytes in between.
 *
 * Atoms are read the way commands use them: "1:*" and "\Seen" are atoms,
 * and FETCH's BODY[HEADER.FIELDS (A B)]<0.10> is one atom (brackets may
 * hold spaces and parentheses).  Everything is bounded: nesting depth,
 * arguments in all; anything else is an error with a reason, never a crash.
 * imap_parse_command is also the libFuzzer entry point's target.
 */
#ifndef GW_IMAP_PARSE_H
#define GW_IMAP_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define IMAP_TAG_MAX 64
#define IMAP_NAME_MAX 32
#define IMAP_MAX_DEPTH 8
#define IMAP_MAX_ARGS 4096 /* in all, lists included */

enum imap_arg_type {
	IMAP_ARG_ATOM,
	IMAP_ARG_QUOTED,
	IMAP_ARG_LITERAL,
	IMAP_ARG_NIL,
	IMAP_ARG_LIST
};

struct imap_arg {
	enum imap_arg_type type;
	const char *data; /* atoms and strings: the bytes (quoted: unescaped), NUL-terminated */
	size_t len;
	struct imap_arg *list; /* IMAP_ARG_LIST: its elements */
	size_t count;
};

struct imap_command {
	char tag[IMAP_TAG_MAX + 1];   /* "" if none could be read */
	char name[IMAP_NAME_MAX + 1]; /* upper-cased */
	struct imap_arg *args;
	size_t nargs;
	/* Owned memory: freed by imap_command_free. */
	void *arena;
};

/* 0, or -1 with a reason for the BAD response in *error (static text). */
int imap_parse_command(const char *bytes, size_t len, struct imap_command *cmd, const char **error);
void imap_command_free(struct imap_command *cmd);

/* The tag alone from the start of a command line, for answering commands
 * that could not be read whole; "" if there is none. */
void imap_parse_tag(const char *bytes, size_t len, char tag[IMAP_TAG_MAX + 1]);

/* String accessors: an astring is an atom (NIL included), quoted or literal;
 * a string only quoted or literal.  Return the bytes or NULL. */
const char *imap_arg_astring(const struct imap_arg *arg, size_t *len_r);
const char *imap_arg_string(const struct imap_arg *arg, size_t *len_r);

/* Sequence sets (RFC 3501 sequence-set): "*" is IMAP_SEQ_STAR. */
#define IMAP_SEQ_STAR UINT32_MAX
struct imap_seq_range {
	uint32_t lo, hi; /* lo <= hi after parsing ("5:2" is 2:5) */
};
struct imap_seqset {
	struct imap_seq_range *range;
	size_t count;
};
/* 0, or -1 if text is not a sequence set; free with imap_seqset_free. */
int imap_seqset_parse(const char *text, size_t len, struct imap_seqset *set);
void imap_seqset_free(struct imap_seqset *set);

#endif
