/* summary.c -- store records to wire summaries (see summary.h). */
#include <stdlib.h>
#include <string.h>

#include "summary.h"

int summary_from_store(const store_msginfo_t *in, mr_summary *out)
{
	memset(out, 0, sizeof(*out));
	out->id = in->id;
	out->flags = in->flags;
	out->size = in->size;
	out->received = in->received;
	memcpy(out->sha256, in->sha256, sizeof(out->sha256));
	out->folder = strdup(in->folder);
	out->from = strdup(in->from);
	out->to = strdup(in->to);
	out->cc = strdup(in->cc);
	out->subject = strdup(in->subject);
	out->date = strdup(in->date);
	out->message_id = strdup(in->message_id);
	if (!out->folder || !out->from || !out->to || !out->cc || !out->subject || !out->date ||
	    !out->message_id) {
		xdr_free((xdrproc_t)xdr_mr_summary, (char *)out);
		return -1;
	}
	return 0;
}

mr_status summary_page(const store_msglist_t *list, mr_msg_page *page)
{
	return summary_page_within(list, page, MAILRPC_REPLY_BUDGET);
}

mr_status summary_page_within(const store_msglist_t *list, mr_msg_page *page, size_t budget)
{
	memset(page, 0, sizeof(*page));
	page->msgs.msgs_val = calloc(list->count ? list->count : 1, sizeof(mr_summary));
	if (page->msgs.msgs_val == NULL)
		return MR_ERR_INTERNAL;
	size_t used = 0, n;
	for (n = 0; n < list->count; n++) {
		mr_summary *s = &page->msgs.msgs_val[n];
		if (summary_from_store(&list->items[n], s) != 0) {
			/* An error result's arm is not freed by xdr_free: do it here. */
			page->msgs.msgs_len = (u_int)n;
			xdr_free((xdrproc_t)xdr_mr_msg_page, (char *)page);
			memset(page, 0, sizeof(*page));
			return MR_ERR_INTERNAL;
		}
		used += xdr_sizeof((xdrproc_t)xdr_mr_summary, s);
		if (used > budget) {
			xdr_free((xdrproc_t)xdr_mr_summary, (char *)s);
			break;
		}
	}
	page->msgs.msgs_len = (u_int)n;
	page->total = list->total;
	page->more = n < list->count || list->more;
	return MR_OK;
}
