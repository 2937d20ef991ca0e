/* imap_status.c -- mail service statuses as IMAP answers (see imap_session.h). */
#include <ctype.h>
#include <stdio.h>

#include "../common/status.h"
#include "imap_session.h"

/* RFC 5530 response codes; what a caller may not see reads as missing. */
static const char *code_of(int status)
{
	switch (status) {
	case MAIL_ERR_NOFOLDER:
	case MAIL_ERR_NOTFOUND:
		return "NONEXISTENT";
	case MAIL_ERR_NOMESSAGE:
		return "EXPUNGEISSUED";
	case MAIL_ERR_EXISTS:
		return "ALREADYEXISTS";
	case MAIL_ERR_NOTEMPTY:
	case MAIL_ERR_WELLKNOWN:
	case MAIL_ERR_BADNAME:
	case MAIL_ERR_INVALID:
		return "CANNOT";
	case MAIL_ERR_QUOTA:
		return "OVERQUOTA";
	case MAIL_ERR_TOOBIG:
		return "TOOBIG";
	case MAIL_ERR_DENIED:
		return "NOPERM";
	case MAIL_ERR_LIMIT:
		return "LIMIT";
	case MAIL_ERR_BUSY:
	case MAIL_ERR_FULL:
	case MAIL_ERR_DISABLED:
	case MAIL_ERR_NOMAILBOX:
	case MAIL_ERR_FOREIGN:
		return "UNAVAILABLE";
	default:
		return "SERVERBUG";
	}
}

enum imap_next imap_reply_mail(struct imap_session *s, const struct imap_command *cmd, int status)
{
	char text[256];
	const char *words = status_text(status);
	/* The shared texts are sentences' insides: start with a capital. */
	snprintf(text, sizeof(text), "[%s] %c%s", code_of(status), toupper((unsigned char)words[0]),
		 words + 1);
	return imap_reply(s, cmd, "NO", text);
}
