/*
 * internal.h -- what libmailrpc's files share and never export.
 */
#ifndef MAILRPC_INTERNAL_H
#define MAILRPC_INTERNAL_H

#include <openssl/evp.h>
#include <rpc/rpc.h>

#include "link.h"
#include "mailrpc.h"
#include "mailrpc_prot.h"

struct mailrpc {
	CLIENT *clnt;
	AUTH *auth;            /* RPCSEC_GSS context; NULL until established */
	int level;
	int timeout;           /* seconds per reply as configured; 0: adaptive */
	int last_timeout;      /* the one the last call waited, for messages */
	struct mr_link link;   /* measured speed, kept across reconnections */
	int debug;             /* $MAILRPC_DEBUG_LINK: a line per call on stderr */
	char principal[512];   /* service principal, SERVICE@HOST */
	char ccache[1024];     /* "" for the default cache */
	char server[300];      /* HOST:PORT as given */
	char host[256], port[16]; /* split from server, for reconnecting */
	int attempts;          /* reconnections per call at most; 0: never */
	int delay_ms;          /* before the first; doubled before each next */
	int reconnecting;      /* calls made while reconnecting are not retried */
	char state_dir[1024];  /* "" when uploads are not remembered */
	char mailbox[256];     /* opened with MAILBOX_OPEN; "" your own */
};

/* Sets err (if not NULL) and returns status. printf-style message. */
int mr_fail(struct mailrpc_error *err, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Refuses a folder path the wire cannot carry (over MAILRPC_PATH_MAX)
 * with the server's own "invalid folder name" wording (folders.c). */
int mr_check_path(const char *path, struct mailrpc_error *err);

/* Appends n wire summaries to list (summaries.c). */
int mr_append_summaries(struct mailrpc_msglist *list, const mr_summary *msgs, size_t n,
			struct mailrpc_error *err);

/* Frees a summary's strings and sets them to NULL, so clearing twice is
 * harmless (summaries.c). */
void mr_summary_clear(struct mailrpc_summary *s);

/* Writes all n bytes to fd, retrying after EINTR; -1 with errno (fetch.c). */
int mr_write_all(int fd, const void *p, size_t n);

/* Appends ": <context>" to err's message (for "no such folder: X"). */
void mr_annotate(struct mailrpc_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Builds a fresh security context on conn, replacing any old one. */
int mr_context_establish(struct mailrpc *conn, struct mailrpc_error *err);

/* The same for a connection in use: the server makes each context a
 * session of its own, which starts in the caller's own mailbox, so the
 * mailbox opened (MAILBOX_OPEN) is opened again (sharing.c). */
int mr_context_renew(struct mailrpc *conn, struct mailrpc_error *err);

/* Closes conn's link (TCP, RPC client, context), leaving conn->clnt NULL;
 * tell_server: destroy the context on the server first (a clean close). */
void mr_drop_link(struct mailrpc *conn, int tell_server);

/* A new link for conn: TCP, RPC client, context, and MAILBOX_OPEN again if
 * a mailbox was opened.  On failure conn has no link (conn->clnt NULL). */
int mr_reconnect(struct mailrpc *conn, struct mailrpc_error *err);

/*
 * Calls proc once; on a context the server no longer accepts, builds a
 * new context and calls once more.  When the link is lost (cannot send,
 * cannot receive, no reply in time) and the call is safe to repeat (it
 * reads, writes at an explicit offset, or carries an operation id),
 * reconnects with backoff and calls again, conn->attempts times at most.
 * A lost link is remade before the next call in any case.  A server
 * refusal in the result's leading mr_status becomes the returned status
 * too.  The caller frees the result with xdr_free(xres, res) whatever the
 * outcome.
 */
int mr_call(struct mailrpc *conn, rpcproc_t proc, xdrproc_t xargs, void *args, xdrproc_t xres,
	    void *res, struct mailrpc_error *err);

/* mr_call with extra seconds on top of the reply timeout (a WAIT is held
 * by the server up to its max_wait). */
int mr_call_ex(struct mailrpc *conn, rpcproc_t proc, xdrproc_t xargs, void *args, xdrproc_t xres,
	       void *res, int extra_seconds, struct mailrpc_error *err);

/* Seconds to wait for a reply to a call moving bytes over conn: the
 * configured timeout, or one adapted to the measured link (link.h). */
int mr_reply_timeout(const struct mailrpc *conn, size_t bytes);

/* Seconds on a monotonic clock. */
double mr_now(void);

/* Bytes per chunk for fetches and uploads over conn (link.h). */
size_t mr_chunk_size(const struct mailrpc *conn);

/* Error texts for GSS set-up failures and RPC call failures. */
int mr_fail_gss(struct mailrpc_error *err, const char *principal, unsigned major,
		unsigned minor);
int mr_fail_rpc(struct mailrpc_error *err, struct mailrpc *conn, enum clnt_stat stat);

/*
 * Where mailrpc_download puts a message (fetch.c): bytes arrive strictly in
 * order, are written to fd and hashed, so the file only ever holds a prefix
 * of the message and an interrupted download can be resumed.
 */
struct mr_sink {
	int fd;
	EVP_MD_CTX *md;            /* SHA-256 of everything written, resumed bytes too */
	uint64_t offset;           /* bytes of the message in fd so far */
	uint64_t size;             /* whole message, from the first chunk */
	unsigned char sha256[32];  /* server's digest, from the first chunk */
	mailrpc_progress_fn progress;
	void *ctx;
};

/* Refuses a chunk whose message size or digest differ from the first one's. */
int mr_sink_expect(const struct mr_sink *sink, uint64_t size, const unsigned char *sha256,
		   struct mailrpc_error *err);
/* Writes and hashes the next len bytes of the message, then reports progress. */
int mr_sink_write(struct mr_sink *sink, const void *buf, size_t len, struct mailrpc_error *err);

/*
 * Fetches the rest of message id, [sink->offset, sink->size), into sink over
 * conn and up to streams - 1 extra connections made like conn, chunks
 * fetched concurrently and written in order (fetch_parallel.c).  Extra
 * connections that fail only slow it down; it fails when no connection is
 * left or the server refuses the message.
 */
int mr_fetch_parallel(struct mailrpc *conn, uint64_t id, struct mr_sink *sink, int streams,
		      struct mailrpc_error *err);

#endif
