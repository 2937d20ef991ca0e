/*
 * sync.c -- SYNC: mailrpc_sync_folder and mailrpc_sync_free (see
 * mailrpc.h).  Pages through the server's answer, and starts over from 0
 * when the server says the state is too old to answer.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void mailrpc_sync_free(struct mailrpc_sync **result)
{
	if (result == NULL || *result == NULL)
		return;
	free((*result)->removed);
	mailrpc_msglist_free(&(*result)->changed);
	free(*result);
	*result = NULL;
}

/* Empties r for a full listing after the server's "resync". */
static int start_over(struct mailrpc_sync *r, struct mailrpc_error *err)
{
	free(r->removed);
	r->removed = NULL;
	r->n_removed = 0;
	mailrpc_msglist_free(&r->changed);
	r->changed = calloc(1, sizeof(*r->changed));
	r->resync = 1;
	return r->changed ? MAILRPC_OK : mr_fail(err, MAILRPC_E_NOMEM, "out of memory syncing");
}

/* Takes one page's removed ids and summaries into r. */
static int take_page(const mr_sync_page *page, struct mailrpc_sync *r, struct mailrpc_error *err)
{
	size_t n = page->removed.removed_len;
	/* An empty page that promises more would make us ask forever. */
	if (page->more && n == 0 && page->changed.msgs.msgs_len == 0)
		return mr_fail(err, MAILRPC_E_RPC,
			       "server sent an empty sync page with more to come");
	uint64_t *grown = realloc(r->removed, (r->n_removed + n + 1) * sizeof(*grown));
	if (grown == NULL)
		return mr_fail(err, MAILRPC_E_NOMEM, "out of memory syncing");
	r->removed = grown;
	for (size_t i = 0; i < n; i++)
		r->removed[r->n_removed++] = page->removed.removed_val[i];
	r->changed->more = 0;
	r->changed->total = r->changed->count + page->changed.msgs.msgs_len;
	return mr_append_summaries(r->changed, page->changed.msgs.msgs_val,
				   page->changed.msgs.msgs_len, err);
}

/* One SYNC call; *more_r says whether to call again with args. */
static int sync_page(struct mailrpc *conn, mr_sync_args *args, struct mailrpc_sync *r, int *more_r,
		     struct mailrpc_error *err)
{
	mr_sync_res res;
	memset(&res, 0, sizeof(res));
	*more_r = 0;
	int status = mr_call(conn, MR_SYNC, (xdrproc_t)xdr_mr_sync_args, args,
			     (xdrproc_t)xdr_mr_sync_res, &res, err);
	const mr_sync_page *page = &res.mr_sync_res_u.page;
	if (status == MAILRPC_OK && page->resync && args->since == 0)
		status = mr_fail(err, MAILRPC_E_RPC, "server refused a sync from scratch");
	else if (status == MAILRPC_OK && page->resync) {
		/* Once: a sync from 0 is always answerable. */
		status = start_over(r, err);
		args->since = 0;
		memset(&args->pos, 0, sizeof(args->pos));
		*more_r = 1;
	} else if (status == MAILRPC_OK) {
		status = take_page(page, r, err);
		args->pos = page->next;
		*more_r = page->more;
		r->state = page->state;
	}
	xdr_free((xdrproc_t)xdr_mr_sync_res, &res);
	return status;
}

int mailrpc_sync_folder(struct mailrpc *conn, const char *folder, uint64_t since,
			struct mailrpc_sync **result_r, struct mailrpc_error *err)
{
	*result_r = NULL;
	if (conn == NULL || folder == NULL)
		return mr_fail(err, MAILRPC_E_USAGE,
			       conn == NULL ? "not connected" : "no folder given");
	int status = mr_check_path(folder, err);
	if (status != MAILRPC_OK)
		return status;
	struct mailrpc_sync *r = calloc(1, sizeof(*r));
	if (r == NULL || (r->changed = calloc(1, sizeof(*r->changed))) == NULL) {
		free(r);
		return mr_fail(err, MAILRPC_E_NOMEM, "out of memory syncing");
	}
	mr_sync_args args = {.folder = (char *)folder, .since = since};
	int more = 1;
	/* Every page brings something (checked), so this ends with the folder. */
	while (status == MAILRPC_OK && more)
		status = sync_page(conn, &args, r, &more, err);
	if (status != MAILRPC_OK) {
		if (status == MAILRPC_E_NOFOLDER || status == MAILRPC_E_BADNAME)
			mr_annotate(err, "%s", folder);
		mailrpc_sync_free(&r);
		return status;
	}
	*result_r = r;
	return MAILRPC_OK;
}
