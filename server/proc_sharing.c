/* proc_sharing.c -- ACL_GET, ACL_SET, MYRIGHTS: rights in shared mailboxes. */
#include <stdlib.h>
#include <string.h>

#include "procs.h"

/* Copies the entries (one folder's) into the reply, MAILRPC_ACL_MAX at most. */
static mr_status acl_page(const store_acl_t *acl, mr_acl_res *res)
{
	size_t n = acl->count < MAILRPC_ACL_MAX ? acl->count : MAILRPC_ACL_MAX;
	res->mr_acl_res_u.entries.entries_val = calloc(n ? n : 1, sizeof(mr_acl_entry));
	if (res->mr_acl_res_u.entries.entries_val == NULL)
		return MR_ERR_INTERNAL;
	for (size_t i = 0; i < n; i++) {
		char letters[16];
		mr_acl_entry *e = &res->mr_acl_res_u.entries.entries_val[i];
		e->principal = strdup(acl->items[i].principal);
		e->rights = strdup(store_rights_format(acl->items[i].rights, letters));
		res->mr_acl_res_u.entries.entries_len = (u_int)i + 1;
		if (e->principal == NULL || e->rights == NULL) {
			xdr_free((xdrproc_t)xdr_mr_acl_res, (char *)res);
			return MR_ERR_INTERNAL;
		}
	}
	return MR_OK;
}

void proc_acl_get(struct caller *caller, void *args_, void *res_)
{
	mr_path *path = args_;
	mr_acl_res *res = res_;
	store_acl_t *acl = NULL;
	target_set(caller, "in=%s folder=%s", mail_session_target(caller->session),
		   target_safe(caller, *path));
	res->status = (mr_status)mail_acl_get(caller->session, *path, &acl);
	if (res->status == MR_OK)
		res->status = acl_page(acl, res);
	store_acl_free(&acl);
}

void proc_acl_set(struct caller *caller, void *args_, void *res_)
{
	mr_acl_set_args *args = args_;
	mr_res *res = res_;
	store_result_t r;
	target_set(caller, "in=%s folder=%s principal=%s rights=%s",
		   mail_session_target(caller->session), target_safe(caller, args->folder),
		   target_safe(caller, args->principal), target_safe(caller, args->rights));
	res->status = (mr_status)mail_acl_set(caller->session, (unsigned char *)args->op,
					      args->folder, args->principal, args->rights, &r);
	target_done(caller, &r);
}

void proc_myrights(struct caller *caller, void *args_, void *res_)
{
	mr_path *path = args_;
	mr_rights_res *res = res_;
	uint32_t rights = 0;
	char letters[16];
	target_set(caller, "in=%s folder=%s", mail_session_target(caller->session),
		   target_safe(caller, *path));
	res->status = (mr_status)mail_myrights(caller->session, *path, &rights);
	if (res->status == MR_OK &&
	    (res->mr_rights_res_u.rights = strdup(store_rights_format(rights, letters))) == NULL)
		res->status = MR_ERR_INTERNAL;
}
