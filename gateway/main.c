/*
 * main.c -- gateway start-up, shared by mailrpc-imapd and mailrpc-pop3d:
 * parse flags, prove the keytab and the TLS certificate work, open every
 * listening socket, then hand over to the accept loop.  Anything wrong at
 * start is reported on stderr and ends the process with status 1.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../common/listen.h"
#include "../common/ready.h"
#include "../server/acceptor.h"
#include "../server/daemon.h"
#include "../server/log.h"
#include "../server/log_store.h"
#include "conn.h"
#include "gateway.h"
#include "gw_mail.h"
#include "listener.h"
#include "tls.h"

static int open_all(const struct gw_config *cfg, struct gw_listen *fds)
{
	char why[512];
	int n = 0, port;
	for (int tls = 0; tls <= 1; tls++) {
		const char *const *specs = tls ? cfg->listen_tls.item : cfg->listen.item;
		int count = tls ? cfg->listen_tls.n : cfg->listen.n;
		for (int i = 0; i < count; i++) {
			int fd = listen_open(specs[i], &port, why, sizeof(why));
			if (fd < 0)
				log_fatal("%s", why);
			fds[n++] = (struct gw_listen){.fd = fd, .implicit_tls = tls};
			log_info("listening on %s (port %d)%s", specs[i], port,
				 tls ? " with TLS" : ", STARTTLS offered");
		}
	}
	return n;
}

/* --check-config: the settings in force, then whether the keytab, the
 * certificate and the key would work; 0 if they would. */
static int check_config(const struct gw_config *cfg, const char *principal)
{
	char why[1024];
	printf("# %s settings from %s and the command line\n", cfg->program,
	       cfg->config_path ? cfg->config_path : "(no config file)");
	gw_config_print(cfg, stdout);
	if (acceptor_check(cfg->keytab, principal, why, sizeof(why)) != 0) {
		fprintf(stderr, "%s: %s\n", cfg->program, why);
		return 1;
	}
	printf("# keytab %s: holds a usable key for %s\n", cfg->keytab, principal);
	SSL_CTX *tls = tls_server_context(cfg->cert, cfg->key, why, sizeof(why));
	if (tls == NULL) {
		fprintf(stderr, "%s: %s\n", cfg->program, why);
		return 1;
	}
	SSL_CTX_free(tls);
	printf("# certificate %s and key %s: usable together\n", cfg->cert, cfg->key);
	printf("# configuration OK\n");
	return 0;
}

int gw_main(int argc, char **argv, enum gw_protocol protocol)
{
	struct gw_config cfg;
	struct gw_listen fds[2 * GW_MAX_LISTEN];
	char why[1024], principal[512];

	gw_config_parse(argc, argv, protocol, &cfg);
	log_set_program(cfg.program);
	log_init(1);
	log_store_init();

	snprintf(principal, sizeof(principal), "%s@%s", cfg.service, cfg.hostname);
	if (cfg.check_config)
		return check_config(&cfg, principal);
	if (acceptor_check(cfg.keytab, principal, why, sizeof(why)) != 0)
		log_fatal("%s", why);
	if (gw_mail_setup(&cfg, why, sizeof(why)) != 0)
		log_fatal("%s", why);
	SSL_CTX *tls = tls_server_context(cfg.cert, cfg.key, why, sizeof(why));
	if (tls == NULL)
		log_fatal("%s", why);
	gw_conn_setup(&cfg, tls);
	int n = open_all(&cfg, fds);
	daemon_start(cfg.foreground, cfg.pidfile);
	log_info("serving %s as %s/%s", protocol == GW_IMAP ? "IMAP4rev1" : "POP3", cfg.service,
		 cfg.hostname);

	/* No reload (settings are read at start): SIGHUP must not end it. */
	signal(SIGHUP, SIG_IGN);
	ready_notify("serving");
	gw_listener_run(&cfg, fds, n, gw_conn_serve);
	ready_stopping();

	if (cfg.pidfile)
		unlink(cfg.pidfile);
	SSL_CTX_free(tls);
	log_info("stopped");
	return 0;
}
