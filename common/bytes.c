/* bytes.c -- see bytes.h. */
#include <errno.h>
#include <stdlib.h>

#include "bytes.h"

int bytes_parse(const char *text, unsigned long long *v_r)
{
	char *end;
	/* Digits first: strtoull would also take spaces and a sign (" -1"
	 * is ULLONG_MAX to it). */
	if (text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno != 0)
		return -1;
	int shift = 0;
	switch (*end) {
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	}
	if (*end != '\0' || v > (~0ULL >> shift))
		return -1;
	*v_r = v << shift;
	return 0;
}
