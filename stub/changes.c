/*
 * changes.c -- changing messages: mailrpc_move, mailrpc_copy,
 * mailrpc_delete and mailrpc_set_flags (see mailrpc.h).
 *
 * The server does each MOVE, COPY or DELETE call in one transaction that
 * keeps the ids before the first it cannot change (its "done"), so a batch
 * bigger than MAILRPC_IDS_MAX is simply split into several calls.  FLAGS
 * is all or nothing for its ids, so it cannot be split.  A message moved
 * or copied gets a new id where it goes: the replies say which.
 * Every call carries a fresh operation id, so that mr_call may repeat it
 * after a lost connection and the server still does it once.
 */
#include <string.h>

#include "internal.h"


/* Ids probed one by one to name the missing one after a failed FLAGS. */
#define PROBE_MAX 32

/* One batch procedure; MOVE/COPY and DELETE keep their ids in different
 * argument structs, so run_batch is told where. */
struct batch {
	rpcproc_t proc;
	xdrproc_t xargs;
	void *args;
	char *op;              /* the operation id in args */
	u_int *ids_len;
	mr_id **ids_val;
	const char *folder;    /* the target, named in errors; NULL for DELETE */
};

/* Names what a refusal is about: the target folder or the failing id. */
static void annotate_batch(struct mailrpc_error *err, int status, const struct batch *b,
			   uint64_t id)
{
	unsigned long long n = id;
	if (status <= MAILRPC_OK || status >= MAILRPC_E_USAGE)
		return; /* not a refusal: connection and client-side trouble */
	if (b->folder != NULL && (status == MAILRPC_E_NOFOLDER || status == MAILRPC_E_BADNAME))
		mr_annotate(err, "%s", b->folder);
	else if (b->folder != NULL && status == MAILRPC_E_NOTFOUND)
		mr_annotate(err, "message %llu or folder %s", n, b->folder);
	else if (status == MAILRPC_E_NOMESSAGE || status == MAILRPC_E_NOTFOUND)
		mr_annotate(err, "%llu", n);
	else
		mr_annotate(err, "message %llu", n);
}

/* Keeps the copies' ids from a reply: as many as it names, at most done. */
static size_t take_new_ids(const mr_batch_res *res, size_t done, uint64_t *new_ids_r)
{
	size_t got = res->new_ids.new_ids_len < done ? res->new_ids.new_ids_len : done;
	if (new_ids_r != NULL && got > 0)
		memcpy(new_ids_r, res->new_ids.new_ids_val, got * sizeof(*new_ids_r));
	return got;
}

/* One call for up to MAILRPC_IDS_MAX ids; *done_r counts those that succeeded. */
static int call_chunk(struct mailrpc *conn, const struct batch *b, const uint64_t *ids, size_t n,
		      uint64_t *new_ids_r, size_t *done_r, struct mailrpc_error *err)
{
	*b->ids_len = (u_int)n;
	*b->ids_val = (mr_id *)ids; /* only encoded, never written */
	mr_batch_res res;
	memset(&res, 0, sizeof(res));
	/* One id per call: each call is its own operation on the server. */
	int status = mailrpc_opid_new((unsigned char *)b->op, err);
	if (status == MAILRPC_OK)
		status = mr_call(conn, b->proc, b->xargs, b->args, (xdrproc_t)xdr_mr_batch_res, &res,
				 err);
	/* A refusal still says how far it got; a lost call says nothing (0). */
	size_t done = status == MAILRPC_OK ? n : (res.done < n ? res.done : n);
	if (status != MAILRPC_OK && done < n)
		annotate_batch(err, status, b, ids[done]);
	if (new_ids_r != NULL) {
		size_t got = take_new_ids(&res, done, new_ids_r);
		/* A message whose new id we cannot tell is lost to the caller. */
		if (status == MAILRPC_OK && got < done)
			status = mr_fail(err, MAILRPC_E_RPC, "server changed %zu messages but sent %zu new ids",
					 done, got);
		done = got;
	}
	*done_r = done;
	xdr_free((xdrproc_t)xdr_mr_batch_res, &res);
	return status;
}

/* Runs a batch in calls of at most MAILRPC_IDS_MAX ids, stopping at the first failure. */
static int run_batch(struct mailrpc *conn, const struct batch *b, const uint64_t *ids, size_t n,
		     uint64_t *new_ids_r, size_t *done_r, struct mailrpc_error *err)
{
	if (conn == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "not connected");
	if (n > 0 && ids == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "no message ids given");
	int status = MAILRPC_OK;
	for (size_t off = 0; status == MAILRPC_OK && off < n; off += MAILRPC_IDS_MAX) {
		size_t chunk = n - off < MAILRPC_IDS_MAX ? n - off : MAILRPC_IDS_MAX;
		size_t done = 0;
		status = call_chunk(conn, b, ids + off, chunk, new_ids_r ? new_ids_r + off : NULL,
				    &done, err);
		*done_r += done;
	}
	return status;
}

/* MOVE and COPY differ only in the procedure and in making new ids. */
static int move_or_copy(struct mailrpc *conn, rpcproc_t proc, const uint64_t *ids, size_t n,
			const char *folder, uint64_t *new_ids_r, size_t *done_r,
			struct mailrpc_error *err)
{
	int status = mr_check_path(folder, err);
	if (status != MAILRPC_OK)
		return status;
	mr_move_args args = {.folder = (char *)folder};
	struct batch b = {proc, (xdrproc_t)xdr_mr_move_args, &args, args.op, &args.ids.ids_len,
			  &args.ids.ids_val, folder};
	return run_batch(conn, &b, ids, n, new_ids_r, done_r, err);
}

/* The outputs of a batch, before it runs. */
static void batch_start(uint64_t *new_ids_r, size_t n, size_t *done_r)
{
	*done_r = 0;
	if (new_ids_r != NULL)
		memset(new_ids_r, 0, n * sizeof(*new_ids_r));
}

int mailrpc_move(struct mailrpc *conn, const uint64_t *ids, size_t n, const char *folder,
		 uint64_t *new_ids_r, size_t *done_r, struct mailrpc_error *err)
{
	batch_start(new_ids_r, n, done_r);
	return move_or_copy(conn, MR_MSG_MOVE, ids, n, folder, new_ids_r, done_r, err);
}

int mailrpc_copy(struct mailrpc *conn, const uint64_t *ids, size_t n, const char *folder,
		 uint64_t *new_ids_r, size_t *done_r, struct mailrpc_error *err)
{
	batch_start(new_ids_r, n, done_r);
	return move_or_copy(conn, MR_MSG_COPY, ids, n, folder, new_ids_r, done_r, err);
}

int mailrpc_delete(struct mailrpc *conn, const uint64_t *ids, size_t n, int hard,
		   uint64_t *new_ids_r, size_t *done_r, struct mailrpc_error *err)
{
	batch_start(new_ids_r, n, done_r);
	mr_delete_args args = {.hard = hard != 0};
	struct batch b = {MR_MSG_DELETE, (xdrproc_t)xdr_mr_delete_args, &args, args.op,
			  &args.ids.ids_len, &args.ids.ids_val, NULL};
	return run_batch(conn, &b, ids, n, new_ids_r, done_r, err);
}

/*
 * FLAGS is all-or-nothing and its reply cannot say which id was missing;
 * for a small batch, asking about each id lets the message name it.
 */
static void name_missing(struct mailrpc *conn, const uint64_t *ids, size_t n,
			 struct mailrpc_error *err)
{
	for (size_t i = 0; n > 1 && n <= PROBE_MAX && i < n; i++) {
		struct mailrpc_msglist *list;
		struct mailrpc_error probe;
		int status = mailrpc_info(conn, ids[i], &list, &probe);
		mailrpc_msglist_free(&list);
		if (status == MAILRPC_E_NOMESSAGE || status == MAILRPC_E_NOTFOUND) {
			mr_annotate(err, "%llu", (unsigned long long)ids[i]);
			return;
		}
	}
	if (n == 1)
		mr_annotate(err, "%llu", (unsigned long long)ids[0]);
	else
		mr_annotate(err, "one of the %zu ids given (nothing was changed)", n);
}

static int check_flags_args(const uint64_t *ids, size_t n, unsigned set, unsigned clear,
			    struct mailrpc_error *err)
{
	const unsigned all = MR_FLAGS_ALL;
	if (n > 0 && ids == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "no message ids given");
	if (n > MAILRPC_BATCH_MAX)
		return mr_fail(err, MAILRPC_E_USAGE,
			       "%zu ids given; flags change all or none of at most %d ids at a time",
			       n, MAILRPC_BATCH_MAX);
	if (((set | clear) & ~all) != 0)
		return mr_fail(err, MAILRPC_E_USAGE, "unknown flag bits 0x%x", (set | clear) & ~all);
	return MAILRPC_OK;
}

int mailrpc_set_flags(struct mailrpc *conn, const uint64_t *ids, size_t n, unsigned set,
		      unsigned clear, struct mailrpc_error *err)
{
	if (conn == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "not connected");
	int status = check_flags_args(ids, n, set, clear, err);
	if (status != MAILRPC_OK || n == 0)
		return status;
	mr_flags_args args = {.ids = {.ids_len = (u_int)n, .ids_val = (mr_id *)ids}, .set = set,
			      .clear = clear};
	mr_res res;
	memset(&res, 0, sizeof(res));
	status = mailrpc_opid_new((unsigned char *)args.op, err);
	if (status == MAILRPC_OK)
		status = mr_call(conn, MR_MSG_FLAGS, (xdrproc_t)xdr_mr_flags_args, &args,
				 (xdrproc_t)xdr_mr_res, &res, err);
	xdr_free((xdrproc_t)xdr_mr_res, &res);
	if (status == MAILRPC_E_NOMESSAGE || status == MAILRPC_E_NOTFOUND)
		name_missing(conn, ids, n, err);
	return status;
}
