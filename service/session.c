/*
 * session.c -- sessions: a principal, the mailbox it owns and the one it
 * works in; the gate every operation passes; opening other mailboxes;
 * the quota of the one worked in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service_int.h"

int mail_session_new(struct mail_service *svc, const char *principal, struct mail_session **s_r)
{
	struct mail_session *s = calloc(1, sizeof(*s));
	*s_r = s;
	if (s == NULL)
		return MAIL_ERR_INTERNAL;
	s->svc = svc;
	/* A name too long to keep whole maps to nothing (and is never
	 * compared cut short with anyone's rights: the gate stops it). */
	if (strlen(principal) > MAIL_PRINCIPAL_MAX) {
		s->mailbox_status = MAIL_ERR_NOMAILBOX;
		return MAIL_OK;
	}
	snprintf(s->principal, sizeof(s->principal), "%s", principal);
	s->mailbox_status = mail_identity(&svc->krb, principal, s->mailbox, sizeof(s->mailbox));
	return MAIL_OK;
}

void mail_session_free(struct mail_session **s)
{
	if (s == NULL)
		return;
	free(*s);
	*s = NULL;
}

const char *mail_session_principal(const struct mail_session *s)
{
	return s->principal;
}
const char *mail_session_mailbox(const struct mail_session *s)
{
	return s->mailbox;
}

const char *mail_session_target(const struct mail_session *s)
{
	return s->opened[0] ? s->opened : s->mailbox;
}

void mail_call_init(struct mail_call *c, struct mail_session *s, const unsigned char *op)
{
	static const unsigned char none[MAIL_OPID_LEN];
	memset(c, 0, sizeof(*c));
	c->s = s;
	c->guard.fn = authz_decide;
	c->guard.ctx = c;
	/* authz's shortcut for the caller's own mailbox: it may do anything
	 * there, so the store need not ask (nor read what asking takes). */
	c->guard.owned = authz_owned(s);
	if (c->guard.owned != NULL && strcmp(c->guard.owned, mail_session_target(s)) == 0)
		c->rights = STORE_RIGHTS_ALL;
	c->call.guard = &c->guard;
	c->call.owner = s->mailbox;
	/* All zero is "no op id" on the wire. */
	c->call.op = op != NULL && memcmp(op, none, sizeof(none)) != 0 ? op : NULL;
}

int mail_begin(struct mail_call *c, struct mail_session *s, const unsigned char *op)
{
	mail_call_init(c, s, op);
	return authz_gate(s);
}

int mail_whoami(struct mail_session *s)
{
	return authz_gate(s);
}

int mail_open(struct mail_session *s, const char *mailbox)
{
	int status = authz_gate(s);
	if (status != MAIL_OK)
		return status;
	if (mailbox[0] != '\0' && !mail_valid_mailbox(mailbox))
		return MAIL_ERR_BADNAME;
	snprintf(s->opened, sizeof(s->opened), "%s", mailbox);
	return MAIL_OK;
}

int mail_quota(struct mail_session *s, struct mail_quota *q_r)
{
	store_mailbox_info_t info;
	memset(q_r, 0, sizeof(*q_r));
	int status = authz_gate(s);
	if (status != MAIL_OK)
		return status;
	if (!authz_owns(s, mail_session_target(s)))
		return MAIL_ERR_DENIED;
	status = mail_status_of(store_mailbox_info(mail_store(s), mail_session_target(s), &info),
				MAIL_ERR_NOMAILBOX, MAIL_ERR_INVALID);
	if (status != MAIL_OK)
		return status;
	/* What the quota counts: messages, and what unfinished uploads hold. */
	q_r->used = info.bytes_used + info.upload_bytes;
	q_r->limit = info.quota_in_force;
	q_r->messages = info.messages;
	return MAIL_OK;
}
