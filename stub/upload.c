/*
 * upload.c -- the UPLOAD_* building blocks: begin, append a chunk, ask
 * where an upload stands, abort, and commit as an append or a send,
 * each commit named by an operation id so that retrying it is safe.
 */
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

int mailrpc_opid_new(unsigned char op[MAILRPC_OPID_SIZE], struct mailrpc_error *err)
{
	if (RAND_bytes(op, MAILRPC_OPID_SIZE) != 1)
		return mr_fail(err, MAILRPC_E_NOMEM, "no random bytes for an operation id");
	return MAILRPC_OK;
}

static int upload_call(struct mailrpc *conn, rpcproc_t proc, xdrproc_t xargs, void *args,
		       uint64_t upload, uint64_t *received_r, uint64_t *size_r,
		       struct mailrpc_error *err)
{
	mr_upload_res res;
	memset(&res, 0, sizeof(res));
	int status = mr_call(conn, proc, xargs, args, (xdrproc_t)xdr_mr_upload_res, &res, err);
	if (status == MAILRPC_OK || status == MAILRPC_E_OFFSET) {
		if (received_r)
			*received_r = res.mr_upload_res_u.state.received;
		if (size_r)
			*size_r = res.mr_upload_res_u.state.size;
	}
	if (status == MAILRPC_E_NOUPLOAD)
		mr_annotate(err, "%llu", (unsigned long long)upload);
	xdr_free((xdrproc_t)xdr_mr_upload_res, &res);
	return status;
}

int mailrpc_upload_begin(struct mailrpc *conn, uint64_t size, const unsigned char *sha256,
			 uint64_t *upload_r, struct mailrpc_error *err)
{
	*upload_r = 0;
	if (conn == NULL || sha256 == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "mailrpc_upload_begin: no connection or digest");
	mr_upload_begin_args args = {.size = size};
	memcpy(args.sha256, sha256, sizeof(args.sha256));
	mr_upload_res res;
	memset(&res, 0, sizeof(res));
	/* An op id: a repeat after a lost reply gets the same upload. */
	int status = mailrpc_opid_new((unsigned char *)args.op, err);
	if (status == MAILRPC_OK)
		status = mr_call(conn, MR_UPLOAD_BEGIN, (xdrproc_t)xdr_mr_upload_begin_args, &args,
				 (xdrproc_t)xdr_mr_upload_res, &res, err);
	if (status == MAILRPC_OK)
		*upload_r = res.mr_upload_res_u.state.upload;
	xdr_free((xdrproc_t)xdr_mr_upload_res, &res);
	return status;
}

int mailrpc_upload_append(struct mailrpc *conn, uint64_t upload, uint64_t offset,
			  const void *data, size_t len, uint64_t *received_r,
			  struct mailrpc_error *err)
{
	if (conn == NULL || len > MAILRPC_CHUNK_MAX)
		return mr_fail(err, MAILRPC_E_USAGE, "mailrpc_upload_append: at most %d bytes a chunk",
			       MAILRPC_CHUNK_MAX);
	/* No op id: the offset makes a repeat harmless (MR_ERR_OFFSET says
	 * where the upload stands). */
	mr_upload_append_args args = {.upload = upload, .offset = offset,
				      .data = {.data_len = (u_int)len, .data_val = (char *)data}};
	return upload_call(conn, MR_UPLOAD_APPEND, (xdrproc_t)xdr_mr_upload_append_args, &args,
			   upload, received_r, NULL, err);
}

int mailrpc_upload_status(struct mailrpc *conn, uint64_t upload, uint64_t *received_r,
			  uint64_t *size_r, struct mailrpc_error *err)
{
	mr_upload_ref args = {.upload = upload};
	return upload_call(conn, MR_UPLOAD_STATUS, (xdrproc_t)xdr_mr_upload_ref, &args, upload,
			   received_r, size_r, err);
}

int mailrpc_upload_abort(struct mailrpc *conn, uint64_t upload, struct mailrpc_error *err)
{
	mr_upload_abort_args args = {.upload = upload};
	mr_res res = {0};
	/* An op id: a repeat after a lost reply is not told "no such upload". */
	int status = mailrpc_opid_new((unsigned char *)args.op, err);
	if (status == MAILRPC_OK)
		status = mr_call(conn, MR_UPLOAD_ABORT, (xdrproc_t)xdr_mr_upload_abort_args, &args,
				 (xdrproc_t)xdr_mr_res, &res, err);
	if (status == MAILRPC_E_NOUPLOAD)
		mr_annotate(err, "%llu", (unsigned long long)upload);
	return status;
}

int mailrpc_upload_commit_append(struct mailrpc *conn, uint64_t upload, const char *folder,
				 unsigned flags, uint64_t *id_r, struct mailrpc_error *err)
{
	unsigned char op[MAILRPC_OPID_SIZE];
	*id_r = 0;
	int status = mailrpc_opid_new(op, err);
	return status != MAILRPC_OK ? status
				    : mailrpc_upload_commit_append_op(conn, upload, folder, flags, op,
								      id_r, err);
}

int mailrpc_upload_commit_append_op(struct mailrpc *conn, uint64_t upload, const char *folder,
				    unsigned flags, const unsigned char op[MAILRPC_OPID_SIZE],
				    uint64_t *id_r, struct mailrpc_error *err)
{
	*id_r = 0;
	if (conn == NULL || folder == NULL || op == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "mailrpc_upload_commit_append: no connection, folder or op id");
	mr_commit_append_args args = {.upload = upload, .folder = (char *)folder, .flags = flags};
	memcpy(args.op, op, sizeof(args.op));
	mr_id_res res;
	memset(&res, 0, sizeof(res));
	/* Retried after a lost link with the same op id (mr_call). */
	int status = mr_call(conn, MR_UPLOAD_COMMIT_APPEND, (xdrproc_t)xdr_mr_commit_append_args,
			     &args, (xdrproc_t)xdr_mr_id_res, &res, err);
	if (status == MAILRPC_OK)
		*id_r = res.mr_id_res_u.id;
	else if (status == MAILRPC_E_NOFOLDER || status == MAILRPC_E_BADNAME)
		mr_annotate(err, "%s", folder);
	xdr_free((xdrproc_t)xdr_mr_id_res, &res);
	return status;
}

int mailrpc_upload_commit_submit(struct mailrpc *conn, uint64_t upload, const char *from,
				 const char *const *rcpts, size_t n, uint64_t *sent_id_r,
				 struct mailrpc_error *err)
{
	struct mailrpc_sent sent;
	int status = mailrpc_upload_commit_send(conn, upload, from, rcpts, n, &sent, err);
	*sent_id_r = sent.sent_id;
	return status;
}

int mailrpc_upload_commit_submit_op(struct mailrpc *conn, uint64_t upload, const char *from,
				    const char *const *rcpts, size_t n,
				    const unsigned char op[MAILRPC_OPID_SIZE], uint64_t *sent_id_r,
				    struct mailrpc_error *err)
{
	struct mailrpc_sent sent;
	int status = mailrpc_upload_commit_send_op(conn, upload, from, rcpts, n, op, &sent, err);
	*sent_id_r = sent.sent_id;
	return status;
}

int mailrpc_upload_commit_send(struct mailrpc *conn, uint64_t upload, const char *from,
			       const char *const *rcpts, size_t n, struct mailrpc_sent *sent_r,
			       struct mailrpc_error *err)
{
	unsigned char op[MAILRPC_OPID_SIZE];
	memset(sent_r, 0, sizeof(*sent_r));
	int status = mailrpc_opid_new(op, err);
	return status != MAILRPC_OK ? status
				    : mailrpc_upload_commit_send_op(conn, upload, from, rcpts, n, op,
								    sent_r, err);
}

/* The server's refusal of a send in words: which recipient, or which
 * sender address. */
static void send_refusal(struct mailrpc_error *err, int status, const mr_send_res *res,
			 const char *const *rcpts, size_t n)
{
	u_int i = res->mr_send_res_u.rcpt;
	if (status == MAILRPC_E_NORCPT && i < n)
		mr_fail(err, status, "cannot deliver to %s; nothing was delivered to anyone",
			rcpts[i]);
	else if (status == MAILRPC_E_INVALID && i < n)
		mr_fail(err, status, "%s is not a valid address; nothing was sent", rcpts[i]);
	else if (status == MAILRPC_E_SENDER && res->mr_send_res_u.address[0] != '\0')
		mr_fail(err, status, "you may not send as %s; nothing was sent",
			res->mr_send_res_u.address);
	else if (status == MAILRPC_E_SENDER)
		mr_fail(err, status, "you have no address for mail to other domains (the server "
				     "has no mail domain); nothing was sent");
}

int mailrpc_upload_commit_send_op(struct mailrpc *conn, uint64_t upload, const char *from,
				  const char *const *rcpts, size_t n,
				  const unsigned char op[MAILRPC_OPID_SIZE],
				  struct mailrpc_sent *sent_r, struct mailrpc_error *err)
{
	memset(sent_r, 0, sizeof(*sent_r));
	if (conn == NULL || op == NULL || n == 0 || n > MAILRPC_RCPT_MAX)
		return mr_fail(err, MAILRPC_E_USAGE, "a message goes to 1 to %d recipients",
			       MAILRPC_RCPT_MAX);
	for (size_t i = 0; i < n; i++)
		if (strlen(rcpts[i]) > MAILRPC_ADDRESS_MAX)
			return mr_fail(err, MAILRPC_E_INVALID, "recipient %.40s...: longer than %d bytes",
				       rcpts[i], MAILRPC_ADDRESS_MAX);
	mr_commit_send_args args = {.upload = upload,
				    .rcpts = {.rcpts_len = (u_int)n, .rcpts_val = (mr_address *)rcpts},
				    .from = (char *)(from ? from : "")};
	memcpy(args.op, op, sizeof(args.op));
	mr_send_res res;
	memset(&res, 0, sizeof(res));
	int status = mr_call(conn, MR_UPLOAD_COMMIT_SEND, (xdrproc_t)xdr_mr_commit_send_args, &args,
			     (xdrproc_t)xdr_mr_send_res, &res, err);
	if (status == MAILRPC_OK) {
		sent_r->sent_id = res.mr_send_res_u.sent.sent_id;
		sent_r->local = res.mr_send_res_u.sent.local;
		sent_r->remote = res.mr_send_res_u.sent.remote;
	} else {
		send_refusal(err, status, &res, rcpts, n);
	}
	xdr_free((xdrproc_t)xdr_mr_send_res, &res);
	return status;
}
