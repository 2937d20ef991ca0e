/* call.c -- one RPC call with one context re-establishment, and, when the
 * link is lost, reconnection with backoff and a retry of calls safe to
 * repeat (see internal.h). */
#include <errno.h>
#include <string.h>
#include <time.h>

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

/* Whether a call may be sent again when it is not known whether the
 * server did it: it only reads, or writes at an explicit offset (a repeat
 * gets MR_ERR_OFFSET with where to resume), or carries an operation id. */
static int repeatable(rpcproc_t proc)
{
	switch (proc) {
	case MR_WHOAMI:
	case MR_FOLDER_LIST:
	case MR_MSG_LIST:
	case MR_MSG_SEARCH:
	case MR_MSG_INFO:
	case MR_MSG_FETCH:
	case MR_UPLOAD_APPEND:
	case MR_UPLOAD_STATUS:
	case MR_UPLOAD_COMMIT_APPEND:
	case MR_UPLOAD_COMMIT_SUBMIT:
	case MR_MSG_MOVE_OP:
	case MR_MSG_COPY_OP:
	case MR_MSG_DELETE_OP:
	case MR_MSG_FLAGS_OP:
	case MR_FOLDER_CREATE_OP:
	case MR_FOLDER_RENAME_OP:
	case MR_FOLDER_DELETE_OP:
	case MR_ACL_SET_OP:
	case MR_UPLOAD_BEGIN_OP:
	case MR_MSG_APPEND_OP:
	case MR_FOLDER_SYNC:
	case MR_MAILBOX_OPEN:
	case MR_ACL_GET:
	case MR_WAIT:
	case MR_SYNC:
		return 1;
	default:
		return 0;
	}
}

static int link_lost(enum clnt_stat stat)
{
	return stat == RPC_CANTSEND || stat == RPC_CANTRECV || stat == RPC_TIMEDOUT;
}

/* A failure to remake the link: worth another attempt (credentials and
 * refusals are not). */
static int link_failure(int status)
{
	return status == MAILRPC_E_CONNECT || status == MAILRPC_E_RPC;
}

static void clear_res(xdrproc_t xres, void *res)
{
	xdr_free(xres, res);
	memset(res, 0, sizeof(mr_status));
}

/* One call over conn's link, remade first if it was lost, its context
 * rebuilt if the server forgot it.  Returns a status when the link or
 * context could not be made; the RPC outcome is *stat_r. */
static int call_once(struct mailrpc *conn, rpcproc_t proc, xdrproc_t xargs, void *args,
		     xdrproc_t xres, void *res, int seconds, enum clnt_stat *stat_r,
		     struct mailrpc_error *err)
{
	struct timeval tv = {.tv_sec = seconds};
	int status = MAILRPC_OK;
	*stat_r = RPC_SUCCESS;
	if (conn->clnt == NULL)
		status = mr_reconnect(conn, err);
	/* A context lost earlier (say, to an expired ticket) is rebuilt first:
	 * the user may have run kinit since. */
	else if (conn->auth == NULL)
		status = mr_context_establish(conn, err);
	if (status != MAILRPC_OK)
		return status;
	enum clnt_stat stat = clnt_call(conn->clnt, proc, xargs, args, xres, res, tv);
	if (stat == RPC_AUTHERROR && context_trouble(conn->clnt)) {
		/* Expired or forgotten context: one new context, one more try. */
		status = mr_context_establish(conn, err);
		if (status != MAILRPC_OK)
			return status;
		clear_res(xres, res);
		stat = clnt_call(conn->clnt, proc, xargs, args, xres, res, tv);
	}
	*stat_r = stat;
	return MAILRPC_OK;
}

/* Waits delay_ms << n milliseconds: exponential backoff. */
static void backoff(int delay_ms, int n)
{
	long long ms = (long long)delay_ms << n;
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* The error of a call given up on after attempts reconnections. */
static int give_up(struct mailrpc_error *err, int status, int attempts)
{
	static const char lost[] = "connection to the server lost";
	char why[sizeof(err->message)];
	if (err == NULL)
		return status;
	snprintf(why, sizeof(why), "%s", err->message);
	if (strncmp(why, lost, sizeof(lost) - 1) == 0)
		return mr_fail(err, status, "%s (gave up after %d attempts)", why, attempts);
	return mr_fail(err, status, "%s: %s (gave up after %d attempts)", lost, why, attempts);
}

int mr_call(struct mailrpc *conn, rpcproc_t proc, xdrproc_t xargs, void *args, xdrproc_t xres,
	    void *res, struct mailrpc_error *err)
{
	return mr_call_ex(conn, proc, xargs, args, xres, res, conn->timeout, err);
}

int mr_call_ex(struct mailrpc *conn, rpcproc_t proc, xdrproc_t xargs, void *args, xdrproc_t xres,
	       void *res, int seconds, struct mailrpc_error *err)
{
	enum clnt_stat stat;
	int status = call_once(conn, proc, xargs, args, xres, res, seconds, &stat, err);
	int attempts = 0;
	/* The same arguments again (an op id makes the server answer from
	 * its record if the first call did the work). */
	while (((status == MAILRPC_OK && link_lost(stat)) || link_failure(status)) &&
	       repeatable(proc) && !conn->reconnecting && attempts < conn->attempts) {
		backoff(conn->delay_ms, attempts++);
		mr_drop_link(conn, 0);
		clear_res(xres, res);
		status = call_once(conn, proc, xargs, args, xres, res, seconds, &stat, err);
	}
	int lost = status == MAILRPC_OK ? link_lost(stat) : link_failure(status);
	if (status == MAILRPC_OK && stat != RPC_SUCCESS) {
		status = mr_fail_rpc(err, conn, stat);
		/* Remade before the next call: a late reply must not be taken
		 * for the next call's. */
		if (lost && !conn->reconnecting)
			mr_drop_link(conn, 0);
	}
	if (lost && attempts > 0)
		return give_up(err, status, attempts);
	if (status != MAILRPC_OK)
		return status;
	mr_status wire = *(mr_status *)res;
	if (wire != MR_OK)
		return mr_fail(err, (int)wire, "%s", status_text(wire));
	return MAILRPC_OK;
}
