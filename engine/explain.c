/*
 * explain.c — read access for explanations: rule enumeration, variable
 * values of a match, the running firing, and near misses.
 *
 * A near miss is read off the network as it stands: every node of a rule's
 * chain keeps the partial matches that reached it in its left memory, so the
 * deepest node with tokens is where matching stopped.  The condition of that
 * node is then evaluated from the rule's own copy of its tests (not the
 * compiled alpha and beta tests, which are split and shared) against the
 * live facts of its kind, to say which test failed and for which facts.
 * Rules asked at once that stopped at the same facts are tried in one pass
 * over them (a run of a million events has a dozen such rules).  Nothing
 * here changes the network; it only costs anything when called.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define NEAR_BUDGET (1u << 20) /* fact comparisons per near miss */

const struct kb_rule *kb_rule_next(const struct kb_engine *eng, const struct kb_rule *prev)
{
	const struct rule *r = prev ? rule_of(prev)->next : eng->rules;
	while (r && r->visible != r)
		r = r->next; /* an alternative is not a rule of its own */
	return rule_pub(r);
}

size_t kb_rule_nvars(const struct kb_rule *rule)
{
	return rule_of(rule)->nvars;
}

struct kb_value kb_rule_var_value(const struct kb_rule *rule, size_t alternative, int var,
				  const struct kb_fact *const *facts, size_t nfacts)
{
	const struct rule *r = rule_of(rule)->visible;
	if (alternative < r->nalts && r->alts)
		r = r->alts[alternative];
	if (var < 0 || (size_t)var >= r->nvars)
		return kb_nil();
	struct varloc loc = r->vars[var];
	if (loc.level < 0 || loc.slot < 0 || (size_t)loc.level >= nfacts || !facts[loc.level])
		return kb_nil();
	return facts[loc.level]->slots[loc.slot];
}

uint64_t kb_engine_firing(const struct kb_engine *eng)
{
	return eng->firing ? eng->firing_no : 0;
}

uint64_t kb_activation_seq(const struct kb_activation *act)
{
	return act->seq;
}

/* ---- evaluating one condition for one partial match -------------------- */

/* A Lua pattern test against a constant, its answer for one string.  The
 * answer depends on the string alone, and strings are interned (one pointer
 * per text): an event log repeats its messages, and the patterns of every
 * rule that did not fire would otherwise run again on each of them. */
struct memo {
	const char *s;
	bool pass;
};
#define MEMO_BITS 10
#define MEMO_SLOTS (1u << MEMO_BITS) /* per test */

struct eval {
	struct kb_engine *eng;
	const struct rule *r;
	const struct kb_cond *c;
	int level;
	const struct token *t;
	struct kb_value *local;  /* [nvars]: values bound inside this condition */
	bool *bound;
	struct memo *memo;       /* [ntests][MEMO_SLOTS], made when first needed */
};

/* A variable's value: from the partial match, or bound earlier in this
 * condition.  false when it is neither. */
static bool var_value(const struct eval *e, int v, struct kb_value *out)
{
	struct varloc loc = e->r->vars[v];
	if (loc.level >= 0 && loc.level < e->level && loc.slot >= 0) {
		const struct fact *f = e->t->facts[loc.level];
		*out = f ? f->pub.slots[loc.slot] : kb_nil();
		return true;
	}
	if (e->bound[v]) {
		*out = e->local[v];
		return true;
	}
	return false;
}

static bool call_pred(const struct eval *e, const struct kb_pred *p, const struct kb_value *first)
{
	struct kb_value args[1 + p->nvars];
	size_t n = 0;
	if (first)
		args[n++] = *first;
	for (size_t i = 0; i < p->nvars; i++)
		if (!var_value(e, p->vars[i], &args[n++]))
			args[n - 1] = kb_nil();
	struct kb_error err = {0};
	return p->fn(p->ud, args, n, &err) > 0;
}

/* A pattern that fails here (malformed, out of steps) is a failed test:
 * the network has already reported it. */
static bool value_test(const struct eval *e, enum kb_op op, struct kb_value v, struct kb_value w)
{
	if (op == KB_OP_MATCH)
		return kb_value_match(v, w, e->eng->match_steps, NULL) > 0;
	return kb_value_test(op, v, w);
}

static bool const_match(struct eval *e, const struct kb_test *t, struct kb_value v)
{
	if (!e->memo)
		e->memo = kbu_calloc(e->c->ntests * MEMO_SLOTS, sizeof(*e->memo));
	uint64_t h = (uint64_t)(uintptr_t)v.u.s * 0x9e3779b97f4a7c15ULL;
	struct memo *m = &e->memo[(size_t)(t - e->c->tests) * MEMO_SLOTS + (size_t)(h >> (64 - MEMO_BITS))];
	if (m->s != v.u.s)
		*m = (struct memo){v.u.s, value_test(e, KB_OP_MATCH, v, t->value)};
	return m->pass;
}

/* One test against fact f; *wanted is what the slot was compared with. */
static bool test_pass(struct eval *e, const struct kb_test *t, const struct fact *f, struct kb_value *wanted)
{
	struct kb_value v = f->pub.slots[t->slot];
	*wanted = kb_nil();
	switch (t->operand) {
	case KB_OPERAND_NONE:
		return call_pred(e, &t->pred, &v);
	case KB_OPERAND_SET:
		for (size_t i = 0; i < t->nset; i++)
			if (kb_value_test(KB_OP_EQ, v, t->set[i]))
				return true;
		return false;
	case KB_OPERAND_CONST:
		if (t->op == KB_OP_MATCH && v.type == KB_STRING)
			return const_match(e, t, v);
		if (t->op != KB_OP_MATCH)
			*wanted = t->value;
		return value_test(e, t->op, v, t->value);
	case KB_OPERAND_VAR:
		if (t->var < 0 || (size_t)t->var >= e->r->nvars)
			return false;
		if (var_value(e, t->var, wanted))
			return value_test(e, t->op, v, *wanted);
		if (t->op != KB_OP_EQ)
			return false;
		e->bound[t->var] = true; /* the first occurrence binds */
		e->local[t->var] = v;
		return true;
	}
	return false;
}

/* Counts the tests f fails, recording the first ones in out; stops past
 * `enough` failures, when the count no longer matters. */
static size_t fact_fails(struct eval *e, const struct fact *f, size_t enough, struct kb_near_fact *out)
{
	memset(e->bound, 0, e->r->nvars * sizeof(*e->bound));
	out->fact = &f->pub;
	out->nfailed = 0;
	for (size_t i = 0; i < e->c->ntests && out->nfailed <= enough; i++) {
		struct kb_value wanted;
		if (test_pass(e, &e->c->tests[i], f, &wanted))
			continue;
		if (out->nfailed < KB_NEAR_FAILS)
			out->failed[out->nfailed] = (struct kb_near_fail){i, wanted};
		out->nfailed++;
	}
	return out->nfailed;
}

/* ---- the closest facts ------------------------------------------------- */

/* Keeps the KB_NEAR_FACTS facts failing fewest, oldest first among equals. */
static void keep_closest(struct kb_near_miss *m, const struct kb_near_fact *nf)
{
	size_t i = m->nclosest;
	while (i > 0 && (m->closest[i - 1].nfailed > nf->nfailed ||
			 (m->closest[i - 1].nfailed == nf->nfailed && m->closest[i - 1].fact->id > nf->fact->id)))
		i--;
	if (i >= KB_NEAR_FACTS)
		return;
	size_t n = m->nclosest < KB_NEAR_FACTS ? m->nclosest : KB_NEAR_FACTS - 1;
	memmove(&m->closest[i + 1], &m->closest[i], (n - i) * sizeof(m->closest[0]));
	m->closest[i] = *nf;
	if (m->nclosest < KB_NEAR_FACTS)
		m->nclosest++;
}

/* One live fact tried.  Once KB_NEAR_FACTS are kept, a fact failing more
 * tests than the last of them cannot be kept, so its other tests (Lua
 * patterns, predicates) are not run. */
static void try_fact(struct eval *e, struct kb_near_miss *m, const struct fact *f, size_t *budget)
{
	struct kb_near_fact nf;
	size_t enough = m->nclosest == KB_NEAR_FACTS ? m->closest[KB_NEAR_FACTS - 1].nfailed : SIZE_MAX;
	fact_fails(e, f, enough, &nf);
	keep_closest(m, &nf);
	m->candidates++;
	if (budget && *budget)
		(*budget)--;
}

/* A scan of a kind's live facts for one partial match, into m. */
struct scan {
	struct eval *e;
	struct kb_near_miss *m;
	size_t *budget;            /* counted down, or NULL: one partial match, nothing after it to stop */
};

/* Whether a kind holds most facts: its facts are then read through the
 * table of facts by id, whose loads do not wait on one another as a walk
 * down the kind's list does (the facts kept do not depend on the order
 * they are tried in).  On a run of a million events that walk was half of
 * what near misses cost. */
static bool holds_most(const struct kb_engine *eng, int kind)
{
	return eng->kinds[kind].nlisted * 2 >= eng->nfacts;
}

/* The lines of a fact its tests read, fetched ahead. */
static void fetch_ahead(const struct fact *f, size_t nslots)
{
	__builtin_prefetch(&f->pub);
	for (size_t off = 0; off < nslots * sizeof(f->pub.slots[0]); off += 64)
		__builtin_prefetch((const char *)f->pub.slots + off);
}

/* Tries every fact in the table against the scans s[0..n) of its kind, each
 * fact read once for all of them. */
static void scan_table(const struct kb_engine *eng, const struct scan *s, size_t n)
{
	size_t nslots = eng->kinds[s[0].e->c->kind].nslots;
	for (size_t k = 0; k < n; k++)
		s[k].m->nclosest = s[k].m->candidates = 0;
	for (size_t i = 0; i < eng->nfacts; i++) {
		const struct fact *f = eng->facts[i];
		if (i + 16 < eng->nfacts)
			fetch_ahead(eng->facts[i + 16], nslots);
		for (size_t k = 0; k < n && f->pub.live; k++)
			if (f->pub.kind == s[k].e->c->kind)
				try_fact(s[k].e, s[k].m, f, s[k].budget);
	}
}

/* Tries every live fact of the condition's kind against one partial match. */
static void scan_facts(struct eval *e, struct kb_near_miss *m, size_t *budget)
{
	const struct kind *k = &e->eng->kinds[e->c->kind];
	if (holds_most(e->eng, e->c->kind)) {
		scan_table(e->eng, &(struct scan){e, m, budget}, 1);
		return;
	}
	m->nclosest = 0;
	m->candidates = 0;
	for (const struct fact *f = k->facts; f; f = f->kind_next)
		if (f->pub.live)
			try_fact(e, m, f, budget);
}

/* Whether the partial match got past the condition, given the scan. */
static bool passes(const struct eval *e, const struct kb_near_miss *m)
{
	bool hit = m->nclosest > 0 && m->closest[0].nfailed == 0;
	return e->c->type == KB_COND_NOT ? !hit : hit;
}

static enum kb_near_reason reason_of(const struct kb_cond *c, const struct kb_near_miss *m)
{
	switch (c->type) {
	case KB_COND_NOT: return KB_NEAR_BLOCKED;
	case KB_COND_TEST: return KB_NEAR_TEST;
	default: return m->candidates ? KB_NEAR_NO_MATCH : KB_NEAR_NO_FACT;
	}
}

/* After a scan: a negation keeps only the facts that block it; whether the
 * partial match got past the condition. */
static bool scanned(const struct eval *e, struct kb_near_miss *m)
{
	if (e->c->type == KB_COND_NOT)
		while (m->nclosest && m->closest[m->nclosest - 1].nfailed)
			m->nclosest--;
	return passes(e, m);
}

/* Evaluates the condition for one partial match into m; true if it passed. */
static bool eval_token(struct eval *e, struct kb_near_miss *m, size_t *budget)
{
	if (e->c->type == KB_COND_TEST) {
		m->nclosest = m->candidates = 0;
		if (*budget)
			(*budget)--;
		return call_pred(e, &e->c->pred, NULL);
	}
	scan_facts(e, m, budget);
	return scanned(e, m);
}

/* ---- the partial matches of a node, in fact order ---------------------- */

static int cmp_tokens(const void *a, const void *b)
{
	const struct token *x = *(const struct token *const *)a, *y = *(const struct token *const *)b;
	for (int l = 0; l < x->node->level; l++) {
		uint32_t i = x->facts[l] ? x->facts[l]->pub.id : 0, j = y->facts[l] ? y->facts[l]->pub.id : 0;
		if (i != j)
			return (i > j) - (i < j);
	}
	return 0;
}

/* A partial match with the ids of its first two facts packed in one
 * number, so that sorting a million of them compares numbers rather than
 * reading facts; the rest of the match decides only between equals. */
struct keyed_token {
	uint64_t key;
	const struct token *t;
};

static uint64_t token_key(const struct token *t)
{
	uint64_t key = 0;
	for (int l = 0; l < 2; l++)
		key = key << 32 | (l < t->node->level && t->facts[l] ? t->facts[l]->pub.id : 0);
	return key;
}

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed_token *x = a, *y = b;
	if (x->key != y->key)
		return (x->key > y->key) - (x->key < y->key);
	return cmp_tokens(&x->t, &y->t);
}

static const struct token **node_tokens(const struct bnode *n, size_t *count)
{
	const struct htab *mem = kb_left_memory(n);
	struct keyed_token *keyed = kbu_calloc(mem->count, sizeof(*keyed));
	size_t k = 0;
	for (uint32_t b = 0; mem->buckets && b <= mem->mask; b++)
		for (const struct hlink *l = mem->buckets[b].first; l && k < mem->count; l = l->next, k++)
			keyed[k] = (struct keyed_token){token_key((const struct token *)l), (const struct token *)l};
	qsort(keyed, k, sizeof(*keyed), cmp_keyed);
	const struct token **v = kbu_calloc(mem->count, sizeof(*v));
	for (size_t i = 0; i < k; i++)
		v[i] = keyed[i].t;
	free(keyed);
	*count = k;
	return v;
}

/* ---- the near miss ------------------------------------------------------ */

static void show_match(struct kb_near_miss *m, const struct token *t, size_t depth)
{
	for (size_t l = 0; l < depth; l++)
		m->matched[l] = t->facts[l] ? &t->facts[l]->pub : NULL;
}

/* The chain's deepest node holding partial matches (the first-level node
 * always holds the root's empty match). */
static const struct bnode *deepest(const struct rule *r)
{
	const struct bnode *chain[KB_MAX_CONDS];
	const struct bnode *n = r->terminal->parent;
	for (size_t l = r->nconds; l-- > 0; n = n->parent)
		chain[l] = n;
	size_t d = 0;
	for (size_t l = 0; l < r->nconds; l++)
		if (kb_left_memory(chain[l])->count || chain[l]->mem->partials_away)
			d = l;
	return chain[d];
}

/* Shows cur, what partial match t got, as the near miss. */
static void take(struct kb_near_miss *m, const struct kb_near_miss *cur, const struct token *t, int level)
{
	m->nclosest = cur->nclosest;
	m->candidates = cur->candidates;
	memcpy(m->closest, cur->closest, sizeof(m->closest));
	show_match(m, t, (size_t)level);
}

/* Tries the partial matches in order; keeps the one whose closest fact
 * failed fewest tests, or the first that passed. */
static int examine(struct eval *e, struct kb_near_miss *m, const struct token **toks, size_t ntoks)
{
	size_t budget = NEAR_BUDGET;
	bool have = false;
	struct kb_near_miss cur;
	for (size_t i = 0; i < ntoks && (i == 0 || budget); i++) {
		e->t = toks[i];
		bool pass = eval_token(e, &cur, &budget);
		size_t best = cur.nclosest ? cur.closest[0].nfailed : SIZE_MAX;
		size_t had = have && m->nclosest ? m->closest[0].nfailed : SIZE_MAX;
		if (pass || !have || best < had) {
			take(m, &cur, toks[i], e->level);
			have = true;
		}
		if (pass)
			return 1;
	}
	return 0;
}

/* One rule's near miss being found. */
struct near {
	struct eval e;
	const struct token **toks;
	size_t ntoks;
	struct kb_near_miss *out;
	struct kb_near_miss cur;   /* its scan, when scanned with others */
};

static void near_begin(struct kb_engine *eng, const struct rule *r, struct kb_near_miss *out, struct near *x)
{
	const struct bnode *n = deepest(r);
	memset(out, 0, sizeof(*out));
	x->toks = node_tokens(n, &x->ntoks);
	x->e = (struct eval){eng, r, &r->conds[n->level], n->level, NULL, kbu_calloc(r->nvars, sizeof(*x->e.local)),
			     kbu_calloc(r->nvars, sizeof(*x->e.bound)), NULL};
	x->out = out;
	out->alternative = r->alt;
	out->cond = (size_t)n->level;
	out->partial = x->ntoks + n->mem->partials_away;
}

static void near_end(struct near *x, bool passed)
{
	struct kb_near_miss *out = x->out;
	if (passed && out->cond + 1 == x->e.r->nconds) {
		out->reason = KB_NEAR_COMPLETE;
		out->cond = x->e.r->nconds;
		out->matched[x->e.level] = x->e.c->type == KB_COND_PATTERN && out->nclosest ? out->closest[0].fact : NULL;
	} else {
		out->reason = reason_of(x->e.c, out);
	}
	free(x->toks);
	free(x->e.local);
	free(x->e.bound);
	free(x->e.memo);
}

/* A rule whose one partial match is tried against a kind holding most
 * facts is scanned with the others like it.  Not when a test calls a
 * predicate: those are called in the order they always were. */
static bool scans_with_others(const struct near *x)
{
	const struct kb_cond *c = x->e.c;
	if (x->ntoks != 1 || c->type == KB_COND_TEST || !holds_most(x->e.eng, c->kind))
		return false;
	for (size_t i = 0; i < c->ntests; i++)
		if (c->tests[i].operand == KB_OPERAND_NONE)
			return false;
	return true;
}

/* Rules that stopped at their first partial match over the same facts: one
 * pass over the facts for all, instead of one each (a million events, a
 * dozen rules looking for bind failures in them). */
static void scan_together(struct kb_engine *eng, struct near *x, const size_t *which, size_t n)
{
	struct scan *s = kbu_calloc(n, sizeof(*s));
	for (size_t k = 0; k < n; k++) {
		struct near *y = &x[which[k]];
		y->e.t = y->toks[0];
		s[k] = (struct scan){&y->e, &y->cur, NULL};
	}
	if (n)
		scan_table(eng, s, n);
	for (size_t k = 0; k < n; k++) {
		struct near *y = &x[which[k]];
		bool pass = scanned(&y->e, &y->cur);
		take(y->out, &y->cur, y->toks[0], y->e.level);
		near_end(y, pass);
	}
	free(s);
}

/* The near misses of rules[0..n) (alternatives each) into out[0..n). */
static void near_misses(struct kb_engine *eng, const struct rule *const *rules, size_t n, struct kb_near_miss *out)
{
	struct near *x = kbu_calloc(n, sizeof(*x));
	size_t *together = kbu_calloc(n, sizeof(*together)), ntogether = 0;
	for (size_t i = 0; i < n; i++) {
		near_begin(eng, rules[i], &out[i], &x[i]);
		if (scans_with_others(&x[i]))
			together[ntogether++] = i;
		else
			near_end(&x[i], examine(&x[i].e, &out[i], x[i].toks, x[i].ntoks));
	}
	scan_together(eng, x, together, ntogether);
	free(together);
	free(x);
}

/* Whether alternative a's near miss got further than b's. */
static bool further(const struct kb_near_miss *a, const struct kb_near_miss *b)
{
	if (a->cond != b->cond)
		return a->cond > b->cond;
	size_t fa = a->nclosest ? a->closest[0].nfailed : SIZE_MAX;
	size_t fb = b->nclosest ? b->closest[0].nfailed : SIZE_MAX;
	return fa < fb;
}

/* Whether alternatives a and b of rule take the same choices before
 * condition cond: then the partial matches that reached it are the same. */
static bool same_prefix(const struct kb_rule *rule, size_t a, size_t b, size_t cond)
{
	for (size_t i = 0; i < cond && i < kb_rule_nconds(rule); i++)
		if (kb_rule_choice(rule, a, i) != kb_rule_choice(rule, b, i))
			return false;
	return true;
}

/* The partial matches that reached cond in any of the alternatives that
 * stopped there (each[first..end)), each counted once. */
static size_t partials_at(const struct kb_rule *rule, const struct kb_near_miss *each, size_t first, size_t end,
			  size_t cond)
{
	size_t n = 0;
	for (size_t a = first; a < end; a++) {
		bool counted = each[a].cond != cond;
		for (size_t b = first; b < a && !counted; b++)
			counted = each[b].cond == cond && same_prefix(rule, a - first, b - first, cond);
		if (!counted)
			n += each[a].partial;
	}
	return n;
}

void kb_rules_near_miss(struct kb_engine *eng, const struct kb_rule *const *rules, size_t n, struct kb_near_miss *out)
{
	size_t nalts = 0;
	for (size_t i = 0; i < n; i++)
		nalts += rule_of(rules[i])->visible->nalts;
	const struct rule **alts = kbu_calloc(nalts, sizeof(*alts));
	struct kb_near_miss *each = kbu_calloc(nalts, sizeof(*each));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct rule *r = rule_of(rules[i])->visible;
		for (size_t a = 0; a < r->nalts; a++)
			alts[k++] = r->alts ? r->alts[a] : r;
	}
	near_misses(eng, alts, nalts, each);
	k = 0;
	for (size_t i = 0; i < n; i++) {
		size_t first = k, best = k;
		k += rule_of(rules[i])->visible->nalts;
		for (size_t a = first + 1; a < k; a++)
			if (further(&each[a], &each[best]))
				best = a;
		out[i] = each[best];
		out[i].partial = partials_at(rules[i], each, first, k, out[i].cond);
	}
	free(each);
	free(alts);
}
void kb_rule_near_miss(struct kb_engine *eng, const struct kb_rule *rule, struct kb_near_miss *out)
{
	kb_rules_near_miss(eng, &rule, 1, out);
}
