/* sasl_exchange.c -- SASL challenge/response lines (see sasl_exchange.h). */
#include <stdio.h>
#include <string.h>

#include "base64.h"
#include "sasl_exchange.h"

/* GSSAPI needs three; anything past this is a client going round in circles. */
#define MAX_ROUNDS 8
#define LINE_DISCARD_MAX (1024 * 1024)

/* The client's bytes from a response line ("=" alone: empty). */
static int decode(const char *text, size_t len, struct buf *out)
{
	buf_reset(out);
	if (len == 1 && text[0] == '=')
		return 0;
	return base64_decode(out, text, len);
}

enum sasl_exchange_result sasl_exchange(struct gw_session *s, struct sasl_server *sasl,
					const char *initial, enum sasl_step_result *result_r,
					char *why, size_t why_len)
{
	struct buf line, in, out, text;
	enum sasl_exchange_result r = SASL_EXCHANGE_BAD;
	buf_init(&line, s->cfg->max_line);
	buf_init(&in, s->cfg->max_line);
	buf_init(&out, s->cfg->max_line);
	buf_init(&text, s->cfg->max_line * 2);
	*result_r = SASL_FAILED;
	snprintf(why, why_len, "exchange ended early");

	if (initial != NULL && decode(initial, strlen(initial), &in) != 0)
		goto done;
	/* Without an initial response the client speaks first: an empty challenge. */
	int have_input = initial != NULL;
	for (int round = 0; round < MAX_ROUNDS; round++) {
		if (have_input) {
			*result_r = sasl_server_step(sasl, (const unsigned char *)in.data, in.len,
						     &out, why, why_len);
			if (*result_r != SASL_CONTINUE) {
				r = SASL_EXCHANGE_FINISHED;
				goto done;
			}
		}
		buf_reset(&text);
		buf_adds(&text, "+ ");
		if (have_input && base64_encode(&text, out.data, out.len) != 0)
			goto done;
		buf_adds(&text, "\r\n");
		stream_write(&s->stream, text.data, text.len);
		if (stream_flush(&s->stream) != STREAM_OK) {
			r = SASL_EXCHANGE_CLOSED;
			goto done;
		}
		int st = stream_read_line(&s->stream, &line, s->cfg->max_line, LINE_DISCARD_MAX);
		if (st == STREAM_TOO_LONG)
			goto done;
		if (st != STREAM_OK) {
			r = SASL_EXCHANGE_CLOSED;
			goto done;
		}
		if (line.len == 1 && line.data[0] == '*') {
			r = SASL_EXCHANGE_CANCELLED;
			goto done;
		}
		if (decode(line.data, line.len, &in) != 0)
			goto done;
		have_input = 1;
	}
	snprintf(why, why_len, "too many rounds");
done:
	if (r == SASL_EXCHANGE_BAD)
		*result_r = SASL_FAILED;
	/* The buffers held a password (PLAIN): wiped before they are freed. */
	if (in.data != NULL)
		explicit_bzero(in.data, in.cap);
	if (line.data != NULL)
		explicit_bzero(line.data, line.cap);
	buf_free(&line);
	buf_free(&in);
	buf_free(&out);
	buf_free(&text);
	return r;
}
