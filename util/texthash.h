/*
 * texthash.h — a hash of a byte string taken eight bytes at a time, for
 * strings that can be long: the symbol table's (an event's message is
 * interned when its fact is kept) and cited records' check (cite.c).
 * FNV-1a (fnv.h) takes a multiply per byte, which on a traced run of a
 * million events was a tenth of its time.  Not stable across versions:
 * nothing keeps these hashes beyond the process.
 */
#ifndef KBDIAG_UTIL_TEXTHASH_H
#define KBDIAG_UTIL_TEXTHASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t kbu_text_hash_mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0xff51afd7ed558ccdULL;
	return h ^ (h >> 32);
}

static inline uint32_t kbu_text_hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		h = kbu_text_hash_mix(h, w);
	}
	if (i < len) { /* the last one to seven bytes, as the low bytes of a word */
		w = 0;
		memcpy(&w, s + i, len - i);
		h = kbu_text_hash_mix(h, w);
	}
	h = (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ULL;
	return (uint32_t)(h ^ (h >> 32));
}

#endif
