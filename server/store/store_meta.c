/*
 * store_meta.c -- the "meta" database: schema version (checked, and an
 * older store upgraded, when a store is opened), chunk size and the
 * store-wide id counters (mailbox, blob, upload ids).  The policy's
 * values live here too (store_policy.c).
 */
#include "store_int.h"

#include <string.h>

int st_meta_get_u64(store_t *st, MDB_txn *txn, const char *name, uint64_t *v_r,
                    int *found_r)
{
	MDB_val k = { strlen(name), (void *)name }, v;
	int rc;

	*v_r = 0;
	*found_r = 0;
	rc = mdb_get(txn, st->db_meta, &k, &v);
	if (rc == MDB_NOTFOUND)
		return STORE_OK;
	if (rc != 0)
		return st_err(rc, "meta get");
	if (v.mv_size != 8)
		return st_corrupt("meta", &k, "%zu bytes, not 8", v.mv_size);
	*v_r = st_get_u64(v.mv_data);
	*found_r = 1;
	return STORE_OK;
}

int st_meta_put_u64(store_t *st, MDB_txn *txn, const char *name, uint64_t val)
{
	unsigned char buf[8];
	MDB_val k = { strlen(name), (void *)name }, v = { 8, buf };

	st_put_u64(buf, val);
	return st_err(mdb_put(txn, st->db_meta, &k, &v, 0), "meta put");
}

/* Checks (or on a new store records) a fixed schema parameter. */
static int meta_fixed(store_t *st, MDB_txn *txn, const char *name,
                      uint64_t want)
{
	uint64_t v;
	int found, status;

	status = st_meta_get_u64(st, txn, name, &v, &found);
	if (status != STORE_OK)
		return status;
	if (!found)
		return st_meta_put_u64(st, txn, name, want);
	if (v != want) {
		st_log(STORE_LOG_ERR, "%s is %llu, this build needs %llu", name,
		       (unsigned long long)v, (unsigned long long)want);
		return STORE_INTERNAL;
	}
	return STORE_OK;
}

/* A store of schema 1 gets what version 2 added (the change index) in
 * the same transaction that raises its version, so every process that
 * opens it later finds it complete. */
static int meta_upgrade(store_t *st, MDB_txn *txn)
{
	uint64_t v, indexed;
	int found, status;

	status = st_meta_get_u64(st, txn, "schema_version", &v, &found);
	if (status != STORE_OK || !found || v != 1)
		return status;
	status = st_cidx_build(st, txn, &indexed);
	if (status == STORE_OK)
		status = st_meta_put_u64(st, txn, "schema_version", ST_SCHEMA_VERSION);
	if (status == STORE_OK)
		st_log(STORE_LOG_INFO, "schema 1 -> %u: change index built for %llu messages",
		       ST_SCHEMA_VERSION, (unsigned long long)indexed);
	return status;
}

int st_meta_init(store_t *st, MDB_txn *txn)
{
	int status;

	status = meta_upgrade(st, txn);
	if (status == STORE_OK)
		status = meta_fixed(st, txn, "schema_version", ST_SCHEMA_VERSION);
	if (status == STORE_OK)
		status = meta_fixed(st, txn, "chunk_size", STORE_CHUNK_SIZE);
	return status;
}

int st_meta_next(store_t *st, MDB_txn *txn, const char *name, uint64_t *v_r)
{
	uint64_t v;
	int found, status;

	*v_r = 0;
	status = st_meta_get_u64(st, txn, name, &v, &found);
	if (status != STORE_OK)
		return status;
	if (!found)
		v = 1;
	status = st_meta_put_u64(st, txn, name, v + 1);
	if (status == STORE_OK)
		*v_r = v;
	return status;
}
