/*
 * proc_folder_sync.c -- FOLDER_SYNC: how the folder hierarchy changed
 * since the client's state (deleted folder ids, then created, renamed or
 * otherwise changed folders with their ids), a page at a time within the
 * reply budget.  What each caller may learn is the service's business
 * (mail_folder_sync).
 */
#include <stdlib.h>
#include <string.h>

#include "procs.h"

static mr_status copy_deleted(const store_fsync_page_t *page, mr_folder_sync_page *out)
{
	out->deleted.deleted_val = calloc(page->n_deleted ? page->n_deleted : 1, sizeof(u_quad_t));
	if (out->deleted.deleted_val == NULL)
		return MR_ERR_INTERNAL;
	for (size_t i = 0; i < page->n_deleted; i++)
		out->deleted.deleted_val[i] = page->deleted[i];
	out->deleted.deleted_len = (u_int)page->n_deleted;
	return MR_OK;
}

/* The folders of page within budget bytes; *cut_r when some were left. */
static mr_status copy_folders(const store_fsync_page_t *page, size_t budget,
			      mr_folder_sync_page *out, int *cut_r)
{
	mr_folder_sync_entry *e = calloc(page->n_folders ? page->n_folders : 1, sizeof(*e));
	size_t used = 0;
	*cut_r = 0;
	out->folders.folders_val = e;
	if (e == NULL)
		return MR_ERR_INTERNAL;
	for (size_t i = 0; i < page->n_folders; i++) {
		const store_fsync_entry_t *in = &page->folders[i];
		mr_folder f = {(char *)in->info.path, in->info.total, in->info.unread,
			       in->info.bytes, in->info.well_known != 0};
		used += 8 + xdr_sizeof((xdrproc_t)xdr_mr_folder, &f);
		if (used > budget) {
			*cut_r = 1;
			return MR_OK;
		}
		e[i].id = in->id;
		e[i].folder = f;
		if ((e[i].folder.path = strdup(in->info.path)) == NULL)
			return MR_ERR_INTERNAL;
		out->folders.folders_len++;
	}
	return MR_OK;
}

static mr_status fill_page(const store_fsync_page_t *page, const mr_folder_sync_pos *pos,
			   mr_folder_sync_page *out)
{
	mr_status status = copy_deleted(page, out);
	int cut = 0;
	/* The deleted ids take their share of the reply first. */
	if (status == MR_OK)
		status = copy_folders(page, MAILRPC_REPLY_BUDGET - page->n_deleted * 8, out, &cut);
	if (status != MR_OK) {
		/* An error result's arm is not freed by xdr_free: do it here. */
		xdr_free((xdrproc_t)xdr_mr_folder_sync_page, (char *)out);
		memset(out, 0, sizeof(*out));
		return status;
	}
	u_int sent = out->folders.folders_len;
	out->resync = page->resync;
	out->more = page->more || cut;
	/* The state is the change number when the first page was read. */
	out->next.state = pos->state != 0 && pos->state <= page->change ? pos->state : page->change;
	out->next.tomb_change = page->next.tomb_change;
	out->next.tomb_id = page->next.tomb_fid;
	out->next.folder_id = cut ? (sent ? out->folders.folders_val[sent - 1].id : pos->folder_id)
				  : page->next.folder_id;
	out->next.tombs_done = page->next.tombs_done;
	out->state = out->more || out->resync ? 0 : out->next.state;
	return MR_OK;
}

void proc_folder_sync(struct caller *caller, void *args_, void *res_)
{
	mr_folder_sync_args *args = args_;
	mr_folder_sync_res *res = res_;
	store_fsync_page_t *page = NULL;
	store_fsync_pos_t pos = {args->pos.tomb_change, args->pos.tomb_id, args->pos.folder_id,
				 args->pos.tombs_done};
	target_set(caller, "in=%s since=%llu", mail_session_target(caller->session),
		   (unsigned long long)args->since);
	res->status = (mr_status)mail_folder_sync(caller->session, args->since, &pos,
						  MAILRPC_IDS_MAX, MAILRPC_PAGE_MAX, &page);
	if (res->status == MR_OK)
		res->status = fill_page(page, &args->pos, &res->mr_folder_sync_res_u.page);
	store_folder_sync_page_free(&page);
}
