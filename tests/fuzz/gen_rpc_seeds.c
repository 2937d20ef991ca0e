/*
 * gen_rpc_seeds.c -- writes fuzz_rpc's seed corpus: the calls a real
 * client makes (the ones libmailrpc and the CLI send), XDR-encoded by the
 * IDL's own routines, alone and as whole sessions against fuzz_rpc's
 * seeded store (ids and names below are that store's).
 *
 *   gen_rpc_seeds DIR     writes DIR/NAME for each seed (make fuzz-seeds)
 *
 * Run it again when the IDL changes; the files are committed under
 * tests/fuzz/corpus/fuzz_rpc.
 */
#include <openssl/evp.h>
#include <rpc/rpc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailrpc_prot.h"
#include "rpc_input.h"

enum who { ALICE, BOB, CAROL, DAVE, ADMIN_INSTANCE, FOREIGN, NEWS };

struct seed {
	unsigned char buf[1 << 16];
	size_t len;
	unsigned ops; /* makes each call's op id different */
};

static void add(struct seed *s, unsigned proc, enum who who, xdrproc_t fn, void *args)
{
	XDR x;
	unsigned char *h = s->buf + s->len;
	xdrmem_create(&x, (char *)h + RPC_INPUT_HEAD,
		      (u_int)(sizeof(s->buf) - s->len - RPC_INPUT_HEAD), XDR_ENCODE);
	if (!fn(&x, args)) {
		fprintf(stderr, "gen_rpc_seeds: procedure %u does not encode\n", proc);
		exit(1);
	}
	size_t n = xdr_getpos(&x);
	xdr_destroy(&x);
	h[0] = (unsigned char)proc;
	h[1] = (unsigned char)who;
	h[2] = (unsigned char)(n >> 8);
	h[3] = (unsigned char)n;
	s->len += RPC_INPUT_HEAD + n;
}

static void op(struct seed *s, mr_opid id)
{
	memset(id, 0, sizeof(mr_opid));
	id[0] = 0x5e;
	id[15] = (unsigned char)++s->ops;
}

static void save(const char *dir, const char *name, struct seed *s)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(s->buf, 1, s->len, f) != s->len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	s->len = 0; /* op ids stay unique across seeds: one reused names another call */
}

#define NOARGS ((xdrproc_t)xdr_void)
#define X(fn) ((xdrproc_t)(fn))

static void path_call(struct seed *s, unsigned proc, enum who who, const char *path)
{
	mr_path p = (char *)path;
	add(s, proc, who, X(xdr_mr_path), &p);
}

static void open_mailbox(struct seed *s, enum who who, const char *mbox)
{
	mr_name n = (char *)mbox;
	add(s, MR_MAILBOX_OPEN, who, X(xdr_mr_name), &n);
}

static void list(struct seed *s, enum who who, const char *folder, int sort)
{
	mr_list_args a = {.folder = (char *)folder, .sort = sort, .limit = 50};
	add(s, MR_MSG_LIST, who, X(xdr_mr_list_args), &a);
}

static void append(struct seed *s, enum who who, const char *folder, const char *text)
{
	mr_msg_append_args a = {.folder = (char *)folder};
	op(s, a.op);
	a.data.data_len = (u_int)strlen(text);
	a.data.data_val = (char *)text;
	EVP_Digest(text, strlen(text), (unsigned char *)a.sha256, NULL, EVP_sha256(), NULL);
	add(s, MR_MSG_APPEND, who, X(xdr_mr_msg_append_args), &a);
}

static void batch(struct seed *s, unsigned proc, enum who who, mr_id *ids, u_int n,
		  const char *folder)
{
	mr_move_args m = {.ids = {n, ids}, .folder = (char *)folder};
	op(s, m.op);
	add(s, proc, who, X(xdr_mr_move_args), &m);
}

static void delete_ids(struct seed *s, enum who who, mr_id *ids, u_int n, int hard)
{
	mr_delete_args d = {.ids = {n, ids}, .hard = hard};
	op(s, d.op);
	add(s, MR_MSG_DELETE, who, X(xdr_mr_delete_args), &d);
}

static void flags(struct seed *s, enum who who, mr_id *ids, u_int n, unsigned set, unsigned clear)
{
	mr_flags_args f = {.ids = {n, ids}, .set = set, .clear = clear};
	op(s, f.op);
	add(s, MR_MSG_FLAGS, who, X(xdr_mr_flags_args), &f);
}

static void acl_set(struct seed *s, enum who who, const char *folder, const char *principal,
		    const char *rights)
{
	mr_acl_set_args a = {
	    .folder = (char *)folder, .principal = (char *)principal, .rights = (char *)rights};
	op(s, a.op);
	add(s, MR_ACL_SET, who, X(xdr_mr_acl_set_args), &a);
}

static void folder_create(struct seed *s, enum who who, const char *path)
{
	mr_folder_create_args a = {.path = (char *)path};
	op(s, a.op);
	add(s, MR_FOLDER_CREATE, who, X(xdr_mr_folder_create_args), &a);
}

/* Every procedure once, as the owner would call it. */
static void singles(const char *dir)
{
	struct seed s = {0};
	mr_id one = 1, two[] = {1, 2};

	add(&s, MR_WHOAMI, ALICE, NOARGS, NULL);
	save(dir, "01-whoami", &s);
	open_mailbox(&s, ALICE, "");
	save(dir, "02-mailbox-open", &s);
	add(&s, MR_QUOTA, ALICE, NOARGS, NULL);
	save(dir, "03-quota", &s);
	mr_folder_list_args fl = {0};
	add(&s, MR_FOLDER_LIST, ALICE, X(xdr_mr_folder_list_args), &fl);
	save(dir, "04-folder-list", &s);
	path_call(&s, MR_FOLDER_GET, ALICE, "Inbox");
	save(dir, "05-folder-get", &s);
	folder_create(&s, ALICE, "Projects/2025");
	save(dir, "06-folder-create", &s);
	mr_folder_rename_args fr = {.from = "Projects", .to = "Archive"};
	op(&s, fr.op);
	add(&s, MR_FOLDER_RENAME, ALICE, X(xdr_mr_folder_rename_args), &fr);
	save(dir, "07-folder-rename", &s);
	mr_folder_delete_args fd = {.path = "Projects", .recursive = 1};
	op(&s, fd.op);
	add(&s, MR_FOLDER_DELETE, ALICE, X(xdr_mr_folder_delete_args), &fd);
	save(dir, "08-folder-delete", &s);
	mr_folder_sync_args fs = {0};
	add(&s, MR_FOLDER_SYNC, ALICE, X(xdr_mr_folder_sync_args), &fs);
	save(dir, "09-folder-sync", &s);
	list(&s, ALICE, "Inbox", MR_SORT_DATE);
	save(dir, "10-msg-list", &s);
	mr_search_args sa = {
	    .folder = "", .from = "bob", .to = "", .subject = "", .body = "Hello", .limit = 20};
	add(&s, MR_MSG_SEARCH, ALICE, X(xdr_mr_search_args), &sa);
	save(dir, "11-msg-search", &s);
	add(&s, MR_MSG_INFO, ALICE, X(xdr_mr_id), &one);
	save(dir, "12-msg-info", &s);
	mr_fetch_args fa = {.id = 1, .offset = 0, .length = 65536};
	add(&s, MR_MSG_FETCH, ALICE, X(xdr_mr_fetch_args), &fa);
	save(dir, "13-msg-fetch", &s);
	mr_index_args ia = {.folder = "Inbox", .after = 0, .limit = 100};
	add(&s, MR_MSG_INDEX, ALICE, X(xdr_mr_index_args), &ia);
	save(dir, "14-msg-index", &s);
	append(&s, ALICE, "Drafts", "From: alice\r\nSubject: draft\r\n\r\ntext\r\n");
	save(dir, "15-msg-append", &s);

	const char *text = "From: alice\nTo: bob\nSubject: upload\n\nin two chunks\n";
	size_t len = strlen(text);
	mr_upload_begin_args ub = {.size = len};
	op(&s, ub.op);
	EVP_Digest(text, len, (unsigned char *)ub.sha256, NULL, EVP_sha256(), NULL);
	add(&s, MR_UPLOAD_BEGIN, ALICE, X(xdr_mr_upload_begin_args), &ub);
	save(dir, "16-upload-begin", &s);
	/* The seeded store's upload is 1; the one begun above would be 2. */
	mr_upload_append_args ua = {.upload = 1, .offset = 0, .data = {10, "0123456789"}};
	op(&s, ua.op);
	add(&s, MR_UPLOAD_APPEND, ALICE, X(xdr_mr_upload_append_args), &ua);
	save(dir, "17-upload-append", &s);
	mr_upload_ref ur = {.upload = 1};
	add(&s, MR_UPLOAD_STATUS, ALICE, X(xdr_mr_upload_ref), &ur);
	save(dir, "18-upload-status", &s);
	mr_upload_abort_args uab = {.upload = 1};
	op(&s, uab.op);
	add(&s, MR_UPLOAD_ABORT, ALICE, X(xdr_mr_upload_abort_args), &uab);
	save(dir, "19-upload-abort", &s);

	/* A whole upload, committed by append (20) and by submit (21). */
	for (unsigned commit = MR_UPLOAD_COMMIT_APPEND; commit <= MR_UPLOAD_COMMIT_SUBMIT;
	     commit++) {
		add(&s, MR_UPLOAD_BEGIN, ALICE, X(xdr_mr_upload_begin_args), &ub);
		mr_upload_append_args a1 = {.upload = 2, .offset = 0, .data = {20, (char *)text}};
		mr_upload_append_args a2 = {
		    .upload = 2, .offset = 20, .data = {(u_int)len - 20, (char *)text + 20}};
		op(&s, a1.op);
		op(&s, a2.op);
		add(&s, MR_UPLOAD_APPEND, ALICE, X(xdr_mr_upload_append_args), &a1);
		add(&s, MR_UPLOAD_APPEND, ALICE, X(xdr_mr_upload_append_args), &a2);
		if (commit == MR_UPLOAD_COMMIT_APPEND) {
			mr_commit_append_args ca = {.upload = 2, .folder = "Inbox", .flags = 1};
			op(&s, ca.op);
			add(&s, commit, ALICE, X(xdr_mr_commit_append_args), &ca);
			save(dir, "20-upload-commit-append", &s);
		} else {
			mr_name rcpts[] = {"bob", "alice"};
			mr_commit_submit_args cs = {.upload = 2, .rcpts = {2, rcpts}, .from = ""};
			op(&s, cs.op);
			add(&s, commit, ALICE, X(xdr_mr_commit_submit_args), &cs);
			save(dir, "21-upload-commit-submit", &s);
		}
	}
	batch(&s, MR_MSG_MOVE, ALICE, two, 2, "Projects");
	save(dir, "22-msg-move", &s);
	batch(&s, MR_MSG_COPY, ALICE, two, 2, "Drafts");
	save(dir, "23-msg-copy", &s);
	delete_ids(&s, ALICE, two, 2, 0);
	save(dir, "24-msg-delete", &s);
	flags(&s, ALICE, two, 2, MR_FLAG_SEEN | MR_FLAG_FLAGGED, MR_FLAG_DRAFT);
	save(dir, "25-msg-flags", &s);
	path_call(&s, MR_ACL_GET, ALICE, "Shared");
	save(dir, "26-acl-get", &s);
	acl_set(&s, ALICE, "Projects", "carol@FUZZ.TEST", "lr");
	save(dir, "27-acl-set", &s);
	open_mailbox(&s, BOB, "alice");
	path_call(&s, MR_MYRIGHTS, BOB, "Shared");
	save(dir, "28-myrights", &s);
	mr_wait_args wa = {.folder = "", .since = 0, .max_wait = 30};
	add(&s, MR_WAIT, ALICE, X(xdr_mr_wait_args), &wa);
	save(dir, "29-wait", &s);
	mr_sync_args sy = {.folder = "Inbox", .since = 0};
	add(&s, MR_SYNC, ALICE, X(xdr_mr_sync_args), &sy);
	save(dir, "30-sync", &s);
}

/* Sessions that cross users: a delegate, a stranger, send on behalf, the
 * public folders, refused callers, retried op ids. */
static void sessions(const char *dir)
{
	struct seed s = {0};
	mr_id shared = 4, deep = 5, twice[] = {4, 4};

	open_mailbox(&s, BOB, "alice");
	list(&s, BOB, "Shared", MR_SORT_ID);
	mr_fetch_args fa = {.id = shared, .length = 100};
	add(&s, MR_MSG_FETCH, BOB, X(xdr_mr_fetch_args), &fa);
	flags(&s, BOB, &shared, 1, MR_FLAG_SEEN, 0);
	batch(&s, MR_MSG_MOVE, BOB, &deep, 1, "Shared");
	delete_ids(&s, BOB, twice, 2, 1);
	mr_folder_delete_args fd = {.path = "Shared", .recursive = 1};
	op(&s, fd.op);
	add(&s, MR_FOLDER_DELETE, BOB, X(xdr_mr_folder_delete_args), &fd);
	save(dir, "40-delegate", &s);

	open_mailbox(&s, CAROL, "alice");
	mr_folder_sync_args fs = {0};
	add(&s, MR_FOLDER_SYNC, CAROL, X(xdr_mr_folder_sync_args), &fs);
	mr_folder_list_args fl = {0};
	add(&s, MR_FOLDER_LIST, CAROL, X(xdr_mr_folder_list_args), &fl);
	folder_create(&s, CAROL, "Shared/Mine");
	path_call(&s, MR_MYRIGHTS, CAROL, "Shared");
	save(dir, "41-stranger", &s);

	acl_set(&s, ALICE, "Inbox", "carol@FUZZ.TEST", "lrswipkxtea");
	open_mailbox(&s, CAROL, "alice");
	list(&s, CAROL, "Inbox", MR_SORT_SUBJECT);
	acl_set(&s, CAROL, "Inbox", "anyone", "lr");
	acl_set(&s, ALICE, "Inbox", "carol@FUZZ.TEST", "");
	list(&s, CAROL, "Inbox", MR_SORT_FROM);
	save(dir, "42-grant-revoke", &s);

	add(&s, MR_WHOAMI, CAROL, NOARGS, NULL); /* her mailbox is made on first use */
	const char *text = "Subject: on behalf\n\nfrom alice for bob\n";
	mr_upload_begin_args ub = {.size = strlen(text)};
	op(&s, ub.op);
	EVP_Digest(text, strlen(text), (unsigned char *)ub.sha256, NULL, EVP_sha256(), NULL);
	add(&s, MR_UPLOAD_BEGIN, ALICE, X(xdr_mr_upload_begin_args), &ub);
	mr_upload_append_args ua = {.upload = 2, .data = {(u_int)strlen(text), (char *)text}};
	op(&s, ua.op);
	add(&s, MR_UPLOAD_APPEND, ALICE, X(xdr_mr_upload_append_args), &ua);
	mr_name rcpts[] = {"carol"};
	mr_commit_submit_args cs = {.upload = 2, .rcpts = {1, rcpts}, .from = "bob"};
	op(&s, cs.op);
	add(&s, MR_UPLOAD_COMMIT_SUBMIT, ALICE, X(xdr_mr_commit_submit_args), &cs);
	add(&s, MR_UPLOAD_COMMIT_SUBMIT, ALICE, X(xdr_mr_commit_submit_args), &cs);
	save(dir, "43-send-on-behalf-retried", &s);

	open_mailbox(&s, CAROL, "public");
	list(&s, CAROL, "News", MR_SORT_ID);
	open_mailbox(&s, NEWS, "public");
	folder_create(&s, NEWS, "News/Archive");
	acl_set(&s, NEWS, "News/Archive", "anyone", "lri");
	append(&s, CAROL, "News/Archive", "Subject: letter\n\nto the editor\n");
	save(dir, "44-public", &s);

	add(&s, MR_WHOAMI, DAVE, NOARGS, NULL);
	add(&s, MR_WHOAMI, ADMIN_INSTANCE, NOARGS, NULL);
	add(&s, MR_WHOAMI, FOREIGN, NOARGS, NULL);
	list(&s, DAVE, "Inbox", MR_SORT_ID);
	open_mailbox(&s, BOB, "dave");
	list(&s, BOB, "Inbox", MR_SORT_ID);
	save(dir, "45-refused-callers", &s);

	mr_id ids[] = {1, 2};
	batch(&s, MR_MSG_COPY, ALICE, ids, 2, "Shared");
	s.ops--; /* the same op id again: answered from its record */
	batch(&s, MR_MSG_COPY, ALICE, ids, 2, "Shared");
	mr_sync_args sy = {.folder = "Shared", .since = 1};
	add(&s, MR_SYNC, ALICE, X(xdr_mr_sync_args), &sy);
	save(dir, "46-retried-copy-then-sync", &s);

	folder_create(&s, ALICE, "A");
	folder_create(&s, ALICE, "A/B");
	mr_folder_rename_args fr = {.from = "A", .to = "Shared/A"};
	op(&s, fr.op);
	add(&s, MR_FOLDER_RENAME, ALICE, X(xdr_mr_folder_rename_args), &fr);
	mr_folder_sync_args since = {.since = 3};
	add(&s, MR_FOLDER_SYNC, ALICE, X(xdr_mr_folder_sync_args), &since);
	save(dir, "47-folders-then-sync", &s);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_rpc_seeds DIR\n");
		return 64;
	}
	singles(argv[1]);
	sessions(argv[1]);
	return 0;
}
