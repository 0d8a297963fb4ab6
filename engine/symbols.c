/*
 * symbols.c — string interning.  Every string slot value is interned, so
 * the match compares strings by pointer, and each symbol knows its
 * lower-case twin so that case-insensitive tests are pointer compares too.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void grow(struct kb_symtab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	struct kb_symslot *slots = kbu_calloc(cap, sizeof(*slots));
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->slots[i].sym)
			continue;
		size_t j = t->slots[i].hash & (cap - 1);
		while (slots[j].sym)
			j = (j + 1) & (cap - 1);
		slots[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
}

static bool has_upper(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			return true;
	return false;
}

const char *kb_intern(struct kb_engine *eng, const char *s, size_t len)
{
	struct kb_symtab *t = &eng->syms;
	if (len > UINT32_MAX)
		kbu_oom(); /* symbol lengths are 32 bits: as if no memory were left */
	if ((t->count + 1) * 2 > t->cap)
		grow(t);
	uint32_t h = hash_bytes(s, len);
	size_t j = h & (t->cap - 1);
	for (struct kb_sym *y; (y = t->slots[j].sym); j = (j + 1) & (t->cap - 1))
		if (t->slots[j].hash == h && y->len == len && memcmp(y->text, s, len) == 0)
			return y->text;

	const char *lower = NULL;
	if (has_upper(s, len)) {
		char buf[256];
		char *tmp = len < sizeof(buf) ? buf : kbu_malloc(len + 1);
		for (size_t i = 0; i < len; i++)
			tmp[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
		lower = kb_intern(eng, tmp, len);
		if (tmp != buf)
			free(tmp);
		j = h & (t->cap - 1); /* the table may have grown */
		while (t->slots[j].sym)
			j = (j + 1) & (t->cap - 1);
	}
	struct kb_sym *y = kb_arena_alloc(&eng->arena, sizeof(*y) + len + 1);
	y->len = (uint32_t)len;
	memcpy(y->text, s, len);
	y->text[len] = '\0';
	y->lower = lower ? lower : y->text;
	t->slots[j] = (struct kb_symslot){h, y};
	t->count++;
	return y->text;
}

const char *kb_intern_cstr(struct kb_engine *eng, const char *s)
{
	return kb_intern(eng, s, strlen(s));
}

const char *kb_intern_lower(const char *interned)
{
	return kb_sym_of(interned)->lower;
}

void kb_symtab_free(struct kb_symtab *t)
{
	free(t->slots);
	memset(t, 0, sizeof(*t));
}
