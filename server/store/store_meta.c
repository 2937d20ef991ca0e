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

/* 1 -> 2: the change index (cidx). */
static int upgrade_to_2(store_t *st, MDB_txn *txn)
{
	uint64_t indexed;
	int status = st_cidx_build(st, txn, &indexed);
	if (status == STORE_OK)
		st_log(STORE_LOG_INFO, "schema 1 -> 2: change index built for %llu messages",
		       (unsigned long long)indexed);
	return status;
}

/* 2 -> 3: an op's result is ids and counts (store_result_t), no longer a
 * protocol version 1 reply.  The old records answer op ids that no
 * version 2 client sends (they are random and the calls that carried them
 * are gone), so they are forgotten rather than read as the new layout. */
static int upgrade_to_3(store_t *st, MDB_txn *txn)
{
	MDB_stat ms;
	int rc = mdb_stat(txn, st->db_op, &ms);
	if (rc == 0)
		rc = mdb_drop(txn, st->db_op, 0);
	if (rc == 0)
		rc = mdb_drop(txn, st->db_opage, 0);
	if (rc != 0)
		return st_err(rc, "op drop");
	st_log(STORE_LOG_INFO, "schema 2 -> 3: forgot %llu results of protocol version 1 calls",
	       (unsigned long long)ms.ms_entries);
	return STORE_OK;
}

/* 3 -> 4: what a mailbox holds counted in its record, op results in age
 * order per mailbox; domains, aliases and hand-overs are new databases,
 * empty in an older store (opening created them). */
static int upgrade_to_4(store_t *st, MDB_txn *txn)
{
	uint64_t n;
	int status = st_count_upgrade(st, txn, &n);
	if (status == STORE_OK)
		st_log(STORE_LOG_INFO, "schema 3 -> 4: counted what %llu mailbox(es) hold",
		       (unsigned long long)n);
	return status;
}

/* An older store gets what each later version added in the transaction
 * that raises its version, so every process that opens it later finds it
 * complete.  Other values are left to meta_fixed to refuse. */
static int meta_upgrade(store_t *st, MDB_txn *txn)
{
	uint64_t v;
	int found, status;

	status = st_meta_get_u64(st, txn, "schema_version", &v, &found);
	if (status != STORE_OK || !found || v < 1 || v >= ST_SCHEMA_VERSION)
		return status;
	if (v < 2)
		status = upgrade_to_2(st, txn);
	if (status == STORE_OK && v < 3)
		status = upgrade_to_3(st, txn);
	if (status == STORE_OK && v < 4)
		status = upgrade_to_4(st, txn);
	if (status == STORE_OK)
		status = st_meta_put_u64(st, txn, "schema_version", ST_SCHEMA_VERSION);
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
