/*
 * link.h -- libmailrpc's link layer: one connection to mailrpcd, that is a
 * TCP socket (with keepalive), the ONC RPC client handle on it and one
 * RPCSEC_GSS context, with reply timeouts from its measured speed
 * (link_model.h), and remade after a loss with backoff.
 *
 * It knows no procedure.  call.c decides which calls may be repeated, how
 * long each may take and what its result means; the link's owner says
 * through its ready hook what has to happen on every new link, and every
 * new context on one, before any other call (reopening a mailbox).  The
 * hook may use only calls that never reconnect (mr_link_exchange, or
 * call.c's mr_call_once over it), so remaking a link never re-enters the
 * retry loop that asked for it.
 *
 * Files: link.c (up, down, backoff, one exchange), link_socket.c (TCP),
 * link_context.c (RPCSEC_GSS context), link_body.c (arguments out,
 * results in: the one place a call's body is encoded and decoded).
 */
#ifndef MAILRPC_LINK_H
#define MAILRPC_LINK_H

#include <gssapi/gssapi.h>
#include <rpc/rpc.h>
#include <stdint.h>
#include <sys/socket.h>

#include "link_model.h"
#include "mailrpc.h"
#include "seal.h"

/* How to make a link: everything a second link like it needs (a parallel
 * download's extra connections are made from a copy). */
struct mr_link_params {
	char server[300];	  /* HOST:PORT as given, for messages and state */
	char host[256], port[16]; /* split from server; port "": ask rpcbind */
	char principal[512];	  /* service principal, SERVICE@HOST */
	char ccache[1024];	  /* "" for the default cache */
	rpcprog_t prog;
	rpcvers_t vers;
	int level;	   /* enum mailrpc_level */
	int timeout;	   /* seconds per reply as configured; 0: adaptive */
	int attempts;	   /* reconnections per call at most; 0: never */
	int delay_ms;	   /* before the first; doubled before each next */
	int seal_required; /* a link like one that was offered sealed calls */
};

struct mr_seal;

/*
 * What the link knows of its current security context's calls.  It begins
 * with each new context and ends, wiped, when that context or the link
 * goes, so anything secret kept here (the keys of sealed calls) is never
 * used on another context, connection or after a reconnect.
 */
struct mr_link_session {
	uint32_t calls;	      /* calls sent on this context */
	struct seal_ids ids;  /* the last call's header: transaction id,
				 RPCSEC_GSS sequence number..., read back
				 from it as encoded (link_body.c) */
	struct mr_seal *seal; /* the context's calls are sealed (link_seal.c) */
	double seal_seconds;  /* SEAL_BEGIN's exchange: one round trip */
	int seal_result;      /* why the last call's body would not seal or open */
};

struct mr_link;

/* Steps the owner needs on every new link and every context renewed on
 * one, before anything else; on failure the link is dropped and the
 * status returned. */
typedef int (*mr_link_ready_fn)(struct mr_link *link, void *owner, struct mailrpc_error *err);

struct mr_link {
	struct mr_link_params p;
	struct mr_link_model model; /* measured speed, kept across reconnections */
	int debug;		    /* $MAILRPC_DEBUG_LINK: a line per call on stderr */
	int last_timeout;	    /* seconds the last call waited, for messages */
	CLIENT *clnt;		    /* NULL: no link */
	AUTH *auth;		    /* NULL: no context (yet, or lost) */
	struct mr_link_session session;
	/* The server offered sealed calls on this link once: from then on
	 * every context of it must be sealed, on this connection and the
	 * ones that replace it (no silent downgrade). */
	int seal_seen;
	mr_link_ready_fn ready;
	void *owner;
	int in_ready; /* the ready hook is running */
};

/*
 * One call as the link sends it.  Its arguments are encoded and its
 * results decoded through link_body.c, with the link (and so its session)
 * at hand: where a sealed call will seal its arguments and open its results.
 */
struct mr_exchange {
	struct mr_link *link;
	rpcproc_t proc;
	xdrproc_t xargs;
	void *args;
	xdrproc_t xres;
	void *res;
	int timeout;	/* seconds to wait for the reply */
	double seconds; /* set: how long the call that answered took */
};

/* A link that is not up yet: params copied, ready hook set (may be NULL). */
void mr_link_init(struct mr_link *l, const struct mr_link_params *p, mr_link_ready_fn ready,
		  void *owner);

/*
 * Makes the link usable: with no link, a new one (TCP, RPC client,
 * context, then the ready hook); with a link whose context was lost (an
 * expired ticket, say), a new context and the hook, since the user may
 * have run kinit.
 * On a failure to make a new link, there is no link afterwards.
 */
int mr_link_up(struct mr_link *l, struct mailrpc_error *err);

/*
 * Sends one call over a link that is up and waits x->timeout seconds for
 * its reply; a context the server no longer accepts is replaced once (and
 * the ready hook run on it) and the call sent once more, as is a sealed
 * context whose keys are near their limits before the call.  Never
 * reconnects.  *stat_r is the RPC outcome (on RPC_SUCCESS x->seconds is
 * set); a status other than MAILRPC_OK means the new context (or the
 * hook's steps on it) failed, or a sealed reply did not open
 * (MAILRPC_E_INTEGRITY: the context is ended, the result must not be used).
 */
int mr_link_exchange(struct mr_link *l, struct mr_exchange *x, enum clnt_stat *stat_r,
		     struct mailrpc_error *err);

/* One clnt_call of x over the link, waiting x->timeout seconds; nothing
 * renewed, nothing repeated (x->seconds set). */
enum clnt_stat mr_link_send(struct mr_link *l, struct mr_exchange *x);

/* Closes the link: context, RPC client, TCP.  tell_server: destroy the
 * context on the server first (a clean close); else the socket is
 * treated as dead.  Harmless without a link. */
void mr_link_drop(struct mr_link *l, int tell_server);

/* Sleeps before reconnection attempt n (0 is the first): doubling from
 * p.delay_ms, capped and jittered (link_model.h). */
void mr_link_backoff(const struct mr_link *l, int n);

/* Seconds to wait for a reply to a call moving bytes: the configured
 * timeout, or one adapted to the measured link. */
int mr_link_reply_timeout(const struct mr_link *l, size_t bytes);

/* Seconds on a monotonic clock. */
double mr_now(void);

/* ---- inside the link layer ------------------------------------------- */

/* The port rpcbind on host has for prog/vers over TCP, as a decimal
 * string, for a server given without one (link_rpcbind.c). */
int mr_link_rpcbind_port(const char *host, rpcprog_t prog, rpcvers_t vers, char *port,
			 size_t port_len, struct mailrpc_error *err);

/* TCP to host:port within timeout seconds, keepalive on (link_socket.c). */
int mr_link_socket(const char *host, const char *port, int timeout, int *fd_r,
		   struct sockaddr_storage *ss, socklen_t *ss_len, struct mailrpc_error *err);

/* A new security context on l's RPC client, replacing any old one, with a
 * new session (link_context.c). */
int mr_link_context(struct mr_link *l, struct mailrpc_error *err);

/* Ends l's session: its state wiped (link_context.c). */
void mr_link_session_end(struct mr_link *l);

/* ---- sealed calls (link_seal.c, seal_auth.c; docs/sealing.md) --------- */

/* On a new privacy context: SEAL_BEGIN, then the context's calls sealed
 * with keys derived from it.  A server without sealing (PROC_UNAVAIL)
 * leaves the context at plain privacy, unless this link saw sealing
 * before (MAILRPC_E_INTEGRITY then).  Other levels are never sealed. */
int mr_link_seal(struct mr_link *l, struct mailrpc_error *err);

/* Wipes and frees a session's sealing state. */
void mr_link_seal_end(struct mr_link_session *s);

/* A call's arguments sealed into xdrs, a reply's results opened from it
 * (seal.h's results). */
int mr_seal_put(struct mr_seal *seal, const struct seal_ids *ids, XDR *xdrs, xdrproc_t f,
		void *obj);
int mr_seal_get(struct mr_seal *seal, const struct seal_ids *ids, XDR *xdrs, xdrproc_t f,
		void *obj);

/* Whether the next call should go on new keys (a new context) first:
 * either direction's key within one largest body of its limits. */
int mr_link_seal_spent(const struct mr_link *l);

/* The largest fetch reply the link's calls may ask for. */
unsigned mr_link_max_chunk(const struct mr_link *l);

/* An RPCSEC_GSS authenticator for the context of *auth, taken over from
 * libtirpc (authgss_get_private_data) once SEAL_BEGIN is answered: its
 * calls claim service none, carry the next sequence number after seq and
 * the header's checksum as libtirpc's would; their bodies are left to the
 * link (link_body.c).  Replaces *auth (destroyed) on success. */
int mr_seal_auth_take(AUTH **auth, CLIENT *clnt, uint32_t seq, gss_ctx_id_t *ctx_r);

/* The XDR routines clnt_call is given for x's arguments and results
 * (link_body.c); their object is x. */
bool_t mr_link_encode_args(XDR *xdrs, struct mr_exchange *x);
bool_t mr_link_decode_res(XDR *xdrs, struct mr_exchange *x);

#endif
