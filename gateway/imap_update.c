/*
 * imap_update.c -- telling the client what changed in the selected folder
 * (RFC 3501 7.3.1, 7.4.1, 7.4.2; RFC 7162 3.2.10): expunges (EXPUNGE, or
 * VANISHED once QRESYNC is on) when the command allows them, new messages
 * (EXISTS, RECENT) and flag changes (FETCH) always.
 */
#include <stdio.h>
#include <stdlib.h>

#include "imap_flags.h"
#include "imap_msgset.h"
#include "imap_session.h"
#include "imap_view.h"

/* UIDs of the gone messages as a uid-set ("3:5,9"). */
static void write_gone_uids(struct buf *out, const struct imap_view *v)
{
	uint64_t *uids = malloc(v->gone * sizeof(*uids));
	size_t n = 0;
	if (uids == NULL) {
		out->overflow = 1;
		return;
	}
	for (size_t i = 0; i < v->count && n < v->gone; i++)
		if (v->msgs[i].gone)
			uids[n++] = v->msgs[i].uid;
	imap_write_uid_ranges(uids, n, out);
	free(uids);
}

static void tell_expunges(struct imap_session *s, struct imap_view *v)
{
	struct buf *out = &s->reply;
	if (s->enabled & IMAP_ENABLE_QRESYNC) {
		buf_reset(out);
		buf_adds(out, "* VANISHED ");
		write_gone_uids(out, v);
		buf_adds(out, "\r\n");
		stream_write(&s->gw.stream, out->data, out->len);
	} else {
		/* Highest first: each number still means what the client thinks. */
		for (size_t i = v->told; i-- > 0;)
			if (v->msgs[i].gone)
				stream_printf(&s->gw.stream, "* %zu EXPUNGE\r\n", i + 1);
	}
	imap_view_compact(v);
}

void imap_write_fetch_flags(struct imap_session *s, size_t i, int with_uid)
{
	const struct imap_msg *msg = &s->view->msgs[i];
	struct buf *out = &s->reply;
	buf_reset(out);
	buf_printf(out, "* %zu FETCH (", i + 1);
	if (with_uid)
		buf_printf(out, "UID %llu ", (unsigned long long)msg->uid);
	buf_adds(out, "FLAGS ");
	imap_write_flags(out, msg->flags, msg->recent);
	if (s->enabled & IMAP_ENABLE_CONDSTORE)
		buf_printf(out, " MODSEQ (%llu)", (unsigned long long)msg->modseq);
	buf_adds(out, ")\r\n");
	stream_write(&s->gw.stream, out->data, out->len);
}

void imap_report(struct imap_session *s, int may_expunge)
{
	struct imap_view *v = s->view;
	if (v == NULL)
		return;
	if (may_expunge && v->gone > 0)
		tell_expunges(s, v);
	if (v->count != v->told) {
		size_t recent = 0;
		for (size_t i = 0; i < v->count; i++)
			recent += v->msgs[i].recent;
		stream_printf(&s->gw.stream, "* %zu EXISTS\r\n* %zu RECENT\r\n", v->count, recent);
		v->told = v->count;
	}
	for (size_t i = 0; i < v->count; i++) {
		if (!v->msgs[i].changed)
			continue;
		v->msgs[i].changed = 0;
		if (!v->msgs[i].gone)
			imap_write_fetch_flags(s, i, 1);
	}
}

int imap_refresh(struct imap_session *s)
{
	if (s->view == NULL || s->view->closed)
		return MAIL_OK;
	return imap_view_refresh(s->gw.mail, s->view);
}
