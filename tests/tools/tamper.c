/*
 * tamper.c -- a relay in the path of mailrpc's ONC RPC records that does
 * what an attacker on the network could: flip a bit, answer in the
 * server's place, replay or keep a recorded call.  For the tests of sealed
 * calls (t_seal.sh).
 *
 *   tamper LISTEN_PORT TARGET_HOST TARGET_PORT ACTION...
 *     flip-call PROC N      flips one bit in the body of the Nth call of
 *                           procedure PROC on each connection
 *     flip-reply PROC N     the same in the reply to that call
 *     noseal K              answers the Kth SEAL_BEGIN of each connection
 *                           with PROC_UNAVAIL itself, as a server without
 *                           sealed calls would (K = 0: every one)
 *     replay PROC N AFTER   keeps the Nth call of PROC; once AFTER more
 *                           replies have gone to the client, sends it to
 *                           the server again on the same connection, then
 *                           on a new one; the replies never reach the client
 *     dump-replies PROC DIR writes each reply to PROC, from its first byte
 *                           after the RPC header, to DIR/reply.I (I from 1)
 *   Any action but noseal may be followed by "noseal K": both are done
 *   (a downgrade attempted once sealing was seen on the connection).
 *
 * Listens on 127.0.0.1:LISTEN_PORT (0: any free port) and prints "port N";
 * then one line per thing it did: "flipped call 13 #1", "answered
 * SEAL_BEGIN #2 with PROC_UNAVAIL", "replay same: <outcome>", "replay new:
 * <outcome>", where an outcome is "accepted SUCCESS", "accepted
 * PROC_UNAVAIL", "denied AUTH_ERROR RPCSEC_GSS_CTXPROBLEM", ... (names from
 * rpc_names.h).  Each connection is served by its own process, record by
 * record (RFC 5531 record marking, every fragment of a record read before
 * it is passed on).  Exits on SIGTERM or after LIFETIME_SEC seconds.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mailrpc_prot.h"
#include "rpc_names.h"

#define LIFETIME_SEC 300
#define RECORD_MAX (16u << 20)
#define MAX_XIDS 64 /* calls in flight on a connection; mailrpc has one */

enum action { FLIP_CALL, FLIP_REPLY, NOSEAL, REPLAY, DUMP_REPLIES };

struct cfg {
	enum action action;
	long proc, n, after;
	long noseal; /* the SEAL_BEGIN to answer PROC_UNAVAIL (0: all; -1: none) */
	const char *dir;
	struct addrinfo *target;
};

struct record {
	unsigned char *b;
	size_t len, cap;
};

/* One relayed connection. */
struct conn {
	const struct cfg *cfg;
	int client, server;
	long calls_of_proc; /* calls of cfg->proc seen */
	long seals;	    /* SEAL_BEGIN calls seen */
	uint32_t xids[MAX_XIDS], procs[MAX_XIDS];
	unsigned nxids;
	uint32_t flip_xid; /* the reply to flip (flip-reply) */
	int flip_pending;
	struct record kept;   /* replay: the call kept */
	long replies_after;   /* replay: replies since it was kept; -1 before */
	uint32_t swallow_xid; /* replay: the reply to the copy, not the client's */
	int swallow;
	long dumped;
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static int read_full(int fd, void *buf, size_t n)
{
	unsigned char *p = buf;
	while (n > 0) {
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t n)
{
	const unsigned char *p = buf;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads one whole record (all its fragments); -1 at end or error. */
static int read_record(int fd, struct record *r)
{
	r->len = 0;
	for (;;) {
		unsigned char mark[4];
		if (read_full(fd, mark, 4) != 0)
			return -1;
		uint32_t m = be32(mark), n = m & 0x7fffffffu;
		if (r->len + n > RECORD_MAX)
			return -1;
		if (r->len + n > r->cap) {
			size_t cap = r->len + n + 4096;
			unsigned char *b = realloc(r->b, cap);
			if (b == NULL)
				return -1;
			r->b = b;
			r->cap = cap;
		}
		if (read_full(fd, r->b + r->len, n) != 0)
			return -1;
		r->len += n;
		if (m & 0x80000000u)
			return 0;
	}
}

/* Sends a record as one fragment. */
static int write_record(int fd, const unsigned char *b, size_t len)
{
	unsigned char mark[4];
	put_be32(mark, 0x80000000u | (uint32_t)len);
	return write_full(fd, mark, 4) == 0 && write_full(fd, b, len) == 0 ? 0 : -1;
}

/* Offset of a call's body: after xid .. proc, credential and verifier. */
static size_t call_body(const struct record *r)
{
	size_t off = 24;
	for (int i = 0; i < 2; i++) { /* credential, verifier */
		if (off + 8 > r->len)
			return 0;
		off += 8 + ((be32(r->b + off + 4) + 3) & ~3u);
	}
	return off <= r->len ? off : 0;
}

/* Offset of an accepted reply's body (after its status), else 0. */
static size_t reply_body(const struct record *r)
{
	if (r->len < 12 || be32(r->b + 8) != MSG_ACCEPTED)
		return 0;
	size_t off = 12 + 8 + ((be32(r->b + 16) + 3) & ~3u);
	return off + 4 <= r->len ? off + 4 : 0;
}

/* An outcome in words, from a reply record. */
static void describe(const struct record *r, char *buf, size_t len)
{
	if (r->len < 12) {
		snprintf(buf, len, "garbage");
		return;
	}
	if (be32(r->b + 8) == MSG_DENIED) {
		uint32_t why = r->len >= 16 ? be32(r->b + 12) : 99;
		if (why == AUTH_ERROR && r->len >= 20)
			snprintf(buf, len, "denied AUTH_ERROR %s",
				 auth_stat_name((enum auth_stat)be32(r->b + 16)));
		else
			snprintf(buf, len, "denied RPC_MISMATCH");
		return;
	}
	static const char *const accepted[] = {"SUCCESS",      "PROG_UNAVAIL", "PROG_MISMATCH",
					       "PROC_UNAVAIL", "GARBAGE_ARGS", "SYSTEM_ERR"};
	size_t body = reply_body(r);
	uint32_t stat = body ? be32(r->b + body - 4) : 99;
	snprintf(buf, len, "accepted %s", stat < 6 ? accepted[stat] : "?");
}

static void remember(struct conn *c, uint32_t xid, uint32_t proc)
{
	c->xids[c->nxids % MAX_XIDS] = xid;
	c->procs[c->nxids % MAX_XIDS] = proc;
	c->nxids++;
}

static long proc_of(const struct conn *c, uint32_t xid)
{
	for (unsigned i = 0; i < c->nxids && i < MAX_XIDS; i++)
		if (c->xids[i] == xid)
			return c->procs[i];
	return -1;
}

/* PROC_UNAVAIL for a call, as a server lacking the procedure answers. */
static int answer_unavail(struct conn *c, uint32_t xid)
{
	unsigned char reply[24];
	put_be32(reply, xid);
	put_be32(reply + 4, REPLY);
	put_be32(reply + 8, MSG_ACCEPTED);
	put_be32(reply + 12, AUTH_NONE);
	put_be32(reply + 16, 0);
	put_be32(reply + 20, PROC_UNAVAIL);
	return write_record(c->client, reply, sizeof(reply));
}

static int connect_target(const struct addrinfo *ai)
{
	int fd = socket(ai->ai_family, SOCK_STREAM, 0);
	if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* The kept call again on a new connection: its reply's outcome. */
static void replay_new(struct conn *c)
{
	char what[128] = "no reply";
	struct record r = {0};
	int fd = connect_target(c->cfg->target);
	if (fd >= 0 && write_record(fd, c->kept.b, c->kept.len) == 0 && read_record(fd, &r) == 0)
		describe(&r, what, sizeof(what));
	if (fd >= 0)
		close(fd);
	free(r.b);
	printf("replay new: %s\n", what);
	fflush(stdout);
}

/* A call from the client: passed on, changed, kept or answered here.
 * -1 ends the connection. */
static int from_client(struct conn *c, struct record *r)
{
	if (r->len < 24)
		return write_record(c->server, r->b, r->len);
	uint32_t xid = be32(r->b), proc = be32(r->b + 20);
	const struct cfg *cfg = c->cfg;
	remember(c, xid, proc);
	if (cfg->noseal >= 0 && proc == MR_SEAL_BEGIN) {
		c->seals++;
		if (cfg->noseal == 0 || c->seals == cfg->noseal) {
			printf("answered SEAL_BEGIN #%ld with PROC_UNAVAIL\n", c->seals);
			fflush(stdout);
			return answer_unavail(c, xid);
		}
	}
	if ((long)proc == cfg->proc && ++c->calls_of_proc == cfg->n) {
		size_t body = call_body(r);
		if (cfg->action == FLIP_CALL && body && body + 12 < r->len) {
			/* The first byte of a sealed box (or of any body). */
			r->b[body + 12] ^= 0x01;
			printf("flipped call %ld #%ld\n", cfg->proc, cfg->n);
			fflush(stdout);
		} else if (cfg->action == FLIP_REPLY) {
			c->flip_xid = xid;
			c->flip_pending = 1;
		} else if (cfg->action == REPLAY) {
			c->kept.b = malloc(r->len);
			if (c->kept.b == NULL)
				return -1;
			memcpy(c->kept.b, r->b, r->len);
			c->kept.len = r->len;
			c->replies_after = -1; /* counting starts with its own reply */
		}
	}
	return write_record(c->server, r->b, r->len);
}

/* A reply from the server: passed on, changed, recorded or swallowed. */
static int from_server(struct conn *c, struct record *r)
{
	uint32_t xid = r->len >= 4 ? be32(r->b) : 0;
	const struct cfg *cfg = c->cfg;
	if (c->swallow && xid == c->swallow_xid) {
		char what[128];
		describe(r, what, sizeof(what));
		printf("replay same: %s\n", what);
		fflush(stdout);
		c->swallow = 0;
		replay_new(c);
		return 0;
	}
	size_t body = reply_body(r);
	if (c->flip_pending && xid == c->flip_xid && body && body + 12 < r->len) {
		r->b[body + 12] ^= 0x01;
		c->flip_pending = 0;
		printf("flipped reply %ld #%ld\n", cfg->proc, cfg->n);
		fflush(stdout);
	}
	if (cfg->action == DUMP_REPLIES && proc_of(c, xid) == cfg->proc && body) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/reply.%ld", cfg->dir, ++c->dumped);
		FILE *f = fopen(path, "w");
		if (f == NULL || fwrite(r->b + body, 1, r->len - body, f) != r->len - body ||
		    fclose(f) != 0)
			return -1;
	}
	if (write_record(c->client, r->b, r->len) != 0)
		return -1;
	/* The copy goes in between two of the client's calls. */
	if (c->kept.b != NULL && !c->swallow && ++c->replies_after == cfg->after) {
		c->swallow_xid = be32(c->kept.b);
		c->swallow = 1;
		return write_record(c->server, c->kept.b, c->kept.len);
	}
	return 0;
}

static void serve(const struct cfg *cfg, int client)
{
	struct conn c = {.cfg = cfg, .client = client, .replies_after = -1};
	c.server = connect_target(cfg->target);
	struct record r = {0};
	while (c.server >= 0) {
		struct pollfd p[2] = {{.fd = client, .events = POLLIN},
				      {.fd = c.server, .events = POLLIN}};
		if (poll(p, 2, LIFETIME_SEC * 1000) <= 0)
			break;
		if (p[0].revents && (read_record(client, &r) != 0 || from_client(&c, &r) != 0))
			break;
		if (p[1].revents && (read_record(c.server, &r) != 0 || from_server(&c, &r) != 0))
			break;
	}
	free(r.b);
	free(c.kept.b);
	_exit(0);
}

static int listen_on(int port, int *port_r)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), on = 1;
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons((uint16_t)port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 16) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0)
		return -1;
	*port_r = ntohs(a.sin_port);
	return fd;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: tamper LISTEN_PORT HOST PORT flip-call PROC N | flip-reply PROC N | "
		"noseal K | replay PROC N AFTER | dump-replies PROC DIR [noseal K]\n");
	return 2;
}

static int parse(int argc, char **argv, struct cfg *cfg)
{
	const char *a = argv[4];
	cfg->proc = -1;
	cfg->noseal = -1;
	/* A trailing "noseal K" beside another action. */
	if (argc > 7 && strcmp(a, "noseal") != 0 && strcmp(argv[argc - 2], "noseal") == 0) {
		cfg->noseal = atol(argv[argc - 1]);
		argc -= 2;
	}
	if ((!strcmp(a, "flip-call") || !strcmp(a, "flip-reply")) && argc == 7) {
		cfg->action = !strcmp(a, "flip-call") ? FLIP_CALL : FLIP_REPLY;
		cfg->proc = atol(argv[5]);
		cfg->n = atol(argv[6]);
	} else if (!strcmp(a, "noseal") && argc == 6) {
		cfg->action = NOSEAL;
		cfg->noseal = atol(argv[5]);
	} else if (!strcmp(a, "replay") && argc == 8) {
		cfg->action = REPLAY;
		cfg->proc = atol(argv[5]);
		cfg->n = atol(argv[6]);
		cfg->after = atol(argv[7]);
	} else if (!strcmp(a, "dump-replies") && argc == 7) {
		cfg->action = DUMP_REPLIES;
		cfg->proc = atol(argv[5]);
		cfg->dir = argv[6];
	} else {
		return -1;
	}
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
	return getaddrinfo(argv[2], argv[3], &hints, &cfg->target) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct cfg cfg;
	int port;
	if (argc < 6 || parse(argc, argv, &cfg) != 0)
		return usage();
	int lfd = listen_on(atoi(argv[1]), &port);
	if (lfd < 0) {
		perror("tamper: listen");
		return 1;
	}
	signal(SIGCHLD, SIG_IGN); /* children are reaped by the kernel */
	alarm(LIFETIME_SEC);	  /* a forgotten relay does not outlive its test */
	printf("port %d\n", port);
	fflush(stdout);
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0 && errno == EINTR)
			continue;
		if (fd < 0)
			return 1;
		pid_t pid = fork();
		if (pid == 0) {
			close(lfd);
			serve(&cfg, fd);
		}
		close(fd);
	}
}
