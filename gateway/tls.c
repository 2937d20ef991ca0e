/* tls.c -- TLS server context (see tls.h). */
#include <errno.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tls.h"

/* The first OpenSSL error on the queue, in words; clears the queue. */
static const char *ssl_error_text(char *buf, size_t len)
{
	unsigned long e = ERR_peek_error();
	if (e == 0)
		snprintf(buf, len, "unknown error");
	else
		ERR_error_string_n(e, buf, len);
	ERR_clear_error();
	return buf;
}

/* An encrypted key fails at start instead of prompting on a terminal. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf, (void)size, (void)rwflag, (void)u;
	return 0;
}

SSL_CTX *tls_server_context(const char *cert_file, const char *key_file, char *why, size_t why_len)
{
	char err[256];
	if (access(cert_file, R_OK) != 0) {
		snprintf(why, why_len, "cannot read certificate %s: %s", cert_file,
			 strerror(errno));
		return NULL;
	}
	if (access(key_file, R_OK) != 0) {
		snprintf(why, why_len, "cannot read key %s: %s", key_file, strerror(errno));
		return NULL;
	}
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	if (ctx == NULL) {
		snprintf(why, why_len, "TLS: %s", ssl_error_text(err, sizeof(err)));
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	/* No renegotiation, no compression; the server picks the cipher. */
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION |
				     SSL_OP_CIPHER_SERVER_PREFERENCE);
	/* Partial writes keep the stream's flushing simple. */
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (SSL_CTX_use_certificate_chain_file(ctx, cert_file) != 1) {
		snprintf(why, why_len, "certificate %s is not usable (PEM expected): %s", cert_file,
			 ssl_error_text(err, sizeof(err)));
		goto fail;
	}
	SSL_CTX_set_default_passwd_cb(ctx, no_passphrase);
	if (SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM) != 1) {
		if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH)
			snprintf(why, why_len, "key %s does not belong to certificate %s", key_file,
				 cert_file);
		else
			snprintf(why, why_len,
				 "key %s is not usable (PEM, unencrypted, expected): %s", key_file,
				 ssl_error_text(err, sizeof(err)));
		ERR_clear_error();
		goto fail;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		snprintf(why, why_len, "key %s does not belong to certificate %s", key_file,
			 cert_file);
		ERR_clear_error();
		goto fail;
	}
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}
