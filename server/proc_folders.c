/*
 * proc_folders.c -- FOLDER_LIST, FOLDER_CREATE, FOLDER_RENAME,
 * FOLDER_DELETE, and the _OP forms of the last three (see mr_opid).
 */
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "mailstore.h"
#include "procs.h"

/* A folder call's "not found" is the folder; its "invalid" is the name. */
static mr_status folder_status(int st)
{
	return mailstore_status(st, MR_ERR_NOFOLDER, MR_ERR_BADNAME);
}

/* The parent of path ("" for a top-level folder). */
static void parent_of(const char *path, char *parent, size_t len)
{
	const char *slash = strrchr(path, '/');
	snprintf(parent, len, "%.*s", slash ? (int)(slash - path) : 0, path);
}

/* Creating at the root of the public folders is for its administrators. */
static uint32_t create_right(const struct caller *caller, const char *parent)
{
	return parent[0] == '\0' && strcmp(authz_mailbox(caller), PUBLIC_MAILBOX) == 0 ? R_ADMIN
										      : R_CREATE;
}

/* Appends page's entries to all. */
static int folders_append(store_folder_list_t *all, const store_folder_list_t *page)
{
	if (page->count == 0)
		return STORE_OK;
	void *grown = realloc(all->items, (all->count + page->count) * sizeof(*all->items));
	if (grown == NULL)
		return STORE_INTERNAL;
	all->items = grown;
	memcpy(all->items + all->count, page->items, page->count * sizeof(*page->items));
	all->count += page->count;
	return STORE_OK;
}

/* Every folder of the open mailbox the caller may see (owners: all). */
static int visible_folders(struct caller *caller, store_folder_list_t **list_r)
{
	store_folder_list_t *all = calloc(1, sizeof(*all));
	int st = all ? STORE_OK : STORE_INTERNAL;
	for (uint64_t offset = 0; st == STORE_OK;) {
		store_folder_list_t *page = NULL;
		st = store_folder_list(mailstore(), authz_mailbox(caller), offset, STORE_LIST_MAX, &page);
		if (st != STORE_OK)
			break;
		st = folders_append(all, page);
		offset += page->count;
		int done = page->count == 0 || offset >= page->total;
		store_folder_list_free(&page);
		if (done)
			break;
	}
	if (st != STORE_OK) {
		store_folder_list_free(&all);
		return st;
	}
	size_t kept = 0;
	for (size_t i = 0; i < all->count; i++)
		if (authz_can_see(caller, all->items[i].path))
			all->items[kept++] = all->items[i];
	all->count = kept;
	all->total = kept;
	*list_r = all;
	return STORE_OK;
}

static mr_status fill_page(const store_folder_list_t *list, uint64_t offset, mr_folder_page *page)
{
	size_t avail = offset < list->count ? list->count - (size_t)offset : 0;
	page->folders.folders_val = calloc(avail ? avail : 1, sizeof(mr_folder));
	if (page->folders.folders_val == NULL)
		return MR_ERR_INTERNAL;
	size_t used = 0, n = 0;
	for (; n < avail && n < MAILRPC_PAGE_MAX; n++) {
		mr_folder *f = &page->folders.folders_val[n];
		const store_folder_info_t *in = &list->items[offset + n];
		f->path = strdup(in->path);
		if (f->path == NULL) {
			/* An error result's arm is not freed by xdr_free: do it here. */
			page->folders.folders_len = (u_int)n;
			xdr_free((xdrproc_t)xdr_mr_folder_page, (char *)page);
			memset(page, 0, sizeof(*page));
			return MR_ERR_INTERNAL;
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
	page->more = offset + n < list->count;
	return MR_OK;
}

void proc_folder_list(struct caller *caller, void *args_, void *res_)
{
	mr_folder_list_args *args = args_;
	mr_folder_list_res *res = res_;
	store_folder_list_t *list = NULL;
	target_set(caller, "in=%s", authz_mailbox(caller));
	int st = visible_folders(caller, &list);
	/* A mailbox that does not exist lists like one with nothing to see. */
	if (st == STORE_NOTFOUND && !authz_is_owner(caller)) {
		res->mr_folder_list_res_u.page.folders.folders_val = NULL;
		res->status = MR_OK;
		return;
	}
	res->status = st == STORE_OK ? fill_page(list, args->offset, &res->mr_folder_list_res_u.page)
				     : folder_status(st);
	store_folder_list_free(&list);
}

static void folder_create(struct caller *caller, const unsigned char *op, const char *path,
			  mr_res *res)
{
	char parent[STORE_PATH_MAX + 1];
	target_set(caller, "in=%s folder=\"%s\"", authz_mailbox(caller), path);
	if (proc_op_repeated(caller, op, STORE_OP_FOLDER_CREATE, NULL, &res->status))
		return;
	parent_of(path, parent, sizeof(parent));
	res->status = authz_folder(caller, parent, create_right(caller, parent));
	store_opname_t name = {caller->mailbox, op};
	if (res->status == MR_OK)
		res->status = folder_status(
			store_folder_create_op(mailstore(), authz_mailbox(caller), path, &name, NULL));
}

static void folder_rename(struct caller *caller, const unsigned char *op,
			  const mr_folder_rename_args *args, mr_res *res)
{
	char parent[STORE_PATH_MAX + 1];
	size_t n = strlen(args->from);
	target_set(caller, "in=%s folder=\"%s\" to=\"%s\"", authz_mailbox(caller), args->from,
		   args->to);
	if (proc_op_repeated(caller, op, STORE_OP_FOLDER_RENAME, NULL, &res->status))
		return;
	parent_of(args->to, parent, sizeof(parent));
	res->status = authz_folder(caller, args->from, R_DELETE_FOLDER);
	if (res->status == MR_OK)
		res->status = authz_folder(caller, parent, create_right(caller, parent));
	if (res->status != MR_OK)
		return;
	/* Say why, rather than the store's generic "invalid name". */
	if (strncmp(args->to, args->from, n) == 0 && (args->to[n] == '/' || args->to[n] == '\0')) {
		res->status = MR_ERR_INVALID;
		return;
	}
	store_opname_t name = {caller->mailbox, op};
	res->status = folder_status(store_folder_rename_op(mailstore(), authz_mailbox(caller),
							   args->from, args->to, &name, NULL));
}

static void folder_delete(struct caller *caller, const unsigned char *op,
			  const mr_folder_delete_args *args, mr_res *res)
{
	target_set(caller, "in=%s folder=\"%s\"%s", authz_mailbox(caller), args->path,
		   args->recursive ? " recursive" : "");
	if (proc_op_repeated(caller, op, STORE_OP_FOLDER_DELETE, NULL, &res->status))
		return;
	res->status = authz_folder(caller, args->path, R_DELETE_FOLDER);
	store_opname_t name = {caller->mailbox, op};
	if (res->status == MR_OK)
		res->status = folder_status(store_folder_delete_op(
			mailstore(), authz_mailbox(caller), args->path, args->recursive, &name, NULL));
}

void proc_folder_create(struct caller *caller, void *args, void *res)
{
	folder_create(caller, NULL, *(mr_path *)args, res);
}

void proc_folder_rename(struct caller *caller, void *args, void *res)
{
	folder_rename(caller, NULL, args, res);
}

void proc_folder_delete(struct caller *caller, void *args, void *res)
{
	folder_delete(caller, NULL, args, res);
}

void proc_folder_create_op(struct caller *caller, void *args_, void *res)
{
	mr_folder_create_op_args *args = args_;
	folder_create(caller, proc_op_of(args->op), args->path, res);
}

void proc_folder_rename_op(struct caller *caller, void *args_, void *res)
{
	mr_folder_rename_op_args *args = args_;
	folder_rename(caller, proc_op_of(args->op), &args->rename, res);
}

void proc_folder_delete_op(struct caller *caller, void *args_, void *res)
{
	mr_folder_delete_op_args *args = args_;
	folder_delete(caller, proc_op_of(args->op), &args->del, res);
}
