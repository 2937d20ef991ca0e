/* mime_envelope.c -- IMAP ENVELOPE (see mime_imap.h). */
#include <string.h>

#include "imap_write.h"
#include "mime_header.h"
#include "mime_imap.h"

/* An nstring from the raw, unfolded field (NIL if absent). */
static void write_field(const char *data, size_t start, size_t end, const char *name,
			struct buf *out)
{
	struct buf v;
	buf_init(&v, end - start + 1);
	if (mime_header_value(data, start, end, name, &v) == 0)
		imap_write_string(out, v.data, v.len);
	else
		buf_adds(out, "NIL");
	buf_free(&v);
}

static int plain_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < ' ' || (unsigned char)*s >= 127)
			return 0;
	return 1;
}

static void write_name(const char *name, struct buf *out)
{
	if (name == NULL || name[0] == '\0') {
		buf_adds(out, "NIL");
		return;
	}
	if (plain_ascii(name)) {
		imap_write_string(out, name, strlen(name));
		return;
	}
	char *encoded = g_mime_utils_header_encode_phrase(NULL, name, "utf-8");
	imap_write_string(out, encoded, strlen(encoded));
	g_free(encoded);
}

static void write_mailbox(InternetAddress *ia, struct buf *out)
{
	const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
	const char *at = addr ? strrchr(addr, '@') : NULL;
	buf_addc(out, '(');
	write_name(internet_address_get_name(ia), out);
	buf_adds(out, " NIL ");
	if (addr == NULL)
		addr = "";
	imap_write_string(out, addr, at ? (size_t)(at - addr) : strlen(addr));
	buf_addc(out, ' ');
	if (at != NULL)
		imap_write_string(out, at + 1, strlen(at + 1));
	else
		imap_write_string(out, "", 0);
	buf_addc(out, ')');
}

static void write_list(InternetAddressList *list, struct buf *out, int depth)
{
	for (int i = 0; i < internet_address_list_length(list); i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia) && depth == 0) {
			/* RFC 3501: (NIL NIL "name" NIL) members (NIL NIL NIL NIL) */
			const char *name = internet_address_get_name(ia);
			buf_adds(out, "(NIL NIL ");
			imap_write_string(out, name ? name : "", name ? strlen(name) : 0);
			buf_adds(out, " NIL)");
			write_list(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)),
				   out, depth + 1);
			buf_adds(out, "(NIL NIL NIL NIL)");
		} else if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			write_mailbox(ia, out);
		}
	}
}

/* An address list field, or the fallback field's when absent (Sender and
 * Reply-To default to From); NIL when neither has an address. */
static void write_addresses(const char *data, size_t start, size_t end, const char *name,
			    const char *fallback, struct buf *out)
{
	struct buf v;
	buf_init(&v, end - start + 1);
	int found = mime_header_value(data, start, end, name, &v) == 0;
	if (!found && fallback != NULL)
		found = mime_header_value(data, start, end, fallback, &v) == 0;
	InternetAddressList *list = found ? internet_address_list_parse(NULL, v.data) : NULL;
	if (list != NULL && internet_address_list_length(list) > 0) {
		buf_addc(out, '(');
		write_list(list, out, 0);
		buf_addc(out, ')');
	} else {
		buf_adds(out, "NIL");
	}
	if (list != NULL)
		g_object_unref(list);
	buf_free(&v);
}

int mime_write_envelope_of(const char *data, size_t start, size_t end, struct buf *out)
{
	buf_addc(out, '(');
	write_field(data, start, end, "Date", out);
	buf_addc(out, ' ');
	write_field(data, start, end, "Subject", out);
	buf_addc(out, ' ');
	write_addresses(data, start, end, "From", NULL, out);
	buf_addc(out, ' ');
	write_addresses(data, start, end, "Sender", "From", out);
	buf_addc(out, ' ');
	write_addresses(data, start, end, "Reply-To", "From", out);
	buf_addc(out, ' ');
	write_addresses(data, start, end, "To", NULL, out);
	buf_addc(out, ' ');
	write_addresses(data, start, end, "Cc", NULL, out);
	buf_addc(out, ' ');
	write_addresses(data, start, end, "Bcc", NULL, out);
	buf_addc(out, ' ');
	write_field(data, start, end, "In-Reply-To", out);
	buf_addc(out, ' ');
	write_field(data, start, end, "Message-ID", out);
	buf_addc(out, ')');
	return out->overflow ? -1 : 0;
}

int mime_write_envelope(const struct mime_message *m, struct buf *out)
{
	return mime_write_envelope_of(m->data, 0, m->body_start, out);
}
