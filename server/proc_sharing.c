/* proc_sharing.c -- MAILBOX_OPEN, ACL_GET, ACL_SET(_OP): working in other mailboxes. */
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "mailstore.h"
#include "procs.h"

void proc_mailbox_open(struct caller *caller, void *args_, void *res_)
{
	mr_name *name = args_;
	mr_res *res = res_;
	target_set(caller, "in=%s", (*name)[0] ? *name : caller->mailbox);
	res->status = authz_open(caller, *name);
}

/* Copies the entries of one folder into the reply. */
static mr_status acl_page(const store_acl_t *acl, const char *path, mr_acl_res *res)
{
	size_t n = 0;
	res->mr_acl_res_u.entries.entries_val = calloc(acl->count ? acl->count : 1, sizeof(mr_acl_entry));
	if (res->mr_acl_res_u.entries.entries_val == NULL)
		return MR_ERR_INTERNAL;
	for (size_t i = 0; i < acl->count && n < MAILRPC_ACL_MAX; i++) {
		if (strcmp(acl->items[i].path, path) != 0)
			continue;
		char letters[16];
		mr_acl_entry *e = &res->mr_acl_res_u.entries.entries_val[n++];
		e->principal = strdup(acl->items[i].principal);
		e->rights = strdup(store_rights_format(acl->items[i].rights, letters));
		res->mr_acl_res_u.entries.entries_len = (u_int)n;
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
	const char *mbox = authz_mailbox(caller);
	target_set(caller, "in=%s folder=\"%s\"", mbox, *path);
	res->status = authz_existing_folder(caller, *path, R_ADMIN);
	if (res->status != MR_OK)
		return;
	int st = store_acl_list(mailstore(), mbox, &acl);
	res->status = st == STORE_OK ? acl_page(acl, *path, res)
				     : mailstore_status(st, MR_ERR_NOFOLDER, MR_ERR_INVALID);
	store_acl_free(&acl);
}

static void acl_set(struct caller *caller, const unsigned char *op, const mr_acl_set_args *args,
		    mr_res *res)
{
	uint32_t rights;
	target_set(caller, "in=%s folder=\"%s\" principal=%s rights=%s", authz_mailbox(caller),
		   args->folder, args->principal, args->rights[0] ? args->rights : "-");
	if (proc_op_repeated(caller, op, STORE_OP_ACL_SET, NULL, &res->status))
		return;
	if (args->principal[0] == '\0' || store_rights_parse(args->rights, &rights) != STORE_OK) {
		res->status = MR_ERR_INVALID;
		return;
	}
	res->status = authz_folder(caller, args->folder, R_ADMIN);
	store_opname_t name = {caller->mailbox, op};
	if (res->status == MR_OK)
		res->status = mailstore_status(store_acl_set_op(mailstore(), authz_mailbox(caller),
								args->folder, args->principal, rights,
								&name, NULL),
					       MR_ERR_NOFOLDER, MR_ERR_INVALID);
}

void proc_acl_set(struct caller *caller, void *args, void *res)
{
	acl_set(caller, NULL, args, res);
}

void proc_acl_set_op(struct caller *caller, void *args_, void *res)
{
	mr_acl_set_op_args *args = args_;
	acl_set(caller, proc_op_of(args->op), &args->acl, res);
}
