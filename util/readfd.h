/*
 * readfd.h — reading a descriptor through the system's interruptions: a
 * read() or pread() cut short by a signal (EINTR) is made again, and the
 * "whole" forms go on after a short read, which a pipe, a terminal or a
 * file in /proc gives whenever it has less at hand than was asked.
 */
#ifndef KBDIAG_UTIL_READFD_H
#define KBDIAG_UTIL_READFD_H

#include <stddef.h>
#include <sys/types.h>

/* One read(2), made again while a signal interrupts it: the count read
 * (0 at the end), or -1 with errno set. */
ssize_t kbu_read_retry(int fd, void *buf, size_t n);

/* buf[0..n) filled from fd, or as much as comes before its end: the count
 * read, or -1 with errno set when a read fails. */
ssize_t kbu_read_full(int fd, void *buf, size_t n);
/* The same from offset off of a file (pread(2): fd's offset is left). */
ssize_t kbu_pread_full(int fd, void *buf, size_t n, off_t off);

/* fd read to its end, or its first max bytes: a heap buffer (free()) with a
 * NUL after the *len bytes, or NULL with errno set when a read fails.  A
 * regular file's size sizes the buffer at once; /proc files say size 0,
 * and pipes none, so otherwise it grows as it fills. */
char *kbu_read_to_end(int fd, size_t max, size_t *len);

#endif
