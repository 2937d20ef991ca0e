/*
 * imap_cmd_search.c -- SEARCH and UID SEARCH (RFC 3501 6.4.4, RFC 7162
 * 3.1.5): criteria parsed once (imap_search.h), then each message the
 * client knows of is tried, its bytes read only when a criterion needs
 * them.  The charset may be US-ASCII or UTF-8.
 */
#include <strings.h>

#include "imap_message.h"
#include "imap_search.h"
#include "imap_session.h"
#include "imap_view.h"

/* "CHARSET name" before the criteria: how many arguments it took, or -1. */
static int charset(const struct imap_arg *args, size_t nargs)
{
	if (nargs == 0 || args[0].type != IMAP_ARG_ATOM || strcasecmp(args[0].data, "CHARSET") != 0)
		return 0;
	size_t len;
	const char *name = nargs >= 2 ? imap_arg_astring(&args[1], &len) : NULL;
	if (name == NULL || (strcasecmp(name, "UTF-8") != 0 && strcasecmp(name, "US-ASCII") != 0))
		return -1;
	return 2;
}

enum imap_next imap_do_search(struct imap_session *s, const struct imap_command *cmd,
			      const struct imap_arg *args, size_t nargs, int uid)
{
	struct search srch;
	const char *error;
	int skip = charset(args, nargs);
	if (skip < 0)
		return imap_reply(s, cmd, "NO", "[BADCHARSET (US-ASCII UTF-8)] Unknown charset");
	if (search_parse(s->view, args + skip, nargs - (size_t)skip, &srch, &error) != 0) {
		search_free(&srch);
		return imap_reply(s, cmd, "BAD", error);
	}
	if (srch.has_modseq)
		s->enabled |= IMAP_ENABLE_CONDSTORE;
	struct imap_view *v = s->view;
	uint64_t highest = 0;
	int status = MAIL_OK;
	stream_puts(&s->gw.stream, "* SEARCH");
	for (size_t i = 0; i < v->told && status == MAIL_OK; i++) {
		const struct imap_msg *msg = &v->msgs[i];
		if (msg->gone)
			continue;
		if (srch.need != 0) {
			status = imap_view_use(s->gw.mail, v);
			if (status == MAIL_OK)
				status = imap_message_get(s->gw.mail, msg->uid, msg->size,
							  srch.need, &s->message);
			if (status == MAIL_ERR_NOMESSAGE) { /* removed meanwhile */
				status = MAIL_OK;
				continue;
			}
			if (status != MAIL_OK)
				break;
		}
		if (!search_match(&srch, v, i, srch.need ? s->message : NULL))
			continue;
		stream_printf(&s->gw.stream, " %llu",
			      uid ? (unsigned long long)msg->uid : (unsigned long long)i + 1);
		highest = msg->modseq > highest ? msg->modseq : highest;
	}
	if (srch.has_modseq && highest > 0)
		stream_printf(&s->gw.stream, " (MODSEQ %llu)", (unsigned long long)highest);
	stream_puts(&s->gw.stream, "\r\n");
	search_free(&srch);
	if (status != MAIL_OK)
		return imap_reply_mail(s, cmd, status);
	return imap_reply(s, cmd, "OK", uid ? "UID SEARCH completed" : "SEARCH completed");
}
