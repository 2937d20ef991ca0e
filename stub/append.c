/*
 * append.c -- mailrpc_append: a message that fits one chunk, stored by one
 * call (MSG_APPEND) instead of begin, data and commit: one round trip,
 * one durable commit on the server.  It carries a fresh operation id, so
 * mr_call may repeat it after a lost connection and it is stored once.
 */
#include <openssl/evp.h>
#include <string.h>

#include "internal.h"

int mailrpc_append(struct mailrpc *conn, const char *folder, const void *data, size_t len,
		   unsigned flags, uint64_t *id_r, struct mailrpc_error *err)
{
	*id_r = 0;
	if (conn == NULL || folder == NULL || (data == NULL && len > 0))
		return mr_fail(err, MAILRPC_E_USAGE, "mailrpc_append: no connection, folder or data");
	if (len > MAILRPC_APPEND_MAX)
		return mr_fail(err, MAILRPC_E_USAGE,
			       "mailrpc_append takes at most %u bytes (this is %zu); use mailrpc_put",
			       MAILRPC_APPEND_MAX, len);
	int status = mr_check_path(folder, err);
	if (status != MAILRPC_OK)
		return status;
	mr_msg_append_args args = {.folder = (char *)folder,
				   .flags = flags,
				   .data = {(u_int)len, (char *)(len ? data : "")}};
	status = mailrpc_opid_new((unsigned char *)args.op, err);
	if (status != MAILRPC_OK)
		return status;
	if (EVP_Digest(len ? data : "", len, (unsigned char *)args.sha256, NULL, EVP_sha256(),
		       NULL) != 1)
		return mr_fail(err, MAILRPC_E_NOMEM, "cannot compute SHA-256");
	mr_id_res res;
	memset(&res, 0, sizeof(res));
	status = mr_call(conn, MR_MSG_APPEND, (xdrproc_t)xdr_mr_msg_append_args, &args,
			 (xdrproc_t)xdr_mr_id_res, &res, err);
	if (status == MAILRPC_OK)
		*id_r = res.mr_id_res_u.id;
	else if (status == MAILRPC_E_NOFOLDER || status == MAILRPC_E_BADNAME)
		mr_annotate(err, "%s", folder);
	xdr_free((xdrproc_t)xdr_mr_id_res, &res);
	return status;
}
