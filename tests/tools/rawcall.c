/*
 * rawcall.c -- mailrpc calls made with libtirpc and the IDL's own XDR
 * routines, for what libmailrpc cannot show: several RPCSEC_GSS contexts
 * on one connection, and the exact bytes of every procedure's reply.
 *
 *   rawcall HOST PORT contexts MAILBOX CCACHE
 *       one connection, two RPCSEC_GSS contexts one after the other (a
 *       libtirpc server holds one at a time per connection): the first,
 *       with the default ticket, opens MAILBOX and lists its folders, and
 *       is destroyed; the second, with CCACHE's ticket, lists its folders.
 *       Prints "first: PATHS" and "second: PATHS" (comma-separated, or
 *       "status N" for a refusal).
 *   rawcall HOST PORT every MAILBOX
 *       opens MAILBOX and calls every procedure of the protocol with fixed
 *       arguments (folders Inbox, Shared, Shared/Sub; ids 1 and 2), printing
 *       one line per call: its name and its reply, XDR-encoded, in hex.
 *       Two runs differ only where the mailboxes differ to the caller.
 * Service principal mailrpc@localhost; Kerberos from KRB5CCNAME etc.
 * Exit 0 when every call got a reply, 1 when one did not, 2 on usage or
 * set-up failures (reason on stderr).
 */
#include <netdb.h>
#include <rpc/rpc.h>
#include <rpc/rpcsec_gss.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mailrpc_prot.h"

static CLIENT *connect_to(const char *host, const char *port)
{
	struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *ai;
	if (getaddrinfo(host, port, &hints, &ai) != 0)
		return NULL;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		perror("rawcall: connect");
		freeaddrinfo(ai);
		return NULL;
	}
	struct netbuf raddr = {.maxlen = ai->ai_addrlen, .len = ai->ai_addrlen, .buf = ai->ai_addr};
	CLIENT *clnt = clnt_vc_create(fd, &raddr, MAILRPC_PROG, MAILRPC_V2, MAILRPC_RECORD_BUFFER,
				      MAILRPC_RECORD_BUFFER);
	freeaddrinfo(ai);
	if (clnt != NULL)
		clnt_control(clnt, CLSET_FD_CLOSE, NULL);
	return clnt;
}

static AUTH *context(CLIENT *clnt)
{
	rpc_gss_options_ret_t ret;
	memset(&ret, 0, sizeof(ret));
	AUTH *auth = rpc_gss_seccreate(clnt, "mailrpc@localhost", "kerberos_v5",
				       rpcsec_gss_svc_privacy, NULL, NULL, &ret);
	if (auth == NULL)
		fprintf(stderr, "rawcall: context set-up failed (major %d minor %d)\n",
			ret.major_status, ret.minor_status);
	return auth;
}

static int call(CLIENT *clnt, rpcproc_t proc, xdrproc_t xargs, void *args, xdrproc_t xres,
		void *res)
{
	struct timeval tv = {.tv_sec = 30};
	enum clnt_stat stat = clnt_call(clnt, proc, xargs, args, xres, res, tv);
	if (stat != RPC_SUCCESS)
		fprintf(stderr, "rawcall: procedure %u: %s\n", (unsigned)proc, clnt_sperrno(stat));
	return stat == RPC_SUCCESS ? 0 : -1;
}

/* "first: Inbox,Outbox" */
static int list_folders(CLIENT *clnt, const char *label)
{
	mr_folder_list_args args = {.offset = 0};
	mr_folder_list_res res;
	memset(&res, 0, sizeof(res));
	if (call(clnt, MR_FOLDER_LIST, (xdrproc_t)xdr_mr_folder_list_args, &args,
		 (xdrproc_t)xdr_mr_folder_list_res, &res) != 0)
		return -1;
	printf("%s: ", label);
	if (res.status != MR_OK)
		printf("status %d", (int)res.status);
	const mr_folder_page *page = &res.mr_folder_list_res_u.page;
	for (u_int i = 0; res.status == MR_OK && i < page->folders.folders_len; i++)
		printf("%s%s", i ? "," : "", page->folders.folders_val[i].path);
	printf("\n");
	xdr_free((xdrproc_t)xdr_mr_folder_list_res, (char *)&res);
	return 0;
}

static int open_mailbox(CLIENT *clnt, const char *mailbox)
{
	mr_res res = {MR_OK};
	char *name = (char *)mailbox;
	if (call(clnt, MR_MAILBOX_OPEN, (xdrproc_t)xdr_mr_name, &name, (xdrproc_t)xdr_mr_res,
		 &res) != 0)
		return -1;
	return res.status == MR_OK ? 0 : -1;
}

static int contexts(CLIENT *clnt, const char *mailbox, const char *ccache)
{
	AUTH *first = context(clnt);
	if (first == NULL)
		return 2;
	clnt->cl_auth = first;
	int bad = open_mailbox(clnt, mailbox) != 0 || list_folders(clnt, "first") != 0;
	/* RPCSEC_GSS DESTROY: the server forgets the first context. */
	auth_destroy(first);
	clnt->cl_auth = NULL;
	setenv("KRB5CCNAME", ccache, 1);
	AUTH *second = context(clnt);
	if (second == NULL)
		return 2;
	clnt->cl_auth = second;
	bad |= list_folders(clnt, "second") != 0;
	clnt->cl_auth = NULL;
	auth_destroy(second);
	return bad;
}

/* Prints name and res XDR-encoded in hex. */
static void print_reply(const char *name, xdrproc_t xres, void *res)
{
	u_int len = (u_int)xdr_sizeof(xres, res);
	char *buf = malloc(len ? len : 1);
	XDR x;
	xdrmem_create(&x, buf, len, XDR_ENCODE);
	printf("%s ", name);
	if (buf != NULL && xres(&x, res))
		for (u_int i = 0; i < len; i++)
			printf("%02x", (unsigned char)buf[i]);
	else
		printf("(cannot encode)");
	printf("\n");
	xdr_destroy(&x);
	free(buf);
}

/* One call of every-procedure mode. */
struct probe {
	const char *name;
	rpcproc_t proc;
	xdrproc_t xargs;
	void *args;
	xdrproc_t xres;
};

static int run_probe(CLIENT *clnt, const struct probe *p)
{
	union {
		mr_res plain;
		uint64_t align;
		char room[512];
	} res;
	memset(&res, 0, sizeof(res));
	if (call(clnt, p->proc, p->xargs, p->args, p->xres, &res) != 0)
		return -1;
	print_reply(p->name, p->xres, &res);
	xdr_free(p->xres, (char *)&res);
	return 0;
}

/* An upload of a few bytes of the caller's own, to commit into mailbox. */
static unsigned long long own_upload(CLIENT *clnt)
{
	static char data[] = "Subject: probe\r\n\r\nprobe\r\n";
	mr_upload_begin_args begin = {.size = sizeof(data) - 1};
	mr_upload_res res;
	memset(&res, 0, sizeof(res));
	begin.op[0] = 1;
	if (call(clnt, MR_UPLOAD_BEGIN, (xdrproc_t)xdr_mr_upload_begin_args, &begin,
		 (xdrproc_t)xdr_mr_upload_res, &res) != 0 ||
	    res.status != MR_OK)
		return 0;
	unsigned long long upload = res.mr_upload_res_u.state.upload;
	mr_upload_append_args app = {.upload = upload, .data = {sizeof(data) - 1, data}};
	if (call(clnt, MR_UPLOAD_APPEND, (xdrproc_t)xdr_mr_upload_append_args, &app,
		 (xdrproc_t)xdr_mr_upload_res, &res) != 0)
		return 0;
	return upload;
}

static int every(CLIENT *clnt, const char *mailbox)
{
	AUTH *auth = context(clnt);
	if (auth == NULL)
		return 2;
	clnt->cl_auth = auth;
	static char data[] = "Subject: probe\r\n\r\nprobe\r\n";
	static mr_id ids[] = {1, 2};
	char *inbox = "Inbox", *shared = "Shared", *sub = "Shared/Sub", *root = "";
	unsigned long long upload = own_upload(clnt);
	char *rcpts[] = {"carol"};
	mr_folder_list_args list = {0};
	mr_folder_create_args create_top = {.path = "Probe"}, create_in = {.path = "Shared/New"},
			      create_taken = {.path = "Shared/Sub"};
	mr_folder_rename_args rename = {.from = "Shared", .to = "Moved"},
			      rename_onto = {.from = "Inbox", .to = "Shared/Sub"};
	mr_folder_delete_args del = {.path = "Shared"},
			      del_all = {.path = "Shared", .recursive = 1};
	mr_folder_sync_args fsync0 = {.since = 0}, fsync5 = {.since = 5};
	mr_list_args ls = {.folder = "Inbox", .limit = 10};
	mr_search_args search_all = {.folder = "", .from = "", .to = "", .subject = "", .body = ""},
		       search_in = {
			   .folder = "Shared", .from = "", .to = "", .subject = "", .body = ""};
	mr_id id1 = 1;
	mr_fetch_args fetch = {.id = 1, .length = 100};
	mr_index_args index = {.folder = "Inbox", .limit = 10};
	mr_msg_append_args append = {.folder = "Shared", .data = {sizeof(data) - 1, data}};
	mr_commit_append_args commit = {.upload = upload, .folder = "Shared"};
	mr_commit_submit_args submit = {
	    .upload = upload, .rcpts = {1, rcpts}, .from = (char *)mailbox};
	mr_move_args move = {.ids = {2, ids}, .folder = "Shared"},
		     move_in = {.ids = {2, ids}, .folder = "Inbox"};
	mr_delete_args rm = {.ids = {2, ids}}, rm_hard = {.ids = {2, ids}, .hard = 1};
	mr_flags_args flags = {.ids = {2, ids}, .set = MR_FLAG_SEEN};
	mr_acl_set_args acl_root = {.folder = "", .principal = "carol", .rights = "l"},
			acl_in = {.folder = "Shared", .principal = "carol", .rights = "l"};
	mr_wait_args wait_in = {.folder = "Inbox"}, wait_all = {.folder = ""};
	mr_sync_args sync = {.folder = "Inbox"};
	const struct probe probes[] = {
#define P(NAME, ARGS_T, ARGS, RES_T)                                                               \
	{#NAME, MR_##NAME, (xdrproc_t)xdr_##ARGS_T, ARGS, (xdrproc_t)xdr_##RES_T}
	    P(QUOTA, void, NULL, mr_quota_res),
	    P(FOLDER_LIST, mr_folder_list_args, &list, mr_folder_list_res),
	    P(FOLDER_GET, mr_path, &inbox, mr_folder_get_res),
	    P(FOLDER_GET, mr_path, &sub, mr_folder_get_res),
	    P(FOLDER_CREATE, mr_folder_create_args, &create_top, mr_res),
	    P(FOLDER_CREATE, mr_folder_create_args, &create_in, mr_res),
	    P(FOLDER_CREATE, mr_folder_create_args, &create_taken, mr_res),
	    P(FOLDER_RENAME, mr_folder_rename_args, &rename, mr_res),
	    P(FOLDER_RENAME, mr_folder_rename_args, &rename_onto, mr_res),
	    P(FOLDER_DELETE, mr_folder_delete_args, &del, mr_res),
	    P(FOLDER_DELETE, mr_folder_delete_args, &del_all, mr_res),
	    P(FOLDER_SYNC, mr_folder_sync_args, &fsync0, mr_folder_sync_res),
	    P(FOLDER_SYNC, mr_folder_sync_args, &fsync5, mr_folder_sync_res),
	    P(MSG_LIST, mr_list_args, &ls, mr_msg_list_res),
	    P(MSG_SEARCH, mr_search_args, &search_all, mr_msg_list_res),
	    P(MSG_SEARCH, mr_search_args, &search_in, mr_msg_list_res),
	    P(MSG_INFO, mr_id, &id1, mr_summary_res),
	    P(MSG_FETCH, mr_fetch_args, &fetch, mr_fetch_res),
	    P(MSG_INDEX, mr_index_args, &index, mr_index_res),
	    P(MSG_APPEND, mr_msg_append_args, &append, mr_id_res),
	    P(UPLOAD_COMMIT_APPEND, mr_commit_append_args, &commit, mr_id_res),
	    P(UPLOAD_COMMIT_SUBMIT, mr_commit_submit_args, &submit, mr_submit_res),
	    P(MSG_MOVE, mr_move_args, &move, mr_batch_res),
	    P(MSG_MOVE, mr_move_args, &move_in, mr_batch_res),
	    P(MSG_COPY, mr_move_args, &move_in, mr_batch_res),
	    P(MSG_DELETE, mr_delete_args, &rm, mr_batch_res),
	    P(MSG_DELETE, mr_delete_args, &rm_hard, mr_batch_res),
	    P(MSG_FLAGS, mr_flags_args, &flags, mr_res),
	    P(ACL_GET, mr_path, &root, mr_acl_res),
	    P(ACL_GET, mr_path, &shared, mr_acl_res),
	    P(ACL_SET, mr_acl_set_args, &acl_root, mr_res),
	    P(ACL_SET, mr_acl_set_args, &acl_in, mr_res),
	    P(MYRIGHTS, mr_path, &inbox, mr_rights_res),
	    P(MYRIGHTS, mr_path, &shared, mr_rights_res),
	    P(WAIT, mr_wait_args, &wait_in, mr_wait_res),
	    P(WAIT, mr_wait_args, &wait_all, mr_wait_res),
	    P(SYNC, mr_sync_args, &sync, mr_sync_res),
#undef P
	};
	int bad = upload == 0 || open_mailbox(clnt, mailbox) != 0;
	for (size_t i = 0; !bad && i < sizeof(probes) / sizeof(probes[0]); i++)
		bad = run_probe(clnt, &probes[i]) != 0;
	clnt->cl_auth = NULL;
	auth_destroy(auth);
	return bad;
}

int main(int argc, char **argv)
{
	int two = argc == 6 && strcmp(argv[3], "contexts") == 0;
	if (!two && (argc != 5 || strcmp(argv[3], "every") != 0)) {
		fprintf(stderr,
			"usage: rawcall HOST PORT contexts MAILBOX CCACHE | every MAILBOX\n");
		return 2;
	}
	CLIENT *clnt = connect_to(argv[1], argv[2]);
	if (clnt == NULL)
		return 2;
	int rc = two ? contexts(clnt, argv[4], argv[5]) : every(clnt, argv[4]);
	clnt_destroy(clnt);
	fflush(stdout);
	return rc;
}
