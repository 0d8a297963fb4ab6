/*
 * filemap.c — a file mapped for one reading, its pages given back behind
 * the reader (filemap.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filemap.h"
#include "readfd.h"
#include "xalloc.h"

/* A pipe or a device: read to its end. */
static int read_whole(struct kbu_filemap *m, int fd)
{
	size_t len;
	char *buf = kbu_read_to_end(fd, SIZE_MAX - 1, &len); /* no bound but memory */
	if (!buf)
		return -1;
	*m = (struct kbu_filemap){buf, len, buf, false};
	return 0;
}

static int map_fd(struct kbu_filemap *m, int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -1;
	if (S_ISDIR(st.st_mode))
		return errno = EISDIR, -1;
	if (!S_ISREG(st.st_mode) || st.st_size == 0) /* nothing to map in an empty file */
		return read_whole(m, fd);
	if ((uintmax_t)st.st_size > SIZE_MAX)
		return errno = EFBIG, -1;
	size_t len = (size_t)st.st_size;
	void *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return -1;
	madvise(p, len, MADV_SEQUENTIAL); /* a hint: read ahead, and early */
	*m = (struct kbu_filemap){p, len, p, true};
	return 0;
}

int kbu_filemap_open(struct kbu_filemap *m, const char *path)
{
	*m = (struct kbu_filemap){0};
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = map_fd(m, fd);
	int e = errno;
	close(fd); /* the mapping keeps the file */
	errno = e;
	return rc;
}

static const char *page_start(const char *p)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	return (const char *)((uintptr_t)p & ~(page - 1));
}

void kbu_filemap_release(struct kbu_filemap *m, const char *upto)
{
	if (!m->mapped)
		return;
	if (upto < m->kept) { /* the reader went back: keep from there */
		m->kept = page_start(upto);
		return;
	}
	if ((size_t)(upto - m->kept) < KBU_FILEMAP_STEP)
		return;
	const char *to = page_start(upto); /* kept is a page's start already */
	madvise((void *)m->kept, (size_t)(to - m->kept), MADV_DONTNEED);
	m->kept = to;
}

void kbu_filemap_close(struct kbu_filemap *m)
{
	if (m->mapped)
		munmap((void *)m->text, m->len);
	else
		free((void *)m->text);
	*m = (struct kbu_filemap){0};
}
