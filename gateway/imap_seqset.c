/* imap_seqset.c -- RFC 3501 sequence sets: "1,3:5,7:*" (see imap_parse.h). */
#include <stdlib.h>

#include "imap_parse.h"

/* nz-number or "*"; advances *p. */
static int seq_number(const char **p, const char *end, uint32_t *v)
{
	if (*p < end && **p == '*') {
		(*p)++;
		*v = IMAP_SEQ_STAR;
		return 0;
	}
	uint64_t n = 0;
	const char *start = *p;
	if (*p == end || **p == '0')
		return -1;
	while (*p < end && **p >= '0' && **p <= '9') {
		n = n * 10 + (uint64_t)(**p - '0');
		if (n >= IMAP_SEQ_STAR)
			return -1;
		(*p)++;
	}
	if (*p == start)
		return -1;
	*v = (uint32_t)n;
	return 0;
}

int imap_seqset_parse(const char *text, size_t len, struct imap_seqset *set)
{
	const char *p = text, *end = text + len;
	set->range = NULL;
	set->count = 0;
	/* Every range takes at least two characters but the last. */
	set->range = malloc((len / 2 + 1) * sizeof(*set->range));
	if (set->range == NULL)
		return -1;
	while (p < end) {
		uint32_t lo, hi;
		if (seq_number(&p, end, &lo) != 0)
			goto bad;
		hi = lo;
		if (p < end && *p == ':') {
			p++;
			if (seq_number(&p, end, &hi) != 0)
				goto bad;
		}
		set->range[set->count].lo = lo < hi ? lo : hi;
		set->range[set->count].hi = lo < hi ? hi : lo;
		set->count++;
		if (p == end)
			return 0;
		if (*p != ',' || p + 1 == end)
			goto bad;
		p++;
	}
bad:
	imap_seqset_free(set);
	return -1;
}

void imap_seqset_free(struct imap_seqset *set)
{
	free(set->range);
	set->range = NULL;
	set->count = 0;
}
