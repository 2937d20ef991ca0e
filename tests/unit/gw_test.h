/*
 * gw_test.h -- CHECK and RUN for the gateway's unit tests (tests/run reads
 * their "ok N - name" lines); CHECK aborts with file:line on the first
 * failed expectation.
 */
#ifndef GW_TEST_H
#define GW_TEST_H

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
