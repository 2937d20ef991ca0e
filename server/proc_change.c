/*
 * proc_change.c -- MSG_MOVE, MSG_COPY, MSG_DELETE, MSG_FLAGS: changing
 * messages; and their _OP forms, which carry an operation id so that a
 * client may repeat them after a lost reply (see mr_opid).
 *
 * Rights are checked id by id first; the ids up to the first one refused
 * then change in one store transaction (store_change), which for an _OP
 * call also records the reply, so a change and its record are made
 * together or not at all.
 */
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "log.h"
#include "mailstore.h"
#include "procs.h"

static mr_status message_status(int st)
{
	return mailstore_status(st, MR_ERR_NOMESSAGE, MR_ERR_INVALID);
}

/* One call: what it changes and how far rights let it go. */
struct change_call {
	store_change_t ch;      /* ch.n: the ids allowed */
	size_t asked;           /* ids in the call */
	mr_status refused;      /* why ids[ch.n] is not allowed (MR_OK: all are) */
};

/* The reply of a batch call from the store's outcome. */
static mr_status batch_fill(const struct change_call *c, const store_change_outcome_t *out,
			    mr_batch_res *res)
{
	memset(res, 0, sizeof(*res));
	res->status = out->status != STORE_OK ? message_status(out->status) : c->refused;
	res->done = (u_int)out->done;
	if (c->ch.kind != STORE_OP_COPY)
		return MR_OK;
	res->new_ids.new_ids_val = calloc(out->done ? out->done : 1, sizeof(mr_id));
	if (res->new_ids.new_ids_val == NULL)
		return MR_ERR_INTERNAL;
	for (size_t i = 0; i < out->done; i++)
		res->new_ids.new_ids_val[i] = c->ch.new_ids[i];
	res->new_ids.new_ids_len = (u_int)out->done;
	return MR_OK;
}

/* The reply of a FLAGS call (all or nothing). */
static mr_status flags_fill(const struct change_call *c, const store_change_outcome_t *out,
			    mr_res *res)
{
	(void)c;
	res->status = message_status(out->status);
	return MR_OK;
}

static mr_status fill(const struct change_call *c, const store_change_outcome_t *out, void *res)
{
	return c->ch.kind == STORE_OP_FLAGS ? flags_fill(c, out, res) : batch_fill(c, out, res);
}

static xdrproc_t xres_of(int kind)
{
	return kind == STORE_OP_FLAGS ? (xdrproc_t)xdr_mr_res : (xdrproc_t)xdr_mr_batch_res;
}

/* store_reply_fn: the reply a repeat of the op will get, XDR-encoded. */
static void *encode_reply(const store_change_outcome_t *out, void *ctx, size_t *len_r)
{
	const struct change_call *c = ctx;
	xdrproc_t xres = xres_of(c->ch.kind);
	union {
		mr_batch_res batch;
		mr_res plain;
	} res;
	char *buf = NULL;
	XDR x;
	*len_r = 0;
	if (fill(c, out, &res) == MR_OK) {
		u_int len = (u_int)xdr_sizeof(xres, &res);
		buf = malloc(len ? len : 1);
		xdrmem_create(&x, buf, len, XDR_ENCODE);
		if (buf != NULL && xres(&x, &res))
			*len_r = len;
		else
			log_warn("op record of kind %d: cannot encode the reply", c->ch.kind);
		xdr_destroy(&x);
	}
	xdr_free(xres, (char *)&res);
	if (*len_r == 0) {
		free(buf);
		buf = NULL;
	}
	return buf;
}

/* Fills res from a recorded reply. */
static void replay_fill(int kind, const void *buf, size_t len, void *res)
{
	xdrproc_t xres = xres_of(kind);
	XDR x;
	xdrmem_create(&x, (char *)buf, (u_int)len, XDR_DECODE);
	if (!xres(&x, res)) {
		log_warn("store: op record of kind %d does not decode", kind);
		xdr_free(xres, res);
		*(mr_status *)res = MR_ERR_INTERNAL;
	}
	xdr_destroy(&x);
}

/* A repeated op id gets the recorded reply before anything is checked
 * again (the first call may have moved the messages out of reach). */
static int replayed(struct caller *caller, const unsigned char *op, int kind, void *res)
{
	void *buf = NULL;
	size_t len = 0;
	int st = op != NULL ? store_op_result_find(mailstore(), caller->mailbox, op, kind, &buf, &len)
			    : STORE_NOTFOUND;
	if (st == STORE_OK) {
		replay_fill(kind, buf, len, res);
		target_set(caller, "repeated op: result as first given");
	} else if (st != STORE_NOTFOUND) {
		*(mr_status *)res = mailstore_status(st, MR_ERR_INTERNAL, MR_ERR_INVALID);
	}
	free(buf);
	return st != STORE_NOTFOUND;
}

/* The ids the caller may change, up to the first refused; FLAGS all or none. */
static void allow(struct caller *caller, struct change_call *c, uint32_t need)
{
	size_t k = 0;
	c->refused = MR_OK;
	for (; k < c->asked && c->refused == MR_OK; k++)
		c->refused = authz_message(caller, c->ch.ids[k], need);
	c->ch.n = c->refused == MR_OK ? k : k - 1;
	if (c->ch.kind == STORE_OP_FLAGS && c->refused != MR_OK)
		c->ch.n = 0;
}

/* Checks rights, then changes what they allow (op: the call's op id,
 * already known not to be a repeat). */
static void run(struct caller *caller, const unsigned char *op, struct change_call *c,
		uint32_t need, void *res)
{
	store_change_outcome_t out;
	allow(caller, c, need);
	if (c->ch.n == 0) {
		/* Nothing to change: an empty batch, or the first id refused. */
		memset(&out, 0, sizeof(out));
		*(mr_status *)res = fill(c, &out, res) == MR_OK ? c->refused : MR_ERR_INTERNAL;
		return;
	}
	if (c->ch.kind == STORE_OP_COPY && (c->ch.new_ids = calloc(c->ch.n, sizeof(uint64_t))) == NULL) {
		*(mr_status *)res = MR_ERR_INTERNAL;
		return;
	}
	c->ch.name.owner = caller->mailbox;
	c->ch.name.op = op;
	int st = store_change(mailstore(), authz_mailbox(caller), &c->ch, encode_reply, c, &out);
	if (st != STORE_OK)
		*(mr_status *)res = message_status(st);
	else if (out.replayed) {
		replay_fill(c->ch.kind, out.reply, out.reply_len, res);
		target_set(caller, "repeated op: result as first given");
	} else if (fill(c, &out, res) != MR_OK)
		*(mr_status *)res = MR_ERR_INTERNAL;
	free(out.reply);
	free(c->ch.new_ids);
}

/* The destination is checked once (rights, then existence), so a per-id
 * "not found" means the id. */
static void move_or_copy(struct caller *caller, const unsigned char *op, int kind,
			 mr_move_args *args, mr_batch_res *res)
{
	target_set(caller, "in=%s ids=%u folder=\"%s\"", authz_mailbox(caller), args->ids.ids_len,
		   args->folder);
	if (replayed(caller, op, kind, res))
		return;
	res->status = authz_existing_folder(caller, args->folder, R_INSERT);
	if (res->status != MR_OK)
		return;
	struct change_call c = {.ch = {.kind = kind, .ids = args->ids.ids_val, .dest = args->folder},
				.asked = args->ids.ids_len};
	/* Moving out of a folder deletes from it. */
	run(caller, op, &c, kind == STORE_OP_MOVE ? R_READ | R_DELETE_MSG : R_READ, res);
}

static void delete(struct caller *caller, const unsigned char *op, mr_delete_args *args,
		   mr_batch_res *res)
{
	target_set(caller, "in=%s ids=%u%s", authz_mailbox(caller), args->ids.ids_len,
		   args->hard ? " hard" : "");
	if (replayed(caller, op, STORE_OP_DELETE, res))
		return;
	struct change_call c = {
		.ch = {.kind = STORE_OP_DELETE, .ids = args->ids.ids_val, .hard = args->hard},
		.asked = args->ids.ids_len};
	/* A permanent delete is an expunge as well. */
	run(caller, op, &c, R_DELETE_MSG | (args->hard ? R_EXPUNGE : 0), res);
}

static void flags(struct caller *caller, const unsigned char *op, mr_flags_args *args,
		  mr_res *res)
{
	unsigned changed = args->set | args->clear;
	target_set(caller, "in=%s ids=%u set=%u clear=%u", authz_mailbox(caller),
		   args->ids.ids_len, args->set, args->clear);
	if (replayed(caller, op, STORE_OP_FLAGS, res))
		return;
	if (args->ids.ids_len == 0 || (changed & ~(unsigned)STORE_FLAGS_ALL)) {
		res->status = MR_ERR_INVALID;
		return;
	}
	struct change_call c = {.ch = {.kind = STORE_OP_FLAGS, .ids = args->ids.ids_val,
				       .set = args->set, .clear = args->clear},
				.asked = args->ids.ids_len};
	run(caller, op, &c, authz_flag_rights(changed), res);
}

void proc_msg_move(struct caller *caller, void *args, void *res)
{
	move_or_copy(caller, NULL, STORE_OP_MOVE, args, res);
}

void proc_msg_copy(struct caller *caller, void *args, void *res)
{
	move_or_copy(caller, NULL, STORE_OP_COPY, args, res);
}

void proc_msg_delete(struct caller *caller, void *args, void *res)
{
	delete(caller, NULL, args, res);
}

void proc_msg_flags(struct caller *caller, void *args, void *res)
{
	flags(caller, NULL, args, res);
}

void proc_msg_move_op(struct caller *caller, void *args_, void *res)
{
	mr_move_op_args *args = args_;
	move_or_copy(caller, proc_op_of(args->op), STORE_OP_MOVE, &args->move, res);
}

void proc_msg_copy_op(struct caller *caller, void *args_, void *res)
{
	mr_move_op_args *args = args_;
	move_or_copy(caller, proc_op_of(args->op), STORE_OP_COPY, &args->move, res);
}

void proc_msg_delete_op(struct caller *caller, void *args_, void *res)
{
	mr_delete_op_args *args = args_;
	delete(caller, proc_op_of(args->op), &args->del, res);
}

void proc_msg_flags_op(struct caller *caller, void *args_, void *res)
{
	mr_flags_op_args *args = args_;
	flags(caller, proc_op_of(args->op), &args->flags, res);
}
