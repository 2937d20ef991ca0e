/*
 * rawrpc.c -- sends non-GSS or deliberately broken traffic to a mailrpc
 * server, so tests can check that it is refused without harming the server.
 *
 * Usage: rawrpc HOST PORT MODE [ARG]
 *   authnone PROC   call PROC under AUTH_NONE
 *   version V       call NULLPROC under AUTH_NONE, as version V of the
 *       program ("rejected: RPC_PROGVERSMISMATCH versions LOW-HIGH" names
 *       the versions the server speaks)
 *   authsys PROC    call PROC under AUTH_SYS
 *       stdout: "accepted" or "rejected: RPC_<STATUS>[ AUTH_<WHY>]"
 *       exit 0 if the server replied, 3 if it sent no reply (closed the
 *       connection or timed out; the line then names RPC_CANTRECV etc.)
 *   halfrecord SECONDS
 *       announce a 4000-byte last fragment, send 12 bytes, print "sent",
 *       hold the connection SECONDS (at most 120) without sending more.
 *   garbage
 *       three broken streams on fresh connections; one line each,
 *       "<case> closed|replied|open"; exit 0 if none stayed open, else 1.
 * Exit 2 on usage or connection failure.  Every wait is bounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <rpc/rpc.h>

#include "rpc_names.h"

#define PROG          "rawrpc"
#include "mailrpc_prot.h"   /* MAILRPC_PROG and MAILRPC_V2, from idl/mailrpc.x */

#define MAILRPC_VERS  MAILRPC_V2
#define IO_SEC        10           /* connect, send, and reply bound */
#define HOLD_MAX_SEC  120
#define LAST_FRAG     0x80000000U  /* record-mark bit, RFC 5531 sec. 11 */

enum { EXIT_REPLIED = 0, EXIT_OPEN = 1, EXIT_USAGE = 2, EXIT_NOREPLY = 3 };

struct target {
	const char *host, *port;
};

/* ---- connecting -------------------------------------------------------- */

static int wait_connected(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int err = 0, n;

	do
		n = poll(&pfd, 1, IO_SEC * 1000);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		errno = n == 0 ? ETIMEDOUT : errno;
		return -1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return -1;
	errno = err;
	return err ? -1 : 0;
}

/*
 * Non-blocking connect so a dead host cannot hang the test; afterwards the
 * socket is blocking again, with SO_SNDTIMEO/SO_RCVTIMEO bounding all I/O.
 * The peer address is returned too: clnt_vc_create() insists on one.
 */
static int try_connect(const struct addrinfo *ai)
{
	struct timeval tv = { .tv_sec = IO_SEC, .tv_usec = 0 };
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
	                SOCK_NONBLOCK, ai->ai_protocol);

	if (fd < 0)
		return -1;
	if ((connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
	     (errno == EINPROGRESS && wait_connected(fd) == 0)) &&
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) == 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0)
		return fd;
	close(fd);
	return -1;
}

static int connect_to(const struct target *t, struct sockaddr_storage *peer,
                      socklen_t *peerlen)
{
	struct addrinfo hints, *res = NULL;
	int fd = -1, err = 0, rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(t->host, t->port, &hints, &res);
	if (rc) {
		fprintf(stderr, PROG ": %s:%s: %s\n", t->host, t->port,
		        gai_strerror(rc));
		return -1;
	}
	for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = try_connect(ai);
		err = errno;
		if (fd >= 0 && peer) {
			memcpy(peer, ai->ai_addr, ai->ai_addrlen);
			*peerlen = ai->ai_addrlen;
		}
	}
	freeaddrinfo(res);
	if (fd < 0)
		fprintf(stderr, PROG ": connect %s:%s: %s\n", t->host, t->port,
		        strerror(err));
	return fd;
}

/* ---- authnone / authsys ------------------------------------------------ */

/*
 * Encodes no arguments and accepts any result without reading it: we only
 * care whether the call was accepted.  Declared variadic to match
 * xdrproc_t exactly; casting xdr_void trips -Wcast-function-type.
 */
static bool_t xdr_nothing(XDR *xdrs, ...)
{
	(void)xdrs;
	return TRUE;
}

/* Statuses that prove a reply message came back from the server. */
static int got_reply(enum clnt_stat s)
{
	switch (s) {
	case RPC_SUCCESS: case RPC_VERSMISMATCH: case RPC_AUTHERROR:
	case RPC_PROGUNAVAIL: case RPC_PROGVERSMISMATCH:
	case RPC_PROCUNAVAIL: case RPC_CANTDECODEARGS:
	case RPC_SYSTEMERROR: case RPC_CANTDECODERES:
		return 1;
	default:
		return 0;
	}
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 0);
	return errno || *s == '\0' || *s == '-' || *end != '\0' || *out > max
	       ? -1 : 0;
}

static int print_outcome(CLIENT *clnt, enum clnt_stat st)
{
	struct rpc_err err;

	if (st == RPC_SUCCESS) {
		printf("accepted\n");
		return EXIT_REPLIED;
	}
	clnt_geterr(clnt, &err);
	if (st == RPC_AUTHERROR)
		printf("rejected: %s %s\n", clnt_stat_name(st),
		       auth_stat_name(err.re_why));
	else if (st == RPC_PROGVERSMISMATCH)
		printf("rejected: %s versions %lu-%lu\n", clnt_stat_name(st),
		       (unsigned long)err.re_vers.low, (unsigned long)err.re_vers.high);
	else
		printf("rejected: %s\n", clnt_stat_name(st));
	if (!got_reply(st))
		fprintf(stderr, PROG ": no reply: %s\n", clnt_sperrno(st));
	return got_reply(st) ? EXIT_REPLIED : EXIT_NOREPLY;
}

static int mode_call(const struct target *t, const char *flavor,
                     const char *procarg, rpcvers_t vers)
{
	struct timeval tmo = { .tv_sec = IO_SEC, .tv_usec = 0 };
	struct sockaddr_storage peer;
	socklen_t peerlen = 0;
	struct netbuf nb;
	CLIENT *clnt = NULL;
	unsigned long proc;
	int fd = -1, rc = EXIT_USAGE;

	if (parse_uint(procarg, UINT32_MAX, &proc) < 0) {
		fprintf(stderr, PROG ": bad procedure number: %s\n", procarg);
		return EXIT_USAGE;
	}
	fd = connect_to(t, &peer, &peerlen);
	if (fd < 0)
		goto out;
	nb.buf = &peer;
	nb.len = nb.maxlen = peerlen;
	clnt = clnt_vc_create(fd, &nb, MAILRPC_PROG, vers, 0, 0);
	if (!clnt) {
		fprintf(stderr, PROG ": %s\n", clnt_spcreateerror("clnt_vc_create"));
		goto out;
	}
	/* clnt_vc_create installs AUTH_NONE; swap only for authsys. */
	if (strcmp(flavor, "authsys") == 0) {
		auth_destroy(clnt->cl_auth);
		clnt->cl_auth = authunix_create_default();
		if (!clnt->cl_auth) {
			fprintf(stderr, PROG ": authunix_create_default failed\n");
			goto out;
		}
	}
	if (!clnt_control(clnt, CLSET_TIMEOUT, (char *)&tmo)) {
		fprintf(stderr, PROG ": clnt_control(CLSET_TIMEOUT) failed\n");
		goto out;
	}
	rc = print_outcome(clnt, clnt_call(clnt, (rpcproc_t)proc, xdr_nothing,
	                                   NULL, xdr_nothing, NULL, tmo));
out:
	if (clnt) {
		if (clnt->cl_auth)
			auth_destroy(clnt->cl_auth);
		clnt_destroy(clnt);          /* leaves fd open by default */
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

/* ---- raw stream helpers ------------------------------------------------ */

static void put_be32(unsigned char *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, 4);
}

/* 0 = all sent, 1 = peer closed/reset while sending, -1 = other error. */
static int send_all(int fd, const unsigned char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
			return 1;
		if (n < 0) {
			fprintf(stderr, PROG ": send: %s\n", strerror(errno));
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static double now_sec(void)
{
	struct timespec ts;

	/* Cannot fail: CLOCK_MONOTONIC always exists and ts is valid. */
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Waits up to `sec` seconds for the server to act on the connection.
 * Returns "closed" (EOF or reset), "replied" (any byte), or "open".
 */
static const char *await_server(int fd, int sec)
{
	double deadline = now_sec() + sec;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	unsigned char b;

	for (;;) {
		double left = deadline - now_sec();
		int n;

		if (left <= 0)
			return "open";
		n = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (n < 0 && errno != EINTR) {
			fprintf(stderr, PROG ": poll: %s\n", strerror(errno));
			return "open";
		}
		if (n <= 0)
			continue;
		n = (int)recv(fd, &b, 1, MSG_DONTWAIT);
		if (n > 0)
			return "replied";
		if (n == 0 || errno == ECONNRESET || errno == EPIPE)
			return "closed";
		if (errno != EAGAIN && errno != EINTR) {
			fprintf(stderr, PROG ": recv: %s\n", strerror(errno));
			return "closed";   /* the connection is unusable anyway */
		}
	}
}

/* ---- halfrecord -------------------------------------------------------- */

static int mode_halfrecord(const struct target *t, const char *secarg)
{
	unsigned char msg[16];
	unsigned long sec;
	const char *state;
	double deadline;
	int fd, rc = EXIT_USAGE;

	if (parse_uint(secarg, ULONG_MAX, &sec) < 0) {
		fprintf(stderr, PROG ": bad SECONDS: %s\n", secarg);
		return EXIT_USAGE;
	}
	if (sec > HOLD_MAX_SEC) {
		fprintf(stderr, PROG ": SECONDS capped at %d\n", HOLD_MAX_SEC);
		sec = HOLD_MAX_SEC;
	}
	fd = connect_to(t, NULL, NULL);
	if (fd < 0)
		return EXIT_USAGE;
	/* Mark promises 4000 bytes; the 12 that follow look like a call. */
	put_be32(msg, LAST_FRAG | 4000);
	put_be32(msg + 4, 0x48414C46);  /* xid "HALF" */
	put_be32(msg + 8, 0);           /* CALL */
	put_be32(msg + 12, 2);          /* rpcvers */
	if (send_all(fd, msg, sizeof msg) != 0) {
		fprintf(stderr, PROG ": could not send the half record\n");
		goto out;
	}
	if (printf("sent\n") < 0 || fflush(stdout) == EOF)
		goto out;
	/* Hold the full time even if the server hangs up: tests rely on it. */
	deadline = now_sec() + (double)sec;
	state = await_server(fd, (int)sec);
	if (strcmp(state, "open") != 0) {
		double left = deadline - now_sec();

		fprintf(stderr, PROG ": server %s during hold\n", state);
		if (left > 0)
			sleep((unsigned)left + 1);  /* bounded by HOLD_MAX_SEC */
	}
	rc = EXIT_REPLIED;
out:
	close(fd);
	return rc;
}

/* ---- garbage ----------------------------------------------------------- */

/* xorshift32 with a fixed seed, so every run sends the same bytes. */
static size_t build_random(unsigned char *buf)
{
	uint32_t x = 0x5EEDC0DEU;

	for (size_t i = 0; i < 4096; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (unsigned char)(x >> 24);
	}
	return 4096;
}

/* Mark claims a 2 GiB - 1 last fragment; only 100 bytes follow. */
static size_t build_hugemark(unsigned char *buf)
{
	put_be32(buf, LAST_FRAG | 0x7fffffffU);
	memset(buf + 4, 0xA5, 100);
	return 104;
}

/* A complete record whose call header stops right after the program. */
static size_t build_truncated_call(unsigned char *buf)
{
	put_be32(buf, LAST_FRAG | 16);
	put_be32(buf + 4, 0x54525543);  /* xid "TRUC" */
	put_be32(buf + 8, 0);           /* CALL */
	put_be32(buf + 12, 2);          /* rpcvers */
	put_be32(buf + 16, MAILRPC_PROG);
	return 20;
}

/* Returns the case's outcome word, or NULL on connection failure. */
static const char *garbage_case(const struct target *t,
                                size_t (*build)(unsigned char *))
{
	unsigned char buf[4096];
	size_t len = build(buf);
	const char *state = NULL;
	int fd = connect_to(t, NULL, NULL);
	int sent;

	if (fd < 0)
		return NULL;
	sent = send_all(fd, buf, len);
	if (sent == 1)
		state = "closed";           /* hung up on us mid-send */
	else if (sent == 0)
		state = await_server(fd, IO_SEC);
	close(fd);
	return state;
}

static int mode_garbage(const struct target *t)
{
	static const struct {
		const char *name;
		size_t (*build)(unsigned char *);
	} cases[] = {
		{ "a", build_random },
		{ "b", build_hugemark },
		{ "c", build_truncated_call },
	};
	int rc = EXIT_REPLIED;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *state = garbage_case(t, cases[i].build);

		if (!state)
			return EXIT_USAGE;
		printf("%s %s\n", cases[i].name, state);
		if (fflush(stdout) == EOF)
			return EXIT_USAGE;
		if (strcmp(state, "open") == 0)
			rc = EXIT_OPEN;
	}
	return rc;
}

/* ---- main -------------------------------------------------------------- */

static int usage(void)
{
	fprintf(stderr,
	        "usage: " PROG " HOST PORT authnone PROC\n"
	        "       " PROG " HOST PORT version V\n"
	        "       " PROG " HOST PORT authsys PROC\n"
	        "       " PROG " HOST PORT halfrecord SECONDS\n"
	        "       " PROG " HOST PORT garbage\n");
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	struct target t;
	const char *mode;

	if (argc < 4)
		return usage();
	t.host = argv[1];
	t.port = argv[2];
	mode = argv[3];
	if (argc == 5 && (strcmp(mode, "authnone") == 0 ||
	                  strcmp(mode, "authsys") == 0))
		return mode_call(&t, mode, argv[4], MAILRPC_VERS);
	if (argc == 5 && strcmp(mode, "version") == 0)
		return mode_call(&t, "authnone", "0", (rpcvers_t)strtoul(argv[4], NULL, 10));
	if (argc == 5 && strcmp(mode, "halfrecord") == 0)
		return mode_halfrecord(&t, argv[4]);
	if (argc == 4 && strcmp(mode, "garbage") == 0)
		return mode_garbage(&t);
	return usage();
}
