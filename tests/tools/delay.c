/*
 * delay.c -- a TCP relay that adds latency, for the dial-up test (tc tbf
 * shapes bandwidth, and these kernels have no netem for delay).
 *
 * Usage: delay LISTEN_ADDR LISTEN_PORT TARGET_HOST TARGET_PORT DELAY_MS
 *
 * Listens on LISTEN_ADDR:LISTEN_PORT (0 = pick a free port; the address
 * must be one the test created, e.g. in its own network namespace), prints
 * exactly one line "port N", then forwards every accepted connection to
 * TARGET_HOST:TARGET_PORT, each byte DELAY_MS milliseconds after it
 * arrived, in both directions: a link's one-way latency.
 *
 * Single process, one poll() loop, up to MAX_PAIRS connection pairs; a
 * pair closes when either side closes or fails, after what the other side
 * is still owed has been written.  At most QUEUE_MAX bytes wait per
 * direction (then reading pauses).  Exits 0 on SIGTERM/SIGINT or after
 * LIFETIME_SEC seconds; 1 on setup failure, 2 on usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PROG "delay"
#define MAX_PAIRS 32
#define READ_SIZE 16384
#define QUEUE_MAX (1 << 20)
#define LIFETIME_SEC 600
#define CONNECT_MS 2000
#define POLL_MAX_MS 200

/* Bytes read at one moment, owed to the other side at due. */
struct seg {
	struct seg *next;
	double due;
	size_t len, off;
	char data[];
};

/* One direction: read from src, queued, written to dst when due. */
struct dir {
	int src, dst;
	struct seg *head, *tail;
	size_t queued;
	int eof; /* src closed or failed: nothing more comes */
};

struct pair {
	int used;
	struct dir fwd, back;
};

static volatile sig_atomic_t stop_requested;
static double delay_s;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static double now_sec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void dir_free(struct dir *d)
{
	while (d->head) {
		struct seg *s = d->head;
		d->head = s->next;
		free(s);
	}
	d->tail = NULL;
	d->queued = 0;
}

static void pair_close(struct pair *p)
{
	close(p->fwd.src);
	close(p->fwd.dst);
	dir_free(&p->fwd);
	dir_free(&p->back);
	memset(p, 0, sizeof(*p));
}

/* Reads what src has into a new segment; -1 at end or on error. */
static int dir_read(struct dir *d)
{
	struct seg *s = malloc(sizeof(*s) + READ_SIZE);
	if (s == NULL)
		return -1;
	ssize_t n = read(d->src, s->data, READ_SIZE);
	if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		free(s);
		return 0;
	}
	if (n <= 0) {
		free(s);
		return -1;
	}
	s->next = NULL;
	s->due = now_sec() + delay_s;
	s->len = (size_t)n;
	s->off = 0;
	if (d->tail)
		d->tail->next = s;
	else
		d->head = s;
	d->tail = s;
	d->queued += (size_t)n;
	return 0;
}

/* Writes what is due; -1 when dst failed. */
static int dir_write(struct dir *d)
{
	double t = now_sec();
	while (d->head && d->head->due <= t) {
		struct seg *s = d->head;
		ssize_t n = send(d->dst, s->data + s->off, s->len - s->off, MSG_NOSIGNAL);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		s->off += (size_t)n;
		d->queued -= (size_t)n;
		if (s->off < s->len)
			return 0;
		d->head = s->next;
		if (d->head == NULL)
			d->tail = NULL;
		free(s);
	}
	return 0;
}

static int open_listener(const char *addr, int port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
	socklen_t len = sizeof(sin);
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || inet_pton(AF_INET, addr, &sin.sin_addr) != 1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(fd, SOMAXCONN) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) < 0) {
		fprintf(stderr, PROG ": listen on %s:%d: %s\n", addr, port, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	printf("port %d\n", ntohs(sin.sin_port));
	fflush(stdout);
	return fd;
}

/* A connected non-blocking socket to the target, or -1. */
static int connect_target(const struct addrinfo *ai)
{
	for (; ai; ai = ai->ai_next) {
		int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
				ai->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			return fd;
		if (errno == EINPROGRESS) {
			struct pollfd p = {.fd = fd, .events = POLLOUT};
			int err = 0;
			socklen_t l = sizeof(err);
			if (poll(&p, 1, CONNECT_MS) == 1 &&
			    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l) == 0 && err == 0)
				return fd;
		}
		close(fd);
	}
	return -1;
}

static void accept_one(int lfd, const struct addrinfo *target, struct pair *pairs)
{
	int cfd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	struct pair *p = NULL;
	for (int i = 0; i < MAX_PAIRS && p == NULL; i++)
		if (!pairs[i].used)
			p = &pairs[i];
	int tfd = p ? connect_target(target) : -1;
	if (tfd < 0) {
		fprintf(stderr, PROG ": %s\n",
			p ? "cannot reach the target" : "too many connections");
		close(cfd);
		return;
	}
	memset(p, 0, sizeof(*p));
	p->used = 1;
	p->fwd.src = p->back.dst = cfd;
	p->fwd.dst = p->back.src = tfd;
}

/* Poll entries for one direction: read when there is room, write when due. */
static void dir_watch(const struct dir *d, double t, struct pollfd *q, double *next_due)
{
	q[0].fd = !d->eof && d->queued < QUEUE_MAX ? d->src : -1;
	q[0].events = POLLIN;
	q[1].fd = -1;
	q[1].events = POLLOUT;
	if (d->head == NULL)
		return;
	if (d->head->due <= t)
		q[1].fd = d->dst;
	else if (d->head->due < *next_due)
		*next_due = d->head->due;
}

static int dir_service(struct dir *d, const struct pollfd *q)
{
	if (q[0].fd >= 0 && (q[0].revents & (POLLIN | POLLHUP | POLLERR)) && dir_read(d) < 0)
		d->eof = 1;
	if (q[1].fd >= 0 && q[1].revents)
		return dir_write(d);
	return 0;
}

static int run(int lfd, const struct addrinfo *target)
{
	static struct pair pairs[MAX_PAIRS];
	struct pollfd pfd[1 + 4 * MAX_PAIRS];
	double end = now_sec() + LIFETIME_SEC;
	while (!stop_requested && now_sec() < end) {
		double t = now_sec(), next_due = end;
		pfd[0].fd = lfd;
		pfd[0].events = POLLIN;
		for (int i = 0; i < MAX_PAIRS; i++) {
			struct pollfd *q = &pfd[1 + 4 * i];
			if (!pairs[i].used) {
				q[0].fd = q[1].fd = q[2].fd = q[3].fd = -1;
				continue;
			}
			dir_watch(&pairs[i].fwd, t, q, &next_due);
			dir_watch(&pairs[i].back, t, q + 2, &next_due);
		}
		/* Bounded, so a stop signal between the check and poll waits
		 * at most this long. */
		int ms = (int)((next_due - t) * 1000) + 1;
		if (ms > POLL_MAX_MS)
			ms = POLL_MAX_MS;
		if (poll(pfd, 1 + 4 * MAX_PAIRS, ms) < 0 && errno != EINTR) {
			fprintf(stderr, PROG ": poll: %s\n", strerror(errno));
			return 1;
		}
		for (int i = 0; i < MAX_PAIRS; i++) {
			struct pair *p = &pairs[i];
			struct pollfd *q = &pfd[1 + 4 * i];
			if (!p->used)
				continue;
			if (dir_service(&p->fwd, q) < 0 || dir_service(&p->back, q + 2) < 0 ||
			    (p->fwd.eof && p->fwd.head == NULL) ||
			    (p->back.eof && p->back.head == NULL))
				pair_close(p);
		}
		if (pfd[0].revents)
			accept_one(lfd, target, pairs);
	}
	for (int i = 0; i < MAX_PAIRS; i++)
		if (pairs[i].used)
			pair_close(&pairs[i]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 6 || atoi(argv[5]) < 0) {
		fprintf(stderr, "usage: " PROG
				" LISTEN_ADDR LISTEN_PORT TARGET_HOST TARGET_PORT DELAY_MS\n");
		return 2;
	}
	delay_s = atoi(argv[5]) / 1000.0;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *target;
	int rc = getaddrinfo(argv[3], argv[4], &hints, &target);
	if (rc != 0) {
		fprintf(stderr, PROG ": %s:%s: %s\n", argv[3], argv[4], gai_strerror(rc));
		return 1;
	}
	int lfd = open_listener(argv[1], atoi(argv[2]));
	if (lfd < 0) {
		freeaddrinfo(target);
		return 1;
	}
	rc = run(lfd, target);
	close(lfd);
	freeaddrinfo(target);
	return rc;
}
