/* status.c -- texts for the IDL's mr_status values (see status.h). */
#include "status.h"
#include "mailrpc_prot.h"

/* Keyed by the IDL's names, one per status: a status added to the IDL
 * without a text here fails the count check below, and the unit test
 * (test_common) finds any one left without a text of its own.  Status 24
 * (MR_ERR_CONNLIMIT) belongs to another branch and has no text here yet. */
static const char *const texts[] = {
    [MR_OK] = "OK",
    [MR_ERR_INTERNAL] = "internal server error (see the server log)",
    [MR_ERR_NOMAILBOX] = "your Kerberos principal does not map to a mailbox on this server",
    [MR_ERR_FOREIGN] = "principals of your realm are not served here",
    [MR_ERR_INVALID] = "invalid request",
    [MR_ERR_TOOBIG] = "message too big for this server",
    [MR_ERR_NOTFOUND] = "no such folder or message",
    [MR_ERR_EXISTS] = "already exists",
    [MR_ERR_NOTEMPTY] = "folder is not empty",
    [MR_ERR_QUOTA] = "mailbox quota exceeded",
    [MR_ERR_BUSY] = "mail store busy, try again",
    [MR_ERR_DENIED] = "operation not permitted",
    [MR_ERR_DISABLED] = "mailbox disabled by the administrator",
    [MR_ERR_NOFOLDER] = "no such folder",
    [MR_ERR_NOMESSAGE] = "no such message",
    [MR_ERR_NOUPLOAD] = "no such upload (finished, expired, or not yours)",
    [MR_ERR_BADNAME] = "invalid folder name (1-255 bytes of UTF-8, no control characters, no "
		       "empty, \".\" or \"..\" parts)",
    [MR_ERR_NORCPT] = "cannot deliver to a recipient; nothing was delivered",
    [MR_ERR_MISMATCH] = "uploaded data does not match its announced size or SHA-256",
    [MR_ERR_OFFSET] = "upload offset does not match the bytes the server has",
    [MR_ERR_WELLKNOWN] = "well-known folders cannot be renamed or deleted",
    [MR_ERR_CORRUPT] = "a stored record is damaged; the administrator has been told",
    [MR_ERR_FULL] = "the server's storage is full; try again later",
    [MR_ERR_LIMIT] = "a per-user resource limit was reached",
    [MR_ERR_CONNLIMIT] = "too many connections of your principal to this server (its "
			 "max-user-conns); close some, or try again later",
    [MR_ERR_SENDER] = "the message's sender is not one you may send as",
};

_Static_assert(sizeof(texts) / sizeof(texts[0]) == MAILRPC_STATUS_COUNT,
	       "one text per status of idl/mailrpc.x");
_Static_assert(MR_ERR_SENDER + 1 == MAILRPC_STATUS_COUNT, "MAILRPC_STATUS_COUNT follows the last");

const char *status_text(int status)
{
	if (status < 0 || (unsigned)status >= sizeof(texts) / sizeof(texts[0]) ||
	    texts[status] == NULL)
		return "unknown server status";
	return texts[status];
}
