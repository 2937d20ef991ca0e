/*
 * summaries.c -- message summaries: mailrpc_list, mailrpc_search,
 * mailrpc_info and mailrpc_msglist_free (see mailrpc.h).
 *
 * A listing can span many server pages: each reply holds at most
 * MAILRPC_PAGE_MAX entries and stops early at the reply byte budget
 * (more = TRUE), so one pager asks again from where the last page ended
 * until the caller's limit is reached or the server has no more.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"


/* One listing procedure and where its arguments keep offset and limit. */
struct pager {
	rpcproc_t proc;
	xdrproc_t xargs;
	void *args;
	u_quad_t *offset;      /* the args' offset: advanced page by page */
	u_int *limit;          /* the args' limit: set for each page */
	unsigned want;         /* the caller's limit; 0: everything */
};

void mr_summary_clear(struct mailrpc_summary *s)
{
	char **str[] = {&s->from, &s->to, &s->cc, &s->subject, &s->date, &s->message_id};
	for (size_t i = 0; i < sizeof(str) / sizeof(str[0]); i++) {
		free(*str[i]);
		*str[i] = NULL;
	}
}

void mailrpc_msglist_free(struct mailrpc_msglist **list)
{
	if (list == NULL || *list == NULL)
		return;
	for (size_t i = 0; i < (*list)->count; i++)
		mr_summary_clear(&(*list)->items[i]);
	free((*list)->items);
	free(*list);
	*list = NULL;
}

/* Fills out (zeroed by the caller) from the wire; -1 when out of memory,
 * leaving whatever was copied for mr_summary_clear. */
static int copy_summary(const mr_summary *in, struct mailrpc_summary *out)
{
	out->id = in->id;
	snprintf(out->folder, sizeof(out->folder), "%s", in->folder ? in->folder : "");
	out->flags = in->flags;
	out->size = in->size;
	out->received = in->received;
	memcpy(out->sha256, in->sha256, sizeof(out->sha256));
	const char *src[] = {in->from, in->to, in->cc, in->subject, in->date, in->message_id};
	char **dst[] = {&out->from, &out->to, &out->cc, &out->subject, &out->date, &out->message_id};
	for (size_t i = 0; i < sizeof(src) / sizeof(src[0]); i++) {
		/* The contract says never NULL, so absent strings become "". */
		*dst[i] = strdup(src[i] ? src[i] : "");
		if (*dst[i] == NULL)
			return -1;
	}
	return 0;
}

int mr_append_summaries(struct mailrpc_msglist *list, const mr_summary *msgs, size_t n,
			    struct mailrpc_error *err)
{
	struct mailrpc_summary *grown = realloc(list->items, (list->count + n + 1) * sizeof(*grown));
	if (grown == NULL)
		return mr_fail(err, MAILRPC_E_NOMEM, "out of memory listing messages");
	list->items = grown;
	for (size_t i = 0; i < n; i++) {
		struct mailrpc_summary *out = &grown[list->count];
		memset(out, 0, sizeof(*out));
		/* Counted before copying, so a half-copied entry is freed with the list. */
		list->count++;
		if (copy_summary(&msgs[i], out) != 0)
			return mr_fail(err, MAILRPC_E_NOMEM, "out of memory listing messages");
	}
	return MAILRPC_OK;
}

/* Checks a page against what was asked, then takes it into list. */
static int take_page(const mr_msg_page *page, u_int asked, struct mailrpc_msglist *list,
		     struct mailrpc_error *err)
{
	size_t n = page->msgs.msgs_len;
	/* An empty page that promises more would make us ask forever. */
	if (page->more && n == 0)
		return mr_fail(err, MAILRPC_E_RPC, "server sent an empty page with more to come");
	if (n > asked)
		return mr_fail(err, MAILRPC_E_RPC, "server sent %zu entries where %u were asked for",
			       n, asked);
	list->total = page->total;
	list->more = page->more != 0;
	return mr_append_summaries(list, page->msgs.msgs_val, n, err);
}

/* One call of the pager's procedure for the next page. */
static int fetch_page(struct mailrpc *conn, struct pager *p, struct mailrpc_msglist *list,
		      struct mailrpc_error *err)
{
	size_t left = p->want == 0 ? MAILRPC_PAGE_MAX : p->want - list->count;
	*p->limit = left < MAILRPC_PAGE_MAX ? (u_int)left : MAILRPC_PAGE_MAX;
	mr_msg_list_res res;
	memset(&res, 0, sizeof(res));
	int status = mr_call(conn, p->proc, p->xargs, p->args, (xdrproc_t)xdr_mr_msg_list_res, &res,
			     err);
	if (status == MAILRPC_OK)
		status = take_page(&res.mr_msg_list_res_u.page, *p->limit, list, err);
	if (status == MAILRPC_OK)
		*p->offset += res.mr_msg_list_res_u.page.msgs.msgs_len;
	xdr_free((xdrproc_t)xdr_mr_msg_list_res, &res);
	return status;
}

/* Pages until the caller's limit or the end; *list_r only on success. */
static int run_pager(struct mailrpc *conn, struct pager *p, struct mailrpc_msglist **list_r,
		     struct mailrpc_error *err)
{
	struct mailrpc_msglist *list = calloc(1, sizeof(*list));
	if (list == NULL)
		return mr_fail(err, MAILRPC_E_NOMEM, "out of memory listing messages");
	int status = MAILRPC_OK;
	list->more = 1;
	while (status == MAILRPC_OK && list->more && (p->want == 0 || list->count < p->want))
		status = fetch_page(conn, p, list, err);
	if (status != MAILRPC_OK) {
		mailrpc_msglist_free(&list);
		return status;
	}
	*list_r = list;
	return MAILRPC_OK;
}

/* Refusals about the folder name the folder, so "no such folder: Archive". */
static void annotate_folder(struct mailrpc_error *err, int status, const char *folder)
{
	if (status == MAILRPC_E_NOFOLDER || status == MAILRPC_E_NOTFOUND ||
	    status == MAILRPC_E_BADNAME)
		mr_annotate(err, "%s", folder);
}

int mailrpc_list(struct mailrpc *conn, const struct mailrpc_list_query *q,
		 struct mailrpc_msglist **list_r, struct mailrpc_error *err)
{
	*list_r = NULL;
	if (conn == NULL || q == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, conn == NULL ? "not connected" : "no query given");
	if (q->sort < MAILRPC_SORT_ID || q->sort > MAILRPC_SORT_SUBJECT)
		return mr_fail(err, MAILRPC_E_USAGE, "unknown sort order %d", q->sort);
	const char *folder = q->folder != NULL ? q->folder : "Inbox";
	int status = mr_check_path(folder, err);
	if (status != MAILRPC_OK)
		return status;
	mr_list_args args = {.folder = (char *)folder, .sort = (mr_sort)q->sort,
			     .descending = q->descending != 0, .unread_only = q->unread_only != 0,
			     .offset = q->offset};
	struct pager p = {MR_MSG_LIST, (xdrproc_t)xdr_mr_list_args, &args, &args.offset,
			  &args.limit, q->limit};
	status = run_pager(conn, &p, list_r, err);
	annotate_folder(err, status, folder);
	return status;
}

/* A search text over the IDL's bound could not be encoded at all. */
static int check_text(const char *text, const char *field, struct mailrpc_error *err)
{
	if (text != NULL && strlen(text) > MAILRPC_SEARCH_MAX)
		return mr_fail(err, MAILRPC_E_TOOBIG,
			       "search text for %s is %zu bytes; at most %d are allowed", field,
			       strlen(text), MAILRPC_SEARCH_MAX);
	return MAILRPC_OK;
}

static int check_search(const struct mailrpc_search_query *q, struct mailrpc_error *err)
{
	int status = check_text(q->from, "from", err);
	if (status == MAILRPC_OK)
		status = check_text(q->to, "to", err);
	if (status == MAILRPC_OK)
		status = check_text(q->subject, "subject", err);
	if (status == MAILRPC_OK)
		status = check_text(q->body, "body", err);
	if (status == MAILRPC_OK && q->folder != NULL && q->folder[0] != '\0')
		status = mr_check_path(q->folder, err);
	return status;
}

static char *or_empty(const char *s)
{
	return (char *)(s != NULL ? s : "");
}

int mailrpc_search(struct mailrpc *conn, const struct mailrpc_search_query *q,
		   struct mailrpc_msglist **list_r, struct mailrpc_error *err)
{
	*list_r = NULL;
	if (conn == NULL || q == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, conn == NULL ? "not connected" : "no query given");
	int status = check_search(q, err);
	if (status != MAILRPC_OK)
		return status;
	/* On the wire "" means every folder and every text. */
	mr_search_args args = {.folder = or_empty(q->folder), .from = or_empty(q->from),
			       .to = or_empty(q->to), .subject = or_empty(q->subject),
			       .body = or_empty(q->body), .offset = q->offset};
	struct pager p = {MR_MSG_SEARCH, (xdrproc_t)xdr_mr_search_args, &args, &args.offset,
			  &args.limit, q->limit};
	status = run_pager(conn, &p, list_r, err);
	annotate_folder(err, status, args.folder);
	return status;
}

int mailrpc_info(struct mailrpc *conn, uint64_t id, struct mailrpc_msglist **list_r,
		 struct mailrpc_error *err)
{
	*list_r = NULL;
	if (conn == NULL)
		return mr_fail(err, MAILRPC_E_USAGE, "not connected");
	struct mailrpc_msglist *list = calloc(1, sizeof(*list));
	if (list == NULL)
		return mr_fail(err, MAILRPC_E_NOMEM, "out of memory");
	mr_id arg = id;
	mr_summary_res res;
	memset(&res, 0, sizeof(res));
	int status = mr_call(conn, MR_MSG_INFO, (xdrproc_t)xdr_mr_id, &arg,
			     (xdrproc_t)xdr_mr_summary_res, &res, err);
	if (status == MAILRPC_OK)
		status = mr_append_summaries(list, &res.mr_summary_res_u.msg, 1, err);
	else if (status == MAILRPC_E_NOMESSAGE || status == MAILRPC_E_NOTFOUND)
		mr_annotate(err, "%llu", (unsigned long long)id);
	xdr_free((xdrproc_t)xdr_mr_summary_res, &res);
	if (status != MAILRPC_OK) {
		mailrpc_msglist_free(&list);
		return status;
	}
	list->total = 1;
	*list_r = list;
	return MAILRPC_OK;
}
