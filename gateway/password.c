/* password.c -- Kerberos password check with keytab verification (see password.h). */
#include <krb5.h>
#include <stdio.h>
#include <string.h>

#include "password.h"

static void error_text(krb5_context ctx, krb5_error_code code, const char *what, char *why,
		       size_t why_len)
{
	const char *msg = krb5_get_error_message(ctx, code);
	snprintf(why, why_len, "%s: %s", what, msg);
	krb5_free_error_message(ctx, msg);
}

static enum password_result classify(krb5_error_code code)
{
	switch (code) {
	case KRB5_KDC_UNREACH:
	case KRB5_REALM_CANT_RESOLVE:
	case KRB5_REALM_UNKNOWN:
		return PASSWORD_UNAVAILABLE;
	default:
		return PASSWORD_REJECTED;
	}
}

/* The ticket must decrypt with our keytab; a missing key fails too. */
static krb5_error_code verify(krb5_context ctx, krb5_creds *creds, const char *keytab,
			      const char *service, const char *host)
{
	krb5_keytab kt = NULL;
	krb5_principal server = NULL;
	krb5_verify_init_creds_opt vopt;
	char name[512];
	krb5_error_code code;

	snprintf(name, sizeof(name), "%s/%s", service, host);
	code = krb5_parse_name(ctx, name, &server);
	if (code == 0)
		code = krb5_kt_resolve(ctx, keytab, &kt);
	if (code == 0) {
		krb5_verify_init_creds_opt_init(&vopt);
		krb5_verify_init_creds_opt_set_ap_req_nofail(&vopt, 1);
		code = krb5_verify_init_creds(ctx, creds, server, kt, NULL, &vopt);
	}
	if (kt != NULL)
		krb5_kt_close(ctx, kt);
	krb5_free_principal(ctx, server);
	return code;
}

enum password_result password_check(const char *user, const char *password, const char *keytab,
				    const char *service, const char *host, char *principal_r,
				    size_t principal_len, char *why, size_t why_len)
{
	krb5_context ctx = NULL;
	krb5_principal client = NULL;
	krb5_get_init_creds_opt *opt = NULL;
	krb5_creds creds;
	int have_creds = 0;
	char *unparsed = NULL;
	enum password_result result = PASSWORD_REJECTED;
	krb5_error_code code;

	principal_r[0] = '\0';
	memset(&creds, 0, sizeof(creds));
	if (krb5_init_context(&ctx) != 0) {
		snprintf(why, why_len, "krb5_init_context failed: check KRB5_CONFIG / krb5.conf");
		return PASSWORD_UNAVAILABLE;
	}
	code = krb5_parse_name(ctx, user, &client);
	if (code != 0) {
		error_text(ctx, code, "not a principal name", why, why_len);
		goto cleanup;
	}
	code = krb5_get_init_creds_opt_alloc(ctx, &opt);
	if (code != 0) {
		error_text(ctx, code, "krb5_get_init_creds_opt_alloc", why, why_len);
		goto cleanup;
	}
	krb5_get_init_creds_opt_set_forwardable(opt, 0);
	krb5_get_init_creds_opt_set_proxiable(opt, 0);
	krb5_get_init_creds_opt_set_tkt_life(opt, 300);
	code =
	    krb5_get_init_creds_password(ctx, &creds, client, password, NULL, NULL, 0, NULL, opt);
	if (code != 0) {
		result = classify(code);
		error_text(ctx, code,
			   result == PASSWORD_UNAVAILABLE ? "no answer from the KDC"
							  : "the KDC refused the password",
			   why, why_len);
		goto cleanup;
	}
	have_creds = 1;
	code = verify(ctx, &creds, keytab, service, host);
	if (code != 0) {
		error_text(ctx, code,
			   "the ticket did not verify against the keytab (a KDC without our "
			   "service key answered?)",
			   why, why_len);
		result = classify(code);
		goto cleanup;
	}
	code = krb5_unparse_name(ctx, creds.client, &unparsed);
	if (code != 0 || strlen(unparsed) >= principal_len) {
		snprintf(why, why_len, "principal name too long");
		goto cleanup;
	}
	strcpy(principal_r, unparsed);
	result = PASSWORD_OK;
cleanup:
	krb5_free_unparsed_name(ctx, unparsed);
	if (have_creds)
		krb5_free_cred_contents(ctx, &creds);
	krb5_get_init_creds_opt_free(ctx, opt);
	krb5_free_principal(ctx, client);
	krb5_free_context(ctx);
	return result;
}
