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
#include "conn.h"
#include "listener.h"
#include "log.h"
#include "mailstore.h"

#define MAX_CHILDREN 1024   /* one per connection; more are turned away */
#define STOP_GRACE_SECONDS 10
#define MAINTENANCE_INTERVAL 3600

static volatile int stop_requested;
static pid_t children[MAX_CHILDREN];
static int nchildren;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

int listener_open(const char *spec, int *port_r)
{
	char why[512];
	int fd = listen_open(spec, port_r, why, sizeof(why));
	if (fd < 0)
		log_fatal("%s", why);
	return fd;
}

static void reap(void)
{
	pid_t pid;
	int status;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (WIFSIGNALED(status) && WTERMSIG(status) != SIGTERM)
			log_warn("connection process %d died of signal %d", (int)pid, WTERMSIG(status));
		for (int i = 0; i < nchildren; i++)
			if (children[i] == pid) {
				children[i] = children[--nchildren];
				break;
			}
	}
}

static void accept_one(int listen_fd)
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
	if (nchildren >= MAX_CHILDREN) {
		log_warn("peer=%s: %d connections open, turning this one away", peer, nchildren);
		close(fd);
		return;
	}
	pid_t pid = fork();
	if (pid < 0) {
		log_warn("peer=%s: fork: %s", peer, strerror(errno));
		close(fd);
		return;
	}
	if (pid == 0) {
		close(listen_fd);
		conn_serve(fd, peer, &stop_requested);
	}
	children[nchildren++] = pid;
	close(fd);
}

static void stop_children(void)
{
	for (int i = 0; i < nchildren; i++)
		kill(children[i], SIGTERM);
	time_t deadline = time(NULL) + STOP_GRACE_SECONDS;
	while (nchildren > 0 && time(NULL) < deadline) {
		reap();
		if (nchildren > 0)
			usleep(20000);
	}
	for (int i = 0; i < nchildren; i++) {
		log_warn("connection process %d did not stop in %d s, killing it", (int)children[i],
			 STOP_GRACE_SECONDS);
		kill(children[i], SIGKILL);
	}
	while (nchildren > 0 && waitpid(-1, NULL, 0) > 0)
		nchildren--;
}

void listener_run(int listen_fd)
{
	struct sigaction sa = {.sa_handler = on_stop};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	time_t next_maintenance = 0;
	while (!stop_requested) {
		if (time(NULL) >= next_maintenance) {
			mailstore_maintain();
			next_maintenance = time(NULL) + MAINTENANCE_INTERVAL;
		}
		struct pollfd p = {.fd = listen_fd, .events = POLLIN};
		/* The timeout bounds how long a dead child waits to be reaped. */
		int n = poll(&p, 1, 500);
		reap();
		if (n > 0)
			accept_one(listen_fd);
	}
	close(listen_fd);
	log_info("stopping: %d connection(s) open", nchildren);
	stop_children();
}
