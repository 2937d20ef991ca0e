/* proc_submit.c -- UPLOAD_COMMIT_SUBMIT and UPLOAD_COMMIT_SEND: sending an upload. */
#include "procs.h"

void proc_upload_commit_submit(struct caller *caller, void *args_, void *res_)
{
	mr_commit_submit_args *args = args_;
	mr_submit_res *res = res_;
	store_result_t r;
	size_t bad = SIZE_MAX;
	u_int n = args->rcpts.rcpts_len;
	res->status = (mr_status)mail_submit(
	    caller->session, (unsigned char *)args->op, args->upload, args->from,
	    (const char *const *)args->rcpts.rcpts_val, n, &r, &bad);
	res->sent_id = r.id;
	res->bad_rcpt = bad < n ? (u_int)bad : MR_NO_RCPT;
	target_set(caller, "upload=%llu rcpts=%u%s%s sent_id=%llu",
		   (unsigned long long)args->upload, n, args->from[0] ? " from=" : "",
		   args->from[0] ? target_safe(caller, args->from) : "", (unsigned long long)r.id);
	target_done(caller, &r);
}

void proc_upload_commit_send(struct caller *caller, void *args_, void *res_)
{
	mr_commit_send_args *args = args_;
	mr_send_res *res = res_;
	char refused[MAIL_ADDRESS_MAX + 1];
	store_result_t r;
	size_t bad = SIZE_MAX;
	u_int n = args->rcpts.rcpts_len;
	int status = mail_send(caller->session, (unsigned char *)args->op, args->upload, args->from,
			       (const char *const *)args->rcpts.rcpts_val, n, &r, &bad, refused);
	res->status = (mr_status)status;
	int counted = status == MAIL_OK && r.ids != NULL && r.done == 2;
	if (status == MAIL_OK) {
		res->mr_send_res_u.sent.sent_id = r.id;
		res->mr_send_res_u.sent.local = counted ? (u_int)r.ids[0] : 0;
		res->mr_send_res_u.sent.remote = counted ? (u_int)r.ids[1] : 0;
	} else if (status == MAIL_ERR_NORCPT || status == MAIL_ERR_INVALID) {
		res->mr_send_res_u.rcpt = bad < n ? (u_int)bad : MR_NO_RCPT;
	} else if (status == MAIL_ERR_SENDER) {
		/* Freed by the dispatcher with the result (xdr_free). */
		res->mr_send_res_u.address = strdup(refused);
		if (res->mr_send_res_u.address == NULL)
			res->status = MR_ERR_INTERNAL;
	}
	target_set(caller, "upload=%llu rcpts=%u%s%s sent_id=%llu local=%llu remote=%llu%s%s",
		   (unsigned long long)args->upload, n, args->from[0] ? " from=" : "",
		   args->from[0] ? target_safe(caller, args->from) : "", (unsigned long long)r.id,
		   counted ? (unsigned long long)r.ids[0] : 0ULL,
		   counted ? (unsigned long long)r.ids[1] : 0ULL,
		   status == MAIL_ERR_SENDER ? " refused=" : "",
		   status == MAIL_ERR_SENDER ? target_safe(caller, refused) : "");
	target_done(caller, &r);
}
