/*
 * imap_list.h -- LIST patterns (RFC 3501 6.3.8): "*" matches anything,
 * "%" anything but the hierarchy delimiter "/".  Patterns are bounded, so
 * matching (a table over name and pattern) stays cheap.
 */
#ifndef GW_IMAP_LIST_H
#define GW_IMAP_LIST_H

#include <stddef.h>

#define IMAP_PATTERN_MAX 1024

/* Whether name matches pattern ("INBOX" case-insensitively, as RFC 3501
 * 5.1 wants: pass patterns through imap_pattern_inbox first). */
int imap_pattern_match(const char *pattern, size_t plen, const char *name, size_t nlen);

/* Spells a leading "inbox" (any case) of a pattern as "INBOX", in place. */
void imap_pattern_inbox(char *pattern, size_t len);

/* Whether a pattern could match names under prefix (a namespace's). */
int imap_pattern_reaches(const char *pattern, size_t plen, const char *prefix);

#endif
