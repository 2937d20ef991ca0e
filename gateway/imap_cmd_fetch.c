/*
 * imap_cmd_fetch.c -- FETCH and UID FETCH (RFC 3501 6.4.5, 6.4.8; RFC 7162
 * 3.1.4, 3.2.6): each message's items from the view (flags, size, date,
 * MODSEQ) and from its bytes, cut from the stored message by offset
 * (mime_section.h); BODY[] alone goes out piece by piece, never held
 * whole.  Reading a section without PEEK sets \Seen first (when the
 * folder is read-write and the caller has "s").
 */
#include <stdlib.h>
#include <string.h>

#include "imap_date.h"
#include "imap_fetch.h"
#include "imap_flags.h"
#include "imap_message.h"
#include "imap_msgset.h"
#include "imap_session.h"
#include "imap_view.h"
#include "imap_write.h"
#include "mime_imap.h"

/* Literals above this go to the stream as they are, not through the reply. */
#define INLINE_LITERAL_MAX 65536
#define RIGHT_SEEN (1u << 2) /* "s" */

/* Sends the reply built so far, so that bytes can follow it directly. */
static int flush_reply(struct imap_session *s)
{
	int rc = stream_write(&s->gw.stream, s->reply.data, s->reply.len);
	buf_reset(&s->reply);
	return rc;
}

static int emit_literal(struct imap_session *s, const char *data, size_t len)
{
	if (len <= INLINE_LITERAL_MAX)
		return imap_write_literal(&s->reply, data, len);
	buf_printf(&s->reply, "{%zu}\r\n", len);
	if (flush_reply(s) != STREAM_OK)
		return -1;
	return stream_write(&s->gw.stream, data, len) == STREAM_OK ? 0 : -1;
}

/* Bytes [offset, offset + length) of n, as a partial FETCH cuts them. */
static void clamp(uint64_t n, uint64_t offset, uint64_t length, uint64_t *from, uint64_t *take)
{
	*from = offset < n ? offset : n;
	*take = n - *from < length ? n - *from : length;
}

/* A section of a message that was read (whole, or its header). */
static int write_section(struct imap_session *s, const struct fetch_item *it,
			 const struct imap_message *m)
{
	struct mime_message header_only;
	const struct mime_message *mm = &m->mime;
	if (!m->parsed) {
		/* A top-level section of a message read but not parsed. */
		imap_message_header_view(m, &header_only);
		if (it->section.spec == SECTION_BODY || it->section.spec == SECTION_TEXT) {
			header_only.len = m->len;
			header_only.body.end = m->len;
		}
		mm = &header_only;
	}
	struct buf bytes;
	buf_init(&bytes, m->len + 2);
	int rc = mime_section_fetch(mm, &it->section, (size_t)it->offset,
				    it->length > m->len ? m->len + 2 : (size_t)it->length, &bytes);
	if (rc == 0)
		rc = emit_literal(s, bytes.data ? bytes.data : "", bytes.len);
	buf_free(&bytes);
	return rc;
}

/* BODY[] of a message that was not read: sent piecewise from the store. */
static int send_section(struct imap_session *s, const struct fetch_item *it,
			const struct imap_msg *msg)
{
	uint64_t from, take;
	clamp(msg->size, it->offset, it->length, &from, &take);
	buf_printf(&s->reply, "{%llu}\r\n", (unsigned long long)take);
	if (flush_reply(s) != STREAM_OK)
		return -1;
	return imap_message_send(s->gw.mail, msg->uid, from, take, &s->gw.stream) == MAIL_OK ? 0
											     : -1;
}

static int write_item(struct imap_session *s, const struct fetch_request *req,
		      const struct fetch_item *it, const struct imap_msg *msg,
		      const struct imap_message *m)
{
	struct buf *out = &s->reply;
	switch (it->kind) {
	case FETCH_UID:
		return buf_printf(out, "UID %llu", (unsigned long long)msg->uid);
	case FETCH_FLAGS:
		buf_adds(out, "FLAGS ");
		return imap_write_flags(out, msg->flags, msg->recent);
	case FETCH_INTERNALDATE:
		buf_adds(out, "INTERNALDATE ");
		return imap_write_date_time(out, msg->received);
	case FETCH_SIZE:
		return buf_printf(out, "RFC822.SIZE %llu", (unsigned long long)msg->size);
	case FETCH_MODSEQ:
		return buf_printf(out, "MODSEQ (%llu)", (unsigned long long)msg->modseq);
	case FETCH_ENVELOPE:
		buf_adds(out, "ENVELOPE ");
		return mime_write_envelope_of(m->data, 0, m->header_end, out);
	case FETCH_BODY:
	case FETCH_BODYSTRUCTURE:
		buf_printf(out, "%s ", it->label);
		return mime_write_bodystructure(&m->mime, it->kind == FETCH_BODYSTRUCTURE, out);
	case FETCH_SECTION:
		buf_printf(out, "%s ", it->label);
		return m == NULL || req->streams ? send_section(s, it, msg)
						 : write_section(s, it, m);
	}
	return -1;
}

static int has_item(const struct fetch_request *req, enum fetch_kind kind)
{
	for (size_t i = 0; i < req->count; i++)
		if (req->items[i].kind == kind)
			return 1;
	return 0;
}

/* "* n FETCH (...)" for view message i: 0, 1 if it is gone, 2 if it may
 * no longer be read, -1 if the connection can go no further. */
static int write_message(struct imap_session *s, const struct fetch_request *req, size_t i, int uid)
{
	struct imap_msg *msg = &s->view->msgs[i];
	struct imap_message *m = NULL;
	if (req->need != 0) {
		/* A streamed section announces its literal before its first
		 * piece is read: reading the header first means an expunge or
		 * a right taken away cannot break the answer mid-literal. */
		int status =
		    imap_message_get(s->gw.mail, msg->uid, msg->size,
				     req->streams ? IMAP_NEED_HEADER : req->need, &s->message);
		if (status == MAIL_ERR_NOMESSAGE)
			return 1;
		if (status == MAIL_ERR_DENIED || status == MAIL_ERR_NOFOLDER)
			return 2;
		if (status != MAIL_OK)
			return -1;
		m = req->streams ? NULL : s->message;
	}
	buf_reset(&s->reply);
	buf_printf(&s->reply, "* %zu FETCH (", i + 1);
	int first = 1;
	/* UID FETCH always names the UID; a FETCH that tells flags, or asks
	 * CHANGEDSINCE, tells MODSEQ once CONDSTORE is on (RFC 7162 3.1.4). */
	int condstore = (s->enabled & IMAP_ENABLE_CONDSTORE) != 0;
	if (uid && !has_item(req, FETCH_UID)) {
		buf_printf(&s->reply, "UID %llu", (unsigned long long)msg->uid);
		first = 0;
	}
	int flags_told = has_item(req, FETCH_FLAGS);
	if (!flags_told && msg->changed) {
		/* \Seen set by this FETCH, or someone's change: tell it now. */
		buf_adds(&s->reply, first ? "" : " ");
		buf_adds(&s->reply, "FLAGS ");
		imap_write_flags(&s->reply, msg->flags, msg->recent);
		first = 0;
		flags_told = 1;
	}
	for (size_t k = 0; k < req->count; k++) {
		buf_adds(&s->reply, first ? "" : " ");
		if (write_item(s, req, &req->items[k], msg, m) != 0)
			return -1;
		first = 0;
	}
	if (condstore && !has_item(req, FETCH_MODSEQ) && (flags_told || req->changedsince_given))
		buf_printf(&s->reply, " MODSEQ (%llu)", (unsigned long long)msg->modseq);
	msg->changed = flags_told ? 0 : msg->changed;
	buf_adds(&s->reply, ")\r\n");
	if (s->reply.overflow)
		return -1;
	return flush_reply(s) == STREAM_OK ? 0 : -1;
}

/* \Seen on the messages a FETCH reads, before it answers (RFC 3501 6.4.5). */
static void set_seen(struct imap_session *s, const struct imap_msgset *set)
{
	struct imap_view *v = s->view;
	uint64_t *ids = malloc((set->count ? set->count : 1) * sizeof(*ids));
	size_t n = 0;
	store_result_t res;
	if (ids == NULL)
		return;
	for (size_t i = 0; i < set->count; i++) {
		const struct imap_msg *msg = &v->msgs[set->index[i]];
		if (!msg->gone && !(msg->flags & STORE_FLAG_SEEN))
			ids[n++] = msg->uid;
	}
	for (size_t k = 0; k < n; k += STORE_BATCH_MAX) {
		size_t batch = n - k < STORE_BATCH_MAX ? n - k : STORE_BATCH_MAX;
		if (imap_view_use(s->gw.mail, v) == MAIL_OK)
			mail_flags(s->gw.mail, NULL, ids + k, batch, STORE_FLAG_SEEN, 0, &res);
		store_result_clear(&res);
	}
	free(ids);
	imap_refresh(s);
}

enum imap_next imap_do_fetch(struct imap_session *s, const struct imap_command *cmd,
			     const struct imap_arg *args, size_t nargs, int uid)
{
	struct imap_msgset set;
	struct fetch_request req;
	const char *error;
	if (nargs < 2)
		return imap_reply(s, cmd, "BAD", "FETCH takes a message set and items");
	if (fetch_parse(args + 1, nargs - 1, uid, &req, &error) != 0) {
		fetch_request_free(&req);
		return imap_reply(s, cmd, "BAD", error);
	}
	if (req.vanished && !(s->enabled & IMAP_ENABLE_QRESYNC)) {
		fetch_request_free(&req);
		return imap_reply(s, cmd, "BAD", "VANISHED needs ENABLE QRESYNC first");
	}
	enum imap_msgset_result r = imap_msgset_parse(s->view, &args[0], uid, &set);
	if (r != IMAP_MSGSET_OK) {
		fetch_request_free(&req);
		return imap_reply(s, cmd, "BAD", imap_msgset_error(r));
	}
	if (has_item(&req, FETCH_MODSEQ) || req.changedsince_given)
		s->enabled |= IMAP_ENABLE_CONDSTORE; /* RFC 7162 3.1: these enable it */
	if (req.sets_seen && !s->view->readonly && (s->view->rights & RIGHT_SEEN))
		set_seen(s, &set);
	int rc = 0;
	if (req.vanished)
		imap_vanished_since(s, &args[0], req.changedsince);
	int any_gone = 0;
	for (size_t k = 0; rc >= 0 && rc != 2 && k < set.count; k++) {
		const struct imap_msg *msg = &s->view->msgs[set.index[k]];
		if (msg->gone) {
			any_gone = 1;
			continue;
		}
		if (req.changedsince_given && msg->modseq <= req.changedsince)
			continue;
		rc = write_message(s, &req, set.index[k], uid);
		any_gone |= rc == 1;
	}
	imap_msgset_free(&set);
	fetch_request_free(&req);
	if (rc < 0) {
		/* Part of a response may be out: the session cannot go on. */
		stream_puts(&s->gw.stream, "* BYE Cannot read a message; log in again\r\n");
		imap_reply(s, cmd, "NO", "[SERVERBUG] Cannot read a message");
		return IMAP_NEXT_CLOSE;
	}
	if (rc == 2)
		return imap_reply(s, cmd, "NO", "[NOPERM] These messages may no longer be read");
	if (any_gone)
		return imap_reply(s, cmd, "NO",
				  "[EXPUNGEISSUED] Some of the messages no longer exist");
	return imap_reply(s, cmd, "OK", uid ? "UID FETCH completed" : "FETCH completed");
}
