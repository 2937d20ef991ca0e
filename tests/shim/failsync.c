/*
 * failsync.c -- LD_PRELOAD shim for t_faults_sync.sh: the flush that
 * follows an LMDB commit fails with EIO, everything else works.
 *
 * LMDB commits by writing the transaction's pages, syncing them, then
 * writing the meta page (at an offset below two pages) that makes it
 * visible; the store then flushes that meta page (mdb_env_sync).  So a
 * sync that comes right after a write below 8 KiB is that flush: this
 * shim fails exactly those, as a disk that fails after accepting a
 * commit would.
 */
#include <dlfcn.h>
#include <errno.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define META_END 8192 /* two 4 KiB meta pages */

static int meta_written; /* the last write was the meta page's */

#define REAL(name, type) ((type)dlsym(RTLD_NEXT, name))

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	meta_written = off < META_END;
	return REAL("pwrite", ssize_t(*)(int, const void *, size_t, off_t))(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
	meta_written = off < META_END;
	return REAL("pwrite64", ssize_t(*)(int, const void *, size_t, off_t))(fd, buf, n, off);
}

ssize_t pwritev(int fd, const struct iovec *iov, int n, off_t off)
{
	meta_written = off < META_END;
	return REAL("pwritev", ssize_t(*)(int, const struct iovec *, int, off_t))(fd, iov, n, off);
}

static int fail_after_meta(void)
{
	if (!meta_written)
		return 0;
	meta_written = 0;
	errno = EIO;
	return 1;
}

int fdatasync(int fd)
{
	return fail_after_meta() ? -1 : REAL("fdatasync", int (*)(int))(fd);
}

int fsync(int fd)
{
	return fail_after_meta() ? -1 : REAL("fsync", int (*)(int))(fd);
}
