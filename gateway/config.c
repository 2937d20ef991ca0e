/* config.c -- the gateway's command line (see config.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "../common/bytes.h"
#include "config.h"

static const char *program_name;

static void usage(FILE *out, int status)
{
	fprintf(out,
		"usage: %s [--listen ADDR:PORT]... [--listen-tls ADDR:PORT]...\n"
		"        --store DIR --cert FILE --key FILE --keytab FILE [--hostname HOST]\n"
		"        [--public-admin PRINCIPAL]... [--pop3-delete trash|expunge]\n"
		"        [--foreground] [--pidfile FILE] [--max-connections N] [--max-per-peer N]\n"
		"        [--login-timeout SECONDS] [--idle-timeout SECONDS] [--max-line BYTES]\n"
		"        [--max-message BYTES] [--auth-fail-delay SECONDS]\n",
		program_name);
	exit(status);
}

static void bad_usage(const char *why, const char *what)
{
	fprintf(stderr, "%s: %s%s%s\n", program_name, why, what ? ": " : "", what ? what : "");
	usage(stderr, EX_USAGE);
}

/* An integer in min..max, or bad usage. */
static long int_arg(const char *arg, long min, long max, const char *complaint)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (*end != '\0' || end == arg || errno != 0 || v < min || v > max)
		bad_usage(complaint, arg);
	return v;
}

/* Seconds with an optional fraction, 0..60, as milliseconds. */
static int delay_arg(const char *arg)
{
	char *end;
	errno = 0;
	double v = strtod(arg, &end);
	if (*end != '\0' || end == arg || errno != 0 || !(v >= 0 && v <= 60))
		bad_usage("--auth-fail-delay must be 0..60 seconds, not", arg);
	return (int)(v * 1000);
}

static void add_listen(const char **list, int *n, const char *spec, const char *flag)
{
	if (*n == GW_MAX_LISTEN)
		bad_usage("too many addresses for", flag);
	list[(*n)++] = spec;
}

static void set_defaults(struct gw_config *cfg, enum gw_protocol protocol)
{
	static char host[256];
	memset(cfg, 0, sizeof(*cfg));
	cfg->protocol = protocol;
	cfg->program = protocol == GW_IMAP ? "mailrpc-imapd" : "mailrpc-pop3d";
	/* Real clients ask for pop/HOST, never pop3/HOST. */
	cfg->service = protocol == GW_IMAP ? "imap" : "pop";
	if (gethostname(host, sizeof(host) - 1) == 0)
		cfg->hostname = host;
	cfg->max_connections = 512;
	cfg->max_per_peer = 10;
	cfg->login_timeout = 60;
	/* RFC 3501 5.4: at least 30 minutes; RFC 1939 3: at least 10. */
	cfg->idle_timeout = protocol == GW_IMAP ? 1800 : 600;
	cfg->max_line = 65536;
	cfg->max_message = 50ULL << 20;
	cfg->fail_delay_ms = 2000;
}

void gw_config_parse(int argc, char **argv, enum gw_protocol protocol, struct gw_config *cfg)
{
	static const struct option longopts[] = {
	    {"listen", required_argument, NULL, 'l'},
	    {"listen-tls", required_argument, NULL, 't'},
	    {"cert", required_argument, NULL, 'c'},
	    {"key", required_argument, NULL, 'k'},
	    {"keytab", required_argument, NULL, 'K'},
	    {"store", required_argument, NULL, 's'},
	    {"public-admin", required_argument, NULL, 'A'},
	    {"pop3-delete", required_argument, NULL, 'D'},
	    {"hostname", required_argument, NULL, 'H'},
	    {"foreground", no_argument, NULL, 'f'},
	    {"pidfile", required_argument, NULL, 'p'},
	    {"max-connections", required_argument, NULL, 'C'},
	    {"max-per-peer", required_argument, NULL, 'P'},
	    {"login-timeout", required_argument, NULL, 'L'},
	    {"idle-timeout", required_argument, NULL, 'i'},
	    {"max-line", required_argument, NULL, 'm'},
	    {"max-message", required_argument, NULL, 'M'},
	    {"auth-fail-delay", required_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	set_defaults(cfg, protocol);
	program_name = cfg->program;
	unsigned long long v;
	int opt;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'l':
			add_listen(cfg->listen, &cfg->n_listen, optarg, "--listen");
			break;
		case 't':
			add_listen(cfg->listen_tls, &cfg->n_listen_tls, optarg, "--listen-tls");
			break;
		case 'c':
			cfg->cert = optarg;
			break;
		case 'k':
			cfg->key = optarg;
			break;
		case 'K':
			cfg->keytab = optarg;
			break;
		case 'H':
			cfg->hostname = optarg;
			break;
		case 's':
			cfg->store_dir = optarg;
			break;
		case 'A':
			if (cfg->n_public_admins == GW_MAX_PUBLIC_ADMINS)
				bad_usage("too many principals for", "--public-admin");
			cfg->public_admins[cfg->n_public_admins++] = optarg;
			break;
		case 'D':
			if (strcmp(optarg, "trash") == 0)
				cfg->pop3_delete = GW_POP3_DELETE_TRASH;
			else if (strcmp(optarg, "expunge") == 0)
				cfg->pop3_delete = GW_POP3_DELETE_EXPUNGE;
			else
				bad_usage("--pop3-delete takes trash or expunge, not", optarg);
			break;
		case 'f':
			cfg->foreground = 1;
			break;
		case 'p':
			cfg->pidfile = optarg;
			break;
		case 'C':
			cfg->max_connections = (int)int_arg(
			    optarg, 1, 100000, "--max-connections must be 1..100000, not");
			break;
		case 'P':
			cfg->max_per_peer = (int)int_arg(optarg, 1, 100000,
							 "--max-per-peer must be 1..100000, not");
			break;
		case 'L':
			cfg->login_timeout = (int)int_arg(
			    optarg, 1, 3600, "--login-timeout must be 1..3600 seconds, not");
			break;
		case 'i':
			cfg->idle_timeout = (int)int_arg(
			    optarg, 1, 86400, "--idle-timeout must be 1..86400 seconds, not");
			break;
		case 'm':
			if (bytes_parse(optarg, &v) != 0 || v < 1024 || v > (1 << 20))
				bad_usage("--max-line must be 1K..1M bytes, not", optarg);
			cfg->max_line = (size_t)v;
			break;
		case 'M':
			if (bytes_parse(optarg, &cfg->max_message) != 0 || cfg->max_message == 0 ||
			    cfg->max_message > (1ULL << 31))
				bad_usage(
				    "--max-message takes a positive number of bytes up to 2G, not",
				    optarg);
			break;
		case 'd':
			cfg->fail_delay_ms = delay_arg(optarg);
			break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			usage(stderr, EX_USAGE);
		}
	}
	if (optind != argc)
		bad_usage("unexpected argument", argv[optind]);
	if (cfg->n_listen + cfg->n_listen_tls == 0)
		bad_usage("--listen or --listen-tls ADDR:PORT is required", NULL);
	if (!cfg->cert || !cfg->key)
		bad_usage("--cert FILE and --key FILE are required (passwords need TLS)", NULL);
	if (!cfg->keytab)
		bad_usage("--keytab FILE is required", NULL);
	if (!cfg->store_dir)
		bad_usage("--store DIR is required (the store mailrpcd serves)", NULL);
	if (!cfg->hostname || !cfg->hostname[0] || strchr(cfg->hostname, '/') ||
	    strchr(cfg->hostname, '@'))
		bad_usage("--hostname takes the host part of the service principal, not",
			  cfg->hostname ? cfg->hostname : "(none)");
}
