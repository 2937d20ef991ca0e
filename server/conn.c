/* conn.c -- one connection, one process (see conn.h). */
#include <errno.h>
#include <poll.h>
#include <rpc/rpc.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "conn.h"
#include "conn_limits.h"
#include "dispatch.h"
#include "log.h"
#include "mailrpc_prot.h"
#include "session.h"

/* Process-wide: one connection per process, set before serving it. */
static struct {
	char peer[128];
	struct mail_service *service;
	struct xp_ops ops;	       /* libtirpc's transport ops, but... */
	const struct xp_ops *libtirpc; /* ...receiving through note_xid */
	uint32_t xid;		       /* of the call being served */
	int ending;		       /* the reply being sent is the last */
} serving = {.peer = "?"};

/* How long a connection may sit without an admitted call: it holds one
 * of its address's max-preauth-peer places meanwhile. */
#define PREAUTH_TIMEOUT_SECONDS 60

const char *conn_peer(void)
{
	return serving.peer;
}
struct mail_service *conn_service(void)
{
	return serving.service;
}
uint32_t conn_xid(void)
{
	return serving.xid;
}

void conn_end_after_reply(void)
{
	serving.ending = 1;
}

/* libtirpc parses each call's header in its transport's receive op and
 * keeps the xid to itself; a sealed call's body is bound to it. */
static bool_t note_xid(SVCXPRT *xprt, struct rpc_msg *msg)
{
	bool_t ok = serving.libtirpc->xp_recv(xprt, msg);
	serving.xid = ok ? msg->rm_xid : 0;
	return ok;
}

static void receive_noting_xid(SVCXPRT *xprt)
{
	serving.libtirpc = xprt->xp_ops;
	serving.ops = *xprt->xp_ops;
	serving.ops.xp_recv = note_xid;
	xprt->xp_ops = &serving.ops;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Seconds a connection may stay idle: shorter before its first admitted
 * call. */
static int idle_limit(void)
{
	int idle = config_get()->idle_timeout;
	return conn_limits_admitted() || idle < PREAUTH_TIMEOUT_SECONDS ? idle
									 : PREAUTH_TIMEOUT_SECONDS;
}

/* How long poll may sleep: until the connection has been idle too long,
 * or until the current context's keys must be wiped, whichever is first. */
static int poll_timeout(double idle_since)
{
	time_t now = time(NULL), wipe = session_expire(now);
	double left = idle_since + idle_limit() - now_seconds();
	if (wipe > now && wipe - now < left)
		left = (double)(wipe - now);
	return left > 0 ? (int)(left * 1000) + 1 : 0;
}

/* The process ends: the context's keys first. */
static void __attribute__((noreturn)) conn_exit(int status)
{
	session_end(session_current());
	_exit(status);
}

/*
 * libtirpc unwraps an integrity or privacy call body into one allocation
 * of whatever length the client announces, and its record-size cap
 * (RPC_SVC_CONNMAXREC_SET) only applies to connections it accepted itself,
 * not to svc_fd_create.  A cap on this process's private memory turns a
 * huge body into a failed decode (refused with GARBAGE_ARGS) instead of
 * gigabytes allocated.  ASan reserves terabytes of shadow memory, so
 * sanitizer builds rely on ASAN_OPTIONS=max_allocation_size_mb instead.
 */
#define CONN_MEMORY_LIMIT (256UL << 20)

static void limit_memory(const char *peer)
{
#if !defined(__SANITIZE_ADDRESS__)
	struct rlimit rl = {.rlim_cur = CONN_MEMORY_LIMIT, .rlim_max = CONN_MEMORY_LIMIT};
	if (setrlimit(RLIMIT_DATA, &rl) != 0)
		log_warn("peer=%s: cannot cap memory: %m", peer);
#else
	(void)peer;
#endif
}

void conn_serve(int fd, const char *peer, volatile int *stop)
{
	snprintf(serving.peer, sizeof(serving.peer), "%s", peer);
	limit_memory(peer);
	if (mail_service_new(&config_get()->mail, &serving.service) != MAIL_OK) {
		log_warn("peer=%s: out of memory", peer);
		_exit(1);
	}
	/* Explicit sizes: svc_fd_create(fd, 0, 0) would use 4 KB, and a GSS-
	 * wrapped reply must fit the buffer whole (libtirpc crashes if not). */
	SVCXPRT *xprt = svc_fd_create(fd, MAILRPC_RECORD_BUFFER, MAILRPC_RECORD_BUFFER);
	if (xprt == NULL) {
		log_warn("peer=%s: cannot create RPC transport", peer);
		_exit(1);
	}
	/* No netconfig: registers the dispatcher locally, never with rpcbind. */
	if (!svc_reg(xprt, MAILRPC_PROG, MAILRPC_V2, dispatch, NULL)) {
		log_warn("peer=%s: cannot register dispatcher", peer);
		_exit(1);
	}
	receive_noting_xid(xprt);
	double idle_since = now_seconds();
	while (!*stop && !serving.ending) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int n = poll(&p, 1, poll_timeout(idle_since));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log_warn("peer=%s: poll: %m", peer);
			break;
		}
		if (n == 0) {
			int limit = idle_limit();
			if (now_seconds() - idle_since < limit)
				continue; /* woken to wipe expired keys */
			log_info("peer=%s: idle for %d s%s, closing", peer, limit,
				 conn_limits_admitted() ? "" : " without authenticating");
			break;
		}
		svc_getreq_common(fd);
		idle_since = now_seconds();
		/* libtirpc destroys the transport on EOF or a malformed record. */
		if (!FD_ISSET(fd, &svc_fdset))
			break;
	}
	conn_exit(0);
}
