/*
 * upload.c -- a message's bytes: uploads in chunks (kept in the store, so
 * an interrupted one resumes, even after a restart), filed into a folder
 * by a commit, or a small message stored in one call.  Uploads live in the
 * caller's own mailbox whatever mailbox it works in.
 */
#include <string.h>

#include "service_int.h"

static int upload_status(int st)
{
	return mail_status_of(st, MAIL_ERR_NOUPLOAD, MAIL_ERR_INVALID);
}

int mail_upload_begin(struct mail_session *s, const unsigned char *op, uint64_t size,
		      const unsigned char *sha256, store_result_t *res)
{
	struct mail_call c;
	memset(res, 0, sizeof(*res));
	int status = mail_begin(&c, s, op);
	if (status != MAIL_OK)
		return status;
	return upload_status(
	    store_upload_begin_as(mail_store(s), &c.call, s->mailbox, size, sha256, res));
}

int mail_upload_append(struct mail_session *s, const unsigned char *op, uint64_t upload,
		       uint64_t offset, const void *data, size_t len, store_result_t *res)
{
	struct mail_call c;
	memset(res, 0, sizeof(*res));
	int status = mail_begin(&c, s, op);
	if (status != MAIL_OK)
		return status;
	int st = store_upload_append_as(mail_store(s), &c.call, s->mailbox, upload, offset, data,
					len, res);
	/* Out of step (say, a reply lost on a bad link): res->id says where
	 * to resume. */
	if (st == STORE_INVALID && offset != res->id)
		return MAIL_ERR_OFFSET;
	return upload_status(st);
}

int mail_upload_status(struct mail_session *s, uint64_t upload, uint64_t *received_r,
		       uint64_t *size_r)
{
	struct mail_call c;
	*received_r = *size_r = 0;
	int status = mail_begin(&c, s, NULL);
	if (status != MAIL_OK)
		return status;
	return upload_status(
	    store_upload_status_as(mail_store(s), &c.call, s->mailbox, upload, received_r, size_r));
}

int mail_upload_abort(struct mail_session *s, const unsigned char *op, uint64_t upload,
		      store_result_t *res)
{
	struct mail_call c;
	memset(res, 0, sizeof(*res));
	int status = mail_begin(&c, s, op);
	if (status != MAIL_OK)
		return status;
	return upload_status(
	    store_upload_abort_as(mail_store(s), &c.call, s->mailbox, upload, res));
}

/*
 * Storing in folder of the mailbox worked in, named first: the store's
 * "not found" and "invalid" would not say whether the folder or the
 * bytes are meant.  The write transaction asks the guard again.
 */
static int insert_allowed(struct mail_session *s, struct mail_call *c, const char *folder,
			  uint32_t flags)
{
	store_folder_info_t info;
	uint64_t next;
	if (flags & ~(uint32_t)STORE_FLAGS_ALL)
		return MAIL_ERR_INVALID;
	int st = store_folder_get_as(mail_store(s), &c->call, mail_session_target(s), folder,
				     STORE_ACT_MSG_INSERT, &info, &next);
	return mail_status_of(authz_mailbox_status(s, st, 0), MAIL_ERR_NOFOLDER, MAIL_ERR_BADNAME);
}

int mail_upload_commit(struct mail_session *s, const unsigned char *op, uint64_t upload,
		       const char *folder, uint32_t flags, store_result_t *res)
{
	struct mail_call c;
	memset(res, 0, sizeof(*res));
	int status = mail_begin(&c, s, op);
	if (status != MAIL_OK)
		return status;
	/* A repeat is answered by the store before anything is checked: the
	 * folder may be gone by now. */
	int st = store_upload_commit_append_as(mail_store(s), &c.call, s->mailbox, upload,
					       mail_session_target(s), folder, flags, res);
	if (st == STORE_OK)
		return MAIL_OK;
	status = insert_allowed(s, &c, folder, flags);
	return status != MAIL_OK ? status
				 : mail_status_of(st, MAIL_ERR_NOUPLOAD, MAIL_ERR_MISMATCH);
}

int mail_append(struct mail_session *s, const unsigned char *op, const char *folder, uint32_t flags,
		const unsigned char *sha256, const void *data, size_t len, store_result_t *res)
{
	struct mail_call c;
	memset(res, 0, sizeof(*res));
	int status = mail_begin(&c, s, op);
	if (status != MAIL_OK)
		return status;
	int st = store_message_append_as(mail_store(s), &c.call, mail_session_target(s), folder,
					 data, len, flags, sha256, res);
	if (st == STORE_OK)
		return MAIL_OK;
	status = insert_allowed(s, &c, folder, flags);
	return status != MAIL_OK ? status
				 : mail_status_of(st, MAIL_ERR_NOFOLDER, MAIL_ERR_MISMATCH);
}
