/*
 * proc_folder_sync.c -- FOLDER_SYNC: how the folder hierarchy changed
 * since the client's state (deleted folder ids, then created, renamed or
 * otherwise changed folders with their ids), a page at a time within the
 * reply budget.  Only the owner gets changes since a state: what others
 * may see also depends on rights, which change numbers do not track, so
 * they always get the whole list of folders they may look up.
 */
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "mailstore.h"
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

/* The visible folders of page within budget bytes; *last_r: the last one
 * this page covers (sent or not visible), where the next page starts. */
static mr_status copy_folders(struct caller *caller, const store_fsync_page_t *page, size_t budget,
			      mr_folder_sync_page *out, uint64_t *last_r, int *cut_r)
{
	mr_folder_sync_entry *e = calloc(page->n_folders ? page->n_folders : 1, sizeof(*e));
	size_t used = 0;
	*cut_r = 0;
	out->folders.folders_val = e;
	if (e == NULL)
		return MR_ERR_INTERNAL;
	for (size_t i = 0; i < page->n_folders; i++) {
		const store_fsync_entry_t *in = &page->folders[i];
		mr_folder_sync_entry *o = &e[out->folders.folders_len];
		if (authz_can_see(caller, in->info.path)) {
			mr_folder f = {(char *)in->info.path, in->info.total, in->info.unread,
				       in->info.bytes, in->info.well_known != 0};
			used += 8 + xdr_sizeof((xdrproc_t)xdr_mr_folder, &f);
			if (used > budget) {
				*cut_r = 1;
				return MR_OK;
			}
			o->id = in->id;
			o->folder = f;
			if ((o->folder.path = strdup(in->info.path)) == NULL)
				return MR_ERR_INTERNAL;
			out->folders.folders_len++;
		}
		*last_r = in->id;
	}
	return MR_OK;
}

static mr_status fill_page(struct caller *caller, const store_fsync_page_t *page,
			   const mr_folder_sync_pos *pos, mr_folder_sync_page *out)
{
	mr_status status = copy_deleted(page, out);
	uint64_t last = pos->folder_id;
	int cut = 0;
	/* The deleted ids take their share of the reply first. */
	if (status == MR_OK)
		status = copy_folders(caller, page, MAILRPC_REPLY_BUDGET - page->n_deleted * 8, out,
				      &last, &cut);
	if (status != MR_OK) {
		/* An error result's arm is not freed by xdr_free: do it here. */
		xdr_free((xdrproc_t)xdr_mr_folder_sync_page, (char *)out);
		memset(out, 0, sizeof(*out));
		return status;
	}
	out->resync = page->resync;
	out->more = page->more || cut;
	/* The state is the change number when the first page was read. */
	out->next.state = pos->state != 0 && pos->state <= page->change ? pos->state : page->change;
	out->next.tomb_change = page->next.tomb_change;
	out->next.tomb_id = page->next.tomb_fid;
	out->next.folder_id = cut ? last : page->next.folder_id;
	out->next.tombs_done = page->next.tombs_done;
	out->state = out->more || out->resync ? 0 : out->next.state;
	return MR_OK;
}

void proc_folder_sync(struct caller *caller, void *args_, void *res_)
{
	mr_folder_sync_args *args = args_;
	mr_folder_sync_res *res = res_;
	mr_folder_sync_page *out = &res->mr_folder_sync_res_u.page;
	const char *mbox = authz_mailbox(caller);
	store_fsync_page_t *page = NULL;
	store_fsync_pos_t pos = {args->pos.tomb_change, args->pos.tomb_id, args->pos.folder_id,
				 args->pos.tombs_done};
	target_set(caller, "in=%s since=%llu", mbox, (unsigned long long)args->since);

	if (args->since != 0 && !authz_is_owner(caller)) {
		res->status = MR_OK;
		out->resync = TRUE;
		return;
	}
	int st = store_folder_sync(mailstore(), mbox, args->since, &pos, MAILRPC_IDS_MAX,
				   MAILRPC_PAGE_MAX, &page);
	if (st == STORE_NOTFOUND && !authz_is_owner(caller)) {
		/* A mailbox that does not exist syncs like one with nothing to see. */
		res->status = MR_OK;
		return;
	}
	res->status = st == STORE_OK ? fill_page(caller, page, &args->pos, out)
				     : mailstore_status(st, MR_ERR_NOMAILBOX, MR_ERR_INVALID);
	store_folder_sync_page_free(&page);
}
