/* login.c -- see login.h. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../server/log.h"
#include "gw_mail.h"
#include "login.h"
#include "mail.h"
#include "password.h"
#include "slots.h"

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void login_begin(long long *started_ms)
{
	*started_ms = now_ms();
}

static void sleep_until(long long when_ms)
{
	long long left = when_ms - now_ms();
	if (left <= 0)
		return;
	struct timespec ts = {left / 1000, (left % 1000) * 1000000};
	while (nanosleep(&ts, &ts) != 0)
		;
}

static enum login_result failed(struct gw_session *s, enum login_result r, const char *who,
				const char *why, long long started_ms)
{
	char shown[GW_NAME_MAX];
	s->failed_logins++;
	log_info("peer=%s: login failed for %s: %s", s->peer, log_safe(shown, sizeof(shown), who),
		 why);
	sleep_until(started_ms + s->cfg->fail_delay_ms);
	return r;
}

/* The authorization id, if any, must name the principal itself or its mailbox. */
static int authzid_allowed(const char *authzid, const char *principal, const char *mailbox)
{
	return authzid[0] == '\0' || strcmp(authzid, principal) == 0 ||
	       strcmp(authzid, mailbox) == 0;
}

/* The login's answer when the mail service would not open a session. */
static enum login_result refused(struct gw_session *s, int status, const char *principal,
				 long long started_ms)
{
	switch (status) {
	case MAIL_ERR_NOMAILBOX:
	case MAIL_ERR_FOREIGN:
		return failed(s, LOGIN_NO_MAILBOX, principal, "does not map to a mailbox",
			      started_ms);
	case MAIL_ERR_DISABLED:
		return failed(s, LOGIN_NO_MAILBOX, principal, "its mailbox is disabled",
			      started_ms);
	default:
		return failed(s, LOGIN_UNAVAILABLE, principal, "the mail store is unavailable",
			      started_ms);
	}
}

static enum login_result logged_in(struct gw_session *s, const char *principal, const char *authzid,
				   long long started_ms)
{
	char why[256];
	int status = gw_mail_login(s, principal);
	if (status != MAIL_OK)
		return refused(s, status, principal, started_ms);
	if (!authzid_allowed(authzid, principal, s->mailbox)) {
		char shown[65];
		gw_mail_logout(s);
		s->mailbox[0] = '\0';
		snprintf(why, sizeof(why), "may not act as %s",
			 log_safe(shown, sizeof(shown), authzid));
		return failed(s, LOGIN_FAILED, principal, why, started_ms);
	}
	snprintf(s->principal, sizeof(s->principal), "%s", principal);
	s->authenticated = 1;
	/* Logged-in connections no longer count against the peer's limit. */
	slot_mark_authenticated(s->slot);
	s->stream.timeout_ms = s->cfg->idle_timeout * 1000;
	log_info("peer=%s: %s logged in as mailbox %s", s->peer, principal, s->mailbox);
	return LOGIN_OK;
}

enum login_result login_password(struct gw_session *s, const char *user, const char *password,
				 long long started_ms)
{
	char principal[GW_NAME_MAX], why[512];
	enum password_result r =
	    password_check(user, password, s->cfg->keytab, s->cfg->service, s->cfg->hostname,
			   principal, sizeof(principal), why, sizeof(why));
	if (r != PASSWORD_OK)
		return failed(s, r == PASSWORD_UNAVAILABLE ? LOGIN_UNAVAILABLE : LOGIN_FAILED, user,
			      why, started_ms);
	return logged_in(s, principal, "", started_ms);
}

enum login_result login_sasl(struct gw_session *s, struct sasl_server *sasl,
			     enum sasl_step_result result, const char *why, long long started_ms)
{
	if (result != SASL_DONE) {
		const char *who = sasl->principal[0] ? sasl->principal : sasl->user;
		return failed(s, sasl->password_unavailable ? LOGIN_UNAVAILABLE : LOGIN_FAILED, who,
			      why, started_ms);
	}
	return logged_in(s, sasl->principal, sasl->authzid, started_ms);
}

int login_too_many_failures(const struct gw_session *s)
{
	return s->failed_logins >= LOGIN_MAX_FAILURES;
}
