/*
 * store_notify.c -- waking waiters in other processes when a mailbox
 * changes: committed writes touch the store's "notify" file, which
 * store_wait_change (store_wait.c) watches.  The file carries no data:
 * the counters in LMDB are the truth, the file only says "look again".
 */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

void st_notify_open(store_t *st, const char *dir)
{
	size_t len = strlen(dir) + sizeof("/" ST_NOTIFY_FILE);

	st->notify_path = malloc(len);
	if (st->notify_path == NULL)
		return;
	snprintf(st->notify_path, len, "%s/%s", dir, ST_NOTIFY_FILE);
	st->notify_fd = open(st->notify_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0660);
	if (st->notify_fd < 0)
		st_log(STORE_LOG_WARNING, "%s: %s (waiters will only wake at their timeout)",
		       st->notify_path, strerror(errno));
}

void st_notify(store_t *st)
{
	/* One byte rewritten in place: an IN_MODIFY event, a file that never grows. */
	if (st->notify_fd >= 0 && pwrite(st->notify_fd, "", 1, 0) != 1)
		st_log(STORE_LOG_WARNING, "%s: %s", st->notify_path, strerror(errno));
}
