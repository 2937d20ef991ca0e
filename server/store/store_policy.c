/*
 * store_policy.c -- the store's policy: limits kept in the "meta"
 * database under "policy:NAME" (u64), so that every process opening the
 * store applies the same ones.  Each transaction that applies a limit
 * reads it (st_policy), so a change reaches running processes at their
 * next call, with no restart and no cache to go stale.
 *
 * The table below is the whole description of a key: a new limit is a
 * new row and an enum value in store.h, nothing else.
 */
#include "store_int.h"

#include <string.h>

#define DAY (24ull * 3600)

static const store_policy_def_t policy_table[STORE_POLICY_KEYS] = {
    [STORE_POLICY_DEFAULT_QUOTA] =
	{"default-quota", STORE_POLICY_BYTES, 0, 0, 1ull << 60,
	 "bytes a mailbox may hold unless it has its own quota; 0: no limit"},
    [STORE_POLICY_MAX_MESSAGE] = {"max-message", STORE_POLICY_BYTES, 50ull << 20, 1, 4ull << 30,
				  "bytes in one message, however it arrives (put, send, delivery)"},
    [STORE_POLICY_TOMBSTONE_AGE] =
	{"tombstone-age", STORE_POLICY_SECONDS, 30 * DAY, 1, 3650 * DAY,
	 "how long removals are remembered for SYNC; an older state resyncs"},
    [STORE_POLICY_MAX_FOLDERS] = {"max-folders", STORE_POLICY_COUNT, 10000, 1, 1000000,
				  "folders in one mailbox, the five well-known ones included"},
    [STORE_POLICY_MAX_ACL_ENTRIES] = {"max-acl-entries", STORE_POLICY_COUNT, 100, 1,
				      STORE_ACL_FOLDER_MAX,
				      "access rights entries of one folder (or the root)"},
    [STORE_POLICY_MAX_ACL_TOTAL] = {"max-acl-total", STORE_POLICY_COUNT, 10000, 1, 1000000,
				    "access rights entries of one mailbox, all folders"},
    [STORE_POLICY_MAX_UPLOADS] = {"max-uploads", STORE_POLICY_COUNT, 32, 1, 10000,
				  "unfinished uploads of one mailbox (their announced sizes count "
				  "against its quota)"},
    [STORE_POLICY_UPLOAD_AGE] = {"upload-age", STORE_POLICY_SECONDS, 7 * DAY, 1, 365 * DAY,
				 "how long an unfinished upload is kept"},
    [STORE_POLICY_MAX_OP_RECORDS] = {"max-op-records", STORE_POLICY_COUNT, 10000, 16, 1000000,
				     "results of calls kept per mailbox for exactly-once "
				     "repeats (the oldest make room)"},
    [STORE_POLICY_MAX_CONN_USER] = {"max-user-conns", STORE_POLICY_COUNT, 20, 1, 100000,
				    "mailrpcd connections of one principal at a time"},
    [STORE_POLICY_MAX_PREAUTH_PEER] = {"max-preauth-peer", STORE_POLICY_COUNT, 32, 1, 100000,
				       "mailrpcd connections from one address (IPv6: one /64) "
				       "not yet authenticated"},
};

const store_policy_def_t *store_policy_def(int key)
{
	return key >= 0 && key < STORE_POLICY_KEYS ? &policy_table[key] : NULL;
}

int store_policy_find(const char *name, int *key_r)
{
	*key_r = -1;
	for (int key = 0; key < STORE_POLICY_KEYS; key++)
		if (strcmp(policy_table[key].name, name) == 0) {
			*key_r = key;
			return STORE_OK;
		}
	return STORE_NOTFOUND;
}

static void policy_key(char out[64], int key)
{
	snprintf(out, 64, "%s%s", ST_POLICY_PREFIX, policy_table[key].name);
}

/* The value stored for key (and whether there is one), clamped. */
static int policy_load(store_t *st, MDB_txn *txn, int key, uint64_t *value_r, int *set_r)
{
	const store_policy_def_t *d = store_policy_def(key);
	char name[64];
	uint64_t v;
	int status;

	*value_r = 0;
	*set_r = 0;
	if (d == NULL)
		ST_BUG("no policy key %d", key);
	policy_key(name, key);
	status = st_meta_get_u64(st, txn, name, &v, set_r);
	if (status != STORE_OK)
		return status;
	if (!*set_r)
		v = d->def;
	/* Set within bounds; only another build's bounds can differ. */
	*value_r = v < d->min ? d->min : v > d->max ? d->max : v;
	return STORE_OK;
}

int st_policy(store_t *st, MDB_txn *txn, int key, uint64_t *value_r)
{
	int set;

	return policy_load(st, txn, key, value_r, &set);
}

int st_policy_room(store_t *st, MDB_txn *txn, const store_call_t *call, int key, uint64_t have)
{
	uint64_t max;
	int status;

	if (call == NULL)
		return STORE_OK;
	status = st_policy(st, txn, key, &max);
	if (status == STORE_OK && have >= max)
		status = STORE_LIMIT;
	return status;
}

int store_policy_get(store_t *st, int key, uint64_t *value_r, int *is_set_r)
{
	MDB_txn *txn = NULL;
	int set = 0, status = STORE_INVALID;

	*value_r = 0;
	if (is_set_r != NULL)
		*is_set_r = 0;
	if (store_policy_def(key) != NULL)
		status = st_read_begin(st, &txn);
	if (status == STORE_OK)
		status = policy_load(st, txn, key, value_r, &set);
	if (txn != NULL)
		mdb_txn_abort(txn);
	if (status == STORE_OK && is_set_r != NULL)
		*is_set_r = set;
	return status;
}

struct set_ctx {
	int key;
	int unset;
	uint64_t value;
};

static int set_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	const struct set_ctx *c = vctx;
	char name[64];

	policy_key(name, c->key);
	if (!c->unset)
		return st_meta_put_u64(st, txn, name, c->value);
	MDB_val k = {strlen(name), name};
	int status = st_err(mdb_del(txn, st->db_meta, &k, NULL), "policy del");
	return status == STORE_NOTFOUND ? STORE_OK : status;
}

int store_policy_set(store_t *st, int key, uint64_t value)
{
	const store_policy_def_t *d = store_policy_def(key);
	struct set_ctx c = {key, 0, value};

	if (d == NULL || value < d->min || value > d->max)
		return STORE_INVALID;
	return st_write(st, set_txn, &c);
}

int store_policy_unset(store_t *st, int key)
{
	struct set_ctx c = {key, 1, 0};

	if (store_policy_def(key) == NULL)
		return STORE_INVALID;
	return st_write(st, set_txn, &c);
}
