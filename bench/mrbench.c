/*
 * mrbench.c -- load generator for `make bench`: one operation, at one
 * protection level, from C concurrent clients (processes, one connection
 * each), for R rounds of D seconds.  Prints one JSON object per round.
 *
 *   mrbench -s HOST:PORT -l LEVEL -c CLIENTS -d SECONDS -r ROUNDS OP [ARG]
 *   OP: null            NULL procedure over a raw libtirpc RPCSEC_GSS
 *                       client (the floor: no libmailrpc, no handler);
 *                       -l none: under AUTH_NONE, the plain ONC RPC floor
 *       null-checked    the same, but libtirpc checks or decrypts the reply
 *                       body, as it does for every real call
 *       whoami          mailrpc_whoami
 *       setup           a new session each time: mailrpc_connect (connect,
 *                       context, SEAL_BEGIN when sealing), WHOAMI (the
 *                       first reply), mailrpc_close
 *       list FOLDER     mailrpc_list, 50 summaries
 *       fetch ID        mailrpc_download of message ID to /dev/null
 *       append FILE     mailrpc_put of FILE into folder "Bench"
 *       submit FILE     mailrpc_send of FILE to mailbox "bob"
 *
 * Clients are separate processes, as separate mail clients would be; they
 * connect before the clock starts and all start each round together.
 * Output: {"op":..,"level":..,"clients":..,"round":..,"ops":..,"bytes":..,"secs":..}
 * where level is "sealed" for libmailrpc's privacy calls when the server
 * seals them (docs/sealing.md; MAILRPC_SEAL=off gives plain "privacy").
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <rpc/rpc.h>
#include <rpc/rpcsec_gss.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mailrpc.h"

#include "mailrpc_prot.h"     /* the IDL's program, version and buffer size */

#define PROG MAILRPC_PROG
#define VERS MAILRPC_V2
#define RECORD_BUFFER MAILRPC_RECORD_BUFFER
#define MAX_CLIENTS 16
#define MAX_ROUNDS 20
#define MAX_SECONDS 30.0

struct cfg {
	const char *server, *op, *arg;
	const char *level_name; /* as printed: the level, or "sealed" */
	int level, clients, rounds;
	double seconds;
};

/* One client's connection: the raw one for null, libmailrpc otherwise. */
struct client {
	CLIENT *raw;
	struct mailrpc *conn;
	uint64_t id;
	int devnull, file;
	uint64_t file_size;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "mrbench: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

/* ---- the raw RPCSEC_GSS client for the NULL floor ------------------------ */

static CLIENT *raw_connect(const char *server, int level)
{
	static const rpc_gss_service_t svc[] = {rpcsec_gss_svc_none, rpcsec_gss_svc_none,
						 rpcsec_gss_svc_integrity, rpcsec_gss_svc_privacy};
	char host[256];
	const char *colon = strrchr(server, ':');
	if (colon == NULL || (size_t)(colon - server) >= sizeof(host))
		die("bad server %s", server);
	snprintf(host, sizeof(host), "%.*s", (int)(colon - server), server);
	struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *ai;
	if (getaddrinfo(host, colon + 1, &hints, &ai) != 0)
		die("cannot resolve %s", host);
	int fd = socket(ai->ai_family, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) != 0)
		die("cannot connect to %s", server);
	struct netbuf addr = {.maxlen = ai->ai_addrlen, .len = ai->ai_addrlen, .buf = ai->ai_addr};
	CLIENT *c = clnt_vc_create(fd, &addr, PROG, VERS, RECORD_BUFFER, RECORD_BUFFER);
	freeaddrinfo(ai);
	if (c == NULL)
		die("clnt_vc_create failed for %s", server);
	clnt_control(c, CLSET_FD_CLOSE, NULL);
	if (level == 0) /* AUTH_NONE: the plain ONC RPC floor, below any GSS */
		return c;
	char principal[300];
	snprintf(principal, sizeof(principal), "mailrpc@%s", host);
	AUTH *auth = rpc_gss_seccreate(c, principal, "kerberos_v5", svc[level], NULL, NULL, NULL);
	if (auth == NULL)
		die("rpc_gss_seccreate failed (%s)", principal);
	c->cl_auth = auth;
	return c;
}

/* ---- one operation ------------------------------------------------------- */

static bool_t xdr_nothing(XDR *xdrs, void *unused)
{
	(void)xdrs;
	(void)unused;
	return TRUE;
}

static void client_open(const struct cfg *cfg, struct client *cl)
{
	memset(cl, 0, sizeof(*cl));
	cl->devnull = cl->file = -1;
	if (strcmp(cfg->op, "null") == 0 || strcmp(cfg->op, "null-checked") == 0) {
		cl->raw = raw_connect(cfg->server, cfg->level);
		return;
	}
	struct mailrpc_options opts = {.server = cfg->server, .level = cfg->level};
	struct mailrpc_error err;
	if (mailrpc_connect(&opts, &cl->conn, &err) != MAILRPC_OK)
		die("connect: %s", err.message);
	if (strcmp(cfg->op, "fetch") == 0) {
		cl->id = strtoull(cfg->arg, NULL, 10);
		cl->devnull = open("/dev/null", O_WRONLY);
	} else if (strcmp(cfg->op, "append") == 0 || strcmp(cfg->op, "submit") == 0) {
		cl->file = open(cfg->arg, O_RDONLY);
		if (cl->file < 0)
			die("cannot open %s", cfg->arg);
		cl->file_size = (uint64_t)lseek(cl->file, 0, SEEK_END);
	}
}

static void note_done(uint64_t done, uint64_t total, void *ctx)
{
	(void)total;
	*(uint64_t *)ctx = done;
}

/* Runs the operation once; returns the message bytes it moved. */
static uint64_t op_once(const struct cfg *cfg, struct client *cl)
{
	struct mailrpc_error err;
	int st = MAILRPC_OK;
	uint64_t bytes = 0, id;
	if (cl->raw) {
		struct timeval tv = {.tv_sec = 30};
		/* libtirpc's client neither checks (integrity) nor decrypts
		 * (privacy) a reply body it is to decode with xdr_void or into
		 * NULL, the usual way to call NULL.  "null-checked" decodes it
		 * with another do-nothing routine into a real variable, so it
		 * pays what every real call pays (seen in callgrind profiles). */
		int nothing = 0;
		int checked = strcmp(cfg->op, "null-checked") == 0;
		if (clnt_call(cl->raw, NULLPROC, (xdrproc_t)xdr_void, NULL,
			      checked ? (xdrproc_t)xdr_nothing : (xdrproc_t)xdr_void,
			      checked ? &nothing : NULL, tv) != RPC_SUCCESS)
			die("NULL call failed%s", "");
		return 0;
	}
	if (strcmp(cfg->op, "whoami") == 0) {
		struct mailrpc_whoami who;
		st = mailrpc_whoami(cl->conn, &who, &err);
	} else if (strcmp(cfg->op, "setup") == 0) {
		struct mailrpc_options opts = {.server = cfg->server, .level = cfg->level};
		struct mailrpc *conn;
		struct mailrpc_whoami who;
		st = mailrpc_connect(&opts, &conn, &err);
		if (st == MAILRPC_OK)
			st = mailrpc_whoami(conn, &who, &err);
		mailrpc_close(&conn);
	} else if (strcmp(cfg->op, "list") == 0) {
		struct mailrpc_list_query q = {.folder = cfg->arg, .limit = 50};
		struct mailrpc_msglist *list = NULL;
		st = mailrpc_list(cl->conn, &q, &list, &err);
		if (st == MAILRPC_OK && list->count != 50)
			die("list returned fewer than 50 in %s", cfg->arg);
		mailrpc_msglist_free(&list);
	} else if (strcmp(cfg->op, "fetch") == 0) {
		st = mailrpc_download(cl->conn, cl->id, cl->devnull, 0, note_done, &bytes, &err);
	} else if (strcmp(cfg->op, "append") == 0) {
		st = mailrpc_put(cl->conn, "Bench", cl->file, 0, NULL, NULL, &id, &err);
		bytes = cl->file_size;
	} else if (strcmp(cfg->op, "submit") == 0) {
		const char *rcpt[] = {"bob"};
		st = mailrpc_send(cl->conn, rcpt, 1, cl->file, NULL, NULL, &id, &err);
		bytes = cl->file_size;
	} else {
		die("unknown operation %s", cfg->op);
	}
	if (st != MAILRPC_OK)
		die("%s", err.message);
	return bytes;
}

/* ---- rounds: clients are processes, started together by the parent ------ */

struct result {
	uint64_t ops, bytes;
	double secs;
};

static void client_main(const struct cfg *cfg, int go_fd, int res_fd)
{
	struct client cl;
	client_open(cfg, &cl);
	/* Connected: 's' when libmailrpc's calls are sealed, else 'r'. */
	struct mailrpc_whoami who = {0};
	struct mailrpc_error err;
	if (cl.conn != NULL && mailrpc_whoami(cl.conn, &who, &err) != MAILRPC_OK)
		die("whoami: %s", err.message);
	char c = who.sealed ? 's' : 'r';
	if (write(res_fd, &c, 1) != 1)
		_exit(1);
	for (int r = 0; r < cfg->rounds; r++) {
		if (read(go_fd, &c, 1) != 1)
			_exit(1);
		struct result res = {0};
		double start = now(), t;
		do {
			res.bytes += op_once(cfg, &cl);
			res.ops++;
			t = now();
		} while (t - start < cfg->seconds && t - start < MAX_SECONDS);
		res.secs = t - start;
		if (write(res_fd, &res, sizeof(res)) != sizeof(res))
			_exit(1);
	}
	if (cl.conn)
		mailrpc_close(&cl.conn);
	if (cl.raw) {
		auth_destroy(cl.raw->cl_auth);
		clnt_destroy(cl.raw);
	}
	_exit(0);
}

static int read_full(int fd, void *buf, size_t n)
{
	char *p = buf;
	while (n > 0) {
		ssize_t got = read(fd, p, n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

static void run(struct cfg *cfg)
{
	int go[MAX_CLIENTS][2], res[MAX_CLIENTS][2];
	pid_t pids[MAX_CLIENTS];
	for (int i = 0; i < cfg->clients; i++) {
		if (pipe(go[i]) != 0 || pipe(res[i]) != 0)
			die("pipe: %s", strerror(errno));
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork: %s", strerror(errno));
		if (pids[i] == 0)
			client_main(cfg, go[i][0], res[i][1]);
		close(go[i][0]);
		close(res[i][1]);
	}
	for (int i = 0; i < cfg->clients; i++) {
		char c;
		if (read_full(res[i][0], &c, 1) != 0)
			die("a client failed to connect%s", "");
		if (c == 's')
			cfg->level_name = "sealed";
	}
	for (int r = 0; r < cfg->rounds; r++) {
		struct result sum = {0};
		for (int i = 0; i < cfg->clients; i++)
			if (write(go[i][1], "g", 1) != 1)
				die("a client went away%s", "");
		for (int i = 0; i < cfg->clients; i++) {
			struct result one;
			if (read_full(res[i][0], &one, sizeof(one)) != 0)
				die("a client failed during round%s", "");
			sum.ops += one.ops;
			sum.bytes += one.bytes;
			if (one.secs > sum.secs)
				sum.secs = one.secs;
		}
		printf("{\"op\":\"%s\",\"level\":\"%s\",\"clients\":%d,\"round\":%d,\"ops\":%llu,"
		       "\"bytes\":%llu,\"secs\":%.6f}\n",
		       cfg->op, cfg->level_name, cfg->clients, r,
		       (unsigned long long)sum.ops, (unsigned long long)sum.bytes, sum.secs);
		fflush(stdout);
	}
	for (int i = 0; i < cfg->clients; i++) {
		close(go[i][1]);
		close(res[i][0]);
		waitpid(pids[i], NULL, 0);
	}
}

int main(int argc, char **argv)
{
	struct cfg cfg = {.level = MAILRPC_LEVEL_PRIVACY, .clients = 1, .rounds = 3, .seconds = 1};
	int opt;
	while ((opt = getopt(argc, argv, "s:l:c:d:r:")) != -1) {
		switch (opt) {
		case 's': cfg.server = optarg; break;
		case 'l': cfg.level = strcmp(optarg, "none") == 0 ? 0 : mailrpc_level_parse(optarg);
			break;
		case 'c': cfg.clients = atoi(optarg); break;
		case 'd': cfg.seconds = atof(optarg); break;
		case 'r': cfg.rounds = atoi(optarg); break;
		default: return 2;
		}
	}
	if (cfg.server == NULL || optind >= argc || cfg.clients < 1 ||
	    cfg.clients > MAX_CLIENTS || cfg.rounds < 1 || cfg.rounds > MAX_ROUNDS ||
	    cfg.seconds <= 0 || cfg.seconds > MAX_SECONDS) {
		fprintf(stderr, "usage: mrbench -s HOST:PORT [-l LEVEL] [-c 1..16] [-d SECONDS] "
				"[-r ROUNDS] null|null-checked|whoami|setup|list F|fetch ID|append FILE|submit FILE\n");
		return 2;
	}
	cfg.op = argv[optind];
	cfg.arg = optind + 1 < argc ? argv[optind + 1] : "";
	if (cfg.level == 0 && strcmp(cfg.op, "null") != 0) {
		fprintf(stderr, "mrbench: level none is for the null operation only\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	cfg.level_name = cfg.level ? mailrpc_level_name(cfg.level) : "none";
	run(&cfg);
	return 0;
}
