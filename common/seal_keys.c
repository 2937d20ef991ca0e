/* seal_keys.c -- see seal_keys.h. */
#include <openssl/crypto.h>
#include <string.h>

#include "seal_keys.h"

void seal_prf_input(const unsigned char client_random[SEAL_RANDOM_LEN],
		    const unsigned char server_random[SEAL_RANDOM_LEN],
		    unsigned char in[SEAL_PRF_IN_LEN])
{
	/* sizeof counts the label's terminating zero: the separator. */
	memcpy(in, SEAL_LABEL, sizeof(SEAL_LABEL));
	memcpy(in + sizeof(SEAL_LABEL), client_random, SEAL_RANDOM_LEN);
	memcpy(in + sizeof(SEAL_LABEL) + SEAL_RANDOM_LEN, server_random, SEAL_RANDOM_LEN);
}

int seal_keys_derive(gss_ctx_id_t ctx, const unsigned char client_random[SEAL_RANDOM_LEN],
		     const unsigned char server_random[SEAL_RANDOM_LEN], int is_client,
		     struct seal_keys *ks, OM_uint32 *major_r, OM_uint32 *minor_r)
{
	unsigned char in[SEAL_PRF_IN_LEN];
	seal_prf_input(client_random, server_random, in);
	gss_buffer_desc prf_in = {.length = sizeof(in), .value = in};
	gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
	OM_uint32 minor = 0;
	*major_r =
	    gss_pseudo_random(&minor, ctx, GSS_C_PRF_KEY_FULL, &prf_in, 2 * SEAL_KEY_LEN, &out);
	*minor_r = minor;
	int rc = -1;
	if (!GSS_ERROR(*major_r) && out.length == 2 * SEAL_KEY_LEN) {
		*major_r = *minor_r = 0;
		rc = seal_keys_init(ks, out.value, is_client, &seal_default_limits) == SEAL_OK ? 0
											       : -1;
	}
	if (out.value != NULL)
		OPENSSL_cleanse(out.value, out.length);
	gss_release_buffer(&minor, &out);
	return rc;
}
