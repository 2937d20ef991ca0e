/* pop3_session.c -- the POP3 command loop, its table and its commands (see pop3_session.h). */
#include <stdio.h>
#include <string.h>

#include "../server/log.h"
#include "gw_mail.h"
#include "login.h"
#include "mail.h"
#include "pop3_session.h"
#include "pop3_write.h"
#include "sasl_exchange.h"

#define LINE_DISCARD_MAX (1024 * 1024)

typedef enum pop3_next (*pop3_handler)(struct pop3_session *s, const struct pop3_command *cmd);

enum pop3_next pop3_reply(struct pop3_session *s, const struct pop3_command *cmd, int ok,
			  const char *text)
{
	stream_printf(&s->gw.stream, "%s%s%s\r\n", ok ? "+OK" : "-ERR", text[0] ? " " : "", text);
	gw_log_command(&s->gw, cmd ? cmd->keyword : "(garbage)", ok ? "OK" : "ERR");
	return stream_flush(&s->gw.stream) == STREAM_OK ? POP3_NEXT_COMMAND : POP3_NEXT_CLOSE;
}

/* "+OK text" and a multi-line body. */
static enum pop3_next reply_lines(struct pop3_session *s, const struct pop3_command *cmd,
				  const char *text, const char *body)
{
	buf_reset(&s->reply);
	buf_printf(&s->reply, "+OK %s\r\n", text);
	pop3_write_multiline(&s->reply, body, strlen(body));
	stream_write(&s->gw.stream, s->reply.data, s->reply.len);
	gw_log_command(&s->gw, cmd->keyword, "OK");
	return stream_flush(&s->gw.stream) == STREAM_OK ? POP3_NEXT_COMMAND : POP3_NEXT_CLOSE;
}

static enum pop3_next cmd_capa(struct pop3_session *s, const struct pop3_command *cmd)
{
	char body[256];
	int before_login = s->state == POP3_AUTHORIZATION;
	snprintf(body, sizeof(body),
		 "%s%sTOP\nUIDL\nRESP-CODES\nAUTH-RESP-CODE\nIMPLEMENTATION mailrpc\n",
		 before_login && !s->gw.tls ? "STLS\n" : "",
		 before_login && s->gw.tls ? "USER\nSASL GSSAPI PLAIN\n" : "");
	if (cmd->nargs != 0)
		return pop3_reply(s, cmd, 0, "CAPA takes no arguments");
	return reply_lines(s, cmd, "Capability list follows", body);
}

static enum pop3_next cmd_stls(struct pop3_session *s, const struct pop3_command *cmd)
{
	if (cmd->nargs != 0)
		return pop3_reply(s, cmd, 0, "STLS takes no arguments");
	if (s->gw.tls)
		return pop3_reply(s, cmd, 0, "TLS is already active");
	if (pop3_reply(s, cmd, 1, "Begin TLS negotiation") != POP3_NEXT_COMMAND ||
	    gw_start_tls(&s->gw) != 0)
		return POP3_NEXT_CLOSE;
	s->user[0] = '\0';
	return POP3_NEXT_COMMAND;
}

static enum pop3_next needs_tls(struct pop3_session *s, const struct pop3_command *cmd)
{
	return pop3_reply(s, cmd, 0,
			  "[AUTH] Plaintext authentication is disabled until TLS is active (STLS)");
}

static enum pop3_next login_reply(struct pop3_session *s, const struct pop3_command *cmd,
				  enum login_result r)
{
	s->user[0] = '\0';
	switch (r) {
	case LOGIN_OK:
		/* The maildrop as it is now (RFC 1939 4): what the session works on. */
		if (pop3_maildrop_open(s->gw.mail, &s->drop) != MAIL_OK) {
			pop3_reply(s, cmd, 0, "[SYS/TEMP] Your Inbox cannot be read now");
			return POP3_NEXT_CLOSE;
		}
		s->state = POP3_TRANSACTION;
		return pop3_reply(s, cmd, 1, "Logged in");
	case LOGIN_NO_MAILBOX:
		return pop3_reply(s, cmd, 0,
				  "[AUTH] Authenticated, but this principal has no mailbox here");
	case LOGIN_UNAVAILABLE:
		return pop3_reply(s, cmd, 0,
				  "[SYS/TEMP] Authentication is unavailable, try again later");
	default:
		return pop3_reply(s, cmd, 0, "[AUTH] Authentication failed");
	}
}

static enum pop3_next cmd_user(struct pop3_session *s, const struct pop3_command *cmd)
{
	if (!s->gw.tls)
		return needs_tls(s, cmd);
	if (cmd->nargs != 1)
		return pop3_reply(s, cmd, 0, "USER takes a name");
	snprintf(s->user, sizeof(s->user), "%s", cmd->args[0]);
	/* The same answer for every name: nothing is told before PASS. */
	return pop3_reply(s, cmd, 1, "Send PASS");
}

static enum pop3_next cmd_pass(struct pop3_session *s, const struct pop3_command *cmd)
{
	long long started;
	if (!s->gw.tls)
		return needs_tls(s, cmd);
	if (s->user[0] == '\0')
		return pop3_reply(s, cmd, 0, "USER first");
	if (cmd->nargs != 1)
		return pop3_reply(s, cmd, 0, "PASS takes a password");
	login_begin(&started);
	return login_reply(s, cmd, login_password(&s->gw, s->user, cmd->rest, started));
}

static enum pop3_next cmd_auth(struct pop3_session *s, const struct pop3_command *cmd)
{
	const struct gw_config *cfg = s->gw.cfg;
	struct sasl_server sasl;
	enum sasl_step_result result;
	char why[512];
	long long started;
	if (!s->gw.tls)
		return needs_tls(s, cmd);
	if (cmd->nargs == 0)
		return reply_lines(s, cmd, "Mechanisms follow", "GSSAPI\nPLAIN\n");
	enum sasl_mech mech = sasl_mech_parse(cmd->args[0]);
	if (mech == SASL_NONE)
		return pop3_reply(s, cmd, 0, "Unsupported authentication mechanism");
	login_begin(&started);
	sasl_server_init(&sasl, mech, cfg->service, cfg->hostname, cfg->keytab);
	enum sasl_exchange_result ex = sasl_exchange(
	    &s->gw, &sasl, cmd->nargs == 2 ? cmd->args[1] : NULL, &result, why, sizeof(why));
	enum pop3_next next;
	switch (ex) {
	case SASL_EXCHANGE_CANCELLED:
		next = pop3_reply(s, cmd, 0, "Authentication cancelled");
		break;
	case SASL_EXCHANGE_CLOSED:
		next = POP3_NEXT_CLOSE;
		break;
	case SASL_EXCHANGE_BAD:
		login_sasl(&s->gw, &sasl, SASL_FAILED, why, started);
		next = pop3_reply(s, cmd, 0, "Invalid SASL response");
		break;
	default:
		next = login_reply(s, cmd, login_sasl(&s->gw, &sasl, result, why, started));
	}
	sasl_server_free(&sasl);
	return next;
}

static enum pop3_next cmd_noop(struct pop3_session *s, const struct pop3_command *cmd)
{
	if (cmd->nargs != 0)
		return pop3_reply(s, cmd, 0, "NOOP takes no arguments");
	return pop3_reply(s, cmd, 1, "");
}

static enum pop3_next cmd_quit(struct pop3_session *s, const struct pop3_command *cmd)
{
	if (s->state == POP3_TRANSACTION)
		return pop3_update(s, cmd);
	pop3_reply(s, cmd, 1, "Bye");
	return POP3_NEXT_CLOSE;
}

#define AUTHORIZATION POP3_AUTHORIZATION
#define TRANSACTION POP3_TRANSACTION

static const struct {
	const char *keyword;
	unsigned states;
	pop3_handler handler;
} commands[] = {
    {"CAPA", AUTHORIZATION | TRANSACTION, cmd_capa},
    {"QUIT", AUTHORIZATION | TRANSACTION, cmd_quit},
    {"STLS", AUTHORIZATION, cmd_stls},
    {"USER", AUTHORIZATION, cmd_user},
    {"PASS", AUTHORIZATION, cmd_pass},
    {"AUTH", AUTHORIZATION, cmd_auth},
    {"NOOP", TRANSACTION, cmd_noop},
    {"STAT", TRANSACTION, pop3_cmd_stat},
    {"LIST", TRANSACTION, pop3_cmd_list},
    {"RETR", TRANSACTION, pop3_cmd_retr},
    {"DELE", TRANSACTION, pop3_cmd_dele},
    {"RSET", TRANSACTION, pop3_cmd_rset},
    {"TOP", TRANSACTION, pop3_cmd_top},
    {"UIDL", TRANSACTION, pop3_cmd_uidl},
};

static enum pop3_next dispatch(struct pop3_session *s, const struct pop3_command *cmd)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].keyword, cmd->keyword) != 0)
			continue;
		if (!(commands[i].states & s->state))
			return pop3_reply(s, cmd, 0,
					  s->state == POP3_AUTHORIZATION ? "Log in first"
									 : "Not valid after login");
		return commands[i].handler(s, cmd);
	}
	return pop3_reply(s, cmd, 0, "Unknown command");
}

static void say_goodbye(struct pop3_session *s, int status)
{
	const char *bye = NULL;
	if (status == STREAM_TIMEOUT) {
		bye = "-ERR Autologout; idle for too long\r\n";
		log_info("peer=%s: idle for %d s, closing", s->gw.peer,
			 s->gw.stream.timeout_ms / 1000);
	} else if (status == STREAM_STOPPED) {
		bye = "-ERR Server shutting down\r\n";
	} else if (status == STREAM_ERROR) {
		bye = "-ERR Line too long\r\n";
	}
	if (bye != NULL) {
		stream_puts(&s->gw.stream, bye);
		stream_flush(&s->gw.stream);
	}
}

static enum pop3_next serve_one(struct pop3_session *s)
{
	struct pop3_command cmd;
	const char *error;
	int st = stream_read_line(&s->gw.stream, &s->line, s->gw.cfg->max_line, LINE_DISCARD_MAX);
	if (st == STREAM_TOO_LONG)
		return pop3_reply(s, NULL, 0, "Line too long");
	if (st != STREAM_OK) {
		say_goodbye(s, st);
		return POP3_NEXT_CLOSE;
	}
	buf_cstr(&s->line); /* the byte after the line, which the parser may write */
	if (pop3_parse_command(s->line.data, s->line.len, &cmd, &error) != 0)
		return pop3_reply(s, NULL, 0, error);
	enum pop3_next next = dispatch(s, &cmd);
	explicit_bzero(s->line.data, s->line.len);
	if (next == POP3_NEXT_COMMAND && login_too_many_failures(&s->gw)) {
		stream_puts(&s->gw.stream, "-ERR Too many failed logins\r\n");
		stream_flush(&s->gw.stream);
		return POP3_NEXT_CLOSE;
	}
	return next;
}

void pop3_session_run(struct pop3_session *s)
{
	buf_init(&s->line, s->gw.cfg->max_line);
	buf_init(&s->reply, 1 << 20);
	s->state = POP3_AUTHORIZATION;
	stream_puts(&s->gw.stream, "+OK mailrpc POP3 gateway ready\r\n");
	if (stream_flush(&s->gw.stream) == STREAM_OK)
		while (serve_one(s) == POP3_NEXT_COMMAND)
			;
	pop3_maildrop_free(&s->drop);
	gw_mail_logout(&s->gw);
	buf_free(&s->line);
	buf_free(&s->reply);
}
