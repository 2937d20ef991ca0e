/*
 * imap_session.h -- one IMAP4rev1 connection: its state (RFC 3501 3),
 * the table of commands by state, and the helpers handlers answer with.
 *
 * Each command is a row of the table in imap_session.c: the states it is
 * valid in, the largest literal it takes, and its handler.  Mailbox
 * commands have rows without a handler until the mail service layer
 * (issue 11) is there; they answer "not available yet".
 */
#ifndef GW_IMAP_SESSION_H
#define GW_IMAP_SESSION_H

#include "buf.h"
#include "imap_parse.h"
#include "session.h"

enum imap_state {
	IMAP_NOT_AUTHENTICATED = 1,
	IMAP_AUTHENTICATED = 2,
	IMAP_SELECTED = 4,
	IMAP_LOGOUT = 8,
};

/* Extensions a client can ENABLE (RFC 5161); bits of imap_session.enabled. */
enum imap_enable {
	IMAP_ENABLE_CONDSTORE = 1,
	IMAP_ENABLE_QRESYNC = 2,
	IMAP_ENABLE_UTF8_ACCEPT = 4,
};

struct imap_session {
	struct gw_session gw;
	enum imap_state state;
	unsigned enabled;   /* enum imap_enable bits the client turned on */
	struct buf line;    /* the line being read */
	struct buf command; /* the whole command being read */
	struct buf reply;   /* a response being built */
};

/* What a handler tells the loop. */
enum imap_next { IMAP_NEXT_COMMAND, IMAP_NEXT_CLOSE };

typedef enum imap_next (*imap_handler)(struct imap_session *s, const struct imap_command *cmd);

/* Runs the connection to its end; the stream (and TLS, if implicit) is up. */
void imap_session_run(struct imap_session *s);

/* "TAG STATUS text" (tag "*" for untagged), flushed; result goes to the log. */
enum imap_next imap_reply(struct imap_session *s, const struct imap_command *cmd,
			  const char *status, const char *text);

/* The capabilities in force now (they change with TLS and login). */
void imap_capabilities(const struct imap_session *s, struct buf *out);

/* Handlers (imap_cmd_any.c, imap_cmd_auth.c). */
enum imap_next imap_cmd_capability(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_noop(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_logout(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_id(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_enable(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_starttls(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_login(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_authenticate(struct imap_session *s, const struct imap_command *cmd);

#endif
