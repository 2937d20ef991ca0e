/*
 * store_mailbox.c -- mailbox records: ensure (create with well-known
 * folders), info, admin setters (disabled flag, quota).
 */
#include "store_int.h"

#include <string.h>

static const char *const wellknown[] = {
	STORE_FOLDER_INBOX, STORE_FOLDER_DRAFTS, STORE_FOLDER_OUTBOX,
	STORE_FOLDER_SENT, STORE_FOLDER_DELETED,
};

int st_mbox_load(store_t *st, MDB_txn *txn, const char *name,
                 int allow_disabled, st_mbox_t *mb_r)
{
	MDB_val k, v;
	int rc, status;

	memset(mb_r, 0, sizeof(*mb_r));
	status = st_valid_mailbox_name(name);
	if (status != STORE_OK)
		goto out;
	k.mv_size = strlen(name);
	k.mv_data = (void *)name;
	rc = mdb_get(txn, st->db_mailbox, &k, &v);
	status = st_err(rc, "mailbox get");
	if (status != STORE_OK)
		goto out;
	if (st_mbox_decode(&v, mb_r) != STORE_OK)
		status = st_corrupt("mailbox", &k, "mailbox record of %zu bytes does not decode",
		                    v.mv_size);
	else if (!allow_disabled && (mb_r->flags & ST_MBOX_DISABLED))
		status = STORE_DISABLED;
out:
	return status;
}

int st_mbox_save(store_t *st, MDB_txn *txn, const char *name,
                 const st_mbox_t *mb)
{
	unsigned char buf[ST_MBOX_REC_LEN];
	MDB_val k = { strlen(name), (void *)name }, v = { sizeof(buf), buf };

	st_mbox_encode(mb, buf);
	/* Every change to a mailbox saves its record: st_write then wakes
	 * the waiters once the transaction is committed. */
	st_notify_mark(st, mb->mbid);
	return st_err(mdb_put(txn, st->db_mailbox, &k, &v, 0), "mailbox put");
}

static int names_push(store_mailbox_names_t *n, size_t *cap, const MDB_val *k)
{
	if (n->count == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		void *grown = realloc(n->names, *cap * sizeof(*n->names));
		if (grown == NULL)
			return STORE_INTERNAL;
		n->names = grown;
	}
	size_t len = k->mv_size > STORE_NAME_MAX ? STORE_NAME_MAX : k->mv_size;
	memcpy(n->names[n->count], k->mv_data, len);
	n->names[n->count][len] = '\0';
	n->count++;
	return STORE_OK;
}

int st_mbox_names(store_t *st, MDB_txn *txn, store_mailbox_names_t *n, size_t *cap)
{
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	int rc, status = st_err(mdb_cursor_open(txn, st->db_mailbox, &cur), "mailbox cursor");

	if (status != STORE_OK)
		return status;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && status == STORE_OK;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
		status = names_push(n, cap, &k);
	if (status == STORE_OK && rc != MDB_NOTFOUND)
		status = st_err(rc, "mailbox list");
	mdb_cursor_close(cur);
	return status;
}

int st_mbox_each(store_t *st, MDB_txn *txn, st_mbox_fn fn, void *ctx)
{
	store_mailbox_names_t names = {0, NULL};
	size_t cap = 0;
	st_mbox_t mb;
	int status = st_mbox_names(st, txn, &names, &cap);

	for (size_t i = 0; i < names.count && status == STORE_OK; i++) {
		status = st_mbox_load(st, txn, names.names[i], 1, &mb);
		if (status == STORE_OK)
			status = fn(st, txn, ctx, names.names[i], &mb);
		else if (status == STORE_CORRUPT)
			status = STORE_OK; /* logged; left for verify */
	}
	free(names.names);
	return status;
}

int st_mbox_quota(store_t *st, MDB_txn *txn, const st_mbox_t *mb, uint64_t *quota_r)
{
	*quota_r = mb->quota;
	return mb->quota ? STORE_OK : st_policy(st, txn, STORE_POLICY_DEFAULT_QUOTA, quota_r);
}

static int ensure_txn(store_t *st, MDB_txn *txn, void *ctx)
{
	const char *name = ctx;
	st_mbox_t mb;
	size_t i;
	int status;

	status = st_mbox_load(st, txn, name, 0, &mb);
	if (status != STORE_NOTFOUND)
		goto out;   /* exists (OK / DISABLED) or invalid */
	memset(&mb, 0, sizeof(mb));
	status = st_meta_next(st, txn, "next_mailbox", &mb.mbid);
	if (status != STORE_OK)
		goto out;
	mb.next_msg_id = 1;
	mb.next_folder_id = 1;
	mb.change = 1;
	for (i = 0; i < sizeof(wellknown) / sizeof(wellknown[0]); i++) {
		status = st_folder_add(st, txn, &mb, wellknown[i],
		                       ST_FOLDER_WELLKNOWN);
		if (status != STORE_OK)
			goto out;
	}
	status = st_mbox_save(st, txn, name, &mb);
out:
	return status;
}

int store_mailbox_ensure(store_t *st, const char *name)
{
	MDB_txn *txn = NULL;
	st_mbox_t mb;
	int status;

	/* Fast path without the writer lock: it usually exists. */
	status = st_read_begin(st, &txn);
	if (status != STORE_OK)
		goto out;
	status = st_mbox_load(st, txn, name, 0, &mb);
	mdb_txn_abort(txn);
	txn = NULL;
	if (status != STORE_NOTFOUND)
		goto out;
	status = st_write(st, ensure_txn, (void *)name);
out:
	return status;
}

int store_mailbox_info(store_t *st, const char *name, store_mailbox_info_t *info_r)
{
	MDB_txn *txn = NULL;
	st_mbox_t mb;
	int status;

	memset(info_r, 0, sizeof(*info_r));
	status = st_read_begin(st, &txn);
	if (status != STORE_OK)
		goto out;
	status = st_mbox_load(st, txn, name, 1, &mb);
	if (status != STORE_OK)
		goto out;
	info_r->next_id = mb.next_msg_id;
	info_r->bytes_used = mb.bytes_used;
	info_r->messages = mb.messages;
	info_r->change = mb.change;
	info_r->upload_bytes = mb.upload_bytes;
	info_r->uploads = mb.uploads;
	info_r->folders = mb.folders;
	info_r->acl_entries = mb.acl_entries;
	info_r->op_records = mb.ops;
	info_r->quota = mb.quota;
	info_r->disabled = (mb.flags & ST_MBOX_DISABLED) != 0;
	status = st_mbox_quota(st, txn, &mb, &info_r->quota_in_force);
out:
	if (txn != NULL)
		mdb_txn_abort(txn);
	return status;
}

struct admin_ctx {
	const char *name;
	int set_disabled;   /* else set quota */
	int disabled;
	uint64_t quota;
};

static int admin_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct admin_ctx *c = vctx;
	st_mbox_t mb;
	int status;

	status = st_mbox_load(st, txn, c->name, 1, &mb);
	if (status != STORE_OK)
		goto out;
	if (c->set_disabled) {
		if (c->disabled)
			mb.flags |= ST_MBOX_DISABLED;
		else
			mb.flags &= ~ST_MBOX_DISABLED;
	} else {
		mb.quota = c->quota;
	}
	mb.change++;
	status = st_mbox_save(st, txn, c->name, &mb);
out:
	return status;
}

int store_mailbox_set_disabled(store_t *st, const char *name, int disabled)
{
	struct admin_ctx c = { name, 1, disabled, 0 };

	return st_write(st, admin_txn, &c);
}

int store_mailbox_set_quota(store_t *st, const char *name, uint64_t quota)
{
	struct admin_ctx c = { name, 0, 0, quota };

	return st_write(st, admin_txn, &c);
}
