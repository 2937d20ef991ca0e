/* call.c -- one RPC call with one context re-establishment, and, when the
 * link is lost, reconnection with backoff and a retry of calls safe to
 * repeat (see internal.h).  Each call's reply timeout follows the link's
 * measured speed, and each completed call refines it (link.h). */
#include <errno.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "status.h"

static int context_trouble(CLIENT *clnt)
{
	struct rpc_err e;
	clnt_geterr(clnt, &e);
	return e.re_why == RPCSEC_GSS_CTXPROBLEM || e.re_why == RPCSEC_GSS_CREDPROBLEM ||
	       e.re_why == AUTH_REJECTEDCRED;
}

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

double mr_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Seconds a call may spend in the server besides the link's time: a
 * search reads every message body, a recursive folder delete removes
 * every message in one transaction; the rest take milliseconds. */
#define HEAVY_SERVER_SECONDS 50
static int server_work(rpcproc_t proc)
{
	return proc == MR_MSG_SEARCH || proc == MR_FOLDER_DELETE ? HEAVY_SERVER_SECONDS : 0;
}

int mr_reply_timeout(const struct mailrpc *conn, size_t bytes)
{
	return conn->timeout > 0 ? conn->timeout
				 : mr_link_timeout(&conn->link, bytes, MR_LINK_TIMEOUT_FLOOR);
}

size_t mr_chunk_size(const struct mailrpc *conn)
{
	return mr_link_chunk(&conn->link, MAILRPC_CHUNK_MAX);
}

/* libtirpc ignores the timeout passed to clnt_call once CLSET_TIMEOUT
 * was used, so each call sets its own. */
static void set_timeout(struct mailrpc *conn, int seconds)
{
	struct timeval tv = {.tv_sec = seconds};
	conn->last_timeout = seconds;
	clnt_control(conn->clnt, CLSET_TIMEOUT, (char *)&tv);
}

/* Learns from a completed call; a WAIT's time is the server's holding it. */
static void observe(struct mailrpc *conn, rpcproc_t proc, xdrproc_t xargs, void *args,
		    xdrproc_t xres, void *res, double seconds)
{
	if (proc == MR_WAIT)
		return;
	/* A call other than a transfer that came back at once only tells the
	 * round trip (it counts as small); sizing its result would walk it. */
	size_t bytes = 2 * CALL_OVERHEAD;
	if (bulk(proc) || seconds >= FAST_REPLY)
		bytes += xdr_sizeof(xargs, args) + xdr_sizeof(xres, res);
	mr_link_observe(&conn->link, bytes, seconds);
	if (conn->debug)
		fprintf(stderr,
			"mailrpc: link proc=%u bytes=%zu took=%.3fs rtt=%.3fs rate=%.0fB/s "
			"timeout=%ds chunk=%zu\n",
			(unsigned)proc, bytes, seconds, conn->link.rtt, conn->link.rate,
			conn->last_timeout, mr_chunk_size(conn));
}

/* One call over conn's link, remade first if it was lost, its context
 * rebuilt if the server forgot it.  Returns a status when the link or
 * context could not be made; the RPC outcome is *stat_r. */
static int call_once(struct mailrpc *conn, rpcproc_t proc, xdrproc_t xargs, void *args,
		     xdrproc_t xres, void *res, int extra, enum clnt_stat *stat_r,
		     struct mailrpc_error *err)
{
	int status = MAILRPC_OK;
	*stat_r = RPC_SUCCESS;
	if (conn->clnt == NULL)
		status = mr_reconnect(conn, err);
	/* A context lost earlier (say, to an expired ticket) is rebuilt first:
	 * the user may have run kinit since. */
	else if (conn->auth == NULL)
		status = mr_context_renew(conn, err);
	if (status != MAILRPC_OK)
		return status;
	/* Unused by clnt_call (see set_timeout), but it must be valid. */
	struct timeval tv = {.tv_sec = 1};
	/* A configured timeout is taken as it is. */
	int work = conn->timeout > 0 ? 0 : server_work(proc);
	set_timeout(conn, mr_reply_timeout(conn, expected_bytes(proc, xargs, args)) + work + extra);
	double start = mr_now();
	enum clnt_stat stat = clnt_call(conn->clnt, proc, xargs, args, xres, res, tv);
	if (stat == RPC_AUTHERROR && context_trouble(conn->clnt)) {
		/* Expired or forgotten context: one new context, one more try. */
		status = mr_context_renew(conn, err);
		if (status != MAILRPC_OK)
			return status;
		clear_res(xres, res);
		start = mr_now();
		stat = clnt_call(conn->clnt, proc, xargs, args, xres, res, tv);
	}
	if (stat == RPC_SUCCESS)
		observe(conn, proc, xargs, args, xres, res, mr_now() - start);
	*stat_r = stat;
	return MAILRPC_OK;
}

/* Waits before reconnection attempt n: doubling, capped, jittered. */
static void backoff(int delay_ms, int n)
{
	unsigned char b[4] = {0};
	double r = 0.5;
	if (RAND_bytes(b, sizeof(b)) == 1)
		r = ((uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]) /
		    4294967296.0;
	long ms = mr_link_backoff_ms(delay_ms, n, r);
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
	return mr_call_ex(conn, proc, xargs, args, xres, res, 0, err);
}

int mr_call_ex(struct mailrpc *conn, rpcproc_t proc, xdrproc_t xargs, void *args, xdrproc_t xres,
	       void *res, int extra, struct mailrpc_error *err)
{
	enum clnt_stat stat;
	int status = call_once(conn, proc, xargs, args, xres, res, extra, &stat, err);
	int attempts = 0;
	/* The same arguments again (an op id makes the server answer from
	 * its record if the first call did the work). */
	while (((status == MAILRPC_OK && link_lost(stat)) || link_failure(status)) &&
	       repeatable(proc) && !conn->reconnecting && attempts < conn->attempts) {
		backoff(conn->delay_ms, attempts++);
		mr_drop_link(conn, 0);
		clear_res(xres, res);
		status = call_once(conn, proc, xargs, args, xres, res, extra, &stat, err);
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
