/*
 * author.h -- whom a message being sent is from, and what it lacks
 * (author.c), for mail_send.
 */
#ifndef MAILRPC_AUTHOR_H
#define MAILRPC_AUTHOR_H

#include "service_int.h"

struct mail_author {
	char mailbox[MAIL_NAME_MAX + 1];     /* whose Sent Items get the copy */
	char envelope[MAIL_ADDRESS_MAX + 1]; /* the MTA's sender ("" none) */
	char message_id[STORE_HANDOVER_TEXT_MAX + 1];
	char header[1024]; /* lines to put before the message ("" none) */
};

/* Reads the header section of the caller's upload and decides (see
 * author.c): MAIL_OK with *a_r; MAIL_ERR_SENDER with the address (or the
 * from mailbox) the caller may not send as in refused_r; NOUPLOAD,
 * MISMATCH (the upload is not complete) or a failure. */
/* May c's caller send as mailbox (its own, or "p" on its Outbox)?  MAIL_OK
 * or MAIL_ERR_SENDER (without any right there the mailbox is as unknown
 * as a missing one), or a failure. */
int mail_may_post(struct mail_call *c, const char *mailbox);

int mail_author_check(struct mail_call *c, uint64_t upload, const char *from,
		      struct mail_author *a_r, char refused_r[MAIL_ADDRESS_MAX + 1]);

#endif
