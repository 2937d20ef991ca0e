/* call.c -- what a call means: which are safe to repeat after a lost
 * link, how long each may take, what each teaches of the link's speed,
 * and the server's refusal in its result; the retry loop that repeats a
 * call over a new link with backoff (see internal.h).  Links themselves
 * are link.c's. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* The public codes for server refusals are the wire's numbers. */
_Static_assert(MAILRPC_E_NOTFOUND == (int)MR_ERR_NOTFOUND, "status numbers match the IDL");
_Static_assert(MAILRPC_E_DISABLED == (int)MR_ERR_DISABLED, "status numbers match the IDL");
_Static_assert(MAILRPC_LEVEL_PRIVACY == (int)MR_LEVEL_PRIVACY, "level numbers match the IDL");

/* Whether a call may be sent again when it is not known whether the
 * server did it: it only reads, or writes at an explicit offset (a repeat
 * gets MR_ERR_OFFSET with where to resume), or carries an operation id
 * (protocol version 2: every call that changes something does; the
 * library always sends one). */
static int repeatable(rpcproc_t proc)
{
	switch (proc) {
	case MR_WHOAMI:
	case MR_MAILBOX_OPEN:
	case MR_QUOTA:
	case MR_FOLDER_LIST:
	case MR_FOLDER_GET:
	case MR_FOLDER_CREATE:
	case MR_FOLDER_RENAME:
	case MR_FOLDER_DELETE:
	case MR_FOLDER_SYNC:
	case MR_MSG_LIST:
	case MR_MSG_SEARCH:
	case MR_MSG_INFO:
	case MR_MSG_FETCH:
	case MR_MSG_INDEX:
	case MR_MSG_APPEND:
	case MR_UPLOAD_BEGIN:
	case MR_UPLOAD_APPEND:
	case MR_UPLOAD_STATUS:
	case MR_UPLOAD_ABORT:
	case MR_UPLOAD_COMMIT_APPEND:
	case MR_UPLOAD_COMMIT_SUBMIT:
	case MR_MSG_MOVE:
	case MR_MSG_COPY:
	case MR_MSG_DELETE:
	case MR_MSG_FLAGS:
	case MR_ACL_GET:
	case MR_ACL_SET:
	case MR_MYRIGHTS:
	case MR_WAIT:
	case MR_SYNC:
	case MR_UPLOAD_COMMIT_SEND:
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

/* RPC header, RPCSEC_GSS credential and verifier, wrap and record mark:
 * what a call moves besides its arguments and results. */
#define CALL_OVERHEAD 200

/* What a call is expected to move: its arguments, and for a fetch the
 * chunk asked for (other replies are small or come in pages that flow
 * steadily, and libtirpc's timeout bounds each wait for more data). */
static size_t expected_bytes(rpcproc_t proc, xdrproc_t xargs, void *args)
{
	size_t n = 2 * CALL_OVERHEAD;
	if (proc == MR_MSG_FETCH)
		return n + ((mr_fetch_args *)args)->length;
	/* Only these carry more than a few hundred bytes of arguments;
	 * sizing every call's would cost a small call a visible share. */
	if (proc == MR_UPLOAD_APPEND || proc == MR_MSG_APPEND)
		n += xdr_sizeof(xargs, args);
	return n;
}

/* A reply this quick is from a LAN, whatever its size. */
#define FAST_REPLY (MR_LINK_LAN_RTT / 10)

/* Calls that move message data, whose sizes teach the link's rate. */
static int bulk(rpcproc_t proc)
{
	return proc == MR_MSG_FETCH || proc == MR_UPLOAD_APPEND || proc == MR_MSG_APPEND;
}

/* Seconds a call may spend in the server besides the link's time: a
 * search reads every message body, a recursive folder delete removes
 * every message in one transaction; the rest take milliseconds. */
#define HEAVY_SERVER_SECONDS 50
static int server_work(rpcproc_t proc)
{
	return proc == MR_MSG_SEARCH || proc == MR_FOLDER_DELETE ? HEAVY_SERVER_SECONDS : 0;
}

size_t mr_chunk_size(const struct mailrpc *conn)
{
	return mr_model_chunk(&conn->link.model, MAILRPC_CHUNK_MAX);
}

size_t mr_fetch_chunk_size(const struct mailrpc *conn)
{
	return mr_model_chunk(&conn->link.model, mr_link_max_chunk(&conn->link));
}

/* Learns from a completed call; a WAIT's time is the server's holding it. */
static void observe(struct mailrpc *conn, const struct mr_exchange *x)
{
	struct mr_link *l = &conn->link;
	if (x->proc == MR_WAIT)
		return;
	/* A call other than a transfer that came back at once only tells the
	 * round trip (it counts as small); sizing its result would walk it. */
	size_t bytes = 2 * CALL_OVERHEAD;
	if (bulk(x->proc) || x->seconds >= FAST_REPLY)
		bytes += xdr_sizeof(x->xargs, x->args) + xdr_sizeof(x->xres, x->res);
	mr_model_observe(&l->model, bytes, x->seconds);
	if (l->debug)
		fprintf(stderr,
			"mailrpc: link proc=%u bytes=%zu took=%.3fs rtt=%.3fs rate=%.0fB/s "
			"timeout=%ds chunk=%zu xid=%08x seq=%u\n",
			(unsigned)x->proc, bytes, x->seconds, l->model.rtt, l->model.rate,
			l->last_timeout, mr_chunk_size(conn), l->session.ids.xid, l->session.ids.seq);
}

/* One exchange over conn's link, which is up, given the time the call
 * may take; learns from it when it is answered. */
static int exchange(struct mailrpc *conn, struct mr_exchange *x, int extra, enum clnt_stat *stat_r,
		    struct mailrpc_error *err)
{
	/* A configured timeout is taken as it is. */
	int work = conn->link.p.timeout > 0 ? 0 : server_work(x->proc);
	size_t bytes = expected_bytes(x->proc, x->xargs, x->args);
	x->timeout = mr_link_reply_timeout(&conn->link, bytes) + work + extra;
	int status = mr_link_exchange(&conn->link, x, stat_r, err);
	if (status == MAILRPC_OK && *stat_r == RPC_SUCCESS)
		observe(conn, x);
	return status;
}

/* The link made usable, then one exchange. */
static int call_once(struct mailrpc *conn, struct mr_exchange *x, int extra, enum clnt_stat *stat_r,
		     struct mailrpc_error *err)
{
	*stat_r = RPC_SUCCESS;
	int status = mr_link_up(&conn->link, err);
	return status == MAILRPC_OK ? exchange(conn, x, extra, stat_r, err) : status;
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

/* The outcome of x's last exchange as a status: the link's failure, the
 * RPC's, or the server's refusal in the result's leading mr_status. */
static int outcome(struct mailrpc *conn, const struct mr_exchange *x, int status,
		   enum clnt_stat stat, int attempts, struct mailrpc_error *err)
{
	int lost = status == MAILRPC_OK ? link_lost(stat) : link_failure(status);
	if (status == MAILRPC_OK && stat != RPC_SUCCESS) {
		status = mr_fail_rpc(err, &conn->link, x->proc, stat);
		/* Remade before the next call: a late reply must not be taken
		 * for the next call's. */
		if (lost)
			mr_link_drop(&conn->link, 0);
	}
	if (lost && attempts > 0)
		return give_up(err, status, attempts);
	if (status != MAILRPC_OK)
		return status;
	mr_status wire = *(mr_status *)x->res;
	if (wire != MR_OK)
		return mr_fail_status(err, x->proc, (int)wire);
	return MAILRPC_OK;
}

int mr_call(struct mailrpc *conn, rpcproc_t proc, xdrproc_t xargs, void *args, xdrproc_t xres,
	    void *res, struct mailrpc_error *err)
{
	return mr_call_ex(conn, proc, xargs, args, xres, res, 0, err);
}

int mr_call_ex(struct mailrpc *conn, rpcproc_t proc, xdrproc_t xargs, void *args, xdrproc_t xres,
	       void *res, int extra, struct mailrpc_error *err)
{
	struct mr_exchange x = {
	    .proc = proc, .xargs = xargs, .args = args, .xres = xres, .res = res};
	enum clnt_stat stat;
	int status = call_once(conn, &x, extra, &stat, err);
	int attempts = 0;
	/* The same arguments again (an op id makes the server answer from
	 * its record if the first call did the work). */
	while (((status == MAILRPC_OK && link_lost(stat)) || link_failure(status)) &&
	       repeatable(proc) && attempts < conn->link.p.attempts) {
		mr_link_backoff(&conn->link, attempts++);
		mr_link_drop(&conn->link, 0);
		clear_res(xres, res);
		status = call_once(conn, &x, extra, &stat, err);
	}
	return outcome(conn, &x, status, stat, attempts, err);
}

int mr_call_once(struct mailrpc *conn, rpcproc_t proc, xdrproc_t xargs, void *args, xdrproc_t xres,
		 void *res, struct mailrpc_error *err)
{
	struct mr_exchange x = {
	    .proc = proc, .xargs = xargs, .args = args, .xres = xres, .res = res};
	enum clnt_stat stat;
	int status = exchange(conn, &x, 0, &stat, err);
	return outcome(conn, &x, status, stat, 0, err);
}
