/* bytes.c -- see bytes.h. */
#include <errno.h>
#include <stdlib.h>

#include "bytes.h"

int bytes_parse(const char *text, unsigned long long *v_r)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (end == text || errno != 0 || text[0] == '-')
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
