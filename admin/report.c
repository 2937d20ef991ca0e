/* report.c -- how every mailrpc-admin command says it failed (admin.h). */
#include <stdio.h>
#include <sysexits.h>

#include "admin.h"

int admin_fail(const char *what, int store_status)
{
	fprintf(stderr, "mailrpc-admin: %s: %s\n", what, store_strerror(store_status));
	return 1;
}

int admin_usage(const char *synopsis)
{
	fprintf(stderr, "usage: mailrpc-admin --store DIR %s\n", synopsis);
	return EX_USAGE;
}
