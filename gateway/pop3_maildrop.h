/*
 * pop3_maildrop.h -- the POP3 maildrop (RFC 1939): the caller's Inbox as
 * it was at login, numbered 1..n in id order; DELE marks, RSET unmarks,
 * QUIT (the UPDATE state) removes the marked ones, as the gateway is set
 * up to (--pop3-delete: to Deleted Items, or for good).  Messages another
 * session removes meanwhile are "no longer there" when asked for.
 */
#ifndef GW_POP3_MAILDROP_H
#define GW_POP3_MAILDROP_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct mail_session;

struct pop3_msg {
	uint64_t id;
	uint64_t size;
	int deleted;
};

struct pop3_maildrop {
	struct pop3_msg *msgs;
	size_t count;
};

/* The Inbox of the session's own mailbox, now: a mail status. */
int pop3_maildrop_open(struct mail_session *m, struct pop3_maildrop *d);
void pop3_maildrop_free(struct pop3_maildrop *d);

/* Message n (1-based) if it exists and is not marked; NULL otherwise. */
struct pop3_msg *pop3_maildrop_get(struct pop3_maildrop *d, const char *n);

/* Removes the marked messages (how: the --pop3-delete setting); a mail status. */
int pop3_maildrop_update(struct mail_session *m, struct pop3_maildrop *d, enum gw_pop3_delete how);

#endif
