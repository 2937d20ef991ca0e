/*
 * procs.h -- the table of mailrpc procedures and the shape every handler
 * shares.  The dispatcher authenticates and decodes; a handler only sees
 * an authenticated caller, decoded arguments and a zeroed result whose
 * first field is the mr_status it must set.
 */
#ifndef MAILRPCD_PROCS_H
#define MAILRPCD_PROCS_H

#include <rpc/rpc.h>
#include <time.h>

#include "mailrpc_prot.h"

struct caller {
	const char *principal;  /* Kerberos principal, display form */
	const char *mailbox;    /* "" when mailbox_status != MR_OK */
	int mailbox_status;     /* MR_OK, MR_ERR_FOREIGN or MR_ERR_NOMAILBOX */
	int level;              /* enum level_value of the context */
	time_t expires;         /* end of the context's Kerberos lifetime */
};

typedef void (*proc_handler)(const struct caller *caller, void *args, void *res);

struct proc_def {
	rpcproc_t num;
	const char *name;
	xdrproc_t xdr_args;
	size_t args_size;
	xdrproc_t xdr_res;
	size_t res_size;
	proc_handler handler;
	int needs_mailbox;      /* refuse with mailbox_status when unmapped */
};

/* NULL for an unknown procedure number. */
const struct proc_def *procs_find(rpcproc_t num);

/* Handlers, one file each. */
void proc_whoami(const struct caller *caller, void *args, void *res);

#endif
