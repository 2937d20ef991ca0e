/*
 * proc_op.c -- the answer to a repeated operation id (see mr_opid) for
 * calls whose record is their success: it comes before the call is
 * checked again, since the first call may have changed what is checked
 * (the folder it created exists, the one it renamed is gone).
 */
#include "mailstore.h"
#include "procs.h"

int proc_op_repeated(struct caller *caller, const unsigned char *op, int kind, uint64_t *id_r,
		     mr_status *status_r)
{
	uint64_t id = 0;
	int st = op != NULL ? store_op_find(mailstore(), caller->mailbox, op, kind, &id)
			    : STORE_NOTFOUND;
	if (id_r != NULL)
		*id_r = id;
	if (st == STORE_NOTFOUND)
		return 0;
	/* INVALID: the id named another kind of call. */
	*status_r = mailstore_status(st, MR_ERR_INTERNAL, MR_ERR_INVALID);
	if (st == STORE_OK)
		target_set(caller, "repeated op: result as first given");
	return 1;
}
