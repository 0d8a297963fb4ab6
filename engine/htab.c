/*
 * htab.c — the intrusive hash table behind alpha and beta memories.
 * Entries embed their links, so adding and removing never allocates except
 * when the bucket array doubles.  Unkeyed tables keep a single bucket: a
 * plain list, for joins that share no variable.
 *
 * Each bucket keeps its entries in insertion order (appended at its tail),
 * so a join walks older partial matches first and, under the depth
 * strategy, the newest match fires first — the order CLIPS produces, which
 * the benchmarks compare against.
 */
#include <stdlib.h>

#include "internal.h"

void kb_htab_init(struct htab *t, bool keyed)
{
	t->buckets = NULL;
	t->mask = 0;
	t->count = 0;
	t->keyed = keyed;
}

static void append(struct hbucket *b, struct hlink *l)
{
	l->next = NULL;
	l->prev = b->last;
	if (b->last)
		b->last->next = l;
	else
		b->first = l;
	b->last = l;
}

static void rehash(struct htab *t, uint32_t nb)
{
	struct hbucket *b = calloc(nb, sizeof(*b));
	if (!b) {
		if (!t->buckets)
			kb_oom();
		return; /* keep the old table: longer chains, still correct */
	}
	for (uint32_t i = 0; t->buckets && i <= t->mask; i++)
		for (struct hlink *l = t->buckets[i].first, *next; l; l = next) {
			next = l->next;
			append(&b[l->hash & (nb - 1)], l);
		}
	free(t->buckets);
	t->buckets = b;
	t->mask = nb - 1;
}

void kb_htab_add(struct htab *t, struct hlink *l, uint32_t hash)
{
	if (!t->buckets)
		rehash(t, t->keyed ? 8 : 1);
	else if (t->keyed && t->count > (size_t)t->mask + 1 && t->mask < (1u << 30))
		rehash(t, (t->mask + 1) * 2);
	l->hash = hash;
	append(&t->buckets[hash & t->mask], l);
	t->count++;
}

void kb_htab_del(struct htab *t, struct hlink *l)
{
	struct hbucket *b = &t->buckets[l->hash & t->mask];
	if (l->prev)
		l->prev->next = l->next;
	else
		b->first = l->next;
	if (l->next)
		l->next->prev = l->prev;
	else
		b->last = l->prev;
	t->count--;
}

void kb_htab_to_tail(struct htab *t, struct hlink *l)
{
	if (!l->next)
		return;
	kb_htab_del(t, l);
	append(&t->buckets[l->hash & t->mask], l);
	t->count++;
}

void kb_htab_free(struct htab *t)
{
	free(t->buckets);
	t->buckets = NULL;
	t->mask = 0;
	t->count = 0;
}
