/*
 * test_common.c -- common/: level names both ways, one readable sentence
 * per wire status, every one of the IDL's (each status is checked for
 * words of its own meaning, so a text under the wrong name fails), the
 * mirrors of the IDL's numbers in the public header, and byte counts
 * with suffixes at their limits.
 */
#include <limits.h>

#include "bytes.h"
#include "level.h"
#include "mailrpc.h"
#include "mailrpc_prot.h"
#include "status.h"
#include "test_util.h"

static void t_levels(void)
{
	static const struct {
		int value, wire, public_value;
		const char *name;
	} levels[] = {
	    {LEVEL_AUTH, MR_LEVEL_AUTH, MAILRPC_LEVEL_AUTH, "auth"},
	    {LEVEL_INTEGRITY, MR_LEVEL_INTEGRITY, MAILRPC_LEVEL_INTEGRITY, "integrity"},
	    {LEVEL_PRIVACY, MR_LEVEL_PRIVACY, MAILRPC_LEVEL_PRIVACY, "privacy"},
	};
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		CHECK(levels[i].value == levels[i].wire &&
		      levels[i].value == levels[i].public_value);
		CHECK(strcmp(level_name(levels[i].value), levels[i].name) == 0);
		CHECK(level_parse(levels[i].name) == levels[i].value);
	}
	CHECK(strcmp(level_name(0), "unknown") == 0);
	CHECK(strcmp(level_name(4), "unknown") == 0);
	CHECK(strcmp(level_name(-1), "unknown") == 0);
	CHECK(level_parse("Privacy") == 0);
	CHECK(level_parse("priv") == 0);
	CHECK(level_parse("") == 0);
	CHECK(level_parse("none") == 0);
}

/* Every mr_status, its mirror in mailrpc.h, and a word its text must say. */
static const struct {
	int wire, public_value;
	const char *word;
} statuses[] = {
    {MR_OK, MAILRPC_OK, "OK"},
    {MR_ERR_INTERNAL, MAILRPC_E_INTERNAL, "internal"},
    {MR_ERR_NOMAILBOX, MAILRPC_E_NOMAILBOX, "does not map to a mailbox"},
    {MR_ERR_FOREIGN, MAILRPC_E_FOREIGN, "realm"},
    {MR_ERR_INVALID, MAILRPC_E_INVALID, "invalid request"},
    {MR_ERR_TOOBIG, MAILRPC_E_TOOBIG, "too big"},
    {MR_ERR_NOTFOUND, MAILRPC_E_NOTFOUND, "no such folder or message"},
    {MR_ERR_EXISTS, MAILRPC_E_EXISTS, "already exists"},
    {MR_ERR_NOTEMPTY, MAILRPC_E_NOTEMPTY, "not empty"},
    {MR_ERR_QUOTA, MAILRPC_E_QUOTA, "quota"},
    {MR_ERR_BUSY, MAILRPC_E_BUSY, "busy"},
    {MR_ERR_DENIED, MAILRPC_E_DENIED, "not permitted"},
    {MR_ERR_DISABLED, MAILRPC_E_DISABLED, "disabled"},
    {MR_ERR_NOFOLDER, MAILRPC_E_NOFOLDER, "no such folder"},
    {MR_ERR_NOMESSAGE, MAILRPC_E_NOMESSAGE, "no such message"},
    {MR_ERR_NOUPLOAD, MAILRPC_E_NOUPLOAD, "no such upload"},
    {MR_ERR_BADNAME, MAILRPC_E_BADNAME, "invalid folder name"},
    {MR_ERR_NORCPT, MAILRPC_E_NORCPT, "recipient"},
    {MR_ERR_MISMATCH, MAILRPC_E_MISMATCH, "SHA-256"},
    {MR_ERR_OFFSET, MAILRPC_E_OFFSET, "offset"},
    {MR_ERR_WELLKNOWN, MAILRPC_E_WELLKNOWN, "well-known"},
    {MR_ERR_CORRUPT, MAILRPC_E_DAMAGED, "damaged"},
    {MR_ERR_FULL, MAILRPC_E_FULL, "storage is full"},
    {MR_ERR_LIMIT, MAILRPC_E_LIMIT, "limit"},
    {MR_ERR_CONNLIMIT, MAILRPC_E_CONNLIMIT, "too many connections"},
    {MR_ERR_SENDER, MAILRPC_E_SENDER, "may send as"},
};
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]))

static void t_status_texts(void)
{
	int highest = 0;
	for (size_t i = 0; i < NSTATUS; i++) {
		const char *text = status_text(statuses[i].wire);
		CHECK(statuses[i].wire == statuses[i].public_value);
		if (strstr(text, statuses[i].word) == NULL) {
			fprintf(stderr, "status %d: \"%s\" lacks \"%s\"\n", statuses[i].wire, text,
				statuses[i].word);
			CHECK(0);
		}
		/* No two statuses read alike. */
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(text, status_text(statuses[j].wire)) != 0);
		if (statuses[i].wire > highest)
			highest = statuses[i].wire;
	}
	/* Each value once, none missing in between, every status of the
	 * IDL (a status added there without a row here fails). */
	CHECK((size_t)highest + 1 == NSTATUS);
	CHECK(NSTATUS == MAILRPC_STATUS_COUNT);
	CHECK(strcmp(status_text(highest + 1), "unknown server status") == 0);
	CHECK(strcmp(status_text(-1), "unknown server status") == 0);
	CHECK(strcmp(status_text(INT_MAX), "unknown server status") == 0);
}

static void t_bytes(void)
{
	static const struct {
		const char *text;
		unsigned long long value;
	} good[] = {
	    {"0", 0},
	    {"1", 1},
	    {"1K", 1024},
	    {"50M", 50ull << 20},
	    {"3G", 3ull << 30},
	    {"18446744073709551615", ~0ull},
	    {"17179869183G", 17179869183ull << 30}, /* the largest G that fits */
	};
	static const char *const bad[] = {
	    "",
	    "-1",
	    "K",
	    "1k",
	    "1KB",
	    "1T",
	    " 1",
	    "1 ",
	    "+1",
	    "0x10",
	    "1.5M",
	    "18446744073709551616", /* one more than fits */
	    "17179869184G",	    /* fits before the shift, not after */
	    "18014398509481984K",
	};
	unsigned long long v;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		v = 12345;
		CHECK(bytes_parse(good[i].text, &v) == 0 && v == good[i].value);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 12345;
		if (bytes_parse(bad[i], &v) != -1) {
			fprintf(stderr, "bytes_parse accepted \"%s\" as %llu\n", bad[i], v);
			CHECK(0);
		}
		CHECK(v == 12345); /* untouched on error */
	}
}

int main(void)
{
	RUN(t_levels);
	RUN(t_status_texts);
	RUN(t_bytes);
	return 0;
}
