/*
 * folder_sync.c -- FOLDER_SYNC: mailrpc_folder_sync and
 * mailrpc_folder_sync_free (see mailrpc.h).  Pages through the server's
 * answer, and starts over from 0 when the server says the state cannot be
 * answered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void mailrpc_folder_sync_free(struct mailrpc_folder_sync **result)
{
	if (result == NULL || *result == NULL)
		return;
	free((*result)->deleted);
	free((*result)->folders);
	free(*result);
	*result = NULL;
}

static int no_memory(struct mailrpc_error *err)
{
	return mr_fail(err, MAILRPC_E_NOMEM, "out of memory syncing folders");
}

static int same_pos(const mr_folder_sync_pos *a, const mr_folder_sync_pos *b)
{
	return a->tomb_change == b->tomb_change && a->tomb_id == b->tomb_id &&
	       a->folder_id == b->folder_id && !a->tombs_done == !b->tombs_done;
}

/* Takes one page's deleted ids and folders into r. */
static int take_page(const mr_folder_sync_page *page, const mr_folder_sync_pos *pos,
		     struct mailrpc_folder_sync *r, struct mailrpc_error *err)
{
	size_t nd = page->deleted.deleted_len, nf = page->folders.folders_len;
	/* A page that promises more without moving on would make us ask
	 * forever (an empty one may move on: folders others cannot see). */
	if (page->more && nd == 0 && nf == 0 && same_pos(pos, &page->next))
		return mr_fail(err, MAILRPC_E_RPC,
			       "server sent an empty folder sync page with more to come");
	uint64_t *d = realloc(r->deleted, (r->n_deleted + nd + 1) * sizeof(*d));
	if (d == NULL)
		return no_memory(err);
	r->deleted = d;
	for (size_t i = 0; i < nd; i++)
		r->deleted[r->n_deleted++] = page->deleted.deleted_val[i];
	struct mailrpc_folder_change *f = realloc(r->folders, (r->n_folders + nf + 1) * sizeof(*f));
	if (f == NULL)
		return no_memory(err);
	r->folders = f;
	for (size_t i = 0; i < nf; i++) {
		const mr_folder_sync_entry *in = &page->folders.folders_val[i];
		struct mailrpc_folder_change *out = &r->folders[r->n_folders++];
		memset(out, 0, sizeof(*out));
		out->id = in->id;
		snprintf(out->folder.path, sizeof(out->folder.path), "%s", in->folder.path);
		out->folder.total = in->folder.total;
		out->folder.unread = in->folder.unread;
		out->folder.size = in->folder.size;
		out->folder.well_known = in->folder.well_known;
	}
	return MAILRPC_OK;
}

/* One FOLDER_SYNC call; *more_r says whether to call again with args. */
static int sync_page(struct mailrpc *conn, mr_folder_sync_args *args, struct mailrpc_folder_sync *r,
		     int *more_r, struct mailrpc_error *err)
{
	mr_folder_sync_res res;
	memset(&res, 0, sizeof(res));
	*more_r = 0;
	int status = mr_call(conn, MR_FOLDER_SYNC, (xdrproc_t)xdr_mr_folder_sync_args, args,
			     (xdrproc_t)xdr_mr_folder_sync_res, &res, err);
	const mr_folder_sync_page *page = &res.mr_folder_sync_res_u.page;
	if (status == MAILRPC_OK && page->resync && args->since == 0)
		status = mr_fail(err, MAILRPC_E_RPC, "server refused a folder sync from scratch");
	else if (status == MAILRPC_OK && page->resync) {
		/* Once: a sync from 0 is always answerable. */
		r->n_deleted = r->n_folders = 0;
		r->complete = 1;
		args->since = 0;
		memset(&args->pos, 0, sizeof(args->pos));
		*more_r = 1;
	} else if (status == MAILRPC_OK) {
		status = take_page(page, &args->pos, r, err);
		args->pos = page->next;
		*more_r = page->more;
		r->state = page->state;
	}
	xdr_free((xdrproc_t)xdr_mr_folder_sync_res, &res);
	return status;
}

int mailrpc_folder_sync(struct mailrpc *conn, uint64_t since, struct mailrpc_folder_sync **result_r,
			struct mailrpc_error *err)
{
	*result_r = NULL;
	if (conn == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "not connected");
	struct mailrpc_folder_sync *r = calloc(1, sizeof(*r));
	if (r == NULL)
		return no_memory(err);
	r->complete = since == 0;
	mr_folder_sync_args args = {.since = since};
	int more = 1, status = MAILRPC_OK;
	/* Every page brings something (checked), so this ends. */
	while (status == MAILRPC_OK && more)
		status = sync_page(conn, &args, r, &more, err);
	if (status != MAILRPC_OK) {
		mailrpc_folder_sync_free(&r);
		return status;
	}
	*result_r = r;
	return MAILRPC_OK;
}
