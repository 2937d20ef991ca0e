/*
 * read.c -- reading mail: listings, searches, a message's summary and
 * bytes, a folder's index, what changed in a folder, and waiting for
 * changes.
 */
#include <string.h>

#include "service_int.h"

/* A store status of a call on a folder of the mailbox s works in. */
static int folder_status(const struct mail_session *s, int st, int root_action)
{
	return mail_status_of(authz_mailbox_status(s, st, root_action), MAIL_ERR_NOFOLDER,
			      MAIL_ERR_BADNAME);
}

/* The same for a call naming a message. */
static int message_status(const struct mail_session *s, int st)
{
	return mail_status_of(authz_mailbox_status(s, st, 0), MAIL_ERR_NOMESSAGE, MAIL_ERR_INVALID);
}

int mail_list(struct mail_session *s, const char *folder, const store_list_query_t *q,
	      store_msglist_t **list_r)
{
	struct mail_call c;
	*list_r = NULL;
	int status = mail_begin(&c, s, NULL);
	if (status != MAIL_OK)
		return status;
	if (q->sort < STORE_SORT_ID || q->sort > STORE_SORT_SUBJECT)
		return MAIL_ERR_INVALID;
	return folder_status(s,
			     store_message_list_as(mail_store(s), &c.call, mail_session_target(s),
						   folder, q, list_r),
			     0);
}

int mail_search(struct mail_session *s, const store_search_query_t *q, store_msglist_t **list_r)
{
	struct mail_call c;
	*list_r = NULL;
	int status = mail_begin(&c, s, NULL);
	if (status != MAIL_OK)
		return status;
	int st = store_message_search_as(mail_store(s), &c.call, mail_session_target(s), q, list_r);
	return mail_status_of(authz_mailbox_status(s, st, q->folder ? 0 : STORE_ACT_SCOPE),
			      MAIL_ERR_NOFOLDER, MAIL_ERR_INVALID);
}

int mail_info(struct mail_session *s, uint64_t id, store_msginfo_t **info_r)
{
	struct mail_call c;
	*info_r = NULL;
	int status = mail_begin(&c, s, NULL);
	if (status != MAIL_OK)
		return status;
	return message_status(
	    s, store_message_get_as(mail_store(s), &c.call, mail_session_target(s), id, info_r));
}

int mail_fetch(struct mail_session *s, uint64_t id, uint64_t offset, void *buf, size_t maxlen,
	       size_t *len_r, uint64_t *size_r, unsigned char *sha256_r)
{
	struct mail_call c;
	*len_r = 0;
	*size_r = 0;
	int status = mail_begin(&c, s, NULL);
	if (status != MAIL_OK)
		return status;
	return message_status(s, store_message_fetch_as(mail_store(s), &c.call,
							mail_session_target(s), id, offset, buf,
							maxlen, len_r, size_r, sha256_r));
}

int mail_index(struct mail_session *s, const char *folder, uint64_t after, uint32_t max,
	       store_index_t **index_r)
{
	struct mail_call c;
	*index_r = NULL;
	int status = mail_begin(&c, s, NULL);
	if (status != MAIL_OK)
		return status;
	return folder_status(s,
			     store_index_as(mail_store(s), &c.call, mail_session_target(s), folder,
					    after, max, index_r),
			     0);
}

int mail_sync(struct mail_session *s, const char *folder, uint64_t since,
	      const store_sync_pos_t *pos, uint32_t max_removed, uint32_t max_changed,
	      store_sync_page_t **page_r)
{
	struct mail_call c;
	*page_r = NULL;
	int status = mail_begin(&c, s, NULL);
	if (status != MAIL_OK)
		return status;
	return folder_status(s,
			     store_sync_as(mail_store(s), &c.call, mail_session_target(s), folder,
					   since, pos, max_removed, max_changed, page_r),
			     0);
}

int mail_wait(struct mail_session *s, const char *folder, uint64_t since, unsigned max_wait,
	      uint64_t *change_r)
{
	struct mail_call c;
	unsigned limit = s->svc->cfg->wait_max;
	*change_r = 0;
	int status = mail_begin(&c, s, NULL);
	if (status != MAIL_OK)
		return status;
	int st = store_wait_change_as(mail_store(s), &c.call, mail_session_target(s),
				      folder[0] ? folder : NULL, since,
				      (int)(max_wait < limit ? max_wait : limit) * 1000, change_r);
	if (folder[0] == '\0') /* the whole mailbox: "invalid" is for its owner only */
		return mail_status_of(authz_mailbox_status(s, st, STORE_ACT_SCOPE),
				      MAIL_ERR_NOFOLDER, MAIL_ERR_INVALID);
	return folder_status(s, st, 0);
}

