/*
 * imapsbench.c -- the IMAPS side of `make bench`: the same work as mrbench,
 * over IMAP with implicit TLS on OpenSSL, in C like mrbench, against Dovecot
 * and mailrpc-imapd alike (the same driver for both).
 *
 *   imapsbench PORT USER PASSWORD load DIR NAME...   APPENDs DIR/NAME.eml to
 *                                                     INBOX, prints the TLS
 *                                                     version and cipher
 *   imapsbench PORT USER PASSWORD OP ARG CLIENTS SECONDS ROUNDS
 *   OP: setup         a new session each time: connect, TLS (resuming the
 *                     last session when the server allows), greeting,
 *                     LOGIN, NOOP (the first reply), LOGOUT
 *       list          UID FETCH 1:50 (FLAGS ENVELOPE RFC822.SIZE)
 *       fetch UID     UID FETCH UID (BODY.PEEK[])
 *       append FILE   APPEND FILE to folder Bench (LITERAL+ when offered)
 *
 * Clients are processes, each with its own logged-in connection, started
 * together each round; one JSON object per round, as mrbench prints, whose
 * "level" is $IMAPBENCH_LEVEL (default "dovecot"); setup rounds add
 * "resumed", the sessions whose TLS handshake was a resumption.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 16
#define MAX_ROUNDS 20
#define MAX_SECONDS 30.0
#define IO_TIMEOUT_SECONDS 60
#define MAX_LINE 65536

struct cfg {
	int port, clients, rounds;
	const char *user, *password, *op, *arg, *level;
	double seconds;
};

/* One IMAP connection: TLS over a socket, a read buffer, a tag counter. */
struct imap {
	int fd;
	SSL *ssl;
	char buf[1 << 16];
	size_t start, end;
	unsigned tag;
	int literal_plus;
};

/* What one tagged command's responses held. */
struct reply {
	unsigned untagged_fetch;
	unsigned long long literal_bytes;
};

static SSL_CTX *tls;
static SSL_SESSION *last_session; /* offered on the next connect */

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "imapsbench: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- TLS I/O ------------------------------------------------------------ */

static void tls_write(struct imap *m, const void *data, size_t n)
{
	if (n > 0 && SSL_write(m->ssl, data, (int)n) != (int)n)
		die("TLS write failed");
}

static void fill(struct imap *m)
{
	if (m->start == m->end)
		m->start = m->end = 0;
	if (m->end == sizeof(m->buf)) {
		memmove(m->buf, m->buf + m->start, m->end - m->start);
		m->end -= m->start;
		m->start = 0;
	}
	if (m->end == sizeof(m->buf))
		die("response line too long");
	int got = SSL_read(m->ssl, m->buf + m->end, (int)(sizeof(m->buf) - m->end));
	if (got <= 0)
		die("connection closed by the server");
	m->end += (size_t)got;
}

/* Reads one line (without CRLF) into line; returns its length. */
static size_t read_line(struct imap *m, char *line, size_t cap)
{
	for (;;) {
		char *nl = memchr(m->buf + m->start, '\n', m->end - m->start);
		if (nl != NULL) {
			size_t n = (size_t)(nl - (m->buf + m->start)) + 1;
			if (n >= cap)
				die("response line too long");
			memcpy(line, m->buf + m->start, n);
			m->start += n;
			while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
				n--;
			line[n] = '\0';
			return n;
		}
		fill(m);
	}
}

/* Skips n literal bytes. */
static void skip_bytes(struct imap *m, unsigned long long n)
{
	while (n > 0) {
		if (m->start == m->end)
			fill(m);
		size_t have = m->end - m->start;
		size_t take = have < n ? have : (size_t)n;
		m->start += take;
		n -= take;
	}
}

/* A line ending in {N}: the literal's size, else -1. */
static long long literal_size(const char *line, size_t n)
{
	if (n < 3 || line[n - 1] != '}')
		return -1;
	const char *open = memrchr(line, '{', n);
	if (open == NULL)
		return -1;
	return strtoll(open + 1, NULL, 10);
}

/* Reads responses up to the tagged one for tag; dies unless it is OK. */
static void read_reply(struct imap *m, const char *tag, struct reply *r, const char *what)
{
	static char line[MAX_LINE];
	size_t taglen = strlen(tag);
	memset(r, 0, sizeof(*r));
	for (;;) {
		size_t n = read_line(m, line, sizeof(line));
		if (strncmp(line, tag, taglen) == 0 && line[taglen] == ' ') {
			if (strncmp(line + taglen + 1, "OK", 2) != 0)
				die("%s: %s", what, line);
			return;
		}
		if (line[0] == '*' && strstr(line, " FETCH (") != NULL)
			r->untagged_fetch++;
		if (line[0] == '*' && strstr(line, "LITERAL+") != NULL)
			m->literal_plus = 1;
		/* A literal may end any line of a response, and more follow. */
		for (long long lit; (lit = literal_size(line, n)) >= 0;) {
			skip_bytes(m, (unsigned long long)lit);
			r->literal_bytes += (unsigned long long)lit;
			n = read_line(m, line, sizeof(line));
		}
	}
}

/* Sends "TAG COMMAND\r\n" and reads its reply. */
static void command(struct imap *m, struct reply *r, const char *fmt, ...)
{
	char tag[16], cmd[1024];
	snprintf(tag, sizeof(tag), "a%u", ++m->tag);
	va_list ap;
	va_start(ap, fmt);
	int n = snprintf(cmd, sizeof(cmd), "%s ", tag);
	n += vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
	va_end(ap);
	if (n + 2 >= (int)sizeof(cmd))
		die("command too long");
	memcpy(cmd + n, "\r\n", 2);
	tls_write(m, cmd, (size_t)n + 2);
	read_reply(m, tag, r, cmd);
}

/* ---- sessions ----------------------------------------------------------- */

static int tcp_connect(int port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct timeval tv = {.tv_sec = IO_TIMEOUT_SECONDS};
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		die("connect to 127.0.0.1:%d: %s", port, strerror(errno));
	return fd;
}

/* Connect, TLS, greeting, LOGIN.  Returns 1 if TLS resumed a session. */
static int session_open(struct imap *m, const struct cfg *cfg)
{
	memset(m, 0, sizeof(*m));
	m->fd = tcp_connect(cfg->port);
	m->ssl = SSL_new(tls);
	if (m->ssl == NULL || SSL_set_fd(m->ssl, m->fd) != 1)
		die("SSL_new failed");
	if (last_session != NULL)
		SSL_set_session(m->ssl, last_session);
	if (SSL_connect(m->ssl) != 1) {
		ERR_print_errors_fp(stderr);
		die("TLS handshake with 127.0.0.1:%d failed", cfg->port);
	}
	int resumed = SSL_session_reused(m->ssl);
	char line[MAX_LINE];
	read_line(m, line, sizeof(line));
	if (strncmp(line, "* OK", 4) != 0)
		die("greeting: %s", line);
	if (strstr(line, "LITERAL+") != NULL)
		m->literal_plus = 1;
	struct reply r;
	/* Quoted strings: the bench's user names and passwords need no escapes. */
	command(m, &r, "LOGIN \"%s\" \"%s\"", cfg->user, cfg->password);
	/* TLS 1.3 tickets arrive after the handshake: by now they have. */
	SSL_SESSION *s = SSL_get1_session(m->ssl);
	if (s != NULL) {
		SSL_SESSION_free(last_session);
		last_session = s;
	}
	return resumed;
}

static void session_close(struct imap *m)
{
	struct reply r;
	command(m, &r, "LOGOUT");
	SSL_shutdown(m->ssl);
	SSL_free(m->ssl);
	close(m->fd);
}

/* ---- operations --------------------------------------------------------- */

struct client {
	struct imap imap;
	char *payload;
	size_t payload_len;
	unsigned resumed;
};

static char *read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0)
		die("cannot open %s", path);
	char *data = malloc((size_t)st.st_size + 1);
	if (data == NULL)
		die("out of memory");
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, data + got, (size_t)st.st_size - got);
		if (n <= 0)
			die("cannot read %s", path);
		got += (size_t)n;
	}
	close(fd);
	*len = got;
	return data;
}

static void append(struct imap *m, const char *folder, const char *data, size_t len)
{
	char tag[16], cmd[256];
	snprintf(tag, sizeof(tag), "a%u", ++m->tag);
	int n = snprintf(cmd, sizeof(cmd), "%s APPEND %s {%zu%s}\r\n", tag, folder, len,
			 m->literal_plus ? "+" : "");
	struct reply r;
	if (m->literal_plus) {
		/* One write: command, literal and the line's end. */
		char *all = malloc((size_t)n + len + 2);
		if (all == NULL)
			die("out of memory");
		memcpy(all, cmd, (size_t)n);
		memcpy(all + n, data, len);
		memcpy(all + n + len, "\r\n", 2);
		tls_write(m, all, (size_t)n + len + 2);
		free(all);
	} else {
		char line[MAX_LINE];
		tls_write(m, cmd, (size_t)n);
		read_line(m, line, sizeof(line));
		if (line[0] != '+')
			die("APPEND: %s", line);
		tls_write(m, data, len);
		tls_write(m, "\r\n", 2);
	}
	read_reply(m, tag, &r, "APPEND");
}

static void prepare(struct client *cl, const struct cfg *cfg)
{
	struct reply r;
	session_open(&cl->imap, cfg);
	/* CAPABILITY: the post-login list decides LITERAL+. */
	command(&cl->imap, &r, "CAPABILITY");
	if (strcmp(cfg->op, "append") == 0) {
		char tag[16], cmd[64], line[MAX_LINE];
		/* CREATE may fail: the folder exists from an earlier run. */
		snprintf(tag, sizeof(tag), "a%u", ++cl->imap.tag);
		int n = snprintf(cmd, sizeof(cmd), "%s CREATE Bench\r\n", tag);
		tls_write(&cl->imap, cmd, (size_t)n);
		do
			read_line(&cl->imap, line, sizeof(line));
		while (strncmp(line, tag, strlen(tag)) != 0);
		cl->payload = read_file(cfg->arg, &cl->payload_len);
	} else if (strcmp(cfg->op, "setup") != 0) {
		command(&cl->imap, &r, "EXAMINE INBOX");
	}
}

/* Runs the operation once; returns the message bytes it moved. */
static unsigned long long op_once(struct client *cl, const struct cfg *cfg)
{
	struct reply r;
	if (strcmp(cfg->op, "setup") == 0) {
		struct imap s;
		cl->resumed += (unsigned)session_open(&s, cfg);
		command(&s, &r, "NOOP");
		session_close(&s);
		return 0;
	}
	if (strcmp(cfg->op, "list") == 0) {
		command(&cl->imap, &r, "UID FETCH 1:50 (FLAGS ENVELOPE RFC822.SIZE)");
		if (r.untagged_fetch < 50)
			die("list returned %u, not 50", r.untagged_fetch);
		return 0;
	}
	if (strcmp(cfg->op, "fetch") == 0) {
		command(&cl->imap, &r, "UID FETCH %s (BODY.PEEK[])", cfg->arg);
		if (r.untagged_fetch != 1 || r.literal_bytes == 0)
			die("fetch of UID %s returned no message", cfg->arg);
		return r.literal_bytes;
	}
	if (strcmp(cfg->op, "append") == 0) {
		append(&cl->imap, "Bench", cl->payload, cl->payload_len);
		return cl->payload_len;
	}
	die("unknown operation %s", cfg->op);
	return 0;
}

/* ---- rounds: clients are processes, started together by the parent ------ */

struct result {
	unsigned long long ops, bytes, resumed;
	double secs;
};

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

static void client_main(const struct cfg *cfg, int go_fd, int res_fd)
{
	struct client cl = {0};
	prepare(&cl, cfg);
	char c = 'r';
	if (write(res_fd, &c, 1) != 1)
		_exit(1);
	for (int round = 0; round < cfg->rounds; round++) {
		if (read(go_fd, &c, 1) != 1)
			_exit(1);
		struct result res = {0};
		cl.resumed = 0;
		double start = now(), t;
		do {
			res.bytes += op_once(&cl, cfg);
			res.ops++;
			t = now();
		} while (t - start < cfg->seconds && t - start < MAX_SECONDS);
		res.secs = t - start;
		res.resumed = cl.resumed;
		if (write(res_fd, &res, sizeof(res)) != sizeof(res))
			_exit(1);
	}
	session_close(&cl.imap);
	_exit(0);
}

static void run(const struct cfg *cfg)
{
	int go[MAX_CLIENTS][2], res[MAX_CLIENTS][2];
	pid_t pids[MAX_CLIENTS];
	for (int i = 0; i < cfg->clients; i++) {
		if (pipe(go[i]) != 0 || pipe(res[i]) != 0)
			die("pipe: %s", strerror(errno));
		fflush(stdout);
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
			die("a client failed to log in");
	}
	for (int r = 0; r < cfg->rounds; r++) {
		struct result sum = {0};
		for (int i = 0; i < cfg->clients; i++)
			if (write(go[i][1], "g", 1) != 1)
				die("a client went away");
		for (int i = 0; i < cfg->clients; i++) {
			struct result one;
			if (read_full(res[i][0], &one, sizeof(one)) != 0)
				die("a client failed during a round");
			sum.ops += one.ops;
			sum.bytes += one.bytes;
			sum.resumed += one.resumed;
			if (one.secs > sum.secs)
				sum.secs = one.secs;
		}
		printf("{\"op\":\"%s\",\"level\":\"%s\",\"clients\":%d,\"round\":%d,\"ops\":%llu,"
		       "\"bytes\":%llu,\"secs\":%.6f",
		       cfg->op, cfg->level, cfg->clients, r, sum.ops, sum.bytes, sum.secs);
		if (strcmp(cfg->op, "setup") == 0)
			printf(",\"resumed\":%llu", sum.resumed);
		printf("}\n");
		fflush(stdout);
	}
	for (int i = 0; i < cfg->clients; i++) {
		close(go[i][1]);
		close(res[i][0]);
		waitpid(pids[i], NULL, 0);
	}
}

/* Loads the set in order (UIDs follow it); prints the TLS version and cipher. */
static void load(const struct cfg *cfg, const char *dir, char **names, int count)
{
	struct imap m;
	session_open(&m, cfg);
	printf("%s %s\n", SSL_get_version(m.ssl), SSL_get_cipher_name(m.ssl));
	for (int i = 0; i < count; i++) {
		char path[4096];
		size_t len;
		snprintf(path, sizeof(path), "%s/%s.eml", dir, names[i]);
		char *data = read_file(path, &len);
		append(&m, "INBOX", data, len);
		free(data);
	}
	session_close(&m);
}

static void tls_init(void)
{
	tls = SSL_CTX_new(TLS_client_method());
	if (tls == NULL)
		die("SSL_CTX_new failed");
	/* A throwaway self-signed certificate on loopback: nothing to verify. */
	SSL_CTX_set_verify(tls, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_session_cache_mode(tls, SSL_SESS_CACHE_CLIENT);
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr,
			"usage: imapsbench PORT USER PASSWORD load DIR NAME...\n"
			"       imapsbench PORT USER PASSWORD setup|list|fetch|append "
			"ARG CLIENTS SECONDS ROUNDS\n"
			"  (ARG: - for setup and list, a UID for fetch, a file for append)\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	tls_init();
	struct cfg cfg = {.port = atoi(argv[1]),
			  .user = argv[2],
			  .password = argv[3],
			  .op = argv[4],
			  .level = getenv("IMAPBENCH_LEVEL")};
	if (cfg.level == NULL)
		cfg.level = "dovecot";
	if (strcmp(cfg.op, "load") == 0 && argc >= 6) {
		load(&cfg, argv[5], argv + 6, argc - 6);
		return 0;
	}
	if (argc != 9)
		die("wrong number of arguments (see the usage)");
	cfg.arg = argv[5];
	cfg.clients = atoi(argv[6]);
	cfg.seconds = atof(argv[7]);
	cfg.rounds = atoi(argv[8]);
	if (cfg.port <= 0 || cfg.clients < 1 || cfg.clients > MAX_CLIENTS || cfg.rounds < 1 ||
	    cfg.rounds > MAX_ROUNDS || cfg.seconds <= 0 || cfg.seconds > MAX_SECONDS)
		die("bad port, clients (1-%d), seconds or rounds (1-%d)", MAX_CLIENTS, MAX_ROUNDS);
	run(&cfg);
	return 0;
}
