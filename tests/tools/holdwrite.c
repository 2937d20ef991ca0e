/*
 * holdwrite.c -- changes one ACL entry inside a store write transaction
 * and holds that transaction (and so LMDB's writer lock) open until told,
 * so a test can put a change of rights between a server's reads and its
 * write: whatever the server checked before, its write transaction begins
 * only after this one commits.
 *
 *   holdwrite STORE_DIR MAILBOX FOLDER PRINCIPAL RIGHTS READY_FILE GO_FILE
 * RIGHTS are RFC 4314 letters ("" or "-": remove the entry).  Creates
 * READY_FILE once the transaction holds the change, then waits (at most
 * 60 s) for GO_FILE to exist and commits.  Exit 0 when committed.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store_int.h"

struct hold {
	const char *mbox, *folder, *principal, *ready, *go;
	uint32_t rights;
};

static int hold_txn(store_t *st, MDB_txn *txn, void *ctx)
{
	struct hold *h = ctx;
	st_mbox_t mb;
	st_folder_t f;
	int status = st_mbox_load(st, txn, h->mbox, 1, &mb);
	if (status == STORE_OK)
		status = st_folder_by_path(st, txn, mb.mbid, h->folder, &f);
	if (status == STORE_OK)
		status = st_acl_put(st, txn, NULL, h->mbox, &mb, f.id, h->principal, h->rights);
	FILE *ready = status == STORE_OK ? fopen(h->ready, "w") : NULL;
	if (ready == NULL)
		return status == STORE_OK ? STORE_INTERNAL : status;
	fclose(ready);
	/* Bounded: 600 waits of 0.1 s. */
	for (int i = 0; i < 600 && access(h->go, F_OK) != 0; i++) {
		struct timespec ts = {0, 100000000};
		nanosleep(&ts, NULL);
	}
	return STORE_OK;
}

int main(int argc, char **argv)
{
	if (argc != 8) {
		fprintf(stderr,
			"usage: holdwrite STORE_DIR MAILBOX FOLDER PRINCIPAL RIGHTS READY GO\n");
		return 2;
	}
	struct hold h = {argv[2], argv[3], argv[4], argv[6], argv[7], 0};
	const char *letters = strcmp(argv[5], "-") == 0 ? "" : argv[5];
	store_t *st = NULL;
	int rc = store_rights_parse(letters, &h.rights);
	if (rc == STORE_OK)
		rc = store_open(argv[1], NULL, &st);
	if (rc == STORE_OK)
		rc = st_write(st, hold_txn, &h);
	store_close(&st);
	if (rc != STORE_OK)
		fprintf(stderr, "holdwrite: %s\n", store_strerror(rc));
	return rc == STORE_OK ? 0 : 1;
}
