/*
 * stats.c — accounting for the engine's memory, for the scale benchmark
 * and for anyone asking what a large working memory costs.
 */
#include "internal.h"

static size_t htab_bytes(const struct htab *t)
{
	return t->buckets ? ((size_t)t->mask + 1) * sizeof(struct hbucket) : 0;
}

static void node_bytes(const struct bnode *n, struct kb_memstats *m)
{
	m->tables += htab_bytes(&n->lmem);
	m->network += sizeof(*n) + n->nchildren * sizeof(n->children[0]) + n->ntests * sizeof(struct btest) +
		      ((size_t)n->level + 1) * sizeof(uint64_t);
	for (size_t i = 0; i < n->nchildren; i++)
		node_bytes(n->children[i], m);
}

static void alpha_bytes(const struct alpha_node *a, struct kb_memstats *m)
{
	for (; a; a = a->next) {
		m->network += sizeof(*a) + a->ntests * sizeof(struct atest) + a->nmems * sizeof(struct amem);
		for (size_t i = 0; i < a->nmems; i++)
			m->tables += htab_bytes(&a->mems[i]->items);
	}
}

static size_t pool_bytes(const struct kb_pool *p)
{
	return p->arena.total;
}

void kb_engine_memstats(const struct kb_engine *eng, struct kb_memstats *m)
{
	*m = (struct kb_memstats){0};
	for (size_t i = 0; i < eng->nfacts; i++) {
		const struct fact *f = eng->facts[i];
		m->facts += sizeof(struct kb_fact) + f->pub.nslots * sizeof(struct kb_value);
		m->fact_index += sizeof(*f) - sizeof(struct kb_fact) + f->pub.nslots * sizeof(uint32_t);
	}
	for (size_t i = 0; i < eng->syms.cap; i++)
		if (eng->syms.slots[i].sym)
			m->facts += sizeof(struct kb_sym) + eng->syms.slots[i].sym->len + 1;
	m->fact_index += eng->facts_cap * sizeof(eng->facts[0]) + (eng->dup ? (eng->dup_mask + 1) * sizeof(eng->dup[0]) : 0) +
			 eng->syms.cap * sizeof(eng->syms.slots[0]);
	for (int d = 0; d <= KB_MAX_CONDS; d++) {
		m->tokens += pool_bytes(&eng->token_pools[d]) + pool_bytes(&eng->terminal_pools[d]);
		m->live_tokens += eng->token_pools[d].live + eng->terminal_pools[d].live;
	}
	m->items = pool_bytes(&eng->item_pool);
	m->live_items = eng->item_pool.live;
	node_bytes(&eng->root, m);
	for (size_t k = 0; k < eng->nkinds; k++) {
		const struct kind *kd = &eng->kinds[k];
		alpha_bytes(kd->alphas, m);
		for (size_t d = 0; d < kd->ndispatch; d++) {
			m->network += kd->dispatch[d].nbuckets * sizeof(struct alpha_node *);
			for (size_t b = 0; b < kd->dispatch[d].nbuckets; b++)
				alpha_bytes(kd->dispatch[d].buckets[b], m);
		}
		m->network += sizeof(*kd) + kd->nslots * sizeof(struct kb_slot_decl);
	}
	for (const struct rule *r = eng->rules; r; r = r->next)
		m->network += sizeof(*r) + r->nconds * sizeof(struct kb_cond);
	m->total = m->facts + m->fact_index + m->tokens + m->items + m->tables + m->network;
}
