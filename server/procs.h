/*
 * procs.h -- the table of mailrpc procedures and the shape every handler
 * shares.  The dispatcher authenticates and decodes; a handler is a thin
 * adapter: it takes the decoded arguments to the mail service (one mail_
 * call, service/mail.h), puts its answer in the zeroed result, whose
 * first field is the mr_status, and says what the call touched for the log.
 * Nothing about mail is decided here.
 */
#ifndef MAILRPCD_PROCS_H
#define MAILRPCD_PROCS_H

#include <rpc/rpc.h>
#include <time.h>

#include "mail.h"
#include "mailrpc_prot.h"

struct session;

struct caller {
	char target[512]; /* what the call touched, for the log line;
			     handlers fill it (target_set) */
	char safe[2048];  /* target_safe's copies, for this call */
	size_t safe_used;
	const char *principal;	      /* Kerberos principal, display form */
	const char *principal_shown;  /* the same for the log (target_safe) */
	const char *mailbox;	      /* the mailbox it owns ("" none) */
	int level;		      /* enum level_value of the context */
	time_t expires;		      /* end of the context's Kerberos lifetime */
	struct mail_session *session; /* of this RPCSEC_GSS context */
	struct session *context;      /* the context itself (session.h) */
	int sealed;		      /* this call came sealed (seal.h) */
};

typedef void (*proc_handler)(struct caller *caller, void *args, void *res);

/* Records what a call touched ("folder=Inbox id=42") for the log. */
void target_set(struct caller *caller, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text the client sent (a folder, a principal, a mailbox name) as it may
 * appear in the log line (log_safe: no control character, space or quote
 * of its own), kept in caller until the call ends: every such argument of
 * target_set goes through here. */
const char *target_safe(struct caller *caller, const char *text);
/* Adds to the log line that a repeated op id was answered from its
 * record, if it was, and frees res. */
void target_done(struct caller *caller, store_result_t *res);

struct proc_def {
	rpcproc_t num;
	const char *name;
	xdrproc_t xdr_args;
	size_t args_size;
	xdrproc_t xdr_res;
	size_t res_size;
	proc_handler handler;
};

/* NULL for an unknown procedure number. */
const struct proc_def *procs_find(rpcproc_t num);

/* Handlers, by file. */
/* proc_session.c */
void proc_whoami(struct caller *caller, void *args, void *res);
void proc_mailbox_open(struct caller *caller, void *args, void *res);
void proc_quota(struct caller *caller, void *args, void *res);
/* proc_folders.c */
void proc_folder_list(struct caller *caller, void *args, void *res);
void proc_folder_get(struct caller *caller, void *args, void *res);
void proc_folder_create(struct caller *caller, void *args, void *res);
void proc_folder_rename(struct caller *caller, void *args, void *res);
void proc_folder_delete(struct caller *caller, void *args, void *res);
/* proc_folder_sync.c */
void proc_folder_sync(struct caller *caller, void *args, void *res);
/* proc_read.c */
void proc_msg_list(struct caller *caller, void *args, void *res);
void proc_msg_search(struct caller *caller, void *args, void *res);
void proc_msg_info(struct caller *caller, void *args, void *res);
void proc_msg_fetch(struct caller *caller, void *args, void *res);
void proc_msg_index(struct caller *caller, void *args, void *res);
/* proc_upload.c */
void proc_msg_append(struct caller *caller, void *args, void *res);
void proc_upload_begin(struct caller *caller, void *args, void *res);
void proc_upload_append(struct caller *caller, void *args, void *res);
void proc_upload_status(struct caller *caller, void *args, void *res);
void proc_upload_abort(struct caller *caller, void *args, void *res);
void proc_upload_commit_append(struct caller *caller, void *args, void *res);
/* proc_submit.c */
void proc_upload_commit_submit(struct caller *caller, void *args, void *res);
void proc_upload_commit_send(struct caller *caller, void *args, void *res);
/* proc_change.c */
void proc_msg_move(struct caller *caller, void *args, void *res);
void proc_msg_copy(struct caller *caller, void *args, void *res);
void proc_msg_delete(struct caller *caller, void *args, void *res);
void proc_msg_flags(struct caller *caller, void *args, void *res);
/* proc_sharing.c */
void proc_acl_get(struct caller *caller, void *args, void *res);
void proc_acl_set(struct caller *caller, void *args, void *res);
void proc_myrights(struct caller *caller, void *args, void *res);
/* proc_wait.c */
void proc_wait(struct caller *caller, void *args, void *res);
/* proc_sync.c */
void proc_sync(struct caller *caller, void *args, void *res);
/* seal_begin.c */
void proc_seal_begin(struct caller *caller, void *args, void *res);

/* The largest chunk a fetch reply may carry for this caller: more once
 * its calls are sealed (no RPCSEC_GSS wrap of the whole reply to fit). */
unsigned caller_max_chunk(const struct caller *caller);

#endif
