/*
 * main.c -- mailrpc-deliver --store DIR (-d USER | -a ADDRESS) [-f SENDER]
 * [-m FOLDER]: the local delivery agent.
 *
 * An MTA (Postfix's pipe(8), see docs/postfix.md) runs it once per
 * recipient with the message on standard input: a mailbox by name (-d), or
 * an address (-a) the store maps to one (an alias, or MAILBOX@DOMAIN for a
 * local domain: store_address_resolve).  It reads all of it
 * first, then stores it with one durable store write, so a delivery
 * killed at any point stores either nothing or the whole message.  The
 * size limit and quotas are the store's policy, the same for every route
 * mail takes (mailrpc-admin policy).  The
 * exit status tells the MTA what to do (sysexits): 0 delivered, 67 no such
 * or disabled mailbox (bounce), 65 too big (bounce), 75 over quota or
 * store unavailable (keep it queued and retry), 64 bad usage; one line on
 * stderr says why, and MTAs quote it in the bounce or the log.  The
 * store's own diagnostics (a corrupt record, say) go to syslog (mail)
 * and stderr.
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
#include <syslog.h>
#include <unistd.h>

#include "deliver.h"
#include "store.h"

#define SYNOPSIS "mailrpc-deliver --store DIR (-d USER | -a ADDRESS) [-f SENDER] [-m FOLDER]"

struct deliver_args {
	const char *store_dir, *user, *folder;
	const char *address;         /* -a: the recipient address */
	char mailbox[STORE_NAME_MAX + 1]; /* -a: the mailbox it reaches */
	const char *sender;          /* NULL: no Return-Path; "": null sender <> */
	uint64_t max_message;        /* the store's policy, read at open */
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
	if ((a->user == NULL) == (a->address == NULL))
		return usage_error("one of -d USER and -a ADDRESS is required", NULL);
	if ((a->user && has_control(a->user)) || (a->address && has_control(a->address)) ||
	    (a->sender && has_control(a->sender)))
		return usage_error("control character in the user, address or sender", NULL);
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

/* Options of older versions whose job is now the store's policy: left in
 * an MTA's configuration they defer mail (75) with the fix, rather than
 * bounce it as bad usage. */
static int moved_to_policy(const char *arg)
{
	static const char *const moved[] = {"--quota", "--max-message"};
	for (size_t i = 0; i < sizeof(moved) / sizeof(moved[0]); i++) {
		size_t n = strlen(moved[i]);
		if (strncmp(arg, moved[i], n) == 0 && (arg[n] == '\0' || arg[n] == '=')) {
			fprintf(stderr, "mailrpc-deliver: %s is no longer an option: limits are the "
					"store's policy (mailrpc-admin policy); remove it; try again "
					"later\n", moved[i]);
			return 1;
		}
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct deliver_args *a)
{
	static const struct option longopts[] = {
		{"store", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	memset(a, 0, sizeof(*a));
	opterr = 0; /* our one line instead of getopt's */
	while ((opt = getopt_long(argc, argv, ":d:a:f:m:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 's': a->store_dir = optarg; break;
		case 'd': a->user = optarg; break;
		case 'a': a->address = optarg; break;
		case 'f': a->sender = optarg; break;
		case 'm': a->folder = optarg; break;
		case 'h': printf("usage: %s\n", SYNOPSIS); exit(EX_OK);
		case ':': return usage_error("missing argument of", bad_option(argv));
		default:
			if (moved_to_policy(bad_option(argv)))
				return EX_TEMPFAIL;
			return usage_error("unknown option", bad_option(argv));
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

/* -a: the mailbox the address reaches, as a->user.  An address that is
 * not local, or reaches no mailbox, bounces (67). */
static int resolve_address(struct deliver_args *a, store_t *st)
{
	int local;
	if (a->address == NULL)
		return EX_OK;
	int rc = store_address_resolve(st, a->address, &local, a->mailbox);
	if (rc == STORE_OK && local && a->mailbox[0] != '\0') {
		a->user = a->mailbox;
		return EX_OK;
	}
	if (rc == STORE_OK || rc == STORE_INVALID) {
		fprintf(stderr, "mailrpc-deliver: %s: no such address\n", a->address);
		return EX_NOUSER;
	}
	fprintf(stderr, "mailrpc-deliver: store: %s; try again later\n", store_strerror(rc));
	return EX_TEMPFAIL;
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
			(unsigned long long)a->max_message);
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

/* The store's diagnostics: to the mail log, and to stderr, which the MTA
 * quotes in its log. */
static void log_store_line(void *ctx, int level, const char *line)
{
	(void)ctx;
	syslog(level, "%s", line);
	fprintf(stderr, "mailrpc-deliver: %s\n", line);
}

/* Opens the store and reads its size limit: 0 or EX_TEMPFAIL (said why). */
static int open_store(struct deliver_args *a, store_t **st_r)
{
	store_options_t opt;
	store_options_init(&opt);
	/* Mail is not deferred because idle sessions filled the reader table:
	 * a delivery then reads under the writer lock (store.h). */
	opt.readers_full_fallback = 1;
	int rc = store_exists(a->store_dir) ? store_open(a->store_dir, &opt, st_r) : STORE_NOTFOUND;
	if (rc == STORE_OK)
		rc = store_policy_get(*st_r, STORE_POLICY_MAX_MESSAGE, &a->max_message, NULL);
	if (rc != STORE_OK) {
		fprintf(stderr, "mailrpc-deliver: cannot open store %s: %s; try again later\n",
			a->store_dir, store_strerror(rc));
		store_close(st_r);
		return EX_TEMPFAIL;
	}
	/* The whole message is held in memory (one copy, see deliver.h). */
	if (a->max_message > SIZE_MAX / 2)
		a->max_message = SIZE_MAX / 2;
	return EX_OK;
}

static int store_delivery(const struct deliver_args *a, store_t *st, const struct deliver_msg *m)
{
	const char *folder = NULL;
	uint64_t id;
	int rc = check_mailbox(st, a->user);
	if (rc == STORE_OK)
		rc = target_folder(st, a, &folder);
	if (rc == STORE_OK)
		rc = store_message_append(st, a->user, folder, m->data, m->len, 0, 0, &id);
	return report(a, rc);
}

/* Everything is read before anything is stored: a delivery killed while
 * reading leaves no trace. */
static int read_message(const struct deliver_args *a, struct deliver_msg *m)
{
	/* Delivered-To: what the MTA delivered to, the address when given. */
	int rc = deliver_read_message(STDIN_FILENO, (size_t)a->max_message, a->sender,
				      a->address ? a->address : a->user, m);
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
	store_t *st = NULL;
	int status = parse_args(argc, argv, &args);
	openlog("mailrpc-deliver", LOG_PID, LOG_MAIL);
	store_set_log(log_store_line, NULL);
	if (status == EX_OK)
		status = open_store(&args, &st);
	/* The whole message first, as the MTA expects it read, whatever the
	 * answer. */
	if (status == EX_OK)
		status = read_message(&args, &msg);
	if (status == EX_OK)
		status = resolve_address(&args, st);
	if (status == EX_OK)
		status = store_delivery(&args, st, &msg);
	store_close(&st);
	deliver_msg_clear(&msg);
	return status;
}
