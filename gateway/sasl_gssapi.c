/*
 * sasl_gssapi.c -- RFC 4752 on the server: accept the Kerberos context
 * with a credential for our own service principal only (a ticket for any
 * other key in the keytab is refused), then the security-layer exchange,
 * offering "no security layer" alone (logins happen only inside TLS).
 */
#include <arpa/inet.h>
#include <gssapi/gssapi_krb5.h>
#include <stdio.h>
#include <string.h>

#include "../server/acceptor.h"
#include "sasl_gssapi.h"

enum phase { ACCEPTING, SENT_TOKEN, SENT_LAYERS };

#define LAYER_NONE 1

static void gss_failure(const char *what, OM_uint32 major, OM_uint32 minor, char *why,
			size_t why_len)
{
	char text[512];
	gss_status_text(major, minor, text, sizeof(text));
	snprintf(why, why_len, "%s: %s", what, text);
}

static int acquire(struct sasl_server *s, char *why, size_t why_len)
{
	OM_uint32 major, minor;
	char name[512];
	snprintf(name, sizeof(name), "%s@%s", s->service, s->host);
	gss_buffer_desc nb = {strlen(name), name};
	gss_name_t gname = GSS_C_NO_NAME;
	major = gss_import_name(&minor, &nb, GSS_C_NT_HOSTBASED_SERVICE, &gname);
	if (!GSS_ERROR(major))
		major = gss_acquire_cred(&minor, gname, GSS_C_INDEFINITE, GSS_C_NO_OID_SET,
					 GSS_C_ACCEPT, &s->cred, NULL, NULL);
	gss_release_name(&minor, &gname);
	if (GSS_ERROR(major)) {
		gss_failure("acceptor credential", major, minor, why, why_len);
		return -1;
	}
	return 0;
}

/* The 4-byte offer: layers bitmask, then 0 as the largest buffer (no layer). */
static enum sasl_step_result send_layers(struct sasl_server *s, struct buf *out, char *why,
					 size_t why_len)
{
	OM_uint32 major, minor;
	unsigned char offer[4] = {LAYER_NONE, 0, 0, 0};
	gss_buffer_desc in = {sizeof(offer), offer}, wrapped = GSS_C_EMPTY_BUFFER;
	major = gss_wrap(&minor, s->gss, 0, GSS_C_QOP_DEFAULT, &in, NULL, &wrapped);
	if (GSS_ERROR(major)) {
		gss_failure("gss_wrap", major, minor, why, why_len);
		return SASL_FAILED;
	}
	int r = buf_add(out, wrapped.value, wrapped.length);
	gss_release_buffer(&minor, &wrapped);
	s->phase = SENT_LAYERS;
	return r == 0 ? SASL_CONTINUE : SASL_FAILED;
}

static enum sasl_step_result accept_token(struct sasl_server *s, const unsigned char *in,
					  size_t len, struct buf *out, char *why, size_t why_len)
{
	OM_uint32 major, minor;
	gss_buffer_desc token = {len, (void *)in}, reply = GSS_C_EMPTY_BUFFER;
	gss_name_t client = GSS_C_NO_NAME;
	if (s->cred == GSS_C_NO_CREDENTIAL && acquire(s, why, why_len) != 0)
		return SASL_FAILED;
	major = gss_accept_sec_context(&minor, &s->gss, s->cred, &token, GSS_C_NO_CHANNEL_BINDINGS,
				       &client, NULL, &reply, NULL, NULL, NULL);
	if (GSS_ERROR(major)) {
		gss_failure("gss_accept_sec_context", major, minor, why, why_len);
		gss_release_buffer(&minor, &reply);
		return SASL_FAILED;
	}
	int added = buf_add(out, reply.value, reply.length);
	gss_release_buffer(&minor, &reply);
	if (added != 0) {
		gss_release_name(&minor, &client);
		return SASL_FAILED;
	}
	if (major & GSS_S_CONTINUE_NEEDED)
		return SASL_CONTINUE;
	gss_buffer_desc shown = GSS_C_EMPTY_BUFFER;
	major = gss_display_name(&minor, client, &shown, NULL);
	gss_release_name(&minor, &client);
	if (GSS_ERROR(major) || shown.length >= sizeof(s->principal)) {
		gss_release_buffer(&minor, &shown);
		snprintf(why, why_len, "client principal name unusable");
		return SASL_FAILED;
	}
	memcpy(s->principal, shown.value, shown.length);
	s->principal[shown.length] = '\0';
	gss_release_buffer(&minor, &shown);
	/* A last token (mutual authentication) goes first; the client answers
	 * it with an empty response, and then the layers are offered. */
	if (out->len > 0) {
		s->phase = SENT_TOKEN;
		return SASL_CONTINUE;
	}
	return send_layers(s, out, why, why_len);
}

static enum sasl_step_result choose_layer(struct sasl_server *s, const unsigned char *in,
					  size_t len, char *why, size_t why_len)
{
	OM_uint32 major, minor;
	gss_buffer_desc token = {len, (void *)in}, plain = GSS_C_EMPTY_BUFFER;
	major = gss_unwrap(&minor, s->gss, &token, &plain, NULL, NULL);
	if (GSS_ERROR(major)) {
		gss_failure("gss_unwrap", major, minor, why, why_len);
		return SASL_FAILED;
	}
	enum sasl_step_result r = SASL_FAILED;
	const unsigned char *p = plain.value;
	size_t authz_len = plain.length >= 4 ? plain.length - 4 : 0;
	if (plain.length < 4)
		snprintf(why, why_len, "security layer answer too short");
	else if (p[0] != LAYER_NONE)
		snprintf(why, why_len, "client chose security layer %d; only none is offered",
			 p[0]);
	else if (authz_len >= sizeof(s->authzid) || memchr(p + 4, '\0', authz_len) != NULL)
		snprintf(why, why_len, "authorization id unusable");
	else {
		memcpy(s->authzid, p + 4, authz_len);
		s->authzid[authz_len] = '\0';
		r = SASL_DONE;
	}
	gss_release_buffer(&minor, &plain);
	return r;
}

enum sasl_step_result sasl_gssapi_step(struct sasl_server *s, const unsigned char *in, size_t len,
				       struct buf *out, char *why, size_t why_len)
{
	switch (s->phase) {
	case ACCEPTING:
		return accept_token(s, in, len, out, why, why_len);
	case SENT_TOKEN:
		if (len != 0) {
			snprintf(why, why_len, "expected an empty response");
			return SASL_FAILED;
		}
		return send_layers(s, out, why, why_len);
	default:
		return choose_layer(s, in, len, why, why_len);
	}
}

void sasl_gssapi_free(struct sasl_server *s)
{
	OM_uint32 minor;
	if (s->gss != GSS_C_NO_CONTEXT)
		gss_delete_sec_context(&minor, &s->gss, GSS_C_NO_BUFFER);
	if (s->cred != GSS_C_NO_CREDENTIAL)
		gss_release_cred(&minor, &s->cred);
}
