/*
 * imap_cmd_list.c -- LIST and LSUB (RFC 3501 6.3.8-9, CHILDREN RFC 3348,
 * SPECIAL-USE RFC 6154) over the namespaces of imap_names.h: the
 * caller's own folders, other users' that are shared with it, the public
 * folders.  A folder shown whose parent cannot be seen brings the parent
 * as \Noselect, so the hierarchy has no holes.  LSUB answers the folders
 * LIST does (subscriptions follow what can be seen: imap_cmd_folders.c).
 */
#include <stdlib.h>
#include <string.h>

#include "imap_list.h"
#include "imap_names.h"
#include "imap_session.h"
#include "imap_write.h"

enum { NODE_NOSELECT = 1, NODE_CHILDREN = 2 };

struct node {
	char path[STORE_PATH_MAX + 1];
	unsigned attrs;
};

struct listing {
	struct imap_session *s;
	const struct imap_command *cmd;
	const char *pattern;
	size_t plen;
	int lsub;
	struct buf name;
};

struct nodes {
	struct node *items;
	size_t count, cap;
};

static int add_node(struct nodes *ns, const char *path, size_t len, unsigned attrs)
{
	if (ns->count == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 32;
		struct node *grown = realloc(ns->items, cap * sizeof(*grown));
		if (grown == NULL)
			return -1;
		ns->items = grown;
		ns->cap = cap;
	}
	struct node *n = &ns->items[ns->count++];
	memcpy(n->path, path, len);
	n->path[len] = '\0';
	n->attrs = attrs;
	return 0;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct node *)a)->path, ((const struct node *)b)->path);
}

/* The folders of the mailbox opened, and their unseen ancestors. */
static int collect(struct mail_session *m, struct nodes *ns)
{
	uint64_t offset = 0;
	for (;;) {
		store_folder_list_t *list = NULL;
		int status = mail_folder_list(m, offset, STORE_LIST_MAX, &list);
		for (size_t i = 0; status == MAIL_OK && i < list->count; i++) {
			const char *p = list->items[i].path;
			for (const char *sl = strchr(p, '/'); sl != NULL; sl = strchr(sl + 1, '/'))
				if (add_node(ns, p, (size_t)(sl - p), NODE_NOSELECT) != 0)
					status = MAIL_ERR_INTERNAL;
			if (add_node(ns, p, strlen(p), 0) != 0)
				status = MAIL_ERR_INTERNAL;
		}
		int more =
		    status == MAIL_OK && list->count > 0 && offset + list->count < list->total;
		offset += status == MAIL_OK ? list->count : 0;
		store_folder_list_free(&list);
		if (!more)
			return status;
	}
}

/* Sorted, one node per path (a folder wins over a \Noselect ancestor),
 * with \HasChildren found. */
static void settle(struct nodes *ns)
{
	size_t k = 0;
	if (ns->count == 0)
		return; /* items is NULL: no qsort of nothing */
	qsort(ns->items, ns->count, sizeof(*ns->items), by_path);
	for (size_t i = 0; i < ns->count; i++) {
		if (k > 0 && strcmp(ns->items[k - 1].path, ns->items[i].path) == 0) {
			ns->items[k - 1].attrs &= ns->items[i].attrs | NODE_CHILDREN;
			continue;
		}
		ns->items[k++] = ns->items[i];
	}
	ns->count = k;
	for (size_t i = 0; i < ns->count; i++) {
		size_t n = strlen(ns->items[i].path);
		/* Children sort after "path/" ("path x" may come between). */
		for (size_t j = i + 1; j < ns->count; j++) {
			int c = strncmp(ns->items[j].path, ns->items[i].path, n);
			if (c != 0)
				break;
			if (ns->items[j].path[n] == '/') {
				ns->items[i].attrs |= NODE_CHILDREN;
				break;
			}
		}
	}
}

/* One line, if the name matches. */
static void emit(struct listing *l, const struct imap_box *box, unsigned attrs)
{
	const char *use =
	    box->kind == IMAP_BOX_FOLDER ? imap_special_use(box->mailbox, box->path) : NULL;
	buf_reset(&l->name);
	if (imap_name_format(box, &l->name) != 0 ||
	    !imap_pattern_match(l->pattern, l->plen, l->name.data, l->name.len))
		return;
	if (l->lsub && (attrs & NODE_NOSELECT))
		return;
	struct buf *out = &l->s->reply;
	buf_reset(out);
	buf_adds(out, l->lsub ? "* LSUB (" : "* LIST (");
	if (!l->lsub) {
		buf_adds(out, attrs & NODE_NOSELECT ? "\\Noselect " : "");
		buf_adds(out, attrs & NODE_CHILDREN ? "\\HasChildren" : "\\HasNoChildren");
		if (use != NULL)
			buf_printf(out, " %s", use);
	}
	buf_adds(out, ") \"/\" ");
	imap_write_astring(out, l->name.data, l->name.len);
	buf_adds(out, "\r\n");
	stream_write(&l->s->gw.stream, out->data, out->len);
}

/* Every folder of mailbox ("" the caller's) that may be seen, after
 * parent (a node of the hierarchy above them; NULL: none) if there are any. */
static int list_mailbox(struct listing *l, const char *mailbox, const struct imap_box *parent)
{
	struct nodes ns = {0};
	struct imap_box box = {.kind = IMAP_BOX_FOLDER};
	snprintf(box.mailbox, sizeof(box.mailbox), "%s", mailbox);
	int status = mail_open(l->s->gw.mail, mailbox);
	if (status == MAIL_OK)
		status = collect(l->s->gw.mail, &ns);
	if (status == MAIL_OK)
		settle(&ns);
	if (status == MAIL_OK && parent != NULL && ns.count > 0)
		emit(l, parent, NODE_NOSELECT | NODE_CHILDREN);
	for (size_t i = 0; status == MAIL_OK && i < ns.count; i++) {
		memcpy(box.path, ns.items[i].path, sizeof(box.path));
		emit(l, &box, ns.items[i].attrs);
	}
	free(ns.items);
	return status;
}

/* Other users' folders shared with the caller, under their nodes. */
static int list_others(struct listing *l)
{
	store_mailbox_names_t *names = NULL;
	struct imap_box root = {.kind = IMAP_BOX_OTHER_ROOT}, user = {.kind = IMAP_BOX_USER_ROOT};
	int status = mail_shared_mailboxes(l->s->gw.mail, &names);
	if (status == MAIL_OK && names->count > 0)
		emit(l, &root, NODE_NOSELECT | NODE_CHILDREN);
	for (size_t i = 0; status == MAIL_OK && i < names->count; i++) {
		snprintf(user.mailbox, sizeof(user.mailbox), "%s", names->names[i]);
		status = list_mailbox(l, names->names[i], &user);
	}
	store_mailbox_names_free(&names);
	return status;
}

static enum imap_next list(struct imap_session *s, const struct imap_command *cmd, int lsub)
{
	size_t rlen, plen;
	const char *ref = cmd->nargs == 2 ? imap_arg_astring(&cmd->args[0], &rlen) : NULL;
	const char *pat = cmd->nargs == 2 ? imap_arg_astring(&cmd->args[1], &plen) : NULL;
	if (ref == NULL || pat == NULL || rlen + plen > IMAP_PATTERN_MAX)
		return imap_reply(
		    s, cmd, "BAD",
		    "LIST takes a reference and a pattern (LIST-EXTENDED is not offered)");
	if (plen == 0 && !lsub) {
		/* RFC 3501 6.3.8: the delimiter and the root. */
		stream_puts(&s->gw.stream, "* LIST (\\Noselect) \"/\" \"\"\r\n");
		return imap_reply(s, cmd, "OK", "LIST completed");
	}
	char full[2 * IMAP_PATTERN_MAX + 2];
	memcpy(full, ref, rlen);
	memcpy(full + rlen, pat, plen);
	full[rlen + plen] = '\0';
	imap_pattern_inbox(full, rlen + plen);
	struct listing l = {.s = s, .cmd = cmd, .pattern = full, .plen = rlen + plen, .lsub = lsub};
	buf_init(&l.name, 4 * STORE_PATH_MAX + 64);
	struct imap_box public_root = {.kind = IMAP_BOX_PUBLIC_ROOT};
	int status = list_mailbox(&l, "", NULL);
	if (status == MAIL_OK && imap_pattern_reaches(full, l.plen, IMAP_NS_OTHER))
		status = list_others(&l);
	if (status == MAIL_OK && imap_pattern_reaches(full, l.plen, IMAP_NS_PUBLIC))
		status = list_mailbox(&l, MAIL_PUBLIC_MAILBOX, &public_root);
	buf_free(&l.name);
	if (status != MAIL_OK)
		return imap_reply_mail(s, cmd, status);
	return imap_reply(s, cmd, "OK", lsub ? "LSUB completed" : "LIST completed");
}

enum imap_next imap_cmd_list(struct imap_session *s, const struct imap_command *cmd)
{
	return list(s, cmd, 0);
}

enum imap_next imap_cmd_lsub(struct imap_session *s, const struct imap_command *cmd)
{
	return list(s, cmd, 1);
}
