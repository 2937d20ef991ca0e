/*
 * fuzz_rpc.c -- libFuzzer harness for every mailrpc procedure: each call
 * of the input (rpc_input.h) is decoded with the procedure's XDR routine
 * and handed to its handler, with its reply encoded, exactly as mailrpcd's
 * dispatcher does after RPCSEC_GSS has authenticated the caller (the
 * security layer is not in this path: callers are sessions of principals
 * chosen by the input).  Every input starts from the same seeded store
 * (scratch.h): three users, shared folders with ACLs, the public
 * folders, a disabled mailbox, an upload under way.
 *
 * Beyond "no crash, no leak, no undefined behaviour", it checks what a
 * client must be able to rely on: every reply fits the transport buffer
 * (libtirpc crashes otherwise, STACK-FACTS), no call of a user is
 * answered INTERNAL or CORRUPT (bad input gets a clear error), and after
 * the input the store passes store_verify.
 */
#include <rpc/rpc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../common/level.h"
#include "../../common/status.h"
#include "config.h"
#include "mailrpc_prot.h"
#include "procs.h"
#include "rpc_input.h"
#include "scratch.h"
#include "service_int.h"

/* The reply's own bytes must leave room for the RPC header, the GSS
 * verifier and the privacy wrapping (well under this) in the record. */
#define REPLY_MAX (MAILRPC_RECORD_BUFFER - 512)

static const char *const principals[RPC_INPUT_CALLERS] = {
    "alice@FUZZ.TEST",	     /* owns the seeded mailbox */
    "bob@FUZZ.TEST",	     /* a delegate of alice's Shared folders */
    "carol@FUZZ.TEST",	     /* a stranger; her mailbox is made on first use */
    "dave@FUZZ.TEST",	     /* disabled by the administrator */
    "alice/admin@FUZZ.TEST", /* maps to no mailbox */
    "eve@OTHER.TEST",	     /* a realm not served */
    "news@FUZZ.TEST",	     /* administers the public folders */
};

static struct server_config config;
static const char *const public_admins[] = {"news@FUZZ.TEST"};
static struct mail_config mail_config = {
    .public_admins = public_admins, .n_public_admins = 1, .wait_max = 0 /* WAIT answers at once */};
static struct mail_service *service;
static unsigned char reply[MAILRPC_RECORD_BUFFER];
static int verbose; /* FUZZ_VERBOSE set: one line per call, to see what an input does */

static void add(store_t *st, const char *mbox, const char *folder, const char *text, uint32_t flags)
{
	uint64_t id;
	FUZZ_CHECK(store_message_append(st, mbox, folder, text, strlen(text), flags, 1700000000,
					&id) == STORE_OK);
}

static void seed(store_t *st)
{
	uint64_t upload;
	FUZZ_CHECK(store_policy_set(st, STORE_POLICY_MAX_MESSAGE, 200000) == STORE_OK);
	FUZZ_CHECK(store_policy_set(st, STORE_POLICY_DEFAULT_QUOTA, 2000000) == STORE_OK);
	const char *users[] = {"alice", "bob", "dave"};
	for (size_t i = 0; i < 3; i++)
		FUZZ_CHECK(store_mailbox_ensure(st, users[i]) == STORE_OK);
	const char *folders[] = {"Projects", "Projects/2024", "Shared", "Shared/Deep"};
	for (size_t i = 0; i < 4; i++)
		FUZZ_CHECK(store_folder_create(st, "alice", folders[i]) == STORE_OK);
	add(st, "alice", "Inbox",
	    "From: Bob <bob@example.org>\r\nTo: alice\r\nSubject: "
	    "=?utf-8?q?caf=C3=A9?=\r\n\r\nHello.\r\n",
	    0);
	add(st, "alice", "Inbox", "From: carol\nSubject: second\n\nbody\n", STORE_FLAG_SEEN);
	add(st, "alice", "Projects/2024", "Subject: plan\n\nx\n", STORE_FLAG_FLAGGED);
	add(st, "alice", "Shared", "Subject: shared\n\nfor bob\n", 0);
	add(st, "alice", "Shared/Deep", "Subject: deep\n\nsecret\n", 0);
	add(st, "bob", "Inbox", "Subject: bob's\n\nmine\n", 0);
	FUZZ_CHECK(store_acl_set(st, "alice", "Shared", "bob@FUZZ.TEST", 0x11f) == STORE_OK);
	FUZZ_CHECK(store_acl_set(st, "alice", "Shared/Deep", "bob@FUZZ.TEST", STORE_RIGHTS_ALL) ==
		   STORE_OK);
	FUZZ_CHECK(store_acl_set(st, "alice", "Shared", STORE_ANYONE, 1) == STORE_OK);
	FUZZ_CHECK(store_acl_set(st, "bob", "Outbox", "alice@FUZZ.TEST", 0x21) == STORE_OK);
	FUZZ_CHECK(store_mailbox_ensure_plain(st, "public") == STORE_OK);
	FUZZ_CHECK(store_folder_create(st, "public", "News") == STORE_OK);
	FUZZ_CHECK(store_acl_set(st, "public", "News", STORE_ANYONE, 3) == STORE_OK);
	add(st, "public", "News", "Subject: news\n\nread me\n", 0);
	FUZZ_CHECK(store_mailbox_set_disabled(st, "dave", 1) == STORE_OK);
	FUZZ_CHECK(store_upload_begin(st, "alice", 10, NULL, &upload) == STORE_OK);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *krb5 = scratch_path(0, "krb5.conf");
	const char *conf = "[libdefaults]\n default_realm = FUZZ.TEST\n dns_lookup_realm = false\n";
	scratch_write(krb5, conf, strlen(conf));
	setenv("KRB5_CONFIG", krb5, 1);
	/* WHOAMI reports the server's settings; the service has its own. */
	config.min_level = LEVEL_PRIVACY;
	config_set(&config);
	/* Never opened: the service is handed the scratch store. */
	mail_config.store_dir = scratch_dir();
	FUZZ_CHECK(mail_service_new(&mail_config, &service) == MAIL_OK);
	verbose = getenv("FUZZ_VERBOSE") != NULL;
	return 0;
}

/* Encodes the reply as svc_sendreply would; checks what a client relies on. */
static void check_reply(const struct proc_def *proc, void *res)
{
	XDR x;
	mr_status status = *(mr_status *)res;
	if ((unsigned)status >= MAILRPC_STATUS_COUNT)
		fuzz_fail("%s answered status %d, not in the IDL", proc->name, (int)status);
	if (status == MR_ERR_INTERNAL || status == MR_ERR_CORRUPT)
		fuzz_fail("%s answered %s to a user's call", proc->name,
			  status == MR_ERR_INTERNAL ? "INTERNAL" : "CORRUPT");
	xdrmem_create(&x, (char *)reply, REPLY_MAX, XDR_ENCODE);
	if (!proc->xdr_res(&x, res))
		fuzz_fail("%s: reply does not encode in %u bytes", proc->name, REPLY_MAX);
	xdr_destroy(&x);
}

/* What dispatch() knows of a caller once RPCSEC_GSS has authenticated it. */
static void caller_init(struct caller *c, struct mail_session *s, int who)
{
	memset(c, 0, sizeof(*c));
	c->principal = principals[who];
	c->principal_shown = target_safe(c, principals[who]);
	c->level = LEVEL_PRIVACY;
	c->expires = time(NULL) + 3600;
	c->session = s;
	c->mailbox = mail_session_mailbox(s);
}

/* SEAL_BEGIN derives keys from the caller's RPCSEC_GSS context, which this
 * harness does not have (the security layer is not in this path; t_seal and
 * test_seal cover it): its handler (seal_begin.c) is not linked, and the
 * procedure is never called here. */
void proc_seal_begin(struct caller *caller, void *args, void *res)
{
	(void)caller, (void)args, (void)res;
	abort();
}

/* One call, as dispatch() makes it once the caller is authenticated. */
static void call(struct mail_session *s, const struct rpc_call_in *in)
{
	const struct proc_def *proc = procs_find(in->proc);
	if (proc == NULL || in->proc == MR_SEAL_BEGIN)
		return; /* svcerr_noproc; SEAL_BEGIN: see proc_seal_begin */
	void *args = calloc(1, proc->args_size), *res = calloc(1, proc->res_size);
	FUZZ_CHECK(args != NULL && res != NULL);
	XDR x;
	xdrmem_create(&x, (char *)in->args, (u_int)in->len, XDR_DECODE);
	if (proc->xdr_args(&x, args)) {
		struct caller caller;
		caller_init(&caller, s, (int)in->who);
		proc->handler(&caller, args, res);
		if (verbose)
			fprintf(stderr, "%s by %s: %s %s\n", proc->name, principals[in->who],
				status_text(*(mr_status *)res), caller.target);
		check_reply(proc, res);
		xdr_free(proc->xdr_res, res);
	} else if (verbose) {
		fprintf(stderr, "%s by %s: arguments do not decode\n", proc->name,
			principals[in->who]);
	}
	xdr_destroy(&x);
	xdr_free(proc->xdr_args, args); /* svc_freeargs: even after a failed decode */
	free(args);
	free(res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mail_session *sessions[RPC_INPUT_CALLERS] = {NULL};
	struct rpc_call_in in;
	size_t pos = 0;

	service->store = scratch_store(seed);
	while (rpc_input_next(data, size, &pos, &in)) {
		if (sessions[in.who] == NULL)
			FUZZ_CHECK(mail_session_new(service, principals[in.who],
						    &sessions[in.who]) == MAIL_OK);
		call(sessions[in.who], &in);
	}
	for (int i = 0; i < RPC_INPUT_CALLERS; i++)
		mail_session_free(&sessions[i]);
	scratch_verify(service->store);
	return 0;
}
