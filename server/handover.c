/*
 * handover.c -- the hand-over process: hands the sends waiting in the
 * store to the MTA (mta.c), closes each record once the MTA took it, and
 * puts failed ones off with a doubling delay.  mailrpcd's master runs one
 * at a time (handover_master.c): at start, for everything waiting, and
 * whenever a connection's send left messages for the MTA.  It lives while
 * anything waits, sleeping until the next attempt is due.
 *
 * A crash between the MTA taking a message and the record being closed
 * hands it over again after the restart: a duplicate with the same
 * Message-ID, which the receiving side can recognise; never a loss.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include "handover.h"
#include "log.h"
#include "mta.h"

#define RETRY_FIRST 5	/* seconds before the first retry */
#define RETRY_MAX 900	/* ... doubling up to this */
#define SLEEP_MAX 300	/* look at the store at least this often */
#define MTA_TIMEOUT 120 /* one sendmail run at most */

/* One message being handed over. */
struct handover_job {
	store_t *st;
	const store_handover_t *h;
};

static int read_body(void *ctx, uint64_t offset, void *buf, size_t max, size_t *len_r)
{
	const struct handover_job *job = ctx;
	return store_handover_read(job->st, job->h, offset, buf, max, len_r) == STORE_OK ? 0 : -1;
}

/* Seconds to wait after the attempts-th failure. */
static int64_t retry_delay(uint32_t attempts)
{
	int64_t d = RETRY_FIRST;
	for (uint32_t i = 1; i < attempts && d < RETRY_MAX; i++)
		d *= 2;
	return d < RETRY_MAX ? d : RETRY_MAX;
}

/* What the log says about h: its Message-ID, sender and recipients. */
static void describe(const store_handover_t *h, char *buf, size_t size)
{
	char id[STORE_HANDOVER_TEXT_MAX * 4 + 1], from[STORE_NAME_MAX * 4 + 1];
	snprintf(buf, size, "handover=%llu mailbox=%s message-id=%s sender=%s rcpts=%zu",
		 (unsigned long long)h->id, log_safe(from, sizeof(from), h->mailbox),
		 log_safe(id, sizeof(id), h->message_id), h->sender, h->n_rcpts);
}

static void handover_one(const char *sendmail, store_t *st, const store_handover_t *h)
{
	struct handover_job job = {st, h};
	struct mta_msg m = {h->sender, h->rcpts, h->n_rcpts, h->size, read_body, &job};
	char said[512], what[1400];
	describe(h, what, sizeof(what));
	if (mta_send(sendmail, &m, MTA_TIMEOUT, said, sizeof(said)) == 0) {
		int status = store_handover_done(st, h);
		if (status == STORE_OK || status == STORE_NOTFOUND)
			log_info("handed over to the MTA: %s%s%s", what,
				 said[0] ? "; it said: " : "", said);
		else
			log_warn("handed over to the MTA, but its record could not be closed (%s): "
				 "it will be handed over again: %s",
				 store_strerror(status), what);
		return;
	}
	int64_t delay = retry_delay(h->attempts + 1);
	int status = store_handover_failed(st, h, (int64_t)time(NULL) + delay, said);
	log_warn("hand-over to the MTA failed (attempt %u): %s: %s; next attempt in %lld s%s%s",
		 h->attempts + 1, what, said, (long long)delay,
		 status == STORE_OK ? "" : "; store: ",
		 status == STORE_OK ? "" : store_strerror(status));
}

/* Hands over those due by due_by (INT64_MAX: all); *next_r: the earliest
 * next attempt of those left (0: none left). */
static int hand_over_due(const char *sendmail, store_t *st, int64_t due_by,
			 volatile sig_atomic_t *stop, int64_t *next_r)
{
	store_handover_list_t *list = NULL;
	int status = store_handover_list(st, due_by, &list);
	for (size_t i = 0; status == STORE_OK && i < list->count && !*stop; i++)
		handover_one(sendmail, st, &list->items[i]);
	store_handover_list_free(&list);
	*next_r = 0;
	if (status == STORE_OK)
		status = store_handover_list(st, 0, &list);
	for (size_t i = 0; status == STORE_OK && i < list->count; i++)
		if (*next_r == 0 || list->items[i].next_try < *next_r)
			*next_r = list->items[i].next_try;
	store_handover_list_free(&list);
	return status;
}

/* Sleeps until when (unix seconds), a signal sets *stop or *kicked. */
static void sleep_until(int64_t when, volatile sig_atomic_t *stop, volatile sig_atomic_t *kicked)
{
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);
	int64_t wait = when - (int64_t)time(NULL);
	if (wait > SLEEP_MAX)
		wait = SLEEP_MAX;
	if (wait > 0 && !*stop && !*kicked) {
		struct timespec ts = {.tv_sec = wait};
		/* Unblocks the signals only while it waits: none is missed. */
		pselect(0, NULL, NULL, NULL, &ts, &old);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

int handover_run(const char *store_dir, const char *sendmail, int everything,
		 volatile sig_atomic_t *stop, volatile sig_atomic_t *kicked)
{
	store_t *st = NULL;
	int64_t next = 0;
	int status = store_open(store_dir, NULL, &st);
	if (status != STORE_OK) {
		log_warn("hand-over: cannot open the store %s: %s", store_dir,
			 store_strerror(status));
		return 1;
	}
	while (!*stop) {
		*kicked = 0;
		status = hand_over_due(sendmail, st, everything ? INT64_MAX : (int64_t)time(NULL),
				       stop, &next);
		everything = 0;
		if (status != STORE_OK) {
			log_warn("hand-over: the store failed: %s", store_strerror(status));
			break;
		}
		if (next == 0)
			break; /* nothing waits */
		sleep_until(next, stop, kicked);
	}
	store_close(&st);
	return status == STORE_OK ? 0 : 1;
}
