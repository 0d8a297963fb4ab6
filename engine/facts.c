/*
 * facts.c — working memory: assert, retract, modify, duplicate detection,
 * provenance and justification.  Facts are never freed before the engine:
 * a retracted fact stays readable for reports and traces.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

uint32_t kb_facts_hash(int kind, const struct kb_value *v, size_t n)
{
	uint32_t h = (uint32_t)kind * 0x9e3779b1u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ kb_value_hash(v[i])) * 0x01000193u + (uint32_t)v[i].type;
	return h;
}

static void dup_grow(struct kb_engine *eng)
{
	size_t n = eng->dup ? (eng->dup_mask + 1) * 2 : 1024;
	struct fact **b = kbu_calloc(n, sizeof(*b));
	if (eng->dup) {
		for (size_t i = 0; i <= eng->dup_mask; i++) {
			struct fact *f = eng->dup[i];
			while (f) {
				struct fact *next = f->dup_next;
				f->dup_next = b[f->hash & (n - 1)];
				b[f->hash & (n - 1)] = f;
				f = next;
			}
		}
	}
	free(eng->dup);
	eng->dup = b;
	eng->dup_mask = n - 1;
}

static struct fact *dup_find(const struct kb_engine *eng, int kind, const struct kb_value *v,
			     size_t n, uint32_t h)
{
	if (!eng->dup)
		return NULL;
	for (struct fact *f = eng->dup[h & eng->dup_mask]; f; f = f->dup_next) {
		if (f->hash != h || f->pub.kind != kind)
			continue;
		size_t i = 0;
		while (i < n && f->pub.slots[i].type == v[i].type && kb_value_eq(f->pub.slots[i], v[i]))
			i++;
		if (i == n)
			return f;
	}
	return NULL;
}

static void dup_remove(struct kb_engine *eng, struct fact *f)
{
	struct fact **p = &eng->dup[f->hash & eng->dup_mask];
	while (*p != f)
		p = &(*p)->dup_next;
	*p = f->dup_next;
}

bool kb_facts_coerce(const struct kind *k, const struct kb_value *in, struct kb_value *out,
		     struct kb_error *err)
{
	for (size_t i = 0; i < k->nslots; i++) {
		out[i] = in[i];
		enum kb_type want = k->slots[i].type;
		if (in[i].type == KB_NIL && (k->always & kb_slot_bit((int)i))) {
			/* rules print such a slot without a guard (rules check relies on it) */
			kb_error_set(err, KB_EINVAL, NULL, "%s.%s is declared always set, but this fact leaves it unset",
				     k->name, k->slots[i].name);
			return false;
		}
		if (in[i].type == KB_NIL || in[i].type == want)
			continue;
		if (want == KB_FLOAT && in[i].type == KB_INT) {
			out[i] = kb_float((double)in[i].u.i);
			continue;
		}
		kb_error_set(err, KB_EINVAL, NULL, "%s.%s wants %s, got %s", k->name,
			     k->slots[i].name, kb_type_name(want), kb_type_name(in[i].type));
		return false;
	}
	return true;
}

static const struct kb_justification *justify(struct kb_engine *eng)
{
	const struct kb_activation *a = eng->firing;
	struct kb_justification *j = kb_arena_alloc(&eng->arena,
		sizeof(*j) + a->nfacts * sizeof(j->premises[0]));
	j->rule = kb_activation_rule(a);
	j->firing = eng->firing_no;
	j->npremises = a->nfacts;
	memcpy(j->premises, a->facts, a->nfacts * sizeof(j->premises[0]));
	return j;
}

/* A record's text is cited, never compared or looked up: it is copied,
 * not interned (a table entry for each of a million lines seen once). */
static const char *copy_text(struct kb_engine *eng, const struct kb_prov *prov)
{
	size_t n = strlen(prov->text) + 1;
	return memcpy(kb_arena_alloc(&eng->arena, n), prov->text, n);
}

static struct fact *new_fact(struct kb_engine *eng, const struct kind *k, int kind,
			     const struct kb_value *v, const struct kb_prov *prov)
{
	if (eng->nfacts >= UINT32_MAX - 1)
		kbu_oom(); /* fact ids are 32 bits: more facts than any memory holds */
	if (eng->nfacts == eng->facts_cap) {
		size_t cap = eng->facts_cap ? eng->facts_cap * 2 : 1024;
		eng->facts = kbu_realloc(eng->facts, cap, sizeof(*eng->facts));
		eng->facts_cap = cap;
	}
	struct fact *f = kb_arena_alloc(&eng->arena, kb_fact_size(k->nslots));
	memset(f, 0, sizeof(*f));
	f->pub.id = (uint32_t)eng->nfacts + 1;
	f->pub.kind = (uint16_t)kind;
	f->pub.nslots = k->nslots;
	f->pub.live = true;
	memcpy(f->pub.slots, v, k->nslots * sizeof(*v));
	kb_fact_hash_slots(f);
	if (prov) {
		f->pub.prov.origin = prov->origin;
		f->pub.prov.line = prov->line;
		f->pub.prov.source = prov->source ? kb_intern_cstr(eng, prov->source) : NULL;
		f->pub.prov.text = prov->text ? copy_text(eng, prov) : NULL;
		f->pub.prov.cite = prov->cite;
	} else if (eng->firing) {
		f->pub.prov.origin = KB_ORIGIN_DERIVED;
		f->pub.prov.source = eng->firing->rule->where;
	}
	if (eng->firing)
		f->pub.just = justify(eng);
	eng->facts[eng->nfacts++] = f;
	return f;
}

static void link_live(struct kb_engine *eng, struct fact *f)
{
	struct kind *k = &eng->kinds[f->pub.kind];
	f->dup_next = eng->dup[f->hash & eng->dup_mask];
	eng->dup[f->hash & eng->dup_mask] = f;
	f->kind_next = k->facts;
	k->facts = f;
	k->nlisted++;
	eng->nlive++;
}

/* A retracted fact stays in its kind's list (readers skip it) until half
 * the list is dead; then one walk drops them all. */
static void unlink_live(struct kb_engine *eng, struct fact *f)
{
	struct kind *k = &eng->kinds[f->pub.kind];
	dup_remove(eng, f);
	eng->nlive--;
	if (++k->ndead * 2 <= k->nlisted)
		return;
	for (struct fact **p = &k->facts; *p;)
		if ((*p)->pub.live)
			p = &(*p)->kind_next;
		else
			*p = (*p)->kind_next;
	k->nlisted -= k->ndead;
	k->ndead = 0;
}

/* Brings a new fact into working memory and the network (from: where
 * its probe let the alpha walk start, or NULL). */
static const struct kb_fact *introduce(struct kb_engine *eng, struct fact *f, const struct alpha_resume *from)
{
	link_live(eng, f);
	if (eng->rec && eng->rec->asserted)
		eng->rec->asserted(eng->rec->ud, &f->pub);
	kb_alpha_assert(eng, f, from);
	return &f->pub;
}

/* Type-checks values into v (the kind's nslots values) and finds an equal
 * live fact, if any. */
static bool prepare(struct kb_engine *eng, int kind, const struct kb_value *values, struct kb_value *v,
		    uint32_t *hash, struct fact **dup, struct kb_error *err)
{
	const struct kind *k = &eng->kinds[kind];
	if (eng->firing && !kb_budget_may_make(eng, err))
		return false;
	if (kb_prefilter_holds_fixed(eng, kind)) {
		kb_error_set(err, KB_EINVAL, NULL, "%s is a table of knowledge the rule files fill and no rule adds "
			     "to, which the pre-filter relies on: nothing else may add to it or change it (with "
			     "--no-prefilter a rule may)", k->name);
		return false;
	}
	if (!kb_facts_coerce(k, values, v, err))
		return false;
	*hash = kb_facts_hash(kind, v, k->nslots);
	*dup = dup_find(eng, kind, v, k->nslots, *hash);
	if (eng->nlive + 1 > 2 * (eng->dup_mask + 1) || !eng->dup)
		dup_grow(eng);
	return true;
}

static struct fact *make(struct kb_engine *eng, int kind, const struct kb_value *v, uint32_t hash,
			 const struct kb_prov *prov, const struct kb_fact *replaces)
{
	struct fact *f = new_fact(eng, &eng->kinds[kind], kind, v, prov);
	if (eng->firing)
		kb_budget_made(eng);
	f->hash = hash;
	f->pub.replaces = replaces;
	return f;
}

const struct kb_fact *kb_assert(struct kb_engine *eng, int kind, const struct kb_value *values,
				const struct kb_prov *prov, bool *duplicate, struct kb_error *err)
{
	if (duplicate)
		*duplicate = false;
	struct alpha_resume from;
	bool probed = kb_prefilter_take_resume(eng, kind, values, &from);
	if (kind < 0 || (size_t)kind >= eng->nkinds) {
		kb_error_set(err, KB_EINVAL, NULL, "unknown kind %d", kind);
		return NULL;
	}
	kb_modify_flush(eng);
	struct kb_value v[eng->kinds[kind].nslots + 1];
	uint32_t hash;
	struct fact *dup;
	if (!prepare(eng, kind, values, v, &hash, &dup, err))
		return NULL;
	if (dup) {
		if (duplicate)
			*duplicate = true;
		return &dup->pub;
	}
	return introduce(eng, make(eng, kind, v, hash, prov, NULL), probed ? &from : NULL);
}

static void drop(struct kb_engine *eng, struct fact *f)
{
	f->pub.live = false;
	unlink_live(eng, f);
	if (eng->rec && eng->rec->retracted)
		eng->rec->retracted(eng->rec->ud, &f->pub);
}

bool kb_retract(struct kb_engine *eng, const struct kb_fact *pub)
{
	if (!pub || !pub->live)
		return false;
	if (fact_of(pub) == eng->pending_new)
		kb_modify_flush(eng); /* it must hold its place before it can leave it */
	drop(eng, fact_of(pub));
	kb_alpha_retract(eng, fact_of(pub));
	return true;
}

/* A retract and an assert; when no test reads the changed slots, done in
 * place (modify.c), with the same outcome. */
const struct kb_fact *kb_modify(struct kb_engine *eng, const struct kb_fact *pub, size_t nchanges,
				const int *slots, const struct kb_value *values, struct kb_error *err)
{
	if (!pub || !pub->live) {
		kb_error_set(err, KB_EINVAL, NULL, "modify of a fact that is not in working memory");
		return NULL;
	}
	if (fact_of(pub) == eng->pending_new)
		kb_modify_flush(eng);
	struct kb_value v[pub->nslots + 1], check[pub->nslots + 1];
	memcpy(v, pub->slots, pub->nslots * sizeof(v[0]));
	for (size_t i = 0; i < nchanges; i++) {
		if (slots[i] < 0 || slots[i] >= pub->nslots) {
			kb_error_set(err, KB_EINVAL, NULL, "modify: no slot %d in %s", slots[i],
				     eng->kinds[pub->kind].name);
			return NULL;
		}
		v[slots[i]] = values[i];
	}
	uint32_t hash;
	struct fact *dup, *old = fact_of(pub);
	if (!prepare(eng, pub->kind, v, check, &hash, &dup, err))
		return NULL;
	uint64_t changed = 0;
	for (size_t i = 0; i < pub->nslots; i++)
		if (check[i].type != pub->slots[i].type || !kb_value_eq(check[i], pub->slots[i]))
			changed |= kb_slot_bit((int)i);
	if (dup && dup != old) { /* it becomes a fact that exists: only the retract is left */
		kb_retract(eng, pub);
		return &dup->pub;
	}
	const struct kb_prov *prov = eng->firing ? NULL : &pub->prov;
	struct fact *nf = make(eng, pub->kind, check, hash, prov, pub);
	if (eng->no_move || !kb_modify_can_move(eng, old, nf, changed)) {
		kb_retract(eng, pub); /* deletes, then finishes a put-off renewal */
		return introduce(eng, nf, NULL);
	}
	kb_modify_flush(eng);
	drop(eng, old);
	link_live(eng, nf);
	eng->moved++;
	if (eng->rec) {
		if (eng->rec->asserted)
			eng->rec->asserted(eng->rec->ud, &nf->pub);
		kb_modify_move(eng, old, nf);
	} else {
		eng->pending_old = old; /* renewed by the next operation that can tell */
		eng->pending_new = nf;
	}
	return &nf->pub;
}

size_t kb_fact_count(const struct kb_engine *eng) { return eng->nfacts; }
size_t kb_fact_live_count(const struct kb_engine *eng) { return eng->nlive; }

const struct kb_fact *kb_fact_get(const struct kb_engine *eng, uint32_t id)
{
	return id >= 1 && id <= eng->nfacts ? &eng->facts[id - 1]->pub : NULL;
}

void kb_facts_free(struct kb_engine *eng)
{
	free(eng->facts);
	free(eng->dup);
	eng->facts = NULL;
	eng->dup = NULL;
}
