/*
 * mta.h -- handing a message to the MTA (mta.c).
 */
#ifndef MAILRPCD_MTA_H
#define MAILRPCD_MTA_H

#include <stddef.h>
#include <stdint.h>

/* Reads up to max bytes of the message from offset: 0, or -1 if it cannot. */
typedef int (*mta_read_fn)(void *ctx, uint64_t offset, void *buf, size_t max, size_t *len_r);

struct mta_msg {
	const char *sender;	  /* envelope sender */
	const char *const *rcpts; /* envelope recipients, checked addresses */
	size_t n;
	uint64_t size;
	mta_read_fn read;
	void *ctx;
};

/* Runs sendmail (path) with m; 0 once it exited 0, within timeout_s
 * seconds (then it is killed).  said: one line of what went wrong, or of
 * what sendmail said although it took the message. */
int mta_send(const char *path, const struct mta_msg *m, int timeout_s, char *said, size_t size);

#endif
