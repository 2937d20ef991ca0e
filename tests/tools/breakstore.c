/*
 * breakstore.c -- deliberately breaks a store, so tests can see
 * `mailrpc-admin verify` report it and every reader get STORE_CORRUPT
 * instead of dying.
 *
 *   breakstore STORE_DIR count MAILBOX FOLDER   a folder's message count + 1
 *                                               (records decode, counts lie)
 *   breakstore STORE_DIR message MAILBOX ID     message ID's record cut to 12
 *                                               bytes (does not decode)
 *   breakstore STORE_DIR folder MAILBOX FOLDER  the folder's record claims a
 *                                               longer path than it holds
 *   breakstore STORE_DIR op MAILBOX             an op record of 5 bytes
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

struct target {
	const char *kind, *mbox, *arg;
};

static int bump_total(store_t *st, MDB_txn *txn, const st_mbox_t *mb, const char *folder)
{
	st_folder_t f;
	int status = st_folder_by_path(st, txn, mb->mbid, folder, &f);
	if (status == STORE_OK) {
		f.total++;
		status = st_folder_save(st, txn, mb->mbid, &f);
	}
	return status;
}

static int put(MDB_txn *txn, MDB_dbi db, const void *key, size_t klen, const void *val,
	       size_t vlen)
{
	MDB_val k = {klen, (void *)key}, v = {vlen, (void *)val};
	return st_err(mdb_put(txn, db, &k, &v, 0), "breakstore put");
}

static int cut_message(store_t *st, MDB_txn *txn, const st_mbox_t *mb, const char *id)
{
	unsigned char kb[16], junk[12] = {0, 1, 'c', 'u', 't'};
	st_key2(kb, mb->mbid, strtoull(id, NULL, 10));
	return put(txn, st->db_msg, kb, sizeof(kb), junk, sizeof(junk));
}

static int long_path(store_t *st, MDB_txn *txn, const st_mbox_t *mb, const char *folder)
{
	unsigned char kb[16], vb[ST_FOLDER_REC_MAX];
	st_folder_t f;
	int status = st_folder_by_path(st, txn, mb->mbid, folder, &f);
	if (status != STORE_OK)
		return status;
	size_t n = st_folder_encode(&f, vb);
	st_put_u16(vb + 40, (uint16_t)(f.pathlen + 7));
	return put(txn, st->db_folder, kb, st_key2(kb, mb->mbid, f.id), vb, n);
}

static int short_op(store_t *st, MDB_txn *txn, const st_mbox_t *mb)
{
	unsigned char kb[8 + STORE_OPID_LEN];
	st_put_u64(kb, mb->mbid);
	memset(kb + 8, 0x42, STORE_OPID_LEN);
	return put(txn, st->db_op, kb, sizeof(kb), "short", 5);
}

static int breakit(store_t *st, MDB_txn *txn, void *ctx)
{
	struct target *t = ctx;
	st_mbox_t mb;
	int status = st_mbox_load(st, txn, t->mbox, 1, &mb);
	if (status != STORE_OK)
		return status;
	if (strcmp(t->kind, "count") == 0 && t->arg)
		return bump_total(st, txn, &mb, t->arg);
	if (strcmp(t->kind, "message") == 0 && t->arg)
		return cut_message(st, txn, &mb, t->arg);
	if (strcmp(t->kind, "folder") == 0 && t->arg)
		return long_path(st, txn, &mb, t->arg);
	if (strcmp(t->kind, "op") == 0)
		return short_op(st, txn, &mb);
	return STORE_INVALID;
}

int main(int argc, char **argv)
{
	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: breakstore STORE_DIR count|message|folder|op MAILBOX [ARG]\n");
		return 2;
	}
	struct target t = {argv[2], argv[3], argc == 5 ? argv[4] : NULL};
	store_t *st = NULL;
	int rc = store_open(argv[1], NULL, &st);
	if (rc == STORE_OK)
		rc = st_write(st, breakit, &t);
	store_close(&st);
	if (rc != STORE_OK)
		fprintf(stderr, "breakstore: %s\n", store_strerror(rc));
	return rc == STORE_OK ? 0 : 1;
}
