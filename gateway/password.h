/*
 * password.h -- a Kerberos password check that a fake KDC cannot pass.
 *
 * The password gets an initial ticket from the KDC
 * (krb5_get_init_creds_password); that ticket is then used to get a ticket
 * for our own service principal, which must decrypt with our keytab
 * (krb5_verify_init_creds, failing when the keytab has no key).  A KDC
 * that does not hold our service key -- one an attacker answers with --
 * cannot make that work.
 */
#ifndef GW_PASSWORD_H
#define GW_PASSWORD_H

#include <stddef.h>

enum password_result {
	PASSWORD_OK = 0,
	PASSWORD_REJECTED,    /* wrong password, unknown user, failed verification */
	PASSWORD_UNAVAILABLE, /* the KDC could not be reached */
};

/*
 * user: a principal name (the default realm is added when none is given);
 * service/host: our service principal SERVICE/HOST in the default realm.
 * On PASSWORD_OK the canonical principal is in principal_r.  why gets
 * the reason for the log (never the password; may name the user).
 */
enum password_result password_check(const char *user, const char *password, const char *keytab,
				    const char *service, const char *host, char *principal_r,
				    size_t principal_len, char *why, size_t why_len);

#endif
