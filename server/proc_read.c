/* proc_read.c -- MSG_LIST, MSG_SEARCH, MSG_INFO, MSG_FETCH, MSG_INDEX: reading mail. */
#include <stdlib.h>
#include <string.h>

#include "procs.h"
#include "summary.h"

static unsigned clamp_limit(unsigned limit, unsigned max)
{
	return limit == 0 || limit > max ? max : limit;
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
	    .limit = clamp_limit(args->limit, MAILRPC_PAGE_MAX),
	};
	target_set(caller, "in=%s folder=%s offset=%llu", mail_session_target(caller->session),
		   target_safe(caller, args->folder), (unsigned long long)args->offset);
	res->status = (mr_status)mail_list(caller->session, args->folder, &q, &list);
	if (res->status == MR_OK)
		res->status = summary_page(list, &res->mr_msg_list_res_u.page);
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
	    .limit = clamp_limit(args->limit, MAILRPC_PAGE_MAX),
	};
	target_set(caller, "in=%s folder=%s", mail_session_target(caller->session),
		   args->folder[0] ? target_safe(caller, args->folder) : "*");
	res->status = (mr_status)mail_search(caller->session, &q, &list);
	if (res->status == MR_OK)
		res->status = summary_page(list, &res->mr_msg_list_res_u.page);
	store_msglist_free(&list);
}

void proc_msg_info(struct caller *caller, void *args_, void *res_)
{
	mr_id *id = args_;
	mr_summary_res *res = res_;
	store_msginfo_t *info = NULL;
	target_set(caller, "in=%s id=%llu", mail_session_target(caller->session),
		   (unsigned long long)*id);
	res->status = (mr_status)mail_info(caller->session, *id, &info);
	if (res->status == MR_OK && summary_from_store(info, &res->mr_summary_res_u.msg) != 0)
		res->status = MR_ERR_INTERNAL;
	store_msginfo_free(&info);
}

void proc_msg_fetch(struct caller *caller, void *args_, void *res_)
{
	mr_fetch_args *args = args_;
	mr_fetch_res *res = res_;
	mr_chunk *chunk = &res->mr_fetch_res_u.chunk;
	unsigned max = caller_max_chunk(caller);
	unsigned length = args->length > max ? max : args->length;
	size_t got = 0;
	target_set(caller, "in=%s id=%llu offset=%llu", mail_session_target(caller->session),
		   (unsigned long long)args->id, (unsigned long long)args->offset);
	chunk->data.data_val = malloc(length ? length : 1);
	if (chunk->data.data_val == NULL) {
		res->status = MR_ERR_INTERNAL;
		return;
	}
	res->status =
	    (mr_status)mail_fetch(caller->session, args->id, args->offset, chunk->data.data_val,
				  length, &got, &chunk->size, (unsigned char *)chunk->sha256);
	if (res->status != MR_OK) {
		/* An error result's arm is not freed by xdr_free: do it here. */
		free(chunk->data.data_val);
		chunk->data.data_val = NULL;
		return;
	}
	chunk->data.data_len = (u_int)got;
}

void proc_msg_index(struct caller *caller, void *args_, void *res_)
{
	mr_index_args *args = args_;
	mr_index_res *res = res_;
	mr_index_page *page = &res->mr_index_res_u.page;
	store_index_t *ix = NULL;
	target_set(caller, "in=%s folder=%s after=%llu", mail_session_target(caller->session),
		   target_safe(caller, args->folder), (unsigned long long)args->after);
	res->status = (mr_status)mail_index(caller->session, args->folder, args->after,
					    clamp_limit(args->limit, MAILRPC_IDS_MAX), &ix);
	if (res->status == MR_OK &&
	    (page->entries.entries_val =
		 calloc(ix->count ? ix->count : 1, sizeof(mr_index_entry))) == NULL)
		res->status = MR_ERR_INTERNAL;
	for (size_t i = 0; res->status == MR_OK && i < ix->count; i++) {
		mr_index_entry *e = &page->entries.entries_val[i];
		e->id = ix->items[i].id;
		e->flags = ix->items[i].flags;
		e->size = ix->items[i].size;
		e->received = ix->items[i].received;
		e->change = ix->items[i].change;
	}
	if (res->status == MR_OK) {
		page->entries.entries_len = (u_int)ix->count;
		page->more = ix->more != 0;
	}
	store_index_free(&ix);
}
