/* session.c -- STARTTLS and the per-command log line (see session.h). */
#include <stdio.h>

#include "../server/log.h"
#include "session.h"

void gw_log_safe(char *dst, size_t size, const char *src)
{
	size_t n = 0;
	for (; src[n] != '\0' && n + 1 < size; n++)
		dst[n] = src[n] > ' ' && src[n] < 127 ? src[n] : '?';
	dst[n] = '\0';
	if (n == 0 && size > 1)
		snprintf(dst, size, "-");
}

void gw_log_command(const struct gw_session *s, const char *command, const char *result)
{
	char cmd[32];
	gw_log_safe(cmd, sizeof(cmd), command);
	log_info("principal=%s command=%s result=%s peer=%s", s->principal[0] ? s->principal : "-",
		 cmd, result, s->peer);
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
