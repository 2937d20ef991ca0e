/*
 * store_count.c -- what a mailbox holds besides messages, counted from
 * the records themselves: its folders, ACL entries, op results and
 * unfinished uploads (with the bytes they announced).  Its record keeps
 * these counts (st_mbox_t) so limits cost nothing to apply; this file
 * gives the truth they are checked against (verify) and built from
 * (the upgrade of a schema 3 store, which had none).
 */
#include "store_int.h"

#include <string.h>

int st_prefix_each(MDB_txn *txn, MDB_dbi dbi, const unsigned char *prefix, size_t plen, int drop,
		   uint64_t *n_r)
{
	MDB_cursor *cur = NULL;
	MDB_val k = {plen, (void *)prefix}, v;
	int rc = mdb_cursor_open(txn, dbi, &cur);

	*n_r = 0;
	if (rc != 0)
		return st_err(rc, "cursor open");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size < plen || memcmp(k.mv_data, prefix, plen) != 0)
			break;
		if (drop && (rc = mdb_cursor_del(cur, 0)) != 0)
			break;
		(*n_r)++;
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND || rc == 0 ? STORE_OK : st_err(rc, "prefix range");
}

/* The uploads of mailbox mbid: every upload record is read (they are
 * keyed by upload id alone; a mailbox has few). */
static int count_uploads(store_t *st, MDB_txn *txn, uint64_t mbid, st_counts_t *c)
{
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	st_upload_t u;
	int rc = mdb_cursor_open(txn, st->db_upload, &cur);

	if (rc != 0)
		return st_err(rc, "upload cursor");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		/* One that does not decode is verify's to report. */
		if (st_upload_decode(&v, &u) != STORE_OK || u.mbid != mbid)
			continue;
		c->uploads++;
		c->upload_bytes += u.expected;
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? STORE_OK : st_err(rc, "upload count");
}

/* The op results of the mailbox of prefix that decode (verify reports
 * the others, and counts them against nothing). */
static int count_ops(store_t *st, MDB_txn *txn, const unsigned char prefix[8], uint64_t *n_r)
{
	MDB_cursor *cur = NULL;
	MDB_val k = {8, (void *)prefix}, v;
	int rc = mdb_cursor_open(txn, st->db_op, &cur);

	*n_r = 0;
	if (rc != 0)
		return st_err(rc, "op cursor");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size < 8 || memcmp(k.mv_data, prefix, 8) != 0)
			break;
		*n_r += k.mv_size == ST_OP_KEY_LEN && st_op_val_fits(v.mv_size);
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND || rc == 0 ? STORE_OK : st_err(rc, "op count");
}

int st_count(store_t *st, MDB_txn *txn, uint64_t mbid, st_counts_t *c)
{
	unsigned char prefix[8];
	uint64_t n;
	int status;

	memset(c, 0, sizeof(*c));
	st_put_u64(prefix, mbid);
	status = st_prefix_each(txn, st->db_fpath, prefix, 8, 0, &n);
	c->folders = n;
	if (status == STORE_OK)
		status = st_prefix_each(txn, st->db_acl, prefix, 8, 0, &n);
	c->acl_entries = n;
	if (status == STORE_OK)
		status = count_ops(st, txn, prefix, &n);
	c->ops = n;
	if (status == STORE_OK)
		status = count_uploads(st, txn, mbid, c);
	return status;
}

/* opage of schema 3 was keyed created | mbid | op, store-wide; schema 4
 * keys it mbid | created | op, each mailbox's results in age order. */
static int rekey_opage(store_t *st, MDB_txn *txn)
{
	unsigned char ab[ST_OPAGE_KEY_LEN];
	MDB_cursor *cur = NULL;
	MDB_val k, v, ak = {sizeof(ab), ab}, av = {0, NULL};
	int rc = mdb_drop(txn, st->db_opage, 0), status = STORE_OK;

	if (rc == 0)
		rc = mdb_cursor_open(txn, st->db_op, &cur);
	if (rc != 0)
		return st_err(rc, "opage rekey");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && status == STORE_OK;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != ST_OP_KEY_LEN || !st_op_val_fits(v.mv_size))
			continue; /* verify reports it */
		memcpy(ab, k.mv_data, 8);
		memcpy(ab + 8, v.mv_data, 8); /* created */
		memcpy(ab + 16, (const unsigned char *)k.mv_data + 8, STORE_OPID_LEN);
		status = st_err(mdb_put(txn, st->db_opage, &ak, &av, 0), "opage put");
	}
	mdb_cursor_close(cur);
	if (status == STORE_OK && rc != MDB_NOTFOUND)
		status = st_err(rc, "op walk");
	return status;
}

/* Gives a mailbox record the counts of what it holds (version 2). */
static int recount(store_t *st, MDB_txn *txn, const MDB_val *name)
{
	unsigned char rec[ST_MBOX_REC_LEN];
	MDB_val v, out = {sizeof(rec), rec};
	st_counts_t c;
	st_mbox_t mb;
	int status = st_err(mdb_get(txn, st->db_mailbox, (MDB_val *)name, &v), "mailbox get");

	if (status == STORE_OK && st_mbox_decode(&v, &mb) != STORE_OK) {
		st_corrupt("mailbox", name, "mailbox record of %zu bytes does not decode",
			   v.mv_size);
		return STORE_OK; /* left for verify: the upgrade goes on */
	}
	if (status == STORE_OK)
		status = st_count(st, txn, mb.mbid, &c);
	if (status != STORE_OK)
		return status;
	mb.upload_bytes = c.upload_bytes;
	mb.uploads = c.uploads;
	mb.folders = c.folders;
	mb.acl_entries = c.acl_entries;
	mb.ops = c.ops;
	st_mbox_encode(&mb, rec);
	return st_err(mdb_put(txn, st->db_mailbox, (MDB_val *)name, &out, 0), "mailbox put");
}

int st_count_upgrade(store_t *st, MDB_txn *txn, uint64_t *mailboxes_r)
{
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	char(*names)[STORE_NAME_MAX + 1] = NULL;
	size_t n = 0, cap = 0;
	int rc, status = rekey_opage(st, txn);

	*mailboxes_r = 0;
	if (status == STORE_OK)
		status = st_err(mdb_cursor_open(txn, st->db_mailbox, &cur), "mailbox cursor");
	/* Names first: the records are rewritten (longer) after the walk. */
	for (rc = status == STORE_OK ? mdb_cursor_get(cur, &k, &v, MDB_FIRST) : MDB_NOTFOUND;
	     rc == 0 && status == STORE_OK; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			void *grown = realloc(names, cap * sizeof(*names));
			if (grown == NULL) {
				status = STORE_INTERNAL;
				break;
			}
			names = grown;
		}
		size_t len = k.mv_size > STORE_NAME_MAX ? STORE_NAME_MAX : k.mv_size;
		memcpy(names[n], k.mv_data, len);
		names[n++][len] = '\0';
	}
	if (cur != NULL)
		mdb_cursor_close(cur);
	for (size_t i = 0; i < n && status == STORE_OK; i++) {
		MDB_val name = {strlen(names[i]), names[i]};
		status = recount(st, txn, &name);
	}
	free(names);
	*mailboxes_r = n;
	return status;
}
