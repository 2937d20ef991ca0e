/*
 * session.h -- what mailrpcd knows about one RPCSEC_GSS context.
 *
 * libtirpc calls session_callback once, on a context's first data call:
 * it records the Kerberos lifetime (libtirpc never checks expiry), the
 * level and quality of protection the context was made with (the
 * dispatcher holds every call to them: seal_admit in seal.h), the GSS
 * context itself (sealed calls derive their keys from it), and opens the
 * context's mail session (service/mail.h), which maps the principal to a
 * mailbox and keeps the mailbox it works in.  Every later call finds it
 * again through rpc_gss_getcred's cookie.
 *
 * libtirpc keeps one context per connection, and a connection is a
 * process: the session of the connection's context is the current one.
 * It ends -- its keys wiped, its memory freed -- when the client destroys
 * the context, when mailrpcd ends the context (seal.h), when a new context
 * replaces it, and when the process ends; its keys are wiped as soon as
 * its Kerberos lifetime has passed (session_expire).
 */
#ifndef MAILRPCD_SESSION_H
#define MAILRPCD_SESSION_H

#include <gssapi/gssapi.h>
#include <rpc/rpc.h>
#include <rpc/rpcsec_gss.h>
#include <time.h>

#include "mail.h"

struct seal_state;

struct session {
	time_t expires; /* end of the Kerberos ticket */
	struct mail_session *mail;
	gss_ctx_id_t gss;	   /* the context: libtirpc's, valid while it lives */
	rpc_gss_service_t service; /* the level it was made with */
	const char *qop;	   /* its quality of protection, libtirpc's name */
	struct seal_state *seal;   /* NULL until SEAL_BEGIN (seal.h) */
};

/* Registers the callback for program/version; call before serving. */
int session_register(unsigned long prog, unsigned long vers);

/* MIT's clock-skew allowance (krb5.conf libdefaults clockskew), seconds:
 * read once at start for config's clock_skew. */
int session_clock_skew(void);

/* The session of the connection's current context, or NULL. */
struct session *session_current(void);

/* Ends the current session (if s is it): keys wiped, memory freed.  The
 * context itself is libtirpc's: the caller has destroyed it, or it is
 * going with the process. */
void session_end(struct session *s);

/* Wipes the keys of the current session if its Kerberos lifetime has
 * passed by now; returns when that will be (0: nothing to wipe later). */
time_t session_expire(time_t now);

#endif
