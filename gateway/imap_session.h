/*
 * imap_session.h -- one IMAP4rev1 connection: its state (RFC 3501 3),
 * the table of commands by state, and the helpers handlers answer with.
 *
 * Each command is a row of the table in imap_session.c: the states it is
 * valid in, whether it may report expunges, and its handler.  Every
 * command works through the mail service (service/mail.h): the session's
 * struct mail_session is opened at login (login.c); the selected folder
 * is a view of the store (imap_view.h), brought up to date before each
 * command and reported on before each tagged answer (imap_update.c).
 */
#ifndef GW_IMAP_SESSION_H
#define GW_IMAP_SESSION_H

#include "buf.h"
#include "imap_parse.h"
#include "mail.h"
#include "session.h"

#define IMAP_REPLY_MAX (8u << 20) /* the largest response built in memory */

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

struct imap_view;
struct imap_message;

struct imap_session {
	struct gw_session gw;
	enum imap_state state;
	unsigned enabled;	      /* enum imap_enable bits the client turned on */
	struct buf line;	      /* the line being read */
	struct buf command;	      /* the whole command being read */
	struct buf reply;	      /* a response being built */
	struct imap_view *view;	      /* the selected folder; NULL in other states */
	struct imap_message *message; /* the last message read (imap_message.h) */
	int may_expunge;	      /* the command running may report expunges */
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

/* A mail service status as a tagged NO with its RFC 5530 code (imap_status.c). */
enum imap_next imap_reply_mail(struct imap_session *s, const struct imap_command *cmd, int status);

/* The selected folder brought up to date with the store (imap_update.c):
 * a mail status.  Changes are applied to the view, and told by
 * imap_report, which every tagged answer runs first: expunges only if
 * may_expunge (RFC 3501 7.4.1), new messages and flag changes always. */
int imap_refresh(struct imap_session *s);
void imap_report(struct imap_session *s, int may_expunge);
/* "* n FETCH (UID u FLAGS (...) MODSEQ (m))" for view message i. */
void imap_write_fetch_flags(struct imap_session *s, size_t i, int with_uid);

/* QRESYNC (imap_qresync.c): "* VANISHED (EARLIER) uids" for the UIDs of
 * uid_set (an atom; NULL: every UID) removed from the selected folder
 * since modseq, written before the answers that follow (RFC 7162 3.2.5,
 * 3.2.6).  Past the tombstones the store keeps, every UID of the set
 * that is not in the folder now (which RFC 7162 allows). */
void imap_vanished_since(struct imap_session *s, const struct imap_arg *uid_set, uint64_t modseq);

/* Leaves the selected state (CLOSE, UNSELECT, SELECT of another). */
void imap_deselect(struct imap_session *s);

/* The commands that take a message set, also under UID: their arguments
 * after the command name (or after "UID NAME"). */
typedef enum imap_next (*imap_set_handler)(struct imap_session *s, const struct imap_command *cmd,
					   const struct imap_arg *args, size_t nargs, int uid);
enum imap_next imap_do_fetch(struct imap_session *s, const struct imap_command *cmd,
			     const struct imap_arg *args, size_t nargs, int uid);
enum imap_next imap_do_store(struct imap_session *s, const struct imap_command *cmd,
			     const struct imap_arg *args, size_t nargs, int uid);
enum imap_next imap_do_copy(struct imap_session *s, const struct imap_command *cmd,
			    const struct imap_arg *args, size_t nargs, int uid);
enum imap_next imap_do_move(struct imap_session *s, const struct imap_command *cmd,
			    const struct imap_arg *args, size_t nargs, int uid);
enum imap_next imap_do_search(struct imap_session *s, const struct imap_command *cmd,
			      const struct imap_arg *args, size_t nargs, int uid);
enum imap_next imap_do_expunge(struct imap_session *s, const struct imap_command *cmd,
			       const struct imap_arg *args, size_t nargs, int uid);

/* Handlers (imap_cmd_any.c, imap_cmd_auth.c). */
enum imap_next imap_cmd_capability(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_noop(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_logout(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_id(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_enable(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_starttls(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_login(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_authenticate(struct imap_session *s, const struct imap_command *cmd);
/* imap_cmd_folders.c */
enum imap_next imap_cmd_create(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_delete(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_rename(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_subscribe(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_unsubscribe(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_status(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_namespace(struct imap_session *s, const struct imap_command *cmd);
/* imap_cmd_list.c */
enum imap_next imap_cmd_list(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_lsub(struct imap_session *s, const struct imap_command *cmd);
/* imap_cmd_select.c */
enum imap_next imap_cmd_select(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_examine(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_close(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_unselect(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_check(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_expunge(struct imap_session *s, const struct imap_command *cmd);
/* imap_cmd_uid.c: FETCH, STORE, COPY, MOVE, SEARCH and UID */
enum imap_next imap_cmd_fetch(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_store(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_copy(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_move(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_search(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_uid(struct imap_session *s, const struct imap_command *cmd);
/* imap_cmd_append.c: APPEND with its message in the command, or with a
 * longer one still to be read from the stream (size bytes, {n+} or {n}). */
enum imap_next imap_cmd_append(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_append_stream(struct imap_session *s, const struct imap_command *cmd,
				  unsigned long long size, int nonsync);
/* imap_cmd_idle.c */
enum imap_next imap_cmd_idle(struct imap_session *s, const struct imap_command *cmd);
/* imap_cmd_acl.c */
enum imap_next imap_cmd_getacl(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_setacl(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_deleteacl(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_listrights(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_myrights(struct imap_session *s, const struct imap_command *cmd);
/* imap_cmd_quota.c */
enum imap_next imap_cmd_getquotaroot(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_getquota(struct imap_session *s, const struct imap_command *cmd);
enum imap_next imap_cmd_setquota(struct imap_session *s, const struct imap_command *cmd);

#endif
