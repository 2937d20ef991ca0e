/*
 * pop3_parse.h -- POP3 command lines (RFC 1939, with RFC 2449's longer
 * arguments): a keyword of 3-4 letters, then arguments separated by single
 * spaces.  PASS takes the rest of the line, spaces included, as RFC 1939
 * allows.  The line is split in place.  pop3_parse_command is also the
 * libFuzzer entry point's target.
 */
#ifndef GW_POP3_PARSE_H
#define GW_POP3_PARSE_H

#include <stddef.h>

#define POP3_MAX_ARGS 2
#define POP3_ARG_MAX 255 /* RFC 2449 section 4 */

struct pop3_command {
	char keyword[5]; /* upper-cased */
	const char *args[POP3_MAX_ARGS];
	size_t nargs;
	const char *rest; /* the line after "KEYWORD " ("" if none) */
};

/*
 * line: the command line without CRLF, len bytes, writable and followed by
 * one more writable byte.  0, or -1 with a reason in *error (static text).
 */
int pop3_parse_command(char *line, size_t len, struct pop3_command *cmd, const char **error);

#endif
