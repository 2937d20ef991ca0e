/* conn.c -- one connection, one process (see conn.h). */
#include <errno.h>
#include <poll.h>
#include <rpc/rpc.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "config.h"
#include "conn.h"
#include "conn_limits.h"
#include "dispatch.h"
#include "log.h"
#include "mailrpc_prot.h"

/* Process-wide: one connection per process, set before serving it. */
static struct {
	char peer[128];
	struct mail_service *service;
	int ending; /* the reply being sent is the last */
} serving = {"?", NULL, 0};

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
void conn_end_after_reply(void)
{
	serving.ending = 1;
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
	int idle = config_get()->idle_timeout;
	while (!*stop && !serving.ending) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int admitted = conn_limits_admitted();
		int timeout =
		    admitted || idle < PREAUTH_TIMEOUT_SECONDS ? idle : PREAUTH_TIMEOUT_SECONDS;
		int n = poll(&p, 1, timeout * 1000);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log_warn("peer=%s: poll: %m", peer);
			break;
		}
		if (n == 0) {
			log_info("peer=%s: idle for %d s%s, closing", peer, timeout,
				 admitted ? "" : " without authenticating");
			break;
		}
		svc_getreq_common(fd);
		/* libtirpc destroys the transport on EOF or a malformed record. */
		if (!FD_ISSET(fd, &svc_fdset))
			break;
	}
	_exit(0);
}
