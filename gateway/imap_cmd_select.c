/*
 * imap_cmd_select.c -- SELECT and EXAMINE (with RFC 7162's CONDSTORE and
 * QRESYNC parameters), CLOSE, UNSELECT, CHECK, EXPUNGE and UID EXPUNGE.
 * UIDVALIDITY is the folder's id (kept through renames and restarts, never
 * reused), UIDs are message ids, HIGHESTMODSEQ the folder's change number.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap_flags.h"
#include "imap_message.h"
#include "imap_msgset.h"
#include "imap_session.h"
#include "imap_view.h"

#define R(c) (1u << (strchr(STORE_RIGHTS_LETTERS, (c)) - STORE_RIGHTS_LETTERS))

void imap_deselect(struct imap_session *s)
{
	imap_view_free(&s->view);
	imap_message_free(&s->message);
	if (s->state == IMAP_SELECTED)
		s->state = IMAP_AUTHENTICATED;
}

/* QRESYNC's select parameter: (uidvalidity modseq [known-uids ...]). */
struct qresync_param {
	uint64_t uidvalidity, modseq;
	const struct imap_arg *known; /* NULL: every UID */
};

static int number(const struct imap_arg *a, uint64_t *v)
{
	char *end;
	if (a->type != IMAP_ARG_ATOM || a->data[0] < '0' || a->data[0] > '9')
		return -1;
	*v = strtoull(a->data, &end, 10);
	return *end == '\0' ? 0 : -1;
}

/* The optional "(CONDSTORE)" or "(QRESYNC (...))" after the name: 0, or
 * -1 for BAD.  *qresync_r set when QRESYNC was given. */
static int parse_select_params(struct imap_session *s, const struct imap_arg *a,
			       struct qresync_param *q, int *qresync_r)
{
	*qresync_r = 0;
	if (a->type != IMAP_ARG_LIST)
		return -1;
	for (size_t i = 0; i < a->count; i++) {
		const struct imap_arg *p = &a->list[i];
		if (p->type != IMAP_ARG_ATOM)
			return -1;
		if (strcasecmp(p->data, "CONDSTORE") == 0) {
			s->enabled |= IMAP_ENABLE_CONDSTORE;
			continue;
		}
		if (strcasecmp(p->data, "QRESYNC") != 0 || !(s->enabled & IMAP_ENABLE_QRESYNC) ||
		    i + 1 == a->count)
			return -1;
		const struct imap_arg *l = &a->list[++i];
		if (l->type != IMAP_ARG_LIST || l->count < 2 ||
		    number(&l->list[0], &q->uidvalidity) || number(&l->list[1], &q->modseq) ||
		    q->modseq == 0)
			return -1;
		/* The sequence-match data (a 4th item) only saves work; unused. */
		q->known = l->count >= 3 ? &l->list[2] : NULL;
		if (q->known != NULL && q->known->type != IMAP_ARG_ATOM)
			return -1;
		*qresync_r = 1;
	}
	return 0;
}

/* What the client missed since q (RFC 7162 3.2.5.2): removals, then the
 * messages changed since, as FETCH (UID FLAGS MODSEQ). */
static void tell_since(struct imap_session *s, const struct qresync_param *q)
{
	struct imap_view *v = s->view;
	if (q->uidvalidity != v->uidvalidity)
		return;
	imap_vanished_since(s, q->known, q->modseq);
	for (size_t i = 0; i < v->count; i++)
		if (v->msgs[i].modseq > q->modseq)
			imap_write_fetch_flags(s, i, 1);
}

static void write_select_answers(struct imap_session *s)
{
	struct imap_view *v = s->view;
	struct buf *out = &s->reply;
	size_t first_unseen = 0;
	for (size_t i = 0; i < v->count && first_unseen == 0; i++)
		if (!(v->msgs[i].flags & STORE_FLAG_SEEN))
			first_unseen = i + 1;
	buf_reset(out);
	buf_adds(out, "* FLAGS (" IMAP_SYSTEM_FLAGS ")\r\n* OK [PERMANENTFLAGS (");
	imap_write_permanent_flags(out, v->readonly ? 0 : v->rights);
	buf_printf(out, ")] Flags permitted\r\n* %zu EXISTS\r\n* 0 RECENT\r\n", v->count);
	if (first_unseen)
		buf_printf(out, "* OK [UNSEEN %zu] First unseen\r\n", first_unseen);
	buf_printf(
	    out,
	    "* OK [UIDVALIDITY %llu] UIDs valid\r\n* OK [UIDNEXT %llu] Predicted next UID\r\n"
	    "* OK [HIGHESTMODSEQ %llu] Highest\r\n",
	    (unsigned long long)v->uidvalidity, (unsigned long long)v->uidnext,
	    (unsigned long long)(v->highest ? v->highest : 1));
	stream_write(&s->gw.stream, out->data, out->len);
	v->told = v->count;
}

static enum imap_next select_folder(struct imap_session *s, const struct imap_command *cmd,
				    int examine)
{
	struct imap_box box;
	struct qresync_param q = {0};
	size_t len;
	int qresync = 0;
	const char *name = cmd->nargs >= 1 ? imap_arg_astring(&cmd->args[0], &len) : NULL;
	if (name == NULL || cmd->nargs > 2 ||
	    (cmd->nargs == 2 && parse_select_params(s, &cmd->args[1], &q, &qresync) != 0))
		return imap_reply(s, cmd, "BAD",
				  "SELECT takes a mailbox name and (CONDSTORE) or (QRESYNC (...))");
	if (s->view != NULL) {
		int told_closed = (s->enabled & IMAP_ENABLE_QRESYNC) != 0;
		imap_deselect(s);
		if (told_closed) /* RFC 7162 3.2.11 */
			stream_puts(&s->gw.stream, "* OK [CLOSED] Previous mailbox closed\r\n");
	}
	if (imap_name_parse(name, len, &box) != 0)
		return imap_reply_mail(s, cmd, MAIL_ERR_NOFOLDER);
	if (box.kind != IMAP_BOX_FOLDER)
		return imap_reply(s, cmd, "NO", "[CANNOT] Not a folder: it only holds others");
	int status = imap_view_open(s->gw.mail, &box, examine, &s->view);
	if (status != MAIL_OK)
		return imap_reply_mail(s, cmd, status);
	/* Without any right to change something there, read-only (RFC 4314 4). */
	if (!(s->view->rights & (R('s') | R('w') | R('t') | R('e'))))
		s->view->readonly = 1;
	s->state = IMAP_SELECTED;
	write_select_answers(s);
	if (qresync)
		tell_since(s, &q);
	return imap_reply(s, cmd, "OK",
			  s->view->readonly ? "[READ-ONLY] Folder selected, read-only"
					    : "[READ-WRITE] Folder selected");
}

enum imap_next imap_cmd_select(struct imap_session *s, const struct imap_command *cmd)
{
	return select_folder(s, cmd, 0);
}

enum imap_next imap_cmd_examine(struct imap_session *s, const struct imap_command *cmd)
{
	return select_folder(s, cmd, 1);
}

/* Removes for good the messages of set (or every one) marked \Deleted:
 * a mail status; the view learns of it at its next refresh. */
static int expunge_deleted(struct imap_session *s, const struct imap_msgset *set)
{
	struct imap_view *v = s->view;
	size_t n = set ? set->count : v->count;
	uint64_t *ids = malloc((n ? n : 1) * sizeof(*ids));
	size_t count = 0;
	int status = ids ? MAIL_OK : MAIL_ERR_INTERNAL;
	for (size_t k = 0; ids && k < n; k++) {
		const struct imap_msg *msg = &v->msgs[set ? set->index[k] : k];
		if (!msg->gone && (msg->flags & STORE_FLAG_DELETED))
			ids[count++] = msg->uid;
	}
	for (size_t i = 0; status == MAIL_OK && i < count;) {
		store_result_t res = {0};
		size_t batch = count - i < STORE_BATCH_MAX ? count - i : STORE_BATCH_MAX;
		status = imap_view_use(s->gw.mail, v);
		if (status == MAIL_OK)
			status = mail_delete(s->gw.mail, NULL, ids + i, batch, 1, &res);
		/* The batch stopped at an id someone else removed meanwhile:
		 * no reason to stop, go on after it. */
		i += status == MAIL_OK ? batch : res.done + 1;
		if (status == MAIL_ERR_NOMESSAGE)
			status = MAIL_OK;
		store_result_clear(&res);
	}
	free(ids);
	int refreshed = imap_refresh(s);
	return status != MAIL_OK ? status : refreshed;
}

enum imap_next imap_do_expunge(struct imap_session *s, const struct imap_command *cmd,
			       const struct imap_arg *args, size_t nargs, int uid)
{
	struct imap_msgset set;
	if (nargs != (uid ? 1u : 0u))
		return imap_reply(s, cmd, "BAD",
				  uid ? "UID EXPUNGE takes a UID set"
				      : "EXPUNGE takes no arguments");
	if (s->view->readonly)
		return imap_reply(s, cmd, "NO", "[READ-ONLY] The folder is read-only");
	if (uid && imap_msgset_parse(s->view, &args[0], 1, &set) != IMAP_MSGSET_OK)
		return imap_reply(s, cmd, "BAD", "Invalid UID set");
	int status = expunge_deleted(s, uid ? &set : NULL);
	if (uid)
		imap_msgset_free(&set);
	if (status != MAIL_OK)
		return imap_reply_mail(s, cmd, status);
	return imap_reply(s, cmd, "OK", uid ? "UID EXPUNGE completed" : "EXPUNGE completed");
}

enum imap_next imap_cmd_expunge(struct imap_session *s, const struct imap_command *cmd)
{
	return imap_do_expunge(s, cmd, cmd->args, cmd->nargs, 0);
}

enum imap_next imap_cmd_close(struct imap_session *s, const struct imap_command *cmd)
{
	if (cmd->nargs != 0)
		return imap_reply(s, cmd, "BAD", "CLOSE takes no arguments");
	/* Silently (RFC 3501 6.4.2): no EXPUNGE responses, errors ignored. */
	if (!s->view->readonly)
		expunge_deleted(s, NULL);
	imap_deselect(s);
	return imap_reply(s, cmd, "OK", "CLOSE completed");
}

enum imap_next imap_cmd_unselect(struct imap_session *s, const struct imap_command *cmd)
{
	if (cmd->nargs != 0)
		return imap_reply(s, cmd, "BAD", "UNSELECT takes no arguments");
	imap_deselect(s);
	return imap_reply(s, cmd, "OK", "UNSELECT completed");
}

enum imap_next imap_cmd_check(struct imap_session *s, const struct imap_command *cmd)
{
	if (cmd->nargs != 0)
		return imap_reply(s, cmd, "BAD", "CHECK takes no arguments");
	/* Every change is durable when it is answered: nothing to do. */
	return imap_reply(s, cmd, "OK", "CHECK completed");
}
