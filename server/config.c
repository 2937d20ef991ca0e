/* config.c -- mailrpcd command line (see config.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "../common/level.h"
#include "config.h"
#include "handover_master.h"
#include "mailrpc_prot.h"

static struct server_config current;

static void usage(FILE *out, int status)
{
	fprintf(out,
		"usage: mailrpcd --listen ADDR:PORT --store DIR --keytab FILE --principal SERVICE@HOST\n"
		"                [--min-level auth|integrity|privacy] [--foreground] [--pidfile FILE]\n"
		"                [--register] [--idle-timeout SECONDS] [--wait-timeout SECONDS]\n"
		"                [--public-admin PRINCIPAL]... [--sendmail PATH]\n"
		"Limits (quota, message size, tombstone age) are the store's policy:\n"
		"see mailrpc-admin policy.\n");
	exit(status);
}

static void bad_usage(const char *why, const char *what)
{
	fprintf(stderr, "mailrpcd: %s%s%s\n", why, what ? ": " : "", what ? what : "");
	usage(stderr, EX_USAGE);
}


/* A number of seconds in 1..max, or bad usage. */
static int seconds_arg(const char *arg, long max, const char *complaint)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (*end != '\0' || end == arg || v < 1 || v > max)
		bad_usage(complaint, arg);
	return (int)v;
}

void config_parse(int argc, char **argv, struct server_config *cfg)
{
	static const struct option longopts[] = {
		{"listen", required_argument, NULL, 'L'},
		{"store", required_argument, NULL, 'S'},
		{"keytab", required_argument, NULL, 'K'},
		{"principal", required_argument, NULL, 'P'},
		{"min-level", required_argument, NULL, 'm'},
		{"foreground", no_argument, NULL, 'f'},
		{"pidfile", required_argument, NULL, 'p'},
		{"register", no_argument, NULL, 'r'},
		{"idle-timeout", required_argument, NULL, 'i'},
		{"wait-timeout", required_argument, NULL, 'w'},
		{"public-admin", required_argument, NULL, 'A'},
		{"sendmail", required_argument, NULL, 'M'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	memset(cfg, 0, sizeof(*cfg));
	cfg->min_level = LEVEL_PRIVACY;
	cfg->idle_timeout = 900;
	cfg->wait_timeout = 300;
	cfg->sendmail = "/usr/sbin/sendmail";

	int opt;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'L': cfg->listen = optarg; break;
		case 'S': cfg->store_dir = optarg; break;
		case 'K': cfg->keytab = optarg; break;
		case 'P': cfg->principal = optarg; break;
		case 'p': cfg->pidfile = optarg; break;
		case 'f': cfg->foreground = 1; break;
		case 'r': cfg->register_rpcbind = 1; break;
		case 'm':
			cfg->min_level = level_parse(optarg);
			if (cfg->min_level == 0)
				bad_usage("--min-level must be auth, integrity or privacy, not", optarg);
			break;
		case 'i':
			cfg->idle_timeout = seconds_arg(optarg, 86400,
							"--idle-timeout must be 1..86400 seconds, not");
			break;
		case 'w':
			cfg->wait_timeout = seconds_arg(optarg, MAILRPC_WAIT_MAX,
							"--wait-timeout must be 1..3600 seconds, not");
			break;
		case 'A':
			if (cfg->n_public_admins == (int)(sizeof(cfg->public_admins) / sizeof(cfg->public_admins[0])))
				bad_usage("too many --public-admin principals", NULL);
			cfg->public_admins[cfg->n_public_admins++] = optarg;
			break;
		case 'M':
			if (optarg[0] != '/')
				bad_usage("--sendmail takes an absolute path, not", optarg);
			cfg->sendmail = optarg;
			break;
		case 'h': usage(stdout, 0); break;
		default: usage(stderr, EX_USAGE);
		}
	}
	if (optind != argc)
		bad_usage("unexpected argument", argv[optind]);
	if (!cfg->listen)
		bad_usage("--listen ADDR:PORT is required", NULL);
	if (!cfg->store_dir)
		bad_usage("--store DIR is required", NULL);
	if (!cfg->keytab)
		bad_usage("--keytab FILE is required", NULL);
	if (!cfg->principal)
		bad_usage("--principal SERVICE@HOST is required", NULL);
	if (!strchr(cfg->principal, '@') || strchr(cfg->principal, '/'))
		bad_usage("--principal takes the host-based form SERVICE@HOST (e.g. mailrpc@mail.example.org), not",
			  cfg->principal);
}

const struct server_config *config_get(void) { return &current; }

void config_set(const struct server_config *cfg)
{
	current = *cfg;
	current.mail = (struct mail_config){
		.store_dir = current.store_dir,
		.public_admins = current.public_admins,
		.n_public_admins = current.n_public_admins,
		.wait_max = (unsigned)current.wait_timeout,
		.handover_kick = handover_kick_master,
	};
}
