/*
 * procs.h -- the table of mailrpc procedures and the shape every handler
 * shares.  The dispatcher authenticates and decodes; a handler only sees
 * an authenticated caller, decoded arguments and a zeroed result whose
 * first field is the mr_status it must set.
 */
#ifndef MAILRPCD_PROCS_H
#define MAILRPCD_PROCS_H

#include <rpc/rpc.h>
#include <time.h>

#include "mailrpc_prot.h"

struct caller {
	char target[160];       /* what the call touched, for the log line;
	                           handlers fill it (target_set) */
	const char *principal;  /* Kerberos principal, display form */
	const char *mailbox;    /* "" when mailbox_status != MR_OK */
	int mailbox_status;     /* MR_OK, MR_ERR_FOREIGN or MR_ERR_NOMAILBOX */
	int level;              /* enum level_value of the context */
	time_t expires;         /* end of the context's Kerberos lifetime */
};

typedef void (*proc_handler)(struct caller *caller, void *args, void *res);

/* Records what a call touched ("folder=Inbox id=42") for the log. */
void target_set(struct caller *caller, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct proc_def {
	rpcproc_t num;
	const char *name;
	xdrproc_t xdr_args;
	size_t args_size;
	xdrproc_t xdr_res;
	size_t res_size;
	proc_handler handler;
	int needs_mailbox;      /* refuse when the caller has no usable mailbox */
};

/* The op id of a call (see mr_opid), NULL when the client sent none (all zero). */
const unsigned char *proc_op_of(const char *op);

/* For a call named by op (NULL: none) whose record is its success
 * (proc_op.c): 1 if op was done before (*status_r MR_OK, *id_r the
 * recorded id; id_r may be NULL) or cannot be looked up (*status_r says
 * why), 0 if the call is new. */
int proc_op_repeated(struct caller *caller, const unsigned char *op, int kind, uint64_t *id_r,
		     mr_status *status_r);

/* NULL for an unknown procedure number. */
const struct proc_def *procs_find(rpcproc_t num);

/* Handlers, by file. */
void proc_whoami(struct caller *caller, void *args, void *res);
/* proc_folders.c */
void proc_folder_list(struct caller *caller, void *args, void *res);
void proc_folder_create(struct caller *caller, void *args, void *res);
void proc_folder_rename(struct caller *caller, void *args, void *res);
void proc_folder_delete(struct caller *caller, void *args, void *res);
void proc_folder_create_op(struct caller *caller, void *args, void *res);
void proc_folder_rename_op(struct caller *caller, void *args, void *res);
void proc_folder_delete_op(struct caller *caller, void *args, void *res);
/* proc_read.c */
void proc_msg_list(struct caller *caller, void *args, void *res);
void proc_msg_search(struct caller *caller, void *args, void *res);
void proc_msg_info(struct caller *caller, void *args, void *res);
void proc_msg_fetch(struct caller *caller, void *args, void *res);
/* proc_upload.c */
void proc_upload_begin(struct caller *caller, void *args, void *res);
void proc_upload_begin_op(struct caller *caller, void *args, void *res);
void proc_upload_append(struct caller *caller, void *args, void *res);
void proc_upload_status(struct caller *caller, void *args, void *res);
void proc_upload_abort(struct caller *caller, void *args, void *res);
void proc_upload_commit_append(struct caller *caller, void *args, void *res);
void proc_upload_commit_submit(struct caller *caller, void *args, void *res);
void proc_msg_append_op(struct caller *caller, void *args, void *res);
/* proc_change.c */
void proc_msg_move(struct caller *caller, void *args, void *res);
void proc_msg_copy(struct caller *caller, void *args, void *res);
void proc_msg_delete(struct caller *caller, void *args, void *res);
void proc_msg_flags(struct caller *caller, void *args, void *res);
void proc_msg_move_op(struct caller *caller, void *args, void *res);
void proc_msg_copy_op(struct caller *caller, void *args, void *res);
void proc_msg_delete_op(struct caller *caller, void *args, void *res);
void proc_msg_flags_op(struct caller *caller, void *args, void *res);
/* proc_sharing.c */
void proc_mailbox_open(struct caller *caller, void *args, void *res);
void proc_acl_get(struct caller *caller, void *args, void *res);
void proc_acl_set(struct caller *caller, void *args, void *res);
void proc_acl_set_op(struct caller *caller, void *args, void *res);
/* proc_wait.c */
void proc_wait(struct caller *caller, void *args, void *res);
/* proc_sync.c */
void proc_sync(struct caller *caller, void *args, void *res);
/* proc_folder_sync.c */
void proc_folder_sync(struct caller *caller, void *args, void *res);

#endif
