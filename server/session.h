/*
 * session.h -- what mailrpcd knows about one RPCSEC_GSS context.
 *
 * libtirpc calls session_callback once, on a context's first data call:
 * it records the Kerberos lifetime (libtirpc never checks expiry), locks
 * the service level for the life of the context, and maps the principal
 * to a mailbox once.  Every later call finds it again through
 * rpc_gss_getcred's cookie.
 */
#ifndef MAILRPCD_SESSION_H
#define MAILRPCD_SESSION_H

#include <rpc/rpc.h>
#include <time.h>

#include "identity.h"

struct session {
	time_t expires;                          /* end of the Kerberos ticket */
	int mailbox_status;                      /* MR_OK or why no mailbox */
	char mailbox[IDENTITY_NAME_MAX + 1];
};

/* Registers the callback for program/version; call before serving. */
int session_register(unsigned long prog, unsigned long vers);

#endif
