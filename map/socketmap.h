/*
 * socketmap.h -- Postfix's socketmap protocol (socketmap_table(5)), the
 * server's side: requests "NAME KEY" and replies "OK DATA", "NOTFOUND ",
 * "TEMP REASON" or "PERM REASON", each a netstring ("LEN:BYTES,").
 */
#ifndef MAILRPC_SOCKETMAP_H
#define MAILRPC_SOCKETMAP_H

#include <stddef.h>
#include <stdio.h>

/* The longest request taken (a map name and an address, with room). */
#define SOCKETMAP_REQUEST_MAX 1024u

/* Reads one request from in into buf (NUL-terminated): 1, 0 at the end of
 * input, -1 if it is not a netstring of at most size - 1 bytes (then the
 * connection cannot go on). */
int socketmap_read(FILE *in, char *buf, size_t size);

/* Writes one reply: status ("OK", "NOTFOUND", "TEMP", "PERM") and text. */
int socketmap_reply(FILE *out, const char *status, const char *text);

#endif
