/*
 * readfd.c — reading a descriptor through interruptions and short reads
 * (readfd.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "readfd.h"
#include "xalloc.h"

ssize_t kbu_read_retry(int fd, void *buf, size_t n)
{
	ssize_t got;
	while ((got = read(fd, buf, n)) < 0 && errno == EINTR)
		;
	return got;
}

/* kbu_read_full, or kbu_pread_full from off when positioned. */
static ssize_t fill(int fd, void *buf, size_t n, bool positioned, off_t off)
{
	size_t done = 0;
	while (done < n) {
		char *at = (char *)buf + done;
		ssize_t got = positioned ? pread(fd, at, n - done, off + (off_t)done) : read(fd, at, n - done);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0)
			break;
		done += (size_t)got;
	}
	return (ssize_t)done;
}

ssize_t kbu_read_full(int fd, void *buf, size_t n)
{
	return fill(fd, buf, n, false, 0);
}

ssize_t kbu_pread_full(int fd, void *buf, size_t n, off_t off)
{
	return fill(fd, buf, n, true, off);
}

char *kbu_read_to_end(int fd, size_t max, size_t *len)
{
	struct stat st;
	size_t cap = max < 65536 ? max : 65536, n = 0;
	/* one allocation, no copies, for a file that says its size */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		cap = (uint64_t)st.st_size < max ? (size_t)st.st_size + 1 : max;
	char *buf = kbu_malloc(cap + 1);
	for (ssize_t got = 1; n < max && got > 0; n += (size_t)got) {
		if (n == cap) {
			cap = cap > max / 2 ? max : cap * 2;
			buf = kbu_realloc(buf, cap + 1, 1);
		}
		if ((got = kbu_read_retry(fd, buf + n, cap - n)) < 0) {
			int e = errno;
			free(buf);
			errno = e;
			return NULL;
		}
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}
