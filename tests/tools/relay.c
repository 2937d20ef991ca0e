/*
 * relay.c -- recording TCP relay for the "privacy really encrypts" test.
 *
 * Usage: relay LISTEN_PORT TARGET_HOST TARGET_PORT RECORD_FILE [CUT_BYTES [LOSE_PROC]]
 *
 * Listens on 127.0.0.1:LISTEN_PORT (0 = pick a free port), prints exactly
 * one line "port N" on stdout, then forwards every accepted connection to
 * TARGET_HOST:TARGET_PORT.  Every byte received from either side is
 * appended to RECORD_FILE before it is forwarded, so a test can grep the
 * recording for plaintext that must not be on the wire.
 * With CUT_BYTES, each connection is cut (both sides closed) once that
 * many bytes have crossed it in either direction: a dropped link at a
 * chosen point, for tests of interrupted transfers (0: never).
 * With LOSE_PROC, the first ONC RPC call of that procedure number (read
 * from the record marking and call header, which RPCSEC_GSS leaves in
 * clear) is forwarded whole, and its connection is cut as soon as the
 * reply starts: a lost reply, once per relay run, for exactly-once tests.
 *
 * Single process, one ppoll() loop, up to MAX_PAIRS connection pairs.
 * When either side of a pair closes or fails (including a target connect
 * that fails late), both sides are closed.
 * Exits 0 on SIGTERM/SIGINT or after LIFETIME_SEC seconds, so a test that
 * forgets to stop it cannot hang forever; 1 on setup failure, 2 on usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#define PROG          "relay"
#define MAX_PAIRS     128          /* the test needs at least 64 */
#define BUF_SIZE      65536
#define LIFETIME_SEC  600
#define CONNECT_MS    200          /* how long accept waits on the target */

/* One direction of a pair: bytes read from src, not yet written to dst. */
struct dir {
	int    src, dst;
	size_t len, off;
	char   buf[BUF_SIZE];
};

/* Where a client's stream is in its RPC records (RFC 5531 record marking). */
struct rpcscan {
	unsigned char mark[4];     /* the fragment header being read */
	unsigned      have;        /* bytes of it read; 4: in the body */
	unsigned long left;        /* body bytes left in this fragment */
	int           more;        /* this fragment is not the record's last */
	unsigned char call[24];    /* xid mtype rpcvers prog vers proc */
	unsigned      got;         /* bytes of call read (first fragment only) */
};

/* A pair is in use when fwd.src >= 0; back mirrors fwd's fds. */
struct pair {
	struct dir fwd;            /* client -> target */
	struct dir back;           /* target -> client */
	unsigned long long moved;  /* bytes read from either side */
	struct rpcscan scan;       /* of fwd, for LOSE_PROC */
	int lose_reply;            /* cut when the target starts answering */
};

struct relay {
	int              lfd;      /* listening socket */
	int              rfd;      /* record file */
	struct addrinfo *target;   /* resolved once at startup */
	unsigned long long cut;    /* cut a pair after this many bytes; 0: never */
	long             lose_proc;/* lose the first reply to this; -1: none */
	struct pair      pairs[MAX_PAIRS];
};

/* Set by the signal handler; the only global, as a handler needs one. */
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int parse_port(const char *s, int allow_zero)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || v > 65535 ||
	    v < (allow_zero ? 0 : 1))
		return -1;
	return (int)v;
}

static double now_sec(void)
{
	struct timespec ts;

	/* Cannot fail: CLOCK_MONOTONIC always exists and ts is valid. */
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
		fprintf(stderr, PROG ": fcntl: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Block SIGTERM/SIGINT except inside ppoll(), so a signal arriving between
 * the stop_requested check and the wait cannot be lost.
 */
static int setup_signals(sigset_t *waitmask)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	if (sigaction(SIGTERM, &sa, NULL) < 0 ||
	    sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigprocmask(SIG_BLOCK, &block, waitmask) < 0) {
		fprintf(stderr, PROG ": signals: %s\n", strerror(errno));
		return -1;
	}
	sigdelset(waitmask, SIGTERM);
	sigdelset(waitmask, SIGINT);
	/* A peer vanishing mid-write must be an EPIPE, not a death. */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/* Listen on loopback only: the relay must never be reachable from outside. */
static int open_listener(int port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		fprintf(stderr, PROG ": socket: %s\n", strerror(errno));
		return -1;
	}
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof sin) < 0 ||
	    listen(fd, SOMAXCONN) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) < 0 ||
	    set_nonblock(fd) < 0) {
		fprintf(stderr, PROG ": listen on 127.0.0.1:%d: %s\n",
		        port, strerror(errno));
		close(fd);
		return -1;
	}
	/* Tests parse this line to learn the port; flush before anything. */
	if (printf("port %d\n", ntohs(sin.sin_port)) < 0 || fflush(stdout)) {
		fprintf(stderr, PROG ": stdout: %s\n", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static struct addrinfo *resolve_target(const char *host, const char *port)
{
	struct addrinfo hints, *res = NULL;
	int rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc) {
		fprintf(stderr, PROG ": %s:%s: %s\n", host, port,
		        gai_strerror(rc));
		return NULL;
	}
	return res;
}

/*
 * Waits briefly for a non-blocking connect: long enough for loopback to
 * answer (so a refusal can fall through to the next address, e.g. ::1 ->
 * 127.0.0.1), short enough that a target with a full backlog cannot stall
 * every other pair.  Returns 0 if connected or still pending.
 */
static int connect_settle(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int err = 0, n = poll(&pfd, 1, CONNECT_MS);

	if (n == 0)
		return 0;           /* still pending: the main loop takes over */
	if (n < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return -1;
	errno = err;
	return err ? -1 : 0;
}

static int connect_target(const struct addrinfo *ai)
{
	int err = 0;

	for (; ai; ai = ai->ai_next) {
		int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
		                SOCK_NONBLOCK, ai->ai_protocol);
		if (fd < 0) {
			err = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
		    (errno == EINPROGRESS && connect_settle(fd) == 0))
			return fd;
		err = errno;
		close(fd);
	}
	fprintf(stderr, PROG ": connect to target: %s\n", strerror(err));
	return -1;
}

static void pair_reset(struct pair *p)
{
	p->fwd.src = p->fwd.dst = p->back.src = p->back.dst = -1;
	memset(&p->scan, 0, sizeof p->scan);
	p->lose_reply = 0;
}

static unsigned long get_be32(const unsigned char *b)
{
	return (unsigned long)b[0] << 24 | (unsigned long)b[1] << 16 |
	       (unsigned long)b[2] << 8 | b[3];
}

/* Follows n more bytes of a client's stream; returns the procedure
 * number of a call whose header they complete, else -1. */
static long scan_calls(struct rpcscan *s, const unsigned char *b, size_t n)
{
	long proc = -1;

	while (n > 0) {
		if (s->have < 4) {
			s->mark[s->have++] = *b++;
			n--;
			if (s->have == 4) {
				s->left = get_be32(s->mark) & 0x7fffffffUL;
				s->more = !(s->mark[0] & 0x80);
			}
			continue;
		}
		size_t take = n < s->left ? n : s->left;
		for (size_t i = 0; i < take && s->got < sizeof s->call; i++) {
			s->call[s->got++] = b[i];
			if (s->got == sizeof s->call && get_be32(s->call + 4) == 0)
				proc = (long)get_be32(s->call + 20);
		}
		b += take;
		n -= take;
		s->left -= take;
		if (s->left == 0) {
			s->have = 0;
			if (!s->more)
				s->got = 0;   /* the next fragment starts a record */
		}
	}
	return proc;
}

static void pair_close(struct pair *p)
{
	if (p->fwd.src < 0)
		return;
	close(p->fwd.src);
	close(p->fwd.dst);
	pair_reset(p);
}

static struct pair *free_pair(struct relay *r)
{
	for (int i = 0; i < MAX_PAIRS; i++)
		if (r->pairs[i].fwd.src < 0)
			return &r->pairs[i];
	return NULL;
}

static void accept_one(struct relay *r)
{
	struct pair *p;
	int cfd, tfd;

	cfd = accept4(r->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			fprintf(stderr, PROG ": accept: %s\n", strerror(errno));
		return;
	}
	p = free_pair(r);
	if (!p) {
		/* Refuse loudly rather than queue: a silent hang is worse. */
		fprintf(stderr, PROG ": %d pairs in use, dropping client\n",
		        MAX_PAIRS);
		close(cfd);
		return;
	}
	tfd = connect_target(r->target);
	if (tfd < 0) {
		close(cfd);
		return;
	}
	p->fwd.src = p->back.dst = cfd;
	p->fwd.dst = p->back.src = tfd;
	p->fwd.len = p->fwd.off = p->back.len = p->back.off = 0;
	p->moved = 0;
}

/* Unbuffered append, so the recording is complete even if we are killed. */
static int record(int rfd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(rfd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, PROG ": record: %s\n", strerror(errno));
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Returns -1 when the pair must be closed (EOF or error). */
static int dir_read(struct relay *r, struct dir *d)
{
	ssize_t n = read(d->src, d->buf, sizeof d->buf);

	if (n < 0)
		return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
	if (n == 0)
		return -1;
	d->len = (size_t)n;
	d->off = 0;
	return record(r->rfd, d->buf, d->len);
}

static int dir_write(struct dir *d)
{
	ssize_t n = send(d->dst, d->buf + d->off, d->len - d->off,
	                 MSG_NOSIGNAL);

	if (n < 0)
		return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
	d->off += (size_t)n;
	if (d->off == d->len)
		d->len = d->off = 0;
	return 0;
}

/*
 * Each direction either waits to read (buffer empty) or to write (buffer
 * full), never both: that gives back-pressure without unbounded queues,
 * and pending data is always delivered before the EOF behind it is seen.
 * A still-connecting target needs no state of its own: POLLOUT means it
 * connected, and a late failure surfaces as a read or send error.
 */
static void dir_watch(struct dir *d, struct pollfd *pfd)
{
	pfd[0].fd = d->len ? -1 : d->src;
	pfd[0].events = POLLIN;
	pfd[1].fd = d->len ? d->dst : -1;
	pfd[1].events = POLLOUT;
}

static int dir_service(struct relay *r, struct dir *d, struct pollfd *pfd)
{
	if (pfd[0].fd >= 0 && pfd[0].revents)
		return dir_read(r, d);
	if (pfd[1].fd >= 0 && pfd[1].revents)
		return dir_write(d);
	return 0;
}

/* pfd[0] is the listener; pair i owns pfd[1 + 4*i .. 4 + 4*i]. */
static void build_pollset(struct relay *r, struct pollfd *pfd)
{
	pfd[0].fd = r->lfd;
	pfd[0].events = POLLIN;
	for (int i = 0; i < MAX_PAIRS; i++) {
		struct pair *p = &r->pairs[i];
		struct pollfd *q = &pfd[1 + 4 * i];

		if (p->fwd.src < 0) {
			q[0].fd = q[1].fd = q[2].fd = q[3].fd = -1;
			continue;
		}
		dir_watch(&p->fwd, q);
		dir_watch(&p->back, q + 2);
	}
}

static void service_pairs(struct relay *r, struct pollfd *pfd)
{
	for (int i = 0; i < MAX_PAIRS; i++) {
		struct pair *p = &r->pairs[i];
		struct pollfd *q = &pfd[1 + 4 * i];

		if (p->fwd.src < 0)
			continue;
		/* A read fills an empty buffer, so growth is what was read. */
		size_t fwd_before = p->fwd.len, back_before = p->back.len;
		if (dir_service(r, &p->fwd, q) < 0 ||
		    dir_service(r, &p->back, q + 2) < 0) {
			pair_close(p);
			continue;
		}
		if (p->fwd.len > fwd_before) {
			p->moved += p->fwd.len - fwd_before;
			long proc = scan_calls(&p->scan, (unsigned char *)p->fwd.buf + fwd_before,
			                       p->fwd.len - fwd_before);
			if (r->lose_proc >= 0 && proc == r->lose_proc) {
				p->lose_reply = 1;
				r->lose_proc = -1;  /* once per run */
			}
		}
		if (p->back.len > back_before)
			p->moved += p->back.len - back_before;
		if ((r->cut && p->moved >= r->cut) || (p->lose_reply && p->back.len > 0))
			pair_close(p);
	}
}

static int run(struct relay *r, const sigset_t *waitmask)
{
	struct pollfd pfd[1 + 4 * MAX_PAIRS];
	double deadline = now_sec() + LIFETIME_SEC;

	while (!stop_requested) {
		double left = deadline - now_sec();
		struct timespec ts;

		if (left <= 0) {
			fprintf(stderr, PROG ": %d s lifetime reached, exiting\n",
			        LIFETIME_SEC);
			break;
		}
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		build_pollset(r, pfd);
		if (ppoll(pfd, 1 + 4 * MAX_PAIRS, &ts, waitmask) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, PROG ": ppoll: %s\n", strerror(errno));
			return 1;
		}
		service_pairs(r, pfd);
		if (pfd[0].revents)
			accept_one(r);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct relay *r = NULL;
	sigset_t waitmask;
	int port, rc = 1;

	if (argc < 5 || argc > 7 || (port = parse_port(argv[1], 1)) < 0 ||
	    parse_port(argv[3], 0) < 0) {
		fprintf(stderr, "usage: " PROG
		        " LISTEN_PORT TARGET_HOST TARGET_PORT RECORD_FILE [CUT_BYTES [LOSE_PROC]]\n");
		return 2;
	}
	/* Heap: the pair buffers take 16 MiB, too big for the stack. */
	r = calloc(1, sizeof *r);
	if (!r) {
		fprintf(stderr, PROG ": out of memory\n");
		return 1;
	}
	r->lfd = r->rfd = -1;
	r->cut = argc >= 6 ? strtoull(argv[5], NULL, 10) : 0;
	r->lose_proc = argc == 7 ? strtol(argv[6], NULL, 10) : -1;
	for (int i = 0; i < MAX_PAIRS; i++)
		pair_reset(&r->pairs[i]);   /* calloc's 0 is a valid fd */

	if (setup_signals(&waitmask) < 0)
		goto out;
	r->rfd = open(argv[4], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (r->rfd < 0) {
		fprintf(stderr, PROG ": %s: %s\n", argv[4], strerror(errno));
		goto out;
	}
	r->target = resolve_target(argv[2], argv[3]);
	if (!r->target)
		goto out;
	r->lfd = open_listener(port);
	if (r->lfd < 0)
		goto out;
	rc = run(r, &waitmask);
out:
	for (int i = 0; i < MAX_PAIRS; i++)
		pair_close(&r->pairs[i]);
	if (r->lfd >= 0)
		close(r->lfd);
	if (r->rfd >= 0)
		close(r->rfd);
	if (r->target)
		freeaddrinfo(r->target);
	free(r);
	return rc;
}
