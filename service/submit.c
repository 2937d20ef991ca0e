/*
 * submit.c -- the send of protocol clients that predate addresses
 * (UPLOAD_COMMIT_SUBMIT): the same operation as mail_send, with its
 * refusals in the words such a client knows.
 */
#include "service_int.h"

int mail_submit(struct mail_session *s, const unsigned char *op, uint64_t upload, const char *from,
		const char *const *rcpts, size_t n, store_result_t *res, size_t *bad_r)
{
	char refused[MAIL_ADDRESS_MAX + 1];
	int status = mail_send(s, op, upload, from, rcpts, n, res, bad_r, refused);
	/* Such a client reads NORCPT about no recipient as "you may not send
	 * on behalf of FROM"; a malformed name was NORCPT to it too. */
	if (status == MAIL_ERR_SENDER)
		*bad_r = SIZE_MAX;
	return status == MAIL_ERR_SENDER || (status == MAIL_ERR_INVALID && *bad_r < n)
		       ? MAIL_ERR_NORCPT
		       : status;
}
