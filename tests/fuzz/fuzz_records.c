/*
 * fuzz_records.c -- libFuzzer harness for the record decoders that read
 * what is on disk: the store's (store_codec.c: mailbox, folder, message,
 * upload) and the offline cache's (a summary, cache_db.c; a journal
 * entry, cache_journal.c).  The first byte chooses the decoder; the rest
 * is the record (for the cache's, its first 8 bytes are the key).
 *
 * What must hold: a decoder reads only within the record (ASan says if
 * not) and either refuses it (STORE_CORRUPT / MAILRPC_E_CORRUPT) or
 * gives values that survive encoding: decode(encode(decode(r))) is
 * decode(r), field for field.  A decoded cache record's strings are
 * NUL-terminated within their bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache_int.h"
#include "internal.h"
#include "scratch.h"
#include "store_int.h"

static void mbox(const MDB_val *v)
{
	st_mbox_t a, b;
	unsigned char out[ST_MBOX_REC_LEN];
	if (st_mbox_decode(v, &a) != STORE_OK)
		return;
	st_mbox_encode(&a, out);
	MDB_val w = {sizeof(out), out};
	FUZZ_CHECK(st_mbox_decode(&w, &b) == STORE_OK);
	FUZZ_CHECK(a.flags == b.flags && a.mbid == b.mbid && a.next_msg_id == b.next_msg_id &&
		   a.next_folder_id == b.next_folder_id && a.bytes_used == b.bytes_used &&
		   a.messages == b.messages && a.change == b.change && a.quota == b.quota);
}

static void folder(const MDB_val *v)
{
	static st_folder_t a, b;
	static unsigned char out[ST_FOLDER_REC_MAX];
	if (st_folder_decode(v, &a) != STORE_OK)
		return;
	FUZZ_CHECK(a.pathlen <= STORE_PATH_MAX && a.path[a.pathlen] == '\0');
	MDB_val w = {st_folder_encode(&a, out), out};
	FUZZ_CHECK(w.mv_size <= ST_FOLDER_REC_MAX);
	FUZZ_CHECK(st_folder_decode(&w, &b) == STORE_OK);
	FUZZ_CHECK(a.flags == b.flags && a.total == b.total && a.unread == b.unread &&
		   a.bytes == b.bytes && a.change == b.change && a.pathlen == b.pathlen &&
		   memcmp(a.path, b.path, a.pathlen) == 0);
}

static void message(const MDB_val *v)
{
	static st_msg_t a, b;
	static unsigned char out[ST_MSG_REC_MAX];
	if (st_msg_decode(v, &a) != STORE_OK)
		return;
	MDB_val w = {st_msg_encode(&a, out), out};
	FUZZ_CHECK(w.mv_size <= ST_MSG_REC_MAX);
	FUZZ_CHECK(st_msg_decode(&w, &b) == STORE_OK);
	FUZZ_CHECK(a.flags == b.flags && a.folder_id == b.folder_id && a.blob_id == b.blob_id &&
		   a.size == b.size && a.received == b.received && a.change == b.change &&
		   memcmp(a.sha256, b.sha256, 32) == 0);
	for (int i = 0; i < SUM_COUNT; i++)
		FUZZ_CHECK(a.sumlen[i] == b.sumlen[i] && a.sumlen[i] <= STORE_SUMMARY_MAX &&
			   memcmp(a.sum[i], b.sum[i], a.sumlen[i]) == 0);
}

static void upload(const MDB_val *v)
{
	st_upload_t a, b;
	unsigned char out[ST_UPLOAD_REC_LEN];
	if (st_upload_decode(v, &a) != STORE_OK)
		return;
	st_upload_encode(&a, out);
	MDB_val w = {sizeof(out), out};
	FUZZ_CHECK(st_upload_decode(&w, &b) == STORE_OK);
	FUZZ_CHECK(a.has_sha == b.has_sha && a.mbid == b.mbid && a.blob_id == b.blob_id &&
		   a.expected == b.expected && a.received == b.received && a.created == b.created &&
		   memcmp(a.sha256, b.sha256, 32) == 0);
}

/* Every byte of a decoded string is readable, up to its NUL. */
static void touch(const char *s)
{
	FUZZ_CHECK(s != NULL);
	size_t n = strlen(s);
	FUZZ_CHECK(memchr(s, '\0', n + 1) == s + n); /* ASan checks the range */
}

static void summary(const MDB_val *k, const MDB_val *v)
{
	struct mailrpc_summary s;
	int rc = mc_summary_decode(k, v, &s);
	FUZZ_CHECK(rc == MAILRPC_OK || rc == MAILRPC_E_CORRUPT);
	if (rc != MAILRPC_OK)
		return;
	FUZZ_CHECK(memchr(s.folder, '\0', sizeof(s.folder)) != NULL);
	const char *str[] = {s.from, s.to, s.cc, s.subject, s.date, s.message_id};
	for (size_t i = 0; i < sizeof(str) / sizeof(str[0]); i++)
		touch(str[i]);
	mr_summary_clear(&s);
}

static void entry(const MDB_val *k, const MDB_val *v)
{
	struct mc_entry e;
	int rc = mc_entry_decode(k, v, &e);
	FUZZ_CHECK(rc == MAILRPC_OK || rc == MAILRPC_E_CORRUPT);
	if (rc == MAILRPC_OK) {
		FUZZ_CHECK(memchr(e.folder, '\0', sizeof(e.folder)) != NULL);
		/* n_rcpts names, each NUL-terminated, filling rcpts_len */
		size_t at = 0;
		for (size_t i = 0; i < e.n_rcpts; i++) {
			FUZZ_CHECK(at < e.rcpts_len);
			at += strlen(e.rcpts + at) + 1;
		}
		FUZZ_CHECK(at == e.rcpts_len);
	}
	mc_entry_clear(&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	/* A copy of its own, so ASan sees a read past the record's end. */
	size_t n = size - 1;
	unsigned char *rec = malloc(n ? n : 1);
	FUZZ_CHECK(rec != NULL);
	memcpy(rec, data + 1, n);
	MDB_val v = {n, rec};
	MDB_val ck = {n < 8 ? n : 8, rec}, cv = {n < 8 ? 0 : n - 8, rec + (n < 8 ? n : 8)};
	switch (data[0] % 6) {
	case 0:
		mbox(&v);
		break;
	case 1:
		folder(&v);
		break;
	case 2:
		message(&v);
		break;
	case 3:
		upload(&v);
		break;
	case 4:
		summary(&ck, &cv);
		break;
	default:
		entry(&ck, &cv);
		break;
	}
	free(rec);
	return 0;
}
