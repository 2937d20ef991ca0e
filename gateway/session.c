/* session.c -- STARTTLS and the per-command log line (see session.h). */
#include <stdio.h>

#include "../server/log.h"
#include "session.h"

void gw_log_command(const struct gw_session *s, const char *command, const char *result)
{
	char cmd[32];
	log_info("principal=%s command=%s result=%s peer=%s", s->principal[0] ? s->principal : "-",
		 log_safe(cmd, sizeof(cmd), command), result, s->peer);
}

int gw_start_tls(struct gw_session *s)
{
	size_t discarded;
	if (stream_start_tls(&s->stream, s->tls_ctx, &discarded) != STREAM_OK) {
		log_info("peer=%s: TLS handshake failed", s->peer);
		return -1;
	}
	if (discarded > 0)
		log_info("peer=%s: discarded %zu bytes sent before the TLS handshake", s->peer,
			 discarded);
	s->tls = 1;
	return 0;
}
