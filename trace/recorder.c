/*
 * recorder.c — the engine's recorder hook, filling a struct kbt_trace: each
 * event records what it shows (facts with provenance and justification,
 * activations, firings with bindings).  The strings a fact or a firing
 * holds are the engine's, interned or in its arena (a fact's provenance
 * text) and kept as long as the engine: the
 * trace points at them rather than copy and hash each again, which on a
 * run of a million events was most of what recording a fact cost (trace.h,
 * Ownership).  What is made for the trace (conditions written back,
 * errors, what the rule files say) is copied.  Rules are numbered as they
 * are first seen, through a small pointer map.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "report.h"

/* A rule seen, by address.  The engine's name and where strings are
 * interned, so comparing their pointers tells a rule that took the
 * address of a removed one (a rule file replacing a rule) cheaply. */
struct rule_slot {
	const struct kb_rule *rule;
	const char *name, *where;
	size_t idx;                  /* in t->rules */
};

struct kbt_recorder {
	struct kb_engine *eng;
	struct kbt_trace *t;
	struct kb_recorder hook;
	struct rule_slot *map;       /* open addressing */
	size_t cap;
	size_t input_cursor;         /* next fact (index) to give an input */
	size_t **var_order;          /* by rule index: kbt_var_order() */
	size_t norders;
};

/* ---- rules ------------------------------------------------------------------ */

static size_t ptr_slot(size_t cap, const struct kb_rule *rule)
{
	uint64_t h = (uint64_t)(uintptr_t)rule * 0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 20) & (cap - 1);
}

static void map_grow(struct kbt_recorder *r)
{
	size_t cap = r->cap ? r->cap * 2 : 64;
	struct rule_slot *map = kbu_calloc(cap, sizeof(*map));
	for (size_t i = 0; i < r->cap; i++) {
		if (!r->map[i].rule)
			continue;
		size_t j = ptr_slot(cap, r->map[i].rule);
		while (map[j].rule)
			j = (j + 1) & (cap - 1);
		map[j] = r->map[i];
	}
	free(r->map);
	r->map = map;
	r->cap = cap;
}

static void rule_describe(struct kbt_recorder *r, struct kbt_rule *x, const struct kb_rule *rule)
{
	struct kbt_trace *t = r->t;
	r->var_order = kbu_realloc(r->var_order, r->norders + 1, sizeof(*r->var_order));
	r->var_order[r->norders++] = kbt_var_order(rule);
	x->id = kbt_str(t, kb_rule_name(rule));
	x->where = kbt_str(t, kb_rule_where(rule));
	x->salience = kb_rule_salience(rule);
	x->nconds = kb_rule_nconds(rule);
	x->conds = kbt_alloc(t, x->nconds * sizeof(*x->conds));
	for (size_t i = 0; i < x->nconds; i++) {
		char buf[2048];
		kbr_format_cond(buf, sizeof(buf), r->eng, rule, i);
		x->conds[i] = kbt_str(t, buf);
	}
}

/* The rule's index in the trace, adding it when first seen. */
static size_t rule_index(struct kbt_recorder *r, const struct kb_rule *rule)
{
	if (2 * (r->t->nrules + 1) > r->cap)
		map_grow(r);
	size_t j = ptr_slot(r->cap, rule);
	while (r->map[j].rule && r->map[j].rule != rule)
		j = (j + 1) & (r->cap - 1);
	struct rule_slot *e = &r->map[j];
	const char *name = kb_rule_name(rule), *where = kb_rule_where(rule);
	if (e->rule && e->name == name && e->where == where)
		return e->idx;
	*e = (struct rule_slot){rule, name, where, r->t->nrules};
	rule_describe(r, kbt_push(r->t, KBT_RULES), rule);
	return e->idx;
}

void kbt_recorder_rule_info(struct kbt_recorder *r, const struct kb_rule *rule, const char *article,
			    const char *title, const char *severity, const char *const *makes)
{
	size_t idx = rule_index(r, rule); /* may move the rules */
	struct kbt_rule *x = &r->t->rules[idx];
	x->article = kbt_str(r->t, article);
	x->title = kbt_str(r->t, title);
	x->severity = kbt_str(r->t, severity);
	size_t n = 0;
	while (makes && makes[n])
		n++;
	x->makes = kbt_alloc(r->t, n * sizeof(*x->makes));
	for (x->nmakes = 0; x->nmakes < n; x->nmakes++)
		x->makes[x->nmakes] = kbt_str(r->t, makes[x->nmakes]);
}

/* ---- events ------------------------------------------------------------------- */

static struct kbt_event *event(struct kbt_recorder *r, enum kbt_event_type type)
{
	struct kbt_event *e = kbt_push(r->t, KBT_EVENTS);
	e->type = type;
	e->firing = kb_engine_firing(r->eng);
	return e;
}

static uint32_t *fact_ids(struct kbt_trace *t, const struct kb_activation *act, size_t *n)
{
	*n = kb_activation_nfacts(act); /* at most KB_MAX_CONDS */
	uint32_t *ids = kbt_alloc(t, *n * sizeof(*ids));
	for (size_t i = 0; i < *n; i++) {
		const struct kb_fact *f = kb_activation_fact(act, i);
		ids[i] = f ? f->id : 0;
	}
	return ids;
}

static void copy_slots(struct kbt_recorder *r, struct kbt_fact *x, const struct kb_fact *f)
{
	size_t n = 0;
	for (size_t i = 0; i < f->nslots; i++)
		n += f->slots[i].type != KB_NIL;
	x->slots = kbt_alloc(r->t, n * sizeof(*x->slots));
	for (size_t i = 0; i < f->nslots; i++) {
		if (f->slots[i].type == KB_NIL)
			continue;
		struct kbt_slot *s = &x->slots[x->nslots++];
		s->name = kb_kind_slot(r->eng, f->kind, i)->name;
		s->value = f->slots[i];
	}
}

static void on_assert(void *ud, const struct kb_fact *f)
{
	struct kbt_recorder *r = ud;
	struct kbt_trace *t = r->t;
	struct kbt_event *e = event(r, KBT_EV_ASSERT);
	e->fact = f->id;
	struct kbt_fact *x = kbt_push(t, KBT_FACTS);
	x->id = f->id;
	x->kind = kb_kind_name(r->eng, f->kind);
	copy_slots(r, x, f);
	x->origin = f->prov.origin;
	x->source = f->prov.source;
	x->line = f->prov.line;
	x->text = f->prov.text;
	x->offset = f->prov.cite.offset;
	x->length = f->prov.cite.length;
	x->input = -1;
	x->replaces = f->replaces ? f->replaces->id : 0;
	x->asserted = t->nevents;
	if (f->just) {
		x->firing = f->just->firing;
		x->npremises = f->just->npremises;
		x->premises = kbt_alloc(t, x->npremises * sizeof(*x->premises));
		for (size_t i = 0; i < x->npremises; i++)
			x->premises[i] = f->just->premises[i] ? f->just->premises[i]->id : 0;
	}
}

static void on_retract(void *ud, const struct kb_fact *f)
{
	struct kbt_recorder *r = ud;
	struct kbt_event *e = event(r, KBT_EV_RETRACT);
	e->fact = f->id;
	struct kbt_fact *x = (struct kbt_fact *)kbt_fact(r->t, f->id);
	if (x) {
		x->retracted = r->t->nevents;
		x->retracted_by = e->firing;
	}
}

static void on_activate(void *ud, const struct kb_activation *act)
{
	struct kbt_recorder *r = ud;
	size_t rule = rule_index(r, kb_activation_rule(act));
	struct kbt_event *e = event(r, KBT_EV_ACTIVATE);
	e->rule = (uint32_t)rule;
	e->activation = kb_activation_seq(act);
	size_t n;
	e->facts = fact_ids(r->t, act, &n);
	e->nfacts = (uint32_t)n;
	r->t->rules[rule].activations++;
}

static void on_deactivate(void *ud, const struct kb_activation *act)
{
	struct kbt_recorder *r = ud;
	size_t rule = rule_index(r, kb_activation_rule(act));
	struct kbt_event *e = event(r, KBT_EV_DEACTIVATE);
	e->rule = rule;
	e->activation = kb_activation_seq(act);
}

static void bindings(struct kbt_recorder *r, struct kbt_firing *x, const struct kb_activation *act)
{
	const struct kb_rule *rule = kb_activation_rule(act);
	size_t nvars = kb_rule_nvars(rule), *order = r->var_order[x->rule];
	x->bindings = kbt_alloc(r->t, nvars * sizeof(*x->bindings));
	for (size_t i = 0; i < nvars; i++) {
		int v = (int)order[i];
		struct kb_value val = kb_activation_var(act, v);
		const char *name = kb_rule_var_name(rule, v);
		if (val.type != KB_NIL && name)
			x->bindings[x->nbindings++] = (struct kbt_slot){name, val};
	}
}

static void on_fire(void *ud, uint64_t n, const struct kb_activation *act)
{
	struct kbt_recorder *r = ud;
	size_t rule = rule_index(r, kb_activation_rule(act));
	struct kbt_event *e = event(r, KBT_EV_FIRE);
	e->firing = n;
	e->rule = rule;
	e->activation = kb_activation_seq(act);
	struct kbt_firing *x = kbt_push(r->t, KBT_FIRINGS);
	x->n = n;
	x->rule = rule;
	x->activation = e->activation;
	x->event = r->t->nevents;
	x->facts = fact_ids(r->t, act, &x->nfacts);
	bindings(r, x, act);
	x->nchoices = kbt_choices(r->t, r->eng, kb_activation_rule(act), kb_activation_alternative(act),
				  kb_rule_nconds(kb_activation_rule(act)), &x->choices);
	r->t->rules[rule].fired++;
}

/* The engine reports a failed action once the action has returned; the
 * events since its FIRE event tell that it belongs to that firing. */
static uint64_t failed_firing(const struct kbt_recorder *r, size_t rule)
{
	const struct kbt_trace *t = r->t;
	if (!t->nfirings || t->firings[t->nfirings - 1].rule != rule || !t->nevents)
		return 0;
	const struct kbt_firing *x = &t->firings[t->nfirings - 1];
	return t->events[t->nevents - 1].firing == x->n ? x->n : 0;
}

static void on_rule_failed(void *ud, const struct kb_rule *rule, const struct kb_error *err)
{
	struct kbt_recorder *r = ud;
	size_t idx = rule_index(r, rule);
	uint64_t after = kb_engine_firing(r->eng) ? 0 : failed_firing(r, idx);
	struct kbt_event *e = event(r, KBT_EV_ERROR);
	if (after)
		e->firing = after;
	e->rule = idx;
	e->error = (uint32_t)r->t->nerrors;
	struct kbt_error *x = kbt_push(r->t, KBT_ERRORS);
	x->rule = idx;
	x->where = kbt_str(r->t, err->where);
	x->message = kbt_str(r->t, err->msg);
	x->firing = e->firing;
	r->t->rules[idx].disabled = kb_rule_disabled(rule);
}

/* ---- the recorder ------------------------------------------------------------- */

struct kbt_recorder *kbt_recorder_new(struct kb_engine *eng, struct kbt_trace *t)
{
	struct kbt_recorder *r = kbu_calloc(1, sizeof(*r));
	r->eng = eng;
	r->t = t;
	r->hook = (struct kb_recorder){
		.ud = r, .asserted = on_assert, .retracted = on_retract, .activated = on_activate,
		.deactivated = on_deactivate, .fired = on_fire, .rule_failed = on_rule_failed,
	};
	kb_engine_set_recorder(eng, &r->hook);
	return r;
}

void kbt_recorder_free(struct kbt_recorder *r)
{
	if (!r)
		return;
	kb_engine_set_recorder(r->eng, NULL);
	for (size_t i = 0; i < r->norders; i++)
		free(r->var_order[i]);
	free(r->var_order);
	free(r->map);
	free(r);
}

void kbt_recorder_input(struct kbt_recorder *r, const char *path, const char *format, size_t facts,
			const char *unavailable, bool collector)
{
	struct kbt_trace *t = r->t;
	int idx = (int)t->ninputs;
	struct kbt_input *in = kbt_push(t, KBT_INPUTS);
	in->path = kbt_str(t, path);
	in->format = kbt_str(t, format);
	in->unavailable = kbt_str(t, unavailable);
	in->facts = facts;
	in->collector = collector;
	for (size_t given = 0; given < facts && r->input_cursor < t->nfacts; r->input_cursor++) {
		struct kbt_fact *f = &t->facts[r->input_cursor];
		if (f->origin == KB_ORIGIN_EVIDENCE && f->input < 0) {
			f->input = idx;
			given++;
		}
	}
}

/* The rules that never fired have their near misses found together (the
 * engine tries rules that stopped at the same facts in one pass), and
 * recorded in the order of the rules. */
void kbt_recorder_finish(struct kbt_recorder *r)
{
	size_t n = 0, cap = 0, *idx = NULL;
	const struct kb_rule **unfired = NULL;
	for (const struct kb_rule *rule = kb_rule_next(r->eng, NULL); rule; rule = kb_rule_next(r->eng, rule)) {
		size_t i = rule_index(r, rule);
		if (r->t->rules[i].fired)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			unfired = kbu_realloc(unfired, cap, sizeof(*unfired));
			idx = kbu_realloc(idx, cap, sizeof(*idx));
		}
		unfired[n] = rule;
		idx[n++] = i;
	}
	struct kb_near_miss *m = kbu_calloc(n, sizeof(*m));
	kb_rules_near_miss(r->eng, unfired, n, m);
	for (size_t i = 0; i < n; i++)
		kbt_nearmiss_record(r->t, r->eng, unfired[i], idx[i], &m[i]);
	free(m);
	free(unfired);
	free(idx);
}
