/*
 * internal.h -- what libmailrpc's files share and never export.
 */
#ifndef MAILRPC_INTERNAL_H
#define MAILRPC_INTERNAL_H

#include <rpc/rpc.h>

#include "mailrpc.h"
#include "mailrpc_prot.h"

struct mailrpc {
	CLIENT *clnt;
	AUTH *auth;            /* RPCSEC_GSS context; NULL until established */
	int level;
	int timeout;
	char principal[512];   /* service principal, SERVICE@HOST */
	char ccache[1024];     /* "" for the default cache */
	char server[300];      /* HOST:PORT as given */
	char state_dir[1024];  /* "" when uploads are not remembered */
};

/* Sets err (if not NULL) and returns status. printf-style message. */
int mr_fail(struct mailrpc_error *err, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Appends ": <context>" to err's message (for "no such folder: X"). */
void mr_annotate(struct mailrpc_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Builds a fresh security context on conn, replacing any old one. */
int mr_context_establish(struct mailrpc *conn, struct mailrpc_error *err);

/*
 * Calls proc once; on a context the server no longer accepts, builds a
 * new context and calls once more.  A server refusal in the result's
 * leading mr_status becomes the returned status too.  The caller frees
 * the result with xdr_free(xres, res) whatever the outcome.
 */
int mr_call(struct mailrpc *conn, rpcproc_t proc, xdrproc_t xargs, void *args, xdrproc_t xres,
	    void *res, struct mailrpc_error *err);

/* Error texts for GSS set-up failures and RPC call failures. */
int mr_fail_gss(struct mailrpc_error *err, const char *principal, unsigned major,
		unsigned minor);
int mr_fail_rpc(struct mailrpc_error *err, struct mailrpc *conn, enum clnt_stat stat);

#endif
