/*
 * inet.c — inet_ntop() for kbdiag.exe (include/arpa/inet.h), written as
 * glibc's prints, so an address reads the same in a report from either
 * build: RFC 5952's longest run of two or more zero groups as "::" (the
 * first when two are as long), lower-case hex, and the last 32 bits as
 * dotted decimal for IPv4-compatible and -mapped addresses ("::1.2.3.4",
 * "::ffff:1.2.3.4"), as glibc's inet_ntop6 does.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arpa/inet.h"

static const char *ntop4(const unsigned char *a, char *dst, socklen_t size)
{
	char buf[16];
	snprintf(buf, sizeof(buf), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	if (strlen(buf) >= (size_t)size)
		return errno = ENOSPC, NULL;
	return strcpy(dst, buf);
}

/* The longest run of zero groups (two at least): its start, or -1. */
static int zero_run(const uint16_t w[8], int *len)
{
	int best = -1, best_len = 0;
	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && w[j] == 0)
			j++;
		if (j - i > best_len)
			best = i, best_len = j - i;
		i = j > i ? j : i + 1;
	}
	*len = best_len;
	return best_len >= 2 ? best : -1;
}

static const char *ntop6(const unsigned char *a, char *dst, socklen_t size)
{
	uint16_t w[8];
	for (int i = 0; i < 8; i++)
		w[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
	int len, run = zero_run(w, &len);
	char buf[64], *p = buf;
	for (int i = 0; i < 8; i++) {
		if (run >= 0 && i >= run && i < run + len) {
			if (i == run)
				*p++ = ':';
			continue;
		}
		if (i)
			*p++ = ':';
		if (i == 6 && run == 0 && (len == 6 || (len == 5 && w[5] == 0xffff))) {
			ntop4(a + 12, p, (socklen_t)(sizeof(buf) - (size_t)(p - buf)));
			p += strlen(p);
			break;
		}
		p += sprintf(p, "%x", w[i]);
	}
	if (run >= 0 && run + len == 8)
		*p++ = ':';
	*p = '\0';
	if ((size_t)(p - buf) >= (size_t)size)
		return errno = ENOSPC, NULL;
	return strcpy(dst, buf);
}

const char *kbu_inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
	if (af == AF_INET)
		return ntop4(src, dst, size);
	if (af == AF_INET6)
		return ntop6(src, dst, size);
	errno = EAFNOSUPPORT;
	return NULL;
}
