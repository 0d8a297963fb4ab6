/*
 * posix.c — the POSIX functions posix.h declares, for kbdiag.exe, over
 * the C runtime and Win32.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <windows.h>

#include "posix.h"
#ifdef _WIN64 /* the C runtime's, under kbu_win32_stat */
#undef _stat64
#else
#undef _stati64
#endif

int kbu_win32_stat(const char *path, struct stat *st)
{
	size_t n = strlen(path);
	while (n > 1 && (path[n - 1] == '/' || path[n - 1] == '\\') && path[n - 2] != ':')
		n--;
	if (path[n] == '\0')
		return stat(path, st);
	char *cut = malloc(n + 1);
	if (!cut)
		return errno = ENOMEM, -1;
	memcpy(cut, path, n);
	cut[n] = '\0';
	int rc = stat(cut, st);
	free(cut);
	return rc;
}

int fcntl(int fd, int cmd, ...)
{
	if (cmd == F_DUPFD_CLOEXEC)
		return dup(fd);
	if (cmd == F_SETFD)
		return 0;
	errno = EINVAL;
	return -1;
}

int fchmod(int fd, mode_t mode)
{
	(void)fd, (void)mode; /* a new file's ACL is its folder's */
	return 0;
}

void *memmem(const void *hay, size_t haylen, const void *needle, size_t len)
{
	const char *h = hay, *end = h + haylen;
	if (len == 0)
		return (void *)hay;
	for (; (size_t)(end - h) >= len; h++) {
		h = memchr(h, *(const char *)needle, (size_t)(end - h) - len + 1);
		if (!h)
			return NULL;
		if (memcmp(h, needle, len) == 0)
			return (void *)h;
	}
	return NULL;
}

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar
 * (H. Hinnant's days_from_civil, http://howardhinnant.github.io/date_algorithms.html). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

time_t timegm(struct tm *tm)
{
	int64_t y = tm->tm_year + 1900LL + tm->tm_mon / 12;
	int m = tm->tm_mon % 12;
	if (m < 0)
		m += 12, y--;
	int64_t days = days_from_civil(y, m + 1, 1) + tm->tm_mday - 1;
	return (time_t)(((days * 24 + tm->tm_hour) * 60 + tm->tm_min) * 60 + tm->tm_sec);
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	int64_t was = _lseeki64(fd, 0, SEEK_CUR);
	if (was < 0 || _lseeki64(fd, off, SEEK_SET) < 0)
		return -1;
	int got = read(fd, buf, n > INT32_MAX ? INT32_MAX : (unsigned)n);
	int e = errno;
	if (_lseeki64(fd, was, SEEK_SET) < 0)
		return -1;
	errno = e;
	return got;
}

char *realpath(const char *path, char *resolved)
{
	struct stat st;
	if (kbu_win32_stat(path, &st) < 0)
		return NULL;
	char *full = _fullpath(resolved, path, PATH_MAX);
	if (!full)
		return NULL;
	for (char *p = full; *p; p++)
		*p = *p == '\\' ? '/' : *p;
	size_t n = strlen(full);
	while (n > 3 && full[n - 1] == '/') /* "C:/" keeps its own */
		full[--n] = '\0';
	return full;
}

/* CLOCK_MONOTONIC only (the one kbdiag times with): the performance
 * counter, there since Windows 2000. */
int clock_gettime(clockid_t id, struct timespec *ts)
{
	static LARGE_INTEGER freq;
	LARGE_INTEGER now;
	if (id != CLOCK_MONOTONIC || (!freq.QuadPart && !QueryPerformanceFrequency(&freq)) ||
	    !QueryPerformanceCounter(&now)) {
		errno = EINVAL;
		return -1;
	}
	ts->tv_sec = (time_t)(now.QuadPart / freq.QuadPart);
	ts->tv_nsec = (long)((now.QuadPart % freq.QuadPart) * 1000000000 / freq.QuadPart);
	return 0;
}
