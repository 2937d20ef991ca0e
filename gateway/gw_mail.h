/*
 * gw_mail.h -- the mail service (service/mail.h) as the gateway uses it:
 * one service per process, set up from the gateway's settings before any
 * connection is accepted (its store handle is opened in each connection
 * process, after the fork), and one mail session per login.
 */
#ifndef GW_MAIL_H
#define GW_MAIL_H

#include <stddef.h>

#include "config.h"
#include "session.h"

/* At start: the settings, and a look at the store (created if missing):
 * 0, or -1 with why.  The store is closed again before any fork. */
int gw_mail_setup(const struct gw_config *cfg, char *why, size_t why_len);

/* Opens s->mail for principal and makes sure it may work (its mailbox
 * made on first use): a mail_status; the mailbox name into s->mailbox. */
int gw_mail_login(struct gw_session *s, const char *principal);

/* Ends s->mail. */
void gw_mail_logout(struct gw_session *s);

#endif
