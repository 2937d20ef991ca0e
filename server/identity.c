/* identity.c -- principal to mailbox (see identity.h). */
#include <krb5.h>
#include <string.h>

#include "identity.h"
#include "log.h"
#include "mailrpc_prot.h"

static krb5_context kctx;

static krb5_context context(void)
{
	if (kctx == NULL && krb5_init_context(&kctx) != 0)
		log_fatal("krb5_init_context failed: check KRB5_CONFIG / krb5.conf");
	return kctx;
}

int identity_valid_mailbox(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len > IDENTITY_NAME_MAX || name[0] == '.')
		return 0;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == len;
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

int identity_mailbox(const char *principal, char *mailbox, size_t mailbox_len)
{
	krb5_context ctx = context();
	krb5_principal princ = NULL;
	int status = MR_ERR_NOMAILBOX;

	mailbox[0] = '\0';
	if (krb5_parse_name(ctx, principal, &princ) != 0)
		return MR_ERR_NOMAILBOX;

	/* Only krb5.conf's auth_to_local rules name a mailbox (their DEFAULT:
	 * one-component principals of the default realm), as for any MIT
	 * service: alice/admin or host/pc are not alice unless a rule says so. */
	if (krb5_aname_to_localname(ctx, princ, (int)mailbox_len - 1, mailbox) != 0) {
		status = in_default_realm(ctx, princ) ? MR_ERR_NOMAILBOX : MR_ERR_FOREIGN;
		goto cleanup;
	}
	/* "public" names the public folders, never a person's mailbox. */
	status = identity_valid_mailbox(mailbox) && strcmp(mailbox, "public") != 0 ? MR_OK
										  : MR_ERR_NOMAILBOX;
cleanup:
	if (status != MR_OK)
		mailbox[0] = '\0';
	krb5_free_principal(ctx, princ);
	return status;
}
