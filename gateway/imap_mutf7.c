/* imap_mutf7.c -- modified UTF-7 mailbox names (see imap_mutf7.h). */
#include <stdint.h>
#include <string.h>

#include "imap_mutf7.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static int b64_value(unsigned char c)
{
	const char *p = c ? strchr(b64, c) : NULL;
	return p ? (int)(p - b64) : -1;
}

static int put_utf8(struct buf *out, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return buf_add(out, u, n);
}

/* One base64 run [p, end) (between '&' and '-') as UTF-8. */
static int decode_run(const unsigned char *p, const unsigned char *end, struct buf *out)
{
	uint32_t bits = 0, high = 0;
	int nbits = 0;
	for (; p < end; p++) {
		int v = b64_value(*p);
		if (v < 0)
			return -1;
		bits = (bits << 6) | (uint32_t)v;
		nbits += 6;
		if (nbits < 16)
			continue;
		nbits -= 16;
		uint32_t unit = (bits >> nbits) & 0xffff;
		bits &= (1u << nbits) - 1;
		if (high != 0) {
			if (unit < 0xdc00 || unit > 0xdfff)
				return -1;
			unit = 0x10000 + ((high - 0xd800) << 10) + (unit - 0xdc00);
			high = 0;
		} else if (unit >= 0xd800 && unit <= 0xdbff) {
			high = unit;
			continue;
		} else if ((unit >= 0xdc00 && unit <= 0xdfff) || (unit >= 0x20 && unit < 0x7f)) {
			return -1; /* a lone low surrogate; printable ASCII spelt in base64 */
		}
		if (put_utf8(out, unit) != 0)
			return -1;
	}
	/* What is left must be padding: fewer than 6 bits, all zero. */
	return high == 0 && nbits < 6 && bits == 0 ? 0 : -1;
}

int mutf7_to_utf8(const char *in, size_t len, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)in, *end = p + len;
	while (p < end) {
		if (*p < 0x20 || *p >= 0x7f)
			return -1;
		if (*p != '&') {
			if (buf_addc(out, (char)*p++) != 0)
				return -1;
			continue;
		}
		const unsigned char *dash = memchr(p + 1, '-', (size_t)(end - p - 1));
		if (dash == NULL)
			return -1;
		if (dash == p + 1) {
			if (buf_addc(out, '&') != 0)
				return -1;
		} else if (decode_run(p + 1, dash, out) != 0) {
			return -1;
		}
		p = dash + 1;
	}
	return 0;
}

/* The next code point of UTF-8 at *p (advanced), or -1 if invalid. */
static int64_t next_utf8(const unsigned char **p, const unsigned char *end)
{
	const unsigned char *s = *p;
	uint32_t cp;
	size_t n;
	if (s[0] < 0x80)
		n = 1, cp = s[0];
	else if ((s[0] & 0xe0) == 0xc0)
		n = 2, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, cp = s[0] & 0x07;
	else
		return -1;
	if ((size_t)(end - s) < n)
		return -1;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < least[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*p = s + n;
	return cp;
}

struct b64_writer {
	uint32_t bits;
	int nbits;
};

static int b64_put16(struct buf *out, struct b64_writer *w, uint32_t unit)
{
	w->bits = (w->bits << 16) | unit;
	w->nbits += 16;
	while (w->nbits >= 6) {
		w->nbits -= 6;
		if (buf_addc(out, b64[(w->bits >> w->nbits) & 0x3f]) != 0)
			return -1;
	}
	w->bits &= (1u << w->nbits) - 1;
	return 0;
}

int mutf7_from_utf8(const char *in, size_t len, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)in, *end = p + len;
	while (p < end) {
		if (*p >= 0x20 && *p < 0x7f) {
			if (buf_adds(out, *p == '&' ? "&-" : (char[]){(char)*p, 0}) != 0)
				return -1;
			p++;
			continue;
		}
		struct b64_writer w = {0, 0};
		if (buf_addc(out, '&') != 0)
			return -1;
		while (p < end && !(*p >= 0x20 && *p < 0x7f)) {
			int64_t cp = next_utf8(&p, end);
			if (cp < 0)
				return -1;
			if (cp >= 0x10000) {
				cp -= 0x10000;
				if (b64_put16(out, &w, 0xd800 + ((uint32_t)cp >> 10)) != 0 ||
				    b64_put16(out, &w, 0xdc00 + ((uint32_t)cp & 0x3ff)) != 0)
					return -1;
			} else if (b64_put16(out, &w, (uint32_t)cp) != 0) {
				return -1;
			}
		}
		if (w.nbits > 0 && buf_addc(out, b64[(w.bits << (6 - w.nbits)) & 0x3f]) != 0)
			return -1;
		if (buf_addc(out, '-') != 0)
			return -1;
	}
	return 0;
}
