/* cmd_verify.c -- `verify`: report every broken invariant of the store. */
#include <stdio.h>

#include "admin.h"

static void print_problem(const char *text, void *ctx)
{
	(void)ctx;
	printf("problem: %s\n", text);
}

int admin_verify(struct admin *a, int argc, char **argv)
{
	(void)argv;
	uint64_t problems = 0;
	if (argc != 1)
		return admin_usage("verify");
	int st = store_verify(admin_store(a), print_problem, NULL, &problems);
	if (st != STORE_OK)
		return admin_fail("verify", st);
	printf("%llu problem%s found\n", (unsigned long long)problems, problems == 1 ? "" : "s");
	return problems == 0 ? 0 : 1;
}
