/* imap_flags.c -- system flags <-> store bits (see imap_flags.h). */
#include <string.h>
#include <strings.h>

#include "imap_flags.h"
#include "mail.h"

static const struct {
	const char *name;
	uint32_t bit;
	char right; /* RFC 4314: the right that keeps it */
} flags[] = {
    {"\\Answered", STORE_FLAG_ANSWERED, 'w'}, {"\\Flagged", STORE_FLAG_FLAGGED, 'w'},
    {"\\Deleted", STORE_FLAG_DELETED, 't'},   {"\\Seen", STORE_FLAG_SEEN, 's'},
    {"\\Draft", STORE_FLAG_DRAFT, 'w'},
};
#define NFLAGS (sizeof(flags) / sizeof(flags[0]))

uint32_t imap_flag_bit(const char *name)
{
	for (size_t i = 0; i < NFLAGS; i++)
		if (strcasecmp(name, flags[i].name) == 0)
			return flags[i].bit;
	return 0;
}

int imap_write_flags(struct buf *out, uint32_t bits, int recent)
{
	int first = 1;
	buf_addc(out, '(');
	for (size_t i = 0; i < NFLAGS; i++) {
		if (!(bits & flags[i].bit))
			continue;
		if (!first)
			buf_addc(out, ' ');
		buf_adds(out, flags[i].name);
		first = 0;
	}
	if (recent)
		buf_adds(out, first ? "\\Recent" : " \\Recent");
	return buf_addc(out, ')');
}

int imap_write_permanent_flags(struct buf *out, uint32_t rights)
{
	int first = 1;
	for (size_t i = 0; i < NFLAGS; i++) {
		const char *letter = strchr(STORE_RIGHTS_LETTERS, flags[i].right);
		if (!(rights & (1u << (letter - STORE_RIGHTS_LETTERS))))
			continue;
		if (!first)
			buf_addc(out, ' ');
		buf_adds(out, flags[i].name);
		first = 0;
	}
	return out->overflow ? -1 : 0;
}

/* A keyword (RFC 3501 flag-keyword): an atom without a backslash. */
static int is_keyword(const char *name)
{
	return name[0] != '\0' && name[0] != '\\' && strpbrk(name, "[]") == NULL;
}

static int one_flag(const struct imap_arg *a, uint32_t *flags_r)
{
	if (a->type != IMAP_ARG_ATOM)
		return -1;
	uint32_t bit = imap_flag_bit(a->data);
	if (bit == 0 && !is_keyword(a->data))
		return -1;
	*flags_r |= bit;
	return 0;
}

int imap_parse_flags(const struct imap_arg *arg, uint32_t *flags_r)
{
	*flags_r = 0;
	if (arg->type != IMAP_ARG_LIST)
		return one_flag(arg, flags_r);
	for (size_t i = 0; i < arg->count; i++)
		if (one_flag(&arg->list[i], flags_r) != 0)
			return -1;
	return 0;
}
