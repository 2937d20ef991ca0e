/*
 * pop3_cmd_maildrop.c -- STAT, LIST, UIDL, RETR, TOP, DELE, RSET and the
 * UPDATE state (RFC 1939 5-6) on the maildrop read at login.  RETR and
 * TOP send the stored bytes as they are read, dot-stuffed (pop3_write.h).
 * UIDL is the message id: unique in the mailbox and never reused.
 */
#include <stdio.h>
#include <stdlib.h>

#include "mail.h"
#include "pop3_session.h"
#include "pop3_write.h"

#define SEND_PIECE (256 * 1024)

/* After a multi-line answer written to the stream: logged, flushed. */
static enum pop3_next sent(struct pop3_session *s, const struct pop3_command *cmd)
{
	gw_log_command(&s->gw, cmd->keyword, "OK");
	return stream_flush(&s->gw.stream) == STREAM_OK ? POP3_NEXT_COMMAND : POP3_NEXT_CLOSE;
}

static enum pop3_next no_such(struct pop3_session *s, const struct pop3_command *cmd)
{
	return pop3_reply(s, cmd, 0, "No such message");
}

enum pop3_next pop3_cmd_stat(struct pop3_session *s, const struct pop3_command *cmd)
{
	char text[64];
	unsigned long long n = 0, bytes = 0;
	if (cmd->nargs != 0)
		return pop3_reply(s, cmd, 0, "STAT takes no arguments");
	for (size_t i = 0; i < s->drop.count; i++)
		if (!s->drop.msgs[i].deleted) {
			n++;
			bytes += s->drop.msgs[i].size;
		}
	snprintf(text, sizeof(text), "%llu %llu", n, bytes);
	return pop3_reply(s, cmd, 1, text);
}

/* LIST and UIDL: "n value" for one message, or a line for each. */
static enum pop3_next listing(struct pop3_session *s, const struct pop3_command *cmd, int uidl)
{
	char text[64];
	if (cmd->nargs > 1)
		return pop3_reply(s, cmd, 0, "One message number at most");
	if (cmd->nargs == 1) {
		struct pop3_msg *m = pop3_maildrop_get(&s->drop, cmd->args[0]);
		if (m == NULL)
			return no_such(s, cmd);
		snprintf(text, sizeof(text), "%zu %llu", (size_t)(m - s->drop.msgs) + 1,
			 (unsigned long long)(uidl ? m->id : m->size));
		return pop3_reply(s, cmd, 1, text);
	}
	struct buf *out = &s->reply;
	buf_reset(out);
	buf_adds(out, uidl ? "+OK Unique ids follow\r\n" : "+OK Messages follow\r\n");
	for (size_t i = 0; i < s->drop.count; i++)
		if (!s->drop.msgs[i].deleted)
			buf_printf(
			    out, "%zu %llu\r\n", i + 1,
			    (unsigned long long)(uidl ? s->drop.msgs[i].id : s->drop.msgs[i].size));
	buf_adds(out, ".\r\n");
	if (out->overflow)
		return pop3_reply(s, cmd, 0, "[SYS/TEMP] Too many messages to list at once");
	stream_write(&s->gw.stream, out->data, out->len);
	return sent(s, cmd);
}

enum pop3_next pop3_cmd_list(struct pop3_session *s, const struct pop3_command *cmd)
{
	return listing(s, cmd, 0);
}

enum pop3_next pop3_cmd_uidl(struct pop3_session *s, const struct pop3_command *cmd)
{
	return listing(s, cmd, 1);
}

/* The message's bytes as a multi-line body (body_lines: TOP's, -1 all):
 * 0, or -1 if the connection cannot go on (a part may be out). */
static int send_message(struct pop3_session *s, const struct pop3_msg *m, long long body_lines)
{
	struct pop3_stuffer st;
	struct buf out;
	unsigned char sha[32];
	uint64_t size, offset = 0;
	char *piece = malloc(SEND_PIECE);
	int rc = piece ? 0 : -1;
	pop3_stuffer_init(&st, body_lines);
	/* Stuffing at most doubles a piece (bare LFs, leading dots). */
	buf_init(&out, 2 * SEND_PIECE + 16);
	while (rc == 0 && offset < m->size && !st.done) {
		size_t got;
		buf_reset(&out);
		if (mail_open(s->gw.mail, "") != MAIL_OK ||
		    mail_fetch(s->gw.mail, m->id, offset, piece, SEND_PIECE, &got, &size, sha) !=
			MAIL_OK ||
		    got == 0 || pop3_stuff(&st, piece, got, &out) != 0 ||
		    stream_write(&s->gw.stream, out.data, out.len) != STREAM_OK)
			rc = -1;
		offset += got;
	}
	buf_reset(&out);
	if (rc == 0 && (pop3_stuff_end(&st, &out) != 0 ||
			stream_write(&s->gw.stream, out.data, out.len) != STREAM_OK))
		rc = -1;
	buf_free(&out);
	free(piece);
	return rc;
}

/* RETR and TOP: a message is read now; one removed meanwhile is told so. */
static enum pop3_next retrieve(struct pop3_session *s, const struct pop3_command *cmd,
			       struct pop3_msg *m, long long body_lines)
{
	store_msginfo_t *info = NULL;
	char text[64];
	int status = mail_open(s->gw.mail, "");
	if (status == MAIL_OK)
		status = mail_info(s->gw.mail, m->id, &info);
	store_msginfo_free(&info);
	if (status == MAIL_ERR_NOMESSAGE)
		return pop3_reply(s, cmd, 0, "That message is no longer there");
	if (status != MAIL_OK)
		return pop3_reply(s, cmd, 0, "[SYS/TEMP] The message cannot be read now");
	snprintf(text, sizeof(text), "+OK %llu octets\r\n", (unsigned long long)m->size);
	stream_puts(&s->gw.stream, text);
	if (send_message(s, m, body_lines) != 0) {
		gw_log_command(&s->gw, cmd->keyword, "ERR");
		return POP3_NEXT_CLOSE;
	}
	return sent(s, cmd);
}

enum pop3_next pop3_cmd_retr(struct pop3_session *s, const struct pop3_command *cmd)
{
	struct pop3_msg *m = cmd->nargs == 1 ? pop3_maildrop_get(&s->drop, cmd->args[0]) : NULL;
	if (cmd->nargs != 1)
		return pop3_reply(s, cmd, 0, "RETR takes a message number");
	return m ? retrieve(s, cmd, m, -1) : no_such(s, cmd);
}

enum pop3_next pop3_cmd_top(struct pop3_session *s, const struct pop3_command *cmd)
{
	char *end;
	struct pop3_msg *m = cmd->nargs == 2 ? pop3_maildrop_get(&s->drop, cmd->args[0]) : NULL;
	if (cmd->nargs != 2 || cmd->args[1][0] < '0' || cmd->args[1][0] > '9')
		return pop3_reply(s, cmd, 0, "TOP takes a message number and a line count");
	unsigned long long lines = strtoull(cmd->args[1], &end, 10);
	if (*end != '\0' || lines > (1ULL << 40))
		return pop3_reply(s, cmd, 0, "TOP takes a message number and a line count");
	return m ? retrieve(s, cmd, m, (long long)lines) : no_such(s, cmd);
}

enum pop3_next pop3_cmd_dele(struct pop3_session *s, const struct pop3_command *cmd)
{
	struct pop3_msg *m = cmd->nargs == 1 ? pop3_maildrop_get(&s->drop, cmd->args[0]) : NULL;
	if (cmd->nargs != 1)
		return pop3_reply(s, cmd, 0, "DELE takes a message number");
	if (m == NULL)
		return no_such(s, cmd);
	m->deleted = 1;
	return pop3_reply(s, cmd, 1, "Marked for deletion");
}

enum pop3_next pop3_cmd_rset(struct pop3_session *s, const struct pop3_command *cmd)
{
	if (cmd->nargs != 0)
		return pop3_reply(s, cmd, 0, "RSET takes no arguments");
	for (size_t i = 0; i < s->drop.count; i++)
		s->drop.msgs[i].deleted = 0;
	return pop3_reply(s, cmd, 1, "Nothing marked");
}

enum pop3_next pop3_update(struct pop3_session *s, const struct pop3_command *cmd)
{
	s->state = POP3_UPDATE;
	int status = pop3_maildrop_update(s->gw.mail, &s->drop, s->gw.cfg->pop3_delete);
	if (status != MAIL_OK)
		pop3_reply(s, cmd, 0, "[SYS/TEMP] Some marked messages could not be removed");
	else
		pop3_reply(s, cmd, 1, "Bye");
	return POP3_NEXT_CLOSE;
}
