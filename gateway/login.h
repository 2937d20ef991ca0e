/*
 * login.h -- logging in, the same for IMAP and POP3 and for every
 * mechanism: the principal maps to a mailbox exactly as in mailrpcd
 * (auth_to_local), failures are logged with their reason, answered no
 * sooner than the configured delay after the attempt began whatever the
 * reason (so timing does not tell an unknown user from a wrong password),
 * and the connection is given up after a few.
 */
#ifndef GW_LOGIN_H
#define GW_LOGIN_H

#include "sasl.h"
#include "session.h"

/* Failed logins after which the connection is closed. */
#define LOGIN_MAX_FAILURES 3

enum login_result {
	LOGIN_OK,
	LOGIN_FAILED,	   /* bad credentials, or anything the client must not be told apart */
	LOGIN_NO_MAILBOX,  /* authenticated, but the principal maps to no mailbox */
	LOGIN_UNAVAILABLE, /* the KDC could not be reached: try later */
};

/* Starts the clock for the failure delay. */
void login_begin(long long *started_ms);

/* A password login (IMAP LOGIN, POP3 USER/PASS). */
enum login_result login_password(struct gw_session *s, const char *user, const char *password,
				 long long started_ms);

/* Finishes a SASL exchange that ended with result (DONE or FAILED). */
enum login_result login_sasl(struct gw_session *s, struct sasl_server *sasl,
			     enum sasl_step_result result, const char *why, long long started_ms);

/* Whether the client has failed too often and must be let go. */
int login_too_many_failures(const struct gw_session *s);

#endif
