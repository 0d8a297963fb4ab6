/*
 * model.c — the trace in memory: a store that owns its strings (one copy
 * each) and small arrays in an arena, vectors that grow, lookups by id,
 * and the little vocabulary shared by the writers and renderers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "utf8.h"

#define BLOCK (64u << 10)

struct block {
	struct block *next;
	size_t used, size;
	_Alignas(max_align_t) char data[];
};

struct kbt_store {
	struct block *blocks;
	const char **strs;   /* open addressing, by content */
	size_t nstrs, strcap;
	size_t caps[KBT_NVEC];
};

struct kbt_trace *kbt_trace_new(void)
{
	struct kbt_trace *t = kbu_calloc(1, sizeof(*t));
	t->store = kbu_calloc(1, sizeof(*t->store));
	t->version = kbt_str(t, KB_VERSION);
	return t;
}

void kbt_trace_free(struct kbt_trace *t)
{
	if (!t)
		return;
	for (struct block *b = t->store->blocks, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(t->store->strs);
	free(t->store);
	free(t->inputs);
	free(t->rules);
	free(t->facts);
	free(t->firings);
	free(t->events);
	free(t->errors);
	free(t->misses);
	free(t);
}

void *kbt_alloc(struct kbt_trace *t, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	struct block *b = t->store->blocks;
	if (!b || b->size - b->used < size) {
		size_t want = size > BLOCK / 4 ? size : BLOCK;
		b = kbu_malloc(sizeof(*b) + want);
		b->used = 0;
		b->size = want;
		if (size > BLOCK / 4 && t->store->blocks) { /* a big one: keep filling the current block */
			b->next = t->store->blocks->next;
			t->store->blocks->next = b;
		} else {
			b->next = t->store->blocks;
			t->store->blocks = b;
		}
	}
	void *p = b->data + b->used;
	b->used += size;
	memset(p, 0, size);
	return p;
}

static uint64_t str_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static void strs_grow(struct kbt_store *st)
{
	size_t cap = st->strcap ? st->strcap * 2 : 1024;
	const char **v = kbu_calloc(cap, sizeof(*v));
	for (size_t i = 0; i < st->strcap; i++) {
		if (!st->strs[i])
			continue;
		size_t j = str_hash(st->strs[i]) & (cap - 1);
		while (v[j])
			j = (j + 1) & (cap - 1);
		v[j] = st->strs[i];
	}
	free(st->strs);
	st->strs = v;
	st->strcap = cap;
}

const char *kbt_str(struct kbt_trace *t, const char *s)
{
	if (!s)
		return NULL;
	struct kbt_store *st = t->store;
	if (2 * (st->nstrs + 1) > st->strcap)
		strs_grow(st);
	size_t j = str_hash(s) & (st->strcap - 1);
	for (; st->strs[j]; j = (j + 1) & (st->strcap - 1))
		if (strcmp(st->strs[j], s) == 0)
			return st->strs[j];
	size_t len = strlen(s);
	char *copy = kbt_alloc(t, len + 1);
	memcpy(copy, s, len + 1);
	st->nstrs++;
	return st->strs[j] = copy;
}

struct kb_value kbt_value(struct kbt_trace *t, struct kb_value v)
{
	if (v.type == KB_STRING)
		v.u.s = kbt_str(t, v.u.s);
	return v;
}

void *kbt_push(struct kbt_trace *t, enum kbt_vec which)
{
	static const size_t sizes[KBT_NVEC] = {
		sizeof(struct kbt_input), sizeof(struct kbt_rule), sizeof(struct kbt_fact),
		sizeof(struct kbt_firing), sizeof(struct kbt_event), sizeof(struct kbt_error),
		sizeof(struct kbt_near_miss),
	};
	void **vecs[KBT_NVEC] = {
		(void **)&t->inputs, (void **)&t->rules, (void **)&t->facts, (void **)&t->firings,
		(void **)&t->events, (void **)&t->errors, (void **)&t->misses,
	};
	size_t *counts[KBT_NVEC] = {&t->ninputs, &t->nrules, &t->nfacts, &t->nfirings,
				     &t->nevents, &t->nerrors, &t->nmisses};
	size_t *cap = &t->store->caps[which], n = *counts[which], size = sizes[which];
	if (n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		*vecs[which] = kbu_realloc(*vecs[which], ncap, size);
		*cap = ncap;
	}
	char *e = (char *)*vecs[which] + n * size;
	memset(e, 0, size);
	(*counts[which])++;
	return e;
}

/* ---- lookups -------------------------------------------------------------- */

const struct kbt_fact *kbt_fact(const struct kbt_trace *t, uint32_t id)
{
	if (id == 0)
		return NULL;
	if (id <= t->nfacts && t->facts[id - 1].id == id) /* recorded from the start */
		return &t->facts[id - 1];
	size_t lo = 0, hi = t->nfacts;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->facts[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->nfacts && t->facts[lo].id == id ? &t->facts[lo] : NULL;
}

const struct kbt_firing *kbt_firing(const struct kbt_trace *t, uint64_t n)
{
	if (n == 0)
		return NULL;
	if (n <= t->nfirings && t->firings[n - 1].n == n) /* recorded from the start */
		return &t->firings[n - 1];
	size_t lo = 0, hi = t->nfirings;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->firings[mid].n < n)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->nfirings && t->firings[lo].n == n ? &t->firings[lo] : NULL;
}

const struct kbt_rule *kbt_rule_find(const struct kbt_trace *t, const char *id)
{
	for (size_t i = 0; i < t->nrules; i++)
		if (strcmp(t->rules[i].id, id) == 0)
			return &t->rules[i];
	return NULL;
}

const struct kbt_choice *kbt_choice_at(const struct kbt_choice *c, size_t n, size_t cond)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].cond == cond)
			return &c[i];
	return NULL;
}

const struct kb_value *kbt_slot(const struct kbt_fact *f, const char *name)
{
	for (size_t i = 0; i < f->nslots; i++)
		if (strcmp(f->slots[i].name, name) == 0)
			return &f->slots[i].value;
	return NULL;
}

const char *kbt_slot_str(const struct kbt_fact *f, const char *name)
{
	const struct kb_value *v = kbt_slot(f, name);
	return v && v->type == KB_STRING ? v->u.s : NULL;
}

bool kbt_is_finding(const struct kbt_fact *f)
{
	return strcmp(f->kind, "finding") == 0;
}

int kbt_severity_rank(const char *s)
{
	return !s ? 3 : strcmp(s, "error") == 0 ? 0 : strcmp(s, "warning") == 0 ? 1 : strcmp(s, "info") == 0 ? 2 : 3;
}

static const struct kbt_trace *sort_trace; /* qsort has no context argument */

static int cmp_findings(const void *a, const void *b)
{
	const struct kbt_fact *x = kbt_fact(sort_trace, *(const uint32_t *)a);
	const struct kbt_fact *y = kbt_fact(sort_trace, *(const uint32_t *)b);
	int d = kbt_severity_rank(kbt_slot_str(x, "severity")) - kbt_severity_rank(kbt_slot_str(y, "severity"));
	return d ? d : (x->id > y->id) - (x->id < y->id);
}

size_t kbt_findings(const struct kbt_trace *t, uint32_t **ids)
{
	size_t n = 0;
	*ids = kbu_calloc(t->nfacts, sizeof(**ids));
	for (size_t i = 0; i < t->nfacts; i++)
		if (kbt_is_finding(&t->facts[i]) && !t->facts[i].retracted)
			(*ids)[n++] = t->facts[i].id;
	sort_trace = t;
	qsort(*ids, n, sizeof(**ids), cmp_findings);
	return n;
}

uint32_t kbt_finding_named(const struct kbt_trace *t, const char *name)
{
	const char *digits = name[0] == 'f' ? name + 1 : name;
	char *end;
	unsigned long id = strtoul(digits, &end, 10);
	if (*digits && !*end) {
		const struct kbt_fact *f = kbt_fact(t, (uint32_t)id);
		return f && kbt_is_finding(f) ? f->id : 0;
	}
	uint32_t found = 0;
	for (size_t i = 0; i < t->nfacts; i++) {
		const struct kbt_fact *f = &t->facts[i];
		if (!kbt_is_finding(f) || f->retracted)
			continue;
		const char *rule = kbt_slot_str(f, "rule"), *article = kbt_slot_str(f, "article");
		if ((rule && strcmp(rule, name) == 0) || (article && strcmp(article, name) == 0)) {
			if (found)
				return 0;
			found = f->id;
		}
	}
	return found;
}

/* ---- vocabulary ------------------------------------------------------------- */

const char *kbt_origin_name(enum kb_origin o)
{
	return o == KB_ORIGIN_EVIDENCE ? "evidence" : o == KB_ORIGIN_KNOWLEDGE ? "knowledge" : "derived";
}

const char *kbt_reason_name(enum kb_near_reason r)
{
	static const char *const names[] = {"no-fact", "no-match", "blocked", "test-false", "complete"};
	return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] : "?";
}

/* A string as a Lua literal: quotes, backslashes and control characters
 * escaped, so a value never breaks the line it is shown on. */
static void quoted(char *buf, size_t n, const char *s)
{
	size_t k = 0;
	if (n < 10) { /* room for one escape, "...", the quotes and the NUL */
		if (n)
			buf[0] = '\0';
		return;
	}
	buf[k++] = '"';
	for (; *s && k + 9 < n; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			k += (size_t)sprintf(buf + k, "\\%c", c);
		else if (c == '\n' || c == '\r' || c == '\t')
			k += (size_t)sprintf(buf + k, "\\%c", c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
		else if (c < 0x20 || c == 0x7f)
			k += (size_t)sprintf(buf + k, "\\%03u", c);
		else
			buf[k++] = (char)c;
	}
	if (*s) {
		while (kbu_utf8_cont((unsigned char)*s) && k > 1) { /* not inside a UTF-8 sequence */
			s--;
			k--;
		}
		k += (size_t)sprintf(buf + k, "...");
	}
	sprintf(buf + k, "\"");
}

void kbt_value_text(char *buf, size_t n, struct kb_value v)
{
	switch (v.type) {
	case KB_STRING: quoted(buf, n, v.u.s); break;
	case KB_INT: snprintf(buf, n, "%lld", (long long)v.u.i); break;
	case KB_FLOAT: snprintf(buf, n, "%g", v.u.f); break;
	case KB_BOOL: snprintf(buf, n, "%s", v.u.b ? "true" : "false"); break;
	default: snprintf(buf, n, "nil"); break;
	}
}
