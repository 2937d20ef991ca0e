/*
 * conn.h -- serving one client connection in its own process.
 *
 * libtirpc keys RPCSEC_GSS state by transport pointer and never drops it
 * when a connection dies, and its svc_run serves one record at a time for
 * everybody.  A process per connection makes both harmless: the state dies
 * with the process, and a stalled client stalls only itself.
 */
#ifndef MAILRPCD_CONN_H
#define MAILRPCD_CONN_H

#include <stdint.h>

#include "mail.h"

/* Serves fd until the client leaves, goes idle, or stop is set. Never returns. */
void conn_serve(int fd, const char *peer, volatile int *stop) __attribute__((noreturn));

/* The connection this process serves, set once before its first call:
 * the peer's address (for log lines) and the process's mail service,
 * which every session of the connection shares (libtirpc's dispatcher
 * and GSS callback take no context of ours). */
const char *conn_peer(void);
struct mail_service *conn_service(void);
/* The transaction id of the call being served (libtirpc does not pass it
 * on): a sealed call's body is bound to it. */
uint32_t conn_xid(void);
/* The reply being sent is the connection's last: it closes after. */
void conn_end_after_reply(void);

#endif
