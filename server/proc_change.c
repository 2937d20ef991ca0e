/* proc_change.c -- MSG_MOVE, MSG_COPY, MSG_DELETE, MSG_FLAGS: changing messages. */
#include <stdlib.h>

#include "authz.h"
#include "mailstore.h"
#include "procs.h"

static mr_status message_status(int st)
{
	return mailstore_status(st, MR_ERR_NOMESSAGE, MR_ERR_INVALID);
}

/* The destination is checked once (rights, then existence), so a per-id
 * "not found" means the id. */
static mr_status check_dest(struct caller *caller, const char *folder)
{
	store_folder_info_t info;
	mr_status status = authz_folder(caller, folder, R_INSERT);
	if (status != MR_OK)
		return status;
	return mailstore_status(store_folder_get(mailstore(), authz_mailbox(caller), folder, &info),
				MR_ERR_NOFOLDER, MR_ERR_BADNAME);
}

void proc_msg_move(struct caller *caller, void *args_, void *res_)
{
	mr_move_args *args = args_;
	mr_batch_res *res = res_;
	const char *mbox = authz_mailbox(caller);
	target_set(caller, "in=%s ids=%u folder=\"%s\"", mbox, args->ids.ids_len, args->folder);
	res->status = check_dest(caller, args->folder);
	for (u_int i = 0; res->status == MR_OK && i < args->ids.ids_len; i++) {
		/* Moving out of a folder deletes from it. */
		res->status = authz_message(caller, args->ids.ids_val[i], R_READ | R_DELETE_MSG);
		if (res->status == MR_OK)
			res->status = message_status(
				store_message_move(mailstore(), mbox, args->ids.ids_val[i], args->folder));
		if (res->status == MR_OK)
			res->done++;
	}
}

void proc_msg_copy(struct caller *caller, void *args_, void *res_)
{
	mr_move_args *args = args_;
	mr_batch_res *res = res_;
	const char *mbox = authz_mailbox(caller);
	target_set(caller, "in=%s ids=%u folder=\"%s\"", mbox, args->ids.ids_len, args->folder);
	res->status = check_dest(caller, args->folder);
	if (res->status != MR_OK)
		return;
	res->new_ids.new_ids_val = calloc(args->ids.ids_len ? args->ids.ids_len : 1, sizeof(mr_id));
	if (res->new_ids.new_ids_val == NULL) {
		res->status = MR_ERR_INTERNAL;
		return;
	}
	for (u_int i = 0; res->status == MR_OK && i < args->ids.ids_len; i++) {
		uint64_t new_id = 0;
		res->status = authz_message(caller, args->ids.ids_val[i], R_READ);
		if (res->status == MR_OK)
			res->status = message_status(store_message_copy(
				mailstore(), mbox, args->ids.ids_val[i], args->folder, &new_id));
		if (res->status == MR_OK)
			res->new_ids.new_ids_val[res->done++] = new_id;
	}
	res->new_ids.new_ids_len = res->done;
}

void proc_msg_delete(struct caller *caller, void *args_, void *res_)
{
	mr_delete_args *args = args_;
	mr_batch_res *res = res_;
	const char *mbox = authz_mailbox(caller);
	/* A permanent delete is an expunge as well. */
	uint32_t need = R_DELETE_MSG | (args->hard ? R_EXPUNGE : 0);
	target_set(caller, "in=%s ids=%u%s", mbox, args->ids.ids_len, args->hard ? " hard" : "");
	res->status = MR_OK;
	for (u_int i = 0; res->status == MR_OK && i < args->ids.ids_len; i++) {
		res->status = authz_message(caller, args->ids.ids_val[i], need);
		if (res->status == MR_OK)
			res->status = message_status(
				store_message_delete(mailstore(), mbox, args->ids.ids_val[i], args->hard));
		if (res->status == MR_OK)
			res->done++;
	}
}

void proc_msg_flags(struct caller *caller, void *args_, void *res_)
{
	mr_flags_args *args = args_;
	mr_res *res = res_;
	unsigned changed = args->set | args->clear;
	target_set(caller, "in=%s ids=%u set=%u clear=%u", authz_mailbox(caller),
		   args->ids.ids_len, args->set, args->clear);
	if (args->ids.ids_len == 0 || (changed & ~(unsigned)STORE_FLAGS_ALL)) {
		res->status = MR_ERR_INVALID;
		return;
	}
	/* RFC 4314: "s" keeps the seen flag, "w" every other flag. */
	uint32_t need = ((changed & STORE_FLAG_SEEN) ? R_SEEN : 0) |
			((changed & ~STORE_FLAG_SEEN) ? R_WRITE : 0);
	res->status = MR_OK;
	for (u_int i = 0; res->status == MR_OK && i < args->ids.ids_len; i++)
		res->status = authz_message(caller, args->ids.ids_val[i], need);
	if (res->status == MR_OK)
		res->status = message_status(store_message_set_flags(mailstore(), authz_mailbox(caller),
								      args->ids.ids_val, args->ids.ids_len,
								      args->set, args->clear));
}
