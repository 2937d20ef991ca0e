/* wait.c -- WAIT: learn of changes (new mail) without polling. */
#include <string.h>

#include "internal.h"

_Static_assert(MAILRPC_WAIT_MAX_SECONDS == MAILRPC_WAIT_MAX, "longest wait matches the IDL");

int mailrpc_wait(struct mailrpc *conn, const char *folder, uint64_t since, unsigned max_wait,
		 uint64_t *change_r, struct mailrpc_error *err)
{
	*change_r = 0;
	if (conn == NULL || max_wait > MAILRPC_WAIT_MAX)
		return mr_fail(err, MAILRPC_E_USAGE, "mailrpc_wait: waits last at most %d seconds",
			       MAILRPC_WAIT_MAX);
	folder = folder ? folder : "";
	int status = folder[0] ? mr_check_path(folder, err) : MAILRPC_OK;
	if (status != MAILRPC_OK)
		return status;
	mr_wait_args args = {.folder = (char *)folder, .since = since, .max_wait = max_wait};
	mr_wait_res res;
	memset(&res, 0, sizeof(res));
	/* The server holds the reply for up to max_wait: wait longer for it. */
	status = mr_call_ex(conn, MR_WAIT, (xdrproc_t)xdr_mr_wait_args, &args,
			    (xdrproc_t)xdr_mr_wait_res, &res, (int)max_wait, err);
	if (status == MAILRPC_OK)
		*change_r = res.mr_wait_res_u.change;
	else if (status == MAILRPC_E_NOFOLDER || status == MAILRPC_E_BADNAME)
		mr_annotate(err, "%s", folder);
	else if (status == MAILRPC_E_INVALID)
		mr_fail(err, status, "only a mailbox's owner may wait on all of it: name a folder");
	xdr_free((xdrproc_t)xdr_mr_wait_res, &res);
	return status;
}
