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
	t->sparse = false;
}

static void rehash(struct htab *t, uint32_t nb)
{
	struct hbucket *b = kbu_calloc(nb, sizeof(*b));
	for (uint32_t i = 0; t->buckets && i <= t->mask; i++)
		for (struct hlink *l = t->buckets[i].first, *next; l; l = next) {
			next = l->next;
			kb_hbucket_append(&b[l->hash & (nb - 1)], l);
		}
	free(t->buckets);
	t->buckets = b;
	t->mask = nb - 1;
}

/* The table is empty or full: a first bucket array, or one twice as big. */
void kb_htab_grow(struct htab *t)
{
	if (!t->buckets)
		rehash(t, t->keyed ? 8 : 1);
	else if (t->mask < (1u << 30))
		rehash(t, (t->mask + 1) * 2);
}

void kb_htab_to_tail(struct htab *t, struct hlink *l)
{
	if (!l->next)
		return;
	kb_htab_del(t, l);
	kb_hbucket_append(&t->buckets[l->hash & t->mask], l);
	t->count++;
}

void kb_htab_free(struct htab *t)
{
	free(t->buckets);
	t->buckets = NULL;
	t->mask = 0;
	t->count = 0;
}
