/*
 * store_admin.c -- whole-mailbox administration: list the mailboxes,
 * create one without well-known folders (public folders), delete one with
 * everything it holds.
 */
#include "store_int.h"

#include <string.h>

int store_mailbox_list(store_t *st, store_mailbox_names_t **names_r)
{
	MDB_txn *txn = NULL;
	size_t cap = 0;
	store_mailbox_names_t *n = calloc(1, sizeof(*n));
	int status = n ? st_read_begin(st, &txn) : STORE_INTERNAL;

	*names_r = NULL;
	if (status == STORE_OK)
		status = st_mbox_names(st, txn, n, &cap);
	if (txn != NULL)
		mdb_txn_abort(txn);
	if (status == STORE_OK)
		*names_r = n;
	else
		store_mailbox_names_free(&n);
	return status;
}

void store_mailbox_names_free(store_mailbox_names_t **names)
{
	if (names == NULL || *names == NULL)
		return;
	free((*names)->names);
	free(*names);
	*names = NULL;
}

static int plain_txn(store_t *st, MDB_txn *txn, void *ctx)
{
	const char *name = ctx;
	st_mbox_t mb;
	int status = st_mbox_load(st, txn, name, 1, &mb);
	if (status != STORE_NOTFOUND)
		return status;
	memset(&mb, 0, sizeof(mb));
	status = st_meta_next(st, txn, "next_mailbox", &mb.mbid);
	mb.next_msg_id = 1;
	mb.next_folder_id = 1;
	mb.change = 1;
	return status == STORE_OK ? st_mbox_save(st, txn, name, &mb) : status;
}

int store_mailbox_ensure_plain(store_t *st, const char *name)
{
	return st_write(st, plain_txn, (void *)name);
}

/* Calls fn on each record whose key starts with mbid, then deletes it. */
typedef int (*purge_fn)(store_t *st, MDB_txn *txn, const MDB_val *k, const MDB_val *v);

static int purge_prefix(store_t *st, MDB_txn *txn, MDB_dbi dbi, uint64_t mbid, purge_fn fn)
{
	unsigned char prefix[8];
	MDB_cursor *cur = NULL;
	MDB_val k = { 8, prefix }, v;
	int status = STORE_OK, rc;

	st_put_u64(prefix, mbid);
	rc = mdb_cursor_open(txn, dbi, &cur);
	if (rc != 0)
		return st_err(rc, "purge cursor");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0 && status == STORE_OK;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size < 8 || memcmp(k.mv_data, prefix, 8) != 0)
			break;
		if (fn != NULL)
			status = fn(st, txn, &k, &v);
		if (status == STORE_OK && (rc = mdb_cursor_del(cur, 0)) != 0)
			status = st_err(rc, "purge del");
	}
	mdb_cursor_close(cur);
	if (status == STORE_OK && rc != 0 && rc != MDB_NOTFOUND)
		status = st_err(rc, "purge");
	return status;
}

/* A record that does not decode is logged and deleted all the same:
 * deleting the mailbox is how an administrator gets rid of it (its body,
 * if any, stays behind for verify to report). */
static int unref_message_body(store_t *st, MDB_txn *txn, const MDB_val *k, const MDB_val *v)
{
	st_msg_t *m = malloc(sizeof(*m));
	if (m == NULL)
		return STORE_INTERNAL;
	int status = STORE_OK;
	if (st_msg_decode(v, m) != STORE_OK)
		st_corrupt("msg", k, "message record of %zu bytes does not decode", v->mv_size);
	else
		status = st_blob_ref(st, txn, m->blob_id, -1);
	if (status == STORE_CORRUPT)   /* logged: the delete goes on */
		status = STORE_OK;
	free(m);
	return status;
}

/* Uploads are keyed by upload id alone: scan them all for this mailbox. */
static int purge_uploads(store_t *st, MDB_txn *txn, uint64_t mbid)
{
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	st_upload_t u;
	int status = STORE_OK, rc = mdb_cursor_open(txn, st->db_upload, &cur);
	if (rc != 0)
		return st_err(rc, "upload cursor");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && status == STORE_OK;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (st_upload_decode(&v, &u) != STORE_OK || u.mbid != mbid)
			continue;
		status = st_blob_ref(st, txn, u.blob_id, -1);
		if (status == STORE_OK && (rc = mdb_cursor_del(cur, 0)) != 0)
			status = st_err(rc, "upload del");
	}
	mdb_cursor_close(cur);
	if (status == STORE_OK && rc != 0 && rc != MDB_NOTFOUND)
		status = st_err(rc, "upload purge");
	return status;
}

static int delete_txn(store_t *st, MDB_txn *txn, void *ctx)
{
	const char *name = ctx;
	st_mbox_t mb;
	int status = st_mbox_load(st, txn, name, 1, &mb);
	if (status == STORE_OK)
		status = purge_prefix(st, txn, st->db_msg, mb.mbid, unref_message_body);
	if (status == STORE_OK)
		status = purge_prefix(st, txn, st->db_fidx, mb.mbid, NULL);
	if (status == STORE_OK)
		status = purge_prefix(st, txn, st->db_cidx, mb.mbid, NULL);
	if (status == STORE_OK)
		status = purge_prefix(st, txn, st->db_folder, mb.mbid, NULL);
	if (status == STORE_OK)
		status = purge_prefix(st, txn, st->db_fpath, mb.mbid, NULL);
	if (status == STORE_OK)
		status = purge_prefix(st, txn, st->db_tomb, mb.mbid, NULL);
	if (status == STORE_OK)
		status = purge_prefix(st, txn, st->db_op, mb.mbid, NULL);
	if (status == STORE_OK)
		status = purge_prefix(st, txn, st->db_opage, mb.mbid, NULL);
	if (status == STORE_OK)
		status = st_acl_drop_mailbox(st, txn, mb.mbid);
	if (status == STORE_OK)
		status = purge_uploads(st, txn, mb.mbid);
	/* Its hand-overs stay: those messages were accepted and go out. */
	if (status == STORE_OK)
		status = st_alias_drop_mailbox(st, txn, mb.mbid);
	if (status == STORE_OK) {
		MDB_val k = { strlen(name), (void *)name };
		status = st_err(mdb_del(txn, st->db_mailbox, &k, NULL), "mailbox del");
	}
	return status;
}

int store_mailbox_delete(store_t *st, const char *name)
{
	return st_write(st, delete_txn, (void *)name);
}

struct next_ctx {
	const char *name;
	uint64_t next;
};

static int raise_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct next_ctx *c = vctx;
	st_mbox_t mb;
	int status = st_mbox_load(st, txn, c->name, 1, &mb);
	if (status != STORE_OK || mb.next_msg_id >= c->next)
		return status;
	mb.next_msg_id = c->next;
	return st_mbox_save(st, txn, c->name, &mb);
}

int store_mailbox_raise_next_id(store_t *st, const char *name, uint64_t next)
{
	struct next_ctx c = { name, next };
	return st_write(st, raise_txn, &c);
}
