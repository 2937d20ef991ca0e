/* status.c -- texts for the IDL's mr_status values (see status.h). */
#include "status.h"

/* Indexed by mr_status; keep in step with idl/mailrpc.x. */
static const char *const texts[] = {
	"OK",
	"internal server error (see the server log)",
	"your Kerberos principal does not map to a mailbox on this server",
	"principals of your realm are not served here",
	"invalid request",
	"message too big for this server",
	"no such folder or message",
	"already exists",
	"folder is not empty",
	"mailbox quota exceeded",
	"mail store busy, try again",
	"operation not permitted",
	"mailbox disabled by the administrator",
	"no such folder",
	"no such message",
	"no such upload (finished, expired, or not yours)",
	"invalid folder name (1-255 bytes of UTF-8, no control characters, no empty, \".\" or \"..\" parts)",
	"unknown recipient; nothing was delivered",
	"uploaded data does not match its announced size or SHA-256",
	"upload offset does not match the bytes the server has",
	"well-known folders cannot be renamed or deleted",
};

const char *status_text(int status)
{
	if (status < 0 || (unsigned)status >= sizeof(texts) / sizeof(texts[0]))
		return "unknown server status";
	return texts[status];
}
