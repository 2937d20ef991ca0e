/*
 * dispatch.h -- the one entry point for every mailrpc call.  In order:
 * RPCSEC_GSS only, the context's level (never the call's claim) at or
 * above --min-level, the Kerberos lifetime not passed, arguments decoded
 * within their IDL bounds; then the handler (which asks the mail service),
 * the reply, one log line.
 */
#ifndef MAILRPCD_DISPATCH_H
#define MAILRPCD_DISPATCH_H

#include <rpc/rpc.h>

void dispatch(struct svc_req *rq, SVCXPRT *xprt);

#endif
