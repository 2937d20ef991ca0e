/* imap_session.c -- the IMAP command loop and its table (see imap_session.h). */
#include <stdio.h>
#include <string.h>

#include "../server/log.h"
#include "imap_read.h"
#include "imap_session.h"
#include "login.h"

#define ANY (IMAP_NOT_AUTHENTICATED | IMAP_AUTHENTICATED | IMAP_SELECTED)
#define AUTHED (IMAP_AUTHENTICATED | IMAP_SELECTED)

struct imap_command_def {
	const char *name;
	unsigned states;      /* enum imap_state bits it is valid in */
	int message_literal;  /* takes a whole message as a literal (APPEND) */
	imap_handler handler; /* NULL: not available yet */
};

static const struct imap_command_def commands[] = {
    {"CAPABILITY", ANY, 0, imap_cmd_capability},
    {"NOOP", ANY, 0, imap_cmd_noop},
    {"LOGOUT", ANY, 0, imap_cmd_logout},
    {"ID", ANY, 0, imap_cmd_id},
    {"STARTTLS", IMAP_NOT_AUTHENTICATED, 0, imap_cmd_starttls},
    {"AUTHENTICATE", IMAP_NOT_AUTHENTICATED, 0, imap_cmd_authenticate},
    {"LOGIN", IMAP_NOT_AUTHENTICATED, 0, imap_cmd_login},
    {"ENABLE", IMAP_AUTHENTICATED, 0, imap_cmd_enable},
    /* The mailbox commands come with the mail service layer. */
    {"SELECT", AUTHED, 0, NULL},
    {"EXAMINE", AUTHED, 0, NULL},
    {"CREATE", AUTHED, 0, NULL},
    {"DELETE", AUTHED, 0, NULL},
    {"RENAME", AUTHED, 0, NULL},
    {"SUBSCRIBE", AUTHED, 0, NULL},
    {"UNSUBSCRIBE", AUTHED, 0, NULL},
    {"LIST", AUTHED, 0, NULL},
    {"LSUB", AUTHED, 0, NULL},
    {"STATUS", AUTHED, 0, NULL},
    {"APPEND", AUTHED, 1, NULL},
    {"NAMESPACE", AUTHED, 0, NULL},
    {"GETQUOTAROOT", AUTHED, 0, NULL},
    {"GETQUOTA", AUTHED, 0, NULL},
    {"GETACL", AUTHED, 0, NULL},
    {"MYRIGHTS", AUTHED, 0, NULL},
    {"LISTRIGHTS", AUTHED, 0, NULL},
    {"SETACL", AUTHED, 0, NULL},
    {"DELETEACL", AUTHED, 0, NULL},
    {"IDLE", AUTHED, 0, NULL},
    {"CHECK", IMAP_SELECTED, 0, NULL},
    {"CLOSE", IMAP_SELECTED, 0, NULL},
    {"UNSELECT", IMAP_SELECTED, 0, NULL},
    {"EXPUNGE", IMAP_SELECTED, 0, NULL},
    {"SEARCH", IMAP_SELECTED, 0, NULL},
    {"FETCH", IMAP_SELECTED, 0, NULL},
    {"STORE", IMAP_SELECTED, 0, NULL},
    {"COPY", IMAP_SELECTED, 0, NULL},
    {"MOVE", IMAP_SELECTED, 0, NULL},
    {"UID", IMAP_SELECTED, 0, NULL},
};

static const struct imap_command_def *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* Before login no literal is bigger than a line; after it APPEND's may be
 * a message (once APPEND exists: until then its literal is refused unread). */
static size_t literal_limit(void *ctx, const char *name)
{
	struct imap_session *s = ctx;
	const struct imap_command_def *def = find_command(name);
	if (s->gw.authenticated && def != NULL && def->message_literal && def->handler != NULL)
		return (size_t)s->gw.cfg->max_message;
	return s->gw.cfg->max_line;
}

void imap_capabilities(const struct imap_session *s, struct buf *out)
{
	buf_adds(out, "IMAP4rev1 SASL-IR LITERAL+ ID ENABLE");
	if (s->state != IMAP_NOT_AUTHENTICATED)
		return;
	/* Logging in needs TLS, with every mechanism (see README). */
	if (s->gw.tls)
		buf_adds(out, " AUTH=GSSAPI AUTH=PLAIN");
	else
		buf_adds(out, " STARTTLS LOGINDISABLED");
}

enum imap_next imap_reply(struct imap_session *s, const struct imap_command *cmd,
			  const char *status, const char *text)
{
	const char *tag = cmd != NULL && cmd->tag[0] ? cmd->tag : "*";
	stream_printf(&s->gw.stream, "%s %s %s\r\n", tag, status, text);
	if (cmd != NULL && cmd->name[0])
		gw_log_command(&s->gw, cmd->name, status);
	return stream_flush(&s->gw.stream) == STREAM_OK ? IMAP_NEXT_COMMAND : IMAP_NEXT_CLOSE;
}

static enum imap_next dispatch(struct imap_session *s, const struct imap_command *cmd)
{
	const struct imap_command_def *def = find_command(cmd->name);
	char text[128];
	if (def == NULL)
		return imap_reply(s, cmd, "BAD", "Unknown command");
	if (!(def->states & s->state)) {
		if (s->state == IMAP_NOT_AUTHENTICATED)
			return imap_reply(s, cmd, "BAD", "Log in first");
		if (def->states == IMAP_NOT_AUTHENTICATED)
			return imap_reply(s, cmd, "BAD", "Already logged in");
		if (def->states == IMAP_SELECTED)
			return imap_reply(s, cmd, "BAD", "No mailbox selected");
		return imap_reply(s, cmd, "BAD", "Not valid in this state");
	}
	if (def->handler == NULL) {
		snprintf(text, sizeof(text),
			 "%s is not available yet: this gateway serves no "
			 "mailboxes yet",
			 def->name);
		return imap_reply(s, cmd, "BAD", text);
	}
	return def->handler(s, cmd);
}

/* Why the connection ends, told to the client when it can still hear. */
static void say_goodbye(struct imap_session *s, const struct imap_reader *r)
{
	const char *bye = NULL;
	if (r->nonsync_too_big)
		bye = "* BYE [TOOBIG] Literal too big\r\n";
	else if (r->stream_status == STREAM_TIMEOUT)
		bye = s->gw.authenticated ? "* BYE Autologout; idle for too long\r\n"
					  : "* BYE Autologout; no login in time\r\n";
	else if (r->stream_status == STREAM_STOPPED)
		bye = "* BYE Server shutting down\r\n";
	else if (r->stream_status == STREAM_ERROR)
		bye = "* BYE Line too long\r\n";
	if (r->stream_status == STREAM_TIMEOUT)
		log_info("peer=%s: idle for %d s, closing", s->gw.peer,
			 s->gw.stream.timeout_ms / 1000);
	if (bye != NULL) {
		stream_puts(&s->gw.stream, bye);
		stream_flush(&s->gw.stream);
	}
}

/* One command read, parsed and run; IMAP_NEXT_CLOSE ends the connection. */
static enum imap_next serve_one(struct imap_session *s, struct imap_reader *r)
{
	struct imap_command cmd;
	const char *error;
	switch (imap_read_command(r, &s->command, &s->line)) {
	case IMAP_READ_EMPTY:
		return IMAP_NEXT_COMMAND;
	case IMAP_READ_TOO_LONG:
		gw_log_command(&s->gw, "(too long)", "BAD");
		stream_puts(&s->gw.stream, "* BAD Line too long\r\n");
		return stream_flush(&s->gw.stream) == STREAM_OK ? IMAP_NEXT_COMMAND
								: IMAP_NEXT_CLOSE;
	case IMAP_READ_REFUSED:
		memset(&cmd, 0, sizeof(cmd));
		memcpy(cmd.tag, r->tag, sizeof(cmd.tag));
		snprintf(cmd.name, sizeof(cmd.name), "(literal)");
		return imap_reply(s, &cmd, "NO", "[TOOBIG] Literal too big");
	case IMAP_READ_CLOSE:
		say_goodbye(s, r);
		return IMAP_NEXT_CLOSE;
	case IMAP_READ_OK:
		break;
	}
	if (imap_parse_command(s->command.data, s->command.len, &cmd, &error) != 0) {
		if (!cmd.name[0])
			snprintf(cmd.name, sizeof(cmd.name), "(garbage)");
		return imap_reply(s, &cmd, "BAD", error);
	}
	enum imap_next next = dispatch(s, &cmd);
	imap_command_free(&cmd);
	if (next == IMAP_NEXT_COMMAND && login_too_many_failures(&s->gw)) {
		stream_puts(&s->gw.stream, "* BYE Too many failed logins\r\n");
		stream_flush(&s->gw.stream);
		return IMAP_NEXT_CLOSE;
	}
	return next;
}

void imap_session_run(struct imap_session *s)
{
	struct imap_reader r = {.stream = &s->gw.stream,
				.max_line = s->gw.cfg->max_line,
				.literal_limit = literal_limit,
				.ctx = s};
	buf_init(&s->line, s->gw.cfg->max_line);
	buf_init(&s->command, s->gw.cfg->max_line);
	buf_init(&s->reply, 1 << 20);
	s->state = IMAP_NOT_AUTHENTICATED;

	buf_adds(&s->reply, "* OK [CAPABILITY ");
	imap_capabilities(s, &s->reply);
	buf_adds(&s->reply, "] mailrpc IMAP4rev1 gateway ready\r\n");
	stream_write(&s->gw.stream, s->reply.data, s->reply.len);
	if (stream_flush(&s->gw.stream) == STREAM_OK)
		while (s->state != IMAP_LOGOUT && serve_one(s, &r) == IMAP_NEXT_COMMAND)
			;
	buf_free(&s->line);
	buf_free(&s->command);
	buf_free(&s->reply);
}
