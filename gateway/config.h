/*
 * config.h -- the gateway's settings, filled once from the command line
 * before any connection is accepted and read-only afterwards.
 */
#ifndef GW_CONFIG_H
#define GW_CONFIG_H

#include <stdio.h>

#include "../common/options.h"

enum gw_protocol { GW_IMAP, GW_POP3 };

#define GW_MAX_LISTEN 8
#define GW_CONFIG_DIR "/etc/mailrpc/"

/* What POP3's DELE does to a message at QUIT (see README); in the order
 * of the pop3-delete setting's words, "trash|expunge" (config.c). */
enum gw_pop3_delete { GW_POP3_DELETE_TRASH, GW_POP3_DELETE_EXPUNGE };

struct gw_config {
	enum gw_protocol protocol;
	const char *program;		   /* mailrpc-imapd or mailrpc-pop3d */
	const char *service;		   /* Kerberos service: imap or pop */
	struct opt_list listen;		   /* plain, STARTTLS/STLS offered */
	struct opt_list listen_tls;	   /* implicit TLS (993/995 style) */
	const char *cert, *key; /* PEM files */
	const char *keytab;
	const char *store_dir;		   /* the mail store (as mailrpcd's --store) */
	struct opt_list public_admins;	   /* as mailrpcd's --public-admin */
	int pop3_delete;		   /* enum gw_pop3_delete */
	const char *hostname; /* service principal SERVICE/HOSTNAME */
	const char *pidfile;  /* NULL: none */
	int foreground;
	int max_connections;		/* all connections */
	int max_per_peer;		/* unauthenticated ones per address */
	int login_timeout;		/* seconds idle before logging in */
	int idle_timeout;		/* seconds idle once logged in */
	unsigned long long max_line;	/* bytes in a command line */
	unsigned long long max_message; /* bytes; larger literals refused unread */
	int fail_delay_ms;		/* a failed login answers no sooner */
	int check_config;		/* --check-config: report and exit */
	const char *config_path;	/* the file read, NULL if none */
};

/* Fills *cfg from /etc/mailrpc/PROGRAM.conf (or --config FILE) and argv;
 * a bad flag exits 64, a bad config file 78, each after one line on
 * stderr saying where. */
void gw_config_parse(int argc, char **argv, enum gw_protocol protocol, struct gw_config *cfg);

/* Writes the settings in config file form (--check-config). */
void gw_config_print(const struct gw_config *cfg, FILE *out);

#endif
