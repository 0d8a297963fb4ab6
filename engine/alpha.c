/*
 * alpha.c — the alpha network: tests that look at one fact.
 *
 * An alpha node is a set of tests on one kind, shared by every rule that
 * asks for the same set.  A node with an equality test against a constant is
 * found through its kind's dispatch table (slot value -> nodes), so a kind
 * with a thousand rules keyed on event id costs one hash lookup per assert.
 * Its other tests run cheapest first (atest_order()), and a constant
 * pattern is only matched on values holding its screen text.  A node
 * feeds alpha memories, one per set of slots that joins hash on.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static bool pred_eq(const struct kb_pred *a, const int *as, const struct kb_pred *b, const int *bs)
{
	if (a->fn != b->fn || a->ud != b->ud || a->nvars != b->nvars)
		return false;
	return a->nvars == 0 || memcmp(as, bs, a->nvars * sizeof(int)) == 0;
}

static bool atest_eq(const struct atest *a, const struct atest *b)
{
	/* a spent test is not shared: a new rule runs the pattern itself, and
	 * gets its own error */
	if (a->slot != b->slot || a->op != b->op || a->other_slot != b->other_slot || a->spent || b->spent)
		return false;
	if (a->other_slot)
		return a->other == b->other;
	if (a->op == KB_OP_PRED)
		return pred_eq(&a->pred, a->pred_slots, &b->pred, b->pred_slots);
	if (a->op == KB_OP_IN) {
		if (a->nset != b->nset)
			return false;
		for (size_t i = 0; i < a->nset; i++)
			if (a->set[i].type != b->set[i].type || !kb_value_eq(a->set[i], b->set[i]))
				return false;
		return true;
	}
	return a->value.type == b->value.type && kb_value_eq(a->value, b->value);
}

/* What a test says of a fact: it passes, it fails, or (probing only) it
 * cannot say without calling a predicate, or its pattern failed, which
 * the assert will report. */
enum { TEST_FAIL = 0, TEST_PASS = 1, TEST_UNKNOWN = -1, TEST_ERROR = -2 };

static int run_pred(struct kb_engine *eng, const struct alpha_node *a, const struct atest *t,
		    const struct kb_value *slots)
{
	struct kb_value args[1 + t->pred.nvars];
	args[0] = t->slot >= 0 ? slots[t->slot] : kb_nil();
	for (size_t i = 0; i < t->pred.nvars; i++)
		args[1 + i] = slots[t->pred_slots[i]];
	struct kb_error err = {0};
	int r = t->pred.fn(t->pred.ud, args, 1 + t->pred.nvars, &err);
	if (r < 0 && a->owner)
		kb_rule_fail(eng, rule_of(a->owner), &err);
	return r > 0 ? TEST_PASS : TEST_FAIL;
}

/* A pattern that is malformed or runs out of steps on a value fails the
 * test there, with an error for every rule that reads the node; the rules
 * go on.  A test that ran out of steps on KB_RULE_OVERRUNS values is not
 * run again: a pattern from a variable could cost the whole budget on
 * every fact.  A value without the screen's text cannot match, and the
 * matcher could only find nothing or run out of steps there: it is not
 * run (kb_pattern_screen()).  A probe leaves the failure to the assert
 * that follows it, so that the rule error is recorded once, at the fact
 * that met it, in the same place among the run's events as without the
 * probe.  It runs a spent test all the same: a failed rule's near miss
 * (kb_rule_near_miss) tests the live facts again, and a fact the pattern
 * would pass must be there, as it is without the pre-filter; where the
 * pattern fails, the assert would fail the spent test without a word. */
static int match_run(struct kb_engine *eng, struct alpha_node *a, struct atest *t, const struct kb_value *slots,
		     bool probing)
{
	if (t->spent && !probing)
		return TEST_FAIL;
	if (t->screen && ((probing && t->screen_in && !kb_screen_may_hold(eng, t, slots[t->slot])) ||
			  !kb_value_contains(slots[t->slot], t->screen, t->screen_folded)))
		return TEST_FAIL;
	if (t->screen && t->screen_exact)
		return TEST_PASS;
	struct kb_value pat = t->other_slot ? slots[t->other] : t->value;
	struct kb_error why;
	int r = kb_value_match(slots[t->slot], pat, eng->match_steps, probing ? NULL : &why);
	if (r >= 0)
		return r > 0 ? TEST_PASS : TEST_FAIL;
	if (probing)
		return t->spent ? TEST_FAIL : TEST_ERROR;
	t->spent = why.status == KB_EBUDGET && ++t->overruns == KB_RULE_OVERRUNS;
	kb_rules_match_failed(eng, a, NULL, t->slot, pat, t->spent, &why);
	return TEST_FAIL;
}

/* One test on a fact's slot values.  probing (kb_alpha_probe): a predicate
 * is not called, since it is Lua that may fail, cost its budget or see a
 * string that is not interned; the test answers TEST_UNKNOWN instead. */
static int atest_run(struct kb_engine *eng, struct alpha_node *a, struct atest *t, const struct kb_value *slots,
		     bool probing)
{
	switch (t->op) {
	case KB_OP_PRED:
		return probing ? TEST_UNKNOWN : run_pred(eng, a, t, slots);
	case KB_OP_MATCH:
		return match_run(eng, a, t, slots, probing);
	case KB_OP_IN:
		for (size_t i = 0; i < t->nset; i++)
			if (kb_value_test(KB_OP_EQ, slots[t->slot], t->set[i]))
				return TEST_PASS;
		return TEST_FAIL;
	default: {
		struct kb_value other = t->other_slot ? slots[t->other] : t->value;
		return kb_value_test_inline(t->op, slots[t->slot], other) ? TEST_PASS : TEST_FAIL;
	}
	}
}

/* The node's tests in order from the first'th, up to the first that does
 * not pass: a probe stops where it cannot tell, so it never runs a test
 * the assert would not. */
static int alpha_tests_from(struct kb_engine *eng, struct alpha_node *a, const struct kb_value *slots,
			    bool probing, size_t first)
{
	for (size_t i = first; i < a->ntests; i++) {
		int r = atest_run(eng, a, &a->tests[i], slots, probing);
		if (r != TEST_PASS)
			return r;
	}
	return TEST_PASS;
}

static int alpha_tests(struct kb_engine *eng, struct alpha_node *a, const struct kb_value *slots, bool probing)
{
	return alpha_tests_from(eng, a, slots, probing, 0);
}

bool kb_alpha_pass(struct kb_engine *eng, struct alpha_node *a, const struct fact *f)
{
	return alpha_tests(eng, a, f->pub.slots, false) == TEST_PASS;
}

/* ---- finding and making nodes ------------------------------------------ */

static bool is_dispatch_test(const struct atest *t)
{
	return t->op == KB_OP_EQ && !t->other_slot && t->value.type != KB_NIL;
}

static struct dispatch *dispatch_for(struct kind *k, int slot, bool create)
{
	for (size_t i = 0; i < k->ndispatch; i++)
		if (k->dispatch[i].slot == slot)
			return &k->dispatch[i];
	if (!create)
		return NULL;
	k->dispatch = kbu_realloc(k->dispatch, k->ndispatch + 1, sizeof(*k->dispatch));
	struct dispatch *d = &k->dispatch[k->ndispatch++];
	memset(d, 0, sizeof(*d));
	d->slot = slot;
	d->nbuckets = 16;
	d->buckets = kbu_calloc(d->nbuckets, sizeof(*d->buckets));
	return d;
}

static struct alpha_node **dispatch_head(struct dispatch *d, struct kb_value v)
{
	return &d->buckets[kb_value_hash(v) & (d->nbuckets - 1)];
}

static void dispatch_grow(struct dispatch *d)
{
	size_t n = d->nbuckets * 2;
	struct alpha_node **b = kbu_calloc(n, sizeof(*b));
	for (size_t i = 0; i < d->nbuckets; i++) {
		struct alpha_node *a = d->buckets[i];
		while (a) {
			struct alpha_node *next = a->next;
			size_t j = kb_value_hash(a->dispatch_value) & (n - 1);
			a->next = b[j];
			b[j] = a;
			a = next;
		}
	}
	free(d->buckets);
	d->buckets = b;
	d->nbuckets = n;
}

static struct alpha_node **list_for(struct kb_engine *eng, int kind, int slot, struct kb_value v,
				    bool create)
{
	struct kind *k = &eng->kinds[kind];
	if (slot < 0)
		return &k->alphas;
	struct dispatch *d = dispatch_for(k, slot, create);
	if (!d)
		return NULL;
	if (create && d->count + 1 > d->nbuckets * 2)
		dispatch_grow(d);
	return dispatch_head(d, v);
}

static bool same_node(const struct alpha_node *a, int dslot, struct kb_value dval, size_t ntests,
		      const struct atest *tests)
{
	if (a->dispatch_slot != dslot || a->ntests != ntests)
		return false;
	if (dslot >= 0 && (a->dispatch_value.type != dval.type || !kb_value_eq(a->dispatch_value, dval)))
		return false;
	for (size_t i = 0; i < ntests; i++)
		if (!atest_eq(&a->tests[i], &tests[i]))
			return false;
	return true;
}

/* Sets t->screen for a constant pattern, when it has one: when a rule's
 * test is made, rather than on every fact. */
static void atest_screen(struct kb_engine *eng, struct atest *t)
{
	t->screen = NULL;
	t->screen_exact = t->screen_folded = false;
	if (t->op != KB_OP_MATCH || t->other_slot || t->value.type != KB_STRING)
		return;
	size_t plen = kb_sym_of(t->value.u.s)->len;
	char *text = kbu_malloc(plen ? plen : 1);
	size_t len = kb_pattern_screen(t->value.u.s, plen, text, &t->screen_folded, &t->screen_exact);
	if (len)
		t->screen = kb_intern(eng, text, len);
	free(text);
}

/* ---- the order of a node's tests ------------------------------------------ */

/* A fact is turned away by a compare before a pattern runs, and by a
 * pattern before Lua is called. */
static int atest_cost(const struct atest *t)
{
	switch (t->op) {
	case KB_OP_IN: return 1; /* a compare per value in the set */
	case KB_OP_MATCH: return 2;
	case KB_OP_PRED: return 3;
	default: return 0;
	}
}

static size_t screen_len(const struct atest *t)
{
	return t->screen ? kb_sym_of(t->screen)->len : 0;
}

/* kb_value_cmp(), with values of other types apart (1 and 1.0 test alike
 * but are not the same test). */
static int value_order(struct kb_value a, struct kb_value b)
{
	return a.type != b.type ? (int)a.type - (int)b.type : kb_value_cmp(a, b);
}

/* By cost; among patterns, the longest screen text first: the likeliest
 * to be missing, and memmem skips furthest with it.  Then by what the
 * tests test, so that rules listing the same tests in other orders share
 * a node.  Predicates keep their rule's order: it is the author's. */
static int atest_order(const struct atest *a, const struct atest *b)
{
	int d = atest_cost(a) - atest_cost(b);
	if (d || a->op == KB_OP_PRED)
		return d;
	if (screen_len(a) != screen_len(b))
		return screen_len(a) > screen_len(b) ? -1 : 1;
	if (a->slot != b->slot)
		return a->slot - b->slot;
	if (a->op != b->op)
		return (int)a->op - (int)b->op;
	if (a->other_slot != b->other_slot)
		return (int)a->other_slot - (int)b->other_slot;
	if (a->other_slot)
		return a->other - b->other;
	for (size_t i = 0; i < a->nset && i < b->nset; i++)
		if ((d = value_order(a->set[i], b->set[i])))
			return d;
	if (a->nset != b->nset)
		return a->nset < b->nset ? -1 : 1;
	return value_order(a->value, b->value);
}

/* Insertion: stable, and a node has a handful of tests. */
static void atests_sort(struct atest *t, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct atest x = t[i];
		size_t j = i;
		for (; j > 0 && atest_order(&t[j - 1], &x) > 0; j--)
			t[j] = t[j - 1];
		t[j] = x;
	}
}

static void atest_copy(struct atest *dst, const struct atest *src)
{
	*dst = *src;
	dst->set = NULL;
	dst->pred_slots = NULL;
	dst->screen_in = NULL;
	if (src->nset)
		dst->set = kbu_memdup(src->set, src->nset * sizeof(*dst->set));
	if (src->pred.nvars)
		dst->pred_slots = kbu_memdup(src->pred_slots, src->pred.nvars * sizeof(int));
}

/* Marks the slots a new node reads in its kind's masks, for the pre-filter. */
static void note_reads(struct kind *k, int dslot, size_t ntests, const struct atest *tests)
{
	k->alpha_reads |= kb_slot_bit(dslot);
	k->alpha_ident |= kb_slot_bit(dslot);
	for (size_t i = 0; i < ntests; i++) {
		const struct atest *t = &tests[i];
		uint64_t bits = kb_slot_bit(t->slot) | (t->other_slot ? kb_slot_bit(t->other) : 0);
		for (size_t j = 0; t->op == KB_OP_PRED && j < t->pred.nvars; j++)
			bits |= kb_slot_bit(t->pred_slots[j]);
		k->alpha_reads |= bits;
		if (t->op == KB_OP_EQ || t->op == KB_OP_NE || t->op == KB_OP_IN || t->other_slot)
			k->alpha_ident |= bits;
	}
}

struct alpha_node *kb_alpha_get(struct kb_engine *eng, int kind, size_t ntests,
				const struct atest *tests, struct kb_error *err)
{
	(void)err;
	int dslot = -1;
	struct kb_value dval = kb_nil();
	size_t di = ntests;
	for (size_t i = 0; i < ntests; i++)
		if (is_dispatch_test(&tests[i])) {
			di = i;
			dslot = tests[i].slot;
			dval = tests[i].value;
			break;
		}
	struct atest rest[ntests ? ntests : 1];
	size_t nrest = 0;
	for (size_t i = 0; i < ntests; i++)
		if (i != di) {
			rest[nrest] = tests[i];
			atest_screen(eng, &rest[nrest++]);
		}
	atests_sort(rest, nrest); /* before looking for an equal node, too */

	struct alpha_node **head = list_for(eng, kind, dslot, dval, false);
	for (struct alpha_node *a = head ? *head : NULL; a; a = a->next)
		if (same_node(a, dslot, dval, nrest, rest)) {
			a->refs++;
			return a;
		}

	struct alpha_node *a = kbu_calloc(1, sizeof(*a));
	if (nrest)
		a->tests = kbu_calloc(nrest, sizeof(*a->tests));
	a->kind = kind;
	a->dispatch_slot = dslot;
	a->dispatch_value = dval;
	a->ntests = nrest;
	for (size_t i = 0; i < nrest; i++)
		atest_copy(&a->tests[i], &rest[i]);
	a->refs = 1;
	note_reads(&eng->kinds[kind], dslot, nrest, rest);
	head = list_for(eng, kind, dslot, dval, true);
	a->next = *head;
	*head = a;
	if (dslot >= 0)
		dispatch_for(&eng->kinds[kind], dslot, false)->count++;
	return a;
}

static void alpha_unlink(struct kb_engine *eng, struct alpha_node *a)
{
	struct alpha_node **p = list_for(eng, a->kind, a->dispatch_slot, a->dispatch_value, false);
	while (*p != a)
		p = &(*p)->next;
	*p = a->next;
	if (a->dispatch_slot >= 0)
		dispatch_for(&eng->kinds[a->kind], a->dispatch_slot, false)->count--;
}

static void alpha_destroy(struct alpha_node *a)
{
	for (size_t i = 0; i < a->ntests; i++) {
		free(a->tests[i].set);
		free(a->tests[i].pred_slots);
	}
	free(a->tests);
	free(a->mems);
	while (a->succs) {
		struct succ *s = a->succs;
		a->succs = s->next;
		free(s);
	}
	free(a);
}

void kb_alpha_release(struct kb_engine *eng, struct alpha_node *a)
{
	if (--a->refs)
		return;
	alpha_unlink(eng, a);
	alpha_destroy(a);
}

/* ---- memories ------------------------------------------------------------ */

static void amem_insert(struct kb_engine *eng, struct amem *m, struct fact *f)
{
	struct am_item *it = kb_pool_get(&eng->item_pool);
	it->fact = f;
	it->mem = m;
	it->fnext = f->items;
	f->items = it;
	kb_htab_add(&m->items, &it->link, kb_amem_hash(m, f));
}

struct amem *kb_amem_get(struct kb_engine *eng, struct alpha_node *a, size_t nkey, const int *key)
{
	for (size_t i = 0; i < a->nmems; i++) {
		struct amem *m = a->mems[i];
		if (m->nkey == nkey && memcmp(m->key, key, nkey * sizeof(int)) == 0) {
			m->refs++;
			return m;
		}
	}
	struct amem *m = kbu_calloc(1, sizeof(*m));
	a->mems = kbu_realloc(a->mems, a->nmems + 1, sizeof(*a->mems));
	a->mems[a->nmems++] = m;
	m->anode = a;
	m->nkey = nkey;
	memcpy(m->key, key, nkey * sizeof(int));
	m->refs = 1;
	kb_htab_init(&m->items, nkey > 0);
	/* Oldest first, so the memory holds them in the order an assert would. */
	const struct kind *k = &eng->kinds[a->kind];
	struct fact **oldest_first = kbu_calloc(k->nlisted, sizeof(*oldest_first));
	size_t n = k->nlisted;
	for (struct fact *f = k->facts; f; f = f->kind_next)
		oldest_first[--n] = f;
	for (size_t i = n; i < k->nlisted; i++) {
		struct fact *f = oldest_first[i];
		if (f->pub.live &&
		    (a->dispatch_slot < 0 || kb_value_eq(f->pub.slots[a->dispatch_slot], a->dispatch_value)) &&
		    kb_alpha_pass(eng, a, f))
			amem_insert(eng, m, f);
	}
	free(oldest_first);
	return m;
}

static void item_unlink_from_fact(struct am_item *it)
{
	struct am_item **p = &it->fact->items;
	while (*p != it)
		p = &(*p)->fnext;
	*p = it->fnext;
}

void kb_amem_release(struct kb_engine *eng, struct amem *m)
{
	if (--m->refs)
		return;
	for (uint32_t b = 0; m->items.buckets && b <= m->items.mask; b++) {
		struct hlink *l = m->items.buckets[b].first;
		while (l) {
			struct hlink *next = l->next;
			struct am_item *it = (struct am_item *)l;
			item_unlink_from_fact(it);
			kb_pool_put(&eng->item_pool, it);
			l = next;
		}
	}
	kb_htab_free(&m->items);
	struct alpha_node *a = m->anode;
	size_t i = 0;
	while (a->mems[i] != m)
		i++;
	a->mems[i] = a->mems[--a->nmems];
	free(m);
}

void kb_alpha_add_succ(struct alpha_node *a, struct bnode *n)
{
	/* Newest first: a node created later is never an ancestor of an older
	 * one, and right activation must reach descendants before ancestors or
	 * a fact joining with itself would be matched twice. */
	struct succ *s = kbu_malloc(sizeof(*s));
	s->node = n;
	s->next = a->succs;
	a->succs = s;
}

void kb_alpha_del_succ(struct alpha_node *a, struct bnode *n)
{
	struct succ **p = &a->succs;
	while (*p && (*p)->node != n)
		p = &(*p)->next;
	if (*p) {
		struct succ *s = *p;
		*p = s->next;
		free(s);
	}
}

/* ---- propagation --------------------------------------------------------- */

/* The alpha nodes a fact with slot values v reaches, in the one order the
 * assert and the probe share: per dispatch table, the nodes whose value the
 * fact holds; then the kind's undispatched nodes. */
struct alpha_walk {
	const struct kind *k;
	const struct kb_value *v;
	size_t table;              /* dispatch table walked; ndispatch: the plain list */
	struct alpha_node *next;
};

static struct alpha_node *table_first(const struct alpha_walk *w)
{
	if (w->table == w->k->ndispatch)
		return w->k->alphas;
	struct dispatch *d = &w->k->dispatch[w->table];
	struct kb_value v = w->v[d->slot];
	return v.type == KB_NIL ? NULL : *dispatch_head(d, v);
}

static void walk_start(struct alpha_walk *w, const struct kind *k, const struct kb_value *v)
{
	*w = (struct alpha_walk){k, v, 0, NULL};
	w->next = table_first(w);
}

static struct alpha_node *walk_next(struct alpha_walk *w)
{
	for (;;) {
		while (w->next) {
			struct alpha_node *a = w->next;
			w->next = a->next;
			if (w->table == w->k->ndispatch ||
			    kb_value_eq(a->dispatch_value, w->v[w->k->dispatch[w->table].slot]))
				return a;
		}
		if (w->table == w->k->ndispatch)
			return NULL;
		w->table++;
		w->next = table_first(w);
	}
}

static void alpha_activate(struct kb_engine *eng, struct alpha_node *a, struct fact *f)
{
	if (!kb_alpha_pass(eng, a, f))
		return;
	for (size_t i = 0; i < a->nmems; i++)
		amem_insert(eng, a->mems[i], f);
	for (struct succ *s = a->succs; s; s = s->next)
		kb_beta_right_add(eng, s->node, f);
}

int kb_alpha_assert(struct kb_engine *eng, struct fact *f, const struct alpha_resume *from)
{
	struct alpha_walk w;
	walk_start(&w, &eng->kinds[f->pub.kind], f->pub.slots);
	if (from) {
		w.table = from->table;
		w.next = from->node;
	}
	for (struct alpha_node *a; (a = walk_next(&w));)
		alpha_activate(eng, a, f);
	return 0;
}

/* Whether f, having passed a, could go on from it (kb_beta_probe).  The
 * joins read f's slot hashes: they are set the first time (*hashed), as
 * nearly every fact probed fails the alpha tests and needs none. */
static bool goes_on(struct kb_engine *eng, const struct alpha_node *a, struct fact *f, bool *hashed)
{
	if (!eng->prefilter.fixed || !a->succs)
		return true;
	if (!*hashed) {
		kb_fact_hash_slots(f);
		*hashed = true;
	}
	for (const struct succ *s = a->succs; s; s = s->next)
		if (kb_beta_probe(eng, s->node, f))
			return true;
	return false;
}

/* Whether a's first test is a screened pattern whose screen the value
 * lacks: the node fails, as alpha_tests would find.  Asked inline, as a
 * message meets a dozen such nodes and lacks nearly all their screens. */
static inline bool screened_out(struct kb_engine *eng, const struct alpha_node *a, const struct kb_value *v)
{
	const struct atest *t = a->tests;
	return a->ntests && t->op == KB_OP_MATCH && t->screen_in && !kb_screen_may_hold(eng, t, v[t->slot]);
}

/* A node's tests in a probe, its first one's answer taken from the node
 * that shares it when that node has made it in this probe. */
static int probe_tests(struct kb_engine *eng, struct alpha_node *a, const struct kb_value *v)
{
	struct alpha_node *rep = a->first_rep;
	if (!rep)
		return alpha_tests(eng, a, v, true);
	if (rep->first_gen != eng->prefilter.gen) {
		rep->first_gen = eng->prefilter.gen;
		rep->first_passed = atest_run(eng, rep, &rep->tests[0], v, true) == TEST_PASS;
	}
	return rep->first_passed ? alpha_tests_from(eng, a, v, true, 1) : TEST_FAIL;
}

/* Whether f, turned away after it passed the nodes passed[0..n), would
 * have made partial matches a near miss needs to show (kb_beta_partials());
 * if not, those it would have made are counted. */
static bool partials_wanted(struct kb_engine *eng, struct alpha_node *const *passed, size_t n, const struct fact *f)
{
	for (int count = 0; count < 2; count++)
		for (size_t i = 0; i < n; i++)
			for (const struct succ *s = passed[i]->succs; s; s = s->next)
				if (kb_beta_partials(eng, s->node, f, count) && !count)
					return true;
	return false;
}

bool kb_alpha_probe(struct kb_engine *eng, struct fact *f, struct alpha_resume *open)
{
	bool hashed = false, failed_all = true;
	const struct kb_value *v = f->pub.slots;
	struct alpha_node *passed[32];
	size_t npassed = 0;
	struct alpha_walk w;
	walk_start(&w, &eng->kinds[f->pub.kind], v);
	for (struct alpha_node *a; (a = walk_next(&w));) {
		if (screened_out(eng, a, v))
			continue;
		int r = probe_tests(eng, a, v);
		if (r == TEST_FAIL)
			continue;
		if (failed_all) {
			*open = (struct alpha_resume){w.table, a};
			failed_all = false;
		}
		/* A pattern that failed is left to the assert, which reports it,
		 * even when the fact could not go on from the node.  A predicate
		 * the probe does not call counts as passing: a fact that could
		 * not go on from the node is turned away whatever it says. */
		if (r == TEST_ERROR || goes_on(eng, a, f, &hashed))
			return true;
		if (!eng->prefilter.partials || !a->succs)
			continue;
		/* the partial matches it would have made, counted, need to know it passed */
		if (r == TEST_UNKNOWN || npassed == sizeof(passed) / sizeof(passed[0]))
			return true;
		passed[npassed++] = a;
	}
	return npassed && partials_wanted(eng, passed, npassed, f);
}

/* A first test whose answer depends on the slot values alone. */
static bool shareable(const struct alpha_node *a)
{
	return a->ntests && a->tests[0].op != KB_OP_PRED && a->tests[0].op != KB_OP_MATCH;
}

static void share_first_tests(struct alpha_node *list)
{
	for (struct alpha_node *a = list; a; a = a->next) {
		a->first_rep = NULL;
		if (!shareable(a))
			continue;
		a->first_rep = a;
		for (struct alpha_node *b = list; b != a; b = b->next)
			if (b->first_rep == b && atest_eq(&b->tests[0], &a->tests[0])) {
				a->first_rep = b;
				break;
			}
		a->first_gen = 0;
	}
}

void kb_alpha_share_first_tests(struct kb_engine *eng)
{
	for (size_t i = 0; i < eng->nkinds; i++) {
		struct kind *k = &eng->kinds[i];
		share_first_tests(k->alphas);
		for (size_t d = 0; d < k->ndispatch; d++)
			for (size_t b = 0; b < k->dispatch[d].nbuckets; b++)
				share_first_tests(k->dispatch[d].buckets[b]);
	}
}

void kb_alpha_retract(struct kb_engine *eng, struct fact *f)
{
	for (struct am_item *it = f->items; it; it = it->fnext)
		kb_htab_del(&it->mem->items, &it->link);
	while (f->tokens)
		kb_token_delete(eng, f->tokens);
	/* A put-off renewal runs now, on what survived the deletions, before
	 * anything new is built. */
	kb_modify_flush(eng);
	/* Negations the fact blocked (or existences it satisfied) may change. */
	struct alpha_node *done = NULL;
	for (struct am_item *it = f->items; it; it = it->fnext) {
		struct alpha_node *a = it->mem->anode;
		if (a == done)
			continue;
		done = a;
		for (struct succ *s = a->succs; s; s = s->next)
			if (s->node->type == BN_NOT || s->node->type == BN_EXISTS)
				kb_beta_right_del(eng, s->node, f);
	}
	while (f->items) {
		struct am_item *it = f->items;
		f->items = it->fnext;
		kb_pool_put(&eng->item_pool, it);
	}
}

/* Frees every node of a next-linked chain (a kind's list of alpha nodes or
 * one dispatch bucket) with the memories it owns. */
static void free_alpha_chain(struct alpha_node *a)
{
	while (a) {
		struct alpha_node *next = a->next;
		for (size_t i = 0; i < a->nmems; i++) {
			kb_htab_free(&a->mems[i]->items);
			free(a->mems[i]);
		}
		alpha_destroy(a);
		a = next;
	}
}

void kb_alpha_free_all(struct kb_engine *eng)
{
	for (size_t k = 0; k < eng->nkinds; k++) {
		struct kind *kd = &eng->kinds[k];
		free_alpha_chain(kd->alphas);
		for (size_t d = 0; d < kd->ndispatch; d++) {
			for (size_t b = 0; b < kd->dispatch[d].nbuckets; b++)
				free_alpha_chain(kd->dispatch[d].buckets[b]);
			free(kd->dispatch[d].buckets);
		}
		free(kd->dispatch);
		kd->dispatch = NULL;
		kd->ndispatch = 0;
		kd->alphas = NULL;
	}
}
