/*
 * service_int.h -- what the mail service's files share (see mail.h).
 */
#ifndef MAILRPC_SERVICE_INT_H
#define MAILRPC_SERVICE_INT_H

#include <krb5.h>

#include "identity.h"
#include "mail.h"

struct mail_service {
	const struct mail_config *cfg;
	store_t *store;	  /* opened on first use */
	krb5_context krb; /* for principal -> mailbox; made on first use */
};

struct mail_session {
	struct mail_service *svc;
	char principal[MAIL_PRINCIPAL_MAX + 1];
	char mailbox[MAIL_NAME_MAX + 1]; /* owned; "" when none */
	int mailbox_status;		 /* MAIL_OK or why none */
	int own_ready;			 /* own mailbox made and usable */
	char opened[MAIL_NAME_MAX + 1];	 /* mail_open; "" its own */
};

/* One operation's view of its session for the store: its guard (authz.c)
 * and its op id.  rights: the caller's rights where the guard last judged
 * (mail_myrights reads them). */
struct mail_call {
	struct mail_session *s;
	store_guard_t guard;
	store_call_t call;
	uint32_t rights;
};

/* The store of s's process, opened on first use (NULL if it cannot be:
 * logged on stderr by the store). */
store_t *mail_store(struct mail_session *s);
store_t *mail_service_store(struct mail_service *svc);

/* Every operation starts here (kadmind's setup): MAIL_OK when s may work
 * (mail_whoami), with c set up for an operation of s named by op (NULL or
 * all zero: none). */
int mail_begin(struct mail_call *c, struct mail_session *s, const unsigned char *op);
/* The same without the gate, for a question about what s may do that
 * must change nothing (the MTA's lookups: no mailbox made). */
void mail_call_init(struct mail_call *c, struct mail_session *s, const unsigned char *op);


/* A store status as the caller gets it (status.c): not_found and invalid
 * say what "not found" and "invalid" mean for this call (the folder, the
 * message, the upload; a name, an upload's bytes). */
int mail_status_of(int store_status, int not_found, int invalid);

/* ---- authz.c: the one place rights are decided ---- */
/* Whether s may work at all: its principal maps to a mailbox (made on its
 * first use), not disabled.  MAIL_OK, NOMAILBOX, FOREIGN or DISABLED. */
int authz_gate(struct mail_session *s);
/* The guard's decision (a store_guard_fn; ctx is a struct mail_call). */
int authz_decide(void *ctx, const store_touch_t *t);
/* Whether s owns mailbox (its own; "public" for --public-admin principals). */
int authz_owns(const struct mail_session *s, const char *mailbox);
/* The mailbox where s may do anything without being asked (its own), or NULL. */
const char *authz_owned(const struct mail_session *s);
/* A store status about the mailbox s works in, as s may learn it: to all
 * but its owner, a disabled mailbox is a missing one, and a missing one an
 * empty one where nothing is granted, whose root answers root_action
 * (0: the call named no root) as for a caller without rights. */
int authz_mailbox_status(const struct mail_session *s, int status, int root_action);

#endif
