/*
 * cache_db.c -- the offline cache's LMDB file: opening it (one file per
 * server and mailbox), transactions, and reading and writing summaries,
 * body chunks, sync states and the folder list (layout in cache_int.h),
 * and mailrpc_cache_folders, which is just that list.
 */
#include <errno.h>
#include <fcntl.h>
#include <krb5.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache_int.h"

/* Summaries and bodies of a large mailbox; the file grows only as used. */
#define CACHE_MAP_SIZE ((size_t)64 << 30)
#define KEY_FOLDERS "folders"

int mc_fail(struct mailrpc_error *err, int rc, const char *doing)
{
	return mr_fail(err, MAILRPC_E_IO, "offline cache: cannot %s: %s", doing, mdb_strerror(rc));
}

int mc_begin(struct mailrpc_cache *c, int write, MDB_txn **txn_r, struct mailrpc_error *err)
{
	int rc = mdb_txn_begin(c->env, NULL, write ? 0 : MDB_RDONLY, txn_r);
	return rc == 0 ? MAILRPC_OK : mc_fail(err, rc, "begin a transaction");
}

int mc_end(MDB_txn *txn, int status, struct mailrpc_error *err)
{
	if (status != MAILRPC_OK) {
		mdb_txn_abort(txn);
		return status;
	}
	int rc = mdb_txn_commit(txn);
	return rc == 0 ? MAILRPC_OK : mc_fail(err, rc, "commit");
}

void mc_put_be64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

uint64_t mc_get_be64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* ---- opening ---------------------------------------------------------- */

/* Whose own mailbox this is: the ticket cache's default principal, read
 * locally so that offline use needs no server. */
static int own_principal(const char *ccache, char *buf, size_t len, struct mailrpc_error *err)
{
	krb5_context ctx;
	krb5_ccache cc = NULL;
	krb5_principal p = NULL;
	char *name = NULL;
	if (krb5_init_context(&ctx) != 0)
		return mr_fail(err, MAILRPC_E_NOCREDS, "cannot start Kerberos");
	int bad =
	    (ccache && ccache[0] ? krb5_cc_resolve(ctx, ccache, &cc) : krb5_cc_default(ctx, &cc)) ||
	    krb5_cc_get_principal(ctx, cc, &p) || krb5_unparse_name(ctx, p, &name);
	if (!bad)
		snprintf(buf, len, "%s", name);
	krb5_free_unparsed_name(ctx, name);
	krb5_free_principal(ctx, p);
	if (cc)
		krb5_cc_close(ctx, cc);
	krb5_free_context(ctx);
	return bad ? mr_fail(err, MAILRPC_E_NOCREDS,
			     "no Kerberos ticket cache names you: run kinit (the offline cache is "
			     "per user)")
		   : MAILRPC_OK;
}

/* dir/cache-<hex SHA-256 of server NUL mailbox-or-~principal>.mdb */
static int cache_path(const struct mailrpc_options *opts, char *path, size_t len,
		      struct mailrpc_error *err)
{
	char who[600];
	if (opts->mailbox && opts->mailbox[0])
		snprintf(who, sizeof(who), "%s", opts->mailbox);
	else {
		who[0] = '~';
		int status = own_principal(opts->ccache, who + 1, sizeof(who) - 1, err);
		if (status != MAILRPC_OK)
			return status;
	}
	unsigned char md[32];
	char hex[65];
	EVP_MD_CTX *h = EVP_MD_CTX_new();
	int ok = h && EVP_DigestInit_ex(h, EVP_sha256(), NULL) &&
		 EVP_DigestUpdate(h, opts->server, strlen(opts->server) + 1) &&
		 EVP_DigestUpdate(h, who, strlen(who)) && EVP_DigestFinal_ex(h, md, NULL);
	EVP_MD_CTX_free(h);
	if (!ok)
		return mr_fail(err, MAILRPC_E_NOMEM, "out of memory opening the offline cache");
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	snprintf(path, len, "%s/cache-%s.mdb", opts->state_dir, hex);
	return MAILRPC_OK;
}

/* LMDB opens its data and lock files following symbolic links, so they
 * are made (0600) or checked here first, without following any: a link
 * planted in their place is refused, not written through.  The data file
 * is made only when create; MAILRPC_E_NOTFOUND when missing otherwise. */
static int prepare_files(const char *path, int create, struct mailrpc_error *err)
{
	char lock[1450];
	int fd;
	int status = mr_state_open(path, create ? O_RDWR | O_CREAT : O_RDONLY, &fd, err);
	if (status != MAILRPC_OK)
		return status;
	close(fd);
	snprintf(lock, sizeof(lock), "%s-lock", path);
	status = mr_state_open(lock, O_RDWR | O_CREAT, &fd, err);
	if (status == MAILRPC_OK)
		close(fd);
	return status;
}

static int open_dbs(struct mailrpc_cache *c, int create, struct mailrpc_error *err)
{
	MDB_txn *txn;
	int status = mc_begin(c, create, &txn, err);
	if (status != MAILRPC_OK)
		return status;
	unsigned flags = create ? MDB_CREATE : 0;
	int rc = mdb_dbi_open(txn, "meta", flags, &c->meta);
	if (rc == 0)
		rc = mdb_dbi_open(txn, "state", flags, &c->state);
	if (rc == 0)
		rc = mdb_dbi_open(txn, "summary", flags, &c->summary);
	if (rc == 0)
		rc = mdb_dbi_open(txn, "body", flags, &c->body);
	/* Caches from before offline changes have no journal: made on write. */
	if (rc == 0)
		rc = mdb_dbi_open(txn, "journal", flags, &c->journal);
	if (rc == MDB_NOTFOUND && !create)
		rc = 0, c->journal = 0, c->no_journal = 1;
	return mc_end(txn, rc == 0 ? MAILRPC_OK : mc_fail(err, rc, "open its tables"), err);
}

int mailrpc_cache_open(const struct mailrpc_options *opts, int create,
		       struct mailrpc_cache **cache_r, struct mailrpc_error *err)
{
	*cache_r = NULL;
	if (opts == NULL || opts->server == NULL || opts->state_dir == NULL)
		return mr_fail(err, MAILRPC_E_USAGE,
			       "the offline cache needs a server name and a cache directory");
	char path[1400];
	int status = mr_state_dir_check(opts->state_dir, err);
	if (status == MAILRPC_OK)
		status = cache_path(opts, path, sizeof(path), err);
	if (status != MAILRPC_OK)
		return status;
	int must_exist = create != 1;
	create = create != 0; /* MAILRPC_CACHE_WRITE: an existing one, for writing */
	status = prepare_files(path, !must_exist, err);
	if (status == MAILRPC_E_NOTFOUND)
		return mr_fail(err, MAILRPC_E_NOTCACHED,
			       "nothing is cached for %s%s%s: run mailrpc sync first", opts->server,
			       opts->mailbox ? " mailbox " : "",
			       opts->mailbox ? opts->mailbox : "");
	if (status != MAILRPC_OK)
		return status;
	struct mailrpc_cache *c = calloc(1, sizeof(*c));
	if (c == NULL)
		return mr_fail(err, MAILRPC_E_NOMEM, "out of memory opening the offline cache");
	int rc = mdb_env_create(&c->env);
	if (rc == 0 && (rc = mdb_env_set_maxdbs(c->env, 5)) == 0 &&
	    (rc = mdb_env_set_mapsize(c->env, CACHE_MAP_SIZE)) == 0)
		rc = mdb_env_open(c->env, path, MDB_NOSUBDIR | (create ? 0 : MDB_RDONLY), 0600);
	status = rc == 0 ? open_dbs(c, create, err) : mc_fail(err, rc, "open it");
	if (status != MAILRPC_OK)
		mailrpc_cache_close(&c);
	*cache_r = c;
	return status;
}

void mailrpc_cache_close(struct mailrpc_cache **cache)
{
	if (cache == NULL || *cache == NULL)
		return;
	if ((*cache)->env)
		mdb_env_close((*cache)->env);
	free(*cache);
	*cache = NULL;
}

/* ---- summaries -------------------------------------------------------- */

/* Fixed part of an encoded summary; then folder, from, to, cc, subject,
 * date and message_id, each NUL-terminated. */
#define SUM_FIXED (4 + 8 + 8 + 32)
#define SUM_STRINGS 7

int mc_summary_put(struct mailrpc_cache *c, MDB_txn *txn, const struct mailrpc_summary *s,
		   struct mailrpc_error *err)
{
	const char *str[SUM_STRINGS] = {s->folder,  s->from, s->to,	   s->cc,
					s->subject, s->date, s->message_id};
	size_t len = SUM_FIXED;
	for (int i = 0; i < SUM_STRINGS; i++)
		len += strlen(str[i]) + 1;
	unsigned char *buf = malloc(len), kb[8];
	if (buf == NULL)
		return mr_fail(err, MAILRPC_E_NOMEM, "out of memory caching a summary");
	uint32_t flags = s->flags;
	memcpy(buf, &flags, 4);
	mc_put_be64(buf + 4, s->size);
	mc_put_be64(buf + 12, (uint64_t)s->received);
	memcpy(buf + 20, s->sha256, 32);
	unsigned char *p = buf + SUM_FIXED;
	for (int i = 0; i < SUM_STRINGS; i++) {
		size_t n = strlen(str[i]) + 1;
		memcpy(p, str[i], n);
		p += n;
	}
	mc_put_be64(kb, s->id);
	MDB_val k = {8, kb}, v = {len, buf};
	int rc = mdb_put(txn, c->summary, &k, &v, 0);
	free(buf);
	return rc == 0 ? MAILRPC_OK : mc_fail(err, rc, "store a summary");
}

/* Fills s from a record; the strings point into val (valid in its
 * transaction).  -1 on a record that is not one. */
static int decode_view(const MDB_val *key, const MDB_val *val, struct mailrpc_summary *s,
		       const char **str)
{
	const unsigned char *p = val->mv_data, *end = p + val->mv_size;
	if (key->mv_size != 8 || val->mv_size < SUM_FIXED)
		return -1;
	memset(s, 0, sizeof(*s));
	s->id = mc_get_be64(key->mv_data);
	uint32_t flags;
	memcpy(&flags, p, 4);
	s->flags = flags;
	s->size = mc_get_be64(p + 4);
	s->received = (int64_t)mc_get_be64(p + 12);
	memcpy(s->sha256, p + 20, 32);
	p += SUM_FIXED;
	for (int i = 0; i < SUM_STRINGS; i++) {
		const unsigned char *nul = memchr(p, '\0', (size_t)(end - p));
		if (nul == NULL)
			return -1;
		str[i] = (const char *)p;
		p = nul + 1;
	}
	return p == end ? 0 : -1;
}

/* Copies strings (str[0] is the folder) into s; -1 when out of memory. */
static int take_strings(struct mailrpc_summary *s, const char *const *str)
{
	snprintf(s->folder, sizeof(s->folder), "%s", str[0]);
	char **dst[] = {&s->from, &s->to, &s->cc, &s->subject, &s->date, &s->message_id};
	for (int i = 0; i < SUM_STRINGS - 1; i++)
		if ((*dst[i] = strdup(str[i + 1])) == NULL)
			return -1;
	return 0;
}

int mc_summary_decode(const MDB_val *key, const MDB_val *val, struct mailrpc_summary *s)
{
	const char *str[SUM_STRINGS];
	if (decode_view(key, val, s, str) != 0)
		return MAILRPC_E_CORRUPT;
	if (take_strings(s, str) != 0) {
		mr_summary_clear(s);
		return MAILRPC_E_NOMEM;
	}
	return MAILRPC_OK;
}

static int decode_fail(int status, struct mailrpc_error *err)
{
	return status == MAILRPC_E_NOMEM
		   ? mr_fail(err, status, "out of memory reading the offline cache")
		   : mr_fail(err, status, "the offline cache is damaged: remove it and sync again");
}

int mc_summary_get(struct mailrpc_cache *c, MDB_txn *txn, uint64_t id, struct mailrpc_summary *s,
		   struct mailrpc_error *err)
{
	unsigned char kb[8];
	mc_put_be64(kb, id);
	MDB_val k = {8, kb}, v;
	int rc = mdb_get(txn, c->summary, &k, &v);
	if (rc == MDB_NOTFOUND)
		return mr_fail(err, MAILRPC_E_NOTCACHED, "message %llu is not in the offline cache",
			       (unsigned long long)id);
	if (rc != 0)
		return mc_fail(err, rc, "read a summary");
	int status = mc_summary_decode(&k, &v, s);
	return status == MAILRPC_OK ? status : decode_fail(status, err);
}

int mc_summary_drop(struct mailrpc_cache *c, MDB_txn *txn, uint64_t id, struct mailrpc_error *err)
{
	unsigned char kb[8];
	mc_put_be64(kb, id);
	MDB_val k = {8, kb};
	int rc = mdb_del(txn, c->summary, &k, NULL);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return mc_fail(err, rc, "drop a summary");
	return mc_body_drop(c, txn, id, err);
}

int mc_summary_each(struct mailrpc_cache *c, MDB_txn *txn, mc_summary_fn fn, void *ctx,
		    struct mailrpc_error *err)
{
	MDB_cursor *cur;
	int rc = mdb_cursor_open(txn, c->summary, &cur);
	if (rc != 0)
		return mc_fail(err, rc, "read summaries");
	MDB_val k, v;
	int status = MAILRPC_OK;
	struct mailrpc_summary s;
	const char *str[SUM_STRINGS];
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && status == MAILRPC_OK;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		/* Views into the record: no copy for summaries a caller skips. */
		if (decode_view(&k, &v, &s, str) != 0) {
			status = decode_fail(MAILRPC_E_CORRUPT, err);
			break;
		}
		snprintf(s.folder, sizeof(s.folder), "%s", str[0]);
		s.from = (char *)str[1], s.to = (char *)str[2], s.cc = (char *)str[3];
		s.subject = (char *)str[4], s.date = (char *)str[5], s.message_id = (char *)str[6];
		status = fn(&s, ctx);
	}
	mdb_cursor_close(cur);
	if (status == MAILRPC_OK && rc != 0 && rc != MDB_NOTFOUND)
		status = mc_fail(err, rc, "read summaries");
	return status;
}

int mc_list_append(struct mailrpc_msglist *list, const struct mailrpc_summary *s,
		   struct mailrpc_error *err)
{
	struct mailrpc_summary *grown = realloc(list->items, (list->count + 1) * sizeof(*grown));
	if (grown == NULL)
		return mr_fail(err, MAILRPC_E_NOMEM, "out of memory listing messages");
	list->items = grown;
	struct mailrpc_summary *out = &grown[list->count];
	*out = *s;
	out->from = out->to = out->cc = out->subject = out->date = out->message_id = NULL;
	/* Counted first, so a half-copied entry is freed with the list. */
	list->count++;
	const char *str[SUM_STRINGS] = {s->folder,  s->from, s->to,	   s->cc,
					s->subject, s->date, s->message_id};
	return take_strings(out, str) == 0 ? MAILRPC_OK : decode_fail(MAILRPC_E_NOMEM, err);
}

/* ---- bodies ----------------------------------------------------------- */

int mc_body_each(struct mailrpc_cache *c, MDB_txn *txn, uint64_t id, mc_chunk_fn fn, void *ctx,
		 struct mailrpc_error *err)
{
	MDB_cursor *cur;
	int rc = mdb_cursor_open(txn, c->body, &cur);
	if (rc != 0)
		return mc_fail(err, rc, "read a body");
	unsigned char kb[16];
	mc_put_be64(kb, id);
	mc_put_be64(kb + 8, 0);
	MDB_val k = {16, kb}, v;
	int status = MAILRPC_OK;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0 && status == MAILRPC_OK;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 16 || mc_get_be64(k.mv_data) != id)
			break;
		status = fn(v.mv_data, v.mv_size, ctx);
	}
	mdb_cursor_close(cur);
	if (status == MAILRPC_OK && rc != 0 && rc != MDB_NOTFOUND)
		status = mc_fail(err, rc, "read a body");
	return status;
}

struct body_digest {
	EVP_MD_CTX *md;
	uint64_t have;
};

static int digest_chunk(const void *data, size_t len, void *ctx)
{
	struct body_digest *d = ctx;
	EVP_DigestUpdate(d->md, data, len);
	d->have += len;
	return MAILRPC_OK;
}

int mc_body_check(struct mailrpc_cache *c, MDB_txn *txn, const struct mailrpc_summary *s,
		  uint64_t *have_r, int *complete_r, struct mailrpc_error *err)
{
	struct body_digest d = {.md = EVP_MD_CTX_new()};
	unsigned char md[32];
	*have_r = 0;
	*complete_r = 0;
	if (d.md == NULL || !EVP_DigestInit_ex(d.md, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(d.md);
		return mr_fail(err, MAILRPC_E_NOMEM, "out of memory checking a cached body");
	}
	int status = mc_body_each(c, txn, s->id, digest_chunk, &d, err);
	if (status == MAILRPC_OK && d.have == s->size) {
		EVP_DigestFinal_ex(d.md, md, NULL);
		*complete_r = memcmp(md, s->sha256, sizeof(md)) == 0;
	}
	*have_r = d.have;
	EVP_MD_CTX_free(d.md);
	return status;
}

int mc_body_append(struct mailrpc_cache *c, MDB_txn *txn, uint64_t id, uint64_t offset,
		   const void *data, size_t len, struct mailrpc_error *err)
{
	unsigned char kb[16];
	mc_put_be64(kb, id);
	mc_put_be64(kb + 8, offset);
	MDB_val k = {16, kb}, v = {len, (void *)data};
	int rc = mdb_put(txn, c->body, &k, &v, 0);
	return rc == 0 ? MAILRPC_OK : mc_fail(err, rc, "store a body");
}

int mc_body_drop(struct mailrpc_cache *c, MDB_txn *txn, uint64_t id, struct mailrpc_error *err)
{
	MDB_cursor *cur;
	int rc = mdb_cursor_open(txn, c->body, &cur);
	if (rc != 0)
		return mc_fail(err, rc, "drop a body");
	unsigned char kb[16];
	mc_put_be64(kb, id);
	mc_put_be64(kb + 8, 0);
	MDB_val k, v;
	/* Seeks afresh after each delete; bounded: each turn deletes a chunk. */
	for (;;) {
		k.mv_size = 16;
		k.mv_data = kb;
		rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
		if (rc != 0 || k.mv_size != 16 || mc_get_be64(k.mv_data) != id)
			break;
		if ((rc = mdb_cursor_del(cur, 0)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	return rc == 0 || rc == MDB_NOTFOUND ? MAILRPC_OK : mc_fail(err, rc, "drop a body");
}

/* Moves the chunks of old's body to new_id, one at a time (a chunk is
 * copied out first: writes may move what the map holds). */
static int body_move(struct mailrpc_cache *c, MDB_txn *txn, uint64_t old, uint64_t new_id,
		     struct mailrpc_error *err)
{
	MDB_cursor *cur;
	int rc = mdb_cursor_open(txn, c->body, &cur), status = MAILRPC_OK;
	if (rc != 0)
		return mc_fail(err, rc, "move a body");
	unsigned char kb[16];
	mc_put_be64(kb, old);
	mc_put_be64(kb + 8, 0);
	MDB_val k, v;
	/* Bounded: each turn moves a chunk. */
	while (status == MAILRPC_OK) {
		k.mv_size = 16;
		k.mv_data = kb;
		rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
		if (rc != 0 || k.mv_size != 16 || mc_get_be64(k.mv_data) != old)
			break;
		uint64_t offset = mc_get_be64((unsigned char *)k.mv_data + 8);
		void *chunk = malloc(v.mv_size ? v.mv_size : 1);
		size_t len = v.mv_size;
		if (chunk == NULL) {
			status = mr_fail(err, MAILRPC_E_NOMEM, "out of memory moving a cached body");
			break;
		}
		memcpy(chunk, v.mv_data, len);
		rc = mdb_cursor_del(cur, 0);
		status = rc == 0 ? mc_body_append(c, txn, new_id, offset, chunk, len, err)
				 : mc_fail(err, rc, "move a body");
		free(chunk);
	}
	mdb_cursor_close(cur);
	if (status == MAILRPC_OK && rc != 0 && rc != MDB_NOTFOUND)
		status = mc_fail(err, rc, "move a body");
	return status;
}

int mc_summary_rekey(struct mailrpc_cache *c, MDB_txn *txn, uint64_t old, uint64_t new_id,
		     struct mailrpc_error *err)
{
	struct mailrpc_summary s;
	unsigned char kb[8];
	int status = mc_summary_get(c, txn, old, &s, err);
	if (status == MAILRPC_E_NOTCACHED)
		return MAILRPC_OK;
	if (status != MAILRPC_OK)
		return status;
	s.id = new_id;
	status = mc_summary_put(c, txn, &s, err);
	mr_summary_clear(&s);
	mc_put_be64(kb, old);
	MDB_val k = {8, kb};
	int rc = status == MAILRPC_OK ? mdb_del(txn, c->summary, &k, NULL) : 0;
	if (rc != 0)
		status = mc_fail(err, rc, "drop a summary");
	return status == MAILRPC_OK ? body_move(c, txn, old, new_id, err) : status;
}

/* ---- states and folders ----------------------------------------------- */

int mc_state_get(struct mailrpc_cache *c, MDB_txn *txn, const char *folder, uint64_t *state_r,
		 int *found_r, struct mailrpc_error *err)
{
	MDB_val k = {strlen(folder), (void *)folder}, v;
	*state_r = 0;
	*found_r = 0;
	int rc = mdb_get(txn, c->state, &k, &v);
	if (rc == MDB_NOTFOUND)
		return MAILRPC_OK;
	if (rc != 0)
		return mc_fail(err, rc, "read a sync state");
	if (v.mv_size != 8)
		return decode_fail(MAILRPC_E_CORRUPT, err);
	*state_r = mc_get_be64(v.mv_data);
	*found_r = 1;
	return MAILRPC_OK;
}

int mc_state_put(struct mailrpc_cache *c, MDB_txn *txn, const char *folder, uint64_t state,
		 struct mailrpc_error *err)
{
	unsigned char vb[8];
	mc_put_be64(vb, state);
	MDB_val k = {strlen(folder), (void *)folder}, v = {8, vb};
	int rc = mdb_put(txn, c->state, &k, &v, 0);
	return rc == 0 ? MAILRPC_OK : mc_fail(err, rc, "store a sync state");
}

int mc_folders_put(struct mailrpc_cache *c, MDB_txn *txn, const struct mailrpc_folder *f, size_t n,
		   struct mailrpc_error *err)
{
	MDB_val k = {sizeof(KEY_FOLDERS) - 1, KEY_FOLDERS}, v = {n * sizeof(*f), (void *)f};
	int rc = mdb_put(txn, c->meta, &k, &v, 0);
	return rc == 0 ? MAILRPC_OK : mc_fail(err, rc, "store the folder list");
}

int mailrpc_cache_folders(struct mailrpc_cache *c, struct mailrpc_folder **folders_r,
			  size_t *count_r, struct mailrpc_error *err)
{
	*folders_r = NULL;
	*count_r = 0;
	MDB_txn *txn;
	int status = mc_begin(c, 0, &txn, err);
	if (status != MAILRPC_OK)
		return status;
	MDB_val k = {sizeof(KEY_FOLDERS) - 1, KEY_FOLDERS}, v;
	int rc = mdb_get(txn, c->meta, &k, &v);
	if (rc == MDB_NOTFOUND)
		status = mr_fail(err, MAILRPC_E_NOTCACHED,
				 "no folder list in the offline cache: run mailrpc sync first");
	else if (rc != 0)
		status = mc_fail(err, rc, "read the folder list");
	else if (v.mv_size % sizeof(**folders_r) != 0)
		status = decode_fail(MAILRPC_E_CORRUPT, err);
	else if ((*folders_r = malloc(v.mv_size + 1)) == NULL)
		status = mr_fail(err, MAILRPC_E_NOMEM, "out of memory listing folders");
	else {
		memcpy(*folders_r, v.mv_data, v.mv_size);
		*count_r = v.mv_size / sizeof(**folders_r);
	}
	mdb_txn_abort(txn);
	return status;
}
