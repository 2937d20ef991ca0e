/*
 * sasl_exchange.h -- the challenge/response lines of a SASL exchange,
 * alike in IMAP AUTHENTICATE (RFC 3501, 4959) and POP3 AUTH (RFC 5034):
 * "+ BASE64" from the server, a BASE64 line (or "*" to cancel) back.
 */
#ifndef GW_SASL_EXCHANGE_H
#define GW_SASL_EXCHANGE_H

#include "sasl.h"
#include "session.h"

enum sasl_exchange_result {
	SASL_EXCHANGE_FINISHED,	 /* *result_r says how */
	SASL_EXCHANGE_CANCELLED, /* the client sent "*" */
	SASL_EXCHANGE_BAD,	 /* not base64, a line too long, too many rounds */
	SASL_EXCHANGE_CLOSED,	 /* the connection is gone */
};

/*
 * Runs the exchange.  initial: the initial response as sent ("=" for an
 * empty one), or NULL if the client sent none.
 */
enum sasl_exchange_result sasl_exchange(struct gw_session *s, struct sasl_server *sasl,
					const char *initial, enum sasl_step_result *result_r,
					char *why, size_t why_len);

#endif
