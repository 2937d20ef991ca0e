/* conn.c -- one connection, one process (see conn.h). */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../server/log.h"
#include "conn.h"
#include "imap_session.h"
#include "pop3_session.h"

/* The most a connection process may allocate: a literal at the message
 * limit plus working room; ASan builds rely on max_allocation_size_mb. */
#define CONN_MEMORY_SLACK (64UL << 20)

static const struct gw_config *config;
static SSL_CTX *tls_context;

void gw_conn_setup(const struct gw_config *cfg, SSL_CTX *tls_ctx)
{
	config = cfg;
	tls_context = tls_ctx;
}

static void limit_memory(const char *peer)
{
#if !defined(__SANITIZE_ADDRESS__)
	rlim_t cap = (rlim_t)(config->max_message * 2 + CONN_MEMORY_SLACK);
	struct rlimit rl = {.rlim_cur = cap, .rlim_max = cap};
	if (setrlimit(RLIMIT_DATA, &rl) != 0)
		log_warn("peer=%s: cannot cap memory: %m", peer);
#else
	(void)peer;
#endif
}

static void init_session(struct gw_session *gw, int fd, const char *peer, struct slot *slot,
			 volatile int *stop)
{
	gw->cfg = config;
	gw->tls_ctx = tls_context;
	gw->slot = slot;
	snprintf(gw->peer, sizeof(gw->peer), "%s", peer);
	stream_init(&gw->stream, fd, config->login_timeout * 1000, stop);
}

void gw_conn_serve(int fd, const char *peer, int implicit_tls, struct slot *slot,
		   volatile int *stop)
{
	static struct imap_session imap;
	static struct pop3_session pop3;
	struct gw_session *gw = config->protocol == GW_IMAP ? &imap.gw : &pop3.gw;
	limit_memory(peer);
	init_session(gw, fd, peer, slot, stop);
	if (implicit_tls && gw_start_tls(gw) != 0)
		goto out;
	if (config->protocol == GW_IMAP)
		imap_session_run(&imap);
	else
		pop3_session_run(&pop3);
out:
	stream_free(&gw->stream);
	close(fd);
	log_info("peer=%s: connection closed", peer);
	_exit(0);
}
