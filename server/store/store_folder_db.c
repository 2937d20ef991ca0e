/*
 * store_folder_db.c -- folder records: lookup by path / id, save, add,
 * counter adjustment.  Databases "fpath" (mbid|path -> folder id) and
 * "folder" (mbid|folder id -> record).
 */
#include "store_int.h"

#include <string.h>

static size_t fpath_key(unsigned char *out, uint64_t mbid, const char *path,
                        size_t len)
{
	st_put_u64(out, mbid);
	memcpy(out + 8, path, len);
	return 8 + len;
}

int st_folder_by_id(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t fid,
                    st_folder_t *f_r)
{
	unsigned char kb[16];
	MDB_val k = { st_key2(kb, mbid, fid), kb }, v;
	int status;

	memset(f_r, 0, sizeof(*f_r));
	status = st_err(mdb_get(txn, st->db_folder, &k, &v), "folder get");
	if (status == STORE_OK && st_folder_decode(&v, f_r) != STORE_OK)
		status = st_corrupt("folder", &k, "folder record of %zu bytes does not decode",
		                    v.mv_size);
	f_r->id = status == STORE_OK ? fid : 0;
	return status;
}

int st_folder_by_path(store_t *st, MDB_txn *txn, uint64_t mbid,
                      const char *path, st_folder_t *f_r)
{
	unsigned char kb[8 + STORE_PATH_MAX];
	MDB_val k, v;
	int status;

	memset(f_r, 0, sizeof(*f_r));
	status = st_valid_path(path);
	if (status != STORE_OK)
		goto out;
	k.mv_data = kb;
	k.mv_size = fpath_key(kb, mbid, path, strlen(path));
	status = st_err(mdb_get(txn, st->db_fpath, &k, &v), "fpath get");
	if (status != STORE_OK)
		goto out;
	if (v.mv_size != 8) {
		status = st_corrupt("fpath", &k, "%zu bytes, not 8", v.mv_size);
		goto out;
	}
	status = st_folder_by_id(st, txn, mbid, st_get_u64(v.mv_data), f_r);
	if (status == STORE_NOTFOUND)
		status = st_corrupt("fpath", &k, "names folder %llu, which does not exist",
		                    (unsigned long long)st_get_u64(v.mv_data));
out:
	return status;
}

int st_folder_save(store_t *st, MDB_txn *txn, uint64_t mbid,
                   const st_folder_t *f)
{
	unsigned char kb[16], vb[ST_FOLDER_REC_MAX];
	MDB_val k = { st_key2(kb, mbid, f->id), kb }, v;

	v.mv_data = vb;
	v.mv_size = st_folder_encode(f, vb);
	return st_err(mdb_put(txn, st->db_folder, &k, &v, 0), "folder put");
}

int st_folder_add(store_t *st, MDB_txn *txn, st_mbox_t *mb, const char *path,
                  uint32_t flags)
{
	unsigned char kb[8 + STORE_PATH_MAX], vb[8];
	st_folder_t f;
	MDB_val k, v = { 8, vb };
	int rc, status;

	memset(&f, 0, sizeof(f));
	f.pathlen = strlen(path);
	if (f.pathlen > STORE_PATH_MAX)
		return STORE_INVALID;
	memcpy(f.path, path, f.pathlen);
	f.id = mb->next_folder_id++;
	f.flags = flags;
	f.change = mb->change;
	k.mv_data = kb;
	k.mv_size = fpath_key(kb, mb->mbid, path, f.pathlen);
	st_put_u64(vb, f.id);
	rc = mdb_put(txn, st->db_fpath, &k, &v, MDB_NOOVERWRITE);
	status = rc == MDB_KEYEXIST ? STORE_EXISTS : st_err(rc, "fpath put");
	if (status == STORE_OK)
		status = st_folder_save(st, txn, mb->mbid, &f);
	if (status == STORE_OK)
		mb->folders++;
	return status;
}

/* v + d, or corrupt: a folder cannot lose more than it counts. */
static int add_delta(uint64_t *v, int64_t d, const char *what, uint64_t mbid, uint64_t fid)
{
	unsigned char kb[16];
	MDB_val k = { st_key2(kb, mbid, fid), kb };

	if (d < 0 && (uint64_t)(-d) > *v)
		return st_corrupt("folder", &k, "%s is %llu, cannot lose %lld", what,
		                  (unsigned long long)*v, (long long)-d);
	*v += (uint64_t)d;
	return STORE_OK;
}

int st_folder_adjust(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t fid,
                     int64_t dtotal, int64_t dunread, int64_t dbytes,
                     uint64_t change)
{
	st_folder_t f;
	int status;

	status = st_folder_by_id(st, txn, mbid, fid, &f);
	if (status != STORE_OK)
		goto out;
	status = add_delta(&f.total, dtotal, "total", mbid, fid);
	if (status == STORE_OK)
		status = add_delta(&f.unread, dunread, "unread", mbid, fid);
	if (status == STORE_OK)
		status = add_delta(&f.bytes, dbytes, "bytes", mbid, fid);
	if (status != STORE_OK)
		goto out;
	f.change = change;
	status = st_folder_save(st, txn, mbid, &f);
out:
	return status;
}

void st_folder_to_info(const st_folder_t *f, store_folder_info_t *info)
{
	memset(info, 0, sizeof(*info));
	memcpy(info->path, f->path, f->pathlen);
	info->path[f->pathlen] = '\0';
	info->total = f->total;
	info->unread = f->unread;
	info->bytes = f->bytes;
	info->change = f->change;
	info->well_known = (f->flags & ST_FOLDER_WELLKNOWN) != 0;
	info->id = f->id;
}
