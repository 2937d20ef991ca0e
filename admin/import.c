/*
 * import.c -- the destination of an import (see import.h): message
 * checks, duplicate detection by SHA-256, counts and progress.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "import.h"

struct import_known {
	unsigned char sha256[32]; /* first: bsearch compares a bare digest */
	int matched;              /* an imported message was this copy */
};

static int cmp_sha256(const void *a, const void *b) { return memcmp(a, b, 32); }

static int add_page(struct import_sink *s, const store_msglist_t *page, size_t *cap)
{
	if (s->nknown + page->count > *cap) {
		size_t cap2 = *cap ? *cap : STORE_LIST_MAX;
		while (cap2 < s->nknown + page->count)
			cap2 *= 2;
		struct import_known *known = realloc(s->known, cap2 * sizeof(*known));
		if (known == NULL)
			return STORE_INTERNAL;
		s->known = known;
		*cap = cap2;
	}
	for (size_t i = 0; i < page->count; i++) {
		memcpy(s->known[s->nknown].sha256, page->items[i].sha256, 32);
		s->known[s->nknown++].matched = 0;
	}
	return STORE_OK;
}

int import_begin(struct import_sink *s, store_t *st, const char *user, const char *folder)
{
	store_list_query_t q = {.sort = STORE_SORT_ID, .limit = STORE_LIST_MAX};
	store_msglist_t *page = NULL;
	size_t cap = 0;
	int rc, more;

	memset(s, 0, sizeof(*s));
	s->st = st;
	s->user = user;
	s->folder = folder;
	do {
		rc = store_message_list(st, user, folder, &q, &page);
		if (rc == STORE_OK)
			rc = add_page(s, page, &cap);
		more = rc == STORE_OK && page->more && page->count > 0;
		q.offset += rc == STORE_OK ? page->count : 0;
		store_msglist_free(&page);
	} while (more);
	if (rc != STORE_OK) {
		free(s->known);
		s->known = NULL;
		s->nknown = 0;
	} else if (s->nknown > 0) {
		qsort(s->known, s->nknown, sizeof(s->known[0]), cmp_sha256);
	}
	return rc;
}

/* 1 if the folder held a copy of sha256 not yet matched (now matched). */
static int match_known(struct import_sink *s, const unsigned char *sha256)
{
	if (s->nknown == 0) /* bsearch may not be given a NULL array */
		return 0;
	struct import_known *k = bsearch(sha256, s->known, s->nknown, sizeof(*k), cmp_sha256);
	if (k == NULL)
		return 0;
	while (k > s->known && memcmp(k[-1].sha256, sha256, 32) == 0)
		k--;
	for (; k < s->known + s->nknown && memcmp(k->sha256, sha256, 32) == 0; k++)
		if (!k->matched) {
			k->matched = 1;
			return 1;
		}
	return 0;
}

/* "Name:" with a name of printable ASCII other than ':'. */
static int is_field(const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n && p[i] > ' ' && p[i] < 0x7f && p[i] != ':')
		i++;
	return i > 0 && i < n && p[i] == ':';
}

/* Why the bytes are no message, or NULL.  A message begins with a header
 * of fields (folded lines allowed), ended by an empty line or by the end
 * of the message; binary junk and files cut inside the header fail.  The
 * header may be empty (the message starts with the empty line): RFC 5322
 * allows it, Python's mailbox writes a headerless text so, and the store
 * takes it from any client. */
static const char *header_problem(const char *p, size_t len)
{
	if (len == 0)
		return "empty";
	for (size_t i = 0, line = 0; i < len; line++) {
		const char *nl = memchr(p + i, '\n', len - i);
		size_t end = nl != NULL ? (size_t)(nl - p) : len;
		size_t n = end - i - (end > i && p[end - 1] == '\r');
		if (n == 0)
			return NULL;
		if (memchr(p + i, '\0', n) != NULL)
			return "NUL byte in the header";
		int folded = p[i] == ' ' || p[i] == '\t';
		if (folded ? line == 0 : !is_field((const unsigned char *)p + i, n))
			return "a header line is not a field (binary or cut-off data)";
		i = end + 1;
	}
	return NULL;
}

int import_message(struct import_sink *s, const char *where, const void *body, size_t len,
		   uint32_t flags, int64_t received)
{
	unsigned char sha256[32];
	unsigned int shalen = 0;
	uint64_t id;
	const char *why = header_problem(body, len);
	if (why != NULL) {
		import_malformed(s, where, why);
		return STORE_OK;
	}
	if (EVP_Digest(body, len, sha256, &shalen, EVP_sha256(), NULL) != 1)
		return STORE_INTERNAL;
	if (match_known(s, sha256)) {
		s->duplicates++;
		return STORE_OK;
	}
	int rc = store_message_append(s->st, s->user, s->folder, body, len, flags, received, &id);
	if (rc == STORE_TOOBIG) {
		import_malformed(s, where, "larger than the message size limit");
		return STORE_OK;
	}
	s->imported += rc == STORE_OK;
	return rc;
}

/* Takes the progress line off the terminal before another line. */
static void clear_progress(const struct import_sink *s)
{
	if (s->drawn != 0)
		fputs("\r\033[K", stderr);
}

void import_malformed(struct import_sink *s, const char *where, const char *why)
{
	s->malformed++;
	clear_progress(s);
	fprintf(stderr, "mailrpc-admin: import: %s: %s; not imported\n", where, why);
}

void import_note(struct import_sink *s, const char *where, const char *what)
{
	clear_progress(s);
	fprintf(stderr, "mailrpc-admin: import: %s: note: %s\n", where, what);
}

void import_progress(struct import_sink *s, uint64_t done, uint64_t total)
{
	struct timespec now;
	if (!isatty(STDERR_FILENO))
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double t = (double)now.tv_sec + now.tv_nsec / 1e9;
	/* Ten redraws a second at most; always the last one. */
	if ((total == 0 || done < total) && t - s->drawn < 0.1)
		return;
	s->drawn = t;
	fputs("\rimport: ", stderr);
	if (total > 0) /* a pipe has no size */
		fprintf(stderr, "%5.1f%%  ", 100.0 * (double)done / (double)total);
	fprintf(stderr, "%llu imported, %llu already there, %llu malformed",
		(unsigned long long)s->imported, (unsigned long long)s->duplicates,
		(unsigned long long)s->malformed);
	fflush(stderr);
}

int import_end(struct import_sink *s)
{
	if (s->drawn != 0)
		fputc('\n', stderr);
	printf("imported %llu, skipped %llu as duplicates, %llu malformed\n",
	       (unsigned long long)s->imported, (unsigned long long)s->duplicates,
	       (unsigned long long)s->malformed);
	free(s->known);
	s->known = NULL;
	return s->malformed ? 1 : 0;
}
