/*
 * config.h -- mailrpcd's settings, filled once from the command line
 * before any connection is accepted and read-only afterwards.
 */
#ifndef MAILRPCD_CONFIG_H
#define MAILRPCD_CONFIG_H

#include "mail.h"

struct server_config {
	const char *listen;     /* ADDR:PORT or [ADDR]:PORT */
	const char *store_dir;
	const char *keytab;
	const char *principal;  /* SERVICE@HOST, GSS host-based form */
	const char *pidfile;    /* NULL: none */
	const char *sendmail;   /* the MTA's sendmail(1), for mail to other domains */
	int min_level;          /* enum level_value */
	int foreground;
	int register_rpcbind;
	int idle_timeout;       /* seconds a connection may sit idle */
	int wait_timeout;       /* longest WAIT, seconds (--wait-timeout) */
	const char *public_admins[32];  /* --public-admin, repeatable */
	int n_public_admins;
	int clock_skew;                 /* krb5.conf clockskew, seconds */
	struct mail_config mail;        /* the mail service's share of the above */
};

/* Parses argv into *cfg; prints usage and exits 64 on bad usage. */
void config_parse(int argc, char **argv, struct server_config *cfg);

/* The settings in force for this process. */
const struct server_config *config_get(void);
void config_set(const struct server_config *cfg);

#endif
