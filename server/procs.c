/* procs.c -- the procedure table (see procs.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "procs.h"

/* The dispatcher reads every result's status through its first field. */
_Static_assert(offsetof(mr_whoami_res, status) == 0, "results start with mr_status");
_Static_assert(offsetof(mr_msg_list_res, status) == 0, "results start with mr_status");
_Static_assert(offsetof(mr_batch_res, status) == 0, "results start with mr_status");
_Static_assert(offsetof(mr_submit_res, status) == 0, "results start with mr_status");
_Static_assert(offsetof(mr_upload_res, status) == 0, "results start with mr_status");
_Static_assert(offsetof(mr_wait_res, status) == 0, "results start with mr_status");
_Static_assert(offsetof(mr_sync_res, status) == 0, "results start with mr_status");
_Static_assert(offsetof(mr_index_res, status) == 0, "results start with mr_status");
_Static_assert(offsetof(mr_rights_res, status) == 0, "results start with mr_status");
_Static_assert(offsetof(mr_quota_res, status) == 0, "results start with mr_status");
_Static_assert(offsetof(mr_folder_get_res, status) == 0, "results start with mr_status");
_Static_assert(offsetof(mr_seal_res, status) == 0, "results start with mr_status");
_Static_assert(offsetof(mr_send_res, status) == 0, "results start with mr_status");

#define PROC(NAME, ARGS_T, XARGS, RES_T, XRES, HANDLER)                                            \
	{                                                                                          \
		MR_##NAME, #NAME, (xdrproc_t)XARGS, sizeof(ARGS_T), (xdrproc_t)XRES,               \
		    sizeof(RES_T), HANDLER                                                         \
	}

static const struct proc_def table[] = {
    PROC(WHOAMI, char, xdr_void, mr_whoami_res, xdr_mr_whoami_res, proc_whoami),
    PROC(MAILBOX_OPEN, mr_name, xdr_mr_name, mr_res, xdr_mr_res, proc_mailbox_open),
    PROC(QUOTA, char, xdr_void, mr_quota_res, xdr_mr_quota_res, proc_quota),
    PROC(FOLDER_LIST, mr_folder_list_args, xdr_mr_folder_list_args, mr_folder_list_res,
	 xdr_mr_folder_list_res, proc_folder_list),
    PROC(FOLDER_GET, mr_path, xdr_mr_path, mr_folder_get_res, xdr_mr_folder_get_res,
	 proc_folder_get),
    PROC(FOLDER_CREATE, mr_folder_create_args, xdr_mr_folder_create_args, mr_res, xdr_mr_res,
	 proc_folder_create),
    PROC(FOLDER_RENAME, mr_folder_rename_args, xdr_mr_folder_rename_args, mr_res, xdr_mr_res,
	 proc_folder_rename),
    PROC(FOLDER_DELETE, mr_folder_delete_args, xdr_mr_folder_delete_args, mr_res, xdr_mr_res,
	 proc_folder_delete),
    PROC(FOLDER_SYNC, mr_folder_sync_args, xdr_mr_folder_sync_args, mr_folder_sync_res,
	 xdr_mr_folder_sync_res, proc_folder_sync),
    PROC(MSG_LIST, mr_list_args, xdr_mr_list_args, mr_msg_list_res, xdr_mr_msg_list_res,
	 proc_msg_list),
    PROC(MSG_SEARCH, mr_search_args, xdr_mr_search_args, mr_msg_list_res, xdr_mr_msg_list_res,
	 proc_msg_search),
    PROC(MSG_INFO, mr_id, xdr_mr_id, mr_summary_res, xdr_mr_summary_res, proc_msg_info),
    PROC(MSG_FETCH, mr_fetch_args, xdr_mr_fetch_args, mr_fetch_res, xdr_mr_fetch_res,
	 proc_msg_fetch),
    PROC(MSG_INDEX, mr_index_args, xdr_mr_index_args, mr_index_res, xdr_mr_index_res,
	 proc_msg_index),
    PROC(MSG_APPEND, mr_msg_append_args, xdr_mr_msg_append_args, mr_id_res, xdr_mr_id_res,
	 proc_msg_append),
    PROC(UPLOAD_BEGIN, mr_upload_begin_args, xdr_mr_upload_begin_args, mr_upload_res,
	 xdr_mr_upload_res, proc_upload_begin),
    PROC(UPLOAD_APPEND, mr_upload_append_args, xdr_mr_upload_append_args, mr_upload_res,
	 xdr_mr_upload_res, proc_upload_append),
    PROC(UPLOAD_STATUS, mr_upload_ref, xdr_mr_upload_ref, mr_upload_res, xdr_mr_upload_res,
	 proc_upload_status),
    PROC(UPLOAD_ABORT, mr_upload_abort_args, xdr_mr_upload_abort_args, mr_res, xdr_mr_res,
	 proc_upload_abort),
    PROC(UPLOAD_COMMIT_APPEND, mr_commit_append_args, xdr_mr_commit_append_args, mr_id_res,
	 xdr_mr_id_res, proc_upload_commit_append),
    PROC(UPLOAD_COMMIT_SUBMIT, mr_commit_submit_args, xdr_mr_commit_submit_args, mr_submit_res,
	 xdr_mr_submit_res, proc_upload_commit_submit),
    PROC(MSG_MOVE, mr_move_args, xdr_mr_move_args, mr_batch_res, xdr_mr_batch_res, proc_msg_move),
    PROC(MSG_COPY, mr_move_args, xdr_mr_move_args, mr_batch_res, xdr_mr_batch_res, proc_msg_copy),
    PROC(MSG_DELETE, mr_delete_args, xdr_mr_delete_args, mr_batch_res, xdr_mr_batch_res,
	 proc_msg_delete),
    PROC(MSG_FLAGS, mr_flags_args, xdr_mr_flags_args, mr_res, xdr_mr_res, proc_msg_flags),
    PROC(ACL_GET, mr_path, xdr_mr_path, mr_acl_res, xdr_mr_acl_res, proc_acl_get),
    PROC(ACL_SET, mr_acl_set_args, xdr_mr_acl_set_args, mr_res, xdr_mr_res, proc_acl_set),
    PROC(MYRIGHTS, mr_path, xdr_mr_path, mr_rights_res, xdr_mr_rights_res, proc_myrights),
    PROC(WAIT, mr_wait_args, xdr_mr_wait_args, mr_wait_res, xdr_mr_wait_res, proc_wait),
    PROC(SYNC, mr_sync_args, xdr_mr_sync_args, mr_sync_res, xdr_mr_sync_res, proc_sync),
    PROC(SEAL_BEGIN, mr_seal_args, xdr_mr_seal_args, mr_seal_res, xdr_mr_seal_res,
	 proc_seal_begin),
    PROC(UPLOAD_COMMIT_SEND, mr_commit_send_args, xdr_mr_commit_send_args, mr_send_res,
	 xdr_mr_send_res, proc_upload_commit_send),
};

unsigned caller_max_chunk(const struct caller *caller)
{
	return caller->sealed ? MAILRPC_SEALED_CHUNK_MAX : MAILRPC_CHUNK_MAX;
}

void target_set(struct caller *caller, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(caller->target, sizeof(caller->target), fmt, ap);
	va_end(ap);
}

const char *target_safe(struct caller *caller, const char *text)
{
	size_t room = sizeof(caller->safe) - caller->safe_used;
	if (room < 2)
		return "-";
	char *copy = caller->safe + caller->safe_used;
	log_safe(copy, room, text);
	caller->safe_used += strlen(copy) + 1;
	return copy;
}

void target_done(struct caller *caller, store_result_t *res)
{
	size_t n = strlen(caller->target);
	if (res->replayed)
		snprintf(caller->target + n, sizeof(caller->target) - n,
			 "%srepeated op: result as first given", n ? " " : "");
	store_result_clear(res);
}

const struct proc_def *procs_find(rpcproc_t num)
{
	/* The IDL's numbers have gaps (numbers agreed for other branches), so
	 * the table is searched: an unknown number is refused. */
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].num == num)
			return &table[i];
	return NULL;
}
