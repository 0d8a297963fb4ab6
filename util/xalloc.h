/*
 * xalloc.h — allocation that does not fail.  kbdiag has one policy when
 * memory runs short: the process ends (kbu_oom(): one message on stderr,
 * then abort()).  The match cannot stop half way through a propagation,
 * and a diagnosis that silently lost a fact or a finding would be worse
 * than none, so no function here returns NULL and no caller checks.
 * Other allocations that fail only for lack of memory (a memory stream,
 * an XML parser) call kbu_oom() themselves.
 *
 * The one exception is the rules' Lua heap: its counting allocator
 * (engine/lua/state.c) returns NULL past its cap, because a rule that
 * allocates too much is a rule error, reported and survived.  It calls
 * realloc() itself and must keep doing so.  Library calls that return
 * NULL for other reasons than memory (jansson's json_string() on invalid
 * UTF-8, a parse error) keep their checks.
 *
 * Depends on nothing but libc, so any library may link it.
 */
#ifndef KBDIAG_UTIL_XALLOC_H
#define KBDIAG_UTIL_XALLOC_H

#include <stddef.h>

/* Writes the one out-of-memory message to stderr and aborts. */
_Noreturn void kbu_oom(void);

/* malloc(size); size 0 gives a unique pointer, as for 1. */
void *kbu_malloc(size_t size);
/* Zeroed n * size bytes; n or size 0 gives a unique pointer. */
void *kbu_calloc(size_t n, size_t size);
/* p resized to n * size bytes (p may be NULL); a product that overflows
 * size_t counts as a failed allocation.  0 bytes keeps a unique pointer. */
void *kbu_realloc(void *p, size_t n, size_t size);
/* A malloc'd copy of the string s. */
char *kbu_strdup(const char *s);
/* A malloc'd, NUL-terminated copy of s[0..n), stopping early at a NUL. */
char *kbu_strndup(const char *s, size_t n);
/* A malloc'd copy of size bytes at p. */
void *kbu_memdup(const void *p, size_t size);

#endif
