/* sharing.c -- opening other mailboxes, reading or changing ACLs, your
 * own rights and the mailbox's quota (see mailrpc.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef int call_fn(struct mailrpc *conn, rpcproc_t proc, xdrproc_t xargs, void *args,
		    xdrproc_t xres, void *res, struct mailrpc_error *err);

/* MAILBOX_OPEN through call (mr_call, or mr_call_once on a new link). */
static int open_mailbox(struct mailrpc *conn, const char *name, call_fn *call,
			struct mailrpc_error *err)
{
	mr_res res = {0};
	int status = call(conn, MR_MAILBOX_OPEN, (xdrproc_t)xdr_mr_name, &name,
			  (xdrproc_t)xdr_mr_res, &res, err);
	if (status == MAILRPC_E_BADNAME)
		mr_fail(err, status, "invalid mailbox name: %s", name);
	return status;
}

int mailrpc_open_mailbox(struct mailrpc *conn, const char *mailbox, struct mailrpc_error *err)
{
	if (conn == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "not connected");
	const char *name = mailbox ? mailbox : "";
	if (strlen(name) > MAILRPC_NAME_MAX)
		return mr_fail(err, MAILRPC_E_BADNAME, "mailbox name too long");
	int status = open_mailbox(conn, name, mr_call, err);
	if (status == MAILRPC_OK)
		snprintf(conn->mailbox, sizeof(conn->mailbox), "%s", name);
	return status;
}

int mr_mailbox_ready(struct mr_link *link, void *owner, struct mailrpc_error *err)
{
	struct mailrpc *conn = owner;
	(void)link;
	if (conn->mailbox[0] == '\0')
		return MAILRPC_OK;
	return open_mailbox(conn, conn->mailbox, mr_call_once, err);
}

/* The root is "" on the wire; people write "/". */
static const char *wire_folder(const char *folder)
{
	return folder == NULL || strcmp(folder, "/") == 0 ? "" : folder;
}

int mailrpc_acl_get(struct mailrpc *conn, const char *folder, struct mailrpc_acl_entry **entries_r,
		    size_t *count_r, struct mailrpc_error *err)
{
	*entries_r = NULL;
	*count_r = 0;
	if (conn == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "not connected");
	const char *path = wire_folder(folder);
	int status = path[0] ? mr_check_path(path, err) : MAILRPC_OK;
	if (status != MAILRPC_OK)
		return status;
	mr_acl_res res;
	memset(&res, 0, sizeof(res));
	status = mr_call(conn, MR_ACL_GET, (xdrproc_t)xdr_mr_path, &path, (xdrproc_t)xdr_mr_acl_res,
			 &res, err);
	if (status == MAILRPC_OK) {
		u_int n = res.mr_acl_res_u.entries.entries_len;
		struct mailrpc_acl_entry *e = calloc(n ? n : 1, sizeof(*e));
		if (e == NULL) {
			status = mr_fail(err, MAILRPC_E_NOMEM, "out of memory");
		} else {
			for (u_int i = 0; i < n; i++) {
				const mr_acl_entry *w = &res.mr_acl_res_u.entries.entries_val[i];
				snprintf(e[i].principal, sizeof(e[i].principal), "%s",
					 w->principal);
				snprintf(e[i].rights, sizeof(e[i].rights), "%s", w->rights);
			}
			*entries_r = e;
			*count_r = n;
		}
	} else if (status == MAILRPC_E_NOFOLDER || status == MAILRPC_E_DENIED) {
		mr_annotate(err, "%s", path[0] ? path : "/");
	}
	xdr_free((xdrproc_t)xdr_mr_acl_res, &res);
	return status;
}

int mailrpc_acl_set(struct mailrpc *conn, const char *folder, const char *principal,
		    const char *rights, struct mailrpc_error *err)
{
	if (conn == NULL || principal == NULL || principal[0] == '\0' || rights == NULL)
		return mr_fail(err, MAILRPC_E_USAGE,
			       "mailrpc_acl_set: folder, principal and rights needed");
	if (strlen(principal) > MAILRPC_PRINCIPAL_MAX || strlen(rights) > MAILRPC_RIGHTS_MAX ||
	    strspn(rights, "lrswipkxtea") != strlen(rights))
		return mr_fail(err, MAILRPC_E_INVALID,
			       "rights are letters from \"lrswipkxtea\" (RFC 4314), not \"%s\"",
			       rights);
	const char *path = wire_folder(folder);
	int status = path[0] ? mr_check_path(path, err) : MAILRPC_OK;
	if (status != MAILRPC_OK)
		return status;
	mr_acl_set_args args = {
	    .folder = (char *)path, .principal = (char *)principal, .rights = (char *)rights};
	mr_res res = {0};
	/* An op id: mr_call may repeat it after a lost connection. */
	status = mailrpc_opid_new((unsigned char *)args.op, err);
	if (status == MAILRPC_OK)
		status = mr_call(conn, MR_ACL_SET, (xdrproc_t)xdr_mr_acl_set_args, &args,
				 (xdrproc_t)xdr_mr_res, &res, err);
	if (status == MAILRPC_E_NOFOLDER || status == MAILRPC_E_DENIED)
		mr_annotate(err, "%s", path[0] ? path : "/");
	return status;
}

int mailrpc_myrights(struct mailrpc *conn, const char *folder, char rights_r[16],
		     struct mailrpc_error *err)
{
	rights_r[0] = '\0';
	if (conn == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "not connected");
	int status = mr_check_path(folder, err);
	if (status != MAILRPC_OK)
		return status;
	mr_rights_res res;
	memset(&res, 0, sizeof(res));
	status = mr_call(conn, MR_MYRIGHTS, (xdrproc_t)xdr_mr_path, &folder,
			 (xdrproc_t)xdr_mr_rights_res, &res, err);
	if (status == MAILRPC_OK)
		snprintf(rights_r, 16, "%s", res.mr_rights_res_u.rights);
	else if (status == MAILRPC_E_NOFOLDER)
		mr_annotate(err, "%s", folder);
	xdr_free((xdrproc_t)xdr_mr_rights_res, &res);
	return status;
}

int mailrpc_quota(struct mailrpc *conn, struct mailrpc_quota *quota_r, struct mailrpc_error *err)
{
	memset(quota_r, 0, sizeof(*quota_r));
	if (conn == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "not connected");
	mr_quota_res res;
	memset(&res, 0, sizeof(res));
	int status = mr_call(conn, MR_QUOTA, (xdrproc_t)xdr_void, NULL, (xdrproc_t)xdr_mr_quota_res,
			     &res, err);
	if (status == MAILRPC_OK) {
		quota_r->used = res.mr_quota_res_u.quota.used;
		quota_r->limit = res.mr_quota_res_u.quota.limit;
		quota_r->messages = res.mr_quota_res_u.quota.messages;
	}
	return status;
}
