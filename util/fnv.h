/*
 * fnv.h — the FNV-1a hash of a byte string (Fowler, Noll and Vo's public
 * domain function, 32-bit): the rule files' name sets' hash, over short
 * names.  Long texts go through texthash.h.
 */
#ifndef KBDIAG_FNV_H
#define KBDIAG_FNV_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t kbu_fnv1a(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

#endif
