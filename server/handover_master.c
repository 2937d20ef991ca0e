/*
 * handover_master.c -- mailrpcd's master keeps at most one hand-over
 * process (handover.c) running: one at start for everything waiting, and
 * one whenever a connection process says a send left messages for the
 * MTA (SIGUSR1 to the master; forwarded to a hand-over process that is
 * already running, which then looks again).  One at a time, so no message
 * is handed over by two processes at once.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "handover.h"
#include "handover_master.h"
#include "log.h"

#define STOP_GRACE_SECONDS 10

static volatile sig_atomic_t kicked; /* SIGUSR1: messages wait */
static pid_t master;		     /* who to tell (set before any fork) */
static pid_t worker;		     /* the hand-over process; 0: none */
static int again;		     /* kicked while it ran: run once more */
static int started;		     /* the first one takes everything */

/* In the hand-over process: what its signals set. */
static volatile sig_atomic_t worker_stop, worker_kicked;

static void on_kick(int sig)
{
	(void)sig;
	kicked = 1;
}

static void on_worker_stop(int sig)
{
	(void)sig;
	worker_stop = 1;
}

static void on_worker_kick(int sig)
{
	(void)sig;
	worker_kicked = 1;
}

static void handle(int sig, void (*fn)(int))
{
	struct sigaction sa = {.sa_handler = fn};
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

void handover_master_init(void)
{
	master = getpid();
	kicked = 1; /* at start: whatever an earlier run left */
	handle(SIGUSR1, on_kick);
}

void handover_kick_master(void)
{
	/* Only our own master: a connection outliving it is not to signal
	 * whatever process adopted it. */
	if (master != 0 && getppid() == master)
		kill(master, SIGUSR1);
}

static void start(int listen_fd)
{
	const struct server_config *cfg = config_get();
	int everything = !started;
	pid_t pid = fork();
	if (pid < 0) {
		log_warn("hand-over: fork: %s; messages wait until the next try", strerror(errno));
		return;
	}
	if (pid == 0) {
		close(listen_fd);
		handle(SIGTERM, on_worker_stop);
		handle(SIGINT, on_worker_stop);
		handle(SIGUSR1, on_worker_kick);
		signal(SIGPIPE, SIG_IGN);
		_exit(handover_run(cfg->store_dir, cfg->sendmail, everything, &worker_stop,
				   &worker_kicked));
	}
	started = 1;
	worker = pid;
}

void handover_master_poll(int listen_fd)
{
	if (!kicked)
		return;
	kicked = 0;
	if (worker != 0) {
		kill(worker, SIGUSR1);
		again = 1;
		return;
	}
	start(listen_fd);
}

void handover_master_kick(void)
{
	kicked = 1;
}

int handover_master_reaped(pid_t pid, int status)
{
	if (worker == 0 || pid != worker)
		return 0;
	worker = 0;
	/* One that failed is started again by the next send or the hourly
	 * housekeeping, not at once (no loop of failures). */
	if (WIFSIGNALED(status))
		log_warn("hand-over process %d died of signal %d", (int)pid, WTERMSIG(status));
	else if (again && WEXITSTATUS(status) == 0)
		kicked = 1;
	again = 0;
	return 1;
}

void handover_master_stop(void)
{
	int status;
	if (worker == 0)
		return;
	kill(worker, SIGTERM);
	time_t deadline = time(NULL) + STOP_GRACE_SECONDS;
	while (waitpid(worker, &status, WNOHANG) == 0) {
		if (time(NULL) >= deadline) {
			log_warn("hand-over process %d did not stop in %d s, killing it",
				 (int)worker, STOP_GRACE_SECONDS);
			kill(worker, SIGKILL);
			waitpid(worker, &status, 0);
			break;
		}
		usleep(20000);
	}
	worker = 0;
}
