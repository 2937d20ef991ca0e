/* proc_submit.c -- UPLOAD_COMMIT_SUBMIT: sending an upload to local mailboxes. */
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
