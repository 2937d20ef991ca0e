/*
 * seal.h -- the framing of sealed calls, the same on both sides (issue 14;
 * layouts and reasons in docs/sealing.md).
 *
 * A sealed body is AES-256-GCM ciphertext under the key of its direction
 * (call: client to server; reply: server to client).  Its nonce is the
 * direction and a counter that only goes up; its additional data binds it
 * to the RPC header it travels under (program, version, procedure, xid,
 * RPCSEC_GSS sequence number) and to its direction.  A key is retired
 * before it meets its limits, which both sides count.
 *
 * Files: seal.c (keys, seal and open: OpenSSL EVP), seal_stream.c (a sealed
 * body in an XDR stream), seal_keys.c (the keys from a Kerberos context).
 * seal.c and seal_stream.c know no GSSAPI: their unit test runs with fixed keys.
 */
#ifndef MAILRPC_COMMON_SEAL_H
#define MAILRPC_COMMON_SEAL_H

#include <openssl/evp.h>
#include <rpc/rpc.h>
#include <stddef.h>
#include <stdint.h>

#define SEAL_KEY_LEN 32	   /* AES-256 */
#define SEAL_TAG_LEN 16	   /* GCM's full tag */
#define SEAL_NONCE_LEN 12  /* direction (4) and counter (8) */
#define SEAL_AAD_LEN 28	   /* "MRS1", prog, vers, proc, xid, seq, direction */
#define SEAL_RANDOM_LEN 32 /* each side's fresh value in SEAL_BEGIN */

/* Largest plaintext of one sealed body.  With its header and the seal's
 * 28 bytes a sealed message stays within the 256 KiB record buffer. */
#define SEAL_BODY_MAX 261120u

/* Directions: also the first word of the nonce and the last of the AAD. */
enum seal_dir { SEAL_CALL = 1, SEAL_REPLY = 2 };

/* What seals or opens with a key: this side's part of its direction. */
enum seal_role { SEAL_SENDER, SEAL_RECEIVER };

/* The RPC header a body belongs to. */
struct seal_ids {
	uint32_t prog, vers, proc, xid, seq;
};

enum seal_result {
	SEAL_OK = 0,
	SEAL_BADTAG,	/* altered, or not sealed with this key for this header */
	SEAL_REPLAY,	/* counter not above the last one accepted */
	SEAL_SPENT,	/* the key is past its message or byte limit */
	SEAL_MALFORMED, /* not a sealed body (framing, size) */
	SEAL_FAILED,	/* OpenSSL or the stream failed */
	SEAL_UNDECODED	/* opened, but not the procedure's XDR (or bytes left over) */
};

/* When a key is retired: before message number `messages` or byte
 * `bytes` would be passed (docs/sealing.md, "Limits"). */
struct seal_limits {
	uint64_t messages;
	uint64_t bytes;
};
extern const struct seal_limits seal_default_limits;

/* One direction's key, on one side. */
struct seal_key {
	EVP_CIPHER_CTX *ctx; /* holds the key schedule; NULL: no key */
	enum seal_dir dir;
	enum seal_role role;
	uint64_t counter; /* sender: the last counter used; receiver: the last accepted */
	uint64_t bytes;	  /* plaintext bytes sealed or opened */
	struct seal_limits limits;
};

/* Both directions of a context, on one side. */
struct seal_keys {
	struct seal_key call, reply;
};

/* Looks AES-256-GCM up in OpenSSL once: OpenSSL 3 finds a cipher in its
 * providers on first use, which costs milliseconds.  A daemon calls it
 * before forking, so that no connection pays it in its first call.
 * SEAL_OK or SEAL_FAILED. */
int seal_preload(void);

/* Sets k up for its direction and role; key is not kept (the caller wipes
 * it).  SEAL_OK or SEAL_FAILED. */
int seal_key_init(struct seal_key *k, const unsigned char key[SEAL_KEY_LEN], enum seal_dir dir,
		  enum seal_role role, const struct seal_limits *limits);

/* Both directions from the 64 bytes seal_keys.c derives (call key first),
 * for the client (is_client: it sends calls) or the server. */
int seal_keys_init(struct seal_keys *ks, const unsigned char material[2 * SEAL_KEY_LEN],
		   int is_client, const struct seal_limits *limits);

/* Wipes a key: its schedule inside OpenSSL and everything here. */
void seal_key_wipe(struct seal_key *k);
void seal_keys_wipe(struct seal_keys *ks);

/* Whether sealing `len` more bytes (and one more message) would pass a
 * limit of k: time for new keys first. */
int seal_key_spent(const struct seal_key *k, size_t len);

/* The nonce and additional data of a body (exposed for the unit test). */
void seal_nonce(enum seal_dir dir, uint64_t counter, unsigned char nonce[SEAL_NONCE_LEN]);
void seal_aad(enum seal_dir dir, const struct seal_ids *ids, unsigned char aad[SEAL_AAD_LEN]);

/* Seals buf[0, len) in place with the next counter; writes the tag and
 * the counter used.  SEAL_SPENT (nothing sealed) past the limits. */
int seal_box(struct seal_key *k, const struct seal_ids *ids, unsigned char *buf, size_t len,
	     unsigned char tag[SEAL_TAG_LEN], uint64_t *counter_r);

/* Opens buf[0, len) in place.  Only on SEAL_OK is buf plaintext and the
 * counter taken; on any failure buf is wiped. */
int seal_open(struct seal_key *k, const struct seal_ids *ids, uint64_t counter, unsigned char *buf,
	      size_t len, const unsigned char tag[SEAL_TAG_LEN]);

/* A result in words, for log lines and messages. */
const char *seal_result_text(int result);

/* ---- a sealed body in an XDR stream (seal_stream.c) -------------------------
 * On the wire a sealed body is the XDR of
 *     struct { unsigned hyper counter; opaque box<SEAL_BODY_MAX + 16>; }
 * where box is the ciphertext of the procedure's own XDR, then the tag. */

/* Room for one body and its tag: every sealing side keeps one. */
#define SEAL_SCRATCH_LEN (SEAL_BODY_MAX + SEAL_TAG_LEN)

/* Encodes obj with f into scratch, seals it and writes it to xdrs.
 * SEAL_OK, or why not (SEAL_UNDECODED: obj does not encode within
 * SEAL_BODY_MAX; SEAL_SPENT; a stream failure is SEAL_FAILED). */
int seal_xdr_put(struct seal_key *k, const struct seal_ids *ids, XDR *xdrs, xdrproc_t f, void *obj,
		 unsigned char *scratch);

/* Reads a sealed body from xdrs into scratch, opens it and decodes obj
 * with f from it, which must use every byte (else SEAL_UNDECODED: an
 * authentic body its receiver cannot take, like a malformed plain one). */
int seal_xdr_get(struct seal_key *k, const struct seal_ids *ids, XDR *xdrs, xdrproc_t f, void *obj,
		 unsigned char *scratch);

#endif
