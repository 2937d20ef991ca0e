/*
 * link_socket.c -- the link's TCP connection: resolved, connected within a
 * timeout, with keepalive probes (see link.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static int connect_timeout(int fd, const struct sockaddr *sa, socklen_t len, int timeout_ms)
{
	int flags = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	int rc = connect(fd, sa, len);
	if (rc != 0 && errno == EINPROGRESS) {
		struct pollfd p = {.fd = fd, .events = POLLOUT};
		int soerr = 0;
		socklen_t sl = sizeof(soerr);
		rc = poll(&p, 1, timeout_ms);
		if (rc == 0)
			errno = ETIMEDOUT;
		if (rc > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0)
			rc = 0;
		else {
			if (rc > 0)
				errno = soerr;
			rc = -1;
		}
	}
	fcntl(fd, F_SETFL, flags);
	return rc;
}

/* A WAIT keeps a connection idle for minutes, and its reply timeout must
 * be longer still; keepalive probes notice a dead link in the meantime
 * (after 30 s idle, 3 probes 10 s apart) and fail the call, which is then
 * made again over a new connection.  Best effort. */
#define KEEPALIVE_IDLE 30
#define KEEPALIVE_INTERVAL 10
#define KEEPALIVE_PROBES 3

static void keep_alive(int fd)
{
	int on = 1, idle = KEEPALIVE_IDLE, intvl = KEEPALIVE_INTERVAL, cnt = KEEPALIVE_PROBES;
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
}

int mr_link_socket(const char *host, const char *port, int timeout, int *fd_r,
		   struct sockaddr_storage *ss, socklen_t *ss_len, struct mailrpc_error *err)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
	struct addrinfo *ai = NULL, *a;
	int gai = getaddrinfo(host, port, &hints, &ai);
	if (gai != 0)
		return mr_fail(err, MAILRPC_E_CONNECT, "cannot resolve %s: %s", host,
			       gai_strerror(gai));
	int saved = 0;
	for (a = ai; a != NULL; a = a->ai_next) {
		int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
		if (fd < 0)
			continue;
		if (connect_timeout(fd, a->ai_addr, a->ai_addrlen, timeout * 1000) == 0) {
			keep_alive(fd);
			memcpy(ss, a->ai_addr, a->ai_addrlen);
			*ss_len = a->ai_addrlen;
			*fd_r = fd;
			freeaddrinfo(ai);
			return MAILRPC_OK;
		}
		saved = errno;
		close(fd);
	}
	freeaddrinfo(ai);
	return mr_fail(err, MAILRPC_E_CONNECT, "cannot connect to %s port %s: %s", host, port,
		       strerror(saved));
}
