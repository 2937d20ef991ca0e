/*
 * lookup.c -- what the MTA asks about addresses (see mail.h), answered
 * from the store's address data as it is now, and from the rights as
 * they are now: a delegation granted or revoked with an ACL shows in the
 * next lookup, with no map file to regenerate.
 *
 * Who may use an address as sender is decided by the one authorization
 * module: for each principal the Outbox's ACL names, the question "may
 * it send as this mailbox" is put to it (mail_may_post), as a send would.
 */
#include <stdio.h>
#include <string.h>

#include "author.h"
#include "service_int.h"

int mail_lookup_domain(struct mail_service *svc, const char *domain)
{
	int local;
	store_t *st = mail_service_store(svc);
	if (st == NULL)
		return MAIL_ERR_INTERNAL;
	if (store_domain_check(domain) != STORE_OK)
		return MAIL_ERR_INVALID;
	int status = store_domain_local(st, domain, &local);
	if (status != STORE_OK)
		return mail_status_of(status, MAIL_ERR_INTERNAL, MAIL_ERR_INVALID);
	return local ? MAIL_OK : MAIL_ERR_NOTFOUND;
}

/* The mailbox a full address reaches ("" none). */
static int owner(store_t *st, const char *address, char mailbox_r[MAIL_NAME_MAX + 1])
{
	int local;
	if (strchr(address, '@') == NULL || store_address_check(address) != STORE_OK)
		return MAIL_ERR_INVALID;
	int status = store_address_resolve(st, address, &local, mailbox_r);
	if (status != STORE_OK)
		return mail_status_of(status, MAIL_ERR_INTERNAL, MAIL_ERR_INVALID);
	return mailbox_r[0] != '\0' ? MAIL_OK : MAIL_ERR_NOTFOUND;
}

int mail_lookup_recipient(struct mail_service *svc, const char *address,
			  char mailbox_r[MAIL_NAME_MAX + 1])
{
	store_mailbox_info_t info;
	store_t *st = mail_service_store(svc);
	if (st == NULL)
		return MAIL_ERR_INTERNAL;
	int status = owner(st, address, mailbox_r);
	/* A disabled mailbox takes no mail (mailrpc-deliver bounces it). */
	if (status == MAIL_OK && store_mailbox_info(st, mailbox_r, &info) == STORE_OK &&
	    info.disabled)
		status = MAIL_ERR_NOTFOUND;
	if (status != MAIL_OK)
		mailbox_r[0] = '\0';
	return status;
}

/* Appends login to buf (comma-separated); 0, or -1 if it does not fit. */
static int add_login(char *buf, size_t size, const char *login)
{
	size_t n = strlen(buf);
	int w = snprintf(buf + n, size - n, "%s%s", n ? "," : "", login);
	return w < 0 || (size_t)w >= size - n ? -1 : 0;
}

/* principal's login names: itself, and without the default realm. */
static int add_principal(char *buf, size_t size, const char *principal, const char *realm)
{
	char shortname[MAIL_PRINCIPAL_MAX + 1];
	size_t pn = strlen(principal), rn = realm ? strlen(realm) : 0;
	if (add_login(buf, size, principal) != 0)
		return -1;
	if (rn == 0 || pn <= rn + 1 || principal[pn - rn - 1] != '@' ||
	    strcmp(principal + pn - rn, realm) != 0)
		return 0;
	snprintf(shortname, sizeof(shortname), "%.*s", (int)(pn - rn - 1), principal);
	return add_login(buf, size, shortname);
}

/* Whether principal may send as mailbox, asked of authz as a send would. */
static int may_send_as(struct mail_service *svc, const char *principal, const char *mailbox)
{
	struct mail_session *s = NULL;
	struct mail_call c;
	int status = mail_session_new(svc, principal, &s);
	if (status == MAIL_OK) {
		mail_call_init(&c, s, NULL);
		status =
		    s->mailbox_status == MAIL_OK ? mail_may_post(&c, mailbox) : s->mailbox_status;
	}
	mail_session_free(&s);
	return status;
}

int mail_lookup_senders(struct mail_service *svc, const char *address, char *buf, size_t size)
{
	char mailbox[MAIL_NAME_MAX + 1], realm_buf[MAIL_PRINCIPAL_MAX + 1] = "";
	char *realm = NULL;
	store_acl_t *acl = NULL;
	store_t *st = mail_service_store(svc);
	buf[0] = '\0';
	if (st == NULL)
		return MAIL_ERR_INTERNAL;
	store_mailbox_info_t info;
	int status = owner(st, address, mailbox);
	if (status != MAIL_OK)
		return status;
	/* A disabled mailbox sends nothing, whoever asks. */
	if (store_mailbox_info(st, mailbox, &info) == STORE_OK && info.disabled)
		return MAIL_ERR_NOTFOUND;
	if (svc->krb == NULL && krb5_init_context(&svc->krb) != 0)
		svc->krb = NULL;
	if (svc->krb != NULL && krb5_get_default_realm(svc->krb, &realm) == 0) {
		snprintf(realm_buf, sizeof(realm_buf), "%s", realm);
		krb5_free_default_realm(svc->krb, realm);
	}
	/* The owner: its mailbox name is its login (the default realm's
	 * principal of that name, as SASL gives it). */
	char owner_principal[2 * MAIL_PRINCIPAL_MAX + 2];
	snprintf(owner_principal, sizeof(owner_principal), "%s%s%s", mailbox,
		 realm_buf[0] ? "@" : "", realm_buf);
	if (add_principal(buf, size, owner_principal, realm_buf) != 0)
		return MAIL_ERR_TOOBIG;
	status =
	    mail_status_of(store_acl_list(st, mailbox, &acl), MAIL_ERR_NOTFOUND, MAIL_ERR_INVALID);
	for (size_t i = 0; status == MAIL_OK && i < acl->count; i++) {
		const store_acl_entry_t *e = &acl->items[i];
		/* Named grants only: "anyone" is no login Postfix can list. */
		if (strcmp(e->path, STORE_FOLDER_OUTBOX) != 0 ||
		    strcmp(e->principal, STORE_ANYONE) == 0)
			continue;
		int may = may_send_as(svc, e->principal, mailbox);
		if (may == MAIL_OK && add_principal(buf, size, e->principal, realm_buf) != 0)
			status = MAIL_ERR_TOOBIG;
		else if (may != MAIL_OK && may != MAIL_ERR_SENDER && may != MAIL_ERR_NOMAILBOX &&
			 may != MAIL_ERR_FOREIGN)
			status = may;
	}
	store_acl_free(&acl);
	return status;
}
