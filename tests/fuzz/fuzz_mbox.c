/*
 * fuzz_mbox.c -- libFuzzer harness for mbox reading and writing
 * (admin/mbox.c), what mailrpc-admin import and export use.  The first
 * byte chooses:
 *   even: the rest is a file, read as mboxrd or mboxo (bit 1) with a size
 *         limit taken from the second byte; every message it yields must
 *         lie within that limit and the reader must end;
 *   odd:  the rest is up to four messages (split at each "\0\377") with a
 *         received time; written as mboxrd and read back, each must come
 *         back byte-exact (a final newline added if it had none, as
 *         mbox.h says) with its time, none more, none fewer.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mbox.h"
#include "scratch.h"

#define MESSAGES_MAX 4
#define RECEIVED_MAX 253402300799LL /* 9999-12-31T23:59:59Z: four-digit years */

static void read_all(const char *path, int mboxo, size_t max)
{
	struct mbox_reader *r = NULL;
	struct mbox_msg m;
	unsigned long last_line = 0;
	int rc;
	FUZZ_CHECK(mbox_open(path, mboxo, max, &r) == 0);
	while ((rc = mbox_next(r, &m)) == 1) {
		if (m.len > max)
			fuzz_fail("a message of %zu bytes passed the limit of %zu", m.len, max);
		/* Every byte of it is readable (ASan says if not). */
		unsigned char sum = 0;
		for (size_t i = 0; i < m.len; i++)
			sum ^= (unsigned char)m.body[i];
		*(volatile unsigned char *)&sum;
		if (m.line <= last_line && last_line != 0)
			fuzz_fail("message at line %lu after one at line %lu", m.line, last_line);
		last_line = m.line;
	}
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(mbox_done(r) == mbox_size(r));
	mbox_close(&r);
}

struct msg {
	const uint8_t *p;
	size_t len;
};

static size_t split(const uint8_t *p, size_t n, struct msg *out)
{
	size_t count = 0;
	while (count < MESSAGES_MAX - 1) {
		const uint8_t *sep = memmem(p, n, "\0\377", 2);
		if (sep == NULL)
			break;
		out[count++] = (struct msg){p, (size_t)(sep - p)};
		n -= (size_t)(sep - p) + 2;
		p = sep + 2;
	}
	out[count++] = (struct msg){p, n};
	return count;
}

static void round_trip(const uint8_t *data, size_t size)
{
	struct msg msgs[MESSAGES_MAX];
	int64_t received = 0;
	if (size < 4)
		return;
	received = (int64_t)((uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 |
			     (uint32_t)data[2] << 8 | data[3]) *
		   59;
	if (received > RECEIVED_MAX)
		received = RECEIVED_MAX;
	size_t n = split(data + 4, size - 4, msgs);
	const char *path = scratch_path(0, "round.mbox");
	FILE *f = fopen(path, "w");
	FUZZ_CHECK(f != NULL);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(mbox_write(f, msgs[i].p, msgs[i].len, received) == 0);
	FUZZ_CHECK(fclose(f) == 0);

	struct mbox_reader *r = NULL;
	struct mbox_msg m;
	FUZZ_CHECK(mbox_open(path, 0, SIZE_MAX, &r) == 0);
	for (size_t i = 0; i < n; i++) {
		if (mbox_next(r, &m) != 1)
			fuzz_fail("message %zu of %zu did not come back", i + 1, n);
		const struct msg *w = &msgs[i];
		int newline = w->len == 0 || w->p[w->len - 1] != '\n';
		if (m.problem != NULL)
			fuzz_fail("message %zu came back as a problem: %s", i + 1, m.problem);
		if (m.len != w->len + newline || memcmp(m.body, w->p, w->len) != 0 ||
		    (newline && m.body[w->len] != '\n'))
			fuzz_fail("message %zu: %zu bytes written, %zu read back, or others", i + 1,
				  w->len, m.len);
		if (m.received != received)
			fuzz_fail("message %zu: received %lld written, %lld read back", i + 1,
				  (long long)received, (long long)m.received);
	}
	if (mbox_next(r, &m) != 0)
		fuzz_fail("more than the %zu messages written came back", n);
	mbox_close(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	if (data[0] & 1) {
		round_trip(data + 1, size - 1);
		return 0;
	}
	const char *path = scratch_path(0, "in.mbox");
	scratch_write(path, data + 2, size - 2);
	read_all(path, (data[0] >> 1) & 1, 16 + (size_t)data[1] * 64);
	return 0;
}
