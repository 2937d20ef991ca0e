/*
 * check.h -- CHECK and RUN for the unit tests (tests/run reads their
 * "ok N - name" lines): CHECK aborts with file:line on the first failed
 * expectation; RUN prints "ok N - name" after each passing test case.
 */
#ifndef MAILRPC_TEST_CHECK_H
#define MAILRPC_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(expr)                                                                                \
	do {                                                                                       \
		if (!(expr)) {                                                                     \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #expr);   \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static int test_count;
#define RUN(fn)                                                                                    \
	do {                                                                                       \
		fn();                                                                              \
		printf("ok %d - %s\n", ++test_count, #fn);                                         \
		fflush(stdout);                                                                    \
	} while (0)

#endif
