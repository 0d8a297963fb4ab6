/*
 * symbols.c — string interning.  Every string slot value is interned, so
 * the match compares strings by pointer.
 * The pre-filter (prefilter.c) asks about strings without interning them:
 * kb_intern_find() looks one up, and a transient symbol stands for one
 * that is not there.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "texthash.h"

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

/* The slot holding s[0..len) (hash h), or the empty one where it would go. */
static size_t slot_for(const struct kb_symtab *t, const char *s, size_t len, uint32_t h)
{
	size_t j = h & (t->cap - 1);
	for (struct kb_sym *y; (y = t->slots[j].sym); j = (j + 1) & (t->cap - 1))
		if (t->slots[j].hash == h && y->len == len && memcmp(y->text, s, len) == 0)
			break;
	return j;
}

const char *kb_intern_find(const struct kb_engine *eng, const char *s, size_t len)
{
	const struct kb_symtab *t = &eng->syms;
	if (!t->cap || len > UINT32_MAX)
		return NULL;
	const struct kb_sym *y = t->slots[slot_for(t, s, len, kbu_text_hash(s, len))].sym;
	return y ? y->text : NULL;
}

/* s[0..len) laid out as a symbol in buf. */
static struct kb_sym *sym_write(void *buf, const char *s, size_t len)
{
	struct kb_sym *y = buf;
	y->len = (uint32_t)len;
	memcpy(y->text, s, len);
	y->text[len] = '\0';
	return y;
}

const char *kb_intern(struct kb_engine *eng, const char *s, size_t len)
{
	struct kb_symtab *t = &eng->syms;
	if (len > UINT32_MAX)
		kbu_oom(); /* symbol lengths are 32 bits: as if no memory were left */
	if ((t->count + 1) * 2 > t->cap)
		grow(t);
	uint32_t h = kbu_text_hash(s, len);
	size_t j = slot_for(t, s, len, h);
	if (t->slots[j].sym)
		return t->slots[j].sym->text;

	struct kb_sym *y = sym_write(kb_arena_alloc(&eng->arena, sizeof(struct kb_sym) + len + 1), s, len);
	t->slots[j] = (struct kb_symslot){h, y};
	t->count++;
	return y->text;
}

const char *kb_intern_cstr(struct kb_engine *eng, const char *s)
{
	return kb_intern(eng, s, strlen(s));
}

size_t kb_sym_transient_size(size_t len)
{
	size_t align = _Alignof(struct kb_sym);
	return (offsetof(struct kb_sym, text) + len + 1 + align - 1) / align * align;
}

const char *kb_sym_transient(void *buf, const char *s, size_t len)
{
	return sym_write(buf, s, len)->text;
}

void kb_symtab_free(struct kb_symtab *t)
{
	free(t->slots);
	memset(t, 0, sizeof(*t));
}
