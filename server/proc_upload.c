/*
 * proc_upload.c -- UPLOAD_BEGIN, _APPEND, _STATUS, _ABORT, _COMMIT_APPEND
 * and MSG_APPEND: a message's bytes arrive in chunks into an upload kept
 * in the store (so an interrupted upload resumes, even after a restart)
 * and a commit files it; or a small one comes whole in one call.
 */
#include "procs.h"

static void state_set(mr_upload_res *res, uint64_t upload, uint64_t received, uint64_t size)
{
	res->mr_upload_res_u.state.upload = upload;
	res->mr_upload_res_u.state.received = received;
	res->mr_upload_res_u.state.size = size;
}

void proc_upload_begin(struct caller *caller, void *args_, void *res_)
{
	mr_upload_begin_args *args = args_;
	mr_upload_res *res = res_;
	store_result_t r;
	res->status = (mr_status)mail_upload_begin(caller->session, (unsigned char *)args->op,
						   args->size, (unsigned char *)args->sha256, &r);
	/* A repeat gets the upload it began, as it stood then: nothing
	 * received, since the client never learnt its id. */
	target_set(caller, "upload=%llu size=%llu", (unsigned long long)r.id,
		   (unsigned long long)args->size);
	if (res->status == MR_OK)
		state_set(res, r.id, 0, args->size);
	target_done(caller, &r);
}

/* Where an upload stands, for the reply. */
static void state_now(struct caller *caller, uint64_t upload, mr_upload_res *res)
{
	uint64_t received = 0, size = 0;
	if (mail_upload_status(caller->session, upload, &received, &size) == MAIL_OK)
		state_set(res, upload, received, size);
}

void proc_upload_append(struct caller *caller, void *args_, void *res_)
{
	mr_upload_append_args *args = args_;
	mr_upload_res *res = res_;
	store_result_t r;
	target_set(caller, "upload=%llu offset=%llu len=%u", (unsigned long long)args->upload,
		   (unsigned long long)args->offset, args->data.data_len);
	res->status = (mr_status)mail_upload_append(caller->session, (unsigned char *)args->op,
						    args->upload, args->offset, args->data.data_val,
						    args->data.data_len, &r);
	target_done(caller, &r);
	/* MR_ERR_OFFSET (say, a reply lost on a bad link) says where to resume. */
	if (res->status == MR_OK || res->status == MR_ERR_OFFSET)
		state_now(caller, args->upload, res);
}

void proc_upload_status(struct caller *caller, void *args_, void *res_)
{
	mr_upload_ref *args = args_;
	mr_upload_res *res = res_;
	uint64_t received = 0, size = 0;
	target_set(caller, "upload=%llu", (unsigned long long)args->upload);
	res->status =
	    (mr_status)mail_upload_status(caller->session, args->upload, &received, &size);
	if (res->status == MR_OK)
		state_set(res, args->upload, received, size);
}

void proc_upload_abort(struct caller *caller, void *args_, void *res_)
{
	mr_upload_abort_args *args = args_;
	mr_res *res = res_;
	store_result_t r;
	target_set(caller, "upload=%llu", (unsigned long long)args->upload);
	res->status = (mr_status)mail_upload_abort(caller->session, (unsigned char *)args->op,
						   args->upload, &r);
	target_done(caller, &r);
}

void proc_upload_commit_append(struct caller *caller, void *args_, void *res_)
{
	mr_commit_append_args *args = args_;
	mr_id_res *res = res_;
	store_result_t r;
	res->status = (mr_status)mail_upload_commit(caller->session, (unsigned char *)args->op,
						    args->upload, args->folder, args->flags, &r);
	res->mr_id_res_u.id = r.id;
	target_set(caller, "upload=%llu in=%s folder=%s id=%llu", (unsigned long long)args->upload,
		   mail_session_target(caller->session), target_safe(caller, args->folder),
		   (unsigned long long)r.id);
	target_done(caller, &r);
}

void proc_msg_append(struct caller *caller, void *args_, void *res_)
{
	mr_msg_append_args *args = args_;
	mr_id_res *res = res_;
	store_result_t r;
	res->status = (mr_status)mail_append(
	    caller->session, (unsigned char *)args->op, args->folder, args->flags,
	    (unsigned char *)args->sha256, args->data.data_val, args->data.data_len, &r);
	res->mr_id_res_u.id = r.id;
	target_set(caller, "in=%s folder=%s len=%u id=%llu", mail_session_target(caller->session),
		   target_safe(caller, args->folder), args->data.data_len,
		   (unsigned long long)r.id);
	target_done(caller, &r);
}
