/*
 * rpc_names.h -- the names of libtirpc's call and authentication statuses
 * ("RPC_AUTHERROR", "AUTH_TOOWEAK"), so the test tools print the exact
 * refusal and tests can match it whole.  Included by one tool each.
 */
#ifndef MAILRPC_RPC_NAMES_H
#define MAILRPC_RPC_NAMES_H

#include <rpc/rpc.h>

/* Designated initialisers keep each name next to its enum value. */
#define N(x) [x] = #x

static inline const char *clnt_stat_name(enum clnt_stat s)
{
	static const char *const names[] = {
	    N(RPC_SUCCESS),
	    N(RPC_CANTENCODEARGS),
	    N(RPC_CANTDECODERES),
	    N(RPC_CANTSEND),
	    N(RPC_CANTRECV),
	    N(RPC_TIMEDOUT),
	    N(RPC_VERSMISMATCH),
	    N(RPC_AUTHERROR),
	    N(RPC_PROGUNAVAIL),
	    N(RPC_PROGVERSMISMATCH),
	    N(RPC_PROCUNAVAIL),
	    N(RPC_CANTDECODEARGS),
	    N(RPC_SYSTEMERROR),
	    N(RPC_UNKNOWNHOST),
	    N(RPC_RPCBFAILURE),
	    N(RPC_PROGNOTREGISTERED),
	    N(RPC_FAILED),
	    N(RPC_UNKNOWNPROTO),
	    N(RPC_INTR),
	    N(RPC_UNKNOWNADDR),
	    N(RPC_TLIERROR),
	    N(RPC_NOBROADCAST),
	    N(RPC_N2AXLATEFAILURE),
	    N(RPC_UDERROR),
	    N(RPC_INPROGRESS),
	    N(RPC_STALERACHANDLE),
	    N(RPC_CANTCONNECT),
	    N(RPC_XPRTFAILED),
	    N(RPC_CANTCREATESTREAM),
	};
	unsigned i = (unsigned)s;

	return i < sizeof names / sizeof *names && names[i] ? names[i] : "RPC_UNKNOWN";
}

static inline const char *auth_stat_name(enum auth_stat s)
{
	static const char *const names[] = {
	    N(AUTH_OK),
	    N(AUTH_BADCRED),
	    N(AUTH_REJECTEDCRED),
	    N(AUTH_BADVERF),
	    N(AUTH_REJECTEDVERF),
	    N(AUTH_TOOWEAK),
	    N(AUTH_INVALIDRESP),
	    N(AUTH_FAILED),
	    N(AUTH_KERB_GENERIC),
	    N(AUTH_TIMEEXPIRE),
	    N(AUTH_TKT_FILE),
	    N(AUTH_DECODE),
	    N(AUTH_NET_ADDR),
	    N(RPCSEC_GSS_CREDPROBLEM),
	    N(RPCSEC_GSS_CTXPROBLEM),
	};
	unsigned i = (unsigned)s;

	return i < sizeof names / sizeof *names && names[i] ? names[i] : "AUTH_UNKNOWN";
}

#undef N

#endif
