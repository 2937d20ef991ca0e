/* proc_whoami.c -- WHOAMI: who the server thinks the caller is. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "procs.h"

void proc_whoami(struct caller *caller, void *args, void *res_)
{
	(void)args;
	mr_whoami_res *res = res_;
	if (caller->mailbox_status != MR_OK) {
		res->status = caller->mailbox_status;
		return;
	}
	/* Results are released with xdr_free after the reply: own every byte. */
	char *principal = strdup(caller->principal);
	char *mailbox = strdup(caller->mailbox);
	if (principal == NULL || mailbox == NULL) {
		free(principal);
		free(mailbox);
		res->status = MR_ERR_INTERNAL;
		return;
	}
	mr_whoami *who = &res->mr_whoami_res_u.who;
	who->principal = principal;
	who->mailbox = mailbox;
	who->level = caller->level;
	who->min_level = config_get()->min_level;
	time_t left = caller->expires - time(NULL);
	who->expires_in = left > 0 ? (int)left : 0;
	who->max_chunk = MAILRPC_CHUNK_MAX;
	res->status = MR_OK;
}
