/*
 * main.c -- mailrpc-deliver --store DIR -d USER [-f SENDER] [-m FOLDER]
 * [--max-message BYTES] [--quota BYTES]: the local delivery agent.
 *
 * An MTA (Postfix's pipe(8), see docs/postfix.md) runs it once per
 * recipient with the message on standard input.  It reads all of it
 * first, then stores it with one durable store write, so a delivery
 * killed at any point stores either nothing or the whole message.  The
 * exit status tells the MTA what to do (sysexits): 0 delivered, 67 no such
 * or disabled mailbox (bounce), 65 too big (bounce), 75 over quota or
 * store unavailable (keep it queued and retry), 64 bad usage; one line on
 * stderr says why, and MTAs quote it in the bounce or the log.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "../common/bytes.h"
#include "deliver.h"
#include "store.h"

#define SYNOPSIS                                                                             \
	"mailrpc-deliver --store DIR -d USER [-f SENDER] [-m FOLDER] [--max-message BYTES] "  \
	"[--quota BYTES]"

struct deliver_args {
	const char *store_dir, *user, *folder;
	const char *sender;          /* NULL: no Return-Path; "": null sender <> */
	unsigned long long max_message;
	unsigned long long quota;    /* store-wide default, as mailrpcd --quota */
};

/* One line: what was wrong, then the synopsis. */
static int usage_error(const char *why, const char *what)
{
	fprintf(stderr, "mailrpc-deliver: %s%s%s (usage: %s)\n", why, what ? ": " : "",
		what ? what : "", SYNOPSIS);
	return EX_USAGE;
}

/* A control character would end the header line it is put in. */
static int has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 1;
	return 0;
}

/* The argument checks after getopt: 0 or the usage exit status. */
static int check_args(struct deliver_args *a)
{
	if (a->store_dir == NULL)
		return usage_error("--store DIR is required", NULL);
	if (a->user == NULL)
		return usage_error("-d USER is required", NULL);
	if (a->max_message == 0 || a->max_message > SIZE_MAX / 2)
		return usage_error("--max-message takes a positive number of bytes", NULL);
	if (has_control(a->user) || (a->sender && has_control(a->sender)))
		return usage_error("control character in the user or sender", NULL);
	/* Postfix passes the null sender as "", others as "<>". */
	if (a->sender != NULL && strcmp(a->sender, "<>") == 0)
		a->sender = "";
	return 0;
}

/* The option getopt refused: a short one by its letter (it may sit in a
 * cluster such as -xq), a long one as written. */
static const char *bad_option(char **argv)
{
	static char letter[3] = "-?";
	const char *arg = argv[optind - 1];
	if (optopt == 0 || strncmp(arg, "--", 2) == 0)
		return arg;
	letter[1] = (char)optopt;
	return letter;
}

static int parse_args(int argc, char **argv, struct deliver_args *a)
{
	static const struct option longopts[] = {
		{"store", required_argument, NULL, 's'},
		{"max-message", required_argument, NULL, 'M'},
		{"quota", required_argument, NULL, 'Q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	memset(a, 0, sizeof(*a));
	a->max_message = STORE_DEFAULT_MAX_MSG;
	opterr = 0; /* our one line instead of getopt's */
	while ((opt = getopt_long(argc, argv, ":d:f:m:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 's': a->store_dir = optarg; break;
		case 'd': a->user = optarg; break;
		case 'f': a->sender = optarg; break;
		case 'm': a->folder = optarg; break;
		case 'M':
			if (bytes_parse(optarg, &a->max_message) != 0)
				return usage_error("--max-message takes a number of bytes, not",
						   optarg);
			break;
		case 'Q':
			if (bytes_parse(optarg, &a->quota) != 0)
				return usage_error("--quota takes a number of bytes (0: none), not",
						   optarg);
			break;
		case 'h': printf("usage: %s\n", SYNOPSIS); exit(EX_OK);
		case ':': return usage_error("missing argument of", bad_option(argv));
		default: return usage_error("unknown option", bad_option(argv));
		}
	}
	if (optind != argc)
		return usage_error("unexpected argument", argv[optind]);
	return check_args(a);
}

/* Unknown (or badly named) and disabled mailboxes both bounce; a mailbox
 * is never created by a delivery. */
static int check_mailbox(store_t *st, const char *user)
{
	store_mailbox_info_t info;
	int rc = store_mailbox_info(st, user, &info);
	if (rc == STORE_OK && info.disabled)
		rc = STORE_DISABLED;
	return rc;
}

/* -m FOLDER if it exists, else the Inbox (as Dovecot's LDA does): mail
 * for a folder someone deleted or misspelled still arrives. */
static int target_folder(store_t *st, const struct deliver_args *a, const char **folder_r)
{
	store_folder_info_t info;
	*folder_r = STORE_FOLDER_INBOX;
	if (a->folder == NULL || a->folder[0] == '\0')
		return STORE_OK;
	int rc = store_folder_get(st, a->user, a->folder, &info);
	if (rc == STORE_OK)
		*folder_r = a->folder;
	return rc == STORE_NOTFOUND || rc == STORE_INVALID ? STORE_OK : rc;
}

/* The sysexits code for a store status, with its one line on stderr. */
static int report(const struct deliver_args *a, int rc)
{
	switch (rc) {
	case STORE_OK:
		return EX_OK;
	case STORE_NOTFOUND:
	case STORE_INVALID:
		fprintf(stderr, "mailrpc-deliver: %s: no such mailbox\n", a->user);
		return EX_NOUSER;
	case STORE_DISABLED:
		fprintf(stderr, "mailrpc-deliver: %s: mailbox disabled\n", a->user);
		return EX_NOUSER;
	case STORE_TOOBIG:
		fprintf(stderr, "mailrpc-deliver: message over the size limit of %llu bytes\n",
			a->max_message);
		return EX_DATAERR;
	case STORE_QUOTA:
		fprintf(stderr, "mailrpc-deliver: %s: mailbox over quota; try again later\n",
			a->user);
		return EX_TEMPFAIL;
	default:
		fprintf(stderr, "mailrpc-deliver: store: %s; try again later\n",
			store_strerror(rc));
		return EX_TEMPFAIL;
	}
}

/* Opening a directory without a store would create an empty one and
 * bounce every message as "no such mailbox": a wrong --store defers. */
static int store_exists(const char *dir)
{
	char path[PATH_MAX];
	struct stat sb;
	return (size_t)snprintf(path, sizeof(path), "%s/data.mdb", dir) < sizeof(path) &&
	       stat(path, &sb) == 0;
}

static int store_delivery(const struct deliver_args *a, const struct deliver_msg *m)
{
	store_options_t opt;
	store_t *st = NULL;
	const char *folder = NULL;
	uint64_t id;

	store_options_init(&opt);
	opt.max_message_size = a->max_message;
	opt.default_quota = a->quota;
	int rc = store_exists(a->store_dir) ? store_open(a->store_dir, &opt, &st) : STORE_NOTFOUND;
	if (rc != STORE_OK) {
		fprintf(stderr, "mailrpc-deliver: cannot open store %s: %s; try again later\n",
			a->store_dir, store_strerror(rc));
		return EX_TEMPFAIL;
	}
	rc = check_mailbox(st, a->user);
	if (rc == STORE_OK)
		rc = target_folder(st, a, &folder);
	if (rc == STORE_OK)
		rc = store_message_append(st, a->user, folder, m->data, m->len, 0, 0, &id);
	store_close(&st);
	return report(a, rc);
}

/* Everything is read before the store is touched: a delivery killed
 * while reading leaves no trace. */
static int read_message(const struct deliver_args *a, struct deliver_msg *m)
{
	int rc = deliver_read_message(STDIN_FILENO, (size_t)a->max_message, a->sender, a->user, m);
	switch (rc) {
	case DELIVER_READ_OK:
		if (m->input_len > 0)
			return EX_OK;
		fprintf(stderr, "mailrpc-deliver: no message on standard input\n");
		return EX_DATAERR;
	case DELIVER_READ_TOOBIG:
		return report(a, STORE_TOOBIG);
	default:
		fprintf(stderr, "mailrpc-deliver: cannot read the message: %s; try again later\n",
			strerror(errno));
		return EX_TEMPFAIL;
	}
}

int main(int argc, char **argv)
{
	struct deliver_args args;
	struct deliver_msg msg = {0};
	int status = parse_args(argc, argv, &args);
	if (status == EX_OK)
		status = read_message(&args, &msg);
	if (status == EX_OK)
		status = store_delivery(&args, &msg);
	deliver_msg_clear(&msg);
	return status;
}
