/*
 * sasl.h -- the server side of the SASL mechanisms the gateway offers,
 * shared by IMAP AUTHENTICATE and POP3 AUTH: GSSAPI (RFC 4752, Kerberos
 * through MIT GSSAPI) and PLAIN (RFC 4616, checked by password.h).
 *
 * The protocol front-end moves base64 lines; this module sees raw bytes.
 * GSSAPI offers only "no security layer": the gateway allows logins only
 * inside TLS, which already protects the session.
 */
#ifndef GW_SASL_H
#define GW_SASL_H

#include <gssapi/gssapi.h>
#include <stddef.h>

#include "buf.h"

enum sasl_mech { SASL_NONE, SASL_GSSAPI, SASL_PLAIN };

enum sasl_step_result {
	SASL_CONTINUE, /* send *out as a challenge, then step again with the answer */
	SASL_DONE,     /* authenticated: principal and authzid are set */
	SASL_FAILED,   /* why says what went wrong, for the log */
};

struct sasl_server {
	enum sasl_mech mech;
	const char *service, *host; /* our principal SERVICE/HOST */
	const char *keytab;
	int phase;
	gss_ctx_id_t gss;
	gss_cred_id_t cred;
	char principal[256];	  /* the authenticated Kerberos principal */
	char authzid[256];	  /* what the client asked to act as ("" if nothing) */
	char user[256];		  /* PLAIN: the name given, for the log when it fails */
	int password_unavailable; /* PLAIN: the KDC could not be reached */
};

/* The mechanism named (case-insensitive), or SASL_NONE. */
enum sasl_mech sasl_mech_parse(const char *name);
const char *sasl_mech_name(enum sasl_mech mech);

void sasl_server_init(struct sasl_server *s, enum sasl_mech mech, const char *service,
		      const char *host, const char *keytab);
void sasl_server_free(struct sasl_server *s);

/* One exchange: the client's bytes in, the next challenge (if any) in out. */
enum sasl_step_result sasl_server_step(struct sasl_server *s, const unsigned char *in, size_t len,
				       struct buf *out, char *why, size_t why_len);

#endif
