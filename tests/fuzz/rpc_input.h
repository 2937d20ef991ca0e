/*
 * rpc_input.h -- how fuzz_rpc reads an input: a sequence of calls, each
 *
 *   u8  procedure number (idl/mailrpc.x; taken modulo 32)
 *   u8  who calls (modulo RPC_INPUT_CALLERS, see fuzz_rpc.c)
 *   u16 length of the arguments, big-endian
 *   the arguments, XDR-encoded as on the wire (fewer if the input ends)
 *
 * so a single input can be a whole session: create a folder, append to
 * it, grant a right, act as the grantee.  gen_rpc_seeds.c writes the seed
 * corpus in this form.
 */
#ifndef MAILRPC_FUZZ_RPC_INPUT_H
#define MAILRPC_FUZZ_RPC_INPUT_H

#include <stddef.h>
#include <stdint.h>

#define RPC_INPUT_HEAD 4
#define RPC_INPUT_CALLERS 7

struct rpc_call_in {
	unsigned proc, who;
	const uint8_t *args;
	size_t len;
};

/* The next call of the input at *pos: 1, or 0 at its end. */
static inline int rpc_input_next(const uint8_t *data, size_t size, size_t *pos,
				 struct rpc_call_in *c)
{
	if (size - *pos < RPC_INPUT_HEAD)
		return 0;
	const uint8_t *h = data + *pos;
	size_t want = (size_t)h[2] << 8 | h[3], left = size - *pos - RPC_INPUT_HEAD;
	c->proc = h[0] % 32u;
	c->who = h[1] % RPC_INPUT_CALLERS;
	c->args = h + RPC_INPUT_HEAD;
	c->len = want < left ? want : left;
	*pos += RPC_INPUT_HEAD + c->len;
	return 1;
}

#endif
