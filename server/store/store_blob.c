/*
 * store_blob.c -- message bodies as reference-counted blobs of fixed-size
 * chunks.  "blob": blob id|chunk index (u32) -> STORE_CHUNK_SIZE bytes
 * (last chunk shorter, never empty).  "blobmeta": blob id -> refs, size.
 * A body is shared by every copy of a message and by the upload that
 * produced it; it is deleted when the last reference goes.
 */
#include "store_int.h"

#include <openssl/evp.h>
#include <string.h>


static size_t chunk_key(unsigned char out[12], uint64_t blob, uint32_t idx)
{
	st_put_u64(out, blob);
	st_put_u32(out + 8, idx);
	return 12;
}

/* A body's metadata record disagrees with the count it was used with. */
static int meta_corrupt(uint64_t blob, const char *what, long long have, long long want)
{
	unsigned char kb[8];
	MDB_val k = { 8, kb };

	st_put_u64(kb, blob);
	return st_corrupt("blobmeta", &k, "%s %lld, want %lld", what, have, want);
}

static int meta_get(store_t *st, MDB_txn *txn, uint64_t blob,
                    uint32_t *refs_r, uint64_t *size_r)
{
	unsigned char kb[8];
	MDB_val k = { 8, kb }, v;
	int status;

	*refs_r = 0;
	*size_r = 0;
	st_put_u64(kb, blob);
	status = st_err(mdb_get(txn, st->db_blobmeta, &k, &v), "blobmeta get");
	if (status == STORE_NOTFOUND)   /* a message or upload names it */
		return st_corrupt("blobmeta", &k, "body is named but has no metadata");
	if (status != STORE_OK)
		return status;
	if (v.mv_size != ST_BLOBMETA_LEN)
		return st_corrupt("blobmeta", &k, "%zu bytes, not %u", v.mv_size, ST_BLOBMETA_LEN);
	*refs_r = st_get_u32(v.mv_data);
	*size_r = st_get_u64((const unsigned char *)v.mv_data + 8);
	return STORE_OK;
}

static int meta_put(store_t *st, MDB_txn *txn, uint64_t blob, uint32_t refs,
                    uint64_t size)
{
	unsigned char kb[8], vb[ST_BLOBMETA_LEN];
	MDB_val k = { 8, kb }, v = { ST_BLOBMETA_LEN, vb };

	st_put_u64(kb, blob);
	st_put_u32(vb, refs);
	st_put_u32(vb + 4, 0);
	st_put_u64(vb + 8, size);
	return st_err(mdb_put(txn, st->db_blobmeta, &k, &v, 0), "blobmeta put");
}

int st_blob_new(store_t *st, MDB_txn *txn, uint64_t *blob_id_r)
{
	uint64_t id;
	int status;

	*blob_id_r = 0;
	status = st_meta_next(st, txn, "next_blob", &id);
	if (status == STORE_OK)
		status = meta_put(st, txn, id, 1, 0);
	if (status == STORE_OK)
		*blob_id_r = id;
	return status;
}

/* Writes one chunk; the value is reserved in the map and filled in place. */
static int chunk_put(store_t *st, MDB_txn *txn, uint64_t blob, uint32_t idx,
                     const void *a, size_t alen, const void *b, size_t blen)
{
	unsigned char kb[12];
	MDB_val k = { chunk_key(kb, blob, idx), kb }, v = { alen + blen, NULL };
	int status;

	status = st_err(mdb_put(txn, st->db_blob, &k, &v, MDB_RESERVE), "blob put");
	if (status == STORE_OK) {
		if (alen)
			memcpy(v.mv_data, a, alen);
		if (blen)
			memcpy((unsigned char *)v.mv_data + alen, b, blen);
	}
	return status;
}

static int chunk_get(store_t *st, MDB_txn *txn, uint64_t blob, uint64_t size,
                     uint32_t idx, MDB_val *v_r)
{
	unsigned char kb[12];
	MDB_val k = { chunk_key(kb, blob, idx), kb };
	uint64_t start = (uint64_t)idx * STORE_CHUNK_SIZE, want;
	int status;

	status = st_err(mdb_get(txn, st->db_blob, &k, v_r), "blob get");
	if (status == STORE_NOTFOUND)
		return st_corrupt("blob", &k, "chunk of a body of %llu bytes is missing",
		                  (unsigned long long)size);
	if (status != STORE_OK)
		return status;
	want = size - start < STORE_CHUNK_SIZE ? size - start : STORE_CHUNK_SIZE;
	if (v_r->mv_size != want)
		return st_corrupt("blob", &k, "chunk has %zu bytes, want %llu", v_r->mv_size,
		                  (unsigned long long)want);
	return STORE_OK;
}

int st_blob_append(store_t *st, MDB_txn *txn, uint64_t blob_id,
                   uint64_t cur_size, const void *data, size_t len)
{
	const unsigned char *p = data;
	unsigned char *head = NULL;
	uint64_t size;
	uint32_t refs, idx;
	size_t within, n;
	MDB_val v;
	int status;

	status = meta_get(st, txn, blob_id, &refs, &size);
	if (status != STORE_OK)
		goto out;
	if (size != cur_size) {   /* cur_size is the upload record's count */
		status = meta_corrupt(blob_id, "size", (long long)size, (long long)cur_size);
		goto out;
	}
	if (len == 0)
		goto out;
	idx = (uint32_t)(size / STORE_CHUNK_SIZE);
	within = (size_t)(size % STORE_CHUNK_SIZE);
	if (within > 0) {
		/* Top up the partial last chunk (copy it out first: the put
		 * replaces its pages). */
		status = chunk_get(st, txn, blob_id, size, idx, &v);
		if (status != STORE_OK)
			goto out;
		head = malloc(within);
		if (head == NULL) {
			status = STORE_INTERNAL;
			goto out;
		}
		memcpy(head, v.mv_data, within);
		n = STORE_CHUNK_SIZE - within < len ? STORE_CHUNK_SIZE - within : len;
		status = chunk_put(st, txn, blob_id, idx, head, within, p, n);
		if (status != STORE_OK)
			goto out;
		p += n;
		len -= n;
		size += n;
		idx++;
	}
	while (len > 0) {
		n = len < STORE_CHUNK_SIZE ? len : STORE_CHUNK_SIZE;
		status = chunk_put(st, txn, blob_id, idx, p, n, NULL, 0);
		if (status != STORE_OK)
			goto out;
		p += n;
		len -= n;
		size += n;
		idx++;
	}
	status = meta_put(st, txn, blob_id, refs, size);
out:
	free(head);
	return status;
}

int st_blob_read(store_t *st, MDB_txn *txn, uint64_t blob_id, uint64_t size,
                 uint64_t offset, void *buf, size_t len)
{
	unsigned char *out = buf;
	uint32_t idx;
	size_t within, n;
	MDB_val v;
	int status = STORE_OK;

	if (offset > size || len > size - offset)   /* callers clamp to size */
		ST_BUG("blob read past end");
	while (len > 0) {
		idx = (uint32_t)(offset / STORE_CHUNK_SIZE);
		within = (size_t)(offset % STORE_CHUNK_SIZE);
		status = chunk_get(st, txn, blob_id, size, idx, &v);
		if (status != STORE_OK)
			break;
		n = v.mv_size - within < len ? v.mv_size - within : len;
		memcpy(out, (const unsigned char *)v.mv_data + within, n);
		out += n;
		offset += n;
		len -= n;
	}
	return status;
}

int st_blob_each(store_t *st, MDB_txn *txn, uint64_t blob_id, uint64_t size,
                 st_chunk_fn fn, void *ctx)
{
	uint64_t off;
	uint32_t idx = 0;
	MDB_val v;
	int status = STORE_OK;

	for (off = 0; off < size; off += v.mv_size, idx++) {
		status = chunk_get(st, txn, blob_id, size, idx, &v);
		if (status != STORE_OK)
			break;
		status = fn(v.mv_data, v.mv_size, ctx);
		if (status != 0)
			break;
	}
	return status;
}

static int sha_chunk(const unsigned char *p, size_t len, void *ctx)
{
	return EVP_DigestUpdate(ctx, p, len) == 1 ? 0 : STORE_INTERNAL;
}

int st_blob_sha256(store_t *st, MDB_txn *txn, uint64_t blob_id, uint64_t size,
                   unsigned char out[32])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned int n = 0;
	int status = STORE_INTERNAL;

	memset(out, 0, 32);
	if (md == NULL || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		st_log(STORE_LOG_ERR, "EVP sha256 init failed");
		goto out;
	}
	status = st_blob_each(st, txn, blob_id, size, sha_chunk, md);
	if (status != STORE_OK)
		goto out;
	if (EVP_DigestFinal_ex(md, out, &n) != 1 || n != 32) {
		st_log(STORE_LOG_ERR, "EVP sha256 final failed");
		status = STORE_INTERNAL;
	}
out:
	EVP_MD_CTX_free(md);
	return status;
}

int st_blob_ref(store_t *st, MDB_txn *txn, uint64_t blob_id, int64_t delta)
{
	unsigned char kb[12];
	MDB_val k;
	uint64_t size, nchunks, i;
	uint32_t refs;
	int64_t nrefs;
	int status;

	status = meta_get(st, txn, blob_id, &refs, &size);
	if (status != STORE_OK)
		goto out;
	nrefs = (int64_t)refs + delta;
	if (nrefs < 0 || nrefs > UINT32_MAX) {
		status = meta_corrupt(blob_id, "references", (long long)refs, (long long)refs - delta);
		goto out;
	}
	if (nrefs > 0) {
		status = meta_put(st, txn, blob_id, (uint32_t)nrefs, size);
		goto out;
	}
	nchunks = (size + STORE_CHUNK_SIZE - 1) / STORE_CHUNK_SIZE;
	for (i = 0; i < nchunks; i++) {
		k.mv_data = kb;
		k.mv_size = chunk_key(kb, blob_id, (uint32_t)i);
		status = st_err(mdb_del(txn, st->db_blob, &k, NULL), "blob del");
		if (status != STORE_OK)
			goto out;
	}
	k.mv_data = kb;
	k.mv_size = 8;
	st_put_u64(kb, blob_id);
	status = st_err(mdb_del(txn, st->db_blobmeta, &k, NULL), "blobmeta del");
out:
	return status;
}
