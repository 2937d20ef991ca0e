/*
 * store_verify_records.c -- the first pass of store_verify: every record
 * of every database must decode (the lengths of its key and value, and
 * for the coded records their decoder), and each one that does not is
 * reported with its database and key.  The invariants between records
 * (store_verify.c) come after, and skip what did not decode here.
 */
#include "store_int.h"

#include <string.h>

/* NULL if the record is well formed, else why not. */
typedef const char *(*record_check)(const MDB_val *k, const MDB_val *v);

static const char *check_meta(const MDB_val *k, const MDB_val *v)
{
	static const char *const counters[] = {"schema_version", "chunk_size", "next_mailbox",
					       "next_blob", "next_upload", "next_handover"};
	size_t plen = strlen(ST_POLICY_PREFIX);
	char name[64];
	int key;

	if (k->mv_size == 0 || k->mv_size >= sizeof(name))
		return "unknown key";
	memcpy(name, k->mv_data, k->mv_size);
	name[k->mv_size] = '\0';
	if (strcmp(name, ST_META_TOMBSTONES) == 0)
		return v->mv_size == 0 ? NULL : "value is not empty";
	if (strncmp(name, ST_POLICY_PREFIX, plen) == 0) {
		if (store_policy_find(name + plen, &key) != STORE_OK)
			return "policy key unknown to this build";
		if (v->mv_size != 8)
			return "policy value is not 8 bytes";
		const store_policy_def_t *d = store_policy_def(key);
		uint64_t val = st_get_u64(v->mv_data);
		return val < d->min || val > d->max ? "policy value outside its bounds" : NULL;
	}
	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		if (strcmp(name, counters[i]) == 0)
			return v->mv_size == 8 ? NULL : "value is not 8 bytes";
	return "unknown key";
}

static const char *check_mailbox(const MDB_val *k, const MDB_val *v)
{
	st_mbox_t mb;

	if (k->mv_size == 0 || k->mv_size > STORE_NAME_MAX)
		return "mailbox name of a bad length";
	return st_mbox_decode(v, &mb) == STORE_OK ? NULL : "mailbox record does not decode";
}

static const char *check_fpath(const MDB_val *k, const MDB_val *v)
{
	if (k->mv_size <= 8 || k->mv_size > 8 + STORE_PATH_MAX)
		return "key of a bad length";
	return v->mv_size == 8 ? NULL : "value is not 8 bytes";
}

static const char *check_folder(const MDB_val *k, const MDB_val *v)
{
	st_folder_t f;

	if (k->mv_size != 16)
		return "key is not 16 bytes";
	return st_folder_decode(v, &f) == STORE_OK ? NULL : "folder record does not decode";
}

static const char *check_msg(const MDB_val *k, const MDB_val *v)
{
	st_msg_t m;

	if (k->mv_size != 16)
		return "key is not 16 bytes";
	return st_msg_decode(v, &m) == STORE_OK ? NULL : "message record does not decode";
}

static const char *check_fidx(const MDB_val *k, const MDB_val *v)
{
	if (k->mv_size != 24)
		return "key is not 24 bytes";
	return v->mv_size == ST_FIDX_VAL_LEN ? NULL : "value of a bad length";
}

static const char *check_blob(const MDB_val *k, const MDB_val *v)
{
	if (k->mv_size != 12)
		return "key is not 12 bytes";
	return v->mv_size > 0 && v->mv_size <= STORE_CHUNK_SIZE ? NULL : "chunk of a bad length";
}

static const char *check_blobmeta(const MDB_val *k, const MDB_val *v)
{
	if (k->mv_size != 8)
		return "key is not 8 bytes";
	return v->mv_size == ST_BLOBMETA_LEN ? NULL : "value of a bad length";
}

static const char *check_upload(const MDB_val *k, const MDB_val *v)
{
	st_upload_t u;

	if (k->mv_size != 8)
		return "key is not 8 bytes";
	return st_upload_decode(v, &u) == STORE_OK ? NULL : "upload record does not decode";
}

static const char *check_acl(const MDB_val *k, const MDB_val *v)
{
	if (k->mv_size <= 16 || k->mv_size > 16 + STORE_PRINCIPAL_MAX)
		return "key of a bad length";
	if (v->mv_size != ST_ACL_VAL_LEN || st_get_u16(v->mv_data) != 1)
		return "value does not decode";
	return NULL;
}

static const char *check_op(const MDB_val *k, const MDB_val *v)
{
	if (k->mv_size != ST_OP_KEY_LEN)
		return "key of a bad length";
	if (v->mv_size < ST_OP_VAL_LEN)
		return "value too short";
	return st_op_val_fits(v->mv_size) ? NULL : "value ends inside an id";
}

static const char *check_opage(const MDB_val *k, const MDB_val *v)
{
	if (k->mv_size != ST_OPAGE_KEY_LEN)
		return "key of a bad length";
	return v->mv_size == 0 ? NULL : "value is not empty";
}

static const char *check_tomb(const MDB_val *k, const MDB_val *v)
{
	if (k->mv_size != ST_TOMB_KEY_LEN)
		return "key of a bad length";
	/* change 0 is the mailbox's head */
	size_t want = st_get_u64((const unsigned char *)k->mv_data + 8) == 0 ? ST_TOMB_HEAD_LEN
									     : ST_TOMB_VAL_LEN;
	return v->mv_size == want ? NULL : "value of a bad length";
}

static const char *check_cidx(const MDB_val *k, const MDB_val *v)
{
	if (k->mv_size != ST_CIDX_KEY_LEN)
		return "key of a bad length";
	return v->mv_size == 0 ? NULL : "value is not empty";
}

/* A key that is text in lower case, checked with check (NULL: bad). */
static const char *lower_text_key(const MDB_val *k, size_t max, int (*check)(const char *))
{
	char text[STORE_ADDRESS_MAX + 1];

	if (k->mv_size == 0 || k->mv_size > max)
		return "key of a bad length";
	memcpy(text, k->mv_data, k->mv_size);
	text[k->mv_size] = '\0';
	if (check(text) != STORE_OK)
		return "key is not a valid name";
	st_lower(text);
	return memcmp(text, k->mv_data, k->mv_size) == 0 ? NULL : "key is not in lower case";
}

static const char *check_domain(const MDB_val *k, const MDB_val *v)
{
	const char *why = lower_text_key(k, STORE_DOMAIN_MAX, store_domain_check);
	if (why != NULL)
		return why;
	if (v->mv_size != ST_DOMAIN_VAL_LEN || st_get_u16(v->mv_data) != 1)
		return "value does not decode";
	return NULL;
}

static const char *check_alias(const MDB_val *k, const MDB_val *v)
{
	char name[STORE_NAME_MAX + 1];
	uint64_t mbid;
	const char *why = lower_text_key(k, STORE_ADDRESS_MAX, store_address_check);
	if (why != NULL)
		return why;
	return st_alias_decode(v, &mbid, name) == STORE_OK ? NULL : "value does not decode";
}

static const char *check_handover(const MDB_val *k, const MDB_val *v)
{
	store_handover_t h;
	int status = st_handover_decode(k, v, &h);
	st_handover_clear(&h);
	return status == STORE_OK ? NULL : "hand-over record does not decode";
}

int st_verify_records(store_t *st, MDB_txn *txn, st_verify_report_fn report, void *ctx)
{
	const struct {
		const char *db;
		MDB_dbi dbi;
		record_check check;
	} dbs[] = {
	    {"meta", st->db_meta, check_meta},
	    {"mailbox", st->db_mailbox, check_mailbox},
	    {"fpath", st->db_fpath, check_fpath},
	    {"folder", st->db_folder, check_folder},
	    {"msg", st->db_msg, check_msg},
	    {"fidx", st->db_fidx, check_fidx},
	    {"blob", st->db_blob, check_blob},
	    {"blobmeta", st->db_blobmeta, check_blobmeta},
	    {"upload", st->db_upload, check_upload},
	    {"acl", st->db_acl, check_acl},
	    {"op", st->db_op, check_op},
	    {"opage", st->db_opage, check_opage},
	    {"tomb", st->db_tomb, check_tomb},
	    {"cidx", st->db_cidx, check_cidx},
	    {"domain", st->db_domain, check_domain},
	    {"alias", st->db_alias, check_alias},
	    {"handover", st->db_handover, check_handover},
	};
	char key[400];
	int status = STORE_OK;

	for (size_t i = 0; i < sizeof(dbs) / sizeof(dbs[0]) && status == STORE_OK; i++) {
		MDB_cursor *cur = NULL;
		MDB_val k, v;
		int rc = mdb_cursor_open(txn, dbs[i].dbi, &cur);
		for (rc = rc ? rc : mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
		     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
			const char *why = dbs[i].check(&k, &v);
			if (why != NULL)
				report(ctx, dbs[i].db, st_key_text(dbs[i].db, &k, key, sizeof(key)),
				       why);
		}
		if (cur != NULL)
			mdb_cursor_close(cur);
		if (rc != MDB_NOTFOUND)
			status = st_err(rc, "verify records");
	}
	return status;
}
