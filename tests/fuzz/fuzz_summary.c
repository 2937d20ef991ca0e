/*
 * fuzz_summary.c -- libFuzzer harness for the store's message summary:
 * the header parser (st_summary_parse: CRLF or LF, folding, first
 * occurrence wins) and the display text of a header (st_header_text:
 * RFC 2047 words decoded, then made safe).  Any bytes as a message, and
 * as one header value with a bound taken from the input.
 *
 * Every field must keep the promise store_int.h makes and the listings
 * rely on: valid UTF-8 holding no NUL, no control character (C0, DEL,
 * C1), no space at either end, within its bound.
 */
#include <stdint.h>
#include <string.h>

#include "scratch.h"
#include "store_int.h"

static void check_text(const char *what, const char *s, size_t len, size_t max)
{
	if (s == NULL)
		fuzz_fail("%s: no text", what);
	if (len > max)
		fuzz_fail("%s: %zu bytes, over its bound %zu", what, len, max);
	if (strlen(s) != len)
		fuzz_fail("%s: a NUL inside its %zu bytes", what, len);
	if (!st_utf8_valid(s, len))
		fuzz_fail("%s: not valid UTF-8", what);
	if (len > 0 && (s[0] == ' ' || s[len - 1] == ' '))
		fuzz_fail("%s: space at an end: \"%s\"", what, s);
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < len; i++) {
		uint32_t cp;
		size_t n = st_utf8_char(p + i, len - i, &cp);
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			fuzz_fail("%s: control character U+%04X at byte %zu", what, (unsigned)cp,
				  i);
		i += n - 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[SUM_COUNT] = {"From",	"To",	"Cc",
						     "Subject", "Date", "Message-ID"};
	st_summary_t sum;
	if (st_summary_parse((const char *)data, size, &sum) == STORE_OK) {
		for (int i = 0; i < SUM_COUNT; i++)
			check_text(names[i], sum.f[i], sum.len[i], STORE_SUMMARY_MAX);
		st_summary_clear(&sum);
	}
	if (size < 1)
		return 0;
	/* One header value, words decoded or not, cut to a bound of 0..255
	 * bytes: a bound inside a multi-byte character must not split it. */
	char *text;
	size_t len, max = data[0];
	int decode = max & 1;
	if (st_header_text((const char *)data + 1, size - 1, decode, max, &text, &len) ==
	    STORE_OK) {
		check_text("header text", text, len, max);
		free(text);
	}
	return 0;
}
