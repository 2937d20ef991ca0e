/*
 * proc_wait.c -- WAIT: answer when a mailbox (or one folder) changes, so
 * clients learn of new mail without polling.  The connection's process
 * sleeps on the store's wake counter (store_notify.c), which any writer
 * wakes: other connections, mailrpc-deliver, mailrpc-admin.
 */
#include "procs.h"

void proc_wait(struct caller *caller, void *args_, void *res_)
{
	mr_wait_args *args = args_;
	mr_wait_res *res = res_;
	uint64_t change = 0;
	target_set(caller, "in=%s folder=%s since=%llu wait=%u",
		   mail_session_target(caller->session), target_safe(caller, args->folder),
		   (unsigned long long)args->since, args->max_wait);
	res->status = (mr_status)mail_wait(caller->session, args->folder, args->since,
					   args->max_wait, &change);
	if (res->status != MR_OK)
		return;
	res->mr_wait_res_u.change = change;
	target_set(caller, "in=%s folder=%s since=%llu change=%llu",
		   mail_session_target(caller->session), target_safe(caller, args->folder),
		   (unsigned long long)args->since, (unsigned long long)change);
}
