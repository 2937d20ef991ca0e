/*
 * authz.c -- the one place mailrpc decides who may do what.
 *
 * The store names each action as it is about to take it (store_action)
 * and the folder or message it is about to touch, inside the transaction
 * that does it; authz_decide answers from the action table below (kadmind
 * style: a named operation -> the RFC 4314 rights it needs), reading the
 * caller's and "anyone"'s ACL entries of that folder in that transaction,
 * one direct lookup each.
 *
 * Rules: a mailbox's owner, and --public-admin principals on the public
 * mailbox, hold every right.  Anyone else holds the union of the rights
 * granted to their principal and to "anyone" on that folder.  A folder
 * the caller may not see (without its "see" rights: "l" for most actions,
 * any right for POST and RIGHTS) is answered as missing when the caller
 * named it, and as not permitted when a recursive or batch operation
 * reaches it; seen but without a needed right, not permitted.  The root
 * has no "l" of its own: its rights only ever grant actions.  A session
 * works at all only if its principal maps to a mailbox that is not
 * disabled (the gate).
 */
#include <string.h>

#include "service_int.h"

#define R_LOOKUP (1u << 0)	  /* l */
#define R_READ (1u << 1)	  /* r */
#define R_SEEN (1u << 2)	  /* s */
#define R_WRITE (1u << 3)	  /* w */
#define R_INSERT (1u << 4)	  /* i */
#define R_POST (1u << 5)	  /* p */
#define R_CREATE (1u << 6)	  /* k */
#define R_DELETE_FOLDER (1u << 7) /* x */
#define R_DELETE_MSG (1u << 8)	  /* t */
#define R_EXPUNGE (1u << 9)	  /* e */
#define R_ADMIN (1u << 10)	  /* a */
#define SEE_ANY_RIGHT 0xffffffffu

_Static_assert(STORE_RIGHTS_ALL == (R_ADMIN << 1) - 1, "rights bits follow STORE_RIGHTS_LETTERS");

struct rule {
	uint32_t need;	/* rights the action needs */
	uint32_t see;	/* rights that make its folder known (SEE_ANY_RIGHT: any) */
	int owner_only; /* a store status for everyone else (0: rights decide) */
};

static const struct rule rules[] = {
    [STORE_ACT_LOOKUP] = {R_LOOKUP, R_LOOKUP, 0},
    [STORE_ACT_READ] = {R_READ, R_LOOKUP, 0},
    /* Answers about the whole mailbox (matches, change numbers) would
     * hint at folders a delegate cannot read. */
    [STORE_ACT_SCOPE] = {0, 0, STORE_INVALID},
    [STORE_ACT_CREATE] = {R_CREATE, R_LOOKUP, 0},
    [STORE_ACT_RENAME] = {R_DELETE_FOLDER, R_LOOKUP, 0},
    [STORE_ACT_DELETE] = {R_DELETE_FOLDER, R_LOOKUP, 0},
    [STORE_ACT_TAKEN] = {R_LOOKUP, R_LOOKUP, 0},
    [STORE_ACT_CHILD] = {R_LOOKUP, R_LOOKUP, 0},
    [STORE_ACT_MSG_READ] = {R_READ, R_LOOKUP, 0},
    [STORE_ACT_MSG_INSERT] = {R_INSERT, R_LOOKUP, 0},
    /* Moving out of a folder deletes from it. */
    [STORE_ACT_MSG_MOVE_OUT] = {R_READ | R_DELETE_MSG, R_LOOKUP, 0},
    [STORE_ACT_MSG_DELETE] = {R_DELETE_MSG, R_LOOKUP, 0},
    /* For good: an expunge as well (RFC 4314 "e"). */
    [STORE_ACT_MSG_EXPUNGE] = {R_DELETE_MSG | R_EXPUNGE, R_LOOKUP, 0},
    [STORE_ACT_MSG_FLAGS] = {0, R_LOOKUP, 0},
    [STORE_ACT_ACL] = {R_ADMIN, R_LOOKUP, 0},
    [STORE_ACT_RIGHTS] = {0, SEE_ANY_RIGHT, 0},
    /* Send on behalf: "p" on the Outbox alone, as the README promises;
     * without any right there the mailbox is as good as unknown. */
    [STORE_ACT_POST] = {R_POST, SEE_ANY_RIGHT, 0},
    /* Uploads live in their owner's mailbox and serve only its owner. */
    [STORE_ACT_UPLOAD] = {0, 0, STORE_NOTFOUND},
};

/* RFC 4314: "s" keeps the seen flag, "t" the deleted flag, "w" the rest. */
static uint32_t flag_rights(uint32_t flags)
{
	return ((flags & STORE_FLAG_SEEN) ? R_SEEN : 0) |
	       ((flags & STORE_FLAG_DELETED) ? R_DELETE_MSG : 0) |
	       ((flags & ~(STORE_FLAG_SEEN | STORE_FLAG_DELETED)) ? R_WRITE : 0);
}

static int is_public_admin(const struct mail_session *s)
{
	const struct mail_config *cfg = s->svc->cfg;
	for (int i = 0; i < cfg->n_public_admins; i++)
		if (strcmp(cfg->public_admins[i], s->principal) == 0)
			return 1;
	return 0;
}

int authz_gate(struct mail_session *s)
{
	if (s->mailbox_status != MAIL_OK || s->own_ready)
		return s->mailbox_status;
	store_t *st = mail_store(s);
	if (st == NULL)
		return MAIL_ERR_INTERNAL;
	/* The owner's first call makes the mailbox; a disabled one is refused. */
	int status = mail_status_of(store_mailbox_ensure(st, s->mailbox), MAIL_ERR_NOMAILBOX,
				    MAIL_ERR_NOMAILBOX);
	s->own_ready = status == MAIL_OK;
	return status;
}

const char *authz_owned(const struct mail_session *s)
{
	return s->mailbox_status == MAIL_OK ? s->mailbox : NULL;
}

int authz_owns(const struct mail_session *s, const char *mailbox)
{
	if (strcmp(mailbox, MAIL_PUBLIC_MAILBOX) == 0)
		return is_public_admin(s);
	return s->mailbox_status == MAIL_OK && strcmp(mailbox, s->mailbox) == 0;
}

/* What rights and need say about an action of rule on a folder (root:
 * the mailbox root; named: the caller named it). */
static int judge(const struct rule *rule, uint32_t need, uint32_t rights, int root, int named)
{
	if (rule->owner_only)
		return rule->owner_only;
	int seen =
	    root || (rule->see == SEE_ANY_RIGHT ? rights != 0 : (rights & rule->see) == rule->see);
	if (!seen)
		return named ? STORE_NOTFOUND : STORE_FORBIDDEN;
	return (rights & need) == need ? STORE_OK : STORE_FORBIDDEN;
}

/* Rights action needs on t's folder, besides its rule's. */
static uint32_t extra_need(const struct mail_session *s, const store_touch_t *t)
{
	switch (t->action) {
	case STORE_ACT_MSG_INSERT:
	case STORE_ACT_MSG_FLAGS:
		return flag_rights(t->flags);
	case STORE_ACT_CREATE:
		/* Top-level public folders are for its administrators. */
		return t->folder_id == 0 && strcmp(t->mailbox, MAIL_PUBLIC_MAILBOX) == 0 ? R_ADMIN
											 : 0;
	default:
		(void)s;
		return 0;
	}
}

int authz_decide(void *ctx, const store_touch_t *t)
{
	struct mail_call *c = ctx;
	const struct mail_session *s = c->s;
	uint32_t rights = 0, anyone = 0;
	if (t->action <= 0 || (size_t)t->action >= sizeof(rules) / sizeof(rules[0]))
		return STORE_INTERNAL;
	if (authz_owns(s, t->mailbox)) {
		c->rights = STORE_RIGHTS_ALL;
		return STORE_OK;
	}
	int status = store_touch_rights(t, s->principal, &rights);
	if (status == STORE_OK)
		status = store_touch_rights(t, STORE_ANYONE, &anyone);
	if (status != STORE_OK)
		return status;
	c->rights = rights | anyone;
	const struct rule *rule = &rules[t->action];
	/* The rule of a public-root create replaces "k" by "a". */
	uint32_t need = extra_need(s, t) & R_ADMIN ? R_ADMIN : rule->need | extra_need(s, t);
	return judge(rule, need, c->rights, t->folder_id == 0, t->named);
}

int authz_mailbox_status(const struct mail_session *s, int status, int root_action)
{
	const char *mailbox = mail_session_target(s);
	if (authz_owns(s, mailbox) || (status != STORE_NOTFOUND && status != STORE_DISABLED))
		return status;
	if (root_action == 0)
		return STORE_NOTFOUND;
	const struct rule *rule = &rules[root_action];
	store_touch_t root = {.action = root_action, .named = 1, .mailbox = mailbox, .path = ""};
	int answer = judge(rule, rule->need | extra_need(s, &root), 0, 1, 1);
	/* Nothing there to do it to: a permitted action finds nothing. */
	return answer == STORE_OK ? STORE_NOTFOUND : answer;
}
