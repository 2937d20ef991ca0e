/* whoami.c -- mailrpc_whoami (see mailrpc.h). */
#include <stdio.h>
#include <string.h>

#include "internal.h"

int mailrpc_whoami(struct mailrpc *conn, struct mailrpc_whoami *who_r, struct mailrpc_error *err)
{
	memset(who_r, 0, sizeof(*who_r));
	if (conn == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "not connected");
	mr_whoami_res res;
	memset(&res, 0, sizeof(res));
	int status = mr_call(conn, MR_WHOAMI, (xdrproc_t)xdr_void, NULL,
			     (xdrproc_t)xdr_mr_whoami_res, &res, err);
	if (status == MAILRPC_OK) {
		const mr_whoami *w = &res.mr_whoami_res_u.who;
		snprintf(who_r->principal, sizeof(who_r->principal), "%s", w->principal);
		snprintf(who_r->mailbox, sizeof(who_r->mailbox), "%s", w->mailbox);
		who_r->level = (int)w->level;
		who_r->min_level = (int)w->min_level;
		who_r->expires_in = w->expires_in;
		who_r->max_chunk = w->max_chunk;
		/* The reply itself came sealed, or not. */
		who_r->sealed = conn->link.session.seal != NULL;
	}
	xdr_free((xdrproc_t)xdr_mr_whoami_res, &res);
	return status;
}
