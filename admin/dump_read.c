/*
 * dump_read.c -- the strict dump reader (rules in dump_read.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump_format.h"
#include "dump_read.h"

#define LINE_MAX_BYTES 4096 /* the longest line the writer makes is under 1,700 */
#define BODY_STEP 65536

struct dump_reader {
	FILE *in;
	const char *path;
	unsigned long line; /* of the last line read */
	int version;
	int counted;
	int body_pending;	/* a message line was read, its body not yet */
	enum dump_kind section; /* of the last record */
	uint64_t seen[DUMP_KINDS], declared[DUMP_KINDS];
	struct dump_record cur;
	char buf[LINE_MAX_BYTES];
};

static const char *const kind_words[DUMP_KINDS] = {"folder", "acl", "message"};
static const unsigned kind_fields[DUMP_KINDS] = {1, 3, 6};

int dump_read_error(const struct dump_reader *r, const char *why)
{
	fprintf(stderr, "mailrpc-admin: restore: %s line %lu: %s\n", r->path, r->line, why);
	return -1;
}

/* The next line without its "\n": 1; 0 at the end of the file; -1 on a
 * line the writer cannot have made (reported). */
static int read_line(struct dump_reader *r, char **line_r)
{
	if (fgets(r->buf, sizeof(r->buf), r->in) == NULL) {
		if (ferror(r->in))
			return dump_read_error(r, strerror(errno));
		return 0;
	}
	r->line++;
	size_t n = strlen(r->buf);
	if (n == 0 || r->buf[n - 1] != '\n') {
		if (feof(r->in))
			return dump_read_error(r, "the file ends inside this line (truncated?)");
		return dump_read_error(r, n + 1 < sizeof(r->buf) ? "a NUL byte in a line"
								 : "line too long");
	}
	r->buf[n - 1] = '\0';
	*line_r = r->buf;
	return 1;
}

/* "KEY VALUE" of the head: the value (one field). */
static int head_value(struct dump_reader *r, const char *key, char **value_r)
{
	char *line, *field;
	int rc = read_line(r, &line);
	if (rc == 0)
		return dump_read_error(r, "the dump ends inside its head (truncated?)");
	if (rc < 0)
		return -1;
	size_t n = strlen(key);
	if (strncmp(line, key, n) != 0 || line[n] != ' ') {
		char why[96];
		snprintf(why, sizeof(why), "expected the head line \"%s\"", key);
		return dump_read_error(r, why);
	}
	const char *why = dump_split(line + n + 1, r->version, key, &field, 1);
	if (why != NULL)
		return dump_read_error(r, why);
	*value_r = field;
	return 0;
}

static int head_number(struct dump_reader *r, const char *key, uint64_t max, uint64_t *v_r)
{
	char *value;
	if (head_value(r, key, &value) != 0)
		return -1;
	if (dump_parse_u64(value, v_r) != 0 || *v_r > max)
		return dump_read_error(r, "not a number in range");
	return 0;
}

static int read_head(struct dump_reader *r, struct dump_head *h)
{
	char *line, *value;
	uint64_t disabled;
	int rc = read_line(r, &line);
	if (rc <= 0 || strncmp(line, DUMP_MAGIC " ", sizeof(DUMP_MAGIC)) != 0)
		return rc < 0 ? -1 : dump_read_error(r, "not a mailrpc dump");
	if (strcmp(line + sizeof(DUMP_MAGIC), "1") == 0)
		r->version = 1;
	else if (strcmp(line + sizeof(DUMP_MAGIC), "2") == 0)
		r->version = 2;
	else
		return dump_read_error(r, "a dump version this mailrpc-admin does not know");
	h->version = r->version;
	if (head_value(r, "mailbox", &value) != 0 ||
	    head_number(r, "next-id", UINT64_MAX, &h->next_id) != 0 ||
	    head_number(r, "quota", UINT64_MAX, &h->quota) != 0 ||
	    head_number(r, "disabled", 1, &disabled) != 0)
		return -1;
	h->disabled = (int)disabled;
	if (r->version == 1)
		return 0;
	for (int k = 0; k < DUMP_KINDS; k++) {
		static const char *const keys[DUMP_KINDS] = {"folders", "acls", "messages"};
		if (head_number(r, keys[k], UINT64_MAX, &r->declared[k]) != 0)
			return -1;
	}
	r->counted = h->counted = 1;
	h->folders = r->declared[DUMP_FOLDER];
	h->acls = r->declared[DUMP_ACL];
	h->messages = r->declared[DUMP_MESSAGE];
	return 0;
}

int dump_read_open(const char *path, struct dump_reader **r_r, struct dump_head *head_r)
{
	struct dump_reader *r = calloc(1, sizeof(*r));
	memset(head_r, 0, sizeof(*head_r));
	*r_r = NULL;
	if (r == NULL || (r->in = fopen(path, "re")) == NULL) {
		fprintf(stderr, "mailrpc-admin: restore: cannot open %s: %s\n", path,
			strerror(errno));
		free(r);
		return -1;
	}
	r->path = path;
	if (read_head(r, head_r) != 0) {
		dump_read_close(&r);
		return -1;
	}
	*r_r = r;
	return 0;
}

void dump_read_close(struct dump_reader **r)
{
	if (*r == NULL)
		return;
	fclose((*r)->in);
	free(*r);
	*r = NULL;
}

/* A name for the store, checked by the store's own rule (check: its
 * store_check_*), so that the restore that follows cannot be refused
 * halfway: bounded, and without the control characters the store refuses
 * (a version 2 escape can spell them), said as such. */
static int copy_field(struct dump_reader *r, char *dst, size_t size, const char *src,
		      const char *what, int (*check)(const char *))
{
	char why[96];
	const char *problem = strlen(src) >= size ? "too long" : NULL;
	for (const unsigned char *p = (const unsigned char *)src; problem == NULL && *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			problem = "holds a control character";
	if (problem == NULL && check(src) != STORE_OK)
		problem = "is not a name the store accepts";
	if (problem != NULL) {
		snprintf(why, sizeof(why), "%s %s", what, problem);
		return dump_read_error(r, why);
	}
	strcpy(dst, src);
	return 0;
}

/* The mailbox root, "/" in a dump, is "" for the store. */
static int check_acl_path(const char *path)
{
	return path[0] == '\0' ? STORE_OK : store_check_path(path);
}

static int parse_acl(struct dump_reader *r, char **f, struct dump_record *rec)
{
	if (copy_field(r, rec->path, sizeof(rec->path), strcmp(f[0], "/") == 0 ? "" : f[0],
		       "folder path", check_acl_path) != 0 ||
	    copy_field(r, rec->principal, sizeof(rec->principal), f[1], "principal",
		       store_check_name) != 0)
		return -1;
	if (store_rights_parse(f[2], &rec->rights) != STORE_OK || rec->rights == 0)
		return dump_read_error(r, "not a set of rights letters");
	return 0;
}

static int parse_message(struct dump_reader *r, char **f, struct dump_record *rec)
{
	uint64_t flags;
	if (dump_parse_u64(f[0], &rec->id) != 0 || rec->id == 0 ||
	    dump_parse_u64(f[1], &flags) != 0 || flags > STORE_FLAGS_ALL ||
	    dump_parse_i64(f[2], &rec->received) != 0 || dump_parse_u64(f[3], &rec->size) != 0 ||
	    dump_parse_sha256(f[4], rec->sha256) != 0)
		return dump_read_error(r, "malformed message line");
	rec->flags = (uint32_t)flags;
	return copy_field(r, rec->path, sizeof(rec->path), f[5], "folder path", store_check_path);
}

/* Keeps the writer's order and the head's counts. */
static int count_record(struct dump_reader *r, enum dump_kind kind)
{
	if (kind < r->section)
		return dump_read_error(r,
				       "out of order (folders, then ACL entries, then messages)");
	r->section = kind;
	if (r->counted && r->seen[kind] == r->declared[kind]) {
		char why[96];
		snprintf(why, sizeof(why), "more %s lines than the head declares (%" PRIu64 ")",
			 kind_words[kind], r->declared[kind]);
		return dump_read_error(r, why);
	}
	r->seen[kind]++;
	return 0;
}

/* After "end": the counts agree and the file ends. */
static int check_end(struct dump_reader *r)
{
	for (int k = 0; r->counted && k < DUMP_KINDS; k++) {
		if (r->seen[k] != r->declared[k]) {
			char why[128];
			snprintf(why, sizeof(why),
				 "the head declares %" PRIu64 " %s lines, the dump has %" PRIu64,
				 r->declared[k], kind_words[k], r->seen[k]);
			return dump_read_error(r, why);
		}
	}
	if (fgetc(r->in) != EOF)
		return dump_read_error(r, "data after \"end\"");
	return 0;
}

int dump_read_next(struct dump_reader *r, struct dump_record *rec)
{
	char *line, *f[DUMP_FIELDS_MAX];
	if (r->body_pending)
		return dump_read_error(r, "internal: a message body was not read");
	int rc = read_line(r, &line);
	if (rc == 0)
		return dump_read_error(r, "the dump ends without \"end\" (truncated?)");
	if (rc < 0)
		return -1;
	if (strcmp(line, "end") == 0)
		return check_end(r) == 0 ? 0 : -1;
	memset(rec, 0, sizeof(*rec));
	rec->line = r->line;
	int k = 0;
	while (k < DUMP_KINDS && (strncmp(line, kind_words[k], strlen(kind_words[k])) != 0 ||
				  line[strlen(kind_words[k])] != ' '))
		k++;
	if (k == DUMP_KINDS)
		return dump_read_error(r, "unknown line");
	rec->kind = (enum dump_kind)k;
	const char *why = dump_split(line + strlen(kind_words[k]) + 1, r->version, kind_words[k], f,
				     kind_fields[k]);
	if (why != NULL)
		return dump_read_error(r, why);
	if (count_record(r, rec->kind) != 0)
		return -1;
	if (rec->kind == DUMP_FOLDER)
		rc = copy_field(r, rec->path, sizeof(rec->path), f[0], "folder path",
				store_check_path);
	else if (rec->kind == DUMP_ACL)
		rc = parse_acl(r, f, rec);
	else
		rc = parse_message(r, f, rec);
	if (rc != 0)
		return -1;
	r->body_pending = rec->kind == DUMP_MESSAGE;
	r->cur = *rec;
	return 1;
}

/* Reads n body bytes into the digest (and dst); counts their lines. */
static int body_bytes(struct dump_reader *r, EVP_MD_CTX *md, char *dst, uint64_t n)
{
	static char step[BODY_STEP];
	while (n > 0) {
		size_t want = n < BODY_STEP ? (size_t)n : BODY_STEP;
		char *p = dst != NULL ? dst : step;
		size_t got = fread(p, 1, want, r->in);
		if (got > 0 && EVP_DigestUpdate(md, p, got) != 1)
			return dump_read_error(r, "SHA-256 failed");
		for (const char *nl = p; (nl = memchr(nl, '\n', got - (size_t)(nl - p))) != NULL;
		     nl++)
			r->line++;
		if (got < want)
			return dump_read_error(
			    r, ferror(r->in) ? strerror(errno)
					     : "the file ends inside a message body (truncated?)");
		if (dst != NULL)
			dst += got;
		n -= got;
	}
	return 0;
}

int dump_read_body(struct dump_reader *r, void *buf)
{
	unsigned char sha[32];
	unsigned int shalen = 0;
	const struct dump_record *rec = &r->cur;
	if (!r->body_pending)
		return dump_read_error(r, "internal: no message body to read");
	r->body_pending = 0;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int rc = md != NULL && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1
		     ? body_bytes(r, md, buf, rec->size)
		     : dump_read_error(r, "SHA-256 failed");
	if (rc == 0 && (EVP_DigestFinal_ex(md, sha, &shalen) != 1 || shalen != sizeof(sha)))
		rc = dump_read_error(r, "SHA-256 failed");
	EVP_MD_CTX_free(md);
	if (rc != 0)
		return -1;
	if (fgetc(r->in) != '\n')
		return dump_read_error(
		    r, "no line end after the message body (size wrong or truncated?)");
	r->line++;
	if (memcmp(sha, rec->sha256, sizeof(sha)) != 0) {
		char why[128];
		snprintf(why, sizeof(why),
			 "the body of message %" PRIu64 " (line %lu) does not match its SHA-256",
			 rec->id, rec->line);
		return dump_read_error(r, why);
	}
	return 0;
}
