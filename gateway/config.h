/*
 * config.h -- the gateway's settings, filled once from the command line
 * before any connection is accepted and read-only afterwards.
 */
#ifndef GW_CONFIG_H
#define GW_CONFIG_H

#include <stddef.h>

enum gw_protocol { GW_IMAP, GW_POP3 };

#define GW_MAX_LISTEN 8
#define GW_MAX_PUBLIC_ADMINS 16

/* What POP3's DELE does to a message at QUIT (see README). */
enum gw_pop3_delete { GW_POP3_DELETE_TRASH, GW_POP3_DELETE_EXPUNGE };

struct gw_config {
	enum gw_protocol protocol;
	const char *program;		   /* mailrpc-imapd or mailrpc-pop3d */
	const char *service;		   /* Kerberos service: imap or pop */
	const char *listen[GW_MAX_LISTEN]; /* plain, STARTTLS/STLS offered */
	int n_listen;
	const char *listen_tls[GW_MAX_LISTEN]; /* implicit TLS (993/995 style) */
	int n_listen_tls;
	const char *cert, *key; /* PEM files */
	const char *keytab;
	const char *store_dir; /* the mail store (as mailrpcd's --store) */
	const char *public_admins[GW_MAX_PUBLIC_ADMINS]; /* as mailrpcd's --public-admin */
	int n_public_admins;
	enum gw_pop3_delete pop3_delete;
	const char *hostname; /* service principal SERVICE/HOSTNAME */
	const char *pidfile;  /* NULL: none */
	int foreground;
	int max_connections;		/* all connections */
	int max_per_peer;		/* unauthenticated ones per address */
	int login_timeout;		/* seconds idle before logging in */
	int idle_timeout;		/* seconds idle once logged in */
	size_t max_line;		/* bytes in a command line */
	unsigned long long max_message; /* bytes; larger literals refused unread */
	int fail_delay_ms;		/* a failed login answers no sooner */
};

/* Parses argv into *cfg; prints usage and exits 64 on bad usage. */
void gw_config_parse(int argc, char **argv, enum gw_protocol protocol, struct gw_config *cfg);

#endif
