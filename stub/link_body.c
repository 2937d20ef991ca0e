/*
 * link_body.c -- a call's body on the link: its arguments encoded and its
 * results decoded, the call's identity at hand (see struct mr_exchange in
 * link.h).
 *
 * On a context that is not sealed the body is the procedure's own XDR,
 * protected by RPCSEC_GSS at the link's level.  On a sealed one
 * (docs/sealing.md) the arguments are sealed and the results opened with
 * the keys kept in the link's session, bound to the call's header as it
 * went out: program, version, procedure, transaction id and RPCSEC_GSS
 * sequence number, read back here.
 */
#include <arpa/inet.h>
#include <string.h>

#include "internal.h"

/* The call's header, already encoded when the arguments are, as 32-bit
 * words (RFC 5531 and RFC 2203): the credential is RPCSEC_GSS's. */
enum header_word {
	H_XID,
	H_CALL,	   /* message type: 0, CALL */
	H_RPCVERS, /* 2 */
	H_PROG,
	H_VERS,
	H_PROC,
	H_FLAVOR, /* RPCSEC_GSS */
	H_CRED_LEN,
	H_GSS_VERS, /* 1 */
	H_GSS_PROC, /* 0: DATA */
	H_GSS_SEQ,
	H_WORDS
};

/*
 * Reads the call's ids back from the record buffer its header was just
 * written to, as libtirpc's RPCSEC_GSS code does to checksum that header
 * (it also wraps integrity and privacy bodies in place, so this holds at
 * every level).  Leaves the stream where it was.  -1 if the stream does
 * not begin with such a header.
 */
static int read_ids(XDR *xdrs, const struct mr_exchange *x, struct seal_ids *ids)
{
	u_int pos = XDR_GETPOS(xdrs);
	uint32_t w[H_WORDS];
	if (pos < sizeof(w) || !XDR_SETPOS(xdrs, 0))
		return -1;
	const int32_t *p = XDR_INLINE(xdrs, (int)sizeof(w));
	for (int i = 0; p != NULL && i < H_WORDS; i++)
		w[i] = ntohl((uint32_t)p[i]);
	if (!XDR_SETPOS(xdrs, pos) || p == NULL)
		return -1;
	if (w[H_CALL] != CALL || w[H_RPCVERS] != RPC_MSG_VERSION || w[H_PROG] != x->link->p.prog ||
	    w[H_PROC] != x->proc || w[H_FLAVOR] != RPCSEC_GSS || w[H_GSS_VERS] != 1 ||
	    w[H_GSS_PROC] != 0)
		return -1;
	*ids = (struct seal_ids){.prog = w[H_PROG],
				 .vers = w[H_VERS],
				 .proc = w[H_PROC],
				 .xid = w[H_XID],
				 .seq = w[H_GSS_SEQ]};
	return 0;
}

bool_t mr_link_encode_args(XDR *xdrs, struct mr_exchange *x)
{
	struct mr_link_session *s = &x->link->session;
	int known = read_ids(xdrs, x, &s->ids) == 0;
	if (!known)
		memset(&s->ids, 0, sizeof(s->ids));
	s->calls++;
	if (s->seal == NULL)
		return x->xargs(xdrs, x->args);
	/* Never sealed under a header it was not read from. */
	s->seal_result =
	    known ? mr_seal_put(s->seal, &s->ids, xdrs, x->xargs, x->args) : SEAL_MALFORMED;
	return s->seal_result == SEAL_OK;
}

bool_t mr_link_decode_res(XDR *xdrs, struct mr_exchange *x)
{
	struct mr_link_session *s = &x->link->session;
	if (s->seal == NULL)
		return x->xres(xdrs, x->res);
	/* The reply is the answer to the call just sent: its header's xid
	 * matched (libtirpc waits for it), its sequence number is the call's. */
	s->seal_result = mr_seal_get(s->seal, &s->ids, xdrs, x->xres, x->res);
	return s->seal_result == SEAL_OK;
}
