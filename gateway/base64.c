/* base64.c -- see base64.h. */
#include <openssl/evp.h>
#include <string.h>

#include "base64.h"

#define CHUNK 3072 /* a multiple of 3 and of 4 */

int base64_encode(struct buf *out, const void *data, size_t len)
{
	const unsigned char *p = data;
	unsigned char text[CHUNK / 3 * 4 + 1];
	while (len > 0) {
		size_t take = len < CHUNK ? len : CHUNK;
		int n = EVP_EncodeBlock(text, p, (int)take);
		if (buf_add(out, text, (size_t)n) != 0)
			return -1;
		p += take;
		len -= take;
	}
	return 0;
}

static int is_b64(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '/';
}

int base64_decode(struct buf *out, const char *text, size_t len)
{
	/* EVP_DecodeBlock skips whitespace and does not tell padding apart,
	 * so the shape is checked here: groups of 4, '=' only at the end. */
	if (len % 4 != 0)
		return -1;
	size_t pad = 0;
	if (len > 0 && text[len - 1] == '=')
		pad = len > 1 && text[len - 2] == '=' ? 2 : 1;
	for (size_t i = 0; i < len - pad; i++)
		if (!is_b64((unsigned char)text[i]))
			return -1;
	unsigned char bytes[CHUNK];
	for (size_t at = 0; at < len; at += CHUNK / 3 * 4) {
		size_t take = len - at < CHUNK / 3 * 4 ? len - at : CHUNK / 3 * 4;
		int n = EVP_DecodeBlock(bytes, (const unsigned char *)text + at, (int)take);
		if (n < 0)
			return -1;
		size_t keep = (size_t)n;
		if (at + take == len)
			keep -= pad; /* EVP_DecodeBlock counts padding as zero bytes */
		if (buf_add(out, bytes, keep) != 0)
			return -1;
	}
	return 0;
}
