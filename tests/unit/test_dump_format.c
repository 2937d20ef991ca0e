/*
 * test_dump_format.c -- the text of a dump (admin/dump_format.h): every
 * byte a name can hold survives escape -> split, no escaped field holds a
 * separator or a line end (so a principal cannot forge lines), malformed
 * fields are refused, version 1 lines split by their old rules, and
 * numbers and digests parse strictly.
 */
#include "dump_format.h"
#include "test_util.h"

static char *escaped(const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	CHECK(f != NULL && dump_put_field(f, s) == 0 && fclose(f) == 0);
	return out;
}

static void t_escape_round_trip(void)
{
	char all[256], *fields[2];
	for (int i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[255] = '\0';
	char *e = escaped(all);
	for (const char *p = e; *p; p++)
		CHECK((unsigned char)*p > ' ' && *p != 0x7f);
	/* Two fields on one line split back into exactly the originals. */
	char *line;
	CHECK(asprintf(&line, "%s %s", e, e) > 0);
	CHECK(dump_split(line, 2, "acl", fields, 2) == NULL);
	CHECK(strcmp(fields[0], all) == 0 && strcmp(fields[1], all) == 0);
	free(line);
	free(e);

	e = escaped("evil\tlrswipkxtea\nquota 0");
	CHECK(strcmp(e, "evil%09lrswipkxtea%0aquota%200") == 0);
	free(e);
	e = escaped("Sent Items/100% \xc3\xa9t\xc3\xa9");
	CHECK(strcmp(e, "Sent%20Items/100%25%20\xc3\xa9t\xc3\xa9") == 0);
	free(e);
}

static void t_split_refuses(void)
{
	static const struct {
		const char *rest;
		unsigned want;
	} bad[] = {
	    {"a", 2},	     {"a b c", 2}, {"a  b", 2},	   {"a b ", 2},	 {" a b", 2},
	    {"a%0", 1},	     {"a%zz", 1},  {"a%00b", 1},   {"a%0Ab", 1}, {"tab\there", 1},
	    {"cr\rhere", 1}, {"", 1},	   {"del\x7f", 1}, {"%", 1},
	};
	char buf[64], *fields[DUMP_FIELDS_MAX];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", bad[i].rest);
		if (dump_split(buf, 2, "x", fields, bad[i].want) == NULL) {
			fprintf(stderr, "accepted [%s]\n", bad[i].rest);
			CHECK(0);
		}
	}
	snprintf(buf, sizeof(buf), "a%%20b c");
	CHECK(dump_split(buf, 2, "x", fields, 2) == NULL);
	CHECK(strcmp(fields[0], "a b") == 0 && strcmp(fields[1], "c") == 0);
}

static void t_split_version1(void)
{
	char buf[128], *f[DUMP_FIELDS_MAX];
	snprintf(buf, sizeof(buf), "Projects/Big Plan\tbob@R\tlr");
	CHECK(dump_split(buf, 1, "acl", f, 3) == NULL);
	CHECK(strcmp(f[0], "Projects/Big Plan") == 0 && strcmp(f[1], "bob@R") == 0 &&
	      strcmp(f[2], "lr") == 0);
	snprintf(buf, sizeof(buf), "7 1 1704067200 12 %064d\tSent Items", 0);
	CHECK(dump_split(buf, 1, "message", f, 6) == NULL);
	CHECK(strcmp(f[0], "7") == 0 && strcmp(f[3], "12") == 0 && strcmp(f[5], "Sent Items") == 0);
	snprintf(buf, sizeof(buf), "Big Plan 100%%");
	CHECK(dump_split(buf, 1, "folder", f, 1) == NULL && strcmp(f[0], "Big Plan 100%") == 0);
	snprintf(buf, sizeof(buf), "a\tb");
	CHECK(dump_split(buf, 1, "acl", f, 3) != NULL);
	snprintf(buf, sizeof(buf), "/\t\tlr");
	CHECK(dump_split(buf, 1, "acl", f, 3) != NULL);
	buf[0] = '\0';
	CHECK(dump_split(buf, 1, "folder", f, 1) != NULL);
	snprintf(buf, sizeof(buf), "7 1 2 3 sha folder without tab");
	CHECK(dump_split(buf, 1, "message", f, 6) != NULL);
}

static void t_numbers(void)
{
	uint64_t u;
	int64_t i;
	unsigned char sha[32], back[65];
	CHECK(dump_parse_u64("0", &u) == 0 && u == 0);
	CHECK(dump_parse_u64("18446744073709551615", &u) == 0 && u == UINT64_MAX);
	CHECK(dump_parse_u64("18446744073709551616", &u) == -1);
	CHECK(dump_parse_u64("-1", &u) == -1 && dump_parse_u64(" 1", &u) == -1);
	CHECK(dump_parse_u64("+1", &u) == -1 && dump_parse_u64("1x", &u) == -1);
	CHECK(dump_parse_u64("", &u) == -1);
	CHECK(dump_parse_i64("-9223372036854775808", &i) == 0 && i == INT64_MIN);
	CHECK(dump_parse_i64("9223372036854775807", &i) == 0 && i == INT64_MAX);
	CHECK(dump_parse_i64("9223372036854775808", &i) == -1);
	CHECK(dump_parse_i64("-9223372036854775809", &i) == -1);
	CHECK(dump_parse_i64("-", &i) == -1 && dump_parse_i64("--1", &i) == -1);
	CHECK(dump_parse_i64("-86400", &i) == 0 && i == -86400);

	const char *hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	CHECK(dump_parse_sha256(hex, sha) == 0 && sha[1] == 0x11 && sha[31] == 0xff);
	dump_format_sha256(sha, (char *)back);
	CHECK(strcmp((char *)back, hex) == 0);
	CHECK(dump_parse_sha256("00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff",
				sha) == -1);
	CHECK(dump_parse_sha256("0011", sha) == -1);
	CHECK(dump_parse_sha256("g0112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
				sha) == -1);
}

int main(void)
{
	RUN(t_escape_round_trip);
	RUN(t_split_refuses);
	RUN(t_split_version1);
	RUN(t_numbers);
	return 0;
}
