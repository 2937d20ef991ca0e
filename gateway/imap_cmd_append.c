/*
 * imap_cmd_append.c -- APPEND (RFC 3501 6.3.11, UIDPLUS's APPENDUID,
 * LITERAL+).  A message up to a line's length comes inside the command;
 * a longer one is read here as it arrives: up to APPEND_ONE_CALL bytes
 * into memory and stored in one call, beyond that in pieces through the
 * store's uploads, so a 50 MiB message is never held whole.  Everything
 * that can refuse it (size, folder, quota) is asked before a synchronizing
 * literal is invited; a client that goes away mid-literal leaves no
 * message (its upload is dropped).  The date-time argument is accepted
 * and ignored: INTERNALDATE is when the store received the message.
 */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "imap_date.h"
#include "imap_flags.h"
#include "imap_session.h"
#include "imap_view.h"

#define APPEND_ONE_CALL (1u << 20)
#define APPEND_PIECE (1u << 20)

struct append_target {
	struct imap_box box;
	uint32_t flags;
	uint64_t uidvalidity;
};

/* mailbox [(flags)] [date-time], before the message: 0, or -1 and why. */
static int parse_target(const struct imap_arg *args, size_t n, struct append_target *t,
			const char **error)
{
	size_t len;
	const char *name = n >= 1 ? imap_arg_astring(&args[0], &len) : NULL;
	int64_t when;
	*error = "APPEND takes a mailbox, optional flags and date-time, and a message";
	memset(t, 0, sizeof(*t));
	if (name == NULL || n > 3)
		return -1;
	for (size_t i = 1; i < n; i++) {
		if (args[i].type == IMAP_ARG_LIST && i == 1) {
			if (imap_parse_flags(&args[i], &t->flags) != 0) {
				*error = "APPEND: invalid flags";
				return -1;
			}
		} else if (args[i].type != IMAP_ARG_QUOTED ||
			   imap_parse_date_time(args[i].data, &when) != 0) {
			*error = "APPEND: invalid date-time";
			return -1;
		}
	}
	if (imap_name_parse(name, len, &t->box) != 0 || t->box.kind != IMAP_BOX_FOLDER)
		t->box.kind = IMAP_BOX_OTHER_ROOT; /* nowhere to put it */
	return 0;
}

/* Whether the message may go there: the folder exists and is seen (else
 * TRYCREATE, RFC 3501 6.3.11).  A mail status. */
static int check_target(struct imap_session *s, struct append_target *t)
{
	store_folder_info_t info;
	uint64_t next;
	if (t->box.kind != IMAP_BOX_FOLDER)
		return MAIL_ERR_NOFOLDER;
	int status = mail_open(s->gw.mail, t->box.mailbox);
	if (status == MAIL_OK)
		status = mail_folder_get(s->gw.mail, t->box.path, &info, &next);
	t->uidvalidity = info.id;
	return status;
}

static enum imap_next refused(struct imap_session *s, const struct imap_command *cmd, int status)
{
	if (status == MAIL_ERR_NOFOLDER)
		return imap_reply(s, cmd, "NO", "[TRYCREATE] No such folder");
	return imap_reply_mail(s, cmd, status);
}

static enum imap_next stored(struct imap_session *s, const struct imap_command *cmd,
			     const struct append_target *t, uint64_t uid)
{
	char text[128];
	/* An APPEND to the selected folder is told as EXISTS. */
	if (s->view != NULL)
		imap_refresh(s);
	snprintf(text, sizeof(text), "[APPENDUID %llu %llu] APPEND completed",
		 (unsigned long long)t->uidvalidity, (unsigned long long)uid);
	return imap_reply(s, cmd, "OK", text);
}

/* A whole message in one call. */
static int store_whole(struct imap_session *s, const struct append_target *t, const char *data,
		       size_t len, uint64_t *uid_r)
{
	unsigned char sha[32];
	unsigned int shalen;
	store_result_t res;
	*uid_r = 0;
	if (EVP_Digest(data, len, sha, &shalen, EVP_sha256(), NULL) != 1)
		return MAIL_ERR_INTERNAL;
	int status = mail_open(s->gw.mail, t->box.mailbox);
	if (status == MAIL_OK)
		status = mail_append(s->gw.mail, NULL, t->box.path, t->flags, sha, data, len, &res);
	*uid_r = res.id;
	store_result_clear(&res);
	return status;
}

enum imap_next imap_cmd_append(struct imap_session *s, const struct imap_command *cmd)
{
	struct append_target t;
	const char *error;
	uint64_t uid;
	const struct imap_arg *msg = cmd->nargs >= 2 ? &cmd->args[cmd->nargs - 1] : NULL;
	if (msg == NULL || msg->type != IMAP_ARG_LITERAL ||
	    parse_target(cmd->args, cmd->nargs - 1, &t, &error) != 0)
		return imap_reply(s, cmd, "BAD",
				  msg && msg->type != IMAP_ARG_LITERAL
				      ? "APPEND: the message must be a literal"
				      : error);
	int status = check_target(s, &t);
	if (status == MAIL_OK)
		status = store_whole(s, &t, msg->data, msg->len, &uid);
	return status == MAIL_OK ? stored(s, cmd, &t, uid) : refused(s, cmd, status);
}

/* ---- a message as a stream ----------------------------------------------- */

/* Reads and drops n bytes of a literal the client sends anyway. */
static int discard(struct imap_session *s, unsigned long long n)
{
	struct buf sink;
	buf_init(&sink, APPEND_PIECE);
	int st = STREAM_OK;
	while (st == STREAM_OK && n > 0) {
		size_t take = n < APPEND_PIECE ? (size_t)n : APPEND_PIECE;
		buf_reset(&sink);
		st = stream_read_exact(&s->gw.stream, &sink, take);
		n -= take;
	}
	buf_free(&sink);
	return st;
}

/* After the literal: the end of the command's line (no MULTIAPPEND). */
static int line_end(struct imap_session *s)
{
	int st = stream_read_line(&s->gw.stream, &s->line, s->gw.cfg->max_line, 1 << 20);
	if (st != STREAM_OK)
		return st;
	return s->line.len == 0 ? STREAM_OK : STREAM_TOO_LONG;
}

static int invite(struct imap_session *s, int nonsync)
{
	if (nonsync)
		return STREAM_OK;
	stream_puts(&s->gw.stream, "+ Ready for the message\r\n");
	return stream_flush(&s->gw.stream);
}

/* Up to APPEND_ONE_CALL bytes: read, then stored in one call. */
static enum imap_next append_small(struct imap_session *s, const struct imap_command *cmd,
				   const struct append_target *t, size_t size, int nonsync)
{
	struct buf data;
	uint64_t uid;
	buf_init(&data, size);
	int st = invite(s, nonsync);
	if (st == STREAM_OK)
		st = stream_read_exact(&s->gw.stream, &data, size);
	if (st == STREAM_OK)
		st = line_end(s);
	int status =
	    st == STREAM_OK ? store_whole(s, t, data.data ? data.data : "", size, &uid) : 0;
	buf_free(&data);
	if (st == STREAM_TOO_LONG)
		return imap_reply(s, cmd, "BAD", "APPEND takes one message (no MULTIAPPEND)");
	if (st != STREAM_OK)
		return IMAP_NEXT_CLOSE;
	return status == MAIL_OK ? stored(s, cmd, t, uid) : refused(s, cmd, status);
}

/* Reads the literal into the upload, piece by piece: a stream status, or
 * 1 if the store refused a piece (*status_r says why). */
static int fill_upload(struct imap_session *s, uint64_t upload, unsigned long long size,
		       int *status_r)
{
	struct buf piece;
	uint64_t offset = 0;
	int st = STREAM_OK;
	buf_init(&piece, APPEND_PIECE);
	*status_r = MAIL_OK;
	while (st == STREAM_OK && offset < size) {
		size_t take = size - offset < APPEND_PIECE ? (size_t)(size - offset) : APPEND_PIECE;
		store_result_t res;
		buf_reset(&piece);
		st = stream_read_exact(&s->gw.stream, &piece, take);
		if (st != STREAM_OK || *status_r != MAIL_OK) {
			offset += take; /* after a refusal, the rest is read and dropped */
			continue;
		}
		*status_r =
		    mail_upload_append(s->gw.mail, NULL, upload, offset, piece.data, take, &res);
		store_result_clear(&res);
		offset += take;
	}
	buf_free(&piece);
	return st != STREAM_OK ? st : *status_r != MAIL_OK;
}

/* Beyond APPEND_ONE_CALL: through an upload, committed into the folder. */
static enum imap_next append_upload(struct imap_session *s, const struct imap_command *cmd,
				    const struct append_target *t, unsigned long long size,
				    int nonsync)
{
	store_result_t res;
	int status = mail_upload_begin(s->gw.mail, NULL, size, NULL, &res);
	uint64_t upload = res.id;
	store_result_clear(&res);
	if (status != MAIL_OK) {
		/* Refused before the literal was asked for; a LITERAL+ one comes anyway. */
		if (nonsync && discard(s, size) != STREAM_OK)
			return IMAP_NEXT_CLOSE;
		return refused(s, cmd, status);
	}
	int st = invite(s, nonsync);
	if (st == STREAM_OK)
		st = fill_upload(s, upload, size, &status);
	if (st == STREAM_OK)
		st = line_end(s);
	if (st == STREAM_OK && status == MAIL_OK) {
		status = mail_open(s->gw.mail, t->box.mailbox);
		if (status == MAIL_OK)
			status = mail_upload_commit(s->gw.mail, NULL, upload, t->box.path, t->flags,
						    &res);
		uint64_t uid = res.id;
		store_result_clear(&res);
		if (status == MAIL_OK)
			return stored(s, cmd, t, uid);
	}
	/* Nothing of it may stay: not the upload, not a message. */
	mail_upload_abort(s->gw.mail, NULL, upload, &res);
	store_result_clear(&res);
	if (st == STREAM_TOO_LONG)
		return imap_reply(s, cmd, "BAD", "APPEND takes one message (no MULTIAPPEND)");
	if (st != STREAM_OK && st != 1)
		return IMAP_NEXT_CLOSE;
	return refused(s, cmd, status);
}

enum imap_next imap_append_stream(struct imap_session *s, const struct imap_command *cmd,
				  unsigned long long size, int nonsync)
{
	struct append_target t;
	const char *error;
	int status;
	if (size > s->gw.cfg->max_message) {
		if (!nonsync)
			return imap_reply(s, cmd, "NO", "[TOOBIG] Message too big for this server");
		/* RFC 7888 4: a LITERAL+ too big to take ends the connection. */
		stream_puts(&s->gw.stream, "* BYE [TOOBIG] Literal too big\r\n");
		stream_flush(&s->gw.stream);
		return IMAP_NEXT_CLOSE;
	}
	if (parse_target(cmd->args, cmd->nargs, &t, &error) != 0)
		status = -1;
	else
		status = check_target(s, &t);
	if (status != MAIL_OK) {
		if (nonsync && discard(s, size) != STREAM_OK)
			return IMAP_NEXT_CLOSE;
		return status < 0 ? imap_reply(s, cmd, "BAD", error) : refused(s, cmd, status);
	}
	if (size <= APPEND_ONE_CALL)
		return append_small(s, cmd, &t, (size_t)size, nonsync);
	return append_upload(s, cmd, &t, size, nonsync);
}
