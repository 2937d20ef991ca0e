/*
 * imap_cmd_idle.c -- IDLE (RFC 2177): the session waits on its client and
 * looks at the selected folder every IDLE_POLL_MS, telling what changed
 * (whoever changed it: another session, mailrpcd, the delivery agent),
 * expunges included, until the client says DONE.  A look is one LMDB read
 * transaction.  The store's waiters sleep on futexes (store_notify.c),
 * which poll(2) cannot watch beside the client's socket; a look this often
 * keeps a delivery's news well within the 1 s users expect.
 */
#include <strings.h>
#include <unistd.h>

#include "../server/log.h"
#include "imap_session.h"
#include "imap_view.h"

#define IDLE_POLL_MS 500

static enum imap_next tell_changes(struct imap_session *s)
{
	if (s->view != NULL) {
		imap_refresh(s);
		imap_report(s, 1);
		if (s->view->closed) {
			stream_puts(&s->gw.stream,
				    "* BYE The selected folder was deleted or renamed\r\n");
			stream_flush(&s->gw.stream);
			return IMAP_NEXT_CLOSE;
		}
	}
	return stream_flush(&s->gw.stream) == STREAM_OK ? IMAP_NEXT_COMMAND : IMAP_NEXT_CLOSE;
}

/* Waits for DONE; what happens in the folder meanwhile is told. */
static enum imap_next idle(struct imap_session *s, const struct imap_command *cmd)
{
	int timeout_ms = s->gw.cfg->idle_timeout * 1000;
	for (;;) {
		int st = stream_wait_input(&s->gw.stream, IDLE_POLL_MS);
		if (st == STREAM_TIMEOUT && (timeout_ms -= IDLE_POLL_MS) > 0) {
			if (tell_changes(s) != IMAP_NEXT_COMMAND)
				return IMAP_NEXT_CLOSE;
			continue;
		}
		if (st == STREAM_OK)
			st =
			    stream_read_line(&s->gw.stream, &s->line, s->gw.cfg->max_line, 1 << 20);
		if (st == STREAM_OK)
			return strcasecmp(buf_cstr(&s->line), "DONE") == 0
				   ? imap_reply(s, cmd, "OK", "IDLE terminated")
				   : imap_reply(s, cmd, "BAD", "IDLE ends with DONE");
		if (st == STREAM_TOO_LONG)
			return imap_reply(s, cmd, "BAD", "IDLE ends with DONE");
		if (st == STREAM_TIMEOUT) {
			log_info("peer=%s: idle for %d s, closing", s->gw.peer,
				 s->gw.cfg->idle_timeout);
			stream_puts(&s->gw.stream, "* BYE Autologout; idle for too long\r\n");
		} else if (st == STREAM_STOPPED) {
			stream_puts(&s->gw.stream, "* BYE Server shutting down\r\n");
		}
		stream_flush(&s->gw.stream);
		return IMAP_NEXT_CLOSE;
	}
}

enum imap_next imap_cmd_idle(struct imap_session *s, const struct imap_command *cmd)
{
	if (cmd->nargs != 0)
		return imap_reply(s, cmd, "BAD", "IDLE takes no arguments");
	stream_puts(&s->gw.stream, "+ idling\r\n");
	enum imap_next next = tell_changes(s);
	if (next == IMAP_NEXT_COMMAND)
		next = idle(s, cmd);
	return next;
}
