/* session.c -- per-context state via rpc_gss_set_callback (see session.h). */
#include <gssapi/gssapi.h>
#include <krb5.h>
#include <profile.h>
#include <rpc/rpcsec_gss.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "conn.h"
#include "log.h"
#include "mailrpc_prot.h"
#include "seal.h"
#include "session.h"

/* Process-wide: the connection's one context (libtirpc keeps one per
 * transport, and this process serves one transport). */
static struct session *current;

int session_clock_skew(void)
{
	krb5_context ctx;
	profile_t profile;
	int skew = 300;
	if (krb5_init_context(&ctx) == 0) {
		if (krb5_get_profile(ctx, &profile) == 0) {
			profile_get_integer(profile, "libdefaults", "clockskew", NULL, 300, &skew);
			profile_release(profile);
		}
		krb5_free_context(ctx);
	}
	return skew < 0 ? 0 : skew;
}

struct session *session_current(void)
{
	return current;
}

void session_end(struct session *s)
{
	if (s == NULL || s != current)
		return;
	seal_state_free(&s->seal);
	mail_session_free(&s->mail);
	free(s);
	current = NULL;
}

time_t session_expire(time_t now)
{
	if (current == NULL || current->seal == NULL)
		return 0;
	if (now < current->expires)
		return current->expires;
	/* The context is refused from now on (dispatch.c): its keys go now,
	 * not at its next call or the end of the process. */
	seal_state_free(&current->seal);
	log_info("peer=%s: the sealed context's Kerberos lifetime has passed: its keys wiped",
		 conn_peer());
	return 0;
}

/* p's name as a C string in buf (large enough: checked by the caller). */
static const char *principal_copy(char *buf, rpc_gss_principal_t p)
{
	memcpy(buf, p->name, (size_t)p->len);
	buf[p->len] = '\0';
	return buf;
}

static bool_t session_callback(struct svc_req *req, gss_cred_id_t deleg, gss_ctx_id_t ctx,
			       rpc_gss_lock_t *lock, void **cookie)
{
	(void)req;
	(void)deleg;
	OM_uint32 major, minor, lifetime = 0;

	major = gss_inquire_context(&minor, ctx, NULL, NULL, &lifetime, NULL, NULL, NULL, NULL);
	if (GSS_ERROR(major)) {
		log_warn("gss_inquire_context failed (major %u minor %u): context refused", major,
			 minor);
		return FALSE;
	}
	struct session *s = calloc(1, sizeof(*s));
	if (s == NULL)
		return FALSE;
	/* MIT's acceptor reports a context lifetime that includes the clock-
	 * skew allowance: a 20 s ticket shows 320 s.  Taking it off makes the
	 * context end when the ticket does. */
	OM_uint32 skew = (OM_uint32)config_get()->clock_skew;
	s->expires = time(NULL) + (time_t)(lifetime > skew ? lifetime - skew : 0);
	s->gss = ctx;
	s->service = lock->raw_cred->service;
	s->qop = lock->raw_cred->qop;

	char principal[512];
	rpc_gss_principal_t p = lock->raw_cred->client_principal;
	if (p == NULL || p->len <= 0 || (size_t)p->len >= sizeof(principal) ||
	    mail_session_new(conn_service(), principal_copy(principal, p), &s->mail) != MAIL_OK) {
		free(s);
		return FALSE;
	}
	/* A new context on the connection: libtirpc has let go of the old one. */
	session_end(current);
	current = s;
	/* Not locked: a sealed context's calls claim service none, which the
	 * lock would refuse.  The dispatcher holds every call to the
	 * context's level instead, at least as strictly (seal_admit). */
	lock->locked = FALSE;
	*cookie = s;
	return TRUE;
}

int session_register(unsigned long prog, unsigned long vers)
{
	rpc_gss_callback_t cb = {
	    .program = (u_int)prog, .version = (u_int)vers, .callback = session_callback};
	return rpc_gss_set_callback(&cb) ? 0 : -1;
}
