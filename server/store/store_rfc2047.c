/*
 * store_rfc2047.c -- header text for display: RFC 2047 encoded-word
 * decoding (B and Q; utf-8, us-ascii, iso-8859-1; other charsets left
 * as-is), then sanitising to valid UTF-8 (invalid bytes -> U+FFFD,
 * controls -> space), trimming and bounding on a character boundary.
 */
#include "store_int.h"

#include <string.h>
#include <strings.h>

typedef struct buf {
	unsigned char *p;
	size_t len, cap;
} buf_t;

static int buf_add(buf_t *b, const void *data, size_t n)
{
	unsigned char *grown;
	size_t cap;

	if (b->len + n > b->cap) {
		cap = b->cap ? b->cap : 64;
		while (cap < b->len + n)
			cap *= 2;
		grown = realloc(b->p, cap);
		if (grown == NULL)
			return STORE_INTERNAL;
		b->p = grown;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	return STORE_OK;
}

static const unsigned char replacement[3] = { 0xEF, 0xBF, 0xBD };

enum cs { CS_UNKNOWN, CS_UTF8, CS_ASCII, CS_LATIN1 };

static enum cs charset_of(const char *s, size_t n)
{
	static const struct { const char *name; enum cs cs; } names[] = {
		{ "utf-8", CS_UTF8 }, { "utf8", CS_UTF8 },
		{ "us-ascii", CS_ASCII }, { "ascii", CS_ASCII },
		{ "iso-8859-1", CS_LATIN1 }, { "iso8859-1", CS_LATIN1 },
		{ "iso_8859-1", CS_LATIN1 }, { "latin1", CS_LATIN1 },
	};
	const char *star = memchr(s, '*', n);   /* RFC 2231 language */
	size_t i;

	if (star != NULL)
		n = (size_t)(star - s);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == n && strncasecmp(s, names[i].name, n) == 0)
			return names[i].cs;
	return CS_UNKNOWN;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decodes encoded text into raw bytes; returns 0 if malformed. */
static int decode_text(int enc, const char *t, size_t n, buf_t *raw)
{
	unsigned acc = 0;
	int bits = 0, h, l, v;
	unsigned char c;
	size_t i;

	for (i = 0; i < n; i++) {
		if (enc == 'B') {
			if (t[i] == '=')
				break;    /* padding */
			v = b64val((unsigned char)t[i]);
			if (v < 0)
				return 0;
			acc = (acc << 6) | (unsigned)v;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				c = (unsigned char)(acc >> bits);
				if (buf_add(raw, &c, 1) != STORE_OK)
					return 0;
			}
		} else {
			c = (unsigned char)t[i];
			if (c == '_') {
				c = ' ';
			} else if (c == '=') {
				if (i + 2 >= n)
					return 0;
				h = hexval((unsigned char)t[i + 1]);
				l = hexval((unsigned char)t[i + 2]);
				if (h < 0 || l < 0)
					return 0;
				c = (unsigned char)(h * 16 + l);
				i += 2;
			}
			if (buf_add(raw, &c, 1) != STORE_OK)
				return 0;
		}
	}
	for (; enc == 'B' && i < n; i++)
		if (t[i] != '=')
			return 0;
	return 1;
}

/* Converts decoded bytes of charset cs to (unsanitised) UTF-8 in out. */
static int charset_to_utf8(enum cs cs, const buf_t *raw, buf_t *out)
{
	unsigned char two[2];
	size_t i;
	int status = STORE_OK;

	if (cs == CS_UTF8)
		return raw->len ? buf_add(out, raw->p, raw->len) : STORE_OK;
	for (i = 0; i < raw->len && status == STORE_OK; i++) {
		unsigned char c = raw->p[i];
		if (c < 0x80) {
			status = buf_add(out, &c, 1);
		} else if (cs == CS_ASCII) {
			status = buf_add(out, replacement, 3);
		} else {
			two[0] = (unsigned char)(0xC0 | (c >> 6));
			two[1] = (unsigned char)(0x80 | (c & 0x3F));
			status = buf_add(out, two, 2);
		}
	}
	return status;
}

/* Tries to decode an encoded word at s (n bytes left).  Returns its
 * length, or 0 if it is not a decodable encoded word. */
static size_t try_word(const char *s, size_t n, buf_t *out)
{
	const char *cs_start, *q, *text, *end;
	buf_t raw = { NULL, 0, 0 };
	enum cs cs;
	int enc;
	size_t used = 0, i;

	if (n < 8 || s[0] != '=' || s[1] != '?')
		goto out;
	cs_start = s + 2;
	q = memchr(cs_start, '?', n - 2);
	if (q == NULL || q == cs_start || (size_t)(q - s) + 4 > n)
		goto out;
	enc = q[1] == 'b' ? 'B' : q[1] == 'q' ? 'Q' : q[1];
	if ((enc != 'B' && enc != 'Q') || q[2] != '?')
		goto out;
	text = q + 3;
	end = NULL;
	for (i = (size_t)(text - s); i + 1 < n; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			goto out;
		if (s[i] == '?' && s[i + 1] == '=') {
			end = s + i;
			break;
		}
	}
	if (end == NULL)
		goto out;
	for (i = 0; cs_start + i < q; i++)
		if (cs_start[i] == ' ' || cs_start[i] == '\t')
			goto out;
	cs = charset_of(cs_start, (size_t)(q - cs_start));
	if (cs == CS_UNKNOWN)
		goto out;
	if (!decode_text(enc, text, (size_t)(end - text), &raw))
		goto out;
	if (charset_to_utf8(cs, &raw, out) != STORE_OK)
		goto out;
	used = (size_t)(end + 2 - s);
out:
	free(raw.p);
	return used;
}

/* Valid UTF-8, controls -> space, trimmed, bounded to max bytes. */
static int sanitize(const buf_t *in, size_t max, char **out_r, size_t *len_r)
{
	char *out = NULL;
	size_t i = 0, o = 0, n, end;
	unsigned char sp = ' ';
	uint32_t cp;
	int status = STORE_INTERNAL;

	out = malloc(max + 1);
	if (out == NULL)
		goto out;
	while (i < in->len) {
		const unsigned char *c = in->p + i;
		n = st_utf8_char(c, in->len - i, &cp);
		if (n == 0) {
			c = replacement;
			n = 3;
			i += 1;
		} else {
			i += n;
			if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
				c = &sp;
				n = 1;
			}
		}
		if (o == 0 && n == 1 && *c == ' ')
			continue; /* leading, whether a space or a control made one */
		if (o + n > max)
			break;
		memcpy(out + o, c, n);
		o += n;
	}
	end = o;
	while (end > 0 && out[end - 1] == ' ')
		end--;
	out[end] = '\0';
	*out_r = out;
	*len_r = end;
	out = NULL;
	status = STORE_OK;
out:
	free(out);
	return status;
}

int st_header_text(const char *in, size_t len, int decode_words, size_t max,
                   char **out_r, size_t *outlen_r)
{
	buf_t b = { NULL, 0, 0 };
	size_t i = 0, used, ew_end = 0;
	int have_ew = 0, only_ws = 0, status = STORE_OK;

	*out_r = NULL;
	*outlen_r = 0;
	while (i < len && status == STORE_OK) {
		if (decode_words && in[i] == '=' && i + 1 < len && in[i + 1] == '?') {
			size_t before = b.len;
			used = try_word(in + i, len - i, &b);
			if (used > 0) {
				if (have_ew && only_ws && before > ew_end) {
					/* drop whitespace between adjacent words (none
					 * after an empty word: the buffer may be NULL) */
					memmove(b.p + ew_end, b.p + before, b.len - before);
					b.len = ew_end + (b.len - before);
				}
				i += used;
				have_ew = 1;
				only_ws = 1;
				ew_end = b.len;
				continue;
			}
		}
		if (in[i] != ' ' && in[i] != '\t')
			only_ws = 0;
		status = buf_add(&b, in + i, 1);
		i++;
	}
	if (status == STORE_OK)
		status = sanitize(&b, max, out_r, outlen_r);
	free(b.p);
	return status;
}
