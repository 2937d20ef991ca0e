/*
 * proc_upload.c -- UPLOAD_*: a message's bytes arrive in chunks into an
 * upload kept in the store (so an interrupted upload resumes, even after
 * a restart), then one commit files it (append) or delivers it (submit).
 */
#include <string.h>

#include "authz.h"
#include "identity.h"
#include "mailstore.h"
#include "procs.h"

static mr_status upload_status(int st)
{
	return mailstore_status(st, MR_ERR_NOUPLOAD, MR_ERR_INVALID);
}

static void state_set(mr_upload_res *res, uint64_t upload, uint64_t received, uint64_t size)
{
	res->mr_upload_res_u.state.upload = upload;
	res->mr_upload_res_u.state.received = received;
	res->mr_upload_res_u.state.size = size;
}

/* A repeated op gets the upload it began (as it stood then: nothing
 * received, since the client never learnt its id). */
static void upload_begin(struct caller *caller, const unsigned char *op,
			 const mr_upload_begin_args *args, mr_upload_res *res)
{
	uint64_t upload = 0;
	store_opname_t name = {caller->mailbox, op};
	int replayed = 0;
	int st = store_upload_begin_op(mailstore(), caller->mailbox, args->size,
				       (const unsigned char *)args->sha256, &name, &upload, &replayed);
	target_set(caller, "upload=%llu size=%llu%s", (unsigned long long)upload,
		   (unsigned long long)args->size, replayed ? " (repeated op)" : "");
	res->status = upload_status(st);
	if (st == STORE_OK)
		state_set(res, upload, 0, args->size);
}

void proc_upload_begin(struct caller *caller, void *args, void *res)
{
	upload_begin(caller, NULL, args, res);
}

void proc_upload_begin_op(struct caller *caller, void *args_, void *res)
{
	mr_upload_begin_op_args *args = args_;
	upload_begin(caller, proc_op_of(args->op), &args->begin, res);
}

void proc_upload_status(struct caller *caller, void *args_, void *res_)
{
	mr_upload_ref *args = args_;
	mr_upload_res *res = res_;
	uint64_t received = 0, size = 0;
	target_set(caller, "upload=%llu", (unsigned long long)args->upload);
	int st = store_upload_status(mailstore(), caller->mailbox, args->upload, &received, &size);
	res->status = upload_status(st);
	if (st == STORE_OK)
		state_set(res, args->upload, received, size);
}

void proc_upload_append(struct caller *caller, void *args_, void *res_)
{
	mr_upload_append_args *args = args_;
	mr_upload_res *res = res_;
	uint64_t received = 0, size = 0;
	target_set(caller, "upload=%llu offset=%llu len=%u", (unsigned long long)args->upload,
		   (unsigned long long)args->offset, args->data.data_len);
	int st = store_upload_append(mailstore(), caller->mailbox, args->upload, args->offset,
				     args->data.data_val, args->data.data_len, &received);
	if (st == STORE_INVALID && args->offset != received) {
		/* Out of step (say, a reply lost on a bad link): tell where to resume. */
		store_upload_status(mailstore(), caller->mailbox, args->upload, &received, &size);
		res->status = MR_ERR_OFFSET;
		state_set(res, args->upload, received, size);
		return;
	}
	res->status = upload_status(st);
	if (st == STORE_OK) {
		store_upload_status(mailstore(), caller->mailbox, args->upload, &received, &size);
		state_set(res, args->upload, received, size);
	}
}

void proc_upload_abort(struct caller *caller, void *args_, void *res_)
{
	mr_upload_ref *args = args_;
	mr_res *res = res_;
	target_set(caller, "upload=%llu", (unsigned long long)args->upload);
	res->status = upload_status(store_upload_abort(mailstore(), caller->mailbox, args->upload));
}

/* Storing a message in folder with flags: known flags, an existing folder,
 * the right to insert there and to set those flags. */
static mr_status append_allowed(struct caller *caller, const char *folder, unsigned flags)
{
	if (flags & ~(unsigned)STORE_FLAGS_ALL)
		return MR_ERR_INVALID;
	return authz_existing_folder(caller, folder, R_INSERT | authz_flag_rights(flags));
}

void proc_upload_commit_append(struct caller *caller, void *args_, void *res_)
{
	mr_commit_append_args *args = args_;
	mr_id_res *res = res_;
	uint64_t id = 0;
	const char *mbox = authz_mailbox(caller);
	target_set(caller, "upload=%llu in=%s folder=\"%s\"", (unsigned long long)args->upload,
		   mbox, args->folder);

	/* Name the folder's trouble first: the store's "not found" and
	 * "invalid" would not say whether the folder or the upload is meant. */
	res->status = append_allowed(caller, args->folder, args->flags);
	if (res->status != MR_OK)
		return;
	/* The upload is the caller's own; the message goes to the open mailbox. */
	int st = store_upload_commit_append_to(mailstore(), caller->mailbox, args->upload, mbox,
					       args->folder, args->flags, proc_op_of(args->op), &id);
	res->status = mailstore_status(st, MR_ERR_NOUPLOAD, MR_ERR_MISMATCH);
	if (st == STORE_OK) {
		res->mr_id_res_u.id = id;
		target_set(caller, "upload=%llu folder=\"%s\" id=%llu", (unsigned long long)args->upload,
			   args->folder, (unsigned long long)id);
	}
}

/*
 * Sending on behalf of another mailbox: the delegate needs "p" on its
 * Outbox, and the message says who really sent it (RFC 5322 Sender:).
 */
static mr_status send_as(struct caller *caller, const char *from, uint64_t upload)
{
	if (!identity_valid_mailbox(from))
		return MR_ERR_NORCPT;
	mr_status status = authz_post(caller, from);
	if (status != MR_OK)
		return status;
	char header[STORE_PRINCIPAL_MAX + 16];
	snprintf(header, sizeof(header), "Sender: %s", caller->principal);
	return mailstore_status(store_upload_prepend_header(mailstore(), caller->mailbox, upload, header),
				MR_ERR_NOUPLOAD, MR_ERR_MISMATCH);
}

void proc_upload_commit_submit(struct caller *caller, void *args_, void *res_)
{
	mr_commit_submit_args *args = args_;
	mr_submit_res *res = res_;
	u_int n = args->rcpts.rcpts_len;
	res->bad_rcpt = MR_NO_RCPT;
	target_set(caller, "upload=%llu rcpts=%u%s%s", (unsigned long long)args->upload, n,
		   args->from[0] ? " from=" : "", args->from);

	if (n == 0) {
		res->status = MR_ERR_INVALID;
		return;
	}
	for (u_int i = 0; i < n; i++) {
		if (!identity_valid_mailbox(args->rcpts.rcpts_val[i])) {
			res->status = MR_ERR_NORCPT;
			res->bad_rcpt = i;
			return;
		}
	}
	const char *from = args->from[0] ? args->from : caller->mailbox;
	uint64_t sent = 0;
	const unsigned char *op = proc_op_of(args->op);
	/* A retried send on behalf finds its upload consumed: answer it
	 * before send_as looks for the upload. */
	if (op && store_op_find(mailstore(), caller->mailbox, op, STORE_OP_SUBMIT, &sent) == STORE_OK) {
		res->status = MR_OK;
		res->sent_id = sent;
		target_set(caller, "upload=%llu rcpts=%u sent_id=%llu (repeated op)",
			   (unsigned long long)args->upload, n, (unsigned long long)sent);
		return;
	}
	if (strcmp(from, caller->mailbox) != 0) {
		res->status = send_as(caller, from, args->upload);
		if (res->status != MR_OK)
			return;
	}
	size_t bad = (size_t)-1;
	int st = store_upload_commit_submit_as(mailstore(), caller->mailbox, args->upload, from,
					       (const char *const *)args->rcpts.rcpts_val, n, op, &sent,
					       &bad);
	res->status = mailstore_status(st, bad < n ? MR_ERR_NORCPT : MR_ERR_NOUPLOAD, MR_ERR_MISMATCH);
	if (bad < n)
		res->bad_rcpt = (u_int)bad;
	if (st == STORE_OK) {
		res->sent_id = sent;
		target_set(caller, "upload=%llu rcpts=%u sent_id=%llu", (unsigned long long)args->upload,
			   n, (unsigned long long)sent);
	}
}

/* A small message in one call: the checks of UPLOAD_COMMIT_APPEND, then
 * one transaction that stores it and records the op. */
void proc_msg_append_op(struct caller *caller, void *args_, void *res_)
{
	mr_msg_append_args *args = args_;
	mr_id_res *res = res_;
	const char *mbox = authz_mailbox(caller);
	uint64_t id = 0;
	target_set(caller, "in=%s folder=\"%s\" len=%u", mbox, args->folder,
		   args->data.data_len);

	const unsigned char *op = proc_op_of(args->op);
	if (proc_op_repeated(caller, op, STORE_OP_APPEND, &id, &res->status)) {
		res->mr_id_res_u.id = id;
		return;
	}
	res->status = append_allowed(caller, args->folder, args->flags);
	if (res->status != MR_OK)
		return;
	store_opname_t name = {caller->mailbox, op};
	int st = store_message_append_op(mailstore(), mbox, args->folder, args->data.data_val,
					 args->data.data_len, args->flags,
					 (const unsigned char *)args->sha256, &name, &id,
					 NULL);
	res->status = mailstore_status(st, MR_ERR_NOFOLDER, MR_ERR_MISMATCH);
	if (st == STORE_OK) {
		res->mr_id_res_u.id = id;
		target_set(caller, "in=%s folder=\"%s\" len=%u id=%llu", mbox, args->folder,
			   args->data.data_len, (unsigned long long)id);
	}
}
