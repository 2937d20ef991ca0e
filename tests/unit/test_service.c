/*
 * test_service.c -- the mail service against a scratch store, no RPC: the
 * rights matrix of every operation (owner; a delegate holding exactly each
 * single right, everywhere, alone and with "l"; one holding every right but
 * one it needs, for each; an "anyone" grant of exactly those; a stranger;
 * the public folders' administrator), each answer an exact status; and a stranger's answers
 * on another's mailbox equal to those on a missing and on a disabled one,
 * for every operation.  Principals map to mailboxes through real krb5
 * (a krb5.conf of this test's realm).
 *
 * The table says, per operation, which RFC 4314 rights it needs on the
 * folders it touches (every folder of the fixture carries the same grant)
 * and what it answers when allowed and when its folder may not be seen.
 */
#include "test_util.h"

#include <openssl/sha.h>

#include "mail.h"

#define REALM "@MAILRPC.TEST"
#define ALL_RIGHTS STORE_RIGHTS_ALL
#define R(c) (1u << (strchr(STORE_RIGHTS_LETTERS, (c)) - STORE_RIGHTS_LETTERS))

static char *krb5_dir;

/* The message every fixture holds twice in Shared. */
/* No From: (the rights decide a send on behalf here, not the From: rule:
 * t_inet_send.sh tests that). */
static const char body[] = "Subject: matrix\r\n\r\nhello\r\n";

/* Ids of the fixture's messages (the same in every mailbox built alike). */
struct fixture {
	const char *mbox;
	uint64_t m1, m2;
};

/* alice's mailbox (or another) as every case finds it: Shared with two
 * messages and a subfolder Sub, an empty Dest; rights granted to principal
 * (NULL: none) on every folder and the root. */
static void build(store_t *st, const char *mbox, const char *grantee, uint32_t rights,
		  struct fixture *f)
{
	static const char *const folders[] = {"Shared", "Shared/Sub", "Dest"};
	static const char *const granted[] = {"",	"Inbox",      "Outbox", "Deleted Items",
					      "Shared", "Shared/Sub", "Dest"};
	f->mbox = mbox;
	if (strcmp(mbox, MAIL_PUBLIC_MAILBOX) == 0) {
		OK(store_mailbox_ensure_plain(st, mbox));
		OK(store_folder_create(st, mbox, "Outbox"));
		OK(store_folder_create(st, mbox, "Deleted Items"));
		OK(store_folder_create(st, mbox, "Inbox"));
		OK(store_folder_create(st, mbox, "Sent Items"));
	} else {
		OK(store_mailbox_ensure(st, mbox));
	}
	for (size_t i = 0; i < sizeof(folders) / sizeof(folders[0]); i++)
		OK(store_folder_create(st, mbox, folders[i]));
	OK(store_message_append(st, mbox, "Shared", body, sizeof(body) - 1, 0, 0, &f->m1));
	OK(store_message_append(st, mbox, "Shared", body, sizeof(body) - 1, 0, 0, &f->m2));
	for (size_t i = 0; grantee && rights && i < sizeof(granted) / sizeof(granted[0]); i++)
		OK(store_acl_set(st, mbox, granted[i], grantee, rights));
}

/* ---- one operation each; *digest summarises what came back --------------- */

static unsigned char op_id[MAIL_OPID_LEN] = {7};

static int folder_list(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	store_folder_list_t *l = NULL;
	int st = mail_folder_list(s, 0, 100, &l);
	*d = l ? l->total * 1000 + l->count : 0;
	store_folder_list_free(&l);
	return st;
}

static int folder_get(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	store_folder_info_t info;
	int st = mail_folder_get(s, "Shared", &info, d);
	*d ^= info.id + info.total;
	return st;
}

static int create_in(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	(void)d;
	store_result_t r;
	return mail_folder_create(s, op_id, "Shared/New", &r);
}

static int create_top(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	(void)d;
	store_result_t r;
	return mail_folder_create(s, op_id, "Top", &r);
}

static int create_taken(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	(void)d;
	store_result_t r;
	return mail_folder_create(s, NULL, "Shared/Sub", &r);
}

static int rename_sub(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	(void)d;
	store_result_t r;
	return mail_folder_rename(s, op_id, "Shared/Sub", "Shared/Renamed", &r);
}

static int delete_sub(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	(void)d;
	store_result_t r;
	return mail_folder_delete(s, op_id, "Shared/Sub", 0, &r);
}

static int delete_tree(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	(void)d;
	store_result_t r;
	return mail_folder_delete(s, op_id, "Shared", 1, &r);
}

static int folder_sync(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	store_fsync_pos_t pos = {0, 0, 0, 0};
	store_fsync_page_t *p = NULL;
	int st = mail_folder_sync(s, 0, &pos, 100, 100, &p);
	*d = p ? p->change * 1000003 + p->n_folders * 101 + p->next.folder_id : 0;
	store_folder_sync_page_free(&p);
	return st;
}

static int list(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	store_list_query_t q = {.limit = 10};
	store_msglist_t *l = NULL;
	int st = mail_list(s, "Shared", &q, &l);
	*d = l ? l->count : 0;
	store_msglist_free(&l);
	return st;
}

static int search_in(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	store_search_query_t q = {.folder = "Shared", .limit = 10};
	store_msglist_t *l = NULL;
	int st = mail_search(s, &q, &l);
	*d = l ? l->count : 0;
	store_msglist_free(&l);
	return st;
}

static int search_all(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	store_search_query_t q = {.folder = NULL, .limit = 10};
	store_msglist_t *l = NULL;
	int st = mail_search(s, &q, &l);
	*d = l ? l->count : 0;
	store_msglist_free(&l);
	return st;
}

static int info(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	store_msginfo_t *i = NULL;
	int st = mail_info(s, f->m1, &i);
	*d = i ? i->size : 0;
	store_msginfo_free(&i);
	return st;
}

static int fetch(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	char buf[64];
	unsigned char sha[32];
	size_t got;
	return mail_fetch(s, f->m1, 0, buf, sizeof(buf), &got, d, sha);
}

static int index_of(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	store_index_t *ix = NULL;
	int st = mail_index(s, "Shared", 0, 10, &ix);
	*d = ix ? ix->count : 0;
	store_index_free(&ix);
	return st;
}

static int sync_folder(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	store_sync_pos_t pos = {0, 0, 0, 0};
	store_sync_page_t *p = NULL;
	int st = mail_sync(s, "Shared", 0, &pos, 10, 10, &p);
	*d = p ? p->changed->count : 0;
	store_sync_page_free(&p);
	return st;
}

static int wait_in(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	return mail_wait(s, "Shared", 0, 0, d);
}

static int wait_all(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	return mail_wait(s, "", 0, 0, d);
}

static int append_with(struct mail_session *s, uint32_t flags, uint64_t *d)
{
	unsigned char sha[32];
	store_result_t r;
	SHA256((const unsigned char *)body, sizeof(body) - 1, sha);
	int st = mail_append(s, op_id, "Shared", flags, sha, body, sizeof(body) - 1, &r);
	*d = r.id != 0;
	return st;
}

static int append_plain(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	return append_with(s, 0, d);
}

static int append_seen(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	return append_with(s, STORE_FLAG_SEEN, d);
}

/* An upload of the body, in the caller's own mailbox. */
static uint64_t own_upload(struct mail_session *s)
{
	unsigned char sha[32];
	store_result_t r;
	SHA256((const unsigned char *)body, sizeof(body) - 1, sha);
	CHECK(mail_upload_begin(s, NULL, sizeof(body) - 1, sha, &r) == MAIL_OK);
	uint64_t upload = r.id;
	CHECK(mail_upload_append(s, NULL, upload, 0, body, sizeof(body) - 1, &r) == MAIL_OK);
	return upload;
}

static int uploads(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	uint64_t received, size, upload = own_upload(s);
	store_result_t r;
	int st = mail_upload_status(s, upload, &received, &size);
	*d = received;
	return st == MAIL_OK ? mail_upload_abort(s, op_id, upload, &r) : st;
}

static int commit(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	store_result_t r;
	int st = mail_upload_commit(s, op_id, own_upload(s), "Shared", 0, &r);
	*d = r.id != 0;
	return st;
}

/* Sending as the mailbox worked in (the owner: itself). */
static int submit_as(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	static const char *const rcpts[] = {"carol"};
	store_result_t r;
	size_t bad;
	int st = mail_submit(s, op_id, own_upload(s), f->mbox, rcpts, 1, &r, &bad);
	*d = bad;
	store_result_clear(&r);
	return st;
}

static int move(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	store_result_t r;
	int st = mail_move(s, op_id, &f->m1, 1, "Dest", &r);
	*d = r.done;
	store_result_clear(&r);
	return st;
}

static int copy(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	store_result_t r;
	int st = mail_copy(s, op_id, &f->m1, 1, "Dest", &r);
	*d = r.done;
	store_result_clear(&r);
	return st;
}

static int delete (struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	store_result_t r;
	int st = mail_delete(s, op_id, &f->m1, 1, 0, &r);
	*d = r.done;
	store_result_clear(&r);
	return st;
}

static int expunge(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	store_result_t r;
	int st = mail_delete(s, op_id, &f->m1, 1, 1, &r);
	*d = r.done;
	store_result_clear(&r);
	return st;
}

static int flag(struct mail_session *s, const struct fixture *f, uint32_t bits)
{
	store_result_t r;
	return mail_flags(s, op_id, &f->m1, 1, bits, 0, &r);
}

static int flag_seen(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)d;
	return flag(s, f, STORE_FLAG_SEEN);
}

static int flag_flagged(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)d;
	return flag(s, f, STORE_FLAG_FLAGGED);
}

static int flag_deleted(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)d;
	return flag(s, f, STORE_FLAG_DELETED);
}

static int acl_get(struct mail_session *s, const char *path, uint64_t *d)
{
	store_acl_t *acl = NULL;
	int st = mail_acl_get(s, path, &acl);
	*d = acl ? acl->count : 0;
	store_acl_free(&acl);
	return st;
}

static int acl_get_in(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	return acl_get(s, "Shared", d);
}

static int acl_get_root(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	return acl_get(s, "", d);
}

static int acl_set_in(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	(void)d;
	store_result_t r;
	return mail_acl_set(s, op_id, "Shared", "carol" REALM, "lr", &r);
}

static int myrights(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	uint32_t rights;
	int st = mail_myrights(s, "Shared", &rights);
	*d = rights;
	return st;
}

static int quota(struct mail_session *s, const struct fixture *f, uint64_t *d)
{
	(void)f;
	struct mail_quota q;
	int st = mail_quota(s, &q);
	*d = q.used;
	return st;
}

/* ---- the table --------------------------------------------------------- */

struct op {
	const char *name;
	const char *need; /* rights needed on every folder it touches */
	int root;	  /* acts on the root (or on nothing of the mailbox):
			     nothing there needs to be seen */
	int see_any;	  /* any right makes its folder known (else "l") */
	int owner_only;	  /* everyone else's answer (0: the rights decide) */
	int ok;		  /* answer when allowed */
	int hidden;	  /* answer when its folder may not be seen */
	int (*run)(struct mail_session *, const struct fixture *, uint64_t *);
	int denied;	  /* answer when seen but a right is missing (0: DENIED) */
};

static const struct op ops[] = {
    {"folder_list", "", 1, 0, 0, MAIL_OK, 0, folder_list, 0},
    {"folder_get", "l", 0, 0, 0, MAIL_OK, MAIL_ERR_NOFOLDER, folder_get, 0},
    {"folder_create in Shared", "lk", 0, 0, 0, MAIL_OK, MAIL_ERR_NOFOLDER, create_in, 0},
    {"folder_create at the top", "k", 1, 0, 0, MAIL_OK, 0, create_top, 0},
    {"folder_create onto Shared/Sub", "lk", 0, 0, 0, MAIL_ERR_EXISTS, MAIL_ERR_NOFOLDER,
     create_taken, 0},
    {"folder_rename", "lkx", 0, 0, 0, MAIL_OK, MAIL_ERR_NOFOLDER, rename_sub, 0},
    {"folder_delete", "lx", 0, 0, 0, MAIL_OK, MAIL_ERR_NOFOLDER, delete_sub, 0},
    {"folder_delete recursive", "lx", 0, 0, 0, MAIL_OK, MAIL_ERR_NOFOLDER, delete_tree, 0},
    {"folder_sync", "", 1, 0, 0, MAIL_OK, 0, folder_sync, 0},
    {"list", "lr", 0, 0, 0, MAIL_OK, MAIL_ERR_NOFOLDER, list, 0},
    {"search a folder", "lr", 0, 0, 0, MAIL_OK, MAIL_ERR_NOFOLDER, search_in, 0},
    {"search everything", "", 1, 0, MAIL_ERR_INVALID, MAIL_OK, 0, search_all, 0},
    {"info", "lr", 0, 0, 0, MAIL_OK, MAIL_ERR_NOMESSAGE, info, 0},
    {"fetch", "lr", 0, 0, 0, MAIL_OK, MAIL_ERR_NOMESSAGE, fetch, 0},
    {"index", "lr", 0, 0, 0, MAIL_OK, MAIL_ERR_NOFOLDER, index_of, 0},
    {"sync", "lr", 0, 0, 0, MAIL_OK, MAIL_ERR_NOFOLDER, sync_folder, 0},
    {"wait on a folder", "lr", 0, 0, 0, MAIL_OK, MAIL_ERR_NOFOLDER, wait_in, 0},
    {"wait on everything", "", 1, 0, MAIL_ERR_INVALID, MAIL_OK, 0, wait_all, 0},
    {"append", "li", 0, 0, 0, MAIL_OK, MAIL_ERR_NOFOLDER, append_plain, 0},
    {"append seen", "lis", 0, 0, 0, MAIL_OK, MAIL_ERR_NOFOLDER, append_seen, 0},
    {"upload begin, append, status, abort", "", 1, 0, 0, MAIL_OK, 0, uploads, 0},
    {"upload commit", "li", 0, 0, 0, MAIL_OK, MAIL_ERR_NOFOLDER, commit, 0},
    /* A send names no folder: every refusal is "you may not send as"
     * (NORCPT to the protocol's older send). */
    {"submit on behalf", "p", 0, 1, 0, MAIL_OK, MAIL_ERR_NORCPT, submit_as, MAIL_ERR_NORCPT},
    {"move", "lrti", 0, 0, 0, MAIL_OK, MAIL_ERR_NOFOLDER, move, 0},
    {"copy", "lri", 0, 0, 0, MAIL_OK, MAIL_ERR_NOFOLDER, copy, 0},
    {"delete", "lt", 0, 0, 0, MAIL_OK, MAIL_ERR_NOMESSAGE, delete, 0},
    {"delete for good", "lte", 0, 0, 0, MAIL_OK, MAIL_ERR_NOMESSAGE, expunge, 0},
    {"flags seen", "ls", 0, 0, 0, MAIL_OK, MAIL_ERR_NOMESSAGE, flag_seen, 0},
    {"flags flagged", "lw", 0, 0, 0, MAIL_OK, MAIL_ERR_NOMESSAGE, flag_flagged, 0},
    {"flags deleted", "lt", 0, 0, 0, MAIL_OK, MAIL_ERR_NOMESSAGE, flag_deleted, 0},
    {"acl_get", "la", 0, 0, 0, MAIL_OK, MAIL_ERR_NOFOLDER, acl_get_in, 0},
    {"acl_get of the root", "a", 1, 0, 0, MAIL_OK, 0, acl_get_root, 0},
    {"acl_set", "la", 0, 0, 0, MAIL_OK, MAIL_ERR_NOFOLDER, acl_set_in, 0},
    {"myrights", "", 0, 1, 0, MAIL_OK, MAIL_ERR_NOFOLDER, myrights, 0},
    {"quota", "", 1, 0, MAIL_ERR_DENIED, MAIL_OK, 0, quota, 0},
};
#define N_OPS (sizeof(ops) / sizeof(ops[0]))

static uint32_t letters(const char *s)
{
	uint32_t bits = 0;
	CHECK(store_rights_parse(s, &bits) == STORE_OK);
	return bits;
}

/* What op answers a caller holding rights on every folder (owner: all). */
static int expected(const struct op *op, int owner, uint32_t rights)
{
	uint32_t need = letters(op->need);
	if (owner)
		return op->ok;
	if (op->owner_only)
		return op->owner_only;
	int seen = op->root || (op->see_any ? rights != 0 : (rights & R('l')) != 0);
	if (!seen)
		return op->hidden;
	if ((rights & need) == need)
		return op->ok;
	return op->denied ? op->denied : MAIL_ERR_DENIED;
}

/* ---- running a case ---------------------------------------------------- */

static const char *const public_admins[] = {"padmin" REALM};

/* Runs op in a fresh store as principal working in mailbox, which is
 * built (unless missing) with rights for grantee; *digest_r its result. */
static int run_case(const struct op *op, const char *principal, const char *mailbox, int missing,
		    int disabled, const char *grantee, uint32_t rights, uint64_t *digest_r)
{
	char *dir;
	struct fixture f = {mailbox, 1, 2};
	store_t *st = open_new(&dir, NULL);
	OK(store_mailbox_ensure(st, "carol"));
	if (!missing)
		build(st, mailbox, grantee, rights, &f);
	if (disabled)
		OK(store_mailbox_set_disabled(st, mailbox, 1));
	store_close(&st);

	struct mail_config cfg = {
	    .store_dir = dir, .public_admins = public_admins, .n_public_admins = 1, .wait_max = 1};
	struct mail_service *svc = NULL;
	struct mail_session *s = NULL;
	CHECK(mail_service_new(&cfg, &svc) == MAIL_OK);
	CHECK(mail_session_new(svc, principal, &s) == MAIL_OK);
	CHECK(mail_open(s, strcmp(mailbox, mail_session_mailbox(s)) == 0 ? "" : mailbox) ==
	      MAIL_OK);
	*digest_r = 0;
	int status = op->run(s, &f, digest_r);
	mail_session_free(&s);
	mail_service_free(&svc);
	rmtmp(&dir);
	return status;
}

static void expect(const struct op *op, const char *who, int got, int want)
{
	if (got == want)
		return;
	fprintf(stderr, "%s as %s: status %d, want %d\n", op->name, who, got, want);
	CHECK(got == want);
}

static void t_rights_matrix(void)
{
	uint64_t d;
	char who[64];
	for (size_t i = 0; i < N_OPS; i++) {
		const struct op *op = &ops[i];
		uint32_t need = letters(op->need);
		expect(op, "the owner", run_case(op, "alice" REALM, "alice", 0, 0, NULL, 0, &d),
		       op->ok);
		for (const char *c = STORE_RIGHTS_LETTERS; *c; c++) {
			/* Exactly one right, and that right with "l" (without which
			 * nothing is seen, so most refusals would look alike). */
			uint32_t with_l = R(*c) | R('l');
			snprintf(who, sizeof(who), "a delegate holding %c", *c);
			expect(op, who,
			       run_case(op, "bob" REALM, "alice", 0, 0, "bob" REALM, R(*c), &d),
			       expected(op, 0, R(*c)));
			snprintf(who, sizeof(who), "a delegate holding l%c", *c);
			expect(op, who,
			       run_case(op, "bob" REALM, "alice", 0, 0, "bob" REALM, with_l, &d),
			       expected(op, 0, with_l));
		}
		for (const char *c = op->need; *c; c++) {
			uint32_t rest = ALL_RIGHTS & ~R(*c);
			snprintf(who, sizeof(who), "a delegate holding all but %c", *c);
			expect(op, who,
			       run_case(op, "bob" REALM, "alice", 0, 0, "bob" REALM, rest, &d),
			       expected(op, 0, rest));
		}
		uint32_t anyone = need ? need : R('l');
		expect(op, "anyone granted what it needs",
		       run_case(op, "bob" REALM, "alice", 0, 0, STORE_ANYONE, anyone, &d),
		       expected(op, 0, anyone));
		expect(op, "a stranger", run_case(op, "dave" REALM, "alice", 0, 0, NULL, 0, &d),
		       expected(op, 0, 0));
		expect(op, "the public administrator, on the public folders",
		       run_case(op, "padmin" REALM, MAIL_PUBLIC_MAILBOX, 0, 0, NULL, 0, &d),
		       op->ok);
		expect(op, "the public administrator, on alice's",
		       run_case(op, "padmin" REALM, "alice", 0, 0, NULL, 0, &d),
		       expected(op, 0, 0));
	}
}

/* A stranger cannot tell alice's mailbox from a missing or a disabled one. */
static void t_stranger_sees_nothing(void)
{
	for (size_t i = 0; i < N_OPS; i++) {
		const struct op *op = &ops[i];
		uint64_t d_alice, d_missing, d_disabled;
		int s_alice = run_case(op, "dave" REALM, "alice", 0, 0, NULL, 0, &d_alice);
		int s_missing = run_case(op, "dave" REALM, "alice", 1, 0, NULL, 0, &d_missing);
		int s_disabled = run_case(op, "dave" REALM, "alice", 0, 1, NULL, 0, &d_disabled);
		expect(op, "a stranger on a missing mailbox", s_missing, s_alice);
		expect(op, "a stranger on a disabled mailbox", s_disabled, s_alice);
		if (d_alice != d_missing || d_alice != d_disabled)
			fprintf(stderr, "%s: results %llu / %llu / %llu\n", op->name,
				(unsigned long long)d_alice, (unsigned long long)d_missing,
				(unsigned long long)d_disabled);
		CHECK(d_alice == d_missing && d_alice == d_disabled);
	}
}

/* Listings show each caller only what it may look up, and say nothing
 * of the mailbox's activity to anyone but its owner. */
static void t_listings_filter(void)
{
	uint64_t d;
	/* Folders of the fixture: five well-known, Shared, Shared/Sub, Dest. */
	CHECK(run_case(&ops[0], "alice" REALM, "alice", 0, 0, NULL, 0, &d) == MAIL_OK);
	CHECK(d == 8 * 1000 + 8);
	CHECK(run_case(&ops[0], "bob" REALM, "alice", 0, 0, "bob" REALM, R('l'), &d) == MAIL_OK);
	CHECK(d == 6 * 1000 + 6); /* granted on Inbox, Outbox, Deleted Items, Shared, Sub, Dest */
	CHECK(run_case(&ops[0], "bob" REALM, "alice", 0, 0, "bob" REALM, R('r'), &d) == MAIL_OK);
	CHECK(d == 0);
	const struct op *fsync = &ops[8];
	CHECK(strcmp(fsync->name, "folder_sync") == 0);
	uint64_t owner, delegate;
	CHECK(run_case(fsync, "alice" REALM, "alice", 0, 0, NULL, 0, &owner) == MAIL_OK);
	CHECK(run_case(fsync, "bob" REALM, "alice", 0, 0, "bob" REALM, R('l'), &delegate) ==
	      MAIL_OK);
	CHECK(owner / 1000003 > 0);	/* the owner learns the change number */
	CHECK(delegate / 1000003 == 0); /* a delegate does not */
}

/* Stranger-equals-missing needs a krb5.conf whose default realm is ours. */
static void setup_krb5(void)
{
	char path[4200];
	krb5_dir = mktmp();
	snprintf(path, sizeof(path), "%s/krb5.conf", krb5_dir);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	fprintf(f, "[libdefaults]\n\tdefault_realm = MAILRPC.TEST\n\tdns_lookup_realm = false\n");
	CHECK(fclose(f) == 0);
	CHECK(setenv("KRB5_CONFIG", path, 1) == 0);
}

int main(void)
{
	/* Hundreds of scratch stores, each written with fsync: on tmpfs, if
	 * there is one, that costs nothing (their durability is no concern). */
	if (access("/dev/shm", W_OK) == 0)
		setenv("TMPDIR", "/dev/shm", 1);
	setup_krb5();
	RUN(t_rights_matrix);
	RUN(t_stranger_sees_nothing);
	RUN(t_listings_filter);
	rmtmp(&krb5_dir);
	printf("%d tests passed\n", test_count);
	return 0;
}
