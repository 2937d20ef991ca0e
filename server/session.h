/*
 * session.h -- what mailrpcd knows about one RPCSEC_GSS context.
 *
 * libtirpc calls session_callback once, on a context's first data call:
 * it records the Kerberos lifetime (libtirpc never checks expiry), locks
 * the service level for the life of the context, and opens the context's
 * mail session (service/mail.h), which maps the principal to a mailbox
 * and keeps the mailbox it works in: two contexts on one connection are
 * two sessions.  Every later call finds it again through rpc_gss_getcred's
 * cookie.
 */
#ifndef MAILRPCD_SESSION_H
#define MAILRPCD_SESSION_H

#include <rpc/rpc.h>
#include <time.h>

#include "mail.h"

struct session {
	time_t expires; /* end of the Kerberos ticket */
	struct mail_session *mail;
};

/* Registers the callback for program/version; call before serving. */
int session_register(unsigned long prog, unsigned long vers);

/* MIT's clock-skew allowance (krb5.conf libdefaults clockskew), seconds:
 * read once at start for config's clock_skew. */
int session_clock_skew(void);

#endif
