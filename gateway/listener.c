/* listener.c -- accept, limit, fork, reap, stop (see listener.h). */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../common/listen.h"
#include "../server/log.h"
#include "listener.h"
#include "slots.h"

#define STOP_GRACE_SECONDS 10

static volatile int stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void reap(struct slots *t)
{
	pid_t pid;
	int status;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (WIFSIGNALED(status) && WTERMSIG(status) != SIGTERM)
			log_warn("connection process %d died of signal %d", (int)pid,
				 WTERMSIG(status));
		slots_release(t, pid);
	}
}

/* A refusal the client can read: plain text only where it speaks plain text. */
static void turn_away(const struct gw_config *cfg, int fd, int implicit_tls, const char *why)
{
	char line[256];
	if (!implicit_tls) {
		snprintf(line, sizeof(line),
			 cfg->protocol == GW_IMAP ? "* BYE [UNAVAILABLE] %s, try again later\r\n"
						  : "-ERR [SYS/TEMP] %s, try again later\r\n",
			 why);
		ssize_t ignored = send(fd, line, strlen(line), MSG_DONTWAIT | MSG_NOSIGNAL);
		(void)ignored;
	}
	close(fd);
}

static void accept_one(const struct gw_config *cfg, const struct gw_listen *l,
		       const struct gw_listen *all, int n, struct slots *t, gw_serve_fn serve)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int fd = accept4(l->fd, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED)
			log_warn("accept: %s", strerror(errno));
		return;
	}
	/* Answers are buffered and flushed whole (stream.c): Nagle would only
	 * hold an answer's last segment until the client's delayed ACK (a
	 * 100 KiB FETCH took 30 ms). */
	int on = 1;
	if (ss.ss_family != AF_UNIX)
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	char peer[128], addr[SLOT_ADDR_MAX];
	peer_format(&ss, len, peer, sizeof(peer));
	peer_address(&ss, len, addr, sizeof(addr));
	if (slots_in_use(t) >= cfg->max_connections) {
		log_warn("peer=%s: %d connections open, turning this one away", peer,
			 cfg->max_connections);
		turn_away(cfg, fd, l->implicit_tls, "Too many connections");
		return;
	}
	if (slots_unauthenticated(t, addr) >= cfg->max_per_peer) {
		log_warn("peer=%s: %d connections from %s not logged in, turning this one away",
			 peer, cfg->max_per_peer, addr);
		turn_away(cfg, fd, l->implicit_tls, "Too many connections from your address");
		return;
	}
	struct slot *slot = slots_take(t, addr);
	pid_t pid = fork();
	if (pid < 0) {
		log_warn("peer=%s: fork: %s", peer, strerror(errno));
		slots_claim(slot, 0); /* pid 0: free again */
		close(fd);
		return;
	}
	if (pid == 0) {
		for (int i = 0; i < n; i++)
			close(all[i].fd);
		serve(fd, peer, l->implicit_tls, slot, &stop_requested);
	}
	slots_claim(slot, pid);
	close(fd);
}

static void stop_children(struct slots *t)
{
	for (int i = 0; i < t->n; i++)
		if (t->slot[i].pid > 0)
			kill(t->slot[i].pid, SIGTERM);
	time_t deadline = time(NULL) + STOP_GRACE_SECONDS;
	while (slots_in_use(t) > 0 && time(NULL) < deadline) {
		reap(t);
		if (slots_in_use(t) > 0)
			usleep(20000);
	}
	for (int i = 0; i < t->n; i++) {
		if (t->slot[i].pid <= 0)
			continue;
		log_warn("connection process %d did not stop in %d s, killing it",
			 (int)t->slot[i].pid, STOP_GRACE_SECONDS);
		kill(t->slot[i].pid, SIGKILL);
		waitpid(t->slot[i].pid, NULL, 0);
	}
}

void gw_listener_run(const struct gw_config *cfg, const struct gw_listen *fds, int n,
		     gw_serve_fn serve)
{
	struct sigaction sa = {.sa_handler = on_stop};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct slots table;
	if (slots_init(&table, cfg->max_connections) != 0)
		log_fatal("cannot map the connection table: %s", strerror(errno));
	struct pollfd p[2 * GW_MAX_LISTEN];
	for (int i = 0; i < n; i++)
		p[i] = (struct pollfd){.fd = fds[i].fd, .events = POLLIN};
	while (!stop_requested) {
		/* The timeout bounds how long a dead child waits to be reaped. */
		int ready = poll(p, (nfds_t)n, 500);
		reap(&table);
		for (int i = 0; ready > 0 && i < n && !stop_requested; i++)
			if (p[i].revents & POLLIN)
				accept_one(cfg, &fds[i], fds, n, &table, serve);
	}
	for (int i = 0; i < n; i++)
		close(fds[i].fd);
	log_info("stopping: %d connection(s) open", slots_in_use(&table));
	stop_children(&table);
}
