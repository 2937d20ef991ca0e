/* imap_list_match.c -- LIST wildcards (see imap_list.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap_list.h"

int imap_pattern_match(const char *pattern, size_t plen, const char *name, size_t nlen)
{
	/* can[j]: the first i bytes of name match the first j of pattern. */
	unsigned char *can = calloc(plen + 1, 1), *next = calloc(plen + 1, 1);
	int result = 0;
	if (can == NULL || next == NULL)
		goto out;
	can[0] = 1;
	for (size_t j = 1; j <= plen && (pattern[j - 1] == '*' || pattern[j - 1] == '%'); j++)
		can[j] = 1;
	for (size_t i = 1; i <= nlen; i++) {
		char c = name[i - 1];
		next[0] = 0;
		for (size_t j = 1; j <= plen; j++) {
			char p = pattern[j - 1];
			if (p == '*')
				next[j] = next[j - 1] || can[j];
			else if (p == '%')
				next[j] = next[j - 1] || (can[j] && c != '/');
			else
				next[j] = can[j - 1] && p == c;
		}
		unsigned char *t = can;
		can = next;
		next = t;
	}
	result = can[plen];
out:
	free(can);
	free(next);
	return result;
}

void imap_pattern_inbox(char *pattern, size_t len)
{
	if (len >= 5 && strncasecmp(pattern, "INBOX", 5) == 0 &&
	    (len == 5 || pattern[5] == '/' || pattern[5] == '*' || pattern[5] == '%'))
		memcpy(pattern, "INBOX", 5);
}

int imap_pattern_reaches(const char *pattern, size_t plen, const char *prefix)
{
	size_t n = strlen(prefix);
	for (size_t i = 0; i < plen && i < n; i++) {
		if (pattern[i] == '*' || pattern[i] == '%')
			return 1;
		if (pattern[i] != prefix[i])
			return 0;
	}
	return 1;
}
