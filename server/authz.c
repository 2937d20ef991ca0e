/* authz.c -- rights checks (see authz.h). */
#include <string.h>

#include "authz.h"
#include "config.h"
#include "identity.h"
#include "log.h"
#include "mailstore.h"

/* The mailbox opened on this connection ("" = the caller's own). */
static char opened[STORE_NAME_MAX + 1];

const char *authz_mailbox(const struct caller *caller)
{
	return opened[0] ? opened : caller->mailbox;
}

mr_status authz_open(const struct caller *caller, const char *mailbox)
{
	(void)caller;
	/* Opening never says whether the mailbox exists: an unknown one simply
	 * shows no folders, like one the caller has no rights on. */
	if (mailbox[0] != '\0' && !identity_valid_mailbox(mailbox))
		return MR_ERR_BADNAME;
	snprintf(opened, sizeof(opened), "%s", mailbox);
	return MR_OK;
}

static int is_public_admin(const char *principal)
{
	const struct server_config *cfg = config_get();
	for (int i = 0; i < cfg->n_public_admins; i++)
		if (strcmp(cfg->public_admins[i], principal) == 0)
			return 1;
	return 0;
}

static int owns(const struct caller *caller, const char *mbox)
{
	if (strcmp(mbox, PUBLIC_MAILBOX) == 0)
		return is_public_admin(caller->principal);
	return strcmp(mbox, caller->mailbox) == 0;
}

int authz_is_owner(const struct caller *caller)
{
	return owns(caller, authz_mailbox(caller));
}

/* Rights granted on path to the caller and to anyone (0 if none or on error). */
static uint32_t granted(const struct caller *caller, const char *mbox, const char *path)
{
	store_acl_t *acl = NULL;
	uint32_t rights = 0;
	int st = store_acl_list(mailstore(), mbox, &acl);
	if (st != STORE_OK) {
		if (st != STORE_NOTFOUND)
			log_warn("acl of %s: %s", mbox, store_strerror(st));
		return 0;
	}
	for (size_t i = 0; i < acl->count; i++) {
		const store_acl_entry_t *e = &acl->items[i];
		if (strcmp(e->path, path) == 0 &&
		    (strcmp(e->principal, caller->principal) == 0 || strcmp(e->principal, STORE_ANYONE) == 0))
			rights |= e->rights;
	}
	store_acl_free(&acl);
	return rights;
}

static mr_status check(const struct caller *caller, const char *mbox, const char *path,
			uint32_t need)
{
	if (owns(caller, mbox))
		return MR_OK;
	uint32_t rights = granted(caller, mbox, path);
	/* The root has no "l" of its own: its rights only ever grant actions. */
	if (path[0] != '\0' && !(rights & R_LOOKUP))
		return MR_ERR_NOFOLDER;
	return (rights & need) == need ? MR_OK : MR_ERR_DENIED;
}

mr_status authz_folder(const struct caller *caller, const char *path, uint32_t need)
{
	return check(caller, authz_mailbox(caller), path, need);
}

mr_status authz_existing_folder(const struct caller *caller, const char *path, uint32_t need)
{
	store_folder_info_t info;
	mr_status status = authz_folder(caller, path, need);
	if (status != MR_OK || path[0] == '\0')
		return status;
	return mailstore_status(store_folder_get(mailstore(), authz_mailbox(caller), path, &info),
				MR_ERR_NOFOLDER, MR_ERR_BADNAME);
}

uint32_t authz_flag_rights(unsigned flags)
{
	/* RFC 4314: "s" keeps the seen flag, "w" every other flag. */
	return ((flags & STORE_FLAG_SEEN) ? R_SEEN : 0) | ((flags & ~STORE_FLAG_SEEN) ? R_WRITE : 0);
}

mr_status authz_post(const struct caller *caller, const char *mailbox)
{
	mr_status st = check(caller, mailbox, STORE_FOLDER_OUTBOX, R_POST);
	/* Without "l" on the Outbox the mailbox is as good as unknown. */
	return st == MR_ERR_NOFOLDER ? MR_ERR_NORCPT : st;
}

int authz_can_see(const struct caller *caller, const char *path)
{
	return authz_is_owner(caller) || (granted(caller, authz_mailbox(caller), path) & R_LOOKUP);
}

mr_status authz_message(const struct caller *caller, uint64_t id, uint32_t need)
{
	if (authz_is_owner(caller))
		return MR_OK;
	store_msginfo_t *info = NULL;
	int st = store_message_get(mailstore(), authz_mailbox(caller), id, &info);
	if (st != STORE_OK)
		return MR_ERR_NOMESSAGE;
	mr_status status = authz_folder(caller, info->folder, need);
	store_msginfo_free(&info);
	return status == MR_ERR_NOFOLDER ? MR_ERR_NOMESSAGE : status;
}

mr_status authz_scope(const struct caller *caller, const char *folder, uint32_t need)
{
	/* Answers about the whole mailbox (matches, change numbers) would hint
	 * at folders a delegate cannot read. */
	if (folder[0] == '\0')
		return authz_is_owner(caller) ? MR_OK : MR_ERR_INVALID;
	return authz_folder(caller, folder, need);
}
