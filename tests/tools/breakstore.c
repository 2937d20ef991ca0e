/*
 * breakstore.c -- deliberately breaks one store invariant (a folder's
 * message count), so tests can see `mailrpc-admin verify` catch it.
 *
 *   breakstore STORE_DIR MAILBOX FOLDER
 */
#include <stdio.h>

#include "store_int.h"

struct target {
	const char *mbox, *folder;
};

static int bump_total(store_t *st, MDB_txn *txn, void *ctx)
{
	struct target *t = ctx;
	st_mbox_t mb;
	st_folder_t f;
	int status = st_mbox_load(st, txn, t->mbox, 1, &mb);
	if (status == STORE_OK)
		status = st_folder_by_path(st, txn, mb.mbid, t->folder, &f);
	if (status == STORE_OK) {
		f.total++;
		status = st_folder_save(st, txn, mb.mbid, &f);
	}
	return status;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: breakstore STORE_DIR MAILBOX FOLDER\n");
		return 2;
	}
	struct target t = {argv[2], argv[3]};
	store_t *st = NULL;
	int rc = store_open(argv[1], NULL, &st);
	if (rc == STORE_OK)
		rc = st_write(st, bump_total, &t);
	store_close(&st);
	if (rc != STORE_OK)
		fprintf(stderr, "breakstore: %s\n", store_strerror(rc));
	return rc == STORE_OK ? 0 : 1;
}
