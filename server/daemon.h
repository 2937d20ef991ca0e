/*
 * daemon.h -- the start every mailrpc daemon makes once its sockets are
 * open (mailrpcd, mailrpc-imapd, mailrpc-pop3d).
 */
#ifndef MAILRPC_SERVER_DAEMON_H
#define MAILRPC_SERVER_DAEMON_H

/* Unless foreground: detaches and logs to syslog from then on.  Then
 * writes the process id to pidfile (NULL: none).  Failures are fatal
 * (logged). */
void daemon_start(int foreground, const char *pidfile);

#endif
