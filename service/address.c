/*
 * address.c -- addresses as people write them ("Carol <carol@x.org>"),
 * parsed by GMime (internet_address_list_parse), never by hand, and then
 * held to RFC 5321's syntax by the store's check (store_address_check),
 * the one every process applies.  Nothing that could end a header line or
 * an SMTP command (CR, LF, NUL, any control character) gets through.
 */
#include <gmime/gmime.h>
#include <string.h>

#include "address.h"
#include "identity.h"

/* GMime keeps process-wide tables: set up once per process. */
static void gmime_ready(void)
{
	static int done;
	if (!done) {
		g_mime_init();
		done = 1;
	}
}

/* '@' outside double quotes: more than one means GMime would keep part of
 * the text and drop the rest ("a@b@c" gives a@b). */
static int ats_outside_quotes(const char *s)
{
	int n = 0, quoted = 0;
	for (; *s; s++) {
		if (*s == '\\' && quoted && s[1] != '\0')
			s++;
		else if (*s == '"')
			quoted = !quoted;
		else if (*s == '@' && !quoted)
			n++;
	}
	return n;
}

/* mailbox's address in the form the MTA gets it (an IDN domain in its
 * ASCII form), checked, into addr_r. */
static int take_mailbox(InternetAddress *a, char addr_r[MAIL_ADDRESS_MAX + 1])
{
	if (!INTERNET_ADDRESS_IS_MAILBOX(a))
		return MAIL_ERR_INVALID; /* a group */
	const char *addr = internet_address_mailbox_get_idn_addr(INTERNET_ADDRESS_MAILBOX(a));
	if (addr == NULL || strlen(addr) > MAIL_ADDRESS_MAX)
		return MAIL_ERR_INVALID;
	int ok = strchr(addr, '@') != NULL ? store_address_check(addr) == STORE_OK
					   : mail_valid_mailbox(addr);
	if (!ok)
		return MAIL_ERR_INVALID;
	snprintf(addr_r, MAIL_ADDRESS_MAX + 1, "%s", addr);
	return MAIL_OK;
}

int mail_address_parse(const char *text, char addr_r[MAIL_ADDRESS_MAX + 1])
{
	int status = MAIL_ERR_INVALID;

	addr_r[0] = '\0';
	if (text == NULL || text[0] == '\0' || strlen(text) > MAIL_ADDRESS_TEXT_MAX)
		return status;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return status;
	if (ats_outside_quotes(text) > 1)
		return status;
	gmime_ready();
	InternetAddressList *list = internet_address_list_parse(NULL, text);
	if (list != NULL && internet_address_list_length(list) == 1)
		status = take_mailbox(internet_address_list_get_address(list, 0), addr_r);
	if (list != NULL)
		g_object_unref(list);
	return status;
}

int mail_address_list_parse(const char *value, char (*addrs_r)[MAIL_ADDRESS_MAX + 1], size_t max,
			    size_t *n_r)
{
	int status = MAIL_ERR_INVALID;

	*n_r = 0;
	gmime_ready();
	InternetAddressList *list = internet_address_list_parse(NULL, value);
	int n = list != NULL ? internet_address_list_length(list) : 0;
	if (n > 0 && (size_t)n <= max) {
		status = MAIL_OK;
		for (int i = 0; i < n && status == MAIL_OK; i++)
			status =
			    take_mailbox(internet_address_list_get_address(list, i), addrs_r[i]);
	}
	if (list != NULL)
		g_object_unref(list);
	if (status == MAIL_OK)
		*n_r = (size_t)n;
	return status;
}

/* The header fields of the message at the start of head, GMime's view. */
int mail_header_scan(const char *head, size_t len, mail_header_fn fn, void *ctx)
{
	int status = MAIL_OK;

	gmime_ready();
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(head, len);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *msg = g_mime_parser_construct_message(parser, NULL);
	if (msg != NULL) {
		GMimeHeaderList *headers = g_mime_object_get_header_list(GMIME_OBJECT(msg));
		int n = g_mime_header_list_get_count(headers);
		for (int i = 0; i < n && status == MAIL_OK; i++) {
			GMimeHeader *h = g_mime_header_list_get_header_at(headers, i);
			const char *value = g_mime_header_get_raw_value(h);
			status = fn(ctx, g_mime_header_get_name(h), value ? value : "");
		}
		g_object_unref(msg);
	}
	g_object_unref(parser);
	g_object_unref(stream);
	return status;
}
