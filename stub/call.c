/* call.c -- one RPC call with one context re-establishment, and retries
 * of calls safe to repeat (see internal.h). */
#include <string.h>

#include "internal.h"
#include "status.h"

/* The public codes for server refusals are the wire's numbers. */
_Static_assert(MAILRPC_E_NOTFOUND == (int)MR_ERR_NOTFOUND, "status numbers match the IDL");
_Static_assert(MAILRPC_E_DISABLED == (int)MR_ERR_DISABLED, "status numbers match the IDL");
_Static_assert(MAILRPC_LEVEL_PRIVACY == (int)MR_LEVEL_PRIVACY, "level numbers match the IDL");

static int context_trouble(CLIENT *clnt)
{
	struct rpc_err e;
	clnt_geterr(clnt, &e);
	return e.re_why == RPCSEC_GSS_CTXPROBLEM || e.re_why == RPCSEC_GSS_CREDPROBLEM ||
	       e.re_why == AUTH_REJECTEDCRED;
}

int mr_call(struct mailrpc *conn, rpcproc_t proc, xdrproc_t xargs, void *args, xdrproc_t xres,
	    void *res, struct mailrpc_error *err)
{
	return mr_call_ex(conn, proc, xargs, args, xres, res, conn->timeout, 0, err);
}

int mr_call_ex(struct mailrpc *conn, rpcproc_t proc, xdrproc_t xargs, void *args, xdrproc_t xres,
	       void *res, int seconds, int retries, struct mailrpc_error *err)
{
	struct timeval tv = {.tv_sec = seconds};
	/* A context lost earlier (say, to an expired ticket) is rebuilt first:
	 * the user may have run kinit since. */
	if (conn->auth == NULL) {
		int status = mr_context_establish(conn, err);
		if (status != MAILRPC_OK)
			return status;
	}
	enum clnt_stat stat = clnt_call(conn->clnt, proc, xargs, args, xres, res, tv);
	if (stat == RPC_AUTHERROR && context_trouble(conn->clnt)) {
		/* Expired or forgotten context: one new context, one more try. */
		int status = mr_context_establish(conn, err);
		if (status != MAILRPC_OK)
			return status;
		xdr_free(xres, res);
		memset(res, 0, sizeof(mr_status));
		stat = clnt_call(conn->clnt, proc, xargs, args, xres, res, tv);
	}
	/* A reply lost to a timeout: the same arguments again.  Only calls
	 * safe to repeat get retries (their op id makes the server answer
	 * from its record if the first call did the work). */
	for (int i = 0; i < retries && stat == RPC_TIMEDOUT; i++) {
		xdr_free(xres, res);
		memset(res, 0, sizeof(mr_status));
		stat = clnt_call(conn->clnt, proc, xargs, args, xres, res, tv);
	}
	if (stat != RPC_SUCCESS)
		return mr_fail_rpc(err, conn, stat);
	mr_status status = *(mr_status *)res;
	if (status != MR_OK)
		return mr_fail(err, (int)status, "%s", status_text(status));
	return MAILRPC_OK;
}
