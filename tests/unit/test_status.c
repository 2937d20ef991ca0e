/*
 * test_status.c -- every status of idl/mailrpc.x has its own sentence
 * (common/status.c), and a number outside them says it is unknown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailrpc_prot.h"
#include "status.h"

#define CHECK(expr)                                                                                \
	do {                                                                                       \
		if (!(expr)) {                                                                     \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #expr);   \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int main(void)
{
	const char *unknown = status_text(-1);
	CHECK(strcmp(unknown, status_text(MAILRPC_STATUS_COUNT)) == 0);
	for (int i = 0; i < MAILRPC_STATUS_COUNT; i++) {
		CHECK(strcmp(status_text(i), unknown) != 0);
		for (int j = 0; j < i; j++)
			CHECK(strcmp(status_text(i), status_text(j)) != 0);
	}
	printf("ok 1 - every status has a text of its own\n");
	return 0;
}
