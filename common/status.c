/* status.c -- texts for the IDL's mr_status values (see status.h). */
#include "status.h"

/* Indexed by mr_status; keep in step with idl/mailrpc.x. */
static const char *const texts[] = {
	"OK",
	"internal server error (see the server log)",
	"your Kerberos principal does not map to a mailbox on this server",
	"principals of your realm are not served here",
	"invalid request",
	"request too big",
	"no such folder or message",
	"already exists",
	"folder is not empty",
	"mailbox quota exceeded",
	"mail store busy, try again",
	"operation not permitted",
	"mailbox disabled by the administrator",
};

const char *status_text(int status)
{
	if (status < 0 || (unsigned)status >= sizeof(texts) / sizeof(texts[0]))
		return "unknown server status";
	return texts[status];
}
