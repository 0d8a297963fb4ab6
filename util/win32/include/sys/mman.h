/*
 * sys/mman.h — the part of POSIX mappings kbdiag uses, for kbdiag.exe
 * (util/win32/mman.c): a whole file mapped read-only from offset 0
 * (CreateFileMapping, MapViewOfFile), and anonymous memory
 * (VirtualAlloc).  MAP_NORESERVE cannot be had: anonymous memory is
 * committed whole when mapped.  madvise() is a hint Windows mostly lacks:
 * MADV_DONTNEED lets it discard anonymous pages (MEM_RESET), whose
 * contents are then undefined rather than zero (kbdiag writes them before
 * reading them again); the others do nothing.
 */
#ifndef KBDIAG_UTIL_WIN32_SYS_MMAN_H
#define KBDIAG_UTIL_WIN32_SYS_MMAN_H

#include <stddef.h>
#include <sys/types.h>

#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_PRIVATE 2
#define MAP_ANONYMOUS 0x20
#define MAP_NORESERVE 0x4000
#define MAP_FAILED ((void *)-1)
#define MADV_SEQUENTIAL 2
#define MADV_DONTNEED 4
#define MADV_HUGEPAGE 14
#define _SC_PAGESIZE 30

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int madvise(void *addr, size_t len, int advice);
/* _SC_PAGESIZE only. */
long sysconf(int name);

#endif
