/* proc_change.c -- MSG_MOVE, MSG_COPY, MSG_DELETE, MSG_FLAGS: changing messages. */
#include <stdlib.h>

#include "mailstore.h"
#include "procs.h"

static mr_status message_status(int st)
{
	return mailstore_status(st, MR_ERR_NOMESSAGE, MR_ERR_INVALID);
}

/* The destination is checked once, so a per-id "not found" means the id. */
static mr_status check_folder(const char *mailbox, const char *folder)
{
	store_folder_info_t info;
	return mailstore_status(store_folder_get(mailstore(), mailbox, folder, &info),
				MR_ERR_NOFOLDER, MR_ERR_BADNAME);
}

void proc_msg_move(struct caller *caller, void *args_, void *res_)
{
	mr_move_args *args = args_;
	mr_batch_res *res = res_;
	target_set(caller, "ids=%u folder=\"%s\"", args->ids.ids_len, args->folder);
	res->status = check_folder(caller->mailbox, args->folder);
	for (u_int i = 0; res->status == MR_OK && i < args->ids.ids_len; i++) {
		res->status = message_status(
			store_message_move(mailstore(), caller->mailbox, args->ids.ids_val[i], args->folder));
		if (res->status == MR_OK)
			res->done++;
	}
}

void proc_msg_copy(struct caller *caller, void *args_, void *res_)
{
	mr_move_args *args = args_;
	mr_batch_res *res = res_;
	target_set(caller, "ids=%u folder=\"%s\"", args->ids.ids_len, args->folder);
	res->status = check_folder(caller->mailbox, args->folder);
	if (res->status != MR_OK)
		return;
	res->new_ids.new_ids_val = calloc(args->ids.ids_len ? args->ids.ids_len : 1, sizeof(mr_id));
	if (res->new_ids.new_ids_val == NULL) {
		res->status = MR_ERR_INTERNAL;
		return;
	}
	for (u_int i = 0; res->status == MR_OK && i < args->ids.ids_len; i++) {
		uint64_t new_id = 0;
		res->status = message_status(store_message_copy(mailstore(), caller->mailbox,
								 args->ids.ids_val[i], args->folder, &new_id));
		if (res->status == MR_OK)
			res->new_ids.new_ids_val[res->done++] = new_id;
	}
	res->new_ids.new_ids_len = res->done;
}

void proc_msg_delete(struct caller *caller, void *args_, void *res_)
{
	mr_delete_args *args = args_;
	mr_batch_res *res = res_;
	target_set(caller, "ids=%u%s", args->ids.ids_len, args->hard ? " hard" : "");
	res->status = MR_OK;
	for (u_int i = 0; res->status == MR_OK && i < args->ids.ids_len; i++) {
		res->status = message_status(
			store_message_delete(mailstore(), caller->mailbox, args->ids.ids_val[i], args->hard));
		if (res->status == MR_OK)
			res->done++;
	}
}

void proc_msg_flags(struct caller *caller, void *args_, void *res_)
{
	mr_flags_args *args = args_;
	mr_res *res = res_;
	target_set(caller, "ids=%u set=%u clear=%u", args->ids.ids_len, args->set, args->clear);
	if (args->ids.ids_len == 0 || ((args->set | args->clear) & ~(unsigned)STORE_FLAGS_ALL)) {
		res->status = MR_ERR_INVALID;
		return;
	}
	res->status = message_status(store_message_set_flags(mailstore(), caller->mailbox,
							      args->ids.ids_val, args->ids.ids_len,
							      args->set, args->clear));
}
