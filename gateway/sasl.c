/* sasl.c -- mechanism choice and PLAIN (see sasl.h); GSSAPI is in sasl_gssapi.c. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "password.h"
#include "sasl.h"
#include "sasl_gssapi.h"

enum sasl_mech sasl_mech_parse(const char *name)
{
	if (strcasecmp(name, "GSSAPI") == 0)
		return SASL_GSSAPI;
	if (strcasecmp(name, "PLAIN") == 0)
		return SASL_PLAIN;
	return SASL_NONE;
}

const char *sasl_mech_name(enum sasl_mech mech)
{
	return mech == SASL_GSSAPI ? "GSSAPI" : mech == SASL_PLAIN ? "PLAIN" : "?";
}

void sasl_server_init(struct sasl_server *s, enum sasl_mech mech, const char *service,
		      const char *host, const char *keytab)
{
	memset(s, 0, sizeof(*s));
	s->mech = mech;
	s->service = service;
	s->host = host;
	s->keytab = keytab;
	s->gss = GSS_C_NO_CONTEXT;
	s->cred = GSS_C_NO_CREDENTIAL;
}

void sasl_server_free(struct sasl_server *s)
{
	sasl_gssapi_free(s);
}

/* Copies the NUL-free field [p, p+len) into dst; -1 if it does not fit. */
static int field(char *dst, size_t size, const unsigned char *p, size_t len)
{
	if (len >= size)
		return -1;
	memcpy(dst, p, len);
	dst[len] = '\0';
	return 0;
}

/* RFC 4616: [authzid] NUL authcid NUL passwd, nothing else. */
static enum sasl_step_result plain_step(struct sasl_server *s, const unsigned char *in, size_t len,
					char *why, size_t why_len)
{
	const unsigned char *nul1 = memchr(in, '\0', len);
	const unsigned char *nul2 =
	    nul1 ? memchr(nul1 + 1, '\0', len - (size_t)(nul1 + 1 - in)) : NULL;
	char password[1024];
	if (nul2 == NULL || field(s->authzid, sizeof(s->authzid), in, (size_t)(nul1 - in)) != 0 ||
	    field(s->user, sizeof(s->user), nul1 + 1, (size_t)(nul2 - nul1 - 1)) != 0 ||
	    field(password, sizeof(password), nul2 + 1, len - (size_t)(nul2 + 1 - in)) != 0 ||
	    s->user[0] == '\0') {
		snprintf(why, why_len, "malformed PLAIN response");
		return SASL_FAILED;
	}
	enum password_result r = password_check(s->user, password, s->keytab, s->service, s->host,
						s->principal, sizeof(s->principal), why, why_len);
	explicit_bzero(password, sizeof(password));
	s->password_unavailable = r == PASSWORD_UNAVAILABLE;
	return r == PASSWORD_OK ? SASL_DONE : SASL_FAILED;
}

enum sasl_step_result sasl_server_step(struct sasl_server *s, const unsigned char *in, size_t len,
				       struct buf *out, char *why, size_t why_len)
{
	buf_reset(out);
	switch (s->mech) {
	case SASL_PLAIN:
		return plain_step(s, in, len, why, why_len);
	case SASL_GSSAPI:
		return sasl_gssapi_step(s, in, len, out, why, why_len);
	default:
		snprintf(why, why_len, "no such mechanism");
		return SASL_FAILED;
	}
}
