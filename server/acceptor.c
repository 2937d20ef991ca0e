/* acceptor.c -- start-up check of the keytab (see acceptor.h). */
#include <errno.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acceptor.h"

static void append_status(int type, OM_uint32 code, char *buf, size_t len)
{
	OM_uint32 minor, more = 0;
	do {
		gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
		if (GSS_ERROR(gss_display_status(&minor, code, type, GSS_C_NO_OID, &more, &text)))
			return;
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%.*s", used ? ": " : "", (int)text.length,
			 (char *)text.value);
		gss_release_buffer(&minor, &text);
	} while (more != 0);
}

void gss_status_text(unsigned major, unsigned minor, char *buf, size_t len)
{
	buf[0] = '\0';
	/* The mechanism's minor text is the specific one ("Key table entry not
	 * found"); the major text is generic, so it goes second. */
	if (minor != 0)
		append_status(GSS_C_MECH_CODE, minor, buf, len);
	if (GSS_ERROR(major))
		append_status(GSS_C_GSS_CODE, major, buf, len);
}

int acceptor_check(const char *keytab, const char *principal, char *why, size_t why_len)
{
	OM_uint32 major, minor;
	gss_name_t name = GSS_C_NO_NAME;
	gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
	char status[512];
	int ret = -1;

	if (access(keytab, R_OK) != 0) {
		snprintf(why, why_len, "cannot read keytab %s: %s", keytab, strerror(errno));
		return -1;
	}
	/* libtirpc acquires its own credential on every context set-up; the
	 * environment is the one setting that reaches it. */
	char ktname[4096];
	snprintf(ktname, sizeof(ktname), "FILE:%s", keytab);
	if (setenv("KRB5_KTNAME", ktname, 1) != 0 ||
	    krb5_gss_register_acceptor_identity(keytab) != GSS_S_COMPLETE) {
		snprintf(why, why_len, "cannot use keytab %s", keytab);
		return -1;
	}

	gss_buffer_desc buf = {strlen(principal), (void *)principal};
	major = gss_import_name(&minor, &buf, GSS_C_NT_HOSTBASED_SERVICE, &name);
	if (GSS_ERROR(major)) {
		gss_status_text(major, minor, status, sizeof(status));
		snprintf(why, why_len, "bad principal %s: %s", principal, status);
		goto cleanup;
	}
	major = gss_acquire_cred(&minor, name, GSS_C_INDEFINITE, GSS_C_NO_OID_SET, GSS_C_ACCEPT,
				 &cred, NULL, NULL);
	if (GSS_ERROR(major)) {
		gss_status_text(major, minor, status, sizeof(status));
		snprintf(why, why_len, "keytab %s has no usable key for %s: %s", keytab, principal,
			 status);
		goto cleanup;
	}
	ret = 0;
cleanup:
	gss_release_cred(&minor, &cred);
	gss_release_name(&minor, &name);
	return ret;
}
