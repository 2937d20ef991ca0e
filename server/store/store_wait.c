/*
 * store_wait.c -- store_wait_change(_as): sleeps on the mailbox's wake
 * counter (store_notify.c), re-reading the change number each time it
 * moves.  A sleeping waiter costs no CPU, no descriptor and no reader
 * slot, and wakes only when its mailbox (or one sharing its counter)
 * changes.
 */
#include "store_int.h"

#include <time.h>

/* The change number of the mailbox, or of one of its folders, for call
 * (NULL: asked already), and the mailbox's id. */
static int current_change(store_t *st, const store_call_t *call, const char *mbox,
			  const char *folder, uint64_t *mbid_r, uint64_t *change_r)
{
	MDB_txn *txn = NULL;
	st_mbox_t mb;
	st_folder_t f;
	int status;

	*change_r = 0;
	status = st_read_begin(st, &txn);
	if (status == STORE_OK)
		status = st_read_target(st, txn, call, mbox, folder, &mb, &f);
	if (status == STORE_OK) {
		*change_r = folder != NULL ? f.change : mb.change;
		*mbid_r = mb.mbid;
	}
	if (txn != NULL)
		mdb_txn_abort(txn);
	return status;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int store_wait_change(store_t *st, const char *mbox, const char *folder, uint64_t since,
		      int timeout_ms, uint64_t *change_r)
{
	return store_wait_change_as(st, NULL, mbox, folder, since, timeout_ms, change_r);
}

int store_wait_change_as(store_t *st, const store_call_t *call, const char *mbox,
			 const char *folder, uint64_t since, int timeout_ms, uint64_t *change_r)
{
	int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0), left;
	uint32_t *slot = NULL, seen = 0;
	uint64_t mbid = 0;
	int status;

	*change_r = 0;
	for (int first = 1;; first = 0) {
		/* The counter before the change number: a change committed after
		 * this look moves the counter, and the sleep below returns. */
		seen = st_notify_seen(slot);
		status = current_change(st, first ? call : NULL, mbox, folder, &mbid, change_r);
		if (status != STORE_OK || *change_r > since)
			break;
		if (first && (slot = st_notify_slot(st, mbid)) != NULL)
			continue; /* look again, now with the counter read first */
		left = deadline - now_ms();
		if (left <= 0 || st_notify_sleep(slot, seen, (int)left) != 0)
			break;
	}
	return status;
}
