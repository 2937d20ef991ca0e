/*
 * proc_sync.c -- SYNC: what changed in a folder since the client's state
 * (removed ids, then changed summaries), a page at a time within the reply
 * budget, so a client on a slow link fetches only the difference.
 */
#include <stdlib.h>
#include <string.h>

#include "procs.h"
#include "summary.h"

/* The state a sync reports is the change number when its first page was
 * read: changes after that to messages already sent come next time. */
static uint64_t sync_state(const mr_sync_pos *pos, uint64_t change)
{
	return pos->state != 0 && pos->state <= change ? pos->state : change;
}

static mr_status copy_removed(const store_sync_page_t *page, mr_sync_page *out)
{
	out->removed.removed_val = calloc(page->n_removed ? page->n_removed : 1, sizeof(mr_id));
	if (out->removed.removed_val == NULL)
		return MR_ERR_INTERNAL;
	for (size_t i = 0; i < page->n_removed; i++)
		out->removed.removed_val[i] = page->removed[i];
	out->removed.removed_len = (u_int)page->n_removed;
	return MR_OK;
}

/* Where the next page starts when the budget cut the summaries short. */
static store_sync_pos_t next_pos(const store_sync_page_t *page, const mr_msg_page *sent)
{
	store_sync_pos_t next = page->next;
	if (sent->msgs.msgs_len < page->changed->count && sent->msgs.msgs_len > 0)
		next.msg_id = sent->msgs.msgs_val[sent->msgs.msgs_len - 1].id;
	return next;
}

static mr_status fill_page(const store_sync_page_t *page, const mr_sync_pos *pos, mr_sync_page *out)
{
	mr_status status = copy_removed(page, out);
	/* The removed ids take their share of the reply first. */
	size_t budget = MAILRPC_REPLY_BUDGET - page->n_removed * sizeof(mr_id);
	if (status == MR_OK)
		status = summary_page_within(page->changed, &out->changed, budget);
	if (status != MR_OK) {
		/* An error result's arm is not freed by xdr_free: do it here. */
		free(out->removed.removed_val);
		memset(out, 0, sizeof(*out));
		return status;
	}
	store_sync_pos_t next = next_pos(page, &out->changed);
	out->resync = page->resync;
	out->more = page->more || out->changed.more;
	out->next.state = sync_state(pos, page->change);
	out->next.tomb_change = next.tomb_change;
	out->next.tomb_id = next.tomb_id;
	out->next.msg_id = next.msg_id;
	out->next.tombs_done = next.tombs_done;
	out->state = out->more || out->resync ? 0 : out->next.state;
	return MR_OK;
}

void proc_sync(struct caller *caller, void *args_, void *res_)
{
	mr_sync_args *args = args_;
	mr_sync_res *res = res_;
	store_sync_page_t *page = NULL;
	store_sync_pos_t pos = {args->pos.tomb_change, args->pos.tomb_id, args->pos.msg_id,
				args->pos.tombs_done};
	target_set(caller, "mailbox=%s folder=%s since=%llu", mail_session_target(caller->session),
		   target_safe(caller, args->folder), (unsigned long long)args->since);
	res->status = (mr_status)mail_sync(caller->session, args->folder, args->since, &pos,
					   MAILRPC_IDS_MAX, MAILRPC_PAGE_MAX, &page);
	if (res->status == MR_OK)
		res->status = fill_page(page, &args->pos, &res->mr_sync_res_u.page);
	store_sync_page_free(&page);
}
