/*
 * store_validate.c -- validation of mailbox names, folder paths, flags
 * and UTF-8.
 */
#include "store_int.h"

#include <string.h>

/* Returns the length of the valid UTF-8 sequence at s (max n bytes) and
 * its code point, or 0 if invalid (overlong, surrogate, > U+10FFFF). */
size_t st_utf8_char(const unsigned char *s, size_t n, uint32_t *cp_r)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] < 0x80) {
		*cp_r = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		cp = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		cp = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	*cp_r = cp;
	return len;
}

int st_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = st_utf8_char(p + i, len - i, &cp);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

/* Valid UTF-8 with no C0/C1 control characters or DEL. */
static int text_ok(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = st_utf8_char(p + i, len - i, &cp);
		if (n == 0 || cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
			return 0;
		i += n;
	}
	return 1;
}

int st_valid_mailbox_name(const char *name)
{
	size_t len;

	if (name == NULL)
		return STORE_INVALID;
	len = strnlen(name, STORE_NAME_MAX + 1);
	if (len == 0 || len > STORE_NAME_MAX || !text_ok(name, len))
		return STORE_INVALID;
	return STORE_OK;
}

int st_valid_path(const char *path)
{
	size_t len, start, i;

	if (path == NULL)
		return STORE_INVALID;
	len = strnlen(path, STORE_PATH_MAX + 1);
	if (len == 0 || len > STORE_PATH_MAX || !text_ok(path, len))
		return STORE_INVALID;
	start = 0;
	for (i = 0; i <= len; i++) {
		if (i < len && path[i] != '/')
			continue;
		/* component path[start..i) */
		if (i == start)
			return STORE_INVALID;
		if ((i - start == 1 && path[start] == '.') ||
		    (i - start == 2 && path[start] == '.' && path[start + 1] == '.'))
			return STORE_INVALID;
		start = i + 1;
	}
	return STORE_OK;
}

int store_check_name(const char *name)
{
	return st_valid_mailbox_name(name);
}

int store_check_path(const char *path)
{
	return st_valid_path(path);
}

int st_valid_flags(uint32_t flags)
{
	return (flags & ~STORE_FLAGS_ALL) ? STORE_INVALID : STORE_OK;
}

/* ---- domains and addresses (RFC 5321 syntax, ASCII only) ---- */

static int is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* RFC 5322 atext: what an unquoted local part is made of, besides dots. */
static int is_atext(unsigned char c)
{
	return is_alnum(c) || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* One DNS label: 1..63 letters, digits and hyphens, no hyphen at an end. */
static int label_ok(const char *s, size_t n)
{
	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_alnum((unsigned char)s[i]) && s[i] != '-')
			return 0;
	return 1;
}

static int domain_ok(const char *d, size_t len)
{
	size_t start = 0, labels = 0;
	if (len == 0 || len > STORE_DOMAIN_MAX)
		return 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && d[i] != '.')
			continue;
		if (!label_ok(d + start, i - start))
			return 0;
		labels++;
		start = i + 1;
	}
	return labels >= 2;
}

/* A dot-string (atoms between single dots) or a quoted string of
 * printable ASCII (RFC 5321 Local-part). */
static int local_part_ok(const char *s, size_t n)
{
	if (n == 0 || n > 64)
		return 0;
	if (s[0] == '"') {
		if (n < 2 || s[n - 1] != '"')
			return 0;
		for (size_t i = 1; i < n - 1; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c == '\\' && i + 1 < n - 1)
				c = (unsigned char)s[++i];
			else if (c == '"' || c == '\\')
				return 0;
			if (c < 0x20 || c > 0x7e)
				return 0;
		}
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.' ? i == 0 || i == n - 1 || s[i - 1] == '.'
				: !is_atext((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

int store_domain_check(const char *domain)
{
	if (domain == NULL)
		return STORE_INVALID;
	return domain_ok(domain, strnlen(domain, STORE_DOMAIN_MAX + 1)) ? STORE_OK : STORE_INVALID;
}

int store_address_check(const char *address)
{
	if (address == NULL)
		return STORE_INVALID;
	size_t len = strnlen(address, STORE_ADDRESS_MAX + 1);
	const char *at = memrchr(address, '@', len);
	if (len > STORE_ADDRESS_MAX || at == NULL ||
	    !local_part_ok(address, (size_t)(at - address)) ||
	    !domain_ok(at + 1, len - (size_t)(at - address) - 1))
		return STORE_INVALID;
	return STORE_OK;
}

void st_lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}
