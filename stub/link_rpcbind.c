/*
 * link_rpcbind.c -- the server's port from rpcbind on its host, for a
 * server given as HOST alone (mailrpcd --register), as NFS clients find
 * their servers (see link.h).
 */
#include <netconfig.h>
#include <netinet/in.h>
#include <rpc/rpc.h>
#include <stdio.h>

#include "internal.h"

/* The port in an address rpcbind returned, or -1. */
static int port_of(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return -1;
}

int mr_link_rpcbind_port(const char *host, rpcprog_t prog, rpcvers_t vers, char *port,
			 size_t port_len, struct mailrpc_error *err)
{
	static const char *const transports[] = {"tcp", "tcp6"};
	enum clnt_stat why = RPC_PROGNOTREGISTERED;
	for (size_t i = 0; i < sizeof(transports) / sizeof(transports[0]); i++) {
		struct netconfig *nc = getnetconfigent(transports[i]);
		if (nc == NULL)
			continue;
		struct sockaddr_storage ss = {0};
		struct netbuf nb = {.maxlen = sizeof(ss), .len = 0, .buf = &ss};
		bool_t found = rpcb_getaddr(prog, vers, nc, &nb, host);
		freenetconfigent(nc);
		if (found && port_of(&ss) > 0) {
			snprintf(port, port_len, "%d", port_of(&ss));
			return MAILRPC_OK;
		}
		/* Remember the first transport's reason: IPv4 is what servers register. */
		if (i == 0)
			why = rpc_createerr.cf_stat;
	}
	if (why == RPC_PROGNOTREGISTERED || why == RPC_PROGVERSMISMATCH)
		return mr_fail(
		    err, MAILRPC_E_CONNECT,
		    "no mailrpc server is registered with rpcbind on %s (give HOST:PORT)", host);
	return mr_fail(err, MAILRPC_E_CONNECT,
		       "cannot ask rpcbind on %s for the mailrpc port: %s (give HOST:PORT)", host,
		       clnt_sperrno(why));
}
