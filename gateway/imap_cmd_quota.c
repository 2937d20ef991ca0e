/*
 * imap_cmd_quota.c -- QUOTA (RFC 9208): GETQUOTAROOT, GETQUOTA, SETQUOTA.
 * One quota root, "", is the caller's own mailbox, with the limit the store
 * applies (its own quota, else the policy's default-quota) in STORAGE
 * units of 1024 bytes; other mailboxes' folders have no root the caller
 * may see.  Quotas are set by the administrator (mailrpc-admin quota).
 */
#include <string.h>

#include "imap_names.h"
#include "imap_session.h"
#include "imap_write.h"

/* "* QUOTA "" (STORAGE used limit)" for the caller's own mailbox. */
static int write_quota(struct imap_session *s)
{
	struct mail_quota q;
	int status = mail_open(s->gw.mail, "");
	if (status == MAIL_OK)
		status = mail_quota(s->gw.mail, &q);
	if (status != MAIL_OK)
		return status;
	if (q.limit == 0) /* no limit: no resource to tell (RFC 9208 5.1) */
		stream_puts(&s->gw.stream, "* QUOTA \"\" ()\r\n");
	else
		stream_printf(&s->gw.stream, "* QUOTA \"\" (STORAGE %llu %llu)\r\n",
			      (unsigned long long)(q.used / 1024),
			      (unsigned long long)(q.limit / 1024));
	return MAIL_OK;
}

enum imap_next imap_cmd_getquotaroot(struct imap_session *s, const struct imap_command *cmd)
{
	struct imap_box box;
	store_folder_info_t info;
	uint64_t next;
	size_t len;
	const char *name = cmd->nargs == 1 ? imap_arg_astring(&cmd->args[0], &len) : NULL;
	if (name == NULL)
		return imap_reply(s, cmd, "BAD", "GETQUOTAROOT takes a mailbox");
	int status = imap_name_parse(name, len, &box) == 0 && box.kind == IMAP_BOX_FOLDER
			 ? mail_open(s->gw.mail, box.mailbox)
			 : MAIL_ERR_NOFOLDER;
	if (status == MAIL_OK)
		status = mail_folder_get(s->gw.mail, box.path, &info, &next);
	if (status != MAIL_OK)
		return imap_reply_mail(s, cmd, status);
	buf_reset(&s->reply);
	buf_adds(&s->reply, "* QUOTAROOT ");
	imap_write_astring(&s->reply, name, len);
	int own = box.mailbox[0] == '\0';
	buf_adds(&s->reply, own ? " \"\"\r\n" : "\r\n");
	stream_write(&s->gw.stream, s->reply.data, s->reply.len);
	if (own && (status = write_quota(s)) != MAIL_OK)
		return imap_reply_mail(s, cmd, status);
	return imap_reply(s, cmd, "OK", "GETQUOTAROOT completed");
}

enum imap_next imap_cmd_getquota(struct imap_session *s, const struct imap_command *cmd)
{
	size_t len;
	const char *root = cmd->nargs == 1 ? imap_arg_astring(&cmd->args[0], &len) : NULL;
	if (root == NULL)
		return imap_reply(s, cmd, "BAD", "GETQUOTA takes a quota root");
	if (len != 0)
		return imap_reply(s, cmd, "NO", "[NONEXISTENT] No such quota root");
	int status = write_quota(s);
	return status == MAIL_OK ? imap_reply(s, cmd, "OK", "GETQUOTA completed")
				 : imap_reply_mail(s, cmd, status);
}

enum imap_next imap_cmd_setquota(struct imap_session *s, const struct imap_command *cmd)
{
	return imap_reply(s, cmd, "NO",
			  "[NOPERM] Quotas are set by the administrator (mailrpc-admin quota)");
}
