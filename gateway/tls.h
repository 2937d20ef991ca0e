/*
 * tls.h -- the gateway's TLS server context (OpenSSL): TLS 1.2 or later,
 * certificate chain and key from PEM files, checked at start.
 */
#ifndef GW_TLS_H
#define GW_TLS_H

#include <openssl/ssl.h>
#include <stddef.h>

/* NULL, with a sentence an admin can act on in why, if unusable. */
SSL_CTX *tls_server_context(const char *cert_file, const char *key_file, char *why, size_t why_len);

#endif
