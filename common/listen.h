/*
 * listen.h -- listening sockets and peer names, shared by mailrpcd and the
 * IMAP/POP3 gateway so that both read --listen alike and log peers alike.
 */
#ifndef MAILRPC_COMMON_LISTEN_H
#define MAILRPC_COMMON_LISTEN_H

#include <stddef.h>
#include <sys/socket.h>

/*
 * Binds and listens on ADDR:PORT or [ADDR]:PORT (port 0: any free one).
 * Returns the socket (close-on-exec) and its port in *port_r, or -1 with
 * a sentence an admin can act on in why.
 */
int listen_open(const char *spec, int *port_r, char *why, size_t why_len);

/* "ADDR:PORT" or "[ADDR]:PORT", numeric; "?" if it cannot be formatted. */
void peer_format(const struct sockaddr_storage *ss, socklen_t len, char *buf, size_t n);

/* The numeric address alone (connection limits count per address). */
void peer_address(const struct sockaddr_storage *ss, socklen_t len, char *buf, size_t n);

#endif
