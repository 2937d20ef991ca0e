/* seal.c -- keys, seal and open of sealed bodies (see seal.h). */
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <string.h>

#include "seal.h"

/*
 * Messages: RPCSEC_GSS sequence numbers end at 2^31 (MAXSEQ), so a
 * context carries fewer calls than this anyway; it is also below the 2^32
 * invocations NIST SP 800-38D allows one GCM key.  Bytes: 2^36 (64 GiB,
 * 2^32 AES blocks) per key keeps an attacker's advantage in telling the
 * ciphertext from random near 2^-64 (the bound sigma^2 / 2^128).
 */
const struct seal_limits seal_default_limits = {.messages = 1ULL << 31, .bytes = 1ULL << 36};

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

void seal_nonce(enum seal_dir dir, uint64_t counter, unsigned char nonce[SEAL_NONCE_LEN])
{
	put32(nonce, (uint32_t)dir);
	put32(nonce + 4, (uint32_t)(counter >> 32));
	put32(nonce + 8, (uint32_t)counter);
}

void seal_aad(enum seal_dir dir, const struct seal_ids *ids, unsigned char aad[SEAL_AAD_LEN])
{
	memcpy(aad, "MRS1", 4);
	put32(aad + 4, ids->prog);
	put32(aad + 8, ids->vers);
	put32(aad + 12, ids->proc);
	put32(aad + 16, ids->xid);
	put32(aad + 20, ids->seq);
	put32(aad + 24, (uint32_t)dir);
}

int seal_preload(void)
{
	static const unsigned char zero_key[SEAL_KEY_LEN];
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int ok = ctx != NULL &&
		 EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, zero_key, NULL) == 1 &&
		 EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, zero_key, NULL) == 1;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? SEAL_OK : SEAL_FAILED;
}

int seal_key_init(struct seal_key *k, const unsigned char key[SEAL_KEY_LEN], enum seal_dir dir,
		  enum seal_role role, const struct seal_limits *limits)
{
	memset(k, 0, sizeof(*k));
	k->dir = dir;
	k->role = role;
	k->limits = *limits;
	k->ctx = EVP_CIPHER_CTX_new();
	if (k->ctx == NULL)
		return SEAL_FAILED;
	/* The key schedule is made once; each message then sets its nonce. */
	int ok = role == SEAL_SENDER
		     ? EVP_EncryptInit_ex(k->ctx, EVP_aes_256_gcm(), NULL, key, NULL)
		     : EVP_DecryptInit_ex(k->ctx, EVP_aes_256_gcm(), NULL, key, NULL);
	if (ok != 1) {
		seal_key_wipe(k);
		return SEAL_FAILED;
	}
	return SEAL_OK;
}

int seal_keys_init(struct seal_keys *ks, const unsigned char material[2 * SEAL_KEY_LEN],
		   int is_client, const struct seal_limits *limits)
{
	enum seal_role calls = is_client ? SEAL_SENDER : SEAL_RECEIVER;
	enum seal_role replies = is_client ? SEAL_RECEIVER : SEAL_SENDER;
	memset(ks, 0, sizeof(*ks));
	if (seal_key_init(&ks->call, material, SEAL_CALL, calls, limits) != SEAL_OK ||
	    seal_key_init(&ks->reply, material + SEAL_KEY_LEN, SEAL_REPLY, replies, limits) !=
		SEAL_OK) {
		seal_keys_wipe(ks);
		return SEAL_FAILED;
	}
	return SEAL_OK;
}

void seal_key_wipe(struct seal_key *k)
{
	/* EVP_CIPHER_CTX_free cleanses the key schedule it holds. */
	EVP_CIPHER_CTX_free(k->ctx);
	OPENSSL_cleanse(k, sizeof(*k));
}

void seal_keys_wipe(struct seal_keys *ks)
{
	seal_key_wipe(&ks->call);
	seal_key_wipe(&ks->reply);
}

int seal_key_spent(const struct seal_key *k, size_t len)
{
	return k->ctx == NULL || k->counter + 1 > k->limits.messages ||
	       k->bytes + len > k->limits.bytes;
}

/* Nonce and AAD into k's context, ready for the body. */
static int start(struct seal_key *k, const struct seal_ids *ids, uint64_t counter)
{
	unsigned char nonce[SEAL_NONCE_LEN], aad[SEAL_AAD_LEN];
	int n;
	seal_nonce(k->dir, counter, nonce);
	seal_aad(k->dir, ids, aad);
	if (k->role == SEAL_SENDER)
		return EVP_EncryptInit_ex(k->ctx, NULL, NULL, NULL, nonce) == 1 &&
		       EVP_EncryptUpdate(k->ctx, NULL, &n, aad, sizeof(aad)) == 1;
	return EVP_DecryptInit_ex(k->ctx, NULL, NULL, NULL, nonce) == 1 &&
	       EVP_DecryptUpdate(k->ctx, NULL, &n, aad, sizeof(aad)) == 1;
}

int seal_box(struct seal_key *k, const struct seal_ids *ids, unsigned char *buf, size_t len,
	     unsigned char tag[SEAL_TAG_LEN], uint64_t *counter_r)
{
	if (k->role != SEAL_SENDER || len > SEAL_BODY_MAX)
		return SEAL_MALFORMED;
	if (seal_key_spent(k, len))
		return SEAL_SPENT;
	/* Taken before sealing: a counter is never used twice, even when
	 * OpenSSL fails half-way. */
	uint64_t counter = ++k->counter;
	k->bytes += len;
	int n;
	/* The tag as OpenSSL 3's parameter itself: EVP_CIPHER_CTX_ctrl only
	 * builds this and passes it on, at a measured ~115 instructions more
	 * per message (docs/sealing.md, "Cost of a small call"). */
	OSSL_PARAM get_tag[] = {
	    OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, SEAL_TAG_LEN),
	    OSSL_PARAM_construct_end()};
	if (!start(k, ids, counter) || EVP_EncryptUpdate(k->ctx, buf, &n, buf, (int)len) != 1 ||
	    EVP_EncryptFinal_ex(k->ctx, buf + n, &n) != 1 ||
	    EVP_CIPHER_CTX_get_params(k->ctx, get_tag) != 1 ||
	    get_tag[0].return_size != SEAL_TAG_LEN)
		return SEAL_FAILED;
	*counter_r = counter;
	return SEAL_OK;
}

int seal_open(struct seal_key *k, const struct seal_ids *ids, uint64_t counter, unsigned char *buf,
	      size_t len, const unsigned char tag[SEAL_TAG_LEN])
{
	if (k->role != SEAL_RECEIVER || len > SEAL_BODY_MAX)
		return SEAL_MALFORMED;
	/* A window of one: calls on a context go one at a time, so every
	 * counter must be above the last one accepted. */
	if (counter <= k->counter)
		return SEAL_REPLAY;
	if (k->ctx == NULL || counter > k->limits.messages || k->bytes + len > k->limits.bytes)
		return SEAL_SPENT;
	int n, result = SEAL_OK;
	/* As in seal_box, without EVP_CIPHER_CTX_ctrl's detour. */
	OSSL_PARAM set_tag[] = {OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG,
								  (void *)tag, SEAL_TAG_LEN),
				OSSL_PARAM_construct_end()};
	if (!start(k, ids, counter) || EVP_DecryptUpdate(k->ctx, buf, &n, buf, (int)len) != 1 ||
	    EVP_CIPHER_CTX_set_params(k->ctx, set_tag) != 1)
		result = SEAL_FAILED;
	else if (EVP_DecryptFinal_ex(k->ctx, buf + n, &n) != 1)
		result = SEAL_BADTAG;
	if (result != SEAL_OK) {
		/* Unauthenticated plaintext must never be read. */
		OPENSSL_cleanse(buf, len);
		return result;
	}
	k->counter = counter;
	k->bytes += len;
	return SEAL_OK;
}

const char *seal_result_text(int result)
{
	switch (result) {
	case SEAL_OK:
		return "sealed body verified";
	case SEAL_BADTAG:
		return "sealed body failed its integrity check (altered on the way?)";
	case SEAL_REPLAY:
		return "sealed body replayed or out of order (counter not above the last one)";
	case SEAL_SPENT:
		return "sealing key past its limits";
	case SEAL_MALFORMED:
		return "not a well-formed sealed body";
	case SEAL_UNDECODED:
		return "sealed body opened but did not decode";
	default:
		return "sealing failed inside OpenSSL";
	}
}
