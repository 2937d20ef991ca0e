/* listener.c -- accept, fork, reap, stop (see listener.h). */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../common/listen.h"
#include "config.h"
#include "conn.h"
#include "conn_limits.h"
#include "handover_master.h"
#include "listener.h"
#include "log.h"

#define MAX_CHILDREN 1024 /* one per connection; more are turned away */
#define STOP_GRACE_SECONDS 10
#define MAINTENANCE_INTERVAL 3600
#define LIMITS_INTERVAL 60 /* seconds between reads of the connection limits */

/* Set by the signal handlers: the master's only shared state. */
static volatile sig_atomic_t stop_requested, hangup_received;

/* The connection processes of the master. */
struct children {
	pid_t pid[MAX_CHILDREN];
	int n;
};

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* No reload: the settings are read once, at start (README says why).
 * SIGHUP, whose default would end the server, is answered in the log. */
static void on_hangup(int sig)
{
	(void)sig;
	hangup_received = 1;
}

int listener_open(const char *spec, int *port_r)
{
	char why[512];
	int fd = listen_open(spec, port_r, why, sizeof(why));
	if (fd < 0)
		log_fatal("%s", why);
	return fd;
}

static void reap(struct children *c)
{
	pid_t pid;
	int status;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (handover_master_reaped(pid, status))
			continue;
		if (WIFSIGNALED(status) && WTERMSIG(status) != SIGTERM)
			log_warn("connection process %d died of signal %d", (int)pid,
				 WTERMSIG(status));
		conn_limits_release(pid);
		for (int i = 0; i < c->n; i++)
			if (c->pid[i] == pid) {
				c->pid[i] = c->pid[--c->n];
				break;
			}
	}
}

static void accept_one(int listen_fd, struct children *c)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int fd = accept4(listen_fd, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED)
			log_warn("accept: %s", strerror(errno));
		return;
	}
	char peer[128];
	peer_format(&ss, len, peer, sizeof(peer));
	if (c->n >= MAX_CHILDREN) {
		log_warn("peer=%s: %d connections open, turning this one away", peer, c->n);
		close(fd);
		return;
	}
	/* One address cannot take every process with bare sockets. */
	int slot = conn_limits_claim(&ss);
	if (slot < 0) {
		log_warn("peer=%s: as many unauthenticated connections from this address as the "
			 "policy's max-preauth-peer allows, turning this one away",
			 peer);
		close(fd);
		return;
	}
	pid_t pid = fork();
	if (pid < 0) {
		log_warn("peer=%s: fork: %s", peer, strerror(errno));
		conn_limits_unclaim(slot);
		close(fd);
		return;
	}
	if (pid == 0) {
		close(listen_fd);
		conn_limits_enter(slot);
		conn_serve(fd, peer, &stop_requested);
	}
	conn_limits_bind(slot, pid);
	c->pid[c->n++] = pid;
	close(fd);
}

static void stop_children(struct children *c)
{
	for (int i = 0; i < c->n; i++)
		kill(c->pid[i], SIGTERM);
	time_t deadline = time(NULL) + STOP_GRACE_SECONDS;
	while (c->n > 0 && time(NULL) < deadline) {
		reap(c);
		if (c->n > 0)
			usleep(20000);
	}
	for (int i = 0; i < c->n; i++) {
		log_warn("connection process %d did not stop in %d s, killing it", (int)c->pid[i],
			 STOP_GRACE_SECONDS);
		kill(c->pid[i], SIGKILL);
	}
	while (c->n > 0 && waitpid(-1, NULL, 0) > 0)
		c->n--;
}

/* Housekeeping in the master: a store handle of its own, closed again, so
 * no LMDB state is ever inherited by a connection process. */
static void maintain(void)
{
	uint64_t uploads = 0, tombs = 0;
	int status = mail_maintain(&config_get()->mail, &uploads, &tombs);
	if (status != MAIL_OK)
		log_warn("housekeeping failed (status %d): see the store's messages above", status);
	if (uploads > 0)
		log_info(
		    "housekeeping: forgot %llu unfinished upload(s) past the policy's upload-age",
		    (unsigned long long)uploads);
	if (tombs > 0)
		log_info("housekeeping: forgot %llu tombstone(s)", (unsigned long long)tombs);
	/* Sends waiting for the MTA are handed over on their own schedule;
	 * this only makes sure a hand-over process looks at them. */
	handover_master_kick();
}

void listener_run(int listen_fd)
{
	struct sigaction sa = {.sa_handler = on_stop};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_hangup;
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct children c = {.n = 0};
	time_t next_maintenance = 0, next_limits = time(NULL) + LIMITS_INTERVAL;
	conn_limits_init(MAX_CHILDREN);
	handover_master_init();
	while (!stop_requested) {
		if (time(NULL) >= next_maintenance) {
			maintain();
			next_maintenance = time(NULL) + MAINTENANCE_INTERVAL;
		}
		if (time(NULL) >= next_limits) {
			conn_limits_refresh();
			next_limits = time(NULL) + LIMITS_INTERVAL;
		}
		struct pollfd p = {.fd = listen_fd, .events = POLLIN};
		/* The timeout bounds how long a dead child waits to be reaped. */
		int n = poll(&p, 1, 500);
		reap(&c);
		if (n > 0)
			accept_one(listen_fd, &c);
		if (hangup_received) {
			hangup_received = 0;
			log_warn("SIGHUP: settings are read only at start; check them with "
				 "--check-config, then restart mailrpcd to apply them");
		}
		handover_master_poll(listen_fd);
	}
	close(listen_fd);
	log_info("stopping: %d connection(s) open", c.n);
	handover_master_stop();
	stop_children(&c);
}
