/*
 * ready.h -- telling systemd (Type=notify) that a daemon serves, so units
 * ordered after it start only once its sockets accept connections.  Does
 * nothing when the daemon was not started by systemd.
 */
#ifndef MAILRPC_COMMON_READY_H
#define MAILRPC_COMMON_READY_H

/* After the listening sockets are open and the pidfile is written. */
void ready_notify(const char *status);

/* When a stop was asked for, before connections are wound down. */
void ready_stopping(void);

#endif
