/*
 * conn_limits.h -- how many connections one peer address may hold before
 * it authenticates, and one principal after (the store policy's
 * max-preauth-peer and max-user-conns, issue 15 item 1).
 *
 * The master and its connection processes share one table (an anonymous
 * shared mapping made before the first fork): a slot per connection with
 * the peer's address, whether it has authenticated, and as whom.  The
 * master fills a slot at accept and empties it when the process is
 * reaped; the connection process marks it at its first authenticated
 * call.  So bare sockets from one address take at most
 * max-preauth-peer processes, and one principal at most
 * max-user-conns.
 */
#ifndef MAILRPCD_CONN_LIMITS_H
#define MAILRPCD_CONN_LIMITS_H

#include <sys/socket.h>
#include <sys/types.h>

/* Master, before the first accept: a table of `slots` connections, with
 * the policy's limits read.  Exits (logged) if it cannot be made. */
void conn_limits_init(unsigned slots);
/* Master: reads the policy's limits again (an administrator may have
 * changed them); on failure the ones in force stay. */
void conn_limits_refresh(void);
/* Master, at accept: the slot of the connection from ss, or -1 when its
 * address already holds max-preauth-peer unauthenticated connections
 * (or every slot is taken). */
int conn_limits_claim(const struct sockaddr_storage *ss);
/* Master: slot's process is pid (or, unclaimed, none could be made); a
 * reaped process's slot is free again. */
void conn_limits_bind(int slot, pid_t pid);
void conn_limits_unclaim(int slot);
void conn_limits_release(pid_t pid);

/* Connection process, after fork: the slot it serves. */
void conn_limits_enter(int slot);
/* Connection process, at every authenticated call: 1 when principal may
 * use this connection, 0 when it already has max-user-conns
 * others (the connection's first authenticated call decides, once). */
int conn_limits_admit(const char *principal);
/* Connection process: whether a call has been admitted yet. */
int conn_limits_admitted(void);

#endif
