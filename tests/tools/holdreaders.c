/*
 * holdreaders.c -- takes every free slot of a store's LMDB reader table
 * with read transactions and holds them until told, so a test can see
 * what the server and mailrpc-deliver do when the table is full.
 *
 *   holdreaders STORE_DIR READY_FILE GO_FILE
 * Writes the number of slots taken to READY_FILE once the table is full,
 * then waits (at most 60 s) for GO_FILE to exist and ends every
 * transaction.  Exit 0 when it filled the table.
 */
#include <stdio.h>
#include <unistd.h>

#include "store_int.h"

#define MOST 4096 /* more than any reader table this suite makes */

int main(int argc, char **argv)
{
	static MDB_txn *txn[MOST];
	store_t *st = NULL;
	int n = 0, status = STORE_OK;

	if (argc != 4) {
		fprintf(stderr, "usage: holdreaders STORE_DIR READY_FILE GO_FILE\n");
		return 2;
	}
	if (store_open(argv[1], NULL, &st) != STORE_OK)
		return 1;
	/* MDB_NOTLS: each read transaction has a slot of its own. */
	while (n < MOST && (status = st_read_begin(st, &txn[n])) == STORE_OK)
		n++;
	FILE *ready = status == STORE_BUSY ? fopen(argv[2], "w") : NULL;
	if (ready != NULL) {
		fprintf(ready, "%d\n", n);
		fclose(ready);
	}
	for (int i = 0; ready != NULL && i < 600 && access(argv[3], F_OK) != 0; i++)
		usleep(100000);
	while (n > 0)
		mdb_txn_abort(txn[--n]);
	store_close(&st);
	return ready != NULL ? 0 : 1;
}
