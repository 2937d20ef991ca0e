/*
 * store_log.c -- where the store's diagnostics go (store_set_log), and
 * the error helpers every other file uses: LMDB codes to statuses, a
 * record that does not decode to STORE_CORRUPT, a broken promise between
 * the store's own functions to an abort.  The bottom layer: it depends on
 * nothing else in the store (see the layer list in store_int.h).
 */
#include "store_int.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

/* Process-wide, like the log it feeds: set once at start (store.h). */
static store_log_fn log_fn;
static void *log_ctx;

void store_set_log(store_log_fn fn, void *ctx)
{
	log_fn = fn;
	log_ctx = ctx;
}

static void to_stderr(void *ctx, int level, const char *line)
{
	(void)ctx;
	(void)level;
	fprintf(stderr, "%s\n", line);
}

static void st_vlog(int level, const char *fmt, va_list ap)
{
	char line[1024] = "store: ";
	size_t n = strlen(line);

	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	(log_fn != NULL ? log_fn : to_stderr)(log_fn != NULL ? log_ctx : NULL, level, line);
}

void st_log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	st_vlog(level, fmt, ap);
	va_end(ap);
}

void st_bug(const char *file, int line, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	st_log(STORE_LOG_ERR, "BUG %s:%d: %s", file, line, text);
	abort();
}

const char *store_strerror(int status)
{
	switch (status) {
	case STORE_OK:
		return "ok";
	case STORE_NOTFOUND:
		return "not found";
	case STORE_EXISTS:
		return "already exists";
	case STORE_NOTEMPTY:
		return "not empty";
	case STORE_INVALID:
		return "invalid argument";
	case STORE_TOOBIG:
		return "too big";
	case STORE_QUOTA:
		return "quota exceeded";
	case STORE_DENIED:
		return "denied";
	case STORE_BUSY:
		return "busy";
	case STORE_DISABLED:
		return "mailbox disabled";
	case STORE_INTERNAL:
		return "internal error";
	case STORE_FORBIDDEN:
		return "not permitted";
	case STORE_CORRUPT:
		return "corrupt record in the store (logged; run mailrpc-admin verify)";
	case STORE_FULL:
		return "storage full (the file system holding the store has no space left)";
	case STORE_LIMIT:
		return "a limit of the store's policy was reached";
	default:
		return "unknown status";
	}
}

int st_err(int rc, const char *what)
{
	switch (rc) {
	case MDB_SUCCESS:
		return STORE_OK;
	case MDB_NOTFOUND:
		return STORE_NOTFOUND;
	case MDB_MAP_FULL:
		return ST_MAPFULL;
	case MDB_READERS_FULL:
		st_log(STORE_LOG_WARNING, "%s: %s", what, mdb_strerror(rc));
		return STORE_BUSY;
	case MDB_CORRUPTED:
		st_log(STORE_LOG_ERR, "%s: %s", what, mdb_strerror(rc));
		return STORE_CORRUPT;
	case ENOSPC:
	case EDQUOT:
		/* LMDB writes pages at commit (or when a big transaction spills
		 * them): the write failed, nothing was committed. */
		st_log(STORE_LOG_ERR, "%s: storage full: %s", what, mdb_strerror(rc));
		return STORE_FULL;
	default: /* MDB_PANIC included: the environment is unusable */
		st_log(STORE_LOG_ERR, "%s: %s", what, mdb_strerror(rc));
		return STORE_INTERNAL;
	}
}

/* How many big-endian u64 fields each database's keys start with, and
 * whether the rest is an id (hex) rather than text (path, principal). */
static const struct {
	const char *db;
	unsigned u64s;
	int hex;
} key_layouts[] = {
    {"fpath", 1, 0}, {"folder", 2, 0},	 {"msg", 2, 0},	   {"fidx", 3, 0},
    {"blob", 1, 0},  {"blobmeta", 1, 0}, {"upload", 1, 0}, {"acl", 2, 0},
    {"op", 1, 1},    {"opage", 2, 1},	 {"tomb", 4, 0},   {"cidx", 4, 0},
    {"handover", 2, 0},
};

/* meta, mailbox and unknown names: the whole key is a name. */
static unsigned key_u64s(const char *db, int *hex_r)
{
	*hex_r = 0;
	for (size_t i = 0; i < sizeof(key_layouts) / sizeof(key_layouts[0]); i++)
		if (strcmp(key_layouts[i].db, db) == 0) {
			*hex_r = key_layouts[i].hex;
			return key_layouts[i].u64s;
		}
	return 0;
}

static int printable(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7f || p[i] == '"')
			return 0;
	return 1;
}

const char *st_key_text(const char *db, const MDB_val *key, char *buf, size_t size)
{
	const unsigned char *p = key->mv_data;
	size_t left = key->mv_size, n = 0;
	int hex;
	unsigned fields = key_u64s(db, &hex);

	buf[0] = '\0';
	for (unsigned i = 0; i < fields && left >= 8 && n < size; i++, p += 8, left -= 8)
		n += (size_t)snprintf(buf + n, size - n, "%s%llu", i ? "/" : "",
				      (unsigned long long)st_get_u64(p));
	if (left == 0 || n >= size)
		return buf;
	n += (size_t)snprintf(buf + n, size - n, "%s", n ? "/" : "");
	if (n < size && left == 4) /* a chunk index */
		snprintf(buf + n, size - n, "%u", (unsigned)st_get_u32(p));
	else if (n < size && !hex && printable(p, left))
		snprintf(buf + n, size - n, "\"%.*s\"", (int)(left < 300 ? left : 300), p);
	else
		for (size_t i = 0; i < left && n + 3 < size; i++)
			n += (size_t)snprintf(buf + n, size - n, "%02x", p[i]);
	return buf;
}

int st_corrupt(const char *db, const MDB_val *key, const char *fmt, ...)
{
	char text[512], kt[400] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (key != NULL)
		st_key_text(db, key, kt, sizeof(kt));
	st_log(STORE_LOG_ERR, "corrupt record db=%s key=%s: %s", db, key ? kt : "-", text);
	return STORE_CORRUPT;
}
