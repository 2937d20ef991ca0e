/*
 * imap_cmd_uid.c -- the commands that take a message set, by sequence
 * numbers or, under UID (RFC 3501 6.4.8, UIDPLUS, MOVE), by UIDs: the
 * same handlers, told which.  UID variants may report expunges.
 */
#include <string.h>
#include <strings.h>

#include "imap_session.h"

enum imap_next imap_cmd_fetch(struct imap_session *s, const struct imap_command *cmd)
{
	return imap_do_fetch(s, cmd, cmd->args, cmd->nargs, 0);
}

enum imap_next imap_cmd_store(struct imap_session *s, const struct imap_command *cmd)
{
	return imap_do_store(s, cmd, cmd->args, cmd->nargs, 0);
}

enum imap_next imap_cmd_copy(struct imap_session *s, const struct imap_command *cmd)
{
	return imap_do_copy(s, cmd, cmd->args, cmd->nargs, 0);
}

enum imap_next imap_cmd_move(struct imap_session *s, const struct imap_command *cmd)
{
	return imap_do_move(s, cmd, cmd->args, cmd->nargs, 0);
}

enum imap_next imap_cmd_search(struct imap_session *s, const struct imap_command *cmd)
{
	return imap_do_search(s, cmd, cmd->args, cmd->nargs, 0);
}

enum imap_next imap_cmd_uid(struct imap_session *s, const struct imap_command *cmd)
{
	static const struct {
		const char *name;
		imap_set_handler handler;
	} subs[] = {
	    {"FETCH", imap_do_fetch}, {"STORE", imap_do_store},	  {"COPY", imap_do_copy},
	    {"MOVE", imap_do_move},   {"SEARCH", imap_do_search}, {"EXPUNGE", imap_do_expunge},
	};
	if (cmd->nargs >= 1 && cmd->args[0].type == IMAP_ARG_ATOM)
		for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
			if (strcasecmp(cmd->args[0].data, subs[i].name) == 0)
				return subs[i].handler(s, cmd, cmd->args + 1, cmd->nargs - 1, 1);
	return imap_reply(s, cmd, "BAD", "UID takes FETCH, STORE, COPY, MOVE, SEARCH or EXPUNGE");
}
