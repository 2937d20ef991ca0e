/*
 * test_store_dump.c -- the backup walk (store_dump.h) and the principals
 * the store accepts.  The walk is one snapshot: another process that
 * swaps every message between two folders, deletes one and delivers one
 * while the walk is half done changes nothing the walk reports (each
 * message once, in the folder it had, with its whole body).  It visits
 * more than a listing's 1000 folders, disabled mailboxes, and declares
 * counts that match what follows.  ACL principals with control
 * characters (what would forge dump lines) are refused.
 */
#include <openssl/evp.h>
#include <sys/wait.h>

#include "store_dump.h"
#include "test_util.h"

#define PER_FOLDER 20

struct seen_msg {
	uint64_t id;
	char folder[STORE_PATH_MAX + 1];
	uint64_t size, got;
	unsigned char sha256[32];
	EVP_MD_CTX *md;
};

struct recorder {
	store_dump_head_t head;
	uint64_t folders, acls;
	size_t n;
	struct seen_msg msgs[4 * PER_FOLDER];
	char last_folder[STORE_PATH_MAX + 1];
	int folders_ordered;
	int go_fd, done_fd; /* >= 0: pause after the first message for the mover */
};

static int on_head(void *ctx, const store_dump_head_t *h)
{
	((struct recorder *)ctx)->head = *h;
	return STORE_OK;
}

static int on_folder(void *ctx, const char *path)
{
	struct recorder *r = ctx;
	if (r->folders > 0 && strcmp(r->last_folder, path) >= 0)
		r->folders_ordered = 0;
	snprintf(r->last_folder, sizeof(r->last_folder), "%s", path);
	r->folders++;
	return STORE_OK;
}

static int on_acl(void *ctx, const store_acl_entry_t *e)
{
	(void)e;
	((struct recorder *)ctx)->acls++;
	return STORE_OK;
}

/* Ends the body digest of the previous message, if any. */
static void finish_body(struct recorder *r)
{
	struct seen_msg *m = r->n > 0 ? &r->msgs[r->n - 1] : NULL;
	unsigned char sha[32];
	if (m == NULL || m->md == NULL)
		return;
	CHECK(EVP_DigestFinal_ex(m->md, sha, NULL) == 1);
	CHECK(memcmp(sha, m->sha256, 32) == 0);
	EVP_MD_CTX_free(m->md);
	m->md = NULL;
}

static int on_message(void *ctx, const store_dump_msg_t *dm)
{
	struct recorder *r = ctx;
	char byte = 'x';
	finish_body(r);
	CHECK(r->n < sizeof(r->msgs) / sizeof(r->msgs[0]));
	struct seen_msg *m = &r->msgs[r->n++];
	m->id = dm->id;
	snprintf(m->folder, sizeof(m->folder), "%s", dm->folder);
	m->size = dm->size;
	m->got = 0;
	memcpy(m->sha256, dm->sha256, 32);
	CHECK((m->md = EVP_MD_CTX_new()) != NULL);
	CHECK(EVP_DigestInit_ex(m->md, EVP_sha256(), NULL) == 1);
	if (r->n == 1 && r->go_fd >= 0) {
		CHECK(write(r->go_fd, &byte, 1) == 1);
		CHECK(read(r->done_fd, &byte, 1) == 1 && byte == 'd');
	}
	return STORE_OK;
}

static int on_body(void *ctx, const void *p, size_t n)
{
	struct recorder *r = ctx;
	struct seen_msg *m = &r->msgs[r->n - 1];
	CHECK(EVP_DigestUpdate(m->md, p, n) == 1);
	m->got += n;
	return STORE_OK;
}

static const store_dump_visitor_t recorder_visitor = {on_head, on_folder, on_acl, on_message,
						      on_body};

static void record(store_t *st, const char *mbox, struct recorder *r)
{
	memset(r, 0, sizeof(*r));
	r->folders_ordered = 1;
	r->go_fd = r->done_fd = -1;
	OK(store_dump(st, mbox, &recorder_visitor, r));
	finish_body(r);
}

static void record_paused(store_t *st, const char *mbox, struct recorder *r, int go, int done)
{
	memset(r, 0, sizeof(*r));
	r->folders_ordered = 1;
	r->go_fd = go;
	r->done_fd = done;
	OK(store_dump(st, mbox, &recorder_visitor, r));
	finish_body(r);
}

static uint64_t put(store_t *st, const char *folder, size_t pad)
{
	size_t len;
	uint64_t id;
	char *m = mkmsg("d@x", folder, pad, &len);
	OK(store_message_append(st, "a", folder, m, len, 0, 0, &id));
	free(m);
	return id;
}

/* The child: swaps every message of A and B (each gets a new id in the
 * folder it goes to), deletes one, delivers one, each committed on its
 * own, while the parent's walk is paused. */
static void mover(const char *dir, const uint64_t *in_a, const uint64_t *in_b, int go, int done)
{
	store_t *st = NULL;
	uint64_t first_a = 0, moved;
	char byte;
	if (read(go, &byte, 1) != 1 || store_open(dir, NULL, &st) != STORE_OK)
		_exit(2);
	for (int i = 0; i < PER_FOLDER; i++) {
		uint64_t *new_a = i == 0 ? &first_a : &moved;
		if (store_message_move(st, "a", in_a[i], "B", new_a) != STORE_OK ||
		    store_message_move(st, "a", in_b[i], "A", &moved) != STORE_OK)
			_exit(3);
	}
	if (store_message_delete(st, "a", first_a, 1) != STORE_OK)
		_exit(4);
	put(st, "A", 10);
	store_close(&st);
	byte = 'd';
	_exit(write(done, &byte, 1) == 1 ? 0 : 5);
}

static const struct seen_msg *find(const struct recorder *r, uint64_t id, size_t *times_r)
{
	const struct seen_msg *hit = NULL;
	*times_r = 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->msgs[i].id == id) {
			hit = &r->msgs[i];
			++*times_r;
		}
	return hit;
}

/* A message by its content (moves give it new ids). */
static const struct seen_msg *find_sha(const struct recorder *r, const unsigned char *sha256)
{
	for (size_t i = 0; i < r->n; i++)
		if (memcmp(r->msgs[i].sha256, sha256, 32) == 0)
			return &r->msgs[i];
	return NULL;
}

static void t_snapshot_under_concurrent_moves(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	uint64_t in_a[PER_FOLDER], in_b[PER_FOLDER];
	int go[2], done[2], status;
	struct recorder r;
	size_t times;

	OK(store_mailbox_ensure(st, "a"));
	OK(store_folder_create(st, "a", "A"));
	OK(store_folder_create(st, "a", "B"));
	for (int i = 0; i < PER_FOLDER; i++) {
		in_a[i] = put(st, "A", 70000 + (size_t)i); /* two chunks each */
		in_b[i] = put(st, "B", 10 + (size_t)i);
	}
	CHECK(pipe(go) == 0 && pipe(done) == 0);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		mover(dir, in_a, in_b, go[0], done[1]);
	record_paused(st, "a", &r, go[1], done[0]);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);

	CHECK(r.head.messages == 2 * PER_FOLDER && r.n == 2 * PER_FOLDER);
	for (int i = 0; i < PER_FOLDER; i++) {
		const struct seen_msg *a = find(&r, in_a[i], &times);
		CHECK(a != NULL && times == 1 && strcmp(a->folder, "A") == 0 && a->got == a->size);
		const struct seen_msg *b = find(&r, in_b[i], &times);
		CHECK(b != NULL && times == 1 && strcmp(b->folder, "B") == 0 && b->got == b->size);
	}
	/* The mover really changed the mailbox: a new walk sees it all, the
	 * moved messages under new ids. */
	struct recorder *after = malloc(sizeof(*after));
	CHECK(after != NULL);
	record(st, "a", after);
	CHECK(after->n == 2 * PER_FOLDER);
	CHECK(find(after, in_a[1], &times) == NULL && find(after, in_b[0], &times) == NULL);
	CHECK(find_sha(after, find(&r, in_a[0], &times)->sha256) == NULL);
	const struct seen_msg *a1 = find_sha(after, find(&r, in_a[1], &times)->sha256);
	CHECK(a1 != NULL && strcmp(a1->folder, "B") == 0);
	const struct seen_msg *b0 = find_sha(after, find(&r, in_b[0], &times)->sha256);
	CHECK(b0 != NULL && strcmp(b0->folder, "A") == 0);
	free(after);
	store_close(&st);
	rmtmp(&dir);
}

static void t_counts_and_order(void)
{
	char *dir, path[32];
	store_t *st = open_new(&dir, NULL);
	struct recorder r;

	OK(store_mailbox_ensure(st, "a"));
	/* More than one listing (STORE_LIST_MAX) can show. */
	for (int i = 0; i < 1200; i++) {
		snprintf(path, sizeof(path), "F%04d", i);
		OK(store_folder_create(st, "a", path));
	}
	OK(store_folder_create(st, "a", "F0001/sub"));
	OK(store_acl_set(st, "a", "", "bob@R", 3));
	OK(store_acl_set(st, "a", "F0001/sub", "anyone", 1));
	put(st, "F0001/sub", 0);
	put(st, "Inbox", 5);
	OK(store_mailbox_set_disabled(st, "a", 1));
	record(st, "a", &r);
	CHECK(r.head.folders == 1200 + 1 + 5 && r.folders == r.head.folders);
	CHECK(r.folders_ordered);
	CHECK(r.head.acls == 2 && r.acls == 2);
	CHECK(r.head.messages == 2 && r.n == 2 && r.msgs[0].id < r.msgs[1].id);
	CHECK(r.head.disabled == 1 && r.head.next_id == 3);
	CHECK(strcmp(r.msgs[0].folder, "F0001/sub") == 0);
	CHECK_RC(store_dump(st, "nobody", &recorder_visitor, &r), STORE_NOTFOUND);
	store_close(&st);
	rmtmp(&dir);
}

static int ignore_head(void *ctx, const store_dump_head_t *h)
{
	(void)ctx, (void)h;
	return STORE_OK;
}

static int stop_at_second_folder(void *ctx, const char *path)
{
	(void)path;
	return ++*(int *)ctx == 2 ? STORE_QUOTA : STORE_OK;
}

static void t_callback_stops_walk(void)
{
	char *dir;
	store_t *st = open_new(&dir, NULL);
	store_dump_visitor_t v = {.head = ignore_head, .folder = stop_at_second_folder};
	int calls = 0;
	OK(store_mailbox_ensure(st, "a"));
	CHECK_RC(store_dump(st, "a", &v, &calls), STORE_QUOTA);
	CHECK(calls == 2);
	store_close(&st);
	rmtmp(&dir);
}

static void t_principal_text_only(void)
{
	char *dir, longest[STORE_PRINCIPAL_MAX + 2];
	store_t *st = open_new(&dir, NULL);
	store_acl_t *acl = NULL;
	static const char *const refused[] = {
	    "evil\tlrswipkxtea\nquota 0", /* would forge dump lines */
	    "x\ny",
	    "tab\there",
	    "del\x7f",
	    "nel\xc2\x85",
	    "bad utf-8 \xff",
	    "",
	};
	OK(store_mailbox_ensure(st, "a"));
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		CHECK_RC(store_acl_set(st, "a", "", refused[i], 1), STORE_INVALID);
	CHECK_RC(store_acl_set(st, "a", "", NULL, 1), STORE_INVALID);
	memset(longest, 'p', sizeof(longest));
	longest[STORE_PRINCIPAL_MAX + 1] = '\0';
	CHECK_RC(store_acl_set(st, "a", "", longest, 1), STORE_INVALID);
	longest[STORE_PRINCIPAL_MAX] = '\0';
	OK(store_acl_set(st, "a", "", longest, 1));
	OK(store_acl_set(st, "a", "", "j\xc3\xb6rg with space@R", 1));
	OK(store_acl_set(st, "a", "", STORE_ANYONE, 1));
	OK(store_acl_list(st, "a", &acl));
	CHECK(acl->count == 3);
	store_acl_free(&acl);
	store_close(&st);
	rmtmp(&dir);
}

int main(void)
{
	RUN(t_snapshot_under_concurrent_moves);
	RUN(t_counts_and_order);
	RUN(t_callback_stops_walk);
	RUN(t_principal_text_only);
	return 0;
}
