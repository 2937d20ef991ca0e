/*
 * test_status.c -- every status of idl/mailrpc.x has its own sentence
 * (common/status.c), and a number outside them says it is unknown.
 */
#include "mailrpc_prot.h"
#include "status.h"
#include "test_util.h"

static void t_every_status_has_a_text(void)
{
	const char *unknown = status_text(-1);
	CHECK(strcmp(unknown, status_text(MAILRPC_STATUS_COUNT)) == 0);
	for (int i = 0; i < MAILRPC_STATUS_COUNT; i++) {
		CHECK(strcmp(status_text(i), unknown) != 0);
		for (int j = 0; j < i; j++)
			CHECK(strcmp(status_text(i), status_text(j)) != 0);
	}
}

int main(void)
{
	RUN(t_every_status_has_a_text);
	return 0;
}
