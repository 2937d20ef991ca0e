/*
 * seal_keys.h -- the keys of sealed calls from a Kerberos context: both
 * sides run GSS_Pseudo_random (RFC 4401, GSS_C_PRF_KEY_FULL; RFC 4402 for
 * Kerberos) over a fixed label and the two fresh values SEAL_BEGIN
 * exchanged, and get the same 64 bytes: the call key, then the reply key
 * (docs/sealing.md, "Keys").
 */
#ifndef MAILRPC_COMMON_SEAL_KEYS_H
#define MAILRPC_COMMON_SEAL_KEYS_H

#include <gssapi/gssapi.h>

#include "seal.h"

/* The PRF's input: the label, a zero byte, the client's value, the server's. */
#define SEAL_LABEL "mailrpc sealed calls v1 AES-256-GCM"
#define SEAL_PRF_IN_LEN (sizeof(SEAL_LABEL) + 2 * SEAL_RANDOM_LEN)

void seal_prf_input(const unsigned char client_random[SEAL_RANDOM_LEN],
		    const unsigned char server_random[SEAL_RANDOM_LEN],
		    unsigned char in[SEAL_PRF_IN_LEN]);

/* Sets ks up from ctx for the client (is_client) or the server.  0, or -1
 * with the GSSAPI status in *major_r and *minor_r (0 when OpenSSL failed).
 * The derived bytes are wiped before it returns. */
int seal_keys_derive(gss_ctx_id_t ctx, const unsigned char client_random[SEAL_RANDOM_LEN],
		     const unsigned char server_random[SEAL_RANDOM_LEN], int is_client,
		     struct seal_keys *ks, OM_uint32 *major_r, OM_uint32 *minor_r);

#endif
