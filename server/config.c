/*
 * config.c -- mailrpcd's settings table (see config.h).  Each entry is a
 * flag and a config file key of the same name: a new setting is one line
 * here and a field in struct server_config.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "../common/level.h"
#include "config.h"
#include "handover_master.h"
#include "mailrpc_prot.h"

static struct server_config current;

static int check_principal(const char *v, char *why, size_t n)
{
	if (strchr(v, '@') && !strchr(v, '/'))
		return 0;
	snprintf(why, n,
		 "takes the host-based form SERVICE@HOST (e.g. mailrpc@mail.example.org), not '%s'",
		 v);
	return -1;
}

/* sendmail is run by path, never looked up in a PATH. */
static int check_absolute(const char *v, char *why, size_t n)
{
	if (v[0] == '/')
		return 0;
	snprintf(why, n, "takes an absolute path, not '%s'", v);
	return -1;
}

#define F(name) offsetof(struct server_config, name)
static const struct opt_def server_options[] = {
    {"listen", OPT_STRING, F(listen), 0, 0, "ADDR:PORT", "address and TCP port to listen on", 1,
     NULL},
    {"store", OPT_STRING, F(store_dir), 0, 0, "DIR", "the mailbox store directory", 1, NULL},
    {"keytab", OPT_STRING, F(keytab), 0, 0, "FILE", "keytab holding the service key", 1, NULL},
    {"principal", OPT_STRING, F(principal), 0, 0, "SERVICE@HOST",
     "service principal in host-based form, e.g. mailrpc@mail.example.org", 1, check_principal},
    {"min-level", OPT_LEVEL, F(min_level), 0, 0, "LEVEL",
     "least protection a call may use: auth, integrity or privacy", 0, NULL},
    {"foreground", OPT_FLAG, F(foreground), 0, 0, NULL, "stay in the foreground, log to stderr", 0,
     NULL},
    {"pidfile", OPT_STRING, F(pidfile), 0, 0, "FILE", "write the process id to FILE", 0, NULL},
    {"register", OPT_FLAG, F(register_rpcbind), 0, 0, NULL, "register with rpcbind while running",
     0, NULL},
    {"idle-timeout", OPT_INT, F(idle_timeout), 1, 86400, "SECONDS",
     "close a connection idle this long", 0, NULL},
    {"wait-timeout", OPT_INT, F(wait_timeout), 1, MAILRPC_WAIT_MAX, "SECONDS",
     "longest a WAIT call may block", 0, NULL},
    {"public-admin", OPT_LIST, F(public_admins), 0, OPT_LIST_MAX, "PRINCIPAL",
     "a principal who owns the shared \"public\" mailbox", 0, NULL},
    {"sendmail", OPT_STRING, F(sendmail), 0, 0, "PATH",
     "the MTA's sendmail(1), which takes mail for other domains", 0, check_absolute},
};
#undef F

static const struct opt_spec server_spec = {
    .program = "mailrpcd",
    .default_config = MAILRPCD_CONFIG_FILE,
    .defs = server_options,
    .n_defs = sizeof(server_options) / sizeof(server_options[0]),
};

void config_parse(int argc, char **argv, struct server_config *cfg)
{
	struct opt_run run;
	memset(cfg, 0, sizeof(*cfg));
	cfg->min_level = LEVEL_PRIVACY;
	cfg->idle_timeout = 900;
	cfg->wait_timeout = 300;
	cfg->sendmail = "/usr/sbin/sendmail";
	opt_load(&server_spec, argc, argv, cfg, &run);
	cfg->check_config = run.check_config;
	cfg->config_path = run.config_path;
}

void config_print(const struct server_config *cfg, FILE *out)
{
	opt_print(&server_spec, cfg, out);
}

const struct server_config *config_get(void)
{
	return &current;
}

void config_set(const struct server_config *cfg)
{
	current = *cfg;
	current.mail = (struct mail_config){
	    .store_dir = current.store_dir,
	    .public_admins = current.public_admins.item,
	    .n_public_admins = current.public_admins.n,
	    .wait_max = (unsigned)current.wait_timeout,
	    .handover_kick = handover_kick_master,
	};
}
