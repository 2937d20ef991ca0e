/*
 * cmd_policy.c -- `policy`: show and change the store's policy (limits
 * every process applies: store.h, "policy").  Values are written as the
 * key's type says: bytes with K/M/G (powers of 1024), durations with s/m/h/d
 * (a bare number is days, fractions allowed), counts as plain numbers.
 * Works by type, never by key: a new row in the store's table needs
 * nothing here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/bytes.h"
#include "admin.h"

#define SYNOPSIS "policy [show] | policy set KEY VALUE | policy unset KEY"

static int parse_duration(const char *text, uint64_t *v_r)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	double unit = 86400;
	if (end == text || errno != 0 || !(v >= 0))
		return -1;
	switch (*end) {
	case 's':
		unit = 1;
		end++;
		break;
	case 'm':
		unit = 60;
		end++;
		break;
	case 'h':
		unit = 3600;
		end++;
		break;
	case 'd':
		end++;
		break;
	}
	if (*end != '\0' || v * unit > 1e18)
		return -1;
	*v_r = (uint64_t)(v * unit);
	if (*v_r == 0 && v > 0)
		*v_r = 1; /* a fraction of a second is the shortest there is */
	return 0;
}

static int parse_value(int type, const char *text, uint64_t *v_r)
{
	unsigned long long v;
	char *end;
	switch (type) {
	case STORE_POLICY_BYTES:
		if (bytes_parse(text, &v) != 0)
			return -1;
		*v_r = v;
		return 0;
	case STORE_POLICY_SECONDS:
		return parse_duration(text, v_r);
	default:
		errno = 0;
		v = strtoull(text, &end, 10);
		if (end == text || *end != '\0' || errno != 0 || text[0] == '-')
			return -1;
		*v_r = v;
		return 0;
	}
}

/* The largest unit that divides v exactly ("3M", "30d"). */
static const char *format_value(int type, uint64_t v, char *buf, size_t size)
{
	static const struct {
		int type;
		uint64_t unit;
		const char *suffix;
	} units[] = {
	    {STORE_POLICY_BYTES, 1ull << 30, "G"}, {STORE_POLICY_BYTES, 1ull << 20, "M"},
	    {STORE_POLICY_BYTES, 1ull << 10, "K"}, {STORE_POLICY_SECONDS, 86400, "d"},
	    {STORE_POLICY_SECONDS, 3600, "h"},	   {STORE_POLICY_SECONDS, 60, "m"},
	    {STORE_POLICY_SECONDS, 1, "s"},
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (units[i].type == type && v != 0 && v % units[i].unit == 0) {
			snprintf(buf, size, "%llu%s", (unsigned long long)(v / units[i].unit),
				 units[i].suffix);
			return buf;
		}
	snprintf(buf, size, "%llu", (unsigned long long)v);
	return buf;
}

static int show(store_t *st)
{
	printf("%-16s %-10s %-8s %s\n", "KEY", "VALUE", "SOURCE", "MEANING");
	for (int key = 0; key < STORE_POLICY_KEYS; key++) {
		const store_policy_def_t *d = store_policy_def(key);
		uint64_t v;
		int set;
		char text[32];
		int rc = store_policy_get(st, key, &v, &set);
		if (rc != STORE_OK)
			return admin_fail(d->name, rc);
		printf("%-16s %-10s %-8s %s\n", d->name,
		       format_value(d->type, v, text, sizeof(text)), set ? "set" : "default",
		       d->description);
	}
	return 0;
}

/* The key named by the argument, or a usage error listing the keys. */
static int find_key(const char *name, int *key_r)
{
	if (store_policy_find(name, key_r) == STORE_OK)
		return 0;
	fprintf(stderr, "mailrpc-admin: policy: no key \"%s\"; keys:", name);
	for (int key = 0; key < STORE_POLICY_KEYS; key++)
		fprintf(stderr, " %s", store_policy_def(key)->name);
	fputc('\n', stderr);
	return 64;
}

static int set(store_t *st, const char *name, const char *text)
{
	static const char *const how[] = {
	    [STORE_POLICY_BYTES] = "bytes, with K, M or G",
	    [STORE_POLICY_SECONDS] = "a duration: N followed by s, m, h or d (bare N: days)",
	    [STORE_POLICY_COUNT] = "a whole number",
	};
	char lo[32], hi[32];
	uint64_t v;
	int key, rc = find_key(name, &key);
	if (rc != 0)
		return rc;
	const store_policy_def_t *d = store_policy_def(key);
	if (parse_value(d->type, text, &v) != 0 || v < d->min || v > d->max) {
		fprintf(stderr, "mailrpc-admin: policy: %s takes %s, from %s to %s; not \"%s\"\n",
			name, how[d->type], format_value(d->type, d->min, lo, sizeof(lo)),
			format_value(d->type, d->max, hi, sizeof(hi)), text);
		return 64;
	}
	rc = store_policy_set(st, key, v);
	return rc == STORE_OK ? 0 : admin_fail(name, rc);
}

int admin_policy(struct admin *a, int argc, char **argv)
{
	int key;
	if (argc == 1 || (argc == 2 && strcmp(argv[1], "show") == 0))
		return show(admin_store(a));
	if (argc == 4 && strcmp(argv[1], "set") == 0)
		return set(admin_store(a), argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "unset") == 0) {
		int rc = find_key(argv[2], &key);
		if (rc == 0 && (rc = store_policy_unset(admin_store(a), key)) != STORE_OK)
			rc = admin_fail(argv[2], rc);
		return rc;
	}
	return admin_usage(SYNOPSIS);
}
