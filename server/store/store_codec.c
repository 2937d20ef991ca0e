/*
 * store_codec.c -- keys and record encode/decode (the big-endian integers
 * they are made of are inline in store_int.h).
 * Layouts: docs/store-schema.md.  A decoder checks every length before
 * it reads and returns STORE_CORRUPT for a record that does not decode;
 * it logs nothing, because only its caller knows the record's key.
 */
#include "store_int.h"

#include <string.h>

size_t st_key2(unsigned char out[16], uint64_t a, uint64_t b)
{
	st_put_u64(out, a);
	st_put_u64(out + 8, b);
	return 16;
}

size_t st_key3(unsigned char out[24], uint64_t a, uint64_t b, uint64_t c)
{
	st_put_u64(out, a);
	st_put_u64(out + 8, b);
	st_put_u64(out + 16, c);
	return 24;
}

/* mailbox: u16 ver, u16 flags, u32 0, then 7 x u64; version 2 adds what
 * the mailbox holds besides messages: u64 upload bytes, u32 uploads,
 * folders, ACL entries, op records, u64 0.  Version 1 (64 bytes, schema
 * 3) decodes with those counts 0, for the upgrade that counts them. */
void st_mbox_encode(const st_mbox_t *m, unsigned char out[ST_MBOX_REC_LEN])
{
	st_put_u16(out, 2);
	st_put_u16(out + 2, (uint16_t)m->flags);
	st_put_u32(out + 4, 0);
	st_put_u64(out + 8, m->mbid);
	st_put_u64(out + 16, m->next_msg_id);
	st_put_u64(out + 24, m->next_folder_id);
	st_put_u64(out + 32, m->bytes_used);
	st_put_u64(out + 40, m->messages);
	st_put_u64(out + 48, m->change);
	st_put_u64(out + 56, m->quota);
	st_put_u64(out + 64, m->upload_bytes);
	st_put_u32(out + 72, m->uploads);
	st_put_u32(out + 76, m->folders);
	st_put_u32(out + 80, m->acl_entries);
	st_put_u32(out + 84, m->ops);
	st_put_u64(out + 88, 0);
}

int st_mbox_decode(const MDB_val *v, st_mbox_t *m_r)
{
	const unsigned char *p = v->mv_data;
	unsigned version = v->mv_size >= 2 ? st_get_u16(p) : 0;

	memset(m_r, 0, sizeof(*m_r));
	if (!(version == 2 && v->mv_size == ST_MBOX_REC_LEN) &&
	    !(version == 1 && v->mv_size == ST_MBOX_REC_V1_LEN))
		return STORE_CORRUPT;
	m_r->version = version;
	m_r->flags = st_get_u16(p + 2);
	m_r->mbid = st_get_u64(p + 8);
	m_r->next_msg_id = st_get_u64(p + 16);
	m_r->next_folder_id = st_get_u64(p + 24);
	m_r->bytes_used = st_get_u64(p + 32);
	m_r->messages = st_get_u64(p + 40);
	m_r->change = st_get_u64(p + 48);
	m_r->quota = st_get_u64(p + 56);
	if (version == 1)
		return STORE_OK;
	m_r->upload_bytes = st_get_u64(p + 64);
	m_r->uploads = st_get_u32(p + 72);
	m_r->folders = st_get_u32(p + 76);
	m_r->acl_entries = st_get_u32(p + 80);
	m_r->ops = st_get_u32(p + 84);
	return STORE_OK;
}

/* folder: u16 ver, u16 flags, u32 0, 4 x u64, u16 pathlen, path */
size_t st_folder_encode(const st_folder_t *f, unsigned char *out)
{
	st_put_u16(out, 1);
	st_put_u16(out + 2, (uint16_t)f->flags);
	st_put_u32(out + 4, 0);
	st_put_u64(out + 8, f->total);
	st_put_u64(out + 16, f->unread);
	st_put_u64(out + 24, f->bytes);
	st_put_u64(out + 32, f->change);
	st_put_u16(out + 40, (uint16_t)f->pathlen);
	memcpy(out + 42, f->path, f->pathlen);
	return 42 + f->pathlen;
}

int st_folder_decode(const MDB_val *v, st_folder_t *f_r)
{
	const unsigned char *p = v->mv_data;
	size_t n;

	if (v->mv_size < 42 || st_get_u16(p) != 1)
		return STORE_CORRUPT;
	n = st_get_u16(p + 40);
	if (n > STORE_PATH_MAX || v->mv_size != 42 + n)
		return STORE_CORRUPT;
	f_r->flags = st_get_u16(p + 2);
	f_r->total = st_get_u64(p + 8);
	f_r->unread = st_get_u64(p + 16);
	f_r->bytes = st_get_u64(p + 24);
	f_r->change = st_get_u64(p + 32);
	f_r->pathlen = n;
	memcpy(f_r->path, p + 42, n);
	f_r->path[n] = '\0';
	return STORE_OK;
}

/* message: u16 ver, u16 0, u32 flags, folder, blob, size, received,
 * change (u64 each), sha256[32], then SUM_COUNT x (u16 len, bytes) */
size_t st_msg_encode(const st_msg_t *m, unsigned char *out)
{
	size_t off = ST_MSG_FIXED_LEN;
	int i;

	st_put_u16(out, 1);
	st_put_u16(out + 2, 0);
	st_put_u32(out + 4, m->flags);
	st_put_u64(out + 8, m->folder_id);
	st_put_u64(out + 16, m->blob_id);
	st_put_u64(out + 24, m->size);
	st_put_u64(out + 32, (uint64_t)m->received);
	st_put_u64(out + 40, m->change);
	memcpy(out + 48, m->sha256, 32);
	for (i = 0; i < SUM_COUNT; i++) {
		size_t n = m->sumlen[i];
		if (n > STORE_SUMMARY_MAX)   /* parsed and decoded fields are bounded */
			ST_BUG("summary field too long (%zu)", n);
		st_put_u16(out + off, (uint16_t)n);
		if (n > 0)
			memcpy(out + off + 2, m->sum[i], n);
		off += 2 + n;
	}
	return off;
}

int st_msg_decode(const MDB_val *v, st_msg_t *m_r)
{
	const unsigned char *p = v->mv_data;
	size_t off = ST_MSG_FIXED_LEN, n;
	int i;

	if (v->mv_size < ST_MSG_FIXED_LEN || v->mv_size > ST_MSG_REC_MAX || st_get_u16(p) != 1)
		return STORE_CORRUPT;
	m_r->flags = st_get_u32(p + 4);
	m_r->folder_id = st_get_u64(p + 8);
	m_r->blob_id = st_get_u64(p + 16);
	m_r->size = st_get_u64(p + 24);
	m_r->received = (int64_t)st_get_u64(p + 32);
	m_r->change = st_get_u64(p + 40);
	memcpy(m_r->sha256, p + 48, 32);
	for (i = 0; i < SUM_COUNT; i++) {
		if (off + 2 > v->mv_size)
			return STORE_CORRUPT;
		n = st_get_u16(p + off);
		if (n > STORE_SUMMARY_MAX || off + 2 + n > v->mv_size)
			return STORE_CORRUPT;
		m_r->sum[i] = (const char *)p + off + 2;
		m_r->sumlen[i] = n;
		off += 2 + n;
	}
	if (off != v->mv_size)
		return STORE_CORRUPT;
	return STORE_OK;
}

/* upload: u16 ver, u16 has_sha, u32 0, mbid, blob, expected, received,
 * created (u64 each), sha256[32] */
void st_upload_encode(const st_upload_t *u, unsigned char out[ST_UPLOAD_REC_LEN])
{
	st_put_u16(out, 1);
	st_put_u16(out + 2, (uint16_t)u->has_sha);
	st_put_u32(out + 4, 0);
	st_put_u64(out + 8, u->mbid);
	st_put_u64(out + 16, u->blob_id);
	st_put_u64(out + 24, u->expected);
	st_put_u64(out + 32, u->received);
	st_put_u64(out + 40, (uint64_t)u->created);
	memcpy(out + 48, u->sha256, 32);
}

int st_upload_decode(const MDB_val *v, st_upload_t *u_r)
{
	const unsigned char *p = v->mv_data;

	if (v->mv_size != ST_UPLOAD_REC_LEN || st_get_u16(p) != 1)
		return STORE_CORRUPT;
	u_r->has_sha = st_get_u16(p + 2);
	u_r->mbid = st_get_u64(p + 8);
	u_r->blob_id = st_get_u64(p + 16);
	u_r->expected = st_get_u64(p + 24);
	u_r->received = st_get_u64(p + 32);
	u_r->created = (int64_t)st_get_u64(p + 40);
	memcpy(u_r->sha256, p + 48, 32);
	return STORE_OK;
}
