/* proc_read.c -- MSG_LIST, MSG_SEARCH, MSG_INFO, MSG_FETCH: reading mail. */
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "mailstore.h"
#include "procs.h"
#include "summary.h"

static unsigned clamp_limit(unsigned limit)
{
	return limit == 0 || limit > MAILRPC_PAGE_MAX ? MAILRPC_PAGE_MAX : limit;
}

void proc_msg_list(struct caller *caller, void *args_, void *res_)
{
	mr_list_args *args = args_;
	mr_msg_list_res *res = res_;
	store_msglist_t *list = NULL;
	store_list_query_t q = {
		.sort = (int)args->sort,
		.descending = args->descending,
		.unread_only = args->unread_only,
		.offset = args->offset,
		.limit = clamp_limit(args->limit),
	};
	target_set(caller, "in=%s folder=\"%s\" offset=%llu", authz_mailbox(caller),
		   args->folder, (unsigned long long)args->offset);
	if (args->sort > MR_SORT_SUBJECT) {
		res->status = MR_ERR_INVALID;
		return;
	}
	res->status = authz_folder(caller, args->folder, R_READ);
	if (res->status != MR_OK)
		return;
	int st = store_message_list(mailstore(), authz_mailbox(caller), args->folder, &q, &list);
	res->status = st == STORE_OK ? summary_page(list, &res->mr_msg_list_res_u.page)
				     : mailstore_status(st, MR_ERR_NOFOLDER, MR_ERR_BADNAME);
	store_msglist_free(&list);
}

void proc_msg_search(struct caller *caller, void *args_, void *res_)
{
	mr_search_args *args = args_;
	mr_msg_list_res *res = res_;
	store_msglist_t *list = NULL;
	store_search_query_t q = {
		.folder = args->folder[0] ? args->folder : NULL,
		.from = args->from,
		.to = args->to,
		.subject = args->subject,
		.body = args->body,
		.offset = args->offset,
		.limit = clamp_limit(args->limit),
	};
	target_set(caller, "in=%s folder=\"%s\"", authz_mailbox(caller),
		   args->folder[0] ? args->folder : "*");
	res->status = authz_scope(caller, args->folder, R_READ);
	if (res->status != MR_OK)
		return;
	int st = store_message_search(mailstore(), authz_mailbox(caller), &q, &list);
	res->status = st == STORE_OK ? summary_page(list, &res->mr_msg_list_res_u.page)
				     : mailstore_status(st, MR_ERR_NOFOLDER, MR_ERR_INVALID);
	store_msglist_free(&list);
}

void proc_msg_info(struct caller *caller, void *args_, void *res_)
{
	mr_id *id = args_;
	mr_summary_res *res = res_;
	store_msginfo_t *info = NULL;
	target_set(caller, "in=%s id=%llu", authz_mailbox(caller), (unsigned long long)*id);
	res->status = authz_message(caller, *id, R_READ);
	if (res->status != MR_OK)
		return;
	int st = store_message_get(mailstore(), authz_mailbox(caller), *id, &info);
	if (st != STORE_OK)
		res->status = mailstore_status(st, MR_ERR_NOMESSAGE, MR_ERR_INVALID);
	else if (summary_from_store(info, &res->mr_summary_res_u.msg) != 0)
		res->status = MR_ERR_INTERNAL;
	else
		res->status = MR_OK;
	store_msginfo_free(&info);
}

/*
 * Size and digest of the message a client is fetching.  Bodies never
 * change and ids are never reused, so one lookup serves all its chunks.
 */
static struct {
	char mailbox[STORE_NAME_MAX + 1];
	uint64_t id;
	uint64_t size;
	unsigned char sha256[32];
} fetching;

static int describe(const char *mailbox, uint64_t id)
{
	if (fetching.id == id && strcmp(fetching.mailbox, mailbox) == 0)
		return STORE_OK;
	store_msginfo_t *info = NULL;
	int st = store_message_get(mailstore(), mailbox, id, &info);
	if (st == STORE_OK) {
		snprintf(fetching.mailbox, sizeof(fetching.mailbox), "%s", mailbox);
		fetching.id = id;
		fetching.size = info->size;
		memcpy(fetching.sha256, info->sha256, sizeof(fetching.sha256));
	}
	store_msginfo_free(&info);
	return st;
}

void proc_msg_fetch(struct caller *caller, void *args_, void *res_)
{
	mr_fetch_args *args = args_;
	mr_fetch_res *res = res_;
	mr_chunk *chunk = &res->mr_fetch_res_u.chunk;
	unsigned length = args->length > MAILRPC_CHUNK_MAX ? MAILRPC_CHUNK_MAX : args->length;
	target_set(caller, "in=%s id=%llu offset=%llu", authz_mailbox(caller),
		   (unsigned long long)args->id, (unsigned long long)args->offset);
	res->status = authz_message(caller, args->id, R_READ);
	if (res->status != MR_OK)
		return;
	const char *mailbox = authz_mailbox(caller);
	int st = describe(mailbox, args->id);
	if (st != STORE_OK) {
		res->status = mailstore_status(st, MR_ERR_NOMESSAGE, MR_ERR_INVALID);
		return;
	}
	chunk->data.data_val = malloc(length ? length : 1);
	if (chunk->data.data_val == NULL) {
		res->status = MR_ERR_INTERNAL;
		return;
	}
	size_t got = 0;
	st = store_message_fetch(mailstore(), mailbox, args->id, args->offset,
				 chunk->data.data_val, length, &got);
	if (st != STORE_OK) {
		/* An error result's arm is not freed by xdr_free: do it here. */
		free(chunk->data.data_val);
		chunk->data.data_val = NULL;
		/* A message deleted meanwhile must not stay described. */
		fetching.id = 0;
		res->status = mailstore_status(st, MR_ERR_NOMESSAGE, MR_ERR_INVALID);
		return;
	}
	chunk->data.data_len = (u_int)got;
	chunk->size = fetching.size;
	memcpy(chunk->sha256, fetching.sha256, sizeof(chunk->sha256));
	res->status = MR_OK;
}
