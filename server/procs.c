/* procs.c -- the procedure table (see procs.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "procs.h"

/* The dispatcher reads every result's status through its first field. */
_Static_assert(offsetof(mr_whoami_res, status) == 0, "results start with mr_status");
_Static_assert(offsetof(mr_msg_list_res, status) == 0, "results start with mr_status");
_Static_assert(offsetof(mr_batch_res, status) == 0, "results start with mr_status");
_Static_assert(offsetof(mr_submit_res, status) == 0, "results start with mr_status");
_Static_assert(offsetof(mr_upload_res, status) == 0, "results start with mr_status");
_Static_assert(offsetof(mr_wait_res, status) == 0, "results start with mr_status");
_Static_assert(offsetof(mr_sync_res, status) == 0, "results start with mr_status");

#define PROC(NUM, NAME, ARGS_T, XARGS, RES_T, XRES, HANDLER, NEEDS_MAILBOX)                   \
	{NUM, NAME, (xdrproc_t)XARGS, sizeof(ARGS_T), (xdrproc_t)XRES, sizeof(RES_T), HANDLER,   \
	 NEEDS_MAILBOX}

static const struct proc_def table[] = {
	/* WHOAMI answers even without a mailbox: it says why there is none. */
	PROC(MR_WHOAMI, "WHOAMI", char, xdr_void, mr_whoami_res, xdr_mr_whoami_res, proc_whoami, 0),
	PROC(MR_FOLDER_LIST, "FOLDER_LIST", mr_folder_list_args, xdr_mr_folder_list_args,
	     mr_folder_list_res, xdr_mr_folder_list_res, proc_folder_list, 1),
	PROC(MR_FOLDER_CREATE, "FOLDER_CREATE", mr_path, xdr_mr_path, mr_res, xdr_mr_res,
	     proc_folder_create, 1),
	PROC(MR_FOLDER_RENAME, "FOLDER_RENAME", mr_folder_rename_args, xdr_mr_folder_rename_args,
	     mr_res, xdr_mr_res, proc_folder_rename, 1),
	PROC(MR_FOLDER_DELETE, "FOLDER_DELETE", mr_folder_delete_args, xdr_mr_folder_delete_args,
	     mr_res, xdr_mr_res, proc_folder_delete, 1),
	PROC(MR_MSG_LIST, "MSG_LIST", mr_list_args, xdr_mr_list_args, mr_msg_list_res,
	     xdr_mr_msg_list_res, proc_msg_list, 1),
	PROC(MR_MSG_SEARCH, "MSG_SEARCH", mr_search_args, xdr_mr_search_args, mr_msg_list_res,
	     xdr_mr_msg_list_res, proc_msg_search, 1),
	PROC(MR_MSG_INFO, "MSG_INFO", mr_id, xdr_mr_id, mr_summary_res, xdr_mr_summary_res,
	     proc_msg_info, 1),
	PROC(MR_MSG_FETCH, "MSG_FETCH", mr_fetch_args, xdr_mr_fetch_args, mr_fetch_res,
	     xdr_mr_fetch_res, proc_msg_fetch, 1),
	PROC(MR_UPLOAD_BEGIN, "UPLOAD_BEGIN", mr_upload_begin_args, xdr_mr_upload_begin_args,
	     mr_upload_res, xdr_mr_upload_res, proc_upload_begin, 1),
	PROC(MR_UPLOAD_APPEND, "UPLOAD_APPEND", mr_upload_append_args, xdr_mr_upload_append_args,
	     mr_upload_res, xdr_mr_upload_res, proc_upload_append, 1),
	PROC(MR_UPLOAD_STATUS, "UPLOAD_STATUS", mr_upload_ref, xdr_mr_upload_ref, mr_upload_res,
	     xdr_mr_upload_res, proc_upload_status, 1),
	PROC(MR_UPLOAD_ABORT, "UPLOAD_ABORT", mr_upload_ref, xdr_mr_upload_ref, mr_res, xdr_mr_res,
	     proc_upload_abort, 1),
	PROC(MR_UPLOAD_COMMIT_APPEND, "UPLOAD_COMMIT_APPEND", mr_commit_append_args,
	     xdr_mr_commit_append_args, mr_id_res, xdr_mr_id_res, proc_upload_commit_append, 1),
	PROC(MR_UPLOAD_COMMIT_SUBMIT, "UPLOAD_COMMIT_SUBMIT", mr_commit_submit_args,
	     xdr_mr_commit_submit_args, mr_submit_res, xdr_mr_submit_res, proc_upload_commit_submit, 1),
	PROC(MR_MSG_MOVE, "MSG_MOVE", mr_move_args, xdr_mr_move_args, mr_batch_res,
	     xdr_mr_batch_res, proc_msg_move, 1),
	PROC(MR_MSG_COPY, "MSG_COPY", mr_move_args, xdr_mr_move_args, mr_batch_res,
	     xdr_mr_batch_res, proc_msg_copy, 1),
	PROC(MR_MSG_DELETE, "MSG_DELETE", mr_delete_args, xdr_mr_delete_args, mr_batch_res,
	     xdr_mr_batch_res, proc_msg_delete, 1),
	PROC(MR_MSG_FLAGS, "MSG_FLAGS", mr_flags_args, xdr_mr_flags_args, mr_res, xdr_mr_res,
	     proc_msg_flags, 1),
	PROC(MR_MSG_MOVE_OP, "MSG_MOVE_OP", mr_move_op_args, xdr_mr_move_op_args, mr_batch_res,
	     xdr_mr_batch_res, proc_msg_move_op, 1),
	PROC(MR_MSG_COPY_OP, "MSG_COPY_OP", mr_move_op_args, xdr_mr_move_op_args, mr_batch_res,
	     xdr_mr_batch_res, proc_msg_copy_op, 1),
	PROC(MR_MSG_DELETE_OP, "MSG_DELETE_OP", mr_delete_op_args, xdr_mr_delete_op_args,
	     mr_batch_res, xdr_mr_batch_res, proc_msg_delete_op, 1),
	PROC(MR_MSG_FLAGS_OP, "MSG_FLAGS_OP", mr_flags_op_args, xdr_mr_flags_op_args, mr_res,
	     xdr_mr_res, proc_msg_flags_op, 1),
	PROC(MR_MAILBOX_OPEN, "MAILBOX_OPEN", mr_name, xdr_mr_name, mr_res, xdr_mr_res,
	     proc_mailbox_open, 1),
	PROC(MR_ACL_GET, "ACL_GET", mr_path, xdr_mr_path, mr_acl_res, xdr_mr_acl_res, proc_acl_get, 1),
	PROC(MR_ACL_SET, "ACL_SET", mr_acl_set_args, xdr_mr_acl_set_args, mr_res, xdr_mr_res,
	     proc_acl_set, 1),
	PROC(MR_WAIT, "WAIT", mr_wait_args, xdr_mr_wait_args, mr_wait_res, xdr_mr_wait_res,
	     proc_wait, 1),
	PROC(MR_SYNC, "SYNC", mr_sync_args, xdr_mr_sync_args, mr_sync_res, xdr_mr_sync_res,
	     proc_sync, 1),
	PROC(MR_FOLDER_SYNC, "FOLDER_SYNC", mr_folder_sync_args, xdr_mr_folder_sync_args,
	     mr_folder_sync_res, xdr_mr_folder_sync_res, proc_folder_sync, 1),
	PROC(MR_FOLDER_CREATE_OP, "FOLDER_CREATE_OP", mr_folder_create_op_args,
	     xdr_mr_folder_create_op_args, mr_res, xdr_mr_res, proc_folder_create_op, 1),
	PROC(MR_FOLDER_RENAME_OP, "FOLDER_RENAME_OP", mr_folder_rename_op_args,
	     xdr_mr_folder_rename_op_args, mr_res, xdr_mr_res, proc_folder_rename_op, 1),
	PROC(MR_FOLDER_DELETE_OP, "FOLDER_DELETE_OP", mr_folder_delete_op_args,
	     xdr_mr_folder_delete_op_args, mr_res, xdr_mr_res, proc_folder_delete_op, 1),
	PROC(MR_ACL_SET_OP, "ACL_SET_OP", mr_acl_set_op_args, xdr_mr_acl_set_op_args, mr_res,
	     xdr_mr_res, proc_acl_set_op, 1),
	PROC(MR_UPLOAD_BEGIN_OP, "UPLOAD_BEGIN_OP", mr_upload_begin_op_args,
	     xdr_mr_upload_begin_op_args, mr_upload_res, xdr_mr_upload_res, proc_upload_begin_op, 1),
	PROC(MR_MSG_APPEND_OP, "MSG_APPEND_OP", mr_msg_append_args, xdr_mr_msg_append_args,
	     mr_id_res, xdr_mr_id_res, proc_msg_append_op, 1),
};

void target_set(struct caller *caller, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(caller->target, sizeof(caller->target), fmt, ap);
	va_end(ap);
}

const unsigned char *proc_op_of(const char *op)
{
	static const char none[MAILRPC_OPID_LEN];
	return memcmp(op, none, sizeof(none)) == 0 ? NULL : (const unsigned char *)op;
}

const struct proc_def *procs_find(rpcproc_t num)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].num == num)
			return &table[i];
	return NULL;
}
