/* proc_session.c -- WHOAMI, MAILBOX_OPEN, QUOTA: the caller and the mailbox it works in. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "procs.h"

void proc_whoami(struct caller *caller, void *args, void *res_)
{
	(void)args;
	mr_whoami_res *res = res_;
	res->status = (mr_status)mail_whoami(caller->session);
	if (res->status != MR_OK)
		return;
	/* Results are released with xdr_free after the reply: own every byte. */
	mr_whoami *who = &res->mr_whoami_res_u.who;
	who->principal = strdup(caller->principal);
	who->mailbox = strdup(caller->mailbox);
	if (who->principal == NULL || who->mailbox == NULL) {
		free(who->principal);
		free(who->mailbox);
		res->status = MR_ERR_INTERNAL;
		return;
	}
	who->level = caller->level;
	who->min_level = config_get()->min_level;
	time_t left = caller->expires - time(NULL);
	who->expires_in = left > 0 ? (int)left : 0;
	who->max_chunk = caller_max_chunk(caller);
}

void proc_mailbox_open(struct caller *caller, void *args, void *res_)
{
	mr_name *name = args;
	mr_res *res = res_;
	target_set(caller, "in=%s", (*name)[0] ? target_safe(caller, *name) : caller->mailbox);
	res->status = (mr_status)mail_open(caller->session, *name);
}

void proc_quota(struct caller *caller, void *args, void *res_)
{
	(void)args;
	mr_quota_res *res = res_;
	struct mail_quota q;
	target_set(caller, "in=%s", mail_session_target(caller->session));
	res->status = (mr_status)mail_quota(caller->session, &q);
	res->mr_quota_res_u.quota.used = q.used;
	res->mr_quota_res_u.quota.limit = q.limit;
	res->mr_quota_res_u.quota.messages = q.messages;
}
