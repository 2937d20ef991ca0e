/*
 * identity.h -- which mailbox a Kerberos principal owns, for every
 * front-end (mailrpcd's sessions, the IMAP/POP3 gateway's logins), so
 * all map alike.
 *
 * krb5_aname_to_localname alone, so krb5.conf auth_to_local rules decide
 * (their DEFAULT maps alice@DEFAULT.REALM to alice, nothing else; rules
 * are the way to admit instances and principals of other realms).
 */
#ifndef MAILRPC_IDENTITY_H
#define MAILRPC_IDENTITY_H

#include <krb5.h>
#include <stddef.h>

/* principal -> mailbox: MAIL_OK, MAIL_ERR_FOREIGN (a realm not served
 * here), MAIL_ERR_NOMAILBOX, or MAIL_ERR_INTERNAL (no krb5 context).  *krb
 * is the caller's context, made on first use (NULL before) and kept. */
int mail_identity(krb5_context *krb, const char *principal, char *mailbox, size_t mailbox_len);

/* Names a mailbox may have: 1..255 bytes of [A-Za-z0-9._-], not starting with '.'. */
int mail_valid_mailbox(const char *name);

#endif
