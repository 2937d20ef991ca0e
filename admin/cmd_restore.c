/*
 * cmd_restore.c -- mailrpc-admin restore USER FILE: recreates a mailbox
 * that does not exist from a dump (dump_read.h), with its ids, flags,
 * received times, ACLs, quota, disabled flag and next id.
 *
 * The whole dump is read and checked first: its syntax and counts, every
 * name by the store's rules, every body against its SHA-256 and the
 * store's max-message policy, that each folder's parent and each ACL
 * entry's and message's folder are in it, that no message id repeats and
 * each is below next-id.  Only then is anything written, so a truncated or
 * damaged dump restores nothing.  The second pass reads the file again as
 * strictly (it may have changed meanwhile); the mailbox has no quota until
 * its own messages are back, whatever the store's default-quota.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "dump_read.h"

/* What the first pass has seen, for the cross-references. */
struct seen {
	uint64_t max_message;		     /* the store's policy */
	char (*folders)[STORE_PATH_MAX + 1]; /* in the dump's order: strictly increasing */
	size_t nfolders, folder_cap;
	uint64_t *ids;
	size_t nids, id_cap;
};

static int grow(void **items, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t cap2 = *cap ? *cap * 2 : 64;
	void *p = realloc(*items, cap2 * size);
	if (p == NULL)
		return -1;
	*items = p;
	*cap = cap2;
	return 0;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int has_folder(const struct seen *s, const char *path)
{
	return s->nfolders > 0 &&
	       bsearch(path, s->folders, s->nfolders, sizeof(s->folders[0]), by_path) != NULL;
}

static int check_folder(struct dump_reader *r, struct seen *s, const struct dump_record *rec)
{
	char parent[STORE_PATH_MAX + 1];
	if (s->nfolders > 0 && strcmp(s->folders[s->nfolders - 1], rec->path) >= 0)
		return dump_read_error(r, "folder repeated or out of order");
	snprintf(parent, sizeof(parent), "%s", rec->path);
	char *slash = strrchr(parent, '/');
	if (slash != NULL && (*slash = '\0', !has_folder(s, parent)))
		return dump_read_error(r, "its parent folder is not in the dump before it");
	if (grow((void **)&s->folders, &s->folder_cap, s->nfolders + 1, sizeof(s->folders[0])) != 0)
		return dump_read_error(r, "out of memory");
	strcpy(s->folders[s->nfolders++], rec->path);
	return 0;
}

static int check_message(struct dump_reader *r, struct seen *s, const struct dump_head *h,
			 const struct dump_record *rec)
{
	if (!has_folder(s, rec->path))
		return dump_read_error(r, "the message's folder is not in the dump");
	if (rec->id >= h->next_id)
		return dump_read_error(r, "message id not below the head's next-id");
	if (rec->size > s->max_message)
		return dump_read_error(r, "message larger than the store's max-message policy; "
					  "raise it (mailrpc-admin policy set max-message) to "
					  "restore it");
	if (grow((void **)&s->ids, &s->id_cap, s->nids + 1, sizeof(s->ids[0])) != 0)
		return dump_read_error(r, "out of memory");
	s->ids[s->nids++] = rec->id;
	return dump_read_body(r, NULL);
}

static int by_id(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int check_ids_unique(struct dump_reader *r, struct seen *s)
{
	if (s->nids > 0)
		qsort(s->ids, s->nids, sizeof(s->ids[0]), by_id);
	for (size_t i = 1; i < s->nids; i++) {
		if (s->ids[i] == s->ids[i - 1]) {
			char why[64];
			snprintf(why, sizeof(why), "message id %" PRIu64 " appears twice",
				 s->ids[i]);
			return dump_read_error(r, why);
		}
	}
	return 0;
}

/* The first pass: the whole dump checked, nothing written. */
static int check_dump(store_t *st, const char *path)
{
	struct dump_reader *r = NULL;
	struct dump_head h;
	struct dump_record rec;
	struct seen s = {0};
	int st_rc = store_policy_get(st, STORE_POLICY_MAX_MESSAGE, &s.max_message, NULL);
	if (st_rc != STORE_OK) {
		admin_fail("restore: the store's policy", st_rc);
		return -1;
	}
	int rc = dump_read_open(path, &r, &h);
	while (rc == 0 && (rc = dump_read_next(r, &rec)) == 1) {
		if (rec.kind == DUMP_FOLDER)
			rc = check_folder(r, &s, &rec);
		else if (rec.kind == DUMP_ACL)
			rc = rec.path[0] == '\0' || has_folder(&s, rec.path)
				 ? 0
				 : dump_read_error(r, "the ACL entry's folder is not in the dump");
		else
			rc = check_message(r, &s, &h, &rec);
	}
	if (rc == 0)
		rc = check_ids_unique(r, &s);
	dump_read_close(&r);
	free(s.folders);
	free(s.ids);
	return rc;
}

static int restore_message(store_t *st, const char *user, struct dump_reader *r,
			   const struct dump_record *rec)
{
	uint64_t id = 0;
	char *body = malloc(rec->size ? (size_t)rec->size : 1);
	if (body == NULL)
		return dump_read_error(r, "message too large for memory");
	int rc = dump_read_body(r, body);
	int st_rc = rc == 0
			? store_message_restore(st, user, rec->path, rec->id, body,
						(size_t)rec->size, rec->flags, rec->received, &id)
			: STORE_OK;
	free(body);
	return rc != 0 || st_rc == STORE_OK ? rc : dump_read_error(r, store_strerror(st_rc));
}

static int restore_record(store_t *st, const char *user, struct dump_reader *r,
			  const struct dump_record *rec)
{
	int st_rc;
	switch (rec->kind) {
	case DUMP_FOLDER:
		st_rc = store_folder_create(st, user, rec->path);
		if (st_rc == STORE_EXISTS) /* a well-known folder, made with the mailbox */
			st_rc = STORE_OK;
		break;
	case DUMP_ACL:
		st_rc = store_acl_set(st, user, rec->path, rec->principal, rec->rights);
		break;
	default:
		return restore_message(st, user, r, rec);
	}
	return st_rc == STORE_OK ? 0 : dump_read_error(r, store_strerror(st_rc));
}

/* The second pass: the mailbox, its records, then its limits (last, so
 * they cannot refuse the mailbox's own messages).  *created_r: the
 * mailbox now exists. */
static int apply_dump(store_t *st, const char *user, const char *path, uint64_t *messages_r,
		      int *created_r)
{
	struct dump_reader *r = NULL;
	struct dump_head h;
	struct dump_record rec;
	int st_rc, rc = dump_read_open(path, &r, &h);
	if (rc == 0 && (st_rc = store_mailbox_ensure(st, user)) != STORE_OK) {
		admin_fail(user, st_rc);
		rc = -1;
	}
	*created_r = rc == 0;
	/* No quota while its own messages come back (the store's default-
	 * quota would apply); the dump's comes last. */
	if (rc == 0 && (st_rc = store_mailbox_set_quota(st, user, UINT64_MAX)) != STORE_OK) {
		admin_fail(user, st_rc);
		rc = -1;
	}
	while (rc == 0 && (rc = dump_read_next(r, &rec)) == 1) {
		rc = restore_record(st, user, r, &rec);
		*messages_r += rc == 0 && rec.kind == DUMP_MESSAGE;
	}
	dump_read_close(&r);
	if (rc == 0 && ((st_rc = store_mailbox_raise_next_id(st, user, h.next_id)) != STORE_OK ||
			(st_rc = store_mailbox_set_quota(st, user, h.quota)) != STORE_OK ||
			(st_rc = store_mailbox_set_disabled(st, user, h.disabled)) != STORE_OK)) {
		admin_fail(user, st_rc);
		rc = -1;
	}
	return rc;
}

int admin_restore(struct admin *a, int argc, char **argv)
{
	store_mailbox_info_t info;
	uint64_t messages = 0;
	int created = 0;
	if (argc != 3)
		return admin_usage("restore USER FILE");
	store_t *st = admin_store(a);
	const char *user = argv[1], *path = argv[2];
	if (store_mailbox_info(st, user, &info) == STORE_OK) {
		fprintf(stderr,
			"mailrpc-admin: mailbox %s exists; restore only recreates a deleted one\n",
			user);
		return 1;
	}
	if (check_dump(st, path) != 0 || apply_dump(st, user, path, &messages, &created) != 0) {
		if (!created)
			fprintf(stderr, "mailrpc-admin: restore: nothing restored\n");
		else
			fprintf(stderr,
				"mailrpc-admin: restore: stopped; mailbox %s is incomplete: delete "
				"it (mailrpc-admin delete %s --yes) and restore again\n",
				user, user);
		return 1;
	}
	fprintf(stderr, "mailrpc-admin: restored %s: %" PRIu64 " messages\n", user, messages);
	return 0;
}
