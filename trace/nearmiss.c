/*
 * nearmiss.c — a rule's near miss (kb_rules_near_miss()) copied into the
 * trace, with each failed test written out: the test as the rule file has
 * it, the slot, the value wanted and the value the close fact holds.
 */
#include <stdlib.h>

#include "internal.h"
#include "report.h"

static const char *op_name(enum kb_op op)
{
	static const char *const names[] = {"eq", "ne", "lt", "le", "gt", "ge", "ci", "one_of", "match", "test"};
	return (unsigned)op < sizeof(names) / sizeof(names[0]) ? names[op] : "?";
}

/* The slot where cond (or one of its choices) first uses variable v, or
 * 0 for a test(); SIZE_MAX when it does not. */
static size_t first_use_in(const struct kb_cond *cond, int v)
{
	size_t best = SIZE_MAX;
	for (size_t k = 0; k < cond->nchoices; k++) {
		size_t at = first_use_in(&cond->choices[k], v);
		best = at < best ? at : best;
	}
	for (size_t i = 0; i < cond->ntests; i++) {
		const struct kb_test *t = &cond->tests[i];
		bool uses = t->operand == KB_OPERAND_VAR && t->var == v;
		for (size_t k = 0; k < t->pred.nvars; k++)
			uses = uses || t->pred.vars[k] == v;
		if (uses && (size_t)t->slot < best)
			best = (size_t)t->slot;
	}
	for (size_t k = 0; k < cond->pred.nvars; k++)
		if (cond->pred.vars[k] == v)
			best = 0;
	if (cond->fact_var == v)
		best = best < 65535 ? best : 65535;
	return best;
}

/* Where variable v first shows in the rule as written back (conditions in
 * order, tests by slot): a rank that orders bindings the same every run. */
static size_t first_use(const struct kb_rule *rule, int v)
{
	for (size_t c = 0; c < kb_rule_nconds(rule); c++) {
		size_t best = first_use_in(kb_rule_cond(rule, c), v);
		if (best != SIZE_MAX)
			return c << 16 | (best < 65535 ? best : 65535);
	}
	return SIZE_MAX;
}

size_t kbt_choices(struct kbt_trace *t, const struct kb_engine *eng, const struct kb_rule *rule, size_t alternative,
		   size_t upto, struct kbt_choice **out)
{
	size_t n = 0, nconds = kb_rule_nconds(rule);
	*out = NULL;
	if (kb_rule_nalternatives(rule) == 1)
		return 0; /* every firing asks: most rules have no any_of */
	upto = upto < nconds ? upto + 1 : nconds;
	for (size_t i = 0; i < upto; i++)
		n += kb_rule_choice(rule, alternative, i) >= 0;
	*out = kbt_alloc(t, n * sizeof(**out));
	for (size_t i = 0, k = 0; i < upto; i++) {
		int choice = kb_rule_choice(rule, alternative, i);
		if (choice < 0)
			continue;
		char buf[2048];
		kbr_format_condition(buf, sizeof(buf), eng, rule, kb_rule_alternative_cond(rule, alternative, i));
		(*out)[k++] = (struct kbt_choice){i, (size_t)choice, kbt_str(t, buf)};
	}
	return n;
}

size_t *kbt_var_order(const struct kb_rule *rule)
{
	size_t n = kb_rule_nvars(rule);
	size_t *order = kbu_calloc(n, sizeof(*order)), *rank = kbu_calloc(n, sizeof(*rank));
	for (size_t v = 0; v < n; v++) {
		rank[v] = first_use(rule, (int)v);
		size_t i = v;
		for (; i > 0 && rank[order[i - 1]] > rank[v]; i--)
			order[i] = order[i - 1];
		order[i] = v;
	}
	free(rank);
	return order;
}

/* Test i's place in the condition as written back (kbr_format_cond(): by
 * slot, then as stored), which stays the same from run to run. */
static size_t shown_at(const struct kb_cond *c, size_t i)
{
	size_t k = 0;
	for (size_t j = 0; j < c->ntests; j++)
		k += c->tests[j].slot < c->tests[i].slot || (c->tests[j].slot == c->tests[i].slot && j < i);
	return k;
}

static int cmp_failures(const void *a, const void *b)
{
	const struct kbt_failure *x = a, *y = b;
	return (x->test > y->test) - (x->test < y->test);
}

static void failures(struct kbt_trace *t, const struct kb_engine *eng, const struct kb_rule *rule,
		     const struct kb_cond *c, const struct kb_near_fact *nf, struct kbt_candidate *x)
{
	x->fact = nf->fact->id;
	x->nfailed = nf->nfailed;
	x->nfailures = nf->nfailed < KB_NEAR_FAILS ? nf->nfailed : KB_NEAR_FAILS;
	x->failures = kbt_alloc(t, x->nfailures * sizeof(*x->failures));
	for (size_t i = 0; i < x->nfailures; i++) {
		const struct kb_test *test = &c->tests[nf->failed[i].test];
		struct kbt_failure *f = &x->failures[i];
		char buf[1024];
		kbr_format_test(buf, sizeof(buf), eng, rule, c->kind, test);
		f->test = shown_at(c, nf->failed[i].test);
		f->text = kbt_str(t, buf);
		f->slot = kbt_str(t, kb_kind_slot(eng, c->kind, (size_t)test->slot)->name);
		f->op = kbt_str(t, op_name(test->op));
		f->wanted = kbt_value(t, nf->failed[i].wanted);
		f->observed = kbt_value(t, nf->fact->slots[test->slot]);
	}
	qsort(x->failures, x->nfailures, sizeof(*x->failures), cmp_failures);
}

static void bindings(struct kbt_trace *t, const struct kb_rule *rule, const struct kb_near_miss *m,
		     struct kbt_near_miss *x)
{
	size_t nvars = kb_rule_nvars(rule), *order = kbt_var_order(rule);
	x->bindings = kbt_alloc(t, nvars * sizeof(*x->bindings));
	for (size_t i = 0; i < nvars; i++) {
		int v = (int)order[i];
		struct kb_value val = kb_rule_var_value(rule, m->alternative, v, m->matched, x->nmatched);
		const char *name = kb_rule_var_name(rule, v);
		if (val.type != KB_NIL && name)
			x->bindings[x->nbindings++] = (struct kbt_slot){kbt_str(t, name), kbt_value(t, val)};
	}
	free(order);
}

void kbt_nearmiss_record(struct kbt_trace *t, const struct kb_engine *eng, const struct kb_rule *rule, size_t idx,
			 const struct kb_near_miss *m)
{
	size_t nconds = kb_rule_nconds(rule);
	const struct kb_cond *c = kb_rule_alternative_cond(rule, m->alternative, m->cond < nconds ? m->cond : nconds - 1);
	struct kbt_near_miss *x = kbt_push(t, KBT_MISSES);
	x->rule = idx;
	x->cond = m->cond;
	x->reason = m->reason;
	x->kind = c->type != KB_COND_TEST ? kbt_str(t, kb_kind_name(eng, c->kind)) : NULL;
	x->partial = m->partial;
	x->candidates = m->candidates;
	x->nmatched = m->cond < nconds ? m->cond : nconds;
	x->matched = kbt_alloc(t, x->nmatched * sizeof(*x->matched));
	for (size_t i = 0; i < x->nmatched; i++)
		x->matched[i] = m->matched[i] ? m->matched[i]->id : 0;
	bindings(t, rule, m, x);
	x->nchoices = kbt_choices(t, eng, rule, m->alternative, m->cond, &x->choices);
	x->nclosest = m->nclosest;
	x->closest = kbt_alloc(t, m->nclosest * sizeof(*x->closest));
	for (size_t i = 0; i < m->nclosest; i++)
		failures(t, eng, rule, c, &m->closest[i], &x->closest[i]);
}
