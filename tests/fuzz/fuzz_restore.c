/*
 * fuzz_restore.c -- libFuzzer harness for mailrpc-admin restore and dump,
 * run in-process (admin_restore, admin_dump) on a scratch store: any
 * bytes as a dump file (docs/dump-format.md, versions 1 and 2).
 *
 * What must hold (docs/dump-format.md, "Guarantees"): a dump restore
 * refuses creates no mailbox; one it accepts gives a store that passes
 * store_verify, and dumping that mailbox gives a dump that restores in
 * turn to the same dump, byte for byte (nothing lost or changed on the
 * way round).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin_shell.h"
#include "scratch.h"

static void seed(store_t *st)
{
	uint64_t id;
	const char *text = "Subject: not bob's\n\nleft alone\n";
	/* Small limits, so that dumps over them are within the fuzzer's reach. */
	FUZZ_CHECK(store_policy_set(st, STORE_POLICY_MAX_MESSAGE, 4096) == STORE_OK);
	FUZZ_CHECK(store_policy_set(st, STORE_POLICY_DEFAULT_QUOTA, 6000) == STORE_OK);
	FUZZ_CHECK(store_mailbox_ensure(st, "alice") == STORE_OK);
	FUZZ_CHECK(store_message_append(st, "alice", "Inbox", text, strlen(text), 0, 1700000000,
					&id) == STORE_OK);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	scratch_quiet();
	return 0;
}

static void dump(store_t *st, const char *path)
{
	char *argv[] = {"dump", "bob", (char *)path, NULL};
	unlink(path);
	if (admin_shell_run(st, admin_dump, argv) != 0)
		fuzz_fail("a restored mailbox does not dump");
}

static void restore(store_t *st, const char *path, const char *what)
{
	char *argv[] = {"restore", "bob", (char *)path, NULL};
	if (admin_shell_run(st, admin_restore, argv) != 0)
		fuzz_fail("%s does not restore", what);
}

static char *slurp(const char *path, size_t *len_r)
{
	FILE *f = fopen(path, "r");
	FUZZ_CHECK(f != NULL);
	char *buf = NULL;
	size_t cap = 0;
	FUZZ_CHECK(getdelim(&buf, &cap, '\0', f) >= 0 || feof(f));
	rewind(f);
	*len_r = fread(buf, 1, cap, f);
	fclose(f);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	store_t *st = scratch_store(seed);
	store_mailbox_info_t info;
	const char *in = scratch_path(0, "in.dump"), *one = scratch_path(1, "one.dump"),
		   *two = scratch_path(2, "two.dump");
	scratch_write(in, data, size);
	char *argv[] = {"restore", "bob", (char *)in, NULL};
	int rc = admin_shell_run(st, admin_restore, argv);
	if (getenv("FUZZ_VERBOSE") != NULL)
		dprintf(2, "restore exited %d\n", rc);
	if (rc != 0) {
		if (store_mailbox_info(st, "bob", &info) != STORE_NOTFOUND)
			fuzz_fail("a refused dump (exit %d) left a mailbox", rc);
		scratch_verify(st);
		return 0;
	}
	scratch_verify(st);
	dump(st, one);
	FUZZ_CHECK(store_mailbox_delete(st, "bob") == STORE_OK);
	restore(st, one, "the dump of a restored mailbox");
	dump(st, two);
	size_t n1, n2;
	char *d1 = slurp(one, &n1), *d2 = slurp(two, &n2);
	if (n1 != n2 || memcmp(d1, d2, n1) != 0)
		fuzz_fail("dump, restore, dump: the two dumps differ (%zu and %zu bytes)", n1, n2);
	free(d1);
	free(d2);
	scratch_verify(st);
	return 0;
}
