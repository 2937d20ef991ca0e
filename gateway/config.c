/*
 * config.c -- the gateway's settings table (see config.h).  Each entry is
 * a flag and a config file key of the same name: a new setting is one
 * line here and a field in struct gw_config.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "config.h"

static int check_hostname(const char *v, char *why, size_t n)
{
	if (!strchr(v, '/') && !strchr(v, '@'))
		return 0;
	snprintf(why, n, "takes the host part of the service principal, not '%s'", v);
	return -1;
}

#define F(name) offsetof(struct gw_config, name)
static const struct opt_def gw_options[] = {
    {"listen", OPT_LIST, F(listen), 0, GW_MAX_LISTEN, "ADDR:PORT",
     "listen here, offering STARTTLS (IMAP) or STLS (POP3)", 0, NULL},
    {"listen-tls", OPT_LIST, F(listen_tls), 0, GW_MAX_LISTEN, "ADDR:PORT",
     "listen here with TLS from the first byte (993/995 style)", 0, NULL},
    {"cert", OPT_STRING, F(cert), 0, 0, "FILE", "TLS certificate chain, PEM", 0, NULL},
    {"key", OPT_STRING, F(key), 0, 0, "FILE", "TLS private key, PEM", 0, NULL},
    {"keytab", OPT_STRING, F(keytab), 0, 0, "FILE", "keytab holding the service key", 1, NULL},
    {"store", OPT_STRING, F(store_dir), 0, 0, "DIR", "the mail store (the one mailrpcd serves)", 1,
     NULL},
    {"public-admin", OPT_LIST, F(public_admins), 0, OPT_LIST_MAX, "PRINCIPAL",
     "a principal who owns the shared \"public\" mailbox (as mailrpcd's)", 0, NULL},
    {"pop3-delete", OPT_CHOICE, F(pop3_delete), 0, 0, "trash|expunge",
     "what POP3's DELE does at QUIT: move to Deleted Items, or remove for good", 0, NULL},
    {"hostname", OPT_STRING, F(hostname), 0, 0, "HOST",
     "host part of the service principal (default: this host's name)", 0, check_hostname},
    {"foreground", OPT_FLAG, F(foreground), 0, 0, NULL, "stay in the foreground, log to stderr", 0,
     NULL},
    {"pidfile", OPT_STRING, F(pidfile), 0, 0, "FILE", "write the process id to FILE", 0, NULL},
    {"max-connections", OPT_INT, F(max_connections), 1, 100000, "N", "connections at once", 0,
     NULL},
    {"max-per-peer", OPT_INT, F(max_per_peer), 1, 100000, "N",
     "connections not yet logged in from one address", 0, NULL},
    {"login-timeout", OPT_INT, F(login_timeout), 1, 3600, "SECONDS",
     "close a connection that has not logged in after this long idle", 0, NULL},
    {"idle-timeout", OPT_INT, F(idle_timeout), 1, 86400, "SECONDS",
     "close a logged-in connection idle this long", 0, NULL},
    {"max-line", OPT_BYTES, F(max_line), 1024, 1 << 20, "BYTES", "longest command line", 0, NULL},
    {"max-message", OPT_BYTES, F(max_message), 1, 1LL << 31, "BYTES",
     "largest message accepted (APPEND); larger ones are refused unread", 0, NULL},
    {"auth-fail-delay", OPT_MILLIS, F(fail_delay_ms), 0, 60000, "SECONDS",
     "a failed login is answered no sooner than this", 0, NULL},
};
#undef F

static struct opt_spec gw_spec = {
    .defs = gw_options,
    .n_defs = sizeof(gw_options) / sizeof(gw_options[0]),
};

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
	cfg->pop3_delete = GW_POP3_DELETE_TRASH;
}

static void bad_usage(const struct gw_config *cfg, const char *why)
{
	fprintf(stderr, "%s: %s\n%s: see %s --help\n", cfg->program, why, cfg->program,
		cfg->program);
	exit(EX_USAGE);
}

void gw_config_parse(int argc, char **argv, enum gw_protocol protocol, struct gw_config *cfg)
{
	static char default_config[64];
	struct opt_run run;
	set_defaults(cfg, protocol);
	snprintf(default_config, sizeof(default_config), GW_CONFIG_DIR "%s.conf", cfg->program);
	gw_spec.program = cfg->program;
	gw_spec.default_config = default_config;
	opt_load(&gw_spec, argc, argv, cfg, &run);
	cfg->check_config = run.check_config;
	cfg->config_path = run.config_path;
	if (cfg->listen.n + cfg->listen_tls.n == 0)
		bad_usage(cfg, "--listen or --listen-tls ADDR:PORT is required");
	if (!cfg->cert || !cfg->key)
		bad_usage(cfg, "--cert FILE and --key FILE are required (passwords need TLS)");
	if (!cfg->hostname || !cfg->hostname[0])
		bad_usage(cfg, "--hostname HOST is required (this host has no name)");
}

void gw_config_print(const struct gw_config *cfg, FILE *out)
{
	opt_print(&gw_spec, cfg, out);
}
