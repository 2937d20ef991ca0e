/*
 * bigcall.c -- sends ONE RPCSEC_GSS data call to MSG_INFO whose protected
 * body (integrity or privacy) is BYTES long, to prove that mailrpcd refuses
 * oversized requests without crashing.
 *
 * Why by hand: libtirpc's client encodes a protected call into its record
 * buffer, and when the body does not fit it silently sends something else,
 * so it cannot produce the message this test needs.  Here libtirpc only
 * builds the GSS context; the call itself is encoded per RFC 2203 section
 * 5.3 and written as a TCP record of fragments of at most 1 MiB.
 *
 *   bigcall HOST PORT LEVEL BYTES
 * LEVEL: integrity|privacy.  BYTES (rounded down to a multiple of 4) zero
 * bytes of arguments follow the sequence number inside the protected body.
 * MSG_INFO, because it takes an argument: libtirpc never reads the body of
 * a call whose arguments are void, so WHOAMI would prove nothing.
 * Service principal mailrpc@localhost;
 * Kerberos comes from KRB5_CONFIG/KRB5CCNAME.
 *
 * Prints one line: "accepted", "rejected: GARBAGE_ARGS",
 * "rejected: accept_stat N", "rejected: auth N", "rejected: RPC_MISMATCH",
 * "closed" (connection closed or reset before a reply) or "timeout" (no
 * reply within 30 s of the last byte sent, or the server took no bytes for
 * 30 s).  Exit 0 for any of these, 2 for usage or set-up failures (reason
 * on stderr).
 * Program, version and procedure come from idl/mailrpc.x (mailrpc_prot.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <rpc/auth_gss.h>
#include <rpc/rpc.h>
#include <rpc/rpcsec_gss.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mailrpc_prot.h"

#define PROG MAILRPC_PROG
#define VERS MAILRPC_V2
#define MSG_INFO MR_MSG_INFO

#define FLAVOR_GSS 6
#define GSS_SEQ 100 /* above any libtirpc used: its INIT calls carry 0 */
#define FRAGMENT_MAX (1u << 20)
#define LAST_FRAGMENT 0x80000000u
#define REPLY_MAX (64u << 10) /* kept of a reply: the verdict is at its start */
#define WAIT_SECONDS 30
/* Opaque lengths are 32 bits; leave room for the GSS token overhead. */
#define BYTES_MAX (UINT32_MAX - (1u << 16))

static int fail(const char *why)
{
	fprintf(stderr, "bigcall: %s\n", why);
	return 2;
}

/* ---- XDR encoding into a small growable buffer (header, verifier) ---- */

struct buf {
	unsigned char *p;
	size_t len, cap;
};

static int buf_put(struct buf *b, const void *data, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = (b->len + n) * 2;
		unsigned char *p = realloc(b->p, cap);
		if (p == NULL)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	return 0;
}

static int put_u32(struct buf *b, uint32_t v)
{
	uint32_t be = htonl(v);
	return buf_put(b, &be, 4);
}

static size_t xdr_pad(size_t n)
{
	return (4 - n % 4) % 4;
}

static int put_opaque(struct buf *b, const void *data, size_t n)
{
	static const unsigned char zeros[4];
	if (put_u32(b, (uint32_t)n) != 0 || buf_put(b, data, n) != 0)
		return -1;
	return buf_put(b, zeros, xdr_pad(n));
}

/* ---- context set-up: libtirpc does the RPCSEC_GSS_INIT exchange ---- */

static int connect_to(const char *host, const char *port, struct sockaddr_storage *sa,
		      socklen_t *salen)
{
	struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *ai;
	int rc = getaddrinfo(host, port, &hints, &ai);
	if (rc != 0) {
		fprintf(stderr, "bigcall: %s:%s: %s\n", host, port, gai_strerror(rc));
		return -1;
	}
	int fd = socket(ai->ai_family, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		fprintf(stderr, "bigcall: connect %s:%s: %s\n", host, port, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	memcpy(sa, ai->ai_addr, ai->ai_addrlen);
	*salen = ai->ai_addrlen;
	freeaddrinfo(ai);
	return fd;
}

/*
 * Builds the context and takes it over from libtirpc: after
 * authgss_get_private_data the AUTH no longer uses it, so nothing libtirpc
 * does later can disturb the sequence numbers or the context handle.
 */
static int make_context(int fd, struct sockaddr_storage *sa, socklen_t salen,
			rpc_gss_service_t svc, struct authgss_private_data *pd)
{
	struct netbuf raddr = {.maxlen = salen, .len = salen, .buf = sa};
	CLIENT *clnt = clnt_vc_create(fd, &raddr, PROG, VERS, 262144, 262144);
	if (clnt == NULL)
		return -1;
	rpc_gss_options_ret_t ret;
	memset(&ret, 0, sizeof(ret));
	AUTH *auth = rpc_gss_seccreate(clnt, "mailrpc@localhost", "kerberos_v5", svc, NULL, NULL,
				       &ret);
	if (auth == NULL) {
		fprintf(stderr, "bigcall: context set-up failed (major %d minor %d)\n",
			ret.major_status, ret.minor_status);
		return -1;
	}
	memset(pd, 0, sizeof(*pd));
	if (!authgss_get_private_data(auth, pd)) {
		fprintf(stderr, "bigcall: libtirpc did not hand over the context\n");
		return -1;
	}
	/* The CLIENT and AUTH stay alive on purpose: destroying them would
	 * close fd (or send RPCSEC_GSS_DESTROY on it) before our call. */
	return 0;
}

/* ---- the call: header, credential and verifier (RFC 2203 5.3.1) ---- */

static int encode_header(struct buf *b, uint32_t xid, uint32_t gss_svc,
			 const struct authgss_private_data *pd)
{
	struct buf cred = {0};
	int rc = -1;
	if (put_u32(&cred, RPCSEC_GSS_VERSION) != 0 || put_u32(&cred, RPCSEC_GSS_DATA) != 0 ||
	    put_u32(&cred, GSS_SEQ) != 0 || put_u32(&cred, gss_svc) != 0 ||
	    put_opaque(&cred, pd->pd_ctx_hndl.value, pd->pd_ctx_hndl.length) != 0)
		goto out;
	if (put_u32(b, xid) != 0 || put_u32(b, CALL) != 0 || put_u32(b, RPC_MSG_VERSION) != 0 ||
	    put_u32(b, PROG) != 0 || put_u32(b, VERS) != 0 || put_u32(b, MSG_INFO) != 0 ||
	    put_u32(b, FLAVOR_GSS) != 0 || put_opaque(b, cred.p, cred.len) != 0)
		goto out;
	rc = 0;
out:
	free(cred.p);
	return rc;
}

/* The verifier is a MIC of the header from xid through the credential. */
static int encode_verifier(struct buf *b, gss_ctx_id_t ctx)
{
	OM_uint32 minor;
	gss_buffer_desc in = {.length = b->len, .value = b->p}, mic = GSS_C_EMPTY_BUFFER;
	if (gss_get_mic(&minor, ctx, GSS_C_QOP_DEFAULT, &in, &mic) != GSS_S_COMPLETE)
		return -1;
	int rc = put_u32(b, FLAVOR_GSS) == 0 && put_opaque(b, mic.value, mic.length) == 0 ? 0 : -1;
	gss_release_buffer(&minor, &mic);
	return rc;
}

/* ---- the body: large, so kept as pieces rather than copied together ---- */

struct piece {
	const void *p;
	size_t n;
};

struct body {
	struct piece piece[6];
	int count;
	unsigned char lens[2][4]; /* XDR length words of the opaques */
	unsigned char *plain;	  /* seq_num + arguments */
	gss_buffer_desc token;	  /* checksum (integrity) or wrapped body */
};

static void add_piece(struct body *bd, const void *p, size_t n)
{
	bd->piece[bd->count].p = p;
	bd->piece[bd->count].n = n;
	bd->count++;
}

static void add_opaque(struct body *bd, int k, const void *p, size_t n)
{
	static const unsigned char zeros[4];
	uint32_t be = htonl((uint32_t)n);
	memcpy(bd->lens[k], &be, 4);
	add_piece(bd, bd->lens[k], 4);
	add_piece(bd, p, n);
	add_piece(bd, zeros, xdr_pad(n));
}

/* rpc_gss_integ_data: databody_integ then its MIC. */
static int encode_integrity(struct body *bd, gss_ctx_id_t ctx, size_t plain_len)
{
	OM_uint32 minor;
	gss_buffer_desc in = {.length = plain_len, .value = bd->plain};
	if (gss_get_mic(&minor, ctx, GSS_C_QOP_DEFAULT, &in, &bd->token) != GSS_S_COMPLETE)
		return -1;
	add_opaque(bd, 0, bd->plain, plain_len);
	add_opaque(bd, 1, bd->token.value, bd->token.length);
	return 0;
}

/* rpc_gss_priv_data: databody_priv is the wrapped seq_num + arguments. */
static int encode_privacy(struct body *bd, gss_ctx_id_t ctx, size_t plain_len)
{
	OM_uint32 minor;
	int conf = 0;
	gss_buffer_desc in = {.length = plain_len, .value = bd->plain};
	if (gss_wrap(&minor, ctx, 1, GSS_C_QOP_DEFAULT, &in, &conf, &bd->token) !=
		    GSS_S_COMPLETE ||
	    !conf)
		return -1;
	/* Plain text is no longer needed; at 300 MB it is worth giving back. */
	free(bd->plain);
	bd->plain = NULL;
	add_opaque(bd, 0, bd->token.value, bd->token.length);
	return 0;
}

static int encode_body(struct body *bd, gss_ctx_id_t ctx, uint32_t gss_svc, size_t args)
{
	size_t plain_len = 4 + args;
	bd->plain = calloc(1, plain_len); /* calloc: the arguments are zeros */
	if (bd->plain == NULL)
		return -1;
	uint32_t seq = htonl(GSS_SEQ);
	memcpy(bd->plain, &seq, 4);
	if (gss_svc == RPCSEC_GSS_SVC_INTEGRITY)
		return encode_integrity(bd, ctx, plain_len);
	return encode_privacy(bd, ctx, plain_len);
}

/* ---- time: one deadline, WAIT_SECONDS after the last progress ---- */

static void deadline_push(struct timespec *deadline)
{
	clock_gettime(CLOCK_MONOTONIC, deadline);
	deadline->tv_sec += WAIT_SECONDS;
}

/* Milliseconds left, 0 once past: poll then only looks, never waits. */
static int ms_left(const struct timespec *deadline)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long long ms = (deadline->tv_sec - now.tv_sec) * 1000LL +
		       (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? (int)ms : 0;
}

/* ---- sending: record marking over a list of pieces ---- */

/*
 * Returns 0 when all was written, 1 when the server stopped taking it:
 * closed, reset, or no progress until the deadline.  Each bit of progress
 * moves the deadline, so a slow server is not mistaken for a stuck one,
 * while a stuck one costs WAIT_SECONDS in all, not per write.
 */
static int send_all(int fd, const void *p, size_t n, struct timespec *deadline)
{
	const unsigned char *c = p;
	while (n > 0) {
		struct pollfd pf = {.fd = fd, .events = POLLOUT};
		int r = poll(&pf, 1, ms_left(deadline));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 1;
		ssize_t w = send(fd, c, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (w < 0)
			return 1; /* EPIPE or ECONNRESET */
		c += w;
		n -= (size_t)w;
		deadline_push(deadline);
	}
	return 0;
}

/* Writes the pieces as one record; stops early if the server gives up. */
static void send_record(int fd, const struct piece *pieces, int count,
			struct timespec *deadline)
{
	size_t total = 0;
	for (int i = 0; i < count; i++)
		total += pieces[i].n;
	int i = 0;
	size_t off = 0; /* into pieces[i] */
	while (total > 0) {
		size_t frag = total < FRAGMENT_MAX ? total : FRAGMENT_MAX;
		uint32_t mark = htonl((uint32_t)frag | (frag == total ? LAST_FRAGMENT : 0));
		if (send_all(fd, &mark, 4, deadline) != 0)
			return;
		total -= frag;
		while (frag > 0) {
			size_t n = pieces[i].n - off;
			if (n > frag)
				n = frag;
			if (send_all(fd, (const unsigned char *)pieces[i].p + off, n, deadline) != 0)
				return;
			frag -= n;
			off += n;
			if (off == pieces[i].n) {
				i++;
				off = 0;
			}
		}
	}
}

/* ---- the reply ---- */

enum outcome { GOT_BYTES, GOT_CLOSED, GOT_TIMEOUT };

/* Reads exactly n bytes before the deadline. */
static enum outcome read_exact(int fd, void *p, size_t n, const struct timespec *deadline)
{
	unsigned char *c = p;
	while (n > 0) {
		struct pollfd pf = {.fd = fd, .events = POLLIN};
		int r = poll(&pf, 1, ms_left(deadline));
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			return GOT_TIMEOUT;
		if (r < 0)
			return GOT_CLOSED;
		ssize_t got = recv(fd, c, n, 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return GOT_CLOSED; /* EOF or ECONNRESET */
		c += got;
		n -= (size_t)got;
	}
	return GOT_BYTES;
}

/*
 * Reads one whole record (all fragments), keeping its first REPLY_MAX bytes
 * in b: the verdict is in the first few words, so the rest is read only to
 * stay in step with the record boundaries.
 */
static enum outcome read_record(int fd, struct buf *b, const struct timespec *deadline)
{
	static unsigned char chunk[4096];
	b->len = 0;
	for (;;) {
		uint32_t mark;
		enum outcome o = read_exact(fd, &mark, 4, deadline);
		if (o != GOT_BYTES)
			return o;
		mark = ntohl(mark);
		size_t left = mark & ~LAST_FRAGMENT;
		while (left > 0) {
			size_t n = left < sizeof(chunk) ? left : sizeof(chunk);
			o = read_exact(fd, chunk, n, deadline);
			if (o != GOT_BYTES)
				return o;
			if (b->len + n <= REPLY_MAX && buf_put(b, chunk, n) != 0)
				return GOT_CLOSED; /* out of memory: cannot tell */
			left -= n;
		}
		if (mark & LAST_FRAGMENT)
			return GOT_BYTES;
	}
}

static int get_u32(const struct buf *b, size_t *at, uint32_t *v)
{
	if (*at + 4 > b->len)
		return -1;
	uint32_t be;
	memcpy(&be, b->p + *at, 4);
	*v = ntohl(be);
	*at += 4;
	return 0;
}

/* Prints the verdict of a reply to xid; returns -1 if it is not one. */
static int classify(const struct buf *b, uint32_t xid)
{
	size_t at = 0;
	uint32_t rxid, dir, stat, len, code;
	if (get_u32(b, &at, &rxid) != 0 || rxid != xid || get_u32(b, &at, &dir) != 0 ||
	    dir != REPLY || get_u32(b, &at, &stat) != 0 || get_u32(b, &at, &code) != 0)
		return -1;
	if (stat == MSG_DENIED) {
		uint32_t why;
		if (code == AUTH_ERROR && get_u32(b, &at, &why) == 0)
			printf("rejected: auth %u\n", why);
		else
			printf("rejected: RPC_MISMATCH\n");
		return 0;
	}
	if (stat != MSG_ACCEPTED)
		return -1;
	/* Accepted: code was the verifier's flavor; skip the verifier body. */
	if (get_u32(b, &at, &len) != 0 || len > b->len)
		return -1;
	at += len + xdr_pad(len);
	if (get_u32(b, &at, &stat) != 0)
		return -1;
	if (stat == SUCCESS)
		printf("accepted\n");
	else if (stat == GARBAGE_ARGS)
		printf("rejected: GARBAGE_ARGS\n");
	else
		printf("rejected: accept_stat %u\n", stat);
	return 0;
}

/*
 * The deadline runs on from the send: after a stalled send it has passed,
 * and a reply the server already sent is still read, but none awaited.
 */
static void await_reply(int fd, uint32_t xid, const struct timespec *deadline)
{
	struct buf b = {0};
	for (;;) {
		enum outcome o = read_record(fd, &b, deadline);
		if (o == GOT_TIMEOUT) {
			printf("timeout\n");
			break;
		}
		if (o == GOT_CLOSED) {
			printf("closed\n");
			break;
		}
		if (classify(&b, xid) == 0)
			break;
		/* Some other record: keep waiting for ours. */
	}
	free(b.p);
}

/* ---- main ---- */

static int parse_args(int argc, char **argv, rpc_gss_service_t *svc, size_t *bytes)
{
	if (argc != 5)
		return -1;
	if (strcmp(argv[3], "integrity") == 0)
		*svc = rpcsec_gss_svc_integrity;
	else if (strcmp(argv[3], "privacy") == 0)
		*svc = rpcsec_gss_svc_privacy;
	else
		return -1;
	char *end;
	errno = 0;
	unsigned long long n = strtoull(argv[4], &end, 10);
	if (errno != 0 || *end != '\0' || end == argv[4] || argv[4][0] == '-' || n > BYTES_MAX)
		return -1;
	*bytes = (size_t)n & ~(size_t)3;
	return 0;
}

int main(int argc, char **argv)
{
	rpc_gss_service_t svc;
	size_t bytes;
	if (parse_args(argc, argv, &svc, &bytes) != 0)
		return fail("usage: bigcall HOST PORT integrity|privacy BYTES");
	/* The server may close mid-send; that is an outcome, not a crash. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return fail("cannot ignore SIGPIPE");

	struct sockaddr_storage sa;
	socklen_t salen;
	int fd = connect_to(argv[1], argv[2], &sa, &salen);
	if (fd < 0)
		return fail("cannot connect");
	struct authgss_private_data pd;
	if (make_context(fd, &sa, salen, svc, &pd) != 0)
		return fail("cannot build the RPCSEC_GSS context");

	uint32_t gss_svc = svc == rpcsec_gss_svc_integrity ? RPCSEC_GSS_SVC_INTEGRITY
							   : RPCSEC_GSS_SVC_PRIVACY;
	/* Any xid will do: every call libtirpc made is answered already, so
	 * the only reply to come is to this one; the xid just confirms it. */
	uint32_t xid = (uint32_t)getpid() ^ (uint32_t)time(NULL) ^ 0x5A5A0000u;
	struct buf head = {0};
	if (encode_header(&head, xid, gss_svc, &pd) != 0 || encode_verifier(&head, pd.pd_ctx) != 0)
		return fail("cannot encode the call header");
	struct body bd = {0};
	if (encode_body(&bd, pd.pd_ctx, gss_svc, bytes) != 0)
		return fail("cannot protect the call body (out of memory or GSS error)");

	struct piece pieces[1 + 6] = {{head.p, head.len}};
	memcpy(pieces + 1, bd.piece, sizeof(bd.piece[0]) * (size_t)bd.count);
	struct timespec deadline;
	deadline_push(&deadline);
	send_record(fd, pieces, 1 + bd.count, &deadline);
	await_reply(fd, xid, &deadline);

	OM_uint32 minor;
	gss_release_buffer(&minor, &bd.token);
	free(bd.plain);
	free(head.p);
	authgss_free_private_data(&pd);
	return 0;
}
