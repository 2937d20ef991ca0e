/*
 * pop3_session.h -- one POP3 connection (RFC 1939, CAPA RFC 2449, STLS
 * RFC 2595, AUTH RFC 5034): its state and its table of commands.  The
 * maildrop commands (STAT, LIST, RETR, ...) have rows without a handler
 * until the mail service layer (issue 11) is there.
 */
#ifndef GW_POP3_SESSION_H
#define GW_POP3_SESSION_H

#include "buf.h"
#include "pop3_maildrop.h"
#include "pop3_parse.h"
#include "session.h"

enum pop3_state {
	POP3_AUTHORIZATION = 1,
	POP3_TRANSACTION = 2,
	POP3_UPDATE = 4,
};

struct pop3_session {
	struct gw_session gw;
	enum pop3_state state;
	char user[POP3_ARG_MAX + 1]; /* USER's argument, until PASS */
	struct pop3_maildrop drop;   /* once logged in */
	struct buf line;
	struct buf reply;
};

enum pop3_next { POP3_NEXT_COMMAND, POP3_NEXT_CLOSE };

/* Runs the connection to its end; the stream (and TLS, if implicit) is up. */
void pop3_session_run(struct pop3_session *s);

/* "+OK text" or "-ERR text", flushed and logged. */
enum pop3_next pop3_reply(struct pop3_session *s, const struct pop3_command *cmd, int ok,
			  const char *text);

/* The maildrop's commands (pop3_cmd_maildrop.c). */
enum pop3_next pop3_cmd_stat(struct pop3_session *s, const struct pop3_command *cmd);
enum pop3_next pop3_cmd_list(struct pop3_session *s, const struct pop3_command *cmd);
enum pop3_next pop3_cmd_uidl(struct pop3_session *s, const struct pop3_command *cmd);
enum pop3_next pop3_cmd_retr(struct pop3_session *s, const struct pop3_command *cmd);
enum pop3_next pop3_cmd_top(struct pop3_session *s, const struct pop3_command *cmd);
enum pop3_next pop3_cmd_dele(struct pop3_session *s, const struct pop3_command *cmd);
enum pop3_next pop3_cmd_rset(struct pop3_session *s, const struct pop3_command *cmd);
/* QUIT in the TRANSACTION state: the UPDATE state, then the end. */
enum pop3_next pop3_update(struct pop3_session *s, const struct pop3_command *cmd);

#endif
