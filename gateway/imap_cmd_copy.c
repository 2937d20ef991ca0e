/*
 * imap_cmd_copy.c -- COPY, MOVE (RFC 6851) and their UID forms, with
 * UIDPLUS's COPYUID.  Within one mailbox the store copies or moves a batch
 * in one transaction (bodies shared, new ids in the destination); into
 * another mailbox (a folder shared with the caller, or the caller's own
 * from a shared one) each message is read and stored again, and a move
 * then removes the originals for good (so it needs "t" and "e" there).
 *
 * A copy that stops part way is undone (the copies made are removed), so
 * the destination is as before (RFC 3501 6.4.7); a move that stops part
 * way keeps what it moved, and says so (COPYUID of those, then NO).
 */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "imap_message.h"
#include "imap_msgset.h"
#include "imap_session.h"
#include "imap_view.h"

#define R(c) (1u << (strchr(STORE_RIGHTS_LETTERS, (c)) - STORE_RIGHTS_LETTERS))

struct transfer {
	struct imap_box to;
	uint64_t to_uidvalidity;
	uint64_t *from, *made; /* source UIDs and the new ones, in step */
	size_t n, done;
	int move;
};

static int same_mailbox(const struct imap_session *s, const struct imap_box *to)
{
	return strcmp(s->view->box.mailbox, to->mailbox) == 0;
}

/* Within the view's mailbox, batch by batch. */
static int transfer_inside(struct imap_session *s, struct transfer *t)
{
	int status = MAIL_OK;
	while (status == MAIL_OK && t->done < t->n) {
		store_result_t res;
		size_t batch = t->n - t->done < STORE_BATCH_MAX ? t->n - t->done : STORE_BATCH_MAX;
		status = imap_view_use(s->gw.mail, s->view);
		if (status == MAIL_OK)
			status = (t->move ? mail_move : mail_copy)(
			    s->gw.mail, NULL, t->from + t->done, batch, t->to.path, &res);
		for (size_t i = 0; i < res.done && res.ids != NULL; i++)
			t->made[t->done + i] = res.ids[i];
		t->done += res.done;
		store_result_clear(&res);
	}
	return status;
}

/* Into another mailbox: read, store again, then (a move) remove. */
static int transfer_across(struct imap_session *s, struct transfer *t)
{
	int status = MAIL_OK;
	while (status == MAIL_OK && t->done < t->n) {
		size_t at = imap_view_find(s->view, t->from[t->done]);
		unsigned char sha[32];
		unsigned int shalen;
		store_result_t res = {0};
		status = at == SIZE_MAX ? MAIL_ERR_NOMESSAGE : imap_view_use(s->gw.mail, s->view);
		if (status == MAIL_OK)
			status =
			    imap_message_get(s->gw.mail, t->from[t->done], s->view->msgs[at].size,
					     IMAP_NEED_WHOLE, &s->message);
		if (status == MAIL_OK &&
		    EVP_Digest(s->message->data ? s->message->data : "", s->message->len, sha,
			       &shalen, EVP_sha256(), NULL) != 1)
			status = MAIL_ERR_INTERNAL;
		if (status == MAIL_OK)
			status = mail_open(s->gw.mail, t->to.mailbox);
		if (status == MAIL_OK)
			status = mail_append(s->gw.mail, NULL, t->to.path, s->view->msgs[at].flags,
					     sha, s->message->data, s->message->len, &res);
		if (status == MAIL_OK && t->move &&
		    (status = imap_view_use(s->gw.mail, s->view)) == MAIL_OK) {
			store_result_t del;
			status = mail_delete(s->gw.mail, NULL, &t->from[t->done], 1, 1, &del);
			store_result_clear(&del);
			if (status != MAIL_OK) {
				/* Not removed there: the new copy must not stay either. */
				store_result_t undo;
				mail_open(s->gw.mail, t->to.mailbox);
				mail_delete(s->gw.mail, NULL, &res.id, 1, 1, &undo);
				store_result_clear(&undo);
			}
		}
		if (status == MAIL_OK)
			t->made[t->done++] = res.id;
		store_result_clear(&res);
	}
	return status;
}

/* Removes the copies a failed COPY made (what rights allow). */
static void undo_copies(struct imap_session *s, const struct transfer *t)
{
	store_result_t res;
	if (t->done == 0 || mail_open(s->gw.mail, t->to.mailbox) != MAIL_OK)
		return;
	for (size_t i = 0; i < t->done; i += STORE_BATCH_MAX) {
		size_t batch = t->done - i < STORE_BATCH_MAX ? t->done - i : STORE_BATCH_MAX;
		mail_delete(s->gw.mail, NULL, t->made + i, batch, 1, &res);
		store_result_clear(&res);
	}
}

static void write_copyuid(const struct transfer *t, struct buf *out)
{
	buf_printf(out, "[COPYUID %llu ", (unsigned long long)t->to_uidvalidity);
	imap_write_uid_ranges(t->from, t->done, out);
	buf_addc(out, ' ');
	imap_write_uid_ranges(t->made, t->done, out);
	buf_addc(out, ']');
}

/* The destination: a folder that exists (else TRYCREATE); a mail status. */
static int destination(struct imap_session *s, const struct imap_arg *arg, struct transfer *t)
{
	store_folder_info_t info;
	uint64_t next;
	size_t len;
	const char *name = imap_arg_astring(arg, &len);
	if (name == NULL || imap_name_parse(name, len, &t->to) != 0 ||
	    t->to.kind != IMAP_BOX_FOLDER)
		return MAIL_ERR_NOFOLDER;
	int status = mail_open(s->gw.mail, t->to.mailbox);
	if (status == MAIL_OK)
		status = mail_folder_get(s->gw.mail, t->to.path, &info, &next);
	t->to_uidvalidity = info.id;
	return status;
}

static enum imap_next answer(struct imap_session *s, const struct imap_command *cmd,
			     struct transfer *t, int status)
{
	struct buf text;
	buf_init(&text, IMAP_REPLY_MAX);
	enum imap_next next;
	if (status == MAIL_OK) {
		write_copyuid(t, &text);
		buf_adds(&text, t->move ? " MOVE completed" : " COPY completed");
		if (t->move) {
			/* RFC 6851 4.3: COPYUID untagged, before the expunges. */
			stream_printf(&s->gw.stream, "* OK %s\r\n", buf_cstr(&text));
			next = imap_reply(s, cmd, "OK", t->move ? "MOVE completed" : "");
		} else {
			next = imap_reply(s, cmd, "OK", buf_cstr(&text));
		}
	} else {
		if (t->move && t->done > 0) {
			write_copyuid(t, &text);
			stream_printf(&s->gw.stream, "* OK %s Moved before the failure\r\n",
				      buf_cstr(&text));
		}
		next = status == MAIL_ERR_NOFOLDER
			   ? imap_reply(s, cmd, "NO", "[TRYCREATE] No such folder")
			   : imap_reply_mail(s, cmd, status);
	}
	buf_free(&text);
	return next;
}

static enum imap_next transfer(struct imap_session *s, const struct imap_command *cmd,
			       const struct imap_arg *args, size_t nargs, int uid, int move)
{
	struct imap_msgset set;
	struct transfer t = {.move = move};
	if (nargs != 2)
		return imap_reply(s, cmd, "BAD", "COPY and MOVE take a message set and a mailbox");
	if (move && s->view->readonly)
		return imap_reply(s, cmd, "NO", "[READ-ONLY] The folder is read-only");
	enum imap_msgset_result r = imap_msgset_parse(s->view, &args[0], uid, &set);
	if (r != IMAP_MSGSET_OK)
		return imap_reply(s, cmd, "BAD", imap_msgset_error(r));
	int status = destination(s, &args[1], &t);
	int inside = status == MAIL_OK && same_mailbox(s, &t.to);
	if (status == MAIL_OK && move && !inside &&
	    (s->view->rights & (R('t') | R('e'))) != (R('t') | R('e')))
		status = MAIL_ERR_DENIED;
	t.from = malloc((set.count ? set.count : 1) * sizeof(*t.from));
	t.made = malloc((set.count ? set.count : 1) * sizeof(*t.made));
	if (status == MAIL_OK && (t.from == NULL || t.made == NULL))
		status = MAIL_ERR_INTERNAL;
	for (size_t k = 0; status == MAIL_OK && k < set.count; k++)
		if (!s->view->msgs[set.index[k]].gone)
			t.from[t.n++] = s->view->msgs[set.index[k]].uid;
	imap_msgset_free(&set);
	if (status == MAIL_OK)
		status = inside ? transfer_inside(s, &t) : transfer_across(s, &t);
	if (status != MAIL_OK && !move) {
		undo_copies(s, &t);
		t.done = 0;
	}
	imap_refresh(s);
	enum imap_next next = answer(s, cmd, &t, status);
	free(t.from);
	free(t.made);
	return next;
}

enum imap_next imap_do_copy(struct imap_session *s, const struct imap_command *cmd,
			    const struct imap_arg *args, size_t nargs, int uid)
{
	return transfer(s, cmd, args, nargs, uid, 0);
}

enum imap_next imap_do_move(struct imap_session *s, const struct imap_command *cmd,
			    const struct imap_arg *args, size_t nargs, int uid)
{
	return transfer(s, cmd, args, nargs, uid, 1);
}
