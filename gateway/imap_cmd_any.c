/* imap_cmd_any.c -- CAPABILITY, NOOP, LOGOUT, ID, ENABLE (see imap_session.h). */
#include <string.h>
#include <strings.h>

#include "imap_session.h"
#include "imap_write.h"

static enum imap_next untagged_then_ok(struct imap_session *s, const struct imap_command *cmd,
				       const char *text)
{
	stream_write(&s->gw.stream, s->reply.data, s->reply.len);
	return imap_reply(s, cmd, "OK", text);
}

enum imap_next imap_cmd_capability(struct imap_session *s, const struct imap_command *cmd)
{
	if (cmd->nargs != 0)
		return imap_reply(s, cmd, "BAD", "CAPABILITY takes no arguments");
	buf_reset(&s->reply);
	buf_adds(&s->reply, "* CAPABILITY ");
	imap_capabilities(s, &s->reply);
	buf_adds(&s->reply, "\r\n");
	return untagged_then_ok(s, cmd, "CAPABILITY completed");
}

enum imap_next imap_cmd_noop(struct imap_session *s, const struct imap_command *cmd)
{
	if (cmd->nargs != 0)
		return imap_reply(s, cmd, "BAD", "NOOP takes no arguments");
	return imap_reply(s, cmd, "OK", "NOOP completed");
}

enum imap_next imap_cmd_logout(struct imap_session *s, const struct imap_command *cmd)
{
	if (cmd->nargs != 0)
		return imap_reply(s, cmd, "BAD", "LOGOUT takes no arguments");
	stream_puts(&s->gw.stream, "* BYE Logging out\r\n");
	s->state = IMAP_LOGOUT;
	imap_reply(s, cmd, "OK", "LOGOUT completed");
	return IMAP_NEXT_CLOSE;
}

/* RFC 2971: NIL, or a list of up to 30 field/value pairs. */
static int valid_id_params(const struct imap_arg *arg)
{
	if (arg->type == IMAP_ARG_NIL)
		return 1;
	if (arg->type != IMAP_ARG_LIST || arg->count % 2 != 0 || arg->count > 60)
		return 0;
	for (size_t i = 0; i < arg->count; i++) {
		size_t len;
		int is_value = i % 2 == 1;
		if (imap_arg_string(&arg->list[i], &len) == NULL &&
		    !(is_value && arg->list[i].type == IMAP_ARG_NIL))
			return 0;
	}
	return 1;
}

enum imap_next imap_cmd_id(struct imap_session *s, const struct imap_command *cmd)
{
	if (cmd->nargs != 1 || !valid_id_params(&cmd->args[0]))
		return imap_reply(s, cmd, "BAD", "ID takes NIL or a list of field/value pairs");
	buf_reset(&s->reply);
	buf_adds(&s->reply, "* ID (\"name\" \"mailrpc\" \"vendor\" \"mailrpc\")\r\n");
	return untagged_then_ok(s, cmd, "ID completed");
}

/* What ENABLE knows (RFC 5161); QRESYNC brings CONDSTORE with it
 * (RFC 7162 3.2.3).  UTF8=ACCEPT is not offered: names are modified UTF-7. */
static const struct {
	const char *name;
	unsigned bits;
	int available;
} enableable[] = {
    {"CONDSTORE", IMAP_ENABLE_CONDSTORE, 1},
    {"QRESYNC", IMAP_ENABLE_QRESYNC | IMAP_ENABLE_CONDSTORE, 1},
    {"UTF8=ACCEPT", IMAP_ENABLE_UTF8_ACCEPT, 0},
};

enum imap_next imap_cmd_enable(struct imap_session *s, const struct imap_command *cmd)
{
	if (cmd->nargs == 0)
		return imap_reply(s, cmd, "BAD", "ENABLE needs at least one capability");
	buf_reset(&s->reply);
	buf_adds(&s->reply, "* ENABLED");
	for (size_t i = 0; i < cmd->nargs; i++) {
		if (cmd->args[i].type != IMAP_ARG_ATOM)
			return imap_reply(s, cmd, "BAD", "ENABLE takes capability names");
		for (size_t k = 0; k < sizeof(enableable) / sizeof(enableable[0]); k++) {
			if (!enableable[k].available ||
			    strcasecmp(cmd->args[i].data, enableable[k].name) != 0 ||
			    (s->enabled & enableable[k].bits) == enableable[k].bits)
				continue;
			/* Only newly enabled ones are listed (RFC 5161 3.1). */
			s->enabled |= enableable[k].bits;
			buf_printf(&s->reply, " %s", enableable[k].name);
		}
	}
	buf_adds(&s->reply, "\r\n");
	return untagged_then_ok(s, cmd, "ENABLE completed");
}
