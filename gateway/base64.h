/* base64.h -- SASL's base64 (RFC 4648, padded), through OpenSSL's EVP coder. */
#ifndef GW_BASE64_H
#define GW_BASE64_H

#include <stddef.h>

#include "buf.h"

/* Appends the encoding of data to out; -1 if out's limit is hit. */
int base64_encode(struct buf *out, const void *data, size_t len);

/* Appends the decoded bytes to out; -1 on anything but canonical base64
 * (stray characters, whitespace, bad padding) or out's limit. */
int base64_decode(struct buf *out, const char *text, size_t len);

#endif
