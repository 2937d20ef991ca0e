/*
 * mailrpc.h -- libmailrpc, the C API for mailrpc clients.
 *
 * A connection is one TCP connection to mailrpcd carrying one RPCSEC_GSS
 * (Kerberos v5) context at a chosen protection level.  No password is
 * ever handled here: the caller's Kerberos ticket cache (kinit) is used.
 *
 * Error idiom: every function returns an int status, MAILRPC_OK (0) on
 * success; on failure, if err is not NULL, err->status repeats the status
 * and err->message holds one sentence a user can act on.
 *
 * Thread safety: a connection must be used by one thread at a time (one
 * RPCSEC_GSS context allows one call in flight).  Open several connections
 * to work in parallel.
 *
 * Build with: pkg-config --cflags --libs mailrpc
 */
#ifndef MAILRPC_H
#define MAILRPC_H

#ifdef __cplusplus
extern "C" {
#endif

/* Protection of every call and reply on the connection. */
enum mailrpc_level {
	MAILRPC_LEVEL_AUTH = 1,      /* authenticated only: readable on the wire */
	MAILRPC_LEVEL_INTEGRITY = 2, /* signed: tamper-evident, still readable */
	MAILRPC_LEVEL_PRIVACY = 3    /* encrypted (the server's default minimum) */
};

enum mailrpc_status {
	MAILRPC_OK = 0,
	/* Refusals by the server (same numbers as mr_status in the IDL). */
	MAILRPC_E_INTERNAL = 1,   /* server fault */
	MAILRPC_E_NOMAILBOX = 2,  /* your principal maps to no mailbox */
	MAILRPC_E_FOREIGN = 3,    /* your realm is not served */
	MAILRPC_E_INVALID = 4,
	MAILRPC_E_TOOBIG = 5,
	MAILRPC_E_NOTFOUND = 6,
	MAILRPC_E_EXISTS = 7,
	MAILRPC_E_NOTEMPTY = 8,
	MAILRPC_E_QUOTA = 9,
	MAILRPC_E_BUSY = 10,
	MAILRPC_E_DENIED = 11,
	MAILRPC_E_DISABLED = 12,
	/* Failures found on the client side. */
	MAILRPC_E_USAGE = 100,    /* bad argument to a libmailrpc function */
	MAILRPC_E_CONNECT = 101,  /* TCP connection could not be made */
	MAILRPC_E_NOCREDS = 102,  /* no Kerberos ticket: run kinit */
	MAILRPC_E_EXPIRED = 103,  /* Kerberos ticket expired: run kinit */
	MAILRPC_E_AUTH = 104,     /* Kerberos authentication failed */
	MAILRPC_E_TOOWEAK = 105,  /* server requires a higher level */
	MAILRPC_E_RPC = 106,      /* connection lost, timeout, protocol error */
	MAILRPC_E_NOMEM = 107
};

struct mailrpc_error {
	int status;
	char message[512];
};

struct mailrpc_options {
	const char *server;    /* "HOST:PORT" or "[V6ADDR]:PORT"; required */
	int level;             /* enum mailrpc_level; 0 means privacy */
	const char *principal; /* service, "SERVICE@HOST"; NULL: "mailrpc@HOST" */
	const char *ccache;    /* Kerberos credential cache; NULL: the default */
	int timeout;           /* seconds to wait for each reply; 0 means 60 */
};

struct mailrpc;

/*
 * Connects and establishes the security context.  On success *conn_r owns
 * the connection; release it with mailrpc_close.
 */
int mailrpc_connect(const struct mailrpc_options *opts, struct mailrpc **conn_r,
		    struct mailrpc_error *err);

/* Destroys the context on the server, closes, and sets *conn to NULL. */
void mailrpc_close(struct mailrpc **conn);

/* The server's view of the caller (WHOAMI). */
struct mailrpc_whoami {
	char principal[256];   /* Kerberos principal */
	char mailbox[256];     /* mailbox it maps to */
	int level;             /* level of this connection, as the server saw it */
	int min_level;         /* the server's minimum level */
	int expires_in;        /* seconds until the Kerberos ticket expires */
	unsigned max_chunk;    /* largest data chunk per call, bytes */
};

int mailrpc_whoami(struct mailrpc *conn, struct mailrpc_whoami *who_r, struct mailrpc_error *err);

/* "auth", "integrity", "privacy" (or "unknown"). */
const char *mailrpc_level_name(int level);

/* The level for a name, or 0 when it is not one. */
int mailrpc_level_parse(const char *name);

#ifdef __cplusplus
}
#endif
#endif
