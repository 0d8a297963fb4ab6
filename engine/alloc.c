/*
 * alloc.c — arenas for what lives as long as the engine, free-list pools
 * for what comes and goes on every assert (tokens, memory items,
 * activations), so the match does no malloc per token.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define ARENA_BLOCK (64 * 1024)

struct arena_block {
	struct arena_block *next;
	max_align_t data[];
};

void *kb_arena_alloc(struct kb_arena *a, size_t size)
{
	size = (size + _Alignof(max_align_t) - 1) & ~(_Alignof(max_align_t) - 1);
	if ((size_t)(a->end - a->cur) < size) {
		size_t cap = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
		struct arena_block *b = kbu_malloc(sizeof(*b) + cap);
		b->next = a->blocks;
		a->blocks = b;
		a->total += cap;
		/* A big object gets a block of its own; keep filling the old one. */
		if (cap != ARENA_BLOCK && a->cur)
			return (void *)b->data;
		a->cur = (char *)b->data;
		a->end = a->cur + cap;
	}
	void *p = a->cur;
	a->cur += size;
	return p;
}

void kb_arena_free(struct kb_arena *a)
{
	struct arena_block *b = a->blocks;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	memset(a, 0, sizeof(*a));
}

void kb_pool_init(struct kb_pool *p, size_t size)
{
	memset(p, 0, sizeof(*p));
	p->size = size < sizeof(void *) ? sizeof(void *) : size;
}

/* The free list is empty: a fresh object from the arena. */
void *kb_pool_grow(struct kb_pool *p)
{
	return kb_arena_alloc(&p->arena, p->size);
}

void kb_pool_free(struct kb_pool *p)
{
	kb_arena_free(&p->arena);
	p->free = NULL;
	p->live = 0;
}
