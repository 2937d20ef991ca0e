/*
 * imap_cmd_folders.c -- CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE,
 * STATUS and NAMESPACE (RFC 3501 6.3, RFC 2342).
 *
 * Subscriptions are derived, not stored: every folder the caller can see
 * (its own, and those shared with it) is subscribed.  SUBSCRIBE is
 * accepted and changes nothing; UNSUBSCRIBE of a folder that can be seen
 * is refused (it would stay listed), of anything else accepted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap_names.h"
#include "imap_session.h"
#include "imap_view.h"
#include "imap_write.h"

/* The folder a name argument names; a mail status (NOFOLDER for nodes
 * and names that cannot be folders). */
static int folder_arg(const struct imap_arg *arg, int strip_delimiter, struct imap_box *box)
{
	size_t len;
	const char *name = imap_arg_astring(arg, &len);
	if (name == NULL)
		return MAIL_ERR_BADNAME;
	/* CREATE "a/b/": the trailing delimiter only says it will have children. */
	if (strip_delimiter && len > 1 && name[len - 1] == '/')
		len--;
	if (imap_name_parse(name, len, box) != 0)
		return MAIL_ERR_BADNAME;
	return box->kind == IMAP_BOX_FOLDER ? MAIL_OK : MAIL_ERR_NOFOLDER;
}

/* Makes path's missing ancestors (RFC 3501 6.3.3: CREATE a/b/c makes a
 * and a/b), in the mailbox opened. */
static int create_parents(struct mail_session *m, const char *path)
{
	char prefix[STORE_PATH_MAX + 1];
	for (const char *slash = strchr(path, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
		store_result_t res;
		snprintf(prefix, sizeof(prefix), "%.*s", (int)(slash - path), path);
		int status = mail_folder_create(m, NULL, prefix, &res);
		store_result_clear(&res);
		if (status != MAIL_OK && status != MAIL_ERR_EXISTS)
			return status;
	}
	return MAIL_OK;
}

enum imap_next imap_cmd_create(struct imap_session *s, const struct imap_command *cmd)
{
	struct imap_box box;
	store_result_t res;
	if (cmd->nargs != 1)
		return imap_reply(s, cmd, "BAD", "CREATE takes a mailbox name");
	int status = folder_arg(&cmd->args[0], 1, &box);
	if (status == MAIL_ERR_NOFOLDER)
		status = MAIL_ERR_EXISTS; /* the namespaces' own nodes */
	if (status == MAIL_OK)
		status = mail_open(s->gw.mail, box.mailbox);
	if (status == MAIL_OK)
		status = create_parents(s->gw.mail, box.path);
	if (status == MAIL_OK) {
		status = mail_folder_create(s->gw.mail, NULL, box.path, &res);
		store_result_clear(&res);
	}
	return status == MAIL_OK ? imap_reply(s, cmd, "OK", "CREATE completed")
				 : imap_reply_mail(s, cmd, status);
}

/* Whether the folder has subfolders the caller can see. */
static int has_children(struct mail_session *m, const char *path, int *yes_r)
{
	size_t n = strlen(path);
	uint64_t offset = 0;
	*yes_r = 0;
	for (;;) {
		store_folder_list_t *list = NULL;
		int status = mail_folder_list(m, offset, STORE_LIST_MAX, &list);
		for (size_t i = 0; status == MAIL_OK && i < list->count; i++)
			if (strncmp(list->items[i].path, path, n) == 0 &&
			    list->items[i].path[n] == '/')
				*yes_r = 1;
		int more =
		    status == MAIL_OK && list->count > 0 && offset + list->count < list->total;
		offset += status == MAIL_OK ? list->count : 0;
		store_folder_list_free(&list);
		if (!more || *yes_r)
			return status;
	}
}

enum imap_next imap_cmd_delete(struct imap_session *s, const struct imap_command *cmd)
{
	struct imap_box box;
	store_result_t res;
	int children = 0;
	if (cmd->nargs != 1)
		return imap_reply(s, cmd, "BAD", "DELETE takes a mailbox name");
	int status = folder_arg(&cmd->args[0], 0, &box);
	if (status == MAIL_OK)
		status = mail_open(s->gw.mail, box.mailbox);
	if (status == MAIL_OK)
		status = has_children(s->gw.mail, box.path, &children);
	if (status == MAIL_OK && children)
		return imap_reply(s, cmd, "NO", "[INUSE] Delete its subfolders first");
	if (status == MAIL_OK && s->view != NULL &&
	    strcmp(s->view->box.mailbox, box.mailbox) == 0 &&
	    strcmp(s->view->box.path, box.path) == 0)
		imap_deselect(s);
	/* IMAP's DELETE takes the messages with it (RFC 3501 6.3.4). */
	if (status == MAIL_OK) {
		status = mail_folder_delete(s->gw.mail, NULL, box.path, 1, &res);
		store_result_clear(&res);
	}
	return status == MAIL_OK ? imap_reply(s, cmd, "OK", "DELETE completed")
				 : imap_reply_mail(s, cmd, status);
}

enum imap_next imap_cmd_rename(struct imap_session *s, const struct imap_command *cmd)
{
	struct imap_box from, to;
	store_result_t res;
	if (cmd->nargs != 2)
		return imap_reply(s, cmd, "BAD", "RENAME takes two mailbox names");
	int status = folder_arg(&cmd->args[0], 0, &from);
	if (status == MAIL_OK)
		status = folder_arg(&cmd->args[1], 1, &to);
	if (status == MAIL_OK && strcmp(from.mailbox, to.mailbox) != 0)
		return imap_reply(s, cmd, "NO", "[CANNOT] Folders move only within one mailbox");
	if (status == MAIL_OK)
		status = mail_open(s->gw.mail, from.mailbox);
	if (status == MAIL_OK)
		status = create_parents(s->gw.mail, to.path);
	if (status == MAIL_OK) {
		status = mail_folder_rename(s->gw.mail, NULL, from.path, to.path, &res);
		store_result_clear(&res);
	}
	if (status != MAIL_OK)
		return imap_reply_mail(s, cmd, status);
	/* The selected folder, or one above it, keeps its id: follow it. */
	size_t n = strlen(from.path);
	if (s->view != NULL && strcmp(s->view->box.mailbox, from.mailbox) == 0 &&
	    strncmp(s->view->box.path, from.path, n) == 0 &&
	    (s->view->box.path[n] == '\0' || s->view->box.path[n] == '/')) {
		char moved[sizeof(s->view->box.path)];
		if (snprintf(moved, sizeof(moved), "%s%s", to.path, s->view->box.path + n) <
		    (int)sizeof(moved))
			memcpy(s->view->box.path, moved, sizeof(moved));
	}
	return imap_reply(s, cmd, "OK", "RENAME completed");
}

enum imap_next imap_cmd_subscribe(struct imap_session *s, const struct imap_command *cmd)
{
	struct imap_box box;
	if (cmd->nargs != 1)
		return imap_reply(s, cmd, "BAD", "SUBSCRIBE takes a mailbox name");
	if (folder_arg(&cmd->args[0], 0, &box) == MAIL_ERR_BADNAME)
		return imap_reply_mail(s, cmd, MAIL_ERR_BADNAME);
	return imap_reply(s, cmd, "OK",
			  "SUBSCRIBE completed: every folder you can see is subscribed");
}

enum imap_next imap_cmd_unsubscribe(struct imap_session *s, const struct imap_command *cmd)
{
	struct imap_box box;
	store_folder_info_t info;
	uint64_t next;
	if (cmd->nargs != 1)
		return imap_reply(s, cmd, "BAD", "UNSUBSCRIBE takes a mailbox name");
	int status = folder_arg(&cmd->args[0], 0, &box);
	if (status == MAIL_OK)
		status = mail_open(s->gw.mail, box.mailbox);
	if (status == MAIL_OK)
		status = mail_folder_get(s->gw.mail, box.path, &info, &next);
	if (status == MAIL_OK)
		return imap_reply(s, cmd, "NO",
				  "[CANNOT] Subscriptions follow the folders you can see: this one "
				  "stays subscribed while it can be seen");
	return imap_reply(s, cmd, "OK", "UNSUBSCRIBE completed");
}

static const struct {
	const char *name;
	int condstore;
} status_items[] = {
    {"MESSAGES", 0},	{"RECENT", 0}, {"UIDNEXT", 0},
    {"UIDVALIDITY", 0}, {"UNSEEN", 0}, {"HIGHESTMODSEQ", 1},
};

static int write_status_item(struct buf *out, const char *item, const store_folder_info_t *info,
			     uint64_t next)
{
	if (strcasecmp(item, "MESSAGES") == 0)
		return buf_printf(out, "MESSAGES %llu", (unsigned long long)info->total);
	if (strcasecmp(item, "RECENT") == 0)
		return buf_adds(out, "RECENT 0"); /* \Recent is per session here */
	if (strcasecmp(item, "UIDNEXT") == 0)
		return buf_printf(out, "UIDNEXT %llu", (unsigned long long)next);
	if (strcasecmp(item, "UIDVALIDITY") == 0)
		return buf_printf(out, "UIDVALIDITY %llu", (unsigned long long)info->id);
	if (strcasecmp(item, "UNSEEN") == 0)
		return buf_printf(out, "UNSEEN %llu", (unsigned long long)info->unread);
	return buf_printf(out, "HIGHESTMODSEQ %llu",
			  (unsigned long long)(info->change ? info->change : 1));
}

static int known_item(const struct imap_arg *a, int *condstore)
{
	if (a->type != IMAP_ARG_ATOM)
		return 0;
	for (size_t k = 0; k < sizeof(status_items) / sizeof(status_items[0]); k++)
		if (strcasecmp(a->data, status_items[k].name) == 0) {
			*condstore |= status_items[k].condstore;
			return 1;
		}
	return 0;
}

enum imap_next imap_cmd_status(struct imap_session *s, const struct imap_command *cmd)
{
	struct imap_box box;
	store_folder_info_t info;
	uint64_t next;
	size_t len;
	int condstore = 0;
	const char *name = cmd->nargs == 2 ? imap_arg_astring(&cmd->args[0], &len) : NULL;
	const struct imap_arg *items = cmd->nargs == 2 ? &cmd->args[1] : NULL;
	int ok = name != NULL && items->type == IMAP_ARG_LIST && items->count > 0;
	for (size_t i = 0; ok && i < items->count; i++)
		ok = known_item(&items->list[i], &condstore);
	if (!ok)
		return imap_reply(s, cmd, "BAD",
				  "STATUS takes a mailbox and a list of MESSAGES RECENT UIDNEXT "
				  "UIDVALIDITY UNSEEN HIGHESTMODSEQ");
	if (condstore)
		s->enabled |= IMAP_ENABLE_CONDSTORE;
	int status = folder_arg(&cmd->args[0], 0, &box);
	if (status == MAIL_OK)
		status = mail_open(s->gw.mail, box.mailbox);
	if (status == MAIL_OK)
		status = mail_folder_get(s->gw.mail, box.path, &info, &next);
	if (status != MAIL_OK)
		return imap_reply_mail(s, cmd, status);
	buf_reset(&s->reply);
	buf_adds(&s->reply, "* STATUS ");
	imap_write_astring(&s->reply, name, len);
	buf_adds(&s->reply, " (");
	for (size_t i = 0; i < items->count; i++) {
		if (i > 0)
			buf_addc(&s->reply, ' ');
		write_status_item(&s->reply, items->list[i].data, &info, next);
	}
	buf_adds(&s->reply, ")\r\n");
	stream_write(&s->gw.stream, s->reply.data, s->reply.len);
	return imap_reply(s, cmd, "OK", "STATUS completed");
}

enum imap_next imap_cmd_namespace(struct imap_session *s, const struct imap_command *cmd)
{
	if (cmd->nargs != 0)
		return imap_reply(s, cmd, "BAD", "NAMESPACE takes no arguments");
	stream_puts(&s->gw.stream, "* NAMESPACE ((\"\" \"/\")) ((\"" IMAP_NS_OTHER
				   "/\" \"/\")) ((\"" IMAP_NS_PUBLIC "/\" \"/\"))\r\n");
	return imap_reply(s, cmd, "OK", "NAMESPACE completed");
}
