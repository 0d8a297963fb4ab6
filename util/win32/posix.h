/*
 * posix.h — what kbdiag uses of POSIX and mingw-w64 lacks, for the
 * Windows build only: packaging/windows/windows.cmake includes it before
 * anything else in every source (-include), so the sources call the
 * POSIX names as on Linux.  The definitions are in util/win32/ C files
 * (kbutil).  sys/mman.h and iconv.h, which mingw has not at all, are
 * util/win32/include/.
 *
 * Paths are passed to the C runtime's ANSI functions: a name outside the
 * ANSI code page cannot be opened (UTF-8 paths are not converted yet).
 */
#ifndef KBDIAG_UTIL_WIN32_POSIX_H
#define KBDIAG_UTIL_WIN32_POSIX_H
#ifdef _WIN32

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf, as glibc declares it for the sources that ask */
#endif
#ifndef _FILE_OFFSET_BITS
#define _FILE_OFFSET_BITS 64 /* off_t, lseek, stat: 64-bit sizes */
#endif
#define _POSIX_THREAD_SAFE_FUNCTIONS 200112L /* time.h's gmtime_r, localtime_r */

#include <direct.h>
#include <fcntl.h>
#include <io.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h> /* declares _stat64 too: before the macro below */

/* Descriptors are never inherited by a child (kbdiag.exe starts none),
 * and Windows has no links a path string would follow unasked. */
#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif
#define O_NOFOLLOW 0
#define O_NOCTTY 0
#define O_NONBLOCK 0
#define O_DIRECTORY 0
#define S_ISLNK(m) 0
#define S_ISSOCK(m) 0
#define lstat stat
/* stat() is _stat64 here (_FILE_OFFSET_BITS; _stati64 on i686, whose
 * msvcrt has no _stat64 before XP), which fails on a folder named with a
 * slash at its end ("bundle/"): the slash is dropped first. */
int kbu_win32_stat(const char *path, struct stat *st);
#ifdef _WIN64
#define _stat64(path, st) kbu_win32_stat(path, st)
#else
#define _stati64(path, st) kbu_win32_stat(path, st)
#endif
#define mkdir(path, mode) _mkdir(path)

/* fcntl(): F_DUPFD_CLOEXEC (a dup()) and F_SETFD (nothing to do). */
#define F_DUPFD_CLOEXEC 1030
#define F_SETFD 2
#define FD_CLOEXEC 1
int fcntl(int fd, int cmd, ...);
int fchmod(int fd, mode_t mode);

void *memmem(const void *hay, size_t haylen, const void *needle, size_t len);
time_t timegm(struct tm *tm);
/* Reads at off without moving the descriptor's position, as POSIX says;
 * but as a seek, a read and a seek back, so not on a descriptor another
 * thread uses meanwhile. */
ssize_t pread(int fd, void *buf, size_t n, off_t off);
/* The absolute path (_fullpath, no link resolved) with '/' between names,
 * as kbdiag joins them ("C:/bundles/a", no separator at the end but a
 * drive's "C:/"), in resolved (PATH_MAX bytes) or
 * malloc'd when resolved is NULL; NULL with ENOENT when nothing is there. */
char *realpath(const char *path, char *resolved);
/* CLOCK_MONOTONIC only (declared by mingw's pthread_time.h, defined in
 * winpthreads, which kbdiag.exe does not link). */
int clock_gettime(clockid_t id, struct timespec *ts);
/* The Linux text of errno e (1..133): log lines quote Linux's texts. */
const char *strerrordesc_np(int e);

/* A stream into memory: *buf and *len are set when it is closed, by
 * fclose(), which is kbu_win32_fclose() here (a plain fclose() for any
 * other stream). */
FILE *open_memstream(char **buf, size_t *len);
int kbu_win32_fclose(FILE *f);
#define fclose kbu_win32_fclose

#endif
#endif
