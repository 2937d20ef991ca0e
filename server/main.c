/*
 * main.c -- mailrpcd start-up: parse flags, prove the keytab works, open
 * the listening socket, then hand over to the accept loop.  Anything wrong
 * at start is reported on stderr and ends the process with status 1.
 */
#include <errno.h>
#include <netconfig.h>
#include <rpc/rpc.h>
#include <rpc/rpcsec_gss.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/level.h"
#include "../common/ready.h"
#include "../common/seal.h"
#include "acceptor.h"
#include "config.h"
#include "daemon.h"
#include "listener.h"
#include "log.h"
#include "log_store.h"
#include "mailrpc_prot.h"
#include "session.h"

static void check_store_dir(const char *dir)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		log_fatal("cannot create store directory %s: %s", dir, strerror(errno));
	if (access(dir, R_OK | W_OK | X_OK) != 0)
		log_fatal("store directory %s is not usable: %s", dir, strerror(errno));
}

static void rpcbind_set(int port, int on)
{
	struct netconfig *nc = getnetconfigent("tcp");
	if (nc == NULL)
		log_fatal("--register: no tcp netconfig entry");
	if (!on) {
		rpcb_unset(MAILRPC_PROG, MAILRPC_V2, nc);
		freenetconfigent(nc);
		return;
	}
	char uaddr[64];
	snprintf(uaddr, sizeof(uaddr), "0.0.0.0.%d.%d", port >> 8, port & 0xff);
	struct netbuf *nb = uaddr2taddr(nc, uaddr);
	int registered = nb != NULL && rpcb_set(MAILRPC_PROG, MAILRPC_V2, nc, nb);
	if (nb != NULL) {
		free(nb->buf);
		free(nb);
	}
	freenetconfigent(nc);
	if (!registered)
		log_fatal("--register: rpcbind refused the registration (is rpcbind running?)");
}

/* --check-config: the settings in force, then whether the keytab and the
 * store would work; 0 if they would. */
static int check_config(const struct server_config *cfg)
{
	char why[1024];
	printf("# mailrpcd settings from %s and the command line\n",
	       cfg->config_path ? cfg->config_path : "(no config file)");
	config_print(cfg, stdout);
	if (acceptor_check(cfg->keytab, cfg->principal, why, sizeof(why)) != 0) {
		fprintf(stderr, "mailrpcd: %s\n", why);
		return 1;
	}
	printf("# keytab %s: holds a usable key for %s\n", cfg->keytab, cfg->principal);
	if (access(cfg->store_dir, F_OK) == 0 && access(cfg->store_dir, R_OK | W_OK | X_OK) != 0) {
		fprintf(stderr, "mailrpcd: store directory %s is not usable: %s\n", cfg->store_dir,
			strerror(errno));
		return 1;
	}
	printf("# store %s: %s\n", cfg->store_dir,
	       access(cfg->store_dir, F_OK) == 0 ? "usable" : "will be created at start");
	printf("# configuration OK\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct server_config cfg;
	char why[1024];

	config_parse(argc, argv, &cfg);
	if (cfg.check_config)
		return check_config(&cfg);
	cfg.clock_skew = session_clock_skew();
	config_set(&cfg);
	log_init(1);
	log_store_init();

	if (acceptor_check(cfg.keytab, cfg.principal, why, sizeof(why)) != 0)
		log_fatal("%s", why);
	if (!rpc_gss_set_svc_name((char *)cfg.principal, "kerberos_v5", 0, MAILRPC_PROG,
				  MAILRPC_V2))
		log_fatal("rpc_gss_set_svc_name(%s) failed", cfg.principal);
	if (session_register(MAILRPC_PROG, MAILRPC_V2) != 0)
		log_fatal("rpc_gss_set_callback failed");
	check_store_dir(cfg.store_dir);
	/* Sealed calls' cipher, looked up once for every connection process. */
	if (seal_preload() != SEAL_OK)
		log_fatal("OpenSSL has no AES-256-GCM for sealed calls");

	int port;
	int listen_fd = listener_open(cfg.listen, &port);
	if (cfg.register_rpcbind)
		rpcbind_set(port, 1);
	daemon_start(cfg.foreground, cfg.pidfile);
	log_info("listening on %s (port %d) as %s, minimum level %s", cfg.listen, port,
		 cfg.principal, level_name(cfg.min_level));
	ready_notify("serving");

	listener_run(listen_fd);
	ready_stopping();

	if (cfg.register_rpcbind)
		rpcbind_set(port, 0);
	if (cfg.pidfile)
		unlink(cfg.pidfile);
	log_info("stopped");
	return 0;
}
