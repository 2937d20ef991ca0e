/* proc_folders.c -- FOLDER_LIST, FOLDER_GET, FOLDER_CREATE, FOLDER_RENAME, FOLDER_DELETE. */
#include <stdlib.h>
#include <string.h>

#include "procs.h"

static void folder_out(const store_folder_info_t *in, mr_folder *f)
{
	f->total = in->total;
	f->unread = in->unread;
	f->size = in->bytes;
	f->well_known = in->well_known != 0;
}

/* As many of list's folders as fit the reply budget. */
static mr_status fill_page(const store_folder_list_t *list, uint64_t offset, mr_folder_page *page)
{
	page->folders.folders_val = calloc(list->count ? list->count : 1, sizeof(mr_folder));
	if (page->folders.folders_val == NULL)
		return MR_ERR_INTERNAL;
	size_t used = 0, n = 0;
	for (; n < list->count; n++) {
		mr_folder *f = &page->folders.folders_val[n];
		folder_out(&list->items[n], f);
		if ((f->path = strdup(list->items[n].path)) == NULL) {
			/* An error result's arm is not freed by xdr_free: do it here. */
			page->folders.folders_len = (u_int)n;
			xdr_free((xdrproc_t)xdr_mr_folder_page, (char *)page);
			memset(page, 0, sizeof(*page));
			return MR_ERR_INTERNAL;
		}
		used += xdr_sizeof((xdrproc_t)xdr_mr_folder, f);
		if (used > MAILRPC_REPLY_BUDGET) {
			free(f->path);
			break;
		}
	}
	page->folders.folders_len = (u_int)n;
	page->total = list->total;
	page->more = offset + n < list->total;
	return MR_OK;
}

void proc_folder_list(struct caller *caller, void *args_, void *res_)
{
	mr_folder_list_args *args = args_;
	mr_folder_list_res *res = res_;
	store_folder_list_t *list = NULL;
	target_set(caller, "in=%s", mail_session_target(caller->session));
	res->status =
	    (mr_status)mail_folder_list(caller->session, args->offset, MAILRPC_PAGE_MAX, &list);
	if (res->status == MR_OK)
		res->status = fill_page(list, args->offset, &res->mr_folder_list_res_u.page);
	store_folder_list_free(&list);
}

void proc_folder_get(struct caller *caller, void *args_, void *res_)
{
	mr_path *path = args_;
	mr_folder_get_res *res = res_;
	mr_folder_info *out = &res->mr_folder_get_res_u.info;
	store_folder_info_t info;
	target_set(caller, "in=%s folder=%s", mail_session_target(caller->session),
		   target_safe(caller, *path));
	res->status = (mr_status)mail_folder_get(caller->session, *path, &info, &out->next_id);
	if (res->status != MR_OK)
		return;
	out->id = info.id;
	folder_out(&info, &out->folder);
	if ((out->folder.path = strdup(info.path)) == NULL)
		res->status = MR_ERR_INTERNAL;
}

void proc_folder_create(struct caller *caller, void *args_, void *res_)
{
	mr_folder_create_args *args = args_;
	mr_res *res = res_;
	store_result_t r;
	target_set(caller, "in=%s folder=%s", mail_session_target(caller->session),
		   target_safe(caller, args->path));
	res->status = (mr_status)mail_folder_create(caller->session, (unsigned char *)args->op,
						    args->path, &r);
	target_done(caller, &r);
}

void proc_folder_rename(struct caller *caller, void *args_, void *res_)
{
	mr_folder_rename_args *args = args_;
	mr_res *res = res_;
	store_result_t r;
	target_set(caller, "in=%s folder=%s to=%s", mail_session_target(caller->session),
		   target_safe(caller, args->from), target_safe(caller, args->to));
	res->status = (mr_status)mail_folder_rename(caller->session, (unsigned char *)args->op,
						    args->from, args->to, &r);
	target_done(caller, &r);
}

void proc_folder_delete(struct caller *caller, void *args_, void *res_)
{
	mr_folder_delete_args *args = args_;
	mr_res *res = res_;
	store_result_t r;
	target_set(caller, "in=%s folder=%s%s", mail_session_target(caller->session),
		   target_safe(caller, args->path), args->recursive ? " recursive" : "");
	res->status = (mr_status)mail_folder_delete(caller->session, (unsigned char *)args->op,
						    args->path, args->recursive, &r);
	target_done(caller, &r);
}
