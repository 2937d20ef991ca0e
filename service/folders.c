/*
 * folders.c -- listing, creating, renaming and deleting folders, and the
 * hierarchy since a state.  A folder call's "not found" is the folder,
 * its "invalid" the name.
 */
#include <stdlib.h>
#include <string.h>

#include "service_int.h"

/* A store status of a folder call in the mailbox s works in; root_action:
 * what it did on the root, if it named the root (see authz_mailbox_status). */
static int folder_status(const struct mail_session *s, int st, int root_action)
{
	return mail_status_of(authz_mailbox_status(s, st, root_action), MAIL_ERR_NOFOLDER,
			      MAIL_ERR_BADNAME);
}

int mail_folder_list(struct mail_session *s, uint64_t offset, uint32_t limit,
		     store_folder_list_t **list_r)
{
	struct mail_call c;
	*list_r = NULL;
	int status = mail_begin(&c, s, NULL);
	if (status != MAIL_OK)
		return status;
	int st = store_folder_list_as(mail_store(s), &c.call, mail_session_target(s), offset, limit,
				      list_r);
	/* A mailbox the caller may not know of lists like one with nothing
	 * to see. */
	if (authz_mailbox_status(s, st, 0) == STORE_NOTFOUND)
		st = (*list_r = calloc(1, sizeof(**list_r))) != NULL ? STORE_OK : STORE_INTERNAL;
	return folder_status(s, st, 0);
}

int mail_folder_get(struct mail_session *s, const char *path, store_folder_info_t *info_r,
		    uint64_t *next_id_r)
{
	struct mail_call c;
	memset(info_r, 0, sizeof(*info_r));
	*next_id_r = 0;
	int status = mail_begin(&c, s, NULL);
	if (status != MAIL_OK)
		return status;
	if (path[0] == '\0')
		return MAIL_ERR_BADNAME;
	return folder_status(s,
			     store_folder_get_as(mail_store(s), &c.call, mail_session_target(s),
						 path, STORE_ACT_LOOKUP, info_r, next_id_r),
			     0);
}

/* The root action of a path's creation: CREATE when its parent is the root. */
static int root_create(const char *path)
{
	return strchr(path, '/') == NULL ? STORE_ACT_CREATE : 0;
}

int mail_folder_create(struct mail_session *s, const unsigned char *op, const char *path,
		       store_result_t *res)
{
	struct mail_call c;
	memset(res, 0, sizeof(*res));
	int status = mail_begin(&c, s, op);
	if (status != MAIL_OK)
		return status;
	return folder_status(
	    s, store_folder_create_as(mail_store(s), &c.call, mail_session_target(s), path, res),
	    root_create(path));
}

int mail_folder_rename(struct mail_session *s, const unsigned char *op, const char *from,
		       const char *to, store_result_t *res)
{
	struct mail_call c;
	size_t n = strlen(from);
	memset(res, 0, sizeof(*res));
	int status = mail_begin(&c, s, op);
	if (status != MAIL_OK)
		return status;
	int st =
	    store_folder_rename_as(mail_store(s), &c.call, mail_session_target(s), from, to, res);
	/* Say why, rather than the store's "invalid name". */
	if (st == STORE_INVALID && strncmp(to, from, n) == 0 && (to[n] == '/' || to[n] == '\0'))
		return MAIL_ERR_INVALID;
	return folder_status(s, st, 0);
}

int mail_folder_delete(struct mail_session *s, const unsigned char *op, const char *path,
		       int recursive, store_result_t *res)
{
	struct mail_call c;
	memset(res, 0, sizeof(*res));
	int status = mail_begin(&c, s, op);
	if (status != MAIL_OK)
		return status;
	return folder_status(s,
			     store_folder_delete_as(mail_store(s), &c.call, mail_session_target(s),
						    path, recursive, res),
			     0);
}

/* What a caller who does not own the mailbox may learn of a page: no
 * change number of the mailbox (its activity), so no state. */
static void hide_state(store_fsync_page_t *page)
{
	page->change = 0;
	page->next.tomb_change = 0;
	page->next.tomb_fid = 0;
	page->next.tombs_done = 1;
}

int mail_folder_sync(struct mail_session *s, uint64_t since, const store_fsync_pos_t *pos,
		     uint32_t max_deleted, uint32_t max_folders, store_fsync_page_t **page_r)
{
	struct mail_call c;
	*page_r = NULL;
	int status = mail_begin(&c, s, NULL);
	if (status != MAIL_OK)
		return status;
	const char *mbox = mail_session_target(s);
	int owner = authz_owns(s, mbox);
	store_fsync_pos_t from = *pos;
	/* Rights may have changed what others see since any state: they sync
	 * from 0, and nothing in their position may point at a deleted id. */
	if (!owner) {
		from.tomb_change = from.tomb_fid = 0;
		from.tombs_done = 1;
	}
	int st = STORE_OK;
	if (owner || since == 0)
		st = store_folder_sync_as(mail_store(s), &c.call, mbox, since, &from, max_deleted,
					  max_folders, page_r);
	/* A mailbox the caller may not know of syncs like one with nothing to see. */
	if (authz_mailbox_status(s, st, 0) == STORE_NOTFOUND)
		st = STORE_OK;
	if (st == STORE_OK && *page_r == NULL && (*page_r = calloc(1, sizeof(**page_r))) == NULL)
		st = STORE_INTERNAL;
	if (st == STORE_OK && !owner) {
		hide_state(*page_r);
		(*page_r)->resync = since != 0;
	}
	return folder_status(s, st, 0);
}
