/*
 * config.h -- mailrpcd's settings, filled once at start from
 * /etc/mailrpc/mailrpcd.conf (or --config FILE) and the flags, before any
 * connection is accepted, and read-only afterwards.
 */
#ifndef MAILRPCD_CONFIG_H
#define MAILRPCD_CONFIG_H

#include "../common/options.h"
#include "mail.h"

#define MAILRPCD_CONFIG_FILE "/etc/mailrpc/mailrpcd.conf"

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
	struct opt_list public_admins; /* --public-admin, repeatable */
	int clock_skew;                 /* krb5.conf clockskew, seconds */
	struct mail_config mail;        /* the mail service's share of the above */
	int check_config;               /* --check-config: report and exit */
	const char *config_path;        /* the file read, NULL if none */
};

/* Fills *cfg from the config file and argv; a bad flag exits 64, a bad
 * config file 78, each after one line on stderr saying where. */
void config_parse(int argc, char **argv, struct server_config *cfg);

/* Writes the settings in config file form (--check-config). */
void config_print(const struct server_config *cfg, FILE *out);

/* The settings in force for this process. */
const struct server_config *config_get(void);
void config_set(const struct server_config *cfg);

#endif
