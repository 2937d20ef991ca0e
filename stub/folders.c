/*
 * folders.c -- mailrpc_folders and creating, renaming and deleting
 * folders (see mailrpc.h); also mr_check_path, the client-side check that
 * a folder path fits the wire before it is sent.  Create, rename and
 * delete carry a fresh operation id, so mr_call may
 * repeat them after a lost connection and the server still does them once
 * (a repeated create is not told "exists").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "status.h"

/*
 * A path over the IDL's bound cannot even be encoded: libtirpc would send
 * a truncated record and report an encoding failure.  It is refused here
 * with the same error the server gives for any other bad name.
 */
int mr_check_path(const char *path, struct mailrpc_error *err)
{
	if (path == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "no folder given");
	if (strlen(path) > MAILRPC_PATH_MAX) {
		mr_fail(err, MAILRPC_E_BADNAME, "%s", status_text(MR_ERR_BADNAME));
		mr_annotate(err, "%zu bytes, at most %d allowed", strlen(path), MAILRPC_PATH_MAX);
		return MAILRPC_E_BADNAME;
	}
	return MAILRPC_OK;
}

/* Appends one page to *all; the caller's count grows only on success. */
static int append_page(const mr_folder_page *page, struct mailrpc_folder **all, size_t *count,
		       struct mailrpc_error *err)
{
	size_t n = page->folders.folders_len;
	struct mailrpc_folder *grown = realloc(*all, (*count + n + 1) * sizeof(**all));
	if (grown == NULL)
		return mr_fail(err, MAILRPC_E_NOMEM, "out of memory listing folders");
	*all = grown;
	for (size_t i = 0; i < n; i++) {
		const mr_folder *f = &page->folders.folders_val[i];
		struct mailrpc_folder *out = &grown[*count + i];
		memset(out, 0, sizeof(*out));
		snprintf(out->path, sizeof(out->path), "%s", f->path);
		out->total = f->total;
		out->unread = f->unread;
		out->size = f->size;
		out->well_known = f->well_known != 0;
	}
	*count += n;
	return MAILRPC_OK;
}

/* One FOLDER_LIST call from offset; *more_r says whether to go on. */
static int fetch_page(struct mailrpc *conn, struct mailrpc_folder **all, size_t *count,
		      int *more_r, struct mailrpc_error *err)
{
	mr_folder_list_args args = {.offset = *count};
	mr_folder_list_res res;
	memset(&res, 0, sizeof(res));
	*more_r = 0;
	int status = mr_call(conn, MR_FOLDER_LIST, (xdrproc_t)xdr_mr_folder_list_args, &args,
			     (xdrproc_t)xdr_mr_folder_list_res, &res, err);
	if (status != MAILRPC_OK)
		goto out;
	const mr_folder_page *page = &res.mr_folder_list_res_u.page;
	/* An empty page that promises more would make us ask forever. */
	if (page->more && page->folders.folders_len == 0) {
		status = mr_fail(err, MAILRPC_E_RPC, "server sent an empty folder page with more to come");
		goto out;
	}
	status = append_page(page, all, count, err);
	if (status == MAILRPC_OK)
		*more_r = page->more != 0;
out:
	xdr_free((xdrproc_t)xdr_mr_folder_list_res, &res);
	return status;
}

int mailrpc_folders(struct mailrpc *conn, struct mailrpc_folder **folders_r, size_t *count_r,
		    struct mailrpc_error *err)
{
	*folders_r = NULL;
	*count_r = 0;
	if (conn == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "not connected");
	struct mailrpc_folder *all = NULL;
	size_t count = 0;
	int more = 1, status = MAILRPC_OK;
	while (more && status == MAILRPC_OK)
		status = fetch_page(conn, &all, &count, &more, err);
	if (status != MAILRPC_OK) {
		free(all);
		return status;
	}
	/* Never NULL on success, even for an empty list, so free() is always right. */
	if (all == NULL && (all = calloc(1, sizeof(*all))) == NULL)
		return mr_fail(err, MAILRPC_E_NOMEM, "out of memory listing folders");
	*folders_r = all;
	*count_r = count;
	return MAILRPC_OK;
}

/* Calls a folder procedure whose result is a bare mr_res, with a fresh
 * operation id in op (part of args). */
static int call_plain(struct mailrpc *conn, rpcproc_t proc, xdrproc_t xargs, void *args, char *op,
		      struct mailrpc_error *err)
{
	mr_res res;
	memset(&res, 0, sizeof(res));
	int status = mailrpc_opid_new((unsigned char *)op, err);
	if (status == MAILRPC_OK)
		status = mr_call(conn, proc, xargs, args, (xdrproc_t)xdr_mr_res, &res, err);
	xdr_free((xdrproc_t)xdr_mr_res, &res);
	return status;
}

/* Length of the parent part of path ("A/B/C" -> 3), 0 at the top level. */
static int parent_len(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash == NULL ? 0 : (int)(slash - path);
}

/* A missing folder on create or as a rename target is the new path's parent. */
static void annotate_missing_parent(struct mailrpc_error *err, const char *path)
{
	if (parent_len(path) > 0)
		mr_annotate(err, "%.*s (the parent of %s)", parent_len(path), path, path);
	else
		mr_annotate(err, "%s", path);
}

int mailrpc_folder_create(struct mailrpc *conn, const char *path, struct mailrpc_error *err)
{
	if (conn == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "not connected");
	int status = mr_check_path(path, err);
	if (status != MAILRPC_OK)
		return status;
	mr_folder_create_args args = {.path = (char *)path};
	status = call_plain(conn, MR_FOLDER_CREATE, (xdrproc_t)xdr_mr_folder_create_args, &args,
			    args.op, err);
	if (status == MAILRPC_E_NOFOLDER || status == MAILRPC_E_NOTFOUND)
		annotate_missing_parent(err, path);
	else if (status != MAILRPC_OK)
		mr_annotate(err, "%s", path);
	return status;
}

/* Says which of the two paths a rename failure is about. */
static void annotate_rename(struct mailrpc_error *err, int status, const char *from,
			    const char *to)
{
	switch (status) {
	case MAILRPC_E_NOFOLDER:
	case MAILRPC_E_NOTFOUND:
		/* Either the source or the target's parent is missing. */
		if (parent_len(to) > 0)
			mr_annotate(err, "%s, or %.*s (the parent of %s)", from, parent_len(to), to, to);
		else
			mr_annotate(err, "%s", from);
		break;
	case MAILRPC_E_EXISTS:
		mr_annotate(err, "%s", to);
		break;
	case MAILRPC_E_WELLKNOWN:
	case MAILRPC_E_DENIED:
		mr_annotate(err, "%s", from);
		break;
	default:
		mr_annotate(err, "%s -> %s", from, to);
	}
}

int mailrpc_folder_rename(struct mailrpc *conn, const char *from, const char *to,
			  struct mailrpc_error *err)
{
	if (conn == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "not connected");
	int status = mr_check_path(from, err);
	if (status == MAILRPC_OK)
		status = mr_check_path(to, err);
	if (status != MAILRPC_OK)
		return status;
	mr_folder_rename_args args = {.from = (char *)from, .to = (char *)to};
	status = call_plain(conn, MR_FOLDER_RENAME, (xdrproc_t)xdr_mr_folder_rename_args, &args,
			    args.op, err);
	if (status != MAILRPC_OK)
		annotate_rename(err, status, from, to);
	return status;
}

int mailrpc_folder_delete(struct mailrpc *conn, const char *path, int recursive,
			  struct mailrpc_error *err)
{
	if (conn == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "not connected");
	int status = mr_check_path(path, err);
	if (status != MAILRPC_OK)
		return status;
	mr_folder_delete_args args = {.path = (char *)path, .recursive = recursive != 0};
	status = call_plain(conn, MR_FOLDER_DELETE, (xdrproc_t)xdr_mr_folder_delete_args, &args,
			    args.op, err);
	if (status != MAILRPC_OK)
		mr_annotate(err, "%s", path);
	return status;
}
