/*
 * test_util.h -- tiny LMDB-style test helpers for the store unit tests:
 * CHECK and RUN (check.h), CHECK_RC and OK on store statuses, temp store
 * directories.
 */
#ifndef MAILRPC_TEST_UTIL_H
#define MAILRPC_TEST_UTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "store.h"

#define CHECK_RC(expr, want) do { \
	int rc_ = (expr), want_ = (want); \
	if (rc_ != want_) { \
		fprintf(stderr, "%s:%d: %s = %d (%s), want %d (%s)\n", __FILE__, \
		        __LINE__, #expr, rc_, store_strerror(rc_), want_, \
		        store_strerror(want_)); \
		abort(); \
	} \
} while (0)

#define OK(expr) CHECK_RC(expr, STORE_OK)

static inline int rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb; (void)flag; (void)f;
	return remove(p);
}

/* Creates a fresh empty directory for a store; caller frees with rmtmp. */
static inline char *mktmp(void)
{
	const char *base = getenv("TMPDIR");
	char *d = malloc(4096);

	CHECK(d != NULL);
	snprintf(d, 4096, "%s/storetest.XXXXXX", base ? base : "/tmp");
	CHECK(mkdtemp(d) != NULL);
	return d;
}

static inline void rmtmp(char **d)
{
	if (*d == NULL)
		return;
	nftw(*d, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	free(*d);
	*d = NULL;
}

/* Opens a store in a new temp dir (options may be NULL). */
static inline store_t *open_new(char **dir_r, const store_options_t *opt)
{
	store_t *st = NULL;

	*dir_r = mktmp();
	OK(store_open(*dir_r, opt, &st));
	CHECK(st != NULL);
	return st;
}

/* Builds a message with the given headers and a body of n filler bytes. */
static inline char *mkmsg(const char *from, const char *subject, size_t n, size_t *len_r)
{
	size_t cap = 1024 + strlen(from) + strlen(subject) + n, off, i;
	char *m = malloc(cap);

	CHECK(m != NULL);
	off = (size_t)snprintf(m, cap, "From: %s\r\nTo: bob@example.org\r\n"
	                       "Subject: %s\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\n"
	                       "Message-ID: <x@y>\r\n\r\n", from, subject);
	for (i = 0; i < n; i++)
		m[off + i] = (char)('a' + (i * 7 + i / 3) % 26);
	*len_r = off + n;
	return m;
}

#endif
