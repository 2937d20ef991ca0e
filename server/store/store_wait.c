/*
 * store_wait.c -- store_wait_change(_as): sleeps in poll(2) on an inotify
 * watch of the store's notification file (store_notify.c), re-reading the
 * change counter on each wakeup.  A poll costs no CPU while nothing is
 * written.
 */
#include "store_int.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

/* The change number of the mailbox, or of one of its folders, for call
 * (NULL: asked already). */
static int current_change(store_t *st, const store_call_t *call, const char *mbox,
			  const char *folder, uint64_t *change_r)
{
	MDB_txn *txn = NULL;
	st_mbox_t mb;
	st_folder_t f;
	int status;

	*change_r = 0;
	status = st_read_begin(st, &txn);
	if (status == STORE_OK)
		status = st_read_target(st, txn, call, mbox, folder, &mb, &f);
	if (status == STORE_OK)
		*change_r = folder != NULL ? f.change : mb.change;
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

void store_watch_drain(int fd)
{
	char buf[4096];

	/* One check of the counters answers any number of events. */
	while (fd >= 0 && read(fd, buf, sizeof(buf)) > 0)
		;
}

/* Sleeps until the file is touched or ms pass; 0, or -1 on a signal. */
static int sleep_on(int ifd, int ms)
{
	struct pollfd p = {.fd = ifd, .events = POLLIN};

	if (poll(ifd >= 0 ? &p : NULL, ifd >= 0 ? 1 : 0, ms) < 0)
		return errno == EINTR ? -1 : 0;
	store_watch_drain(ifd);
	return 0;
}

int store_watch_open(const store_t *st)
{
	int ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

	if (ifd >= 0 &&
	    (st->notify_path == NULL || inotify_add_watch(ifd, st->notify_path, IN_MODIFY) < 0)) {
		st_log(STORE_LOG_WARNING, "cannot watch %s: %s",
		       st->notify_path ? st->notify_path : "notify file", strerror(errno));
		close(ifd);
		ifd = -1;
	}
	return ifd;
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
	/* Watch before the first look, so no change falls in between. */
	int ifd = store_watch_open(st);
	int status;

	*change_r = 0;
	for (int first = 1;; first = 0) {
		status = current_change(st, first ? call : NULL, mbox, folder, change_r);
		if (status != STORE_OK || *change_r > since)
			break;
		left = deadline - now_ms();
		if (left <= 0 || sleep_on(ifd, (int)left) != 0)
			break;
	}
	if (ifd >= 0)
		close(ifd);
	return status;
}
