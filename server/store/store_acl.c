/*
 * store_acl.c -- access control lists.  "acl": mbid (8) || folder id (8)
 * || principal bytes -> u16 version, u16 0, u32 rights.  Folder id 0 is
 * the mailbox root.  Keyed by folder id, entries survive renames.
 */
#include "store_int.h"

#include <string.h>

#define ACL_VAL_LEN ST_ACL_VAL_LEN   /* store_int.h: verify checks it too */

static size_t acl_key(unsigned char *kb, uint64_t mbid, uint64_t fid, const char *principal)
{
	size_t n = strlen(principal);
	st_key2(kb, mbid, fid);
	memcpy(kb + 16, principal, n);
	return 16 + n;
}

int st_acl_drop_folder(store_t *st, MDB_txn *txn, st_mbox_t *mb, uint64_t fid)
{
	unsigned char kb[16];
	uint64_t n;
	int status = st_prefix_each(txn, st->db_acl, kb, st_key2(kb, mb->mbid, fid), 1, &n);
	if (status == STORE_OK)
		mb->acl_entries = st_less(mb->acl_entries, n);
	return status;
}

int st_acl_drop_mailbox(store_t *st, MDB_txn *txn, uint64_t mbid)
{
	unsigned char kb[8];
	uint64_t n;
	st_put_u64(kb, mbid);
	return st_prefix_each(txn, st->db_acl, kb, 8, 1, &n);
}

int st_acl_count(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t fid, uint64_t *n_r)
{
	unsigned char kb[16];
	return st_prefix_each(txn, st->db_acl, kb, st_key2(kb, mbid, fid), 0, n_r);
}

int store_touch_rights(const store_touch_t *t, const char *principal, uint32_t *rights_r)
{
	unsigned char kb[16 + STORE_PRINCIPAL_MAX];
	MDB_val k, v;
	size_t n = strlen(principal);
	int status;

	*rights_r = 0;
	if (n == 0 || n > STORE_PRINCIPAL_MAX)
		return STORE_OK;   /* no entry can have that name */
	k.mv_data = kb;
	k.mv_size = acl_key(kb, t->where->mbid, t->folder_id, principal);
	status = st_err(mdb_get(t->where->txn, t->where->st->db_acl, &k, &v), "acl get");
	if (status == STORE_NOTFOUND)
		return STORE_OK;
	if (status == STORE_OK && v.mv_size != ACL_VAL_LEN)
		return st_corrupt("acl", &k, "value of %zu bytes", v.mv_size);
	if (status == STORE_OK)
		*rights_r = st_get_u32((const unsigned char *)v.mv_data + 4);
	return status;
}

struct acl_ctx {
	const store_call_t *call;   /* NULL: trusted (admin restore) */
	const char *mbox, *path, *principal;
	uint32_t rights;
};

/* The mailbox and folder (root: id 0) of an ACL call, guard asked. */
static int acl_target(store_t *st, MDB_txn *txn, const struct acl_ctx *c, st_mbox_t *mb,
		      st_folder_t *f)
{
	/* Local administration works on disabled mailboxes too. */
	int status = st_mbox_load(st, txn, c->mbox, c->call == NULL, mb);
	memset(f, 0, sizeof(*f));
	if (status == STORE_OK && c->path[0] != '\0')
		status = st_folder_by_path(st, txn, mb->mbid, c->path, f);
	st_target_t at = { c->mbox, mb->mbid, c->path[0] ? f : NULL, 0, 0 };
	if (status == STORE_OK)
		status = st_touch(st, txn, c->call, STORE_ACT_ACL, 1, &at);
	return status;
}

/* Room for a new entry in folder fid of mb, for call: the folder's own
 * limit, then the mailbox's. */
static int acl_room(store_t *st, MDB_txn *txn, const store_call_t *call, const st_mbox_t *mb,
		    uint64_t fid)
{
	uint64_t n = 0;
	int status = call != NULL ? st_acl_count(st, txn, mb->mbid, fid, &n) : STORE_OK;
	if (status == STORE_OK)
		status = st_policy_room(st, txn, call, STORE_POLICY_MAX_ACL_ENTRIES, n);
	if (status == STORE_OK)
		status = st_policy_room(st, txn, call, STORE_POLICY_MAX_ACL_TOTAL, mb->acl_entries);
	return status;
}

int st_acl_put(store_t *st, MDB_txn *txn, const store_call_t *call, const char *mbox, st_mbox_t *mb,
	       uint64_t fid, const char *principal, uint32_t rights)
{
	unsigned char kb[16 + STORE_PRINCIPAL_MAX], vb[ACL_VAL_LEN] = {0};
	MDB_val k = {acl_key(kb, mb->mbid, fid, principal), kb}, old;
	int rc = mdb_get(txn, st->db_acl, &k, &old);
	int status = rc == MDB_NOTFOUND ? STORE_OK : st_err(rc, "acl get");
	int existed = rc == 0;

	if (status == STORE_OK && rights == 0 && existed) {
		status = st_err(mdb_del(txn, st->db_acl, &k, NULL), "acl del");
		mb->acl_entries = st_less(mb->acl_entries, 1);
	} else if (status == STORE_OK && rights != 0) {
		if (!existed)
			status = acl_room(st, txn, call, mb, fid);
		st_put_u16(vb, 1);
		st_put_u32(vb + 4, rights);
		MDB_val v = { sizeof(vb), vb };
		if (status == STORE_OK)
			status = st_err(mdb_put(txn, st->db_acl, &k, &v, 0), "acl put");
		if (status == STORE_OK && !existed)
			mb->acl_entries++;
	}
	if (status == STORE_OK) {
		mb->change++;
		status = st_mbox_save(st, txn, mbox, mb);
	}
	return status;
}

static int set_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct acl_ctx *c = vctx;
	st_mbox_t mb;
	st_folder_t f;
	int status = acl_target(st, txn, c, &mb, &f);
	return status == STORE_OK
		   ? st_acl_put(st, txn, c->call, c->mbox, &mb, f.id, c->principal, c->rights)
		   : status;
}

int store_acl_set(store_t *st, const char *mbox, const char *path, const char *principal,
		  uint32_t rights)
{
	store_result_t res;
	return store_acl_set_as(st, NULL, mbox, path, principal, rights, &res);
}

int store_acl_set_as(store_t *st, const store_call_t *call, const char *mbox, const char *path,
		     const char *principal, uint32_t rights, store_result_t *res_r)
{
	struct acl_ctx c = { call, mbox, path, principal, rights };
	memset(res_r, 0, sizeof(*res_r));
	/* A principal is what krb5_unparse_name displays (it escapes control
	 * characters) or "anyone": the text rules of a mailbox name, so no tab
	 * or newline can reach a dump or a log line. */
	if (path == NULL || st_valid_mailbox_name(principal) != STORE_OK ||
	    (rights & ~STORE_RIGHTS_ALL) || (path[0] != '\0' && st_valid_path(path) != STORE_OK))
		return STORE_INVALID;
	return st_run(st, call, STORE_OP_ACL_SET, NULL, set_txn, &c, res_r);
}

static int acl_push(store_acl_t *acl, size_t *cap, const char *path, const MDB_val *k,
		    const MDB_val *v)
{
	if (acl->count == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		void *grown = realloc(acl->items, *cap * sizeof(*acl->items));
		if (grown == NULL)
			return STORE_INTERNAL;
		acl->items = grown;
	}
	store_acl_entry_t *e = &acl->items[acl->count];
	size_t n = k->mv_size - 16;
	if (n > STORE_PRINCIPAL_MAX || v->mv_size != ACL_VAL_LEN)
		return st_corrupt("acl", k, "principal of %zu bytes, value of %zu", n, v->mv_size);
	snprintf(e->path, sizeof(e->path), "%s", path);
	memcpy(e->principal, (const char *)k->mv_data + 16, n);
	e->principal[n] = '\0';
	e->rights = st_get_u32((const unsigned char *)v->mv_data + 4);
	acl->count++;
	return STORE_OK;
}

/* The entries of every folder (one: only those of folder f, NULL the root). */
static int collect(store_t *st, MDB_txn *txn, uint64_t mbid, int one, const st_folder_t *one_f,
		   store_acl_t *acl)
{
	unsigned char prefix[16];
	size_t plen = one ? st_key2(prefix, mbid, one_f ? one_f->id : 0) : 8;
	MDB_cursor *cur = NULL;
	MDB_val k = { plen, prefix }, v;
	st_folder_t f;
	size_t cap = 0;
	int status = STORE_OK, rc;

	st_put_u64(prefix, mbid);
	rc = mdb_cursor_open(txn, st->db_acl, &cur);
	if (rc != 0)
		return st_err(rc, "acl cursor");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0 && status == STORE_OK;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size <= 16 || memcmp(k.mv_data, prefix, plen) != 0)
			break;
		uint64_t fid = st_get_u64((const unsigned char *)k.mv_data + 8);
		const char *path = "";
		if (fid != 0) {
			if (st_folder_by_id(st, txn, mbid, fid, &f) != STORE_OK)
				continue;   /* cannot happen: deletes drop entries */
			path = f.path;
		}
		status = acl_push(acl, &cap, path, &k, &v);
	}
	mdb_cursor_close(cur);
	if (status == STORE_OK && rc != 0 && rc != MDB_NOTFOUND)
		status = st_err(rc, "acl list");
	return status;
}

int st_acl_collect(store_t *st, MDB_txn *txn, uint64_t mbid, store_acl_t *acl)
{
	return collect(st, txn, mbid, 0, NULL, acl);
}

/* The entries of folder path ("" the root) of mbox for call, or of every
 * folder (path NULL, trusted callers only), in one read transaction. */
static int acl_read(store_t *st, const store_call_t *call, const char *mbox, const char *path,
		    store_acl_t **acl_r)
{
	struct acl_ctx c = { call, mbox, path ? path : "", NULL, 0 };
	MDB_txn *txn = NULL;
	st_mbox_t mb;
	st_folder_t f;
	store_acl_t *acl = calloc(1, sizeof(*acl));
	int status = acl ? st_read_begin(st, &txn) : STORE_INTERNAL;

	*acl_r = NULL;
	if (status == STORE_OK)
		status = acl_target(st, txn, &c, &mb, &f);
	if (status == STORE_OK)
		status = collect(st, txn, mb.mbid, path != NULL, path && path[0] ? &f : NULL, acl);
	if (txn != NULL)
		mdb_txn_abort(txn);
	if (status == STORE_OK)
		*acl_r = acl;
	else
		store_acl_free(&acl);
	return status;
}

int store_acl_list(store_t *st, const char *mbox, store_acl_t **acl_r)
{
	return acl_read(st, NULL, mbox, NULL, acl_r);
}

int store_acl_get_as(store_t *st, const store_call_t *call, const char *mbox, const char *path,
		     store_acl_t **acl_r)
{
	return acl_read(st, call, mbox, path, acl_r);
}

void store_acl_free(store_acl_t **acl)
{
	if (acl == NULL || *acl == NULL)
		return;
	free((*acl)->items);
	free(*acl);
	*acl = NULL;
}

char *store_rights_format(uint32_t rights, char *buf)
{
	size_t n = 0;
	for (int i = 0; STORE_RIGHTS_LETTERS[i]; i++)
		if (rights & (1u << i))
			buf[n++] = STORE_RIGHTS_LETTERS[i];
	buf[n] = '\0';
	return buf;
}

int store_rights_parse(const char *letters, uint32_t *rights_r)
{
	*rights_r = 0;
	for (const char *p = letters; *p; p++) {
		const char *at = strchr(STORE_RIGHTS_LETTERS, *p);
		if (at == NULL)
			return STORE_INVALID;
		*rights_r |= 1u << (at - STORE_RIGHTS_LETTERS);
	}
	return STORE_OK;
}
