/*
 * imap_cmd_auth.c -- STARTTLS, LOGIN and AUTHENTICATE (see imap_session.h).
 * Every login needs TLS: before it, LOGIN and AUTHENTICATE answer
 * [PRIVACYREQUIRED] and the capabilities say LOGINDISABLED.
 */
#include <stdio.h>
#include <string.h>

#include "imap_session.h"
#include "login.h"
#include "sasl_exchange.h"

enum imap_next imap_cmd_starttls(struct imap_session *s, const struct imap_command *cmd)
{
	if (cmd->nargs != 0)
		return imap_reply(s, cmd, "BAD", "STARTTLS takes no arguments");
	if (s->gw.tls)
		return imap_reply(s, cmd, "BAD", "TLS is already active");
	if (imap_reply(s, cmd, "OK", "Begin TLS negotiation now") != IMAP_NEXT_COMMAND ||
	    gw_start_tls(&s->gw) != 0)
		return IMAP_NEXT_CLOSE;
	return IMAP_NEXT_COMMAND;
}

/* The answer to a login attempt, by outcome. */
static enum imap_next login_reply(struct imap_session *s, const struct imap_command *cmd,
				  enum login_result r)
{
	switch (r) {
	case LOGIN_OK:
		s->state = IMAP_AUTHENTICATED;
		buf_reset(&s->reply);
		buf_adds(&s->reply, "[CAPABILITY ");
		imap_capabilities(s, &s->reply);
		buf_adds(&s->reply, "] Logged in");
		return imap_reply(s, cmd, "OK", buf_cstr(&s->reply));
	case LOGIN_NO_MAILBOX:
		return imap_reply(s, cmd, "NO",
				  "[AUTHORIZATIONFAILED] Authenticated, but this principal has no "
				  "mailbox here");
	case LOGIN_UNAVAILABLE:
		return imap_reply(s, cmd, "NO",
				  "[UNAVAILABLE] Authentication is unavailable, try again later");
	default:
		return imap_reply(s, cmd, "NO", "[AUTHENTICATIONFAILED] Authentication failed");
	}
}

enum imap_next imap_cmd_login(struct imap_session *s, const struct imap_command *cmd)
{
	size_t ulen, plen;
	const char *user, *pass;
	long long started;
	if (cmd->nargs != 2 || (user = imap_arg_astring(&cmd->args[0], &ulen)) == NULL ||
	    (pass = imap_arg_astring(&cmd->args[1], &plen)) == NULL)
		return imap_reply(s, cmd, "BAD", "LOGIN takes a user name and a password");
	if (!s->gw.tls)
		return imap_reply(
		    s, cmd, "NO",
		    "[PRIVACYREQUIRED] LOGIN is disabled until TLS is active (STARTTLS)");
	login_begin(&started);
	/* A NUL would cut the name or password short: never the same login. */
	if (strlen(user) != ulen || strlen(pass) != plen || ulen == 0)
		return login_reply(s, cmd, login_password(&s->gw, "", "", started));
	return login_reply(s, cmd, login_password(&s->gw, user, pass, started));
}

enum imap_next imap_cmd_authenticate(struct imap_session *s, const struct imap_command *cmd)
{
	const struct gw_config *cfg = s->gw.cfg;
	struct sasl_server sasl;
	enum sasl_step_result result;
	char why[512];
	long long started;
	if (cmd->nargs < 1 || cmd->nargs > 2 || cmd->args[0].type != IMAP_ARG_ATOM ||
	    (cmd->nargs == 2 && cmd->args[1].type != IMAP_ARG_ATOM))
		return imap_reply(s, cmd, "BAD",
				  "AUTHENTICATE takes a mechanism and an optional "
				  "initial response");
	enum sasl_mech mech = sasl_mech_parse(cmd->args[0].data);
	if (mech == SASL_NONE)
		return imap_reply(s, cmd, "NO", "Unsupported authentication mechanism");
	if (!s->gw.tls)
		return imap_reply(s, cmd, "NO",
				  "[PRIVACYREQUIRED] Authentication needs TLS first (STARTTLS)");
	login_begin(&started);
	sasl_server_init(&sasl, mech, cfg->service, cfg->hostname, cfg->keytab);
	enum sasl_exchange_result ex = sasl_exchange(
	    &s->gw, &sasl, cmd->nargs == 2 ? cmd->args[1].data : NULL, &result, why, sizeof(why));
	enum imap_next next;
	switch (ex) {
	case SASL_EXCHANGE_CANCELLED:
		next = imap_reply(s, cmd, "BAD", "Authentication cancelled");
		break;
	case SASL_EXCHANGE_CLOSED:
		next = IMAP_NEXT_CLOSE;
		break;
	case SASL_EXCHANGE_BAD:
		login_sasl(&s->gw, &sasl, SASL_FAILED, why, started);
		next = imap_reply(s, cmd, "BAD", "Invalid SASL response");
		break;
	default:
		next = login_reply(s, cmd, login_sasl(&s->gw, &sasl, result, why, started));
	}
	sasl_server_free(&sasl);
	return next;
}
