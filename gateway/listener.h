/*
 * listener.h -- the gateway's parent process: listen on every address,
 * accept, enforce the connection limits, fork a process per connection,
 * reap them, and stop them all on SIGTERM/SIGINT.
 */
#ifndef GW_LISTENER_H
#define GW_LISTENER_H

#include "config.h"

struct slot;

/* What a connection process runs; never returns. */
typedef void (*gw_serve_fn)(int fd, const char *peer, int implicit_tls, struct slot *slot,
			    volatile int *stop);

struct gw_listen {
	int fd;
	int implicit_tls;
};

/* Runs until SIGTERM/SIGINT; returns after every child has ended. */
void gw_listener_run(const struct gw_config *cfg, const struct gw_listen *fds, int n,
		     gw_serve_fn serve);

#endif
