/* sasl_gssapi.h -- the GSSAPI mechanism (RFC 4752) of sasl.h. */
#ifndef GW_SASL_GSSAPI_H
#define GW_SASL_GSSAPI_H

#include "sasl.h"

enum sasl_step_result sasl_gssapi_step(struct sasl_server *s, const unsigned char *in, size_t len,
				       struct buf *out, char *why, size_t why_len);
void sasl_gssapi_free(struct sasl_server *s);

#endif
