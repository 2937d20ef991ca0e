/*
 * scratch.h -- the harnesses' scratch directory and stores.
 *
 * A harness that needs a store builds it once, seeded, and keeps it open;
 * every input then starts from exactly the seeded records (scratch_store
 * puts them back), so an input's effect never leaks into the next one and
 * a crash found in a long run reproduces from its input alone.  (Copying
 * the file and opening the store again per input was 20 times slower:
 * opening an LMDB environment allocates megabytes, which ASan clears.)
 * Everything lives in one directory under $TMPDIR (the runner points it
 * at /dev/shm: the store's durable commits then cost no disk flush),
 * removed at exit.
 */
#ifndef MAILRPC_FUZZ_SCRATCH_H
#define MAILRPC_FUZZ_SCRATCH_H

#include <stddef.h>

#include "store.h"

/* What a harness puts in its pristine store (once). */
typedef void (*scratch_seed_fn)(store_t *st);

/* The scratch directory, made on first use; aborts if it cannot be. */
const char *scratch_dir(void);
/* DIR/name, in a static buffer per call slot (0..3). */
const char *scratch_path(int slot, const char *name);

/* The store at scratch_path(.., "store"): made and seeded on the first
 * call, its every record as seed left it on every later one.  The handle
 * stays open for the life of the process: never close it. */
store_t *scratch_store(scratch_seed_fn seed);

/* Writes len bytes to path (created or truncated); aborts on failure. */
void scratch_write(const char *path, const void *data, size_t len);
/* Removes path and everything under it; missing is fine. */
void scratch_remove(const char *path);

/* Silences the code under test's own messages (a command's per-message
 * reports, millions of times over), which it writes through stdio:
 * stdout and stderr become /dev/null.  Sanitizer reports and fuzz_fail
 * write to descriptor 2 and still show. */
void scratch_quiet(void);

/* Stops the harness on a broken invariant: prints why and aborts, which
 * libFuzzer reports as a crash with the input that caused it. */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
#define FUZZ_CHECK(expr)                                                                           \
	do {                                                                                       \
		if (!(expr))                                                                       \
			fuzz_fail("%s:%d: %s", __FILE__, __LINE__, #expr);                         \
	} while (0)

/* Checks the store with store_verify: any problem is fuzz_fail. */
void scratch_verify(store_t *st);

#endif
