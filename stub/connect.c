/*
 * connect.c -- opening and closing a connection: TCP, then the ONC RPC
 * client, then the RPCSEC_GSS context at the requested level; and making
 * it all again when the link is lost (mr_reconnect).
 */
#include <errno.h>
#include <fcntl.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <rpc/rpcsec_gss.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"
#include "level.h"

/* Reconnection defaults (see struct mailrpc_options). */
#define RECONNECT_ATTEMPTS 4
#define RECONNECT_DELAY_MS 500

/* rpc_gss_seccreate is not documented as thread-safe, and the credential
 * cache is chosen per thread: one context set-up at a time, as parallel
 * fetches and their reconnections may set up several at once. */
static pthread_mutex_t context_mu = PTHREAD_MUTEX_INITIALIZER;

/* Splits HOST:PORT or [ADDR]:PORT. */
static int split_server(const char *spec, char *host, size_t host_len, char *port, size_t port_len)
{
	const char *sep;
	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');
		if (close == NULL || close[1] != ':')
			return -1;
		snprintf(host, host_len, "%.*s", (int)(close - spec - 1), spec + 1);
		sep = close + 1;
	} else {
		sep = strrchr(spec, ':');
		if (sep == NULL || sep == spec || (size_t)(sep - spec) >= host_len)
			return -1;
		snprintf(host, host_len, "%.*s", (int)(sep - spec), spec);
	}
	if (sep[1] == '\0' || strspn(sep + 1, "0123456789") != strlen(sep + 1))
		return -1;
	snprintf(port, port_len, "%s", sep + 1);
	return 0;
}

static int connect_timeout(int fd, const struct sockaddr *sa, socklen_t len, int timeout_ms)
{
	int flags = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	int rc = connect(fd, sa, len);
	if (rc != 0 && errno == EINPROGRESS) {
		struct pollfd p = {.fd = fd, .events = POLLOUT};
		int soerr = 0;
		socklen_t sl = sizeof(soerr);
		rc = poll(&p, 1, timeout_ms);
		if (rc == 0)
			errno = ETIMEDOUT;
		if (rc > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0)
			rc = 0;
		else {
			if (rc > 0)
				errno = soerr;
			rc = -1;
		}
	}
	fcntl(fd, F_SETFL, flags);
	return rc;
}

/* A WAIT keeps a connection idle for minutes, and its reply timeout must
 * be longer still; keepalive probes notice a dead link in the meantime
 * (after 30 s idle, 3 probes 10 s apart) and fail the call, which is then
 * made again over a new connection.  Best effort. */
#define KEEPALIVE_IDLE 30
#define KEEPALIVE_INTERVAL 10
#define KEEPALIVE_PROBES 3

static void keep_alive(int fd)
{
	int on = 1, idle = KEEPALIVE_IDLE, intvl = KEEPALIVE_INTERVAL, cnt = KEEPALIVE_PROBES;
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
}

static int open_socket(const char *host, const char *port, int timeout, int *fd_r,
		       struct sockaddr_storage *ss, socklen_t *ss_len, struct mailrpc_error *err)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
	struct addrinfo *ai = NULL, *a;
	int gai = getaddrinfo(host, port, &hints, &ai);
	if (gai != 0)
		return mr_fail(err, MAILRPC_E_CONNECT, "cannot resolve %s: %s", host, gai_strerror(gai));
	int saved = 0;
	for (a = ai; a != NULL; a = a->ai_next) {
		int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
		if (fd < 0)
			continue;
		if (connect_timeout(fd, a->ai_addr, a->ai_addrlen, timeout * 1000) == 0) {
			keep_alive(fd);
			memcpy(ss, a->ai_addr, a->ai_addrlen);
			*ss_len = a->ai_addrlen;
			*fd_r = fd;
			freeaddrinfo(ai);
			return MAILRPC_OK;
		}
		saved = errno;
		close(fd);
	}
	freeaddrinfo(ai);
	return mr_fail(err, MAILRPC_E_CONNECT, "cannot connect to %s port %s: %s", host, port,
		       strerror(saved));
}

static int context_establish_locked(struct mailrpc *conn, struct mailrpc_error *err)
{
	static const rpc_gss_service_t services[] = {
		[LEVEL_AUTH] = rpcsec_gss_svc_none,
		[LEVEL_INTEGRITY] = rpcsec_gss_svc_integrity,
		[LEVEL_PRIVACY] = rpcsec_gss_svc_privacy,
	};
	OM_uint32 minor;

	if (conn->auth != NULL) {
		auth_destroy(conn->auth);
		conn->auth = NULL;
		conn->clnt->cl_auth = authnone_create();
	}
	/* rpc_gss_seccreate ignores options_req->my_cred; selecting the cache
	 * for this thread's GSSAPI calls is the way that works. */
	if (conn->ccache[0] != '\0' &&
	    GSS_ERROR(gss_krb5_ccache_name(&minor, conn->ccache, NULL)))
		return mr_fail(err, MAILRPC_E_NOCREDS, "cannot use credential cache %s", conn->ccache);

	rpc_gss_options_req_t req;
	rpc_gss_options_ret_t ret;
	memset(&req, 0, sizeof(req));
	memset(&ret, 0, sizeof(ret));
	AUTH *auth = rpc_gss_seccreate(conn->clnt, conn->principal, "kerberos_v5",
				       services[conn->level], NULL, &req, &ret);
	if (auth == NULL) {
		/* The link went during the exchange (a proxy that accepted and
		 * then lost its way to the server, say): worth another attempt,
		 * unlike a refusal. */
		struct rpc_err e;
		clnt_geterr(conn->clnt, &e);
		if (e.re_status == RPC_CANTSEND || e.re_status == RPC_CANTRECV ||
		    e.re_status == RPC_TIMEDOUT)
			return mr_fail_rpc(err, conn, e.re_status);
		if (ret.major_status != 0 || ret.minor_status != 0)
			return mr_fail_gss(err, conn->principal, (unsigned)ret.major_status,
					   (unsigned)ret.minor_status);
		/* GSS was happy locally, so the server said no. */
		return mr_fail_rpc(err, conn, RPC_AUTHERROR);
	}
	auth_destroy(conn->clnt->cl_auth);
	conn->clnt->cl_auth = auth;
	conn->auth = auth;
	return MAILRPC_OK;
}

int mr_context_establish(struct mailrpc *conn, struct mailrpc_error *err)
{
	pthread_mutex_lock(&context_mu);
	int status = context_establish_locked(conn, err);
	pthread_mutex_unlock(&context_mu);
	return status;
}

/* TCP, RPC client and security context to conn->host:conn->port. */
static int open_link(struct mailrpc *conn, struct mailrpc_error *err)
{
	struct sockaddr_storage ss;
	socklen_t ss_len = 0;
	int fd = -1;
	/* A connection is set up in a few small round trips. */
	int timeout = mr_reply_timeout(conn, MR_LINK_SMALL_CALL);
	int status = open_socket(conn->host, conn->port, timeout, &fd, &ss, &ss_len, err);
	if (status != MAILRPC_OK)
		return status;
	struct netbuf raddr = {.maxlen = ss_len, .len = ss_len, .buf = &ss};
	/* Both buffers as large as the server's: a wrapped message must fit whole. */
	conn->clnt = clnt_vc_create(fd, &raddr, MAILRPC_PROG, MAILRPC_V2, MAILRPC_RECORD_BUFFER,
				    MAILRPC_RECORD_BUFFER);
	if (conn->clnt == NULL) {
		close(fd);
		return mr_fail(err, MAILRPC_E_RPC, "cannot set up RPC on the connection to %s",
			       conn->server);
	}
	clnt_control(conn->clnt, CLSET_FD_CLOSE, NULL);
	struct timeval tv = {.tv_sec = timeout};
	clnt_control(conn->clnt, CLSET_TIMEOUT, (char *)&tv);
	conn->last_timeout = timeout;
	double start = mr_now();
	status = mr_context_establish(conn, err);
	/* The context's exchange is at least one round trip: the first guess
	 * of the link's (only until calls measure it). */
	if (status == MAILRPC_OK && conn->link.calls == 0)
		mr_link_observe_rtt(&conn->link, mr_now() - start);
	return status;
}

/* Over a lost link, the context's DESTROY could only wait for an answer
 * or raise SIGPIPE: the socket is replaced by /dev/null, which swallows it
 * and answers with end-of-file at once. */
static void swap_for_null(int fd)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0 && dup3(null, fd, O_CLOEXEC) < 0)
		shutdown(fd, SHUT_RDWR);
	if (null >= 0)
		close(null);
}

void mr_drop_link(struct mailrpc *conn, int tell_server)
{
	if (conn->clnt == NULL)
		return;
	int fd = -1;
	if (!tell_server && clnt_control(conn->clnt, CLGET_FD, (char *)&fd) && fd >= 0)
		swap_for_null(fd);
	/* Destroying the RPCSEC_GSS handle sends DESTROY to the server. */
	if (conn->clnt->cl_auth != NULL)
		auth_destroy(conn->clnt->cl_auth);
	conn->clnt->cl_auth = NULL;
	conn->auth = NULL;
	clnt_destroy(conn->clnt);
	conn->clnt = NULL;
}

int mr_reconnect(struct mailrpc *conn, struct mailrpc_error *err)
{
	char mailbox[sizeof(conn->mailbox)];
	mr_drop_link(conn, 0);
	/* The calls made here are not themselves retried: mr_call_ex's
	 * backoff loop is the only one. */
	conn->reconnecting = 1;
	int status = open_link(conn, err);
	if (status == MAILRPC_OK && conn->mailbox[0] != '\0') {
		snprintf(mailbox, sizeof(mailbox), "%s", conn->mailbox);
		status = mailrpc_open_mailbox(conn, mailbox, err);
	}
	conn->reconnecting = 0;
	if (status != MAILRPC_OK)
		mr_drop_link(conn, 0);
	return status;
}

/* Reconnection settings from opts: attempts 0 means never. */
static void set_reconnect(struct mailrpc *conn, const struct mailrpc_options *opts)
{
	conn->attempts = opts->reconnect_attempts < 0   ? 0
			 : opts->reconnect_attempts == 0 ? RECONNECT_ATTEMPTS
							 : opts->reconnect_attempts;
	conn->delay_ms = opts->reconnect_delay_ms > 0 ? opts->reconnect_delay_ms : RECONNECT_DELAY_MS;
}

int mailrpc_connect(const struct mailrpc_options *opts, struct mailrpc **conn_r,
		    struct mailrpc_error *err)
{
	char host[256], port[16];
	int status;

	*conn_r = NULL;
	if (opts == NULL || opts->server == NULL ||
	    split_server(opts->server, host, sizeof(host), port, sizeof(port)) != 0)
		return mr_fail(err, MAILRPC_E_USAGE, "server must be given as HOST:PORT, not \"%s\"",
			       opts && opts->server ? opts->server : "");
	int level = opts->level ? opts->level : MAILRPC_LEVEL_PRIVACY;
	if (level < MAILRPC_LEVEL_AUTH || level > MAILRPC_LEVEL_PRIVACY)
		return mr_fail(err, MAILRPC_E_USAGE, "unknown protection level %d", level);

	struct mailrpc *conn = calloc(1, sizeof(*conn));
	if (conn == NULL)
		return mr_fail(err, MAILRPC_E_NOMEM, "out of memory");
	conn->level = level;
	conn->timeout = opts->timeout > 0 ? opts->timeout : 0;
	conn->debug = getenv("MAILRPC_DEBUG_LINK") != NULL;
	set_reconnect(conn, opts);
	if (opts->principal)
		snprintf(conn->principal, sizeof(conn->principal), "%s", opts->principal);
	else
		snprintf(conn->principal, sizeof(conn->principal), "mailrpc@%s", host);
	if (opts->ccache)
		snprintf(conn->ccache, sizeof(conn->ccache), "%s", opts->ccache);
	if (opts->state_dir)
		snprintf(conn->state_dir, sizeof(conn->state_dir), "%s", opts->state_dir);
	snprintf(conn->server, sizeof(conn->server), "%s", opts->server);
	snprintf(conn->host, sizeof(conn->host), "%s", host);
	snprintf(conn->port, sizeof(conn->port), "%s", port);

	status = open_link(conn, err);
	if (status == MAILRPC_OK && opts->mailbox && opts->mailbox[0])
		status = mailrpc_open_mailbox(conn, opts->mailbox, err);
	if (status != MAILRPC_OK)
		goto fail;
	*conn_r = conn;
	return MAILRPC_OK;
fail:
	mailrpc_close(&conn);
	return status;
}

void mailrpc_close(struct mailrpc **connp)
{
	struct mailrpc *conn = *connp;
	if (conn == NULL)
		return;
	*connp = NULL;
	mr_drop_link(conn, 1);
	free(conn);
}

const char *mailrpc_level_name(int level)
{
	return level_name(level);
}

int mailrpc_level_parse(const char *name)
{
	return level_parse(name);
}
