/*
 * fuzz_import.c -- libFuzzer harness for mailrpc-admin import, run
 * in-process (admin_import, as the command line does) into a scratch
 * store.  The first byte chooses an mbox file (bit 0 clear; bit 1:
 * --mboxo) or a Maildir (bit 0 set), and the folder (bit 2: a new
 * "Archive/2024" rather than Inbox, which holds a message already).  A
 * Maildir is built from the rest of the input, entry by entry:
 *   u8 kind and place (bit 0: cur/ rather than new/; bits 1-2: a file,
 *      a symbolic link to a file outside, a directory, a FIFO)
 *   u8 name length (at most 40), the name ('/' and NUL made '_')
 *   u8 mtime (hours after a fixed date), u16 length (big-endian), the bytes
 *
 * What must hold: the store passes store_verify; every message in the
 * folder is the one that was there or byte-exact one the source holds
 * (an mbox message as mbox.h reads it, a Maildir regular file: never
 * what a link points at, never a FIFO's); and importing the same source
 * again adds nothing (import.h: an interrupted import is simply rerun).
 */
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "admin_shell.h"
#include "mbox.h"
#include "scratch.h"

#define MAX_MESSAGE 8192 /* the store's policy: larger messages are refused */
#define SOURCE_MAX 256
#define SEEDED "From: someone\n\nalready in the Inbox\n"

struct sums {
	unsigned char sha[SOURCE_MAX + 1][32];
	size_t n;
};

static void sum_add(struct sums *s, const void *p, size_t len)
{
	if (s->n < SOURCE_MAX + 1)
		FUZZ_CHECK(EVP_Digest(p, len, s->sha[s->n++], NULL, EVP_sha256(), NULL) == 1);
}

static int sum_has(const struct sums *s, const unsigned char *sha)
{
	for (size_t i = 0; i < s->n; i++)
		if (memcmp(s->sha[i], sha, 32) == 0)
			return 1;
	return 0;
}

static void seed(store_t *st)
{
	uint64_t id;
	FUZZ_CHECK(store_policy_set(st, STORE_POLICY_MAX_MESSAGE, MAX_MESSAGE) == STORE_OK);
	FUZZ_CHECK(store_mailbox_ensure(st, "alice") == STORE_OK);
	FUZZ_CHECK(store_message_append(st, "alice", "Inbox", SEEDED, strlen(SEEDED), 0, 1700000000,
					&id) == STORE_OK);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *secret = "From: root\n\nthe target of a planted link\n";
	scratch_write(scratch_path(0, "outside"), secret, strlen(secret));
	scratch_quiet();
	return 0;
}

/* What mbox.h reads from the file: the messages import may store. */
static void mbox_sums(const char *path, int mboxo, struct sums *s)
{
	struct mbox_reader *r = NULL;
	struct mbox_msg m;
	FUZZ_CHECK(mbox_open(path, mboxo, MAX_MESSAGE, &r) == 0);
	while (mbox_next(r, &m) == 1)
		if (m.problem == NULL)
			sum_add(s, m.body, m.len);
	mbox_close(&r);
}

static uint32_t get16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

/* One entry of the Maildir; the regular files' bytes are what import may store. */
static void make_entry(const char *dir, const uint8_t *name, size_t nlen, int how, int mtime,
		       const uint8_t *data, size_t len, struct sums *s)
{
	char path[1024], clean[64];
	size_t n = 0;
	if (nlen == 0 || (nlen <= 2 && memcmp(name, "..", nlen) == 0))
		clean[n++] = 'x';
	for (size_t i = 0; i < nlen; i++)
		clean[n++] = name[i] == '/' || name[i] == '\0' ? '_' : (char)name[i];
	clean[n] = '\0';
	snprintf(path, sizeof(path), "%s/%s/%s", dir, (how & 1) ? "cur" : "new", clean);
	switch ((how >> 1) & 3) {
	case 0: {
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd < 0)
			return; /* the name is taken */
		FUZZ_CHECK(write(fd, data, len) == (ssize_t)len);
		close(fd);
		sum_add(s, data, len);
		break;
	}
	case 1:
		if (symlink(scratch_path(0, "outside"), path) != 0)
			return;
		break;
	case 2:
		if (mkdir(path, 0700) != 0)
			return;
		break;
	default:
		if (mkfifo(path, 0600) != 0)
			return;
		break;
	}
	struct timespec t[2] = {{1700000000 + mtime * 3600, 0}, {1700000000 + mtime * 3600, 0}};
	utimensat(AT_FDCWD, path, t, AT_SYMLINK_NOFOLLOW);
}

static void make_maildir(const char *dir, const uint8_t *p, size_t n, struct sums *s)
{
	static const char *const subs[] = {"", "/new", "/cur", "/tmp"};
	char path[1024];
	scratch_remove(dir);
	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s%s", dir, subs[i]);
		FUZZ_CHECK(mkdir(path, 0700) == 0);
	}
	for (size_t entries = 0; n >= 2 && entries < SOURCE_MAX; entries++) {
		int how = p[0];
		size_t nlen = p[1] % 41;
		if (n < 2 + nlen + 3)
			break;
		const uint8_t *name = p + 2;
		int mtime = p[2 + nlen];
		size_t len = get16(p + 3 + nlen), at = 5 + nlen;
		if (len > n - at)
			len = n - at;
		make_entry(dir, name, nlen, how, mtime, p + at, len, s);
		p += at + len;
		n -= at + len;
	}
}

/* The folder's messages, each the seeded one or one of the source's. */
static size_t check_folder(store_t *st, const char *folder, const struct sums *source)
{
	store_list_query_t q = {.sort = STORE_SORT_ID, .limit = STORE_LIST_MAX};
	store_msglist_t *page = NULL;
	size_t count = 0;
	int more;
	do {
		FUZZ_CHECK(store_message_list(st, "alice", folder, &q, &page) == STORE_OK);
		for (size_t i = 0; i < page->count; i++)
			if (!sum_has(source, page->items[i].sha256))
				fuzz_fail("message %llu in %s is not from the source",
					  (unsigned long long)page->items[i].id, folder);
		count += page->count;
		q.offset += page->count;
		more = page->more && page->count > 0;
		store_msglist_free(&page);
	} while (more);
	return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sums source;
	if (size < 1)
		return 0;
	store_t *st = scratch_store(seed);
	int maildir = data[0] & 1, mboxo = (data[0] >> 1) & 1;
	char *folder = (data[0] & 4) ? "Archive/2024" : "Inbox";
	const char *path = scratch_path(1, maildir ? "maildir" : "in.mbox");
	source.n = 0;
	sum_add(&source, SEEDED, strlen(SEEDED));
	if (maildir) {
		make_maildir(path, data + 1, size - 1, &source);
	} else {
		scratch_write(path, data + 1, size - 1);
		mbox_sums(path, mboxo, &source);
	}
	char *argv[] = {
	    "import", "alice", (char *)path, "--folder", folder, mboxo ? "--mboxo" : NULL, NULL};
	int rc = admin_shell_run(st, admin_import, argv);
	if (rc != 0 && rc != 1)
		fuzz_fail("import exited %d", rc);
	size_t first = check_folder(st, folder, &source);
	rc = admin_shell_run(st, admin_import, argv);
	if (rc != 0 && rc != 1)
		fuzz_fail("import again exited %d", rc);
	size_t again = check_folder(st, folder, &source);
	if (again != first)
		fuzz_fail("importing the same source again went from %zu to %zu messages", first,
			  again);
	scratch_verify(st);
	return 0;
}
