/*
 * store_open.c -- opening a store: the environment (store_env.c), its
 * named databases, the schema check and upgrade (store_meta.c), the
 * tombstone horizons of old stores (store_tomb.c) and the notification
 * wake file (store_notify.c); and closing it.  The top layer: nothing in the
 * store calls it.
 */
#include "store_int.h"

#include <string.h>
#include <unistd.h>

void store_options_init(store_options_t *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->map_size = STORE_DEFAULT_MAP_SIZE;
	opt->max_readers = 1024;
	opt->op_max_age = STORE_DEFAULT_OP_MAX_AGE;
	opt->tomb_max = STORE_DEFAULT_TOMB_MAX;
}

static int st_open_dbs(store_t *st, MDB_txn *txn, void *ctx)
{
	static const struct {
		const char *name;
		size_t off;
	} dbs[] = {
	    {"meta", offsetof(store_t, db_meta)},     {"mailbox", offsetof(store_t, db_mailbox)},
	    {"fpath", offsetof(store_t, db_fpath)},   {"folder", offsetof(store_t, db_folder)},
	    {"msg", offsetof(store_t, db_msg)},	      {"fidx", offsetof(store_t, db_fidx)},
	    {"blob", offsetof(store_t, db_blob)},     {"blobmeta", offsetof(store_t, db_blobmeta)},
	    {"upload", offsetof(store_t, db_upload)}, {"acl", offsetof(store_t, db_acl)},
	    {"op", offsetof(store_t, db_op)},	      {"opage", offsetof(store_t, db_opage)},
	    {"tomb", offsetof(store_t, db_tomb)},     {"cidx", offsetof(store_t, db_cidx)},
	    {"domain", offsetof(store_t, db_domain)}, {"alias", offsetof(store_t, db_alias)},
	    {"handover", offsetof(store_t, db_handover)},
	};
	size_t i;
	int rc, status = STORE_OK;

	(void)ctx;
	for (i = 0; i < sizeof(dbs) / sizeof(dbs[0]); i++) {
		rc = mdb_dbi_open(txn, dbs[i].name, MDB_CREATE,
				  (MDB_dbi *)((char *)st + dbs[i].off));
		if (rc != 0) {
			status = st_err(rc, "mdb_dbi_open");
			goto out;
		}
	}
	status = st_meta_init(st, txn);
	if (status == STORE_OK)
		status = st_tomb_init(st, txn);
out:
	return status;
}

int store_open(const char *dir, const store_options_t *opt, store_t **st_r)
{
	store_t *st = NULL;
	int status = STORE_INTERNAL;

	*st_r = NULL;
	if (dir == NULL) {
		status = STORE_INVALID;
		goto out;
	}
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		goto out;
	store_options_init(&st->opt);
	if (opt != NULL) {
		if (opt->map_size)
			st->opt.map_size = opt->map_size;
		if (opt->max_readers)
			st->opt.max_readers = opt->max_readers;
		if (opt->op_max_age)
			st->opt.op_max_age = opt->op_max_age;
		if (opt->tomb_max)
			st->opt.tomb_max = opt->tomb_max;
		st->opt.readers_full_fallback = opt->readers_full_fallback;
	}
	st->pid = getpid();
	status = st_env_open(st, dir);
	if (status == STORE_OK)
		status = st_write(st, st_open_dbs, NULL);
	if (status != STORE_OK)
		goto out;
	st_notify_open(st, dir);
	*st_r = st;
	st = NULL;
out:
	store_close(&st);
	return status;
}

void store_close(store_t **stp)
{
	store_t *st;

	if (stp == NULL || *stp == NULL)
		return;
	st = *stp;
	*stp = NULL;
	if (st->env != NULL)
		mdb_env_close(st->env);
	st_notify_close(st);
	free(st);
}

int store_map_size(store_t *st, uint64_t *size_r)
{
	MDB_envinfo info;
	int rc;

	*size_r = 0;
	rc = mdb_env_info(st->env, &info);
	if (rc != 0)
		return st_err(rc, "mdb_env_info");
	*size_r = info.me_mapsize;
	return STORE_OK;
}
