/*
 * imap_cmd_acl.c -- ACL (RFC 4314): GETACL, SETACL, DELETEACL, LISTRIGHTS,
 * MYRIGHTS over the folders' access control lists, the same ones and the
 * same rights as mailrpc's (service/authz.c decides).  Identifiers are
 * Kerberos principals (bob@REALM) or "anyone".  The obsolete rights "c"
 * and "d" (RFC 4314 2.1.1) stand for "k" and "xte".
 */
#include <string.h>

#include "imap_names.h"
#include "imap_session.h"
#include "imap_write.h"

/* The folder a mailbox argument names, opened: a mail status. */
static int open_folder(struct imap_session *s, const struct imap_arg *arg, struct imap_box *box)
{
	size_t len;
	const char *name = imap_arg_astring(arg, &len);
	if (name == NULL || imap_name_parse(name, len, box) != 0 || box->kind != IMAP_BOX_FOLDER)
		return MAIL_ERR_NOFOLDER;
	return mail_open(s->gw.mail, box->mailbox);
}

/* An identifier argument: a principal or "anyone", NUL-free. */
static const char *identifier(const struct imap_arg *arg)
{
	size_t len;
	const char *id = imap_arg_astring(arg, &len);
	if (id == NULL || len == 0 || len > MAIL_PRINCIPAL_MAX || strlen(id) != len)
		return NULL;
	return id;
}

static void write_head(struct imap_session *s, const char *what, const struct imap_arg *mailbox)
{
	size_t len;
	const char *name = imap_arg_astring(mailbox, &len);
	buf_reset(&s->reply);
	buf_printf(&s->reply, "* %s ", what);
	imap_write_astring(&s->reply, name, len);
}

enum imap_next imap_cmd_getacl(struct imap_session *s, const struct imap_command *cmd)
{
	struct imap_box box;
	store_acl_t *acl = NULL;
	char letters[16];
	if (cmd->nargs != 1 || imap_arg_astring(&cmd->args[0], &(size_t){0}) == NULL)
		return imap_reply(s, cmd, "BAD", "GETACL takes a mailbox");
	int status = open_folder(s, &cmd->args[0], &box);
	if (status == MAIL_OK)
		status = mail_acl_get(s->gw.mail, box.path, &acl);
	if (status != MAIL_OK)
		return imap_reply_mail(s, cmd, status);
	write_head(s, "ACL", &cmd->args[0]);
	for (size_t i = 0; i < acl->count; i++) {
		buf_addc(&s->reply, ' ');
		imap_write_astring(&s->reply, acl->items[i].principal,
				   strlen(acl->items[i].principal));
		buf_printf(&s->reply, " %s", store_rights_format(acl->items[i].rights, letters));
	}
	buf_adds(&s->reply, "\r\n");
	stream_write(&s->gw.stream, s->reply.data, s->reply.len);
	store_acl_free(&acl);
	return imap_reply(s, cmd, "OK", "GETACL completed");
}

/* RFC 4314 letters (obsolete c and d too) as store rights: 0 or -1. */
static int parse_rights(const char *text, uint32_t *rights_r)
{
	char letters[64];
	size_t n = 0;
	for (const char *p = text; *p; p++) {
		const char *add = *p == 'c' ? "k" : *p == 'd' ? "xte" : (char[]){*p, 0};
		if (n + strlen(add) >= sizeof(letters))
			return -1;
		memcpy(letters + n, add, strlen(add));
		n += strlen(add);
	}
	letters[n] = '\0';
	return store_rights_parse(letters, rights_r) == STORE_OK ? 0 : -1;
}

/* The rights id holds on path now (0 without an entry of its own). */
static int current_rights(struct imap_session *s, const char *path, const char *id,
			  uint32_t *rights_r)
{
	store_acl_t *acl = NULL;
	*rights_r = 0;
	int status = mail_acl_get(s->gw.mail, path, &acl);
	for (size_t i = 0; status == MAIL_OK && i < acl->count; i++)
		if (strcmp(acl->items[i].principal, id) == 0)
			*rights_r = acl->items[i].rights;
	store_acl_free(&acl);
	return status;
}

static enum imap_next set_rights(struct imap_session *s, const struct imap_command *cmd,
				 const char *id, const char *change)
{
	struct imap_box box;
	store_result_t res;
	uint32_t given, now = 0;
	char letters[16];
	int mode = change[0] == '+' || change[0] == '-' ? change[0] : 0;
	if (parse_rights(change + (mode != 0), &given) != 0)
		return imap_reply(s, cmd, "BAD", "Rights are letters of lrswipkxtea");
	int status = open_folder(s, &cmd->args[0], &box);
	if (status == MAIL_OK && mode != 0)
		status = current_rights(s, box.path, id, &now);
	uint32_t rights = mode == '+' ? now | given : mode == '-' ? now & ~given : given;
	if (status == MAIL_OK)
		status = mail_acl_set(s->gw.mail, NULL, box.path, id,
				      store_rights_format(rights, letters), &res);
	store_result_clear(&res);
	return status == MAIL_OK ? imap_reply(s, cmd, "OK", "ACL changed")
				 : imap_reply_mail(s, cmd, status);
}

enum imap_next imap_cmd_setacl(struct imap_session *s, const struct imap_command *cmd)
{
	size_t len;
	const char *id = cmd->nargs == 3 ? identifier(&cmd->args[1]) : NULL;
	const char *rights = cmd->nargs == 3 ? imap_arg_astring(&cmd->args[2], &len) : NULL;
	if (id == NULL || rights == NULL || imap_arg_astring(&cmd->args[0], &len) == NULL)
		return imap_reply(s, cmd, "BAD",
				  "SETACL takes a mailbox, an identifier and rights");
	return set_rights(s, cmd, id, rights);
}

enum imap_next imap_cmd_deleteacl(struct imap_session *s, const struct imap_command *cmd)
{
	size_t len;
	const char *id = cmd->nargs == 2 ? identifier(&cmd->args[1]) : NULL;
	if (id == NULL || imap_arg_astring(&cmd->args[0], &len) == NULL)
		return imap_reply(s, cmd, "BAD", "DELETEACL takes a mailbox and an identifier");
	return set_rights(s, cmd, id, "");
}

enum imap_next imap_cmd_listrights(struct imap_session *s, const struct imap_command *cmd)
{
	struct imap_box box;
	store_acl_t *acl = NULL;
	size_t len;
	const char *id = cmd->nargs == 2 ? identifier(&cmd->args[1]) : NULL;
	if (id == NULL || imap_arg_astring(&cmd->args[0], &len) == NULL)
		return imap_reply(s, cmd, "BAD", "LISTRIGHTS takes a mailbox and an identifier");
	/* Only who may administer the folder learns about its ACL. */
	int status = open_folder(s, &cmd->args[0], &box);
	if (status == MAIL_OK)
		status = mail_acl_get(s->gw.mail, box.path, &acl);
	store_acl_free(&acl);
	if (status != MAIL_OK)
		return imap_reply_mail(s, cmd, status);
	write_head(s, "LISTRIGHTS", &cmd->args[0]);
	buf_addc(&s->reply, ' ');
	imap_write_astring(&s->reply, id, strlen(id));
	/* Nothing is granted always; every right may be granted alone. */
	buf_adds(&s->reply, " \"\" l r s w i p k x t e a\r\n");
	stream_write(&s->gw.stream, s->reply.data, s->reply.len);
	return imap_reply(s, cmd, "OK", "LISTRIGHTS completed");
}

enum imap_next imap_cmd_myrights(struct imap_session *s, const struct imap_command *cmd)
{
	struct imap_box box;
	uint32_t rights;
	char letters[16];
	if (cmd->nargs != 1 || imap_arg_astring(&cmd->args[0], &(size_t){0}) == NULL)
		return imap_reply(s, cmd, "BAD", "MYRIGHTS takes a mailbox");
	int status = open_folder(s, &cmd->args[0], &box);
	if (status == MAIL_OK)
		status = mail_myrights(s->gw.mail, box.path, &rights);
	if (status != MAIL_OK)
		return imap_reply_mail(s, cmd, status);
	write_head(s, "MYRIGHTS", &cmd->args[0]);
	buf_printf(&s->reply, " %s\r\n", store_rights_format(rights, letters));
	stream_write(&s->gw.stream, s->reply.data, s->reply.len);
	return imap_reply(s, cmd, "OK", "MYRIGHTS completed");
}
