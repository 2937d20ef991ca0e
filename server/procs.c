/* procs.c -- the procedure table (see procs.h). */
#include <stddef.h>

#include "procs.h"

/* The dispatcher reads every result's status through its first field. */
_Static_assert(offsetof(mr_whoami_res, status) == 0, "results start with mr_status");

#define PROC(NUM, NAME, ARGS_T, XARGS, RES_T, XRES, HANDLER, NEEDS_MAILBOX)                   \
	{NUM, NAME, (xdrproc_t)XARGS, sizeof(ARGS_T), (xdrproc_t)XRES, sizeof(RES_T), HANDLER,   \
	 NEEDS_MAILBOX}

static const struct proc_def table[] = {
	/* WHOAMI answers even without a mailbox: it says why there is none. */
	PROC(MR_WHOAMI, "WHOAMI", char, xdr_void, mr_whoami_res, xdr_mr_whoami_res, proc_whoami, 0),
};

const struct proc_def *procs_find(rpcproc_t num)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].num == num)
			return &table[i];
	return NULL;
}
