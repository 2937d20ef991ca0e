/*
 * link_body.c -- a call's body on the link: its arguments encoded and its
 * results decoded, the call's identity at hand (see struct mr_exchange in
 * link.h).
 *
 * Today the body is the procedure's own XDR, protected by RPCSEC_GSS at
 * the link's level.  A sealed call (issue 14) changes only this file: it
 * seals the arguments and opens the results with keys kept in the link's
 * session, binding the transaction id and RPCSEC_GSS sequence number read
 * back here.
 */
#include <arpa/inet.h>

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
static int read_ids(XDR *xdrs, const struct mr_exchange *x, uint32_t *xid_r, uint32_t *seq_r)
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
	*xid_r = w[H_XID];
	*seq_r = w[H_GSS_SEQ];
	return 0;
}

bool_t mr_link_encode_args(XDR *xdrs, struct mr_exchange *x)
{
	struct mr_link_session *s = &x->link->session;
	if (read_ids(xdrs, x, &s->xid, &s->seq) != 0)
		s->xid = s->seq = 0;
	s->calls++;
	return x->xargs(xdrs, x->args);
}

bool_t mr_link_decode_res(XDR *xdrs, struct mr_exchange *x)
{
	return x->xres(xdrs, x->res);
}
