/*
 * internal.h -- what libmailrpc's files share and never export.
 *
 * Layers, each calling only those below it (never back up):
 *
 *   mailrpc.h's functions   folders.c, fetch.c, put.c, sharing.c, ... and
 *     |                     the offline cache (cache_*.c)
 *     |   connect.c         a connection: options, its link, its mailbox
 *     v                     (sharing.c's ready hook), close
 *   call.c                  a call's meaning: repeat or not, timeouts,
 *     |                     result status; the retry loop with backoff
 *     v
 *   link.c                  the link (link.h): up, down, backoff, one
 *     |                     exchange; link_socket.c, link_context.c,
 *     v                     link_body.c below it
 *   link_model.c, errors.c, state_dir.c     pure estimates; error texts;
 *                                           the client state directory
 *
 * A new link, or a new context on one, asks its owner for the steps it
 * needs (reopening a mailbox) through a hook (mr_link_ready_fn); the hook
 * uses mr_call_once, which never reconnects, so making a link never
 * re-enters mr_call.
 */
#ifndef MAILRPC_INTERNAL_H
#define MAILRPC_INTERNAL_H

#include <openssl/evp.h>
#include <rpc/rpc.h>

#include "link.h"
#include "mailrpc.h"
#include "mailrpc_prot.h"

struct mailrpc {
	struct mr_link link;   /* the connection to the server (link.h) */
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

/* Bytes per chunk for uploads over conn (link_model.h)... */
size_t mr_chunk_size(const struct mailrpc *conn);
/* ...and for fetches: more on a sealed link (mr_link_max_chunk).  Buffers
 * for fetched chunks take MAILRPC_SEALED_CHUNK_MAX, the most any reply
 * carries. */
size_t mr_fetch_chunk_size(const struct mailrpc *conn);

/* mr_call without its retries: one exchange over conn's link, which must
 * be up, and the result's status.  Never reconnects: for a link's ready
 * hook. */
int mr_call_once(struct mailrpc *conn, rpcproc_t proc, xdrproc_t xargs, void *args, xdrproc_t xres,
		 void *res, struct mailrpc_error *err);

/* Error texts for GSS set-up failures and RPC call failures (errors.c).
 * proc names the operation a refusal of an older server is about
 * (NULLPROC: setting up the context). */
int mr_fail_gss(struct mailrpc_error *err, const char *principal, unsigned major,
		unsigned minor);
/* A status the server answered proc with, in words (status_text), naming
 * the limit of the server's policy a refusal is about. */
int mr_fail_status(struct mailrpc_error *err, rpcproc_t proc, int status);
int mr_fail_rpc(struct mailrpc_error *err, const struct mr_link *l, rpcproc_t proc,
		enum clnt_stat stat);
/* Whether stat is a refusal that means the server is older than this
 * client (no such procedure, version or program). */
int mr_rpc_too_old(enum clnt_stat stat);

/* The operation a call is, as the IDL names it (buf: room for a number). */
const char *mr_operation(rpcproc_t proc, char *buf, size_t len);

/* ---- connections (connect.c) ------------------------------------------ */

/* Link parameters from a user's options: HOST:PORT split, level checked,
 * defaults filled in, this library's program and version. */
int mr_link_params_from(const struct mailrpc_options *opts, struct mr_link_params *p,
			struct mailrpc_error *err);

/* The one way a connection is made: a link from p, the state directory
 * (NULL: none) checked, then mailbox opened (NULL or "": your own). */
int mr_connect(const struct mr_link_params *p, const char *state_dir, const char *mailbox,
	       struct mailrpc **conn_r, struct mailrpc_error *err);

/* A connection made like model: same server, credentials, level,
 * timeouts, state directory and mailbox, and what model measured of the
 * link. */
int mr_connect_like(const struct mailrpc *model, struct mailrpc **conn_r,
		    struct mailrpc_error *err);

/* The ready hook of every connection's link (sharing.c): a mailbox opened
 * before is opened again first on a new link or context (the server makes
 * each context a session of its own, which starts in the caller's own
 * mailbox).  owner is the connection. */
int mr_mailbox_ready(struct mr_link *link, void *owner, struct mailrpc_error *err);

/* ---- the client state directory (state_dir.c) -------------------------- */

/* MAILRPC_OK if dir is a directory of this user's that group and others
 * cannot write to; else MAILRPC_E_IO naming it and the fix. */
int mr_state_dir_check(const char *dir, struct mailrpc_error *err);

/* Opens path, a file in a checked state directory, without following a
 * symbolic link (flags: O_RDONLY, or O_RDWR | O_CREAT to make it 0600 if
 * missing); it must be a regular file of this user's with one name.
 * MAILRPC_E_NOTFOUND when it is missing and not created, MAILRPC_E_IO
 * otherwise. */
int mr_state_open(const char *path, int flags, int *fd_r, struct mailrpc_error *err);

/* Puts len bytes at path as a new file (0600) written under a fresh
 * name and renamed over it, so whatever was at path, a symbolic link
 * included, is replaced, never written through. */
int mr_state_replace(const char *path, const void *data, size_t len, struct mailrpc_error *err);

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
 * conn and up to streams - 1 extra connections made like conn, in chunks
 * of chunk bytes fetched concurrently and written in order
 * (fetch_parallel.c).  Extra
 * connections that fail only slow it down; it fails when no connection is
 * left or the server refuses the message.
 */
int mr_fetch_parallel(struct mailrpc *conn, uint64_t id, struct mr_sink *sink, int streams,
		      size_t chunk, struct mailrpc_error *err);

#endif
