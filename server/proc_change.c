/*
 * proc_change.c -- MSG_MOVE, MSG_COPY, MSG_DELETE, MSG_FLAGS: changing
 * messages in batches, each id judged where it stands when its turn comes
 * (service/change.c); a batch reply says how far it got and the new ids.
 */
#include <stdlib.h>
#include <string.h>

#include "procs.h"

/* The reply of a batch from the service's result. */
static void batch_fill(mr_status status, const store_result_t *r, mr_batch_res *res)
{
	res->status = status;
	res->done = (u_int)r->done;
	if (r->ids == NULL || r->done == 0)
		return;
	res->new_ids.new_ids_val = calloc(r->done, sizeof(mr_id));
	if (res->new_ids.new_ids_val == NULL) {
		res->status = MR_ERR_INTERNAL;
		return;
	}
	for (size_t i = 0; i < r->done; i++)
		res->new_ids.new_ids_val[i] = r->ids[i];
	res->new_ids.new_ids_len = (u_int)r->done;
}

typedef int (*move_fn)(struct mail_session *, const unsigned char *, const uint64_t *, size_t,
		       const char *, store_result_t *);

static void move_or_copy(struct caller *caller, move_fn fn, mr_move_args *args, mr_batch_res *res)
{
	store_result_t r;
	target_set(caller, "in=%s ids=%u folder=%s", mail_session_target(caller->session),
		   args->ids.ids_len, target_safe(caller, args->folder));
	int status = fn(caller->session, (unsigned char *)args->op, args->ids.ids_val,
			args->ids.ids_len, args->folder, &r);
	batch_fill((mr_status)status, &r, res);
	target_done(caller, &r);
}

void proc_msg_move(struct caller *caller, void *args, void *res)
{
	move_or_copy(caller, mail_move, args, res);
}

void proc_msg_copy(struct caller *caller, void *args, void *res)
{
	move_or_copy(caller, mail_copy, args, res);
}

void proc_msg_delete(struct caller *caller, void *args_, void *res_)
{
	mr_delete_args *args = args_;
	store_result_t r;
	target_set(caller, "in=%s ids=%u%s", mail_session_target(caller->session),
		   args->ids.ids_len, args->hard ? " hard" : "");
	int status = mail_delete(caller->session, (unsigned char *)args->op, args->ids.ids_val,
				 args->ids.ids_len, args->hard, &r);
	batch_fill((mr_status)status, &r, res_);
	target_done(caller, &r);
}

void proc_msg_flags(struct caller *caller, void *args_, void *res_)
{
	mr_flags_args *args = args_;
	mr_res *res = res_;
	store_result_t r;
	target_set(caller, "in=%s ids=%u set=%u clear=%u", mail_session_target(caller->session),
		   args->ids.ids_len, args->set, args->clear);
	res->status =
	    (mr_status)mail_flags(caller->session, (unsigned char *)args->op, args->ids.ids_val,
				  args->ids.ids_len, args->set, args->clear, &r);
	target_done(caller, &r);
}
