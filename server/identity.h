/*
 * identity.h -- which mailbox a Kerberos principal owns.
 *
 * krb5_aname_to_localname alone, so krb5.conf auth_to_local rules decide
 * (their DEFAULT maps alice@DEFAULT.REALM to alice, nothing else; rules
 * are the way to admit instances and principals of other realms).
 */
#ifndef MAILRPCD_IDENTITY_H
#define MAILRPCD_IDENTITY_H

#include <stddef.h>

#define IDENTITY_NAME_MAX 255

/* 0: mapped; MR_ERR_FOREIGN or MR_ERR_NOMAILBOX (IDL status) otherwise. */
int identity_mailbox(const char *principal, char *mailbox, size_t mailbox_len);

/* Mailbox names: 1..255 bytes of [A-Za-z0-9._-], not starting with '.'. */
int identity_valid_mailbox(const char *name);

#endif
