/*
 * sharing.c -- access control lists: reading and changing a folder's (or
 * the mailbox root's) ACL, and the caller's own rights in a folder.
 */
#include <string.h>

#include "service_int.h"

/* An ACL call's status; path "" is the root. */
static int acl_status(const struct mail_session *s, int st, const char *path)
{
	return mail_status_of(authz_mailbox_status(s, st, path[0] ? 0 : STORE_ACT_ACL),
			      MAIL_ERR_NOFOLDER, MAIL_ERR_INVALID);
}

int mail_acl_get(struct mail_session *s, const char *path, store_acl_t **acl_r)
{
	struct mail_call c;
	*acl_r = NULL;
	int status = mail_begin(&c, s, NULL);
	if (status != MAIL_OK)
		return status;
	status = acl_status(
	    s, store_acl_get_as(mail_store(s), &c.call, mail_session_target(s), path, acl_r), path);
	if (status == MAIL_OK && (*acl_r)->count > STORE_ACL_FOLDER_MAX) {
		store_acl_free(acl_r);
		return MAIL_ERR_LIMIT;
	}
	return status;
}

int mail_acl_set(struct mail_session *s, const unsigned char *op, const char *path,
		 const char *principal, const char *rights, store_result_t *res)
{
	struct mail_call c;
	uint32_t bits;
	memset(res, 0, sizeof(*res));
	int status = mail_begin(&c, s, op);
	if (status != MAIL_OK)
		return status;
	if (principal[0] == '\0' || store_rights_parse(rights, &bits) != STORE_OK)
		return MAIL_ERR_INVALID;
	return acl_status(s,
			  store_acl_set_as(mail_store(s), &c.call, mail_session_target(s), path,
					   principal, bits, res),
			  path);
}

/* Whether the caller may look up any folder of mailbox (the guard decides
 * each one, as for a listing). */
static int shows_any_folder(struct mail_call *c, const char *mailbox, int *shows_r)
{
	store_folder_list_t *list = NULL;
	*shows_r = 0;
	int st = store_folder_list_as(mail_store(c->s), &c->call, mailbox, 0, 1, &list);
	if (st == STORE_OK)
		*shows_r = list->total > 0;
	store_folder_list_free(&list);
	/* Gone or disabled since it was listed: nothing to show. */
	return st == STORE_NOTFOUND || st == STORE_DISABLED ? STORE_OK : st;
}

int mail_shared_mailboxes(struct mail_session *s, store_mailbox_names_t **names_r)
{
	struct mail_call c;
	store_mailbox_names_t *all = NULL;
	*names_r = NULL;
	int status = mail_begin(&c, s, NULL);
	if (status != MAIL_OK)
		return status;
	int st = store_mailbox_list(mail_store(s), &all);
	size_t kept = 0;
	for (size_t i = 0; st == STORE_OK && i < all->count; i++) {
		int shows = 0;
		const char *name = all->names[i];
		if (strcmp(name, s->mailbox) == 0 || strcmp(name, MAIL_PUBLIC_MAILBOX) == 0)
			continue;
		st = shows_any_folder(&c, name, &shows);
		if (st == STORE_OK && shows)
			memmove(all->names[kept++], name, sizeof(all->names[0]));
	}
	if (st == STORE_OK) {
		all->count = kept;
		*names_r = all;
		return MAIL_OK;
	}
	store_mailbox_names_free(&all);
	return mail_status_of(st, MAIL_ERR_INTERNAL, MAIL_ERR_INTERNAL);
}

int mail_myrights(struct mail_session *s, const char *path, uint32_t *rights_r)
{
	struct mail_call c;
	store_folder_info_t info;
	uint64_t next;
	*rights_r = 0;
	int status = mail_begin(&c, s, NULL);
	if (status != MAIL_OK)
		return status;
	if (path[0] == '\0')
		return MAIL_ERR_BADNAME;
	int st = store_folder_get_as(mail_store(s), &c.call, mail_session_target(s), path,
				     STORE_ACT_RIGHTS, &info, &next);
	if (st == STORE_OK)
		*rights_r = c.rights;
	return mail_status_of(authz_mailbox_status(s, st, 0), MAIL_ERR_NOFOLDER, MAIL_ERR_BADNAME);
}
