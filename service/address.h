/*
 * address.h -- addresses and header fields as GMime reads them, for the
 * sending side of the mail service (address.c).
 */
#ifndef MAILRPC_ADDRESS_H
#define MAILRPC_ADDRESS_H

#include <stddef.h>

#include "mail.h"

/* The longest text one address may be given in (a display name included). */
#define MAIL_ADDRESS_TEXT_MAX 998u

/* One address as a person writes it ("Carol <carol@x.org>", "carol@x.org",
 * or a bare mailbox name) -> its address alone (IDN domains in ASCII form)
 * into addr_r.  MAIL_ERR_INVALID for anything but exactly one well-formed
 * address, and for any control character (CR, LF, NUL...). */
int mail_address_parse(const char *text, char addr_r[MAIL_ADDRESS_MAX + 1]);

/* The addresses of a header field's value (From:, Sender:), at most max:
 * MAIL_OK with *n_r of them, MAIL_ERR_INVALID for none, too many, a group
 * or a malformed one. */
int mail_address_list_parse(const char *value, char (*addrs_r)[MAIL_ADDRESS_MAX + 1], size_t max,
			    size_t *n_r);

/* Calls fn with each header field (its name and raw value) of the message
 * whose first len bytes are head, in order, until fn returns other than
 * MAIL_OK (returned). */
typedef int (*mail_header_fn)(void *ctx, const char *name, const char *value);
int mail_header_scan(const char *head, size_t len, mail_header_fn fn, void *ctx);

#endif
