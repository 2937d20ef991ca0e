/*
 * conn.h -- one client connection in its own process (forked by
 * listener.c): memory cap, stream, implicit TLS, then the protocol.
 */
#ifndef GW_CONN_H
#define GW_CONN_H

#include <openssl/ssl.h>

#include "config.h"

struct slot;

/* Settings and TLS context the connection processes inherit. */
void gw_conn_setup(const struct gw_config *cfg, SSL_CTX *tls_ctx);

/* Serves fd to the end; never returns. */
void gw_conn_serve(int fd, const char *peer, int implicit_tls, struct slot *slot,
		   volatile int *stop) __attribute__((noreturn));

#endif
