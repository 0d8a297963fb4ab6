/*
 * xalloc.c — see xalloc.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

_Noreturn void kbu_oom(void)
{
	fputs("kbdiag: out of memory\n", stderr);
	abort();
}

void *kbu_malloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		kbu_oom();
	return p;
}

void *kbu_calloc(size_t n, size_t size)
{
	void *p = n && size ? calloc(n, size) : calloc(1, 1);
	if (!p)
		kbu_oom();
	return p;
}

void *kbu_realloc(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		kbu_oom();
	size_t bytes = n * size;
	void *q = realloc(p, bytes ? bytes : 1);
	if (!q)
		kbu_oom();
	return q;
}

char *kbu_strdup(const char *s)
{
	return kbu_memdup(s, strlen(s) + 1);
}

char *kbu_strndup(const char *s, size_t n)
{
	const char *nul = memchr(s, '\0', n);
	size_t len = nul ? (size_t)(nul - s) : n;
	char *d = kbu_malloc(len + 1);
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

void *kbu_memdup(const void *p, size_t size)
{
	void *d = kbu_malloc(size);
	if (size)
		memcpy(d, p, size);
	return d;
}
