/*
 * gssceil.c -- the crypto ceiling for `make bench`: a GSS-API (Kerberos)
 * context pair made in this one process, initiator from the ticket cache,
 * acceptor from the keytab (KRB5_KTNAME), then gss_wrap with
 * confidentiality (privacy), gss_unwrap, and gss_get_mic + gss_verify_mic
 * (integrity) on chunk-sized messages for a fixed time each.  No network,
 * no RPC: what the CPU allows one core at most.
 *
 *   gssceil SERVICE@HOST BYTES SECONDS
 * Prints one JSON object: enctype, and MB/s for wrap, unwrap, mic, verify.
 */
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check(OM_uint32 major, OM_uint32 minor, const char *what)
{
	if (!GSS_ERROR(major))
		return;
	OM_uint32 m2, ctx = 0;
	gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
	gss_display_status(&m2, minor, GSS_C_MECH_CODE, GSS_C_NO_OID, &ctx, &text);
	fprintf(stderr, "gssceil: %s failed: %.*s\n", what, (int)text.length, (char *)text.value);
	exit(1);
}

/* One init/accept exchange (Kerberos needs a single round with mutual auth). */
static void make_pair(const char *service, gss_ctx_id_t *init_r, gss_ctx_id_t *acc_r)
{
	OM_uint32 major, minor;
	gss_buffer_desc name_buf = {strlen(service), (void *)service};
	gss_name_t target;
	major = gss_import_name(&minor, &name_buf, GSS_C_NT_HOSTBASED_SERVICE, &target);
	check(major, minor, "gss_import_name");
	gss_buffer_desc to_acc = GSS_C_EMPTY_BUFFER, to_init = GSS_C_EMPTY_BUFFER;
	*init_r = *acc_r = GSS_C_NO_CONTEXT;
	for (int step = 0; step < 4; step++) {
		major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, init_r, target,
					     (gss_OID)gss_mech_krb5,
					     GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG,
					     0, NULL, &to_init, NULL, &to_acc, NULL, NULL);
		check(major, minor, "gss_init_sec_context");
		gss_release_buffer(&minor, &to_init);
		if (to_acc.length == 0)
			break;
		major = gss_accept_sec_context(&minor, acc_r, GSS_C_NO_CREDENTIAL, &to_acc,
					       NULL, NULL, NULL, &to_init, NULL, NULL, NULL);
		check(major, minor, "gss_accept_sec_context");
		gss_release_buffer(&minor, &to_acc);
		if (major == GSS_S_COMPLETE && to_init.length == 0)
			break;
	}
	gss_release_name(&minor, &target);
}

/* The key the context protects messages with, by Kerberos enctype name. */
static const char *enctype_name(int etype)
{
	switch (etype) {
	case 17: return "aes128-cts-hmac-sha1-96";
	case 18: return "aes256-cts-hmac-sha1-96";
	case 19: return "aes128-cts-hmac-sha256-128";
	case 20: return "aes256-cts-hmac-sha384-192";
	case 25: return "camellia128-cts-cmac";
	case 26: return "camellia256-cts-cmac";
	default: return "other";
	}
}

/* Exporting the lucid context consumes it: call last. */
static int context_enctype(gss_ctx_id_t *ctx)
{
	OM_uint32 minor = 0;
	void *lucid = NULL;
	OM_uint32 major = gss_krb5_export_lucid_sec_context(&minor, ctx, 1, &lucid);
	check(major, minor, "export lucid");
	gss_krb5_lucid_context_v1_t *l = lucid;
	int etype = l->protocol == 1 ? (int)(l->cfx_kd.have_acceptor_subkey
						 ? l->cfx_kd.acceptor_subkey.type
						 : l->cfx_kd.ctx_key.type)
				     : (int)l->rfc1964_kd.ctx_key.type;
	gss_krb5_free_lucid_sec_context(&minor, lucid);
	return etype;
}

struct rates {
	double wrap, unwrap, mic, verify;
};

static void measure(gss_ctx_id_t init, gss_ctx_id_t acc, size_t bytes, double secs,
		    struct rates *r)
{
	OM_uint32 major, minor;
	unsigned char *data = malloc(bytes);
	memset(data, 'm', bytes);
	gss_buffer_desc msg = {bytes, data}, wrapped = GSS_C_EMPTY_BUFFER, out, mic;
	double t0 = now(), t;
	long n = 0;
	do {
		gss_release_buffer(&minor, &wrapped);
		major = gss_wrap(&minor, acc, 1, GSS_C_QOP_DEFAULT, &msg, NULL, &wrapped);
		check(major, minor, "gss_wrap");
		n++;
	} while ((t = now()) - t0 < secs);
	r->wrap = (double)n * (double)bytes / (t - t0) / 1e6;
	t0 = now(), n = 0;
	do {
		major = gss_unwrap(&minor, init, &wrapped, &out, NULL, NULL);
		check(major, minor, "gss_unwrap");
		gss_release_buffer(&minor, &out);
		n++;
	} while ((t = now()) - t0 < secs);
	r->unwrap = (double)n * (double)bytes / (t - t0) / 1e6;
	gss_release_buffer(&minor, &wrapped);
	t0 = now(), n = 0;
	do {
		major = gss_get_mic(&minor, acc, GSS_C_QOP_DEFAULT, &msg, &mic);
		check(major, minor, "gss_get_mic");
		n++;
		if ((t = now()) - t0 < secs)
			gss_release_buffer(&minor, &mic);
	} while (t - t0 < secs);
	r->mic = (double)n * (double)bytes / (t - t0) / 1e6;
	t0 = now(), n = 0;
	do {
		major = gss_verify_mic(&minor, init, &msg, &mic, NULL);
		check(major, minor, "gss_verify_mic");
		n++;
	} while ((t = now()) - t0 < secs);
	r->verify = (double)n * (double)bytes / (t - t0) / 1e6;
	gss_release_buffer(&minor, &mic);
	free(data);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: gssceil SERVICE@HOST BYTES SECONDS\n");
		return 2;
	}
	size_t bytes = (size_t)atol(argv[2]);
	double secs = atof(argv[3]);
	if (bytes == 0 || bytes > (64u << 20) || secs <= 0 || secs > 30) {
		fprintf(stderr, "gssceil: BYTES 1..64 MiB, SECONDS 0..30\n");
		return 2;
	}
	gss_ctx_id_t init, acc;
	struct rates r;
	make_pair(argv[1], &init, &acc);
	measure(init, acc, bytes, secs, &r);
	int etype = context_enctype(&init);
	printf("{\"op\":\"gss\",\"enctype\":\"%s\",\"bytes\":%zu,\"wrap_mbps\":%.1f,"
	       "\"unwrap_mbps\":%.1f,\"mic_mbps\":%.1f,\"verify_mbps\":%.1f}\n",
	       enctype_name(etype), bytes, r.wrap, r.unwrap, r.mic, r.verify);
	OM_uint32 minor;
	gss_delete_sec_context(&minor, &acc, GSS_C_NO_BUFFER);
	return 0;
}
