/*
 * proc_change.c -- MSG_MOVE, MSG_COPY, MSG_DELETE, MSG_FLAGS: changing
 * messages; and their _OP forms, which carry an operation id so that a
 * client may repeat them after a lost reply (see mr_opid).
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

/* The destination is checked once (rights, then existence), so a per-id
 * "not found" means the id. */
static mr_status check_dest(struct caller *caller, const char *folder)
{
	return authz_existing_folder(caller, folder, R_INSERT);
}

void proc_msg_move(struct caller *caller, void *args_, void *res_)
{
	mr_move_args *args = args_;
	mr_batch_res *res = res_;
	const char *mbox = authz_mailbox(caller);
	target_set(caller, "in=%s ids=%u folder=\"%s\"", mbox, args->ids.ids_len, args->folder);
	res->status = check_dest(caller, args->folder);
	for (u_int i = 0; res->status == MR_OK && i < args->ids.ids_len; i++) {
		/* Moving out of a folder deletes from it. */
		res->status = authz_message(caller, args->ids.ids_val[i], R_READ | R_DELETE_MSG);
		if (res->status == MR_OK)
			res->status = message_status(
				store_message_move(mailstore(), mbox, args->ids.ids_val[i], args->folder));
		if (res->status == MR_OK)
			res->done++;
	}
}

void proc_msg_copy(struct caller *caller, void *args_, void *res_)
{
	mr_move_args *args = args_;
	mr_batch_res *res = res_;
	const char *mbox = authz_mailbox(caller);
	target_set(caller, "in=%s ids=%u folder=\"%s\"", mbox, args->ids.ids_len, args->folder);
	res->status = check_dest(caller, args->folder);
	if (res->status != MR_OK)
		return;
	res->new_ids.new_ids_val = calloc(args->ids.ids_len ? args->ids.ids_len : 1, sizeof(mr_id));
	if (res->new_ids.new_ids_val == NULL) {
		res->status = MR_ERR_INTERNAL;
		return;
	}
	for (u_int i = 0; res->status == MR_OK && i < args->ids.ids_len; i++) {
		uint64_t new_id = 0;
		res->status = authz_message(caller, args->ids.ids_val[i], R_READ);
		if (res->status == MR_OK)
			res->status = message_status(store_message_copy(
				mailstore(), mbox, args->ids.ids_val[i], args->folder, &new_id));
		if (res->status == MR_OK)
			res->new_ids.new_ids_val[res->done++] = new_id;
	}
	res->new_ids.new_ids_len = res->done;
}

void proc_msg_delete(struct caller *caller, void *args_, void *res_)
{
	mr_delete_args *args = args_;
	mr_batch_res *res = res_;
	const char *mbox = authz_mailbox(caller);
	/* A permanent delete is an expunge as well. */
	uint32_t need = R_DELETE_MSG | (args->hard ? R_EXPUNGE : 0);
	target_set(caller, "in=%s ids=%u%s", mbox, args->ids.ids_len, args->hard ? " hard" : "");
	res->status = MR_OK;
	for (u_int i = 0; res->status == MR_OK && i < args->ids.ids_len; i++) {
		res->status = authz_message(caller, args->ids.ids_val[i], need);
		if (res->status == MR_OK)
			res->status = message_status(
				store_message_delete(mailstore(), mbox, args->ids.ids_val[i], args->hard));
		if (res->status == MR_OK)
			res->done++;
	}
}

void proc_msg_flags(struct caller *caller, void *args_, void *res_)
{
	mr_flags_args *args = args_;
	mr_res *res = res_;
	unsigned changed = args->set | args->clear;
	target_set(caller, "in=%s ids=%u set=%u clear=%u", authz_mailbox(caller),
		   args->ids.ids_len, args->set, args->clear);
	if (args->ids.ids_len == 0 || (changed & ~(unsigned)STORE_FLAGS_ALL)) {
		res->status = MR_ERR_INVALID;
		return;
	}
	uint32_t need = authz_flag_rights(changed);
	res->status = MR_OK;
	for (u_int i = 0; res->status == MR_OK && i < args->ids.ids_len; i++)
		res->status = authz_message(caller, args->ids.ids_val[i], need);
	if (res->status == MR_OK)
		res->status = message_status(store_message_set_flags(mailstore(), authz_mailbox(caller),
								      args->ids.ids_val, args->ids.ids_len,
								      args->set, args->clear));
}

/* How a change named by an op id is done, and how its result is kept. */
struct op_change {
	int kind;                          /* enum store_op_kind */
	proc_handler handler;              /* the change itself */
	xdrproc_t xres;                    /* its result, kept encoded */
	int (*changed)(const void *res);   /* whether the result must be kept */
};

/* A batch that got part-way changed something: repeating it must not. */
static int batch_changed(const void *res)
{
	const mr_batch_res *r = res;
	return r->status == MR_OK || r->done > 0;
}

/* FLAGS is all or nothing: a failure changed nothing. */
static int flags_changed(const void *res)
{
	return ((const mr_res *)res)->status == MR_OK;
}

/* Fills res from op's record: STORE_OK, NOTFOUND (not done yet) or another
 * store status. */
static int op_replay(struct caller *caller, const unsigned char *op, const struct op_change *c,
		     void *res)
{
	void *buf = NULL;
	size_t len = 0;
	int st = store_op_result_find(mailstore(), caller->mailbox, op, c->kind, &buf, &len);
	if (st != STORE_OK)
		return st;
	XDR x;
	xdrmem_create(&x, buf, (u_int)len, XDR_DECODE);
	if (!c->xres(&x, res)) {
		log_warn("store: op record of kind %d does not decode", c->kind);
		xdr_free(c->xres, res);
		*(mr_status *)res = MR_ERR_INTERNAL;
	}
	xdr_destroy(&x);
	free(buf);
	return STORE_OK;
}

/* Keeps res under op.  A failure only loses the guarantee: the change is
 * made and its reply still goes out. */
static void op_remember(struct caller *caller, const unsigned char *op, const struct op_change *c,
			void *res)
{
	u_int len = (u_int)xdr_sizeof(c->xres, res);
	char *buf = malloc(len ? len : 1);
	XDR x;
	if (buf == NULL) {
		log_warn("op record: out of memory");
		return;
	}
	xdrmem_create(&x, buf, len, XDR_ENCODE);
	if (!c->xres(&x, res) ||
	    store_op_result_record(mailstore(), caller->mailbox, op, c->kind, buf, len) != STORE_OK)
		log_warn("op record of kind %d not kept: a repeat would redo the change", c->kind);
	xdr_destroy(&x);
	free(buf);
}

/* A repeated op id gets the recorded result; a new one is done and kept. */
static void op_run(struct caller *caller, const char *op_, const struct op_change *c,
		   void *args, void *res)
{
	const unsigned char *op = proc_op_of(op_);
	int st = op != NULL ? op_replay(caller, op, c, res) : STORE_NOTFOUND;
	if (st == STORE_OK) {
		target_set(caller, "repeated op: result as first given");
		return;
	}
	if (st != STORE_NOTFOUND) {
		*(mr_status *)res = mailstore_status(st, MR_ERR_INTERNAL, MR_ERR_INVALID);
		return;
	}
	c->handler(caller, args, res);
	if (op != NULL && c->changed(res))
		op_remember(caller, op, c, res);
}

void proc_msg_move_op(struct caller *caller, void *args_, void *res)
{
	static const struct op_change c = {STORE_OP_MOVE, proc_msg_move,
					   (xdrproc_t)xdr_mr_batch_res, batch_changed};
	mr_move_op_args *args = args_;
	op_run(caller, args->op, &c, &args->move, res);
}

void proc_msg_copy_op(struct caller *caller, void *args_, void *res)
{
	static const struct op_change c = {STORE_OP_COPY, proc_msg_copy,
					   (xdrproc_t)xdr_mr_batch_res, batch_changed};
	mr_move_op_args *args = args_;
	op_run(caller, args->op, &c, &args->move, res);
}

void proc_msg_delete_op(struct caller *caller, void *args_, void *res)
{
	static const struct op_change c = {STORE_OP_DELETE, proc_msg_delete,
					   (xdrproc_t)xdr_mr_batch_res, batch_changed};
	mr_delete_op_args *args = args_;
	op_run(caller, args->op, &c, &args->del, res);
}

void proc_msg_flags_op(struct caller *caller, void *args_, void *res)
{
	static const struct op_change c = {STORE_OP_FLAGS, proc_msg_flags, (xdrproc_t)xdr_mr_res,
					   flags_changed};
	mr_flags_op_args *args = args_;
	op_run(caller, args->op, &c, &args->flags, res);
}
