/*
 * connect.c -- a connection: the user's options made into link parameters,
 * its link (link.h) with the mailbox layer's ready hook, its state
 * directory and mailbox; and closing it.  Parallel downloads make their
 * extra connections here too, like the original one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "level.h"

/* Reconnection defaults (see struct mailrpc_options). */
#define RECONNECT_ATTEMPTS 4
#define RECONNECT_DELAY_MS 500

/* Splits HOST:PORT or [ADDR]:PORT; HOST or [ADDR] alone leave the port
 * empty, for rpcbind to tell. */
static int split_server(const char *spec, char *host, size_t host_len, char *port, size_t port_len)
{
	const char *sep;
	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');
		if (close == NULL || (close[1] != ':' && close[1] != '\0') ||
		    (size_t)(close - spec - 1) >= host_len)
			return -1;
		snprintf(host, host_len, "%.*s", (int)(close - spec - 1), spec + 1);
		port[0] = '\0';
		if (close[1] == '\0')
			return host[0] ? 0 : -1;
		sep = close + 1;
	} else if (strchr(spec, ':') == NULL) {
		if (spec[0] == '\0' || strlen(spec) >= host_len)
			return -1;
		snprintf(host, host_len, "%s", spec);
		port[0] = '\0';
		return 0;
	} else {
		sep = strrchr(spec, ':');
		if (sep == NULL || sep == spec || (size_t)(sep - spec) >= host_len)
			return -1;
		snprintf(host, host_len, "%.*s", (int)(sep - spec), spec);
	}
	if (sep[1] == '\0' || strspn(sep + 1, "0123456789") != strlen(sep + 1))
		return -1;
	snprintf(port, port_len, "%s", sep + 1);
	return 0;
}

int mr_link_params_from(const struct mailrpc_options *opts, struct mr_link_params *p,
			struct mailrpc_error *err)
{
	memset(p, 0, sizeof(*p));
	if (opts == NULL || opts->server == NULL || strlen(opts->server) >= sizeof(p->server) ||
	    split_server(opts->server, p->host, sizeof(p->host), p->port, sizeof(p->port)) != 0)
		return mr_fail(err, MAILRPC_E_USAGE,
			       "server must be given as HOST:PORT or HOST, not \"%s\"",
			       opts && opts->server ? opts->server : "");
	p->level = opts->level ? opts->level : MAILRPC_LEVEL_PRIVACY;
	if (p->level < MAILRPC_LEVEL_AUTH || p->level > MAILRPC_LEVEL_PRIVACY)
		return mr_fail(err, MAILRPC_E_USAGE, "unknown protection level %d", p->level);
	snprintf(p->server, sizeof(p->server), "%s", opts->server);
	if (opts->principal)
		snprintf(p->principal, sizeof(p->principal), "%s", opts->principal);
	else
		snprintf(p->principal, sizeof(p->principal), "mailrpc@%s", p->host);
	if (opts->ccache)
		snprintf(p->ccache, sizeof(p->ccache), "%s", opts->ccache);
	p->prog = MAILRPC_PROG;
	p->vers = MAILRPC_V2;
	p->timeout = opts->timeout > 0 ? opts->timeout : 0;
	p->attempts = opts->reconnect_attempts < 0    ? 0
		      : opts->reconnect_attempts == 0 ? RECONNECT_ATTEMPTS
						      : opts->reconnect_attempts;
	p->delay_ms = opts->reconnect_delay_ms > 0 ? opts->reconnect_delay_ms : RECONNECT_DELAY_MS;
	return MAILRPC_OK;
}

int mr_connect(const struct mr_link_params *p, const char *state_dir, const char *mailbox,
	       struct mailrpc **conn_r, struct mailrpc_error *err)
{
	*conn_r = NULL;
	if (state_dir != NULL && strlen(state_dir) >= sizeof((*conn_r)->state_dir))
		return mr_fail(err, MAILRPC_E_USAGE, "state directory name too long: %s",
			       state_dir);
	int status = state_dir != NULL ? mr_state_dir_check(state_dir, err) : MAILRPC_OK;
	if (status != MAILRPC_OK)
		return status;
	struct mailrpc *conn = calloc(1, sizeof(*conn));
	if (conn == NULL)
		return mr_fail(err, MAILRPC_E_NOMEM, "out of memory");
	mr_link_init(&conn->link, p, mr_mailbox_ready, conn);
	if (state_dir != NULL)
		snprintf(conn->state_dir, sizeof(conn->state_dir), "%s", state_dir);
	status = mr_link_up(&conn->link, err);
	if (status == MAILRPC_OK && mailbox != NULL && mailbox[0] != '\0')
		status = mailrpc_open_mailbox(conn, mailbox, err);
	if (status != MAILRPC_OK) {
		mailrpc_close(&conn);
		return status;
	}
	*conn_r = conn;
	return MAILRPC_OK;
}

int mailrpc_connect(const struct mailrpc_options *opts, struct mailrpc **conn_r,
		    struct mailrpc_error *err)
{
	struct mr_link_params p;
	*conn_r = NULL;
	int status = mr_link_params_from(opts, &p, err);
	if (status != MAILRPC_OK)
		return status;
	return mr_connect(&p, opts->state_dir, opts->mailbox, conn_r, err);
}

int mr_connect_like(const struct mailrpc *model, struct mailrpc **conn_r, struct mailrpc_error *err)
{
	/* A delegate reading another mailbox reads the same one here; a
	 * server that sealed the model's calls must seal these too. */
	struct mr_link_params p = model->link.p;
	p.seal_required = model->link.seal_seen;
	int status = mr_connect(&p, model->state_dir[0] ? model->state_dir : NULL, model->mailbox,
				conn_r, err);
	/* The same link: what the model measured holds here too. */
	if (status == MAILRPC_OK)
		(*conn_r)->link.model = model->link.model;
	return status;
}

void mailrpc_close(struct mailrpc **connp)
{
	struct mailrpc *conn = *connp;
	if (conn == NULL)
		return;
	*connp = NULL;
	mr_link_drop(&conn->link, 1);
	free(conn);
}

const char *mailrpc_level_name(int level)
{
	return level_name(level);
}

int mailrpc_level_parse(const char *name)
{
	return level_parse(name);
}
