/*
 * levelclaim.c -- a dishonest client: builds an RPCSEC_GSS context at one
 * level, then sends WHOAMI claiming another (rpc_gss_set_defaults changes
 * only what the calls claim).  The server must judge the context's level
 * and keep it locked, so the call is refused.
 *
 *   levelclaim HOST PORT CONTEXT_LEVEL CLAIMED_LEVEL [PAD_BYTES]
 * Levels: none|integrity|privacy.  PAD_BYTES appends that many bytes of
 * arguments WHOAMI does not take, to probe the server's record limit.
 * CONTEXT_LEVEL+seal (e.g. privacy+seal) first sends SEAL_BEGIN at the
 * context's own level, as libmailrpc does, and prints its outcome as
 * "seal: accepted" or "seal: rejected: ..."; the WHOAMI that follows is
 * then a plain (unsealed) call on what may now be a sealed context.
 * Prints "accepted" or "rejected: RPC_<STATUS>[ AUTH_<WHY>]" (as rawrpc
 * does); exit 0 when a reply came.
 * Program, version and procedure come from idl/mailrpc.x (mailrpc_prot.h).
 */
#include <netdb.h>
#include <rpc/rpc.h>
#include <rpc/rpcsec_gss.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mailrpc_prot.h"
#include "rpc_names.h"

#define PROG MAILRPC_PROG
#define WHOAMI MR_WHOAMI

static rpc_gss_service_t level(const char *name)
{
	if (strncmp(name, "none", 4) == 0)
		return rpcsec_gss_svc_none;
	if (strncmp(name, "integrity", 9) == 0)
		return rpcsec_gss_svc_integrity;
	return rpcsec_gss_svc_privacy;
}

/* Skips whatever the reply holds: only its acceptance matters here. */
static bool_t skip_reply(XDR *xdrs, void *p)
{
	(void)xdrs;
	(void)p;
	return TRUE;
}

static u_int pad_len;

/* A call's outcome in the words of the usage above. */
static void print_outcome(CLIENT *clnt, enum clnt_stat stat, const char *prefix)
{
	if (stat == RPC_SUCCESS) {
		printf("%saccepted\n", prefix);
		return;
	}
	struct rpc_err e;
	clnt_geterr(clnt, &e);
	if (stat == RPC_AUTHERROR)
		printf("%srejected: %s %s\n", prefix, clnt_stat_name(stat), auth_stat_name(e.re_why));
	else
		printf("%srejected: %s\n", prefix, clnt_stat_name(stat));
}

/* SEAL_BEGIN with a fresh-looking value (its keys are never used here). */
static void seal_begin(CLIENT *clnt)
{
	mr_seal_args args = {.suite = MR_SEAL_AES256_GCM};
	memset(args.client_random, 0x5a, sizeof(args.client_random));
	struct timeval tv = {.tv_sec = 10};
	enum clnt_stat stat = clnt_call(clnt, MR_SEAL_BEGIN, (xdrproc_t)xdr_mr_seal_args,
					(char *)&args, (xdrproc_t)skip_reply, NULL, tv);
	print_outcome(clnt, stat, "seal: ");
}

static bool_t encode_pad(XDR *xdrs, void *p)
{
	(void)p;
	static char chunk[4096];
	for (u_int done = 0; done < pad_len; done += sizeof(chunk)) {
		u_int n = pad_len - done < sizeof(chunk) ? pad_len - done : sizeof(chunk);
		if (!xdr_opaque(xdrs, chunk, n))
			return FALSE;
	}
	return TRUE;
}

int main(int argc, char **argv)
{
	if (argc != 5 && argc != 6) {
		fprintf(stderr, "usage: levelclaim HOST PORT CONTEXT_LEVEL CLAIMED_LEVEL [PAD_BYTES]\n");
		return 2;
	}
	pad_len = argc == 6 ? (u_int)strtoul(argv[5], NULL, 10) & ~3u : 0;
	struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *ai;
	if (getaddrinfo(argv[1], argv[2], &hints, &ai) != 0)
		return 2;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		perror("levelclaim: connect");
		return 2;
	}
	struct netbuf raddr = {.maxlen = ai->ai_addrlen, .len = ai->ai_addrlen, .buf = ai->ai_addr};
	CLIENT *clnt = clnt_vc_create(fd, &raddr, PROG, MAILRPC_V2, MAILRPC_RECORD_BUFFER,
				      MAILRPC_RECORD_BUFFER);
	if (clnt == NULL)
		return 2;
	rpc_gss_options_ret_t ret;
	memset(&ret, 0, sizeof(ret));
	int seal_first = strstr(argv[3], "+seal") != NULL;
	AUTH *auth = rpc_gss_seccreate(clnt, "mailrpc@localhost", "kerberos_v5", level(argv[3]),
				       NULL, NULL, &ret);
	if (auth == NULL) {
		fprintf(stderr, "levelclaim: context set-up failed (major %d minor %d)\n",
			ret.major_status, ret.minor_status);
		return 2;
	}
	clnt->cl_auth = auth;
	if (seal_first)
		seal_begin(clnt);
	rpc_gss_set_defaults(auth, level(argv[4]), NULL);
	struct timeval tv = {.tv_sec = 10};
	enum clnt_stat stat = clnt_call(clnt, WHOAMI, (xdrproc_t)encode_pad, NULL,
					(xdrproc_t)skip_reply, NULL, tv);
	print_outcome(clnt, stat, "");
	auth_destroy(auth);
	clnt->cl_auth = NULL;
	clnt_destroy(clnt);
	close(fd);
	freeaddrinfo(ai);
	return 0;
}
