/*
 * listener.h -- the parent process: listen, accept, fork a child per
 * connection, reap children, and stop them all on SIGTERM/SIGINT.
 */
#ifndef MAILRPCD_LISTENER_H
#define MAILRPCD_LISTENER_H

/* Binds ADDR:PORT or [ADDR]:PORT; exits with a clear message on failure. */
int listener_open(const char *spec, int *port_r);

/* Runs until SIGTERM/SIGINT; returns after every child has ended. */
void listener_run(int listen_fd);

#endif
