/*
 * cmd_pending.c -- `pending`: the sends mailrpcd has accepted for other
 * domains and not yet handed to the MTA (store.h, "hand-over to the
 * MTA"), with why the last attempt failed.  Normally empty: mailrpcd
 * hands each over right after the send, and retries the failed ones.
 */
#include <stdio.h>
#include <time.h>

#include "admin.h"

int admin_pending(struct admin *a, int argc, char **argv)
{
	(void)argv;
	store_handover_list_t *list = NULL;
	if (argc != 1)
		return admin_usage("pending");
	int st = store_handover_list(admin_store(a), 0, &list);
	if (st != STORE_OK)
		return admin_fail("pending", st);
	time_t now = time(NULL);
	for (size_t i = 0; i < list->count; i++) {
		const store_handover_t *h = &list->items[i];
		long long next = (long long)(h->next_try - now);
		printf("%llu  mailbox %s  from %s  %zu recipient%s  %llu bytes  waiting %lld s  "
		       "attempts %u  next in %lld s  message-id %s\n",
		       (unsigned long long)h->id, h->mailbox, h->sender, h->n_rcpts,
		       h->n_rcpts == 1 ? "" : "s", (unsigned long long)h->size,
		       (long long)(now - h->created), h->attempts, next > 0 ? next : 0,
		       h->message_id[0] ? h->message_id : "-");
		for (size_t r = 0; r < h->n_rcpts; r++)
			printf("    to %s\n", h->rcpts[r]);
		if (h->last_error[0])
			printf("    last error: %s\n", h->last_error);
	}
	store_handover_list_free(&list);
	return 0;
}
