/*
 * link.c -- a link up and down, the wait before remaking one, and one
 * exchange over it (see link.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

double mr_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void mr_link_init(struct mr_link *l, const struct mr_link_params *p, mr_link_ready_fn ready,
		  void *owner)
{
	memset(l, 0, sizeof(*l));
	l->p = *p;
	l->seal_seen = p->seal_required;
	l->debug = getenv("MAILRPC_DEBUG_LINK") != NULL;
	l->ready = ready;
	l->owner = owner;
}

int mr_link_reply_timeout(const struct mr_link *l, size_t bytes)
{
	return l->p.timeout > 0 ? l->p.timeout
				: mr_model_timeout(&l->model, bytes, MR_LINK_TIMEOUT_FLOOR);
}

/* libtirpc ignores the timeout passed to clnt_call once CLSET_TIMEOUT
 * was used, so each call sets its own. */
static void set_timeout(struct mr_link *l, int seconds)
{
	struct timeval tv = {.tv_sec = seconds};
	l->last_timeout = seconds;
	clnt_control(l->clnt, CLSET_TIMEOUT, (char *)&tv);
}

/* The owner's steps on a new context (of a new link, or renewed on this
 * one: the server makes each context a session of its own, which starts
 * afresh).  A context renewed while they run (their own call met a
 * forgotten context) needs no second run: their call is sent again on it.
 * If they fail, the link goes, so no call is ever sent on a context
 * without them. */
static int run_ready(struct mr_link *l, struct mailrpc_error *err)
{
	if (l->ready == NULL || l->in_ready)
		return MAILRPC_OK;
	l->in_ready = 1;
	int status = l->ready(l, l->owner, err);
	l->in_ready = 0;
	if (status != MAILRPC_OK)
		mr_link_drop(l, 0);
	return status;
}

/* A new security context on the link, and the owner's steps on it. */
static int renew_context(struct mr_link *l, struct mailrpc_error *err)
{
	int status = mr_link_context(l, err);
	return status == MAILRPC_OK ? run_ready(l, err) : status;
}

/* TCP, RPC client and security context to p.host:p.port, then the
 * owner's steps. */
static int open_link(struct mr_link *l, struct mailrpc_error *err)
{
	struct sockaddr_storage ss;
	socklen_t ss_len = 0;
	int fd = -1;
	/* A connection is set up in a few small round trips. */
	int timeout = mr_link_reply_timeout(l, MR_LINK_SMALL_CALL);
	char port[sizeof(l->p.port)];
	snprintf(port, sizeof(port), "%s", l->p.port);
	/* Asked again on each connection: a restarted server has a new port. */
	if (port[0] == '\0' && mr_link_rpcbind_port(l->p.host, l->p.prog, l->p.vers, port,
						    sizeof(port), err) != MAILRPC_OK)
		return err->status;
	int status = mr_link_socket(l->p.host, port, timeout, &fd, &ss, &ss_len, err);
	if (status != MAILRPC_OK)
		return status;
	struct netbuf raddr = {.maxlen = ss_len, .len = ss_len, .buf = &ss};
	/* Both buffers as large as the server's: a wrapped message must fit whole. */
	l->clnt = clnt_vc_create(fd, &raddr, l->p.prog, l->p.vers, MAILRPC_RECORD_BUFFER,
				 MAILRPC_RECORD_BUFFER);
	if (l->clnt == NULL) {
		close(fd);
		return mr_fail(err, MAILRPC_E_RPC, "cannot set up RPC on the connection to %s",
			       l->p.server);
	}
	clnt_control(l->clnt, CLSET_FD_CLOSE, NULL);
	set_timeout(l, timeout);
	double start = mr_now();
	status = mr_link_context(l, err);
	/* The context's exchange is at least one round trip: the first guess
	 * of the link's (only until calls measure it).  With SEAL_BEGIN it is
	 * two, and SEAL_BEGIN alone is the closer guess. */
	double took = l->session.seal_seconds > 0 ? l->session.seal_seconds : mr_now() - start;
	if (status == MAILRPC_OK && l->model.calls == 0)
		mr_model_observe_rtt(&l->model, took);
	return status == MAILRPC_OK ? run_ready(l, err) : status;
}

int mr_link_up(struct mr_link *l, struct mailrpc_error *err)
{
	if (l->clnt == NULL) {
		int status = open_link(l, err);
		if (status != MAILRPC_OK)
			mr_link_drop(l, 0);
		return status;
	}
	/* A context lost earlier (say, to an expired ticket) is rebuilt first:
	 * the user may have run kinit since. */
	if (l->auth == NULL)
		return renew_context(l, err);
	return MAILRPC_OK;
}

static int context_trouble(CLIENT *clnt)
{
	struct rpc_err e;
	clnt_geterr(clnt, &e);
	return e.re_why == RPCSEC_GSS_CTXPROBLEM || e.re_why == RPCSEC_GSS_CREDPROBLEM ||
	       e.re_why == AUTH_REJECTEDCRED;
}

enum clnt_stat mr_link_send(struct mr_link *l, struct mr_exchange *x)
{
	/* Unused by clnt_call (see set_timeout), but it must be valid. */
	struct timeval tv = {.tv_sec = 1};
	x->link = l;
	set_timeout(l, x->timeout);
	l->session.seal_result = SEAL_OK;
	double start = mr_now();
	enum clnt_stat stat = clnt_call(l->clnt, x->proc, (xdrproc_t)mr_link_encode_args, x,
					(xdrproc_t)mr_link_decode_res, x, tv);
	x->seconds = mr_now() - start;
	return stat;
}

/* A sealed reply that did not open: its context ends here (the server's
 * ends with the DESTROY this sends), nothing of the reply is used, and
 * the next call builds a new context. */
static int seal_broken(struct mr_link *l, rpcproc_t proc, struct mailrpc_error *err)
{
	int why = l->session.seal_result;
	auth_destroy(l->auth);
	l->auth = NULL;
	l->clnt->cl_auth = authnone_create();
	mr_link_session_end(l);
	char buf[32];
	return mr_fail(err, MAILRPC_E_INTEGRITY,
		       "the server's reply to %s failed its integrity check (%s); nothing of it "
		       "was used, and the connection's security context was ended",
		       mr_operation(proc, buf, sizeof(buf)), seal_result_text(why));
}

int mr_link_exchange(struct mr_link *l, struct mr_exchange *x, enum clnt_stat *stat_r,
		     struct mailrpc_error *err)
{
	/* Keys near their limits are replaced (with their context) first. */
	if (mr_link_seal_spent(l)) {
		int status = renew_context(l, err);
		if (status != MAILRPC_OK)
			return status;
	}
	*stat_r = mr_link_send(l, x);
	if (*stat_r == RPC_CANTDECODERES && l->session.seal_result != SEAL_OK)
		return seal_broken(l, x->proc, err);
	if (*stat_r == RPC_AUTHERROR && context_trouble(l->clnt)) {
		/* Expired or forgotten context (or a sealed call the server
		 * could not open: it ended the context): one new context, one
		 * more try. */
		int status = renew_context(l, err);
		if (status != MAILRPC_OK)
			return status;
		xdr_free(x->xres, x->res);
		*stat_r = mr_link_send(l, x);
		if (*stat_r == RPC_CANTDECODERES && l->session.seal_result != SEAL_OK)
			return seal_broken(l, x->proc, err);
	}
	return MAILRPC_OK;
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

void mr_link_drop(struct mr_link *l, int tell_server)
{
	if (l->clnt == NULL)
		return;
	int fd = -1;
	if (!tell_server && clnt_control(l->clnt, CLGET_FD, (char *)&fd) && fd >= 0)
		swap_for_null(fd);
	/* Destroying the RPCSEC_GSS handle sends DESTROY to the server. */
	if (l->clnt->cl_auth != NULL)
		auth_destroy(l->clnt->cl_auth);
	l->clnt->cl_auth = NULL;
	l->auth = NULL;
	mr_link_session_end(l);
	clnt_destroy(l->clnt);
	l->clnt = NULL;
}

void mr_link_backoff(const struct mr_link *l, int n)
{
	unsigned char b[4] = {0};
	double r = 0.5;
	if (RAND_bytes(b, sizeof(b)) == 1)
		r = ((uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]) /
		    4294967296.0;
	long ms = mr_model_backoff_ms(l->p.delay_ms, n, r);
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}
