/*
 * author.c -- whom a message being sent says it is from, and whether the
 * caller may say so.  RFC 5322: From: names the authors, Sender: the one
 * who sent it when that is someone else.  Every From: address must be the
 * caller's own or an address of one mailbox whose Outbox grants the caller
 * "p" (send on behalf: that mailbox gets the Sent Items copy, and the
 * message a Sender: line naming the caller); a Sender: already there must
 * name the caller.  The right is decided by the one authorization module,
 * through the store's guard (STORE_ACT_POST on that Outbox).
 *
 * What a message lacks is added in front of it: From: (the mailbox's own
 * address), Date:, Message-ID:, so a repeated hand-over carries the same
 * Message-ID and the remote side can tell a duplicate.
 */
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "address.h"
#include "author.h"
#include "service_int.h"

/* Addresses kept from From: and Sender: fields, in all. */
#define AUTHORS_MAX 16
/* Bytes of the message read for its header section. */
#define HEAD_MAX (256u * 1024u)

struct fields {
	char from[AUTHORS_MAX][MAIL_ADDRESS_MAX + 1];
	size_t n_from;
	char sender[AUTHORS_MAX][MAIL_ADDRESS_MAX + 1];
	char sender_raw[MAIL_PRINCIPAL_MAX + 1]; /* the first Sender:, as written */
	size_t n_sender;
	int has_from, has_sender, has_date;
	char message_id[STORE_HANDOVER_TEXT_MAX + 1];
	char bad[MAIL_ADDRESS_MAX + 1]; /* a field value that holds no address */
};

/* s without the white space around it, cut to size, into out. */
static void trimmed(const char *s, char *out, size_t size)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n > 0 &&
	       (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), s);
}

/* Adds the addresses of one From: or Sender: field to list. */
static int take_field(struct fields *f, const char *value, char (*list)[MAIL_ADDRESS_MAX + 1],
		      size_t *n)
{
	size_t got;
	if (mail_address_list_parse(value, list + *n, AUTHORS_MAX - *n, &got) != MAIL_OK) {
		trimmed(value, f->bad, sizeof(f->bad));
		for (char *p = f->bad; *p; p++) /* shown to the user as text */
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = ' ';
		return MAIL_ERR_SENDER;
	}
	*n += got;
	return MAIL_OK;
}

static int collect(void *ctx, const char *name, const char *value)
{
	struct fields *f = ctx;
	if (strcasecmp(name, "From") == 0) {
		f->has_from = 1;
		return take_field(f, value, f->from, &f->n_from);
	}
	if (strcasecmp(name, "Sender") == 0) {
		if (!f->has_sender)
			trimmed(value, f->sender_raw, sizeof(f->sender_raw));
		f->has_sender = 1;
		return take_field(f, value, f->sender, &f->n_sender);
	}
	if (strcasecmp(name, "Date") == 0)
		f->has_date = 1;
	else if (strcasecmp(name, "Message-ID") == 0 && f->message_id[0] == '\0')
		trimmed(value, f->message_id, sizeof(f->message_id));
	return MAIL_OK;
}

/* The mailbox address reaches here ("" none: remote, or no such mailbox). */
static int owner_of(store_t *st, const char *address, char owner_r[MAIL_NAME_MAX + 1])
{
	int local;
	int status = store_address_resolve(st, address, &local, owner_r);
	if (status == STORE_INVALID) {
		owner_r[0] = '\0';
		return STORE_OK;
	}
	return status;
}

int mail_may_post(struct mail_call *c, const char *mailbox)
{
	store_folder_info_t info;
	uint64_t next;
	if (!mail_valid_mailbox(mailbox))
		return MAIL_ERR_SENDER;
	int st = store_folder_get_as(mail_store(c->s), &c->call, mailbox, STORE_FOLDER_OUTBOX,
				     STORE_ACT_POST, &info, &next);
	if (st == STORE_NOTFOUND || st == STORE_DISABLED || st == STORE_FORBIDDEN)
		return MAIL_ERR_SENDER;
	return mail_status_of(st, MAIL_ERR_SENDER, MAIL_ERR_SENDER);
}

/* A mailbox's own address, "" if the store has no default domain. */
static int primary(store_t *st, const char *mailbox, char addr_r[MAIL_ADDRESS_MAX + 1])
{
	int status = store_address_primary(st, mailbox, addr_r);
	return status == STORE_NOTFOUND || status == STORE_INVALID ? STORE_OK : status;
}

/* Decides a->mailbox from the From: addresses and from; refused_r names
 * what the caller may not send as. */
static int choose_author(struct mail_call *c, const struct fields *f, const char *from,
			 struct mail_author *a, char refused_r[MAIL_ADDRESS_MAX + 1])
{
	const char *self = c->s->mailbox;
	char owner[MAIL_NAME_MAX + 1];
	const char *named = NULL; /* the address named when POST is refused */
	int status = STORE_OK;

	snprintf(a->mailbox, sizeof(a->mailbox), "%s", from);
	/* from may be given as one of the mailbox's addresses too. */
	if (strchr(from, '@') != NULL) {
		status = owner_of(mail_store(c->s), from, a->mailbox);
		if (status == STORE_OK && a->mailbox[0] == '\0') {
			snprintf(refused_r, MAIL_ADDRESS_MAX + 1, "%.*s", (int)MAIL_ADDRESS_MAX,
				 from);
			return MAIL_ERR_SENDER;
		}
	}
	for (size_t i = 0; i < f->n_from && status == STORE_OK; i++) {
		status = owner_of(mail_store(c->s), f->from[i], owner);
		if (status != STORE_OK)
			break;
		if (owner[0] != '\0' && strcmp(owner, self) == 0)
			continue;
		if (a->mailbox[0] == '\0' && owner[0] != '\0')
			snprintf(a->mailbox, sizeof(a->mailbox), "%s", owner);
		if (owner[0] == '\0' || strcmp(owner, a->mailbox) != 0) {
			snprintf(refused_r, MAIL_ADDRESS_MAX + 1, "%.*s", (int)MAIL_ADDRESS_MAX,
				 f->from[i]);
			return MAIL_ERR_SENDER;
		}
		if (named == NULL)
			named = f->from[i];
	}
	if (status != STORE_OK)
		return mail_status_of(status, MAIL_ERR_INTERNAL, MAIL_ERR_INTERNAL);
	if (a->mailbox[0] == '\0' || strcmp(a->mailbox, self) == 0) {
		snprintf(a->mailbox, sizeof(a->mailbox), "%s", self);
		return MAIL_OK;
	}
	status = mail_may_post(c, a->mailbox);
	if (status == MAIL_ERR_SENDER)
		snprintf(refused_r, MAIL_ADDRESS_MAX + 1, "%.*s", (int)MAIL_ADDRESS_MAX,
			 named ? named : from);
	return status;
}

/* Every Sender: address must be the caller's (ours, added to an earlier
 * try of the same send, is). */
static int check_sender(struct mail_call *c, const struct fields *f, const char *ours,
			char refused_r[MAIL_ADDRESS_MAX + 1])
{
	char owner[MAIL_NAME_MAX + 1];
	if (!f->has_sender || strcmp(f->sender_raw, ours) == 0)
		return MAIL_OK;
	for (size_t i = 0; i < f->n_sender; i++) {
		int status = owner_of(mail_store(c->s), f->sender[i], owner);
		if (status != STORE_OK)
			return mail_status_of(status, MAIL_ERR_INTERNAL, MAIL_ERR_INTERNAL);
		if (strcmp(owner, c->s->mailbox) != 0) {
			snprintf(refused_r, MAIL_ADDRESS_MAX + 1, "%.*s", (int)MAIL_ADDRESS_MAX,
				 f->sender[i]);
			return MAIL_ERR_SENDER;
		}
	}
	return MAIL_OK;
}

/* RFC 5322 date-time of now, in UTC, whatever the locale. */
static void date_now(char *buf, size_t size)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	snprintf(buf, size, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
		 months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* A new Message-ID: 128 random bits at the sender's domain (else this host). */
static int new_message_id(const char *address, char *buf, size_t size)
{
	unsigned char r[16];
	char host[256] = "localhost", hex[33];
	const char *at = strrchr(address, '@');
	if (RAND_bytes(r, sizeof(r)) != 1)
		return MAIL_ERR_INTERNAL;
	for (size_t i = 0; i < sizeof(r); i++)
		snprintf(hex + 2 * i, 3, "%02x", r[i]);
	if (at == NULL && gethostname(host, sizeof(host) - 1) != 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	int w = snprintf(buf, size, "<%s@%s>", hex, at ? at + 1 : host);
	/* A domain too long for the id's room: still unique, still valid. */
	if (w < 0 || (size_t)w >= size)
		snprintf(buf, size, "<%s@localhost>", hex);
	return MAIL_OK;
}

/* Appends one "Name: value\n" line to a->header. */
static void add_line(struct mail_author *a, const char *name, const char *value)
{
	size_t n = strlen(a->header);
	snprintf(a->header + n, sizeof(a->header) - n, "%s: %s\n", name, value);
}

/* The lines the message lacks, the envelope sender and the Message-ID. */
static int complete(struct mail_call *c, const struct fields *f, const char *ours,
		    struct mail_author *a)
{
	store_t *st = mail_store(c->s);
	char own[MAIL_ADDRESS_MAX + 1], theirs[MAIL_ADDRESS_MAX + 1], owner[MAIL_NAME_MAX + 1];
	char date[64];
	int status = primary(st, c->s->mailbox, own);
	if (status == STORE_OK)
		status = primary(st, a->mailbox, theirs);
	if (status == STORE_OK && f->n_from > 0)
		status = owner_of(st, f->from[0], owner);
	if (status != STORE_OK)
		return mail_status_of(status, MAIL_ERR_INTERNAL, MAIL_ERR_INTERNAL);
	/* Bounces go to whoever sent it: the From: address when that is the
	 * caller's own, else the caller's own address. */
	int from_is_own =
	    f->n_from > 0 && strcmp(owner, c->s->mailbox) == 0 && strchr(f->from[0], '@') != NULL;
	snprintf(a->envelope, sizeof(a->envelope), "%s", from_is_own ? f->from[0] : own);
	a->header[0] = '\0';
	if (strcmp(a->mailbox, c->s->mailbox) != 0 && !f->has_sender)
		add_line(a, "Sender", ours);
	if (!f->has_from && theirs[0] != '\0')
		add_line(a, "From", theirs);
	if (!f->has_date) {
		date_now(date, sizeof(date));
		add_line(a, "Date", date);
	}
	snprintf(a->message_id, sizeof(a->message_id), "%s", f->message_id);
	if (f->message_id[0] == '\0') {
		if (new_message_id(theirs[0] ? theirs : own, a->message_id,
				   sizeof(a->message_id)) != MAIL_OK)
			return MAIL_ERR_INTERNAL;
		add_line(a, "Message-ID", a->message_id);
	}
	return MAIL_OK;
}

int mail_author_check(struct mail_call *c, uint64_t upload, const char *from,
		      struct mail_author *a_r, char refused_r[MAIL_ADDRESS_MAX + 1])
{
	struct fields *f = calloc(1, sizeof(*f));
	char *head = malloc(HEAD_MAX);
	char ours[MAIL_PRINCIPAL_MAX + 1];
	size_t len;
	uint64_t size;
	int status = f && head ? MAIL_OK : MAIL_ERR_INTERNAL;

	memset(a_r, 0, sizeof(*a_r));
	refused_r[0] = '\0';
	if (status == MAIL_OK)
		status =
		    mail_status_of(store_upload_head_as(mail_store(c->s), &c->call, c->s->mailbox,
							upload, head, HEAD_MAX, &len, &size),
				   MAIL_ERR_NOUPLOAD, MAIL_ERR_MISMATCH);
	if (status == MAIL_OK) {
		status = mail_header_scan(head, len, collect, f);
		if (status == MAIL_ERR_SENDER)
			snprintf(refused_r, MAIL_ADDRESS_MAX + 1, "%.*s", (int)MAIL_ADDRESS_MAX,
				 f->bad);
	}
	/* Who the caller is in a Sender: line: its own address, else (no
	 * domain here) its principal, as before addresses existed. */
	if (status == MAIL_OK && primary(mail_store(c->s), c->s->mailbox, ours) != STORE_OK)
		status = MAIL_ERR_INTERNAL;
	if (status == MAIL_OK && ours[0] == '\0')
		snprintf(ours, sizeof(ours), "%s", c->s->principal);
	if (status == MAIL_OK)
		status = choose_author(c, f, from, a_r, refused_r);
	if (status == MAIL_OK)
		status = check_sender(c, f, ours, refused_r);
	if (status == MAIL_OK)
		status = complete(c, f, ours, a_r);
	free(f);
	free(head);
	return status;
}
