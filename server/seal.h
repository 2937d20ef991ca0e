/*
 * seal.h -- sealed calls in mailrpcd (issue 14; docs/sealing.md): the
 * dispatcher's rules for every call on a context (seal_admit), a sealed
 * call's body opened and its reply sealed (seal_call_*), the end of a
 * context whose sealed call failed, and SEAL_BEGIN (proc_seal_begin, in
 * procs.h).  The framing itself is common/seal.h's, the same as the
 * client's.
 *
 * libtirpc protects a call's body by the service its context was made
 * with, whatever the call claims; a sealed call claims service none on a
 * privacy context.  So for a sealed call the dispatcher puts its own
 * wrap and unwrap on the transport's authenticator (public: svc_auth.h)
 * around decoding the arguments and sending the reply, and puts
 * libtirpc's back afterwards.  The key for each direction, the counters
 * and a scratch buffer live in the context's session (session.h).
 */
#ifndef MAILRPCD_SEAL_H
#define MAILRPCD_SEAL_H

#include <rpc/rpc.h>

#include "../common/seal.h"
#include "procs.h"
#include "session.h"

struct seal_state {
	struct seal_keys keys;
	unsigned char *scratch; /* SEAL_SCRATCH_LEN: one body at a time */
};

/* Wipes and frees *st (NULL is fine) and sets it to NULL. */
void seal_state_free(struct seal_state **st);

enum seal_admission { SEAL_ADMIT_PLAIN, SEAL_ADMIT_SEALED, SEAL_ADMIT_REFUSED };

/*
 * Holds a call of an authenticated caller to its context, as libtirpc's
 * lock would and more: an unsealed context's calls must claim the level
 * it was made with and its quality of protection; a sealed context's must
 * claim service none (and are then sealed); SEAL_BEGIN needs a privacy
 * context; a sealed context whose keys are at their limits ends.  On
 * SEAL_ADMIT_REFUSED the refusal has been sent and logged.
 */
int seal_admit(struct svc_req *rq, SVCXPRT *xprt, const struct caller *caller, const char *name);

/* One sealed call: libtirpc's authenticator ops are set aside while it is
 * decoded and answered. */
struct seal_call {
	SVCXPRT *xprt;
	SVCAUTH saved;
	struct seal_state *st;
	struct seal_ids ids;
	int result; /* SEAL_OK, or why the body would not open or seal */
};

void seal_call_begin(struct seal_call *c, struct svc_req *rq, SVCXPRT *xprt, struct seal_state *st);
void seal_call_end(struct seal_call *c);

/* A sealed call whose body did not open (after seal_call_end): logged
 * with principal and peer, the context ended -- libtirpc's state and the
 * session's keys -- and RPCSEC_GSS_CTXPROBLEM sent, so the client builds
 * a new context for its next call. */
void seal_refuse(struct seal_call *c, const struct caller *caller, const char *name);

#endif
