/*
 * cmd_dump.c -- dump USER FILE and restore USER FILE: a complete backup of
 * one mailbox (folders, messages byte-exact with ids, flags and received
 * times, ACLs, quota, disabled flag, next message id) and its restoration
 * into a mailbox that does not exist yet.
 *
 * Format (text lines, then raw bodies):
 *   mailrpc-dump 1
 *   mailbox NAME | next-id N | quota N | disabled 0|1
 *   folder PATH                                  (parents before children)
 *   acl PATH<TAB>PRINCIPAL<TAB>RIGHTS            (PATH "/" is the root)
 *   message ID FLAGS RECEIVED SIZE SHA256HEX<TAB>FOLDER, then SIZE bytes, "\n"
 *   end
 * Paths and principals hold no control characters, so tabs and newlines
 * delimit safely.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"

static void hex(const unsigned char *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
}

static int dump_body(store_t *st, const char *user, uint64_t id, uint64_t size, FILE *out)
{
	static unsigned char buf[STORE_CHUNK_SIZE];
	for (uint64_t off = 0; off < size;) {
		size_t got = 0;
		int rc = store_message_fetch(st, user, id, off, buf, sizeof(buf), &got);
		if (rc != STORE_OK)
			return rc;
		if (got == 0 || fwrite(buf, 1, got, out) != got)
			return STORE_INTERNAL;
		off += got;
	}
	return fputc('\n', out) == EOF ? STORE_INTERNAL : STORE_OK;
}

static int dump_folder(store_t *st, const char *user, const char *path, FILE *out, size_t *count)
{
	store_list_query_t q = {.sort = STORE_SORT_ID, .limit = STORE_LIST_MAX};
	int rc = STORE_OK, more = 1;
	while (rc == STORE_OK && more) {
		store_msglist_t *list = NULL;
		rc = store_message_list(st, user, path, &q, &list);
		if (rc != STORE_OK)
			break;
		for (size_t i = 0; rc == STORE_OK && i < list->count; i++) {
			const store_msginfo_t *m = &list->items[i];
			char sha[65];
			hex(m->sha256, 32, sha);
			fprintf(out, "message %" PRIu64 " %u %" PRId64 " %" PRIu64 " %s\t%s\n", m->id,
				m->flags, m->received, m->size, sha, path);
			rc = dump_body(st, user, m->id, m->size, out);
			(*count)++;
		}
		more = list->more;
		q.offset += list->count;
		store_msglist_free(&list);
	}
	return rc;
}

int admin_dump(struct admin *a, int argc, char **argv)
{
	store_mailbox_info_t info;
	store_folder_list_t *folders = NULL;
	store_acl_t *acl = NULL;
	size_t messages = 0;
	int rc;

	if (argc != 3)
		return admin_usage("dump USER FILE");
	store_t *st = admin_store(a);
	const char *user = argv[1];
	if ((rc = store_mailbox_info(st, user, &info)) != STORE_OK)
		return admin_fail(user, rc);
	FILE *out = fopen(argv[2], "wx");
	if (out == NULL) {
		fprintf(stderr, "mailrpc-admin: cannot create %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	fprintf(out, "mailrpc-dump 1\nmailbox %s\nnext-id %" PRIu64 "\nquota %" PRIu64 "\ndisabled %d\n",
		user, info.next_id, info.quota, info.disabled);
	rc = store_folder_list(st, user, 0, STORE_LIST_MAX, &folders);
	for (size_t i = 0; rc == STORE_OK && i < folders->count; i++)
		fprintf(out, "folder %s\n", folders->items[i].path);
	if (rc == STORE_OK)
		rc = store_acl_list(st, user, &acl);
	for (size_t i = 0; rc == STORE_OK && i < acl->count; i++) {
		char letters[16];
		fprintf(out, "acl %s\t%s\t%s\n", acl->items[i].path[0] ? acl->items[i].path : "/",
			acl->items[i].principal, store_rights_format(acl->items[i].rights, letters));
	}
	for (size_t i = 0; rc == STORE_OK && i < folders->count; i++)
		rc = dump_folder(st, user, folders->items[i].path, out, &messages);
	if (rc == STORE_OK && folders->total > folders->count)
		rc = STORE_TOOBIG;  /* more folders than one listing: refuse a partial dump */
	fprintf(out, "end\n");
	int closed = fclose(out);
	store_folder_list_free(&folders);
	store_acl_free(&acl);
	if (rc != STORE_OK || closed != 0) {
		remove(argv[2]);
		return admin_fail("dump", rc != STORE_OK ? rc : STORE_INTERNAL);
	}
	fprintf(stderr, "mailrpc-admin: dumped %s: %zu messages to %s\n", user, messages, argv[2]);
	return 0;
}

/* ---- restore ---- */

struct reader {
	FILE *in;
	const char *path;
	unsigned line;
	char buf[2048];
};

/* Next header line without its newline; NULL at end of file. */
static char *next_line(struct reader *r)
{
	if (fgets(r->buf, sizeof(r->buf), r->in) == NULL)
		return NULL;
	r->line++;
	r->buf[strcspn(r->buf, "\n")] = '\0';
	return r->buf;
}

static int bad(const struct reader *r, const char *why)
{
	fprintf(stderr, "mailrpc-admin: %s line %u: %s\n", r->path, r->line, why);
	return 1;
}

static int restore_message(store_t *st, const char *user, struct reader *r, const char *line)
{
	uint64_t id, size;
	unsigned flags;
	int64_t received;
	char sha[65], got_hex[65];
	int used = 0;
	if (sscanf(line, "message %" SCNu64 " %u %" SCNd64 " %" SCNu64 " %64s%n", &id, &flags,
		   &received, &size, sha, &used) != 5 || line[used] != '\t')
		return bad(r, "malformed message line");
	const char *folder = line + used + 1;
	char *body = malloc(size ? size : 1);
	if (body == NULL)
		return bad(r, "message too large for memory");
	int ok = fread(body, 1, size, r->in) == size && fgetc(r->in) == '\n';
	uint64_t new_id = 0;
	int rc = ok ? store_message_restore(st, user, folder, id, body, size, flags, received, &new_id)
		    : STORE_INVALID;
	free(body);
	if (!ok)
		return bad(r, "message body truncated");
	if (rc != STORE_OK)
		return admin_fail(folder, rc);
	store_msginfo_t *info = NULL;
	if (store_message_get(st, user, id, &info) == STORE_OK) {
		hex(info->sha256, 32, got_hex);
		ok = strcmp(got_hex, sha) == 0;
	}
	store_msginfo_free(&info);
	return ok ? 0 : bad(r, "restored message does not match its SHA-256");
}

static int restore_acl(store_t *st, const char *user, struct reader *r, char *line)
{
	char *path = line + 4, *principal = strchr(path, '\t'), *letters;
	uint32_t rights;
	if (principal == NULL || (letters = strchr(principal + 1, '\t')) == NULL)
		return bad(r, "malformed acl line");
	*principal++ = '\0';
	*letters++ = '\0';
	if (store_rights_parse(letters, &rights) != STORE_OK)
		return bad(r, "unknown rights letters");
	int rc = store_acl_set(st, user, strcmp(path, "/") == 0 ? "" : path, principal, rights);
	return rc == STORE_OK ? 0 : admin_fail(path, rc);
}

static int restore_lines(store_t *st, const char *user, struct reader *r, uint64_t *next_id,
			 uint64_t *quota, int *disabled, size_t *messages)
{
	char *line;
	while ((line = next_line(r)) != NULL) {
		int rc = 0;
		if (strcmp(line, "end") == 0)
			return 0;
		if (strncmp(line, "mailbox ", 8) == 0)
			continue;
		if (sscanf(line, "next-id %" SCNu64, next_id) == 1 ||
		    sscanf(line, "quota %" SCNu64, quota) == 1 || sscanf(line, "disabled %d", disabled) == 1)
			continue;
		if (strncmp(line, "folder ", 7) == 0) {
			int st_rc = store_folder_create(st, user, line + 7);
			rc = st_rc == STORE_OK || st_rc == STORE_EXISTS ? 0 : admin_fail(line + 7, st_rc);
		} else if (strncmp(line, "acl ", 4) == 0) {
			rc = restore_acl(st, user, r, line);
		} else if (strncmp(line, "message ", 8) == 0) {
			rc = restore_message(st, user, r, line);
			(*messages)++;
		} else {
			rc = bad(r, "unknown record");
		}
		if (rc != 0)
			return rc;
	}
	return bad(r, "dump ends without \"end\" (truncated?)");
}

int admin_restore(struct admin *a, int argc, char **argv)
{
	store_mailbox_info_t info;
	struct reader r = {.path = argc == 3 ? argv[2] : ""};
	uint64_t next_id = 0, quota = 0;
	int disabled = 0;
	size_t messages = 0;

	if (argc != 3)
		return admin_usage("restore USER FILE");
	store_t *st = admin_store(a);
	const char *user = argv[1];
	if (store_mailbox_info(st, user, &info) == STORE_OK) {
		fprintf(stderr, "mailrpc-admin: mailbox %s exists; restore only recreates a deleted one\n",
			user);
		return 1;
	}
	if ((r.in = fopen(r.path, "r")) == NULL) {
		fprintf(stderr, "mailrpc-admin: cannot open %s: %s\n", r.path, strerror(errno));
		return 1;
	}
	char *first = next_line(&r);
	int rc = first && strcmp(first, "mailrpc-dump 1") == 0 ? 0 : bad(&r, "not a mailrpc dump");
	int st_rc = rc == 0 ? store_mailbox_ensure(st, user) : STORE_OK;
	if (st_rc != STORE_OK)
		rc = admin_fail(user, st_rc);
	if (rc == 0)
		rc = restore_lines(st, user, &r, &next_id, &quota, &disabled, &messages);
	fclose(r.in);
	/* Limits last, so they cannot refuse the mailbox's own messages. */
	if (rc == 0 && ((st_rc = store_mailbox_raise_next_id(st, user, next_id)) != STORE_OK ||
			(st_rc = store_mailbox_set_quota(st, user, quota)) != STORE_OK ||
			(st_rc = store_mailbox_set_disabled(st, user, disabled)) != STORE_OK))
		rc = admin_fail(user, st_rc);
	if (rc == 0)
		fprintf(stderr, "mailrpc-admin: restored %s: %zu messages\n", user, messages);
	return rc;
}
