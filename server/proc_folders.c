/* proc_folders.c -- FOLDER_LIST, FOLDER_CREATE, FOLDER_RENAME, FOLDER_DELETE. */
#include <stdlib.h>
#include <string.h>

#include "mailstore.h"
#include "procs.h"

/* A folder call's "not found" is the folder; its "invalid" is the name. */
static mr_status folder_status(int st)
{
	return mailstore_status(st, MR_ERR_NOFOLDER, MR_ERR_BADNAME);
}

void proc_folder_list(struct caller *caller, void *args_, void *res_)
{
	mr_folder_list_args *args = args_;
	mr_folder_list_res *res = res_;
	mr_folder_page *page = &res->mr_folder_list_res_u.page;
	store_folder_list_t *list = NULL;

	int st = store_folder_list(mailstore(), caller->mailbox, args->offset, MAILRPC_PAGE_MAX, &list);
	if (st != STORE_OK) {
		res->status = folder_status(st);
		return;
	}
	page->folders.folders_val = calloc(list->count ? list->count : 1, sizeof(mr_folder));
	if (page->folders.folders_val == NULL) {
		res->status = MR_ERR_INTERNAL;
		goto cleanup;
	}
	/* A folder is at most ~300 bytes encoded; count the budget anyway. */
	size_t used = 0, n = 0;
	for (; n < list->count; n++) {
		mr_folder *f = &page->folders.folders_val[n];
		const store_folder_info_t *in = &list->items[n];
		f->path = strdup(in->path);
		if (f->path == NULL) {
			/* An error result's arm is not freed by xdr_free: do it here. */
			page->folders.folders_len = (u_int)n;
			xdr_free((xdrproc_t)xdr_mr_folder_page, (char *)page);
			memset(page, 0, sizeof(*page));
			res->status = MR_ERR_INTERNAL;
			goto cleanup;
		}
		f->total = in->total;
		f->unread = in->unread;
		f->size = in->bytes;
		f->well_known = in->well_known != 0;
		used += xdr_sizeof((xdrproc_t)xdr_mr_folder, f);
		if (used > MAILRPC_REPLY_BUDGET) {
			free(f->path);
			break;
		}
	}
	page->folders.folders_len = (u_int)n;
	page->total = list->total;
	page->more = args->offset + n < list->total;
	res->status = MR_OK;
cleanup:
	store_folder_list_free(&list);
}

void proc_folder_create(struct caller *caller, void *args_, void *res_)
{
	mr_path *path = args_;
	mr_res *res = res_;
	target_set(caller, "folder=\"%s\"", *path);
	res->status = folder_status(store_folder_create(mailstore(), caller->mailbox, *path));
}

void proc_folder_rename(struct caller *caller, void *args_, void *res_)
{
	mr_folder_rename_args *args = args_;
	mr_res *res = res_;
	target_set(caller, "folder=\"%s\" to=\"%s\"", args->from, args->to);
	res->status = folder_status(store_folder_rename(mailstore(), caller->mailbox, args->from, args->to));
}

void proc_folder_delete(struct caller *caller, void *args_, void *res_)
{
	mr_folder_delete_args *args = args_;
	mr_res *res = res_;
	target_set(caller, "folder=\"%s\"%s", args->path, args->recursive ? " recursive" : "");
	res->status = folder_status(
		store_folder_delete(mailstore(), caller->mailbox, args->path, args->recursive));
}
