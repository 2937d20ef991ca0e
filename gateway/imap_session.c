/* imap_session.c -- the IMAP command loop and its table (see imap_session.h). */
#include <stdio.h>
#include <string.h>

#include "../server/log.h"
#include "gw_mail.h"
#include "imap_read.h"
#include "imap_session.h"
#include "imap_view.h"
#include "login.h"
#include "mime_tree.h"

#define ANY (IMAP_NOT_AUTHENTICATED | IMAP_AUTHENTICATED | IMAP_SELECTED)
#define AUTHED (IMAP_AUTHENTICATED | IMAP_SELECTED)

struct imap_command_def {
	const char *name;
	unsigned states; /* enum imap_state bits it is valid in */
	int may_expunge; /* it may report expunges (RFC 3501 7.4.1) */
	imap_handler handler;
};

static const struct imap_command_def commands[] = {
    {"CAPABILITY", ANY, 1, imap_cmd_capability},
    {"NOOP", ANY, 1, imap_cmd_noop},
    {"LOGOUT", ANY, 1, imap_cmd_logout},
    {"ID", ANY, 1, imap_cmd_id},
    {"STARTTLS", IMAP_NOT_AUTHENTICATED, 1, imap_cmd_starttls},
    {"AUTHENTICATE", IMAP_NOT_AUTHENTICATED, 1, imap_cmd_authenticate},
    {"LOGIN", IMAP_NOT_AUTHENTICATED, 1, imap_cmd_login},
    {"ENABLE", IMAP_AUTHENTICATED, 1, imap_cmd_enable},
    {"SELECT", AUTHED, 1, imap_cmd_select},
    {"EXAMINE", AUTHED, 1, imap_cmd_examine},
    {"CREATE", AUTHED, 1, imap_cmd_create},
    {"DELETE", AUTHED, 1, imap_cmd_delete},
    {"RENAME", AUTHED, 1, imap_cmd_rename},
    {"SUBSCRIBE", AUTHED, 1, imap_cmd_subscribe},
    {"UNSUBSCRIBE", AUTHED, 1, imap_cmd_unsubscribe},
    {"LIST", AUTHED, 1, imap_cmd_list},
    {"LSUB", AUTHED, 1, imap_cmd_lsub},
    {"STATUS", AUTHED, 1, imap_cmd_status},
    /* APPEND is read by imap_cmd_append.c, its message streamed. */
    {"APPEND", AUTHED, 1, imap_cmd_append},
    {"NAMESPACE", AUTHED, 1, imap_cmd_namespace},
    {"GETQUOTAROOT", AUTHED, 1, imap_cmd_getquotaroot},
    {"GETQUOTA", AUTHED, 1, imap_cmd_getquota},
    {"SETQUOTA", AUTHED, 1, imap_cmd_setquota},
    {"GETACL", AUTHED, 1, imap_cmd_getacl},
    {"MYRIGHTS", AUTHED, 1, imap_cmd_myrights},
    {"LISTRIGHTS", AUTHED, 1, imap_cmd_listrights},
    {"SETACL", AUTHED, 1, imap_cmd_setacl},
    {"DELETEACL", AUTHED, 1, imap_cmd_deleteacl},
    {"IDLE", AUTHED, 1, imap_cmd_idle},
    {"CHECK", IMAP_SELECTED, 1, imap_cmd_check},
    {"CLOSE", IMAP_SELECTED, 1, imap_cmd_close},
    {"UNSELECT", IMAP_SELECTED, 1, imap_cmd_unselect},
    {"EXPUNGE", IMAP_SELECTED, 1, imap_cmd_expunge},
    {"SEARCH", IMAP_SELECTED, 0, imap_cmd_search},
    {"FETCH", IMAP_SELECTED, 0, imap_cmd_fetch},
    {"STORE", IMAP_SELECTED, 0, imap_cmd_store},
    {"COPY", IMAP_SELECTED, 1, imap_cmd_copy},
    {"MOVE", IMAP_SELECTED, 1, imap_cmd_move},
    {"UID", IMAP_SELECTED, 1, imap_cmd_uid},
};

static const struct imap_command_def *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* Literals are read whole up to a line's length; after login, a longer
 * one in APPEND is its message, left for imap_cmd_append to stream. */
static size_t literal_limit(void *ctx, const char *name)
{
	(void)name;
	return ((struct imap_session *)ctx)->gw.cfg->max_line;
}

static int literal_streams(void *ctx, const char *name)
{
	struct imap_session *s = ctx;
	return s->gw.authenticated && strcmp(name, "APPEND") == 0;
}

void imap_capabilities(const struct imap_session *s, struct buf *out)
{
	buf_adds(out, "IMAP4rev1 SASL-IR LITERAL+ ID ENABLE");
	if (s->state != IMAP_NOT_AUTHENTICATED) {
		buf_printf(out,
			   " IDLE NAMESPACE UIDPLUS MOVE UNSELECT CHILDREN SPECIAL-USE ACL "
			   "RIGHTS=kxte QUOTA QUOTA=RES-STORAGE CONDSTORE QRESYNC APPENDLIMIT=%llu",
			   s->gw.cfg->max_message);
		return;
	}
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
	/* Before a command's end, what changed in the selected folder. */
	if (tag[0] != '*' && s->state == IMAP_SELECTED)
		imap_report(s, s->may_expunge);
	stream_printf(&s->gw.stream, "%s %s %s\r\n", tag, status, text);
	if (cmd != NULL && cmd->name[0])
		gw_log_command(&s->gw, cmd->name, status);
	return stream_flush(&s->gw.stream) == STREAM_OK ? IMAP_NEXT_COMMAND : IMAP_NEXT_CLOSE;
}

static enum imap_next dispatch(struct imap_session *s, const struct imap_command *cmd)
{
	const struct imap_command_def *def = find_command(cmd->name);
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
	s->may_expunge = def->may_expunge;
	/* Fresh flags and messages for the command; told before its end. */
	if (s->state == IMAP_SELECTED) {
		imap_refresh(s);
		/* Deleted, renamed or out of reach (a right taken away): no
		 * command may use the view; serve_one then says BYE. */
		if (s->view->closed && def->states == IMAP_SELECTED)
			return imap_reply(s, cmd, "NO",
					  "[NONEXISTENT] The selected folder is gone");
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

/* APPEND up to the message it streams: the command without the literal's
 * announcement, parsed, then run with the literal still to read. */
static enum imap_next serve_streamed(struct imap_session *s, struct imap_reader *r)
{
	struct imap_command cmd;
	const char *error;
	size_t len = s->command.len;
	while (len > 0 && s->command.data[len - 1] != '{')
		len--;
	if (len > 0)
		len--; /* the '{' */
	if (len > 0 && s->command.data[len - 1] == ' ')
		len--;
	if (imap_parse_command(s->command.data, len, &cmd, &error) != 0) {
		/* No "+" was sent: a synchronizing literal never comes. */
		if (r->literal_nonsync) {
			stream_puts(&s->gw.stream, "* BYE Invalid APPEND\r\n");
			stream_flush(&s->gw.stream);
			return IMAP_NEXT_CLOSE;
		}
		return imap_reply(s, &cmd, "BAD", error);
	}
	s->may_expunge = 1;
	if (s->state == IMAP_SELECTED)
		imap_refresh(s);
	enum imap_next next = imap_append_stream(s, &cmd, r->literal_size, r->literal_nonsync);
	imap_command_free(&cmd);
	return next;
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
	case IMAP_READ_LITERAL:
		return serve_streamed(s, r);
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
	if (next == IMAP_NEXT_COMMAND && s->view != NULL && s->view->closed) {
		/* Deleted or renamed under the session: nothing to go on with. */
		stream_puts(&s->gw.stream, "* BYE The selected folder was deleted or renamed\r\n");
		stream_flush(&s->gw.stream);
		return IMAP_NEXT_CLOSE;
	}
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
				.literal_streams = literal_streams,
				.ctx = s};
	buf_init(&s->line, s->gw.cfg->max_line);
	buf_init(&s->command, s->gw.cfg->max_line);
	buf_init(&s->reply, IMAP_REPLY_MAX);
	s->state = IMAP_NOT_AUTHENTICATED;
	/* GMime serves ENVELOPE and SEARCH from the header alone, without a
	 * mime_parse (which would set it up): set it up once, here. */
	mime_init();

	buf_adds(&s->reply, "* OK [CAPABILITY ");
	imap_capabilities(s, &s->reply);
	buf_adds(&s->reply, "] mailrpc IMAP4rev1 gateway ready\r\n");
	stream_write(&s->gw.stream, s->reply.data, s->reply.len);
	if (stream_flush(&s->gw.stream) == STREAM_OK)
		while (s->state != IMAP_LOGOUT && serve_one(s, &r) == IMAP_NEXT_COMMAND)
			;
	imap_deselect(s);
	gw_mail_logout(&s->gw);
	buf_free(&s->line);
	buf_free(&s->command);
	buf_free(&s->reply);
}
