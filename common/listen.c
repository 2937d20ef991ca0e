/* listen.c -- listening sockets and peer names (see listen.h). */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "listen.h"

static int split_spec(const char *spec, char *host, size_t host_len, const char **port)
{
	const char *colon;
	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');
		if (close == NULL || close[1] != ':')
			return -1;
		snprintf(host, host_len, "%.*s", (int)(close - spec - 1), spec + 1);
		*port = close + 2;
		return 0;
	}
	colon = strrchr(spec, ':');
	if (colon == NULL || colon == spec)
		return -1;
	snprintf(host, host_len, "%.*s", (int)(colon - spec), spec);
	*port = colon + 1;
	return 0;
}

int listen_open(const char *spec, int *port_r, char *why, size_t why_len)
{
	char host[256];
	const char *port;
	if (split_spec(spec, host, sizeof(host), &port) != 0) {
		snprintf(why, why_len,
			 "%s: expected ADDR:PORT or [ADDR]:PORT (e.g. 127.0.0.1:4711)", spec);
		return -1;
	}
	struct addrinfo hints = {.ai_family = AF_UNSPEC,
				 .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
	struct addrinfo *ai = NULL;
	int err = getaddrinfo(host, port, &hints, &ai);
	if (err != 0) {
		snprintf(why, why_len, "%s: %s", spec, gai_strerror(err));
		return -1;
	}
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	int one = 1;
	if (fd < 0) {
		snprintf(why, why_len, "socket for %s: %s", spec, strerror(errno));
		goto fail;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		snprintf(why, why_len, "cannot listen on %s: %s", spec, strerror(errno));
		goto fail;
	}
	/* The kernel's whole queue (net.core.somaxconn caps it): after a
	 * restart every client reconnects at once, and a connection refused
	 * by a full queue waits out the client's connect timeout. */
	if (listen(fd, SOMAXCONN) != 0) {
		snprintf(why, why_len, "listen on %s: %s", spec, strerror(errno));
		goto fail;
	}
	freeaddrinfo(ai);

	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char portbuf[16] = "0";
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
		getnameinfo((struct sockaddr *)&ss, len, NULL, 0, portbuf, sizeof(portbuf),
			    NI_NUMERICSERV);
	*port_r = atoi(portbuf);
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	freeaddrinfo(ai);
	return -1;
}

void peer_format(const struct sockaddr_storage *ss, socklen_t len, char *buf, size_t n)
{
	char host[64], port[16];
	if (getnameinfo((const struct sockaddr *)ss, len, host, sizeof(host), port, sizeof(port),
			NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(buf, n, "?");
		return;
	}
	snprintf(buf, n, ss->ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, port);
}

void peer_address(const struct sockaddr_storage *ss, socklen_t len, char *buf, size_t n)
{
	if (getnameinfo((const struct sockaddr *)ss, len, buf, n, NULL, 0, NI_NUMERICHOST) != 0)
		snprintf(buf, n, "?");
}
