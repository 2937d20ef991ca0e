/*
 * main.c -- mailrpc-map --store DIR: the MTA's lookups of mailrpc's
 * addresses, as a Postfix socketmap server on standard input and output
 * (Postfix's spawn(8) runs one per connection: docs/postfix.md).
 *
 *   domain KEY     OK if KEY is a local domain (virtual_mailbox_domains)
 *   recipient KEY  OK MAILBOX if the address KEY reaches an enabled mailbox
 *                  (virtual_mailbox_maps: unknown recipients are refused
 *                  during SMTP)
 *   sender KEY     OK LOGIN,... the SASL logins that may use the address
 *                  KEY as sender (smtpd_sender_login_maps): its owner and
 *                  the principals granted "p" on its Outbox
 *
 * Each answer is read from the store at the time of the lookup, so a new
 * alias or a delegation granted with an ACL holds at once.  Store trouble
 * is TEMP (Postfix defers, never bounces for it).  Its standard error is
 * the connection too (spawn(8)): diagnostics go to syslog only.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <syslog.h>

#include "mail.h"
#include "socketmap.h"

#define SYNOPSIS "mailrpc-map --store DIR"
#define SENDERS_MAX 4096

static void log_store_line(void *ctx, int level, const char *line)
{
	(void)ctx;
	syslog(level, "%s", line);
}

/* One reply for a lookup's status: data for OK. */
static int answer(FILE *out, int status, const char *data)
{
	switch (status) {
	case MAIL_OK:
		return socketmap_reply(out, "OK", data);
	case MAIL_ERR_NOTFOUND:
	case MAIL_ERR_INVALID:
		return socketmap_reply(out, "NOTFOUND", "");
	case MAIL_ERR_TOOBIG:
		return socketmap_reply(out, "PERM", "too many senders to list");
	default:
		syslog(LOG_WARNING, "lookup failed (status %d): answered TEMP", status);
		return socketmap_reply(out, "TEMP", "mailrpc store unavailable");
	}
}

static int serve_one(struct mail_service *svc, FILE *out, char *request)
{
	char data[SENDERS_MAX];
	char *key = strchr(request, ' ');
	if (key == NULL)
		return socketmap_reply(out, "PERM", "request is not NAME KEY");
	*key++ = '\0';
	data[0] = '\0';
	if (strcmp(request, "domain") == 0) {
		snprintf(data, sizeof(data), "%s", key);
		return answer(out, mail_lookup_domain(svc, key), data);
	}
	if (strcmp(request, "recipient") == 0) {
		char mailbox[MAIL_NAME_MAX + 1];
		int status = mail_lookup_recipient(svc, key, mailbox);
		return answer(out, status, mailbox);
	}
	if (strcmp(request, "sender") == 0)
		return answer(out, mail_lookup_senders(svc, key, data, sizeof(data)), data);
	return socketmap_reply(out, "PERM", "unknown map (domain, recipient or sender)");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"store", required_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *store_dir = NULL;
	int opt;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 's')
			store_dir = optarg;
		else if (opt == 'h') {
			printf("usage: %s\n", SYNOPSIS);
			return 0;
		} else
			return EX_USAGE;
	}
	openlog("mailrpc-map", LOG_PID, LOG_MAIL);
	if (store_dir == NULL || optind != argc) {
		syslog(LOG_ERR, "usage: %s", SYNOPSIS);
		return EX_USAGE;
	}
	store_set_log(log_store_line, NULL);
	struct mail_config cfg = {.store_dir = store_dir};
	struct mail_service *svc = NULL;
	if (mail_service_new(&cfg, &svc) != MAIL_OK)
		return EX_TEMPFAIL;
	char request[SOCKETMAP_REQUEST_MAX + 1];
	int rc;
	while ((rc = socketmap_read(stdin, request, sizeof(request))) == 1)
		if (serve_one(svc, stdout, request) != 0)
			break;
	if (rc < 0)
		syslog(LOG_WARNING, "a request that is not a netstring: connection closed");
	mail_service_free(&svc);
	return rc < 0 ? EX_PROTOCOL : 0;
}
