/*
 * session.h -- what one connection process knows about its client, shared
 * by the IMAP and POP3 front-ends: the stream, TLS, who logged in and as
 * which mailbox.  The mail service layer's session (issue 11) hangs here
 * once it exists; the protocol front-ends keep their own state around it.
 */
#ifndef GW_SESSION_H
#define GW_SESSION_H

#include <openssl/ssl.h>

#include "config.h"
#include "stream.h"

struct slot;
struct mail_session; /* the mail service layer's; NULL until logged in */

#define GW_NAME_MAX 256

struct gw_session {
	const struct gw_config *cfg;
	SSL_CTX *tls_ctx;
	struct stream stream;
	struct slot *slot; /* the listener's record of this connection */
	char peer[128];
	int tls; /* TLS is up */
	int authenticated;
	int failed_logins;
	char principal[GW_NAME_MAX]; /* Kerberos principal, once logged in */
	char mailbox[GW_NAME_MAX];   /* its mailbox (auth_to_local) */
	struct mail_session *mail;
};

/*
 * Starts TLS once the protocol's go-ahead (IMAP OK, POP3 +OK) is flushed:
 * whatever the client sent before the handshake is thrown away and logged
 * (see stream_start_tls).  0, or -1 if the handshake failed.
 */
int gw_start_tls(struct gw_session *s);

/* One line per command: principal, command, result, peer (never arguments). */
void gw_log_command(const struct gw_session *s, const char *command, const char *result);

#endif
