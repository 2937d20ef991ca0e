/*
 * store_notify.c -- waking the waiters of a mailbox in every process when
 * it changes.  The store directory's "wake" file holds ST_WAKE_SLOTS
 * 32-bit counters, mapped shared by every process that opens the store;
 * a mailbox has the counter at its mbid modulo ST_WAKE_SLOTS.  After a
 * commit that saved mailbox records, st_notify adds one to each of their
 * counters and wakes the futex waiters on it; a waiter reads its counter,
 * then the mailbox's change number, and sleeps in FUTEX_WAIT on the value
 * it read, so a change committed in between makes the wait return at
 * once (no wakeup is lost).  The counters carry no data: the change
 * numbers in LMDB are the truth, a counter only says "look again".
 *
 * Why not inotify: a waiter would need an inotify instance of its own,
 * and the kernel allows a user 128 of them (fs.inotify.max_user_instances),
 * fewer than the waiting connections of a real site; and one watched file
 * woke every waiter of every mailbox at each write.  A futex on a shared
 * mapping costs no descriptor and no kernel object while nobody waits,
 * and wakes only the waiters of the mailboxes that changed (and of any
 * mailbox sharing their counter).
 */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define WAKE_BYTES (ST_WAKE_SLOTS * sizeof(uint32_t))

static long futex(uint32_t *addr, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, addr, op, val, ts, NULL, 0);
}

void st_notify_open(store_t *st, const char *dir)
{
	char path[4096];
	void *map;
	int fd, rc;

	st->wake = NULL;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, ST_WAKE_FILE) >= sizeof(path))
		return;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0660);
	if (fd < 0) {
		st_log(STORE_LOG_WARNING, "%s: %s (waiters will only wake at their timeout)", path,
		       strerror(errno));
		return;
	}
	/* Blocks allocated now: touching a page of a sparse file on a full
	 * file system would be SIGBUS instead of an error. */
	rc = posix_fallocate(fd, 0, (off_t)WAKE_BYTES);
	map = rc == 0 ? mmap(NULL, WAKE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
		      : MAP_FAILED;
	if (map == MAP_FAILED)
		st_log(STORE_LOG_WARNING, "%s: %s (waiters will only wake at their timeout)", path,
		       strerror(rc != 0 ? rc : errno));
	else
		st->wake = map;
	close(fd);
}

void st_notify_close(store_t *st)
{
	if (st->wake != NULL)
		munmap(st->wake, WAKE_BYTES);
	st->wake = NULL;
}

void st_notify_clear(store_t *st)
{
	memset(st->wake_pending, 0, sizeof(st->wake_pending));
}

void st_notify_mark(store_t *st, uint64_t mbid)
{
	unsigned slot = (unsigned)(mbid % ST_WAKE_SLOTS);

	st->wake_pending[slot / 64] |= 1ull << (slot % 64);
}

void st_notify(store_t *st)
{
	for (unsigned w = 0; w < ST_WAKE_SLOTS / 64; w++) {
		uint64_t bits = st->wake_pending[w];
		st->wake_pending[w] = 0;
		while (bits != 0 && st->wake != NULL) {
			uint32_t *slot = &st->wake[w * 64 + (unsigned)__builtin_ctzll(bits)];
			bits &= bits - 1;
			__atomic_add_fetch(slot, 1, __ATOMIC_SEQ_CST);
			futex(slot, FUTEX_WAKE, INT_MAX, NULL);
		}
	}
}

uint32_t *st_notify_slot(store_t *st, uint64_t mbid)
{
	return st->wake != NULL ? &st->wake[mbid % ST_WAKE_SLOTS] : NULL;
}

uint32_t st_notify_seen(const uint32_t *slot)
{
	return slot != NULL ? __atomic_load_n(slot, __ATOMIC_SEQ_CST) : 0;
}

int st_notify_sleep(uint32_t *slot, uint32_t seen, int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	if (slot == NULL) /* no wake file: only the timeout ends the wait */
		return nanosleep(&ts, NULL) == 0 || errno != EINTR ? 0 : -1;
	if (futex(slot, FUTEX_WAIT, seen, &ts) == 0 || errno != EINTR)
		return 0; /* woken, counter already moved on (EAGAIN), or timed out */
	return -1;
}
