/*
 * proc_wait.c -- WAIT: answer when a mailbox (or one folder) changes, so
 * clients learn of new mail without polling.  The connection's process
 * sleeps in the store's inotify wait (store_notify.c), which any writer
 * wakes: other connections, mailrpc-deliver, mailrpc-admin.
 */
#include "authz.h"
#include "config.h"
#include "mailstore.h"
#include "procs.h"

void proc_wait(struct caller *caller, void *args_, void *res_)
{
	mr_wait_args *args = args_;
	mr_wait_res *res = res_;
	const char *mbox = authz_mailbox(caller);
	unsigned limit = (unsigned)config_get()->wait_timeout;
	unsigned secs = args->max_wait < limit ? args->max_wait : limit;
	uint64_t change = 0;
	target_set(caller, "in=%s folder=\"%s\" since=%llu wait=%u", mbox, args->folder,
		   (unsigned long long)args->since, secs);

	res->status = authz_scope(caller, args->folder, R_READ);
	if (res->status != MR_OK)
		return;
	int st = store_wait_change(mailstore(), mbox, args->folder[0] ? args->folder : NULL,
				   args->since, (int)secs * 1000, &change);
	res->status = mailstore_status(st, MR_ERR_NOFOLDER, MR_ERR_BADNAME);
	if (st == STORE_OK) {
		res->mr_wait_res_u.change = change;
		target_set(caller, "in=%s folder=\"%s\" since=%llu change=%llu", mbox,
			   args->folder, (unsigned long long)args->since, (unsigned long long)change);
	}
}
