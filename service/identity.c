/*
 * identity.c -- which mailbox a Kerberos principal owns.
 *
 * krb5_aname_to_localname alone, so krb5.conf auth_to_local rules decide
 * (their DEFAULT maps alice@DEFAULT.REALM to alice, nothing else; rules
 * are the way to admit instances and principals of other realms), as for
 * any MIT service: alice/admin or host/pc are not alice unless a rule
 * says so.  Every front-end maps through here (identity.h), so all map
 * alike.
 */
#include <string.h>

#include "identity.h"
#include "mail.h"

int mail_valid_mailbox(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len > MAIL_NAME_MAX || name[0] == '.')
		return 0;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
	       len;
}

static int in_default_realm(krb5_context ctx, krb5_const_principal princ)
{
	char *realm = NULL;
	if (krb5_get_default_realm(ctx, &realm) != 0)
		return 0;
	int same = strlen(realm) == princ->realm.length &&
		   memcmp(realm, princ->realm.data, princ->realm.length) == 0;
	krb5_free_default_realm(ctx, realm);
	return same;
}

int mail_identity(krb5_context *krb, const char *principal, char *mailbox, size_t mailbox_len)
{
	krb5_principal princ = NULL;
	int status = MAIL_ERR_NOMAILBOX;

	mailbox[0] = '\0';
	if (*krb == NULL && krb5_init_context(krb) != 0) {
		*krb = NULL;
		return MAIL_ERR_INTERNAL;
	}
	if (krb5_parse_name(*krb, principal, &princ) != 0)
		return MAIL_ERR_NOMAILBOX;
	if (krb5_aname_to_localname(*krb, princ, (int)mailbox_len - 1, mailbox) != 0) {
		status = in_default_realm(*krb, princ) ? MAIL_ERR_NOMAILBOX : MAIL_ERR_FOREIGN;
		goto cleanup;
	}
	/* "public" names the public folders, never a person's mailbox. */
	status = mail_valid_mailbox(mailbox) && strcmp(mailbox, MAIL_PUBLIC_MAILBOX) != 0
		     ? MAIL_OK
		     : MAIL_ERR_NOMAILBOX;
cleanup:
	if (status != MAIL_OK)
		mailbox[0] = '\0';
	krb5_free_principal(*krb, princ);
	return status;
}
