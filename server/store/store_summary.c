/*
 * store_summary.c -- the message summary, parsed once on insert from the
 * header section: From, To, Cc, Subject, Date, Message-ID.  Handles
 * CRLF or LF line ends and folding; the first occurrence of a header
 * wins; missing headers give "".  The body itself is never altered.
 */
#include "store_int.h"

#include <string.h>
#include <strings.h>

/* Raw (unfolded, undecoded) bytes kept per header before decoding. */
#define RAW_MAX (16u * 1024u)

static const char *const names[SUM_COUNT] = {
	"From", "To", "Cc", "Subject", "Date", "Message-ID",
};

void st_summary_clear(st_summary_t *s)
{
	int i;

	for (i = 0; i < SUM_COUNT; i++) {
		free(s->f[i]);
		s->f[i] = NULL;
		s->len[i] = 0;
	}
}

/* Returns the field index of header name (n bytes), or -1. */
static int field_of(const char *name, size_t n)
{
	int i;

	while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		n--;
	for (i = 0; i < SUM_COUNT; i++)
		if (strlen(names[i]) == n && strncasecmp(name, names[i], n) == 0)
			return i;
	return -1;
}

typedef struct hdr {
	int field;             /* -1: not interesting */
	char raw[RAW_MAX];
	size_t len;
} hdr_t;

static void raw_add(hdr_t *h, const char *p, size_t n)
{
	if (n > RAW_MAX - h->len)
		n = RAW_MAX - h->len;
	memcpy(h->raw + h->len, p, n);
	h->len += n;
}

static int finish(hdr_t *h, st_summary_t *s)
{
	int status = STORE_OK, f = h->field;

	if (f >= 0 && s->f[f] == NULL)
		status = st_header_text(h->raw, h->len, f <= SUM_SUBJECT,
		                        STORE_SUMMARY_MAX, &s->f[f], &s->len[f]);
	h->field = -1;
	h->len = 0;
	return status;
}

int st_summary_parse(const char *msg, size_t len, st_summary_t *sum_r)
{
	hdr_t *h = NULL;
	const char *line, *nl, *colon;
	size_t pos = 0, llen;
	int i, status = STORE_INTERNAL;

	memset(sum_r, 0, sizeof(*sum_r));
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		goto out;
	h->field = -1;
	status = STORE_OK;
	while (pos < len && status == STORE_OK) {
		line = msg + pos;
		nl = memchr(line, '\n', len - pos);
		llen = nl ? (size_t)(nl - line) : len - pos;
		pos += llen + (nl ? 1 : 0);
		if (llen > 0 && line[llen - 1] == '\r')
			llen--;
		if (llen == 0)
			break;                    /* end of the header section */
		if (line[0] == ' ' || line[0] == '\t') {
			raw_add(h, line, llen);   /* unfold: keep the WSP */
			continue;
		}
		status = finish(h, sum_r);
		colon = memchr(line, ':', llen);
		if (colon == NULL)
			continue;                 /* not a header line */
		h->field = field_of(line, (size_t)(colon - line));
		raw_add(h, colon + 1, llen - (size_t)(colon + 1 - line));
	}
	if (status == STORE_OK)
		status = finish(h, sum_r);
	for (i = 0; i < SUM_COUNT && status == STORE_OK; i++) {
		if (sum_r->f[i] == NULL) {
			sum_r->f[i] = calloc(1, 1);
			if (sum_r->f[i] == NULL)
				status = STORE_INTERNAL;
		}
	}
out:
	free(h);
	if (status != STORE_OK)
		st_summary_clear(sum_r);
	return status;
}
