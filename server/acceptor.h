/*
 * acceptor.h -- the server's Kerberos identity.  libtirpc acquires the
 * acceptor credential lazily on the first context, so a bad keytab would
 * only show up as clients failing; mailrpcd checks it at start instead.
 */
#ifndef MAILRPCD_ACCEPTOR_H
#define MAILRPCD_ACCEPTOR_H

#include <stddef.h>

/*
 * Points GSSAPI at the keytab and acquires the acceptor credential for
 * principal (SERVICE@HOST).  On failure writes a sentence an admin can act
 * on into why and returns -1.
 */
int acceptor_check(const char *keytab, const char *principal, char *why, size_t why_len);

/* Appends gss_display_status text for (major, minor) to buf. */
void gss_status_text(unsigned major, unsigned minor, char *buf, size_t len);

#endif
