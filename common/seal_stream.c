/* seal_stream.c -- a sealed body in an XDR stream (see seal.h). */
#include "seal.h"

int seal_xdr_put(struct seal_key *k, const struct seal_ids *ids, XDR *xdrs, xdrproc_t f, void *obj,
		 unsigned char *scratch)
{
	XDR mem;
	/* The body's own XDR first, into scratch: its length is known only
	 * then, and it is sealed in place there. */
	xdrmem_create(&mem, (char *)scratch, SEAL_BODY_MAX, XDR_ENCODE);
	bool_t encoded = f(&mem, obj);
	u_int len = XDR_GETPOS(&mem);
	XDR_DESTROY(&mem);
	if (!encoded)
		return SEAL_UNDECODED;
	uint64_t counter;
	int result = seal_box(k, ids, scratch, len, scratch + len, &counter);
	if (result != SEAL_OK)
		return result;
	char *box = (char *)scratch;
	u_int box_len = len + SEAL_TAG_LEN;
	if (!xdr_u_int64_t(xdrs, &counter) || !xdr_bytes(xdrs, &box, &box_len, SEAL_SCRATCH_LEN))
		return SEAL_FAILED;
	return SEAL_OK;
}

int seal_xdr_get(struct seal_key *k, const struct seal_ids *ids, XDR *xdrs, xdrproc_t f, void *obj,
		 unsigned char *scratch)
{
	uint64_t counter;
	char *box = (char *)scratch;
	u_int box_len = 0;
	/* xdr_bytes reads into scratch (never allocates: box is set) and
	 * refuses a length over it before reading a byte of it. */
	if (!xdr_u_int64_t(xdrs, &counter) || !xdr_bytes(xdrs, &box, &box_len, SEAL_SCRATCH_LEN) ||
	    box_len < SEAL_TAG_LEN)
		return SEAL_MALFORMED;
	u_int len = box_len - SEAL_TAG_LEN;
	int result = seal_open(k, ids, counter, scratch, len, scratch + len);
	if (result != SEAL_OK)
		return result;
	XDR mem;
	xdrmem_create(&mem, (char *)scratch, len, XDR_DECODE);
	/* Authenticated, so a peer's mistake rather than an attack; still
	 * refused, trailing bytes included: never a guess at what was meant. */
	bool_t decoded = f(&mem, obj) && XDR_GETPOS(&mem) == len;
	XDR_DESTROY(&mem);
	return decoded ? SEAL_OK : SEAL_UNDECODED;
}
