/*
 * store_message_db.c -- message records ("msg": mbid|id), the per-folder
 * index ("fidx": mbid|folder id|id -> flags, size, received), insertion
 * and permanent removal with counter maintenance, and conversion to the
 * public store_msginfo_t.
 */
#include "store_int.h"

#include <string.h>

int st_msg_load(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t id,
                st_msg_t *m_r)
{
	unsigned char kb[16];
	MDB_val k = { st_key2(kb, mbid, id), kb }, v;
	int status;

	memset(m_r, 0, sizeof(*m_r));
	status = st_err(mdb_get(txn, st->db_msg, &k, &v), "msg get");
	if (status != STORE_OK)
		return status;
	if (v.mv_size > sizeof(m_r->rec))
		return st_corrupt("msg", &k, "%zu bytes, at most %zu", v.mv_size, sizeof(m_r->rec));
	memcpy(m_r->rec, v.mv_data, v.mv_size);
	v.mv_data = m_r->rec;
	if (st_msg_decode(&v, m_r) != STORE_OK)
		return st_corrupt("msg", &k, "message record of %zu bytes does not decode",
		                  v.mv_size);
	return STORE_OK;
}

int st_msg_save(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t id,
                const st_msg_t *m)
{
	unsigned char kb[16], vb[ST_MSG_REC_MAX];
	MDB_val k = { st_key2(kb, mbid, id), kb }, v;

	v.mv_data = vb;
	v.mv_size = st_msg_encode(m, vb);   /* m->sum may point into the map */
	return st_err(mdb_put(txn, st->db_msg, &k, &v, 0), "msg put");
}

int st_fidx_save(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t id,
                 const st_msg_t *m, uint64_t old_change)
{
	unsigned char kb[24], vb[ST_FIDX_VAL_LEN];
	MDB_val k = { st_key3(kb, mbid, m->folder_id, id), kb };
	MDB_val v = { ST_FIDX_VAL_LEN, vb };
	int status;

	st_put_u32(vb, m->flags);
	st_put_u64(vb + 4, m->size);
	st_put_u64(vb + 12, (uint64_t)m->received);
	status = st_err(mdb_put(txn, st->db_fidx, &k, &v, 0), "fidx put");
	if (status == STORE_OK && old_change != 0 && old_change != m->change)
		status = st_cidx_del(st, txn, mbid, m->folder_id, old_change, id);
	if (status == STORE_OK)
		status = st_cidx_put(st, txn, mbid, m->folder_id, m->change, id);
	return status;
}

int st_fidx_del(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t fid,
                uint64_t id, uint64_t change)
{
	unsigned char kb[24];
	MDB_val k = { st_key3(kb, mbid, fid, id), kb };
	int status;

	status = st_err(mdb_del(txn, st->db_fidx, &k, NULL), "fidx del");
	if (status == STORE_NOTFOUND)
		return st_corrupt("fidx", &k, "message missing from its folder index");
	if (status == STORE_OK)
		status = st_cidx_del(st, txn, mbid, fid, change, id);
	return status;
}

static int unread(uint32_t flags)
{
	return (flags & STORE_FLAG_SEEN) ? 0 : 1;
}

int st_msg_admit(store_t *st, MDB_txn *txn, const st_mbox_t *mb, uint64_t size)
{
	uint64_t max, quota;
	int status = st_policy(st, txn, STORE_POLICY_MAX_MESSAGE, &max);

	if (status == STORE_OK)
		status = st_mbox_quota(st, txn, mb, &quota);
	if (status != STORE_OK)
		return status;
	if (size > max)
		return STORE_TOOBIG;
	/* Unfinished uploads hold their announced size (store_upload.c). */
	uint64_t held = mb->bytes_used + mb->upload_bytes;
	if (quota != 0 && (size > quota || held > quota - size))
		return STORE_QUOTA;
	return STORE_OK;
}

int st_msg_insert(store_t *st, MDB_txn *txn, st_mbox_t *mb, uint64_t fid,
                  st_msg_t *m, uint64_t *id_r)
{
	uint64_t id;
	int status;

	*id_r = 0;
	status = st_msg_admit(st, txn, mb, m->size);
	if (status != STORE_OK)
		goto out;
	id = mb->next_msg_id++;
	m->folder_id = fid;
	m->change = mb->change;
	status = st_msg_save(st, txn, mb->mbid, id, m);
	if (status == STORE_OK)
		status = st_fidx_save(st, txn, mb->mbid, id, m, 0);
	if (status == STORE_OK)
		status = st_folder_adjust(st, txn, mb->mbid, fid, 1,
		                          unread(m->flags), (int64_t)m->size,
		                          mb->change);
	if (status != STORE_OK)
		goto out;
	mb->bytes_used += m->size;
	mb->messages++;
	*id_r = id;
out:
	return status;
}

int st_msg_remove(store_t *st, MDB_txn *txn, st_mbox_t *mb, uint64_t id,
                  int adjust_folder)
{
	unsigned char kb[16];
	MDB_val k = { st_key2(kb, mb->mbid, id), kb };
	uint64_t fid, size, blob, change;
	uint32_t flags;
	st_msg_t m;
	int status;

	status = st_msg_load(st, txn, mb->mbid, id, &m);
	if (status != STORE_OK)
		goto out;
	fid = m.folder_id;   /* m.sum dies with the delete below */
	size = m.size;
	blob = m.blob_id;
	flags = m.flags;
	change = m.change;
	status = st_err(mdb_del(txn, st->db_msg, &k, NULL), "msg del");
	if (status == STORE_OK)
		status = st_fidx_del(st, txn, mb->mbid, fid, id, change);
	if (status == STORE_OK)
		status = st_blob_ref(st, txn, blob, -1);
	if (status == STORE_OK && adjust_folder)
		status = st_folder_adjust(st, txn, mb->mbid, fid, -1,
		                          -unread(flags), -(int64_t)size, mb->change);
	if (status != STORE_OK)
		goto out;
	if (mb->bytes_used < size || mb->messages == 0) {
		status = st_corrupt("msg", &k, "mailbox %llu counts %llu messages, %llu bytes: "
		                    "fewer than it holds", (unsigned long long)mb->mbid,
		                    (unsigned long long)mb->messages,
		                    (unsigned long long)mb->bytes_used);
		goto out;
	}
	mb->bytes_used -= size;
	mb->messages--;
out:
	return status;
}

void st_msginfo_clear(store_msginfo_t *info)
{
	free(info->strbuf);
	memset(info, 0, sizeof(*info));
}

void store_msginfo_free(store_msginfo_t **info)
{
	if (info == NULL || *info == NULL)
		return;
	st_msginfo_clear(*info);
	free(*info);
	*info = NULL;
}

void store_msglist_free(store_msglist_t **list)
{
	size_t i;

	if (list == NULL || *list == NULL)
		return;
	for (i = 0; i < (*list)->count; i++)
		st_msginfo_clear(&(*list)->items[i]);
	free((*list)->items);
	free(*list);
	*list = NULL;
}

int st_msg_to_info(store_t *st, MDB_txn *txn, uint64_t mbid, uint64_t id,
                   const st_msg_t *m, store_msginfo_t *info)
{
	char **dst[SUM_COUNT] = { &info->from, &info->to, &info->cc,
	                          &info->subject, &info->date, &info->message_id };
	st_folder_t f;
	size_t total, off = 0;
	int i, status;

	memset(info, 0, sizeof(*info));
	status = st_folder_by_id(st, txn, mbid, m->folder_id, &f);
	if (status == STORE_NOTFOUND) {
		unsigned char kb[16];
		MDB_val k = { st_key2(kb, mbid, id), kb };
		status = st_corrupt("msg", &k, "in folder %llu, which does not exist",
		                    (unsigned long long)m->folder_id);
	}
	if (status != STORE_OK)
		goto out;
	total = f.pathlen + 1;
	for (i = 0; i < SUM_COUNT; i++)
		total += m->sumlen[i] + 1;
	info->strbuf = malloc(total);
	if (info->strbuf == NULL) {
		status = STORE_INTERNAL;
		goto out;
	}
	info->folder = info->strbuf;
	memcpy(info->strbuf, f.path, f.pathlen + 1);
	off = f.pathlen + 1;
	for (i = 0; i < SUM_COUNT; i++) {
		*dst[i] = info->strbuf + off;
		memcpy(info->strbuf + off, m->sum[i], m->sumlen[i]);
		off += m->sumlen[i];
		info->strbuf[off++] = '\0';
	}
	info->id = id;
	info->flags = m->flags;
	info->size = m->size;
	memcpy(info->sha256, m->sha256, 32);
	info->received = m->received;
	info->change = m->change;
out:
	return status;
}

int st_blob_summary(store_t *st, MDB_txn *txn, uint64_t blob_id,
                    uint64_t size, st_summary_t *sum_r)
{
	size_t n = size < ST_HEADER_SCAN_MAX ? (size_t)size : ST_HEADER_SCAN_MAX;
	char *head = NULL;
	int status = STORE_INTERNAL;

	memset(sum_r, 0, sizeof(*sum_r));
	head = malloc(n ? n : 1);
	if (head == NULL)
		goto out;
	status = st_blob_read(st, txn, blob_id, size, 0, head, n);
	if (status == STORE_OK)
		status = st_summary_parse(head, n, sum_r);
out:
	free(head);
	return status;
}

void st_msg_set_summary(st_msg_t *m, const st_summary_t *s)
{
	int i;

	for (i = 0; i < SUM_COUNT; i++) {
		m->sum[i] = s->f[i];
		m->sumlen[i] = s->len[i];
	}
}
