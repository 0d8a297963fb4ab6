/*
 * rules.c — the rule table: adding (copy, compile), replacing, removing,
 * disabling a rule after an error, and read access for reports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "utf8.h"

static void *dup_array(const void *src, size_t n, size_t size)
{
	if (!n)
		return NULL;
	return kbu_memdup(src, n * size);
}

static void test_copy(struct kb_test *dst, const struct kb_test *src)
{
	*dst = *src;
	dst->set = dup_array(src->set, src->nset, sizeof(*src->set));
	dst->pred.vars = dup_array(src->pred.vars, src->pred.nvars, sizeof(int));
}

static void cond_copy(struct kb_engine *eng, struct kb_cond *dst, const struct kb_cond *src)
{
	*dst = *src;
	struct kb_test *tests = dup_array(src->tests, src->ntests, sizeof(*tests));
	for (size_t i = 0; i < src->ntests; i++)
		test_copy(&tests[i], &src->tests[i]);
	dst->tests = tests;
	dst->pred.vars = dup_array(src->pred.vars, src->pred.nvars, sizeof(int));
	dst->where = src->where ? kb_intern_cstr(eng, src->where) : NULL;
	struct kb_cond *choices = dup_array(src->choices, src->nchoices, sizeof(*choices));
	for (size_t i = 0; i < src->nchoices; i++)
		cond_copy(eng, &choices[i], &src->choices[i]);
	dst->choices = choices;
}

static void cond_free(struct kb_cond *c)
{
	for (size_t j = 0; j < c->ntests; j++) {
		free((void *)c->tests[j].set);
		free((void *)c->tests[j].pred.vars);
	}
	free((void *)c->tests);
	free((void *)c->pred.vars);
	for (size_t j = 0; j < c->nchoices; j++)
		cond_free((struct kb_cond *)&c->choices[j]);
	free((void *)c->choices);
}

static void conds_free(struct kb_cond *conds, size_t n)
{
	for (size_t i = 0; conds && i < n; i++)
		cond_free(&conds[i]);
	free(conds);
}

static struct rule *rule_copy(struct kb_engine *eng, const struct kb_rule_def *def)
{
	struct rule *r = kbu_calloc(1, sizeof(*r));
	r->name = kb_intern_cstr(eng, def->name);
	r->where = kb_intern_cstr(eng, def->where ? def->where : "");
	r->salience = def->salience;
	r->nvars = def->nvars;
	r->var_names = kbu_calloc(def->nvars, sizeof(*r->var_names));
	r->vars = kbu_calloc(def->nvars, sizeof(*r->vars));
	r->conds = kbu_calloc(def->nconds, sizeof(*r->conds));
	for (size_t v = 0; v < def->nvars; v++)
		r->var_names[v] = def->var_names && def->var_names[v] ? kb_intern_cstr(eng, def->var_names[v]) : NULL;
	r->nconds = def->nconds;
	for (size_t i = 0; i < def->nconds; i++)
		cond_copy(eng, &r->conds[i], &def->conds[i]);
	r->action = def->action;
	r->ud = def->ud;
	for (size_t i = 0; i < r->nconds; i++)
		r->complexity += 1 + (int)r->conds[i].ntests;
	r->visible = r;
	r->nalts = 1;
	return r;
}

void kb_rule_copy_free(struct rule *r)
{
	conds_free(r->conds, r->nconds);
	conds_free(r->written, r->nconds);
	free(r->alts);
	free(r->vars);
	free(r->var_names);
	free(r);
}

/* ---- alternatives (KB_COND_ANY) ------------------------------------------------ */

/* How many alternatives def's KB_COND_ANY conditions make: 1 without any;
 * 0 with err set when a choice list is malformed or there are too many. */
static size_t count_alternatives(const struct kb_rule_def *def, struct kb_error *err)
{
	size_t n = 1;
	for (size_t i = 0; i < def->nconds && i < KB_MAX_CONDS; i++) {
		const struct kb_cond *c = &def->conds[i];
		const char *where = c->where ? c->where : def->where;
		if (c->type != KB_COND_ANY)
			continue;
		if (c->nchoices < 2 || c->nchoices > KB_MAX_CHOICES || !c->choices) {
			kb_error_set(err, KB_EINVAL, where, "a choice of conditions needs 2 to %d of them", KB_MAX_CHOICES);
			return 0;
		}
		for (size_t k = 0; k < c->nchoices; k++)
			if (c->choices[k].type == KB_COND_ANY) {
				kb_error_set(err, KB_EINVAL, c->choices[k].where ? c->choices[k].where : where,
					     "a choice cannot itself be a choice of conditions");
				return 0;
			}
		n *= c->nchoices;
		if (n > KB_MAX_ALTERNATIVES) {
			kb_error_set(err, KB_EINVAL, where,
				     "the rule's choices make more than %d combinations of conditions", KB_MAX_ALTERNATIVES);
			return 0;
		}
	}
	return n;
}

static size_t choice_of(const struct kb_cond *conds, size_t nconds, size_t alt, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (conds[j].type == KB_COND_ANY)
			alt /= conds[j].nchoices;
	return alt % conds[i].nchoices;
}

/* Alternative alt of def: def with each KB_COND_ANY replaced by its choice. */
static struct rule *alternative_copy(struct kb_engine *eng, const struct kb_rule_def *def, size_t alt)
{
	struct kb_cond flat[KB_MAX_CONDS];
	for (size_t i = 0; i < def->nconds; i++)
		flat[i] = def->conds[i].type == KB_COND_ANY
				  ? def->conds[i].choices[choice_of(def->conds, def->nconds, alt, i)]
				  : def->conds[i];
	struct kb_rule_def one = *def;
	one.conds = flat;
	struct rule *r = rule_copy(eng, &one);
	r->alt = alt;
	return r;
}

static void alternatives_free(struct kb_engine *eng, struct rule *visible)
{
	for (size_t k = visible->nalts; k-- > 1;) {
		if (visible->alts[k]->terminal)
			kb_uncompile(eng, visible->alts[k]->terminal);
		kb_rule_copy_free(visible->alts[k]);
	}
	if (visible->terminal)
		kb_uncompile(eng, visible->terminal);
	kb_rule_copy_free(visible);
}

/* Each alternative of def copied and compiled; the first holds the rest.
 * NULL with err set when one does not compile. */
static struct rule *compile_rule(struct kb_engine *eng, const struct kb_rule_def *def, struct kb_error *err)
{
	if (def->nconds > KB_MAX_CONDS) {
		kb_error_set(err, KB_EINVAL, def->where, "a rule needs 1 to %d conditions", KB_MAX_CONDS);
		return NULL;
	}
	size_t nalts = count_alternatives(def, err);
	if (!nalts)
		return NULL;
	struct rule *visible = nalts == 1 ? rule_copy(eng, def) : alternative_copy(eng, def, 0);
	if (nalts > 1) {
		visible->nalts = nalts;
		visible->alts = kbu_calloc(nalts, sizeof(*visible->alts));
		visible->alts[0] = visible;
		visible->written = kbu_calloc(def->nconds, sizeof(*visible->written));
		for (size_t i = 0; i < def->nconds; i++)
			cond_copy(eng, &visible->written[i], &def->conds[i]);
		for (size_t k = 1; k < nalts; k++) {
			visible->alts[k] = alternative_copy(eng, def, k);
			visible->alts[k]->visible = visible;
		}
	}
	for (size_t k = 0; k < nalts; k++) {
		struct rule *r = nalts == 1 ? visible : visible->alts[k];
		eng->compiling = r;
		r->terminal = kb_compile(eng, r, err);
		eng->compiling = NULL;
		if (!r->terminal) {
			alternatives_free(eng, visible);
			return NULL;
		}
	}
	return visible;
}

static bool is_visible(const struct rule *r)
{
	return r->visible == r;
}

const struct kb_rule *kb_rule_find(const struct kb_engine *eng, const char *name)
{
	for (struct rule *r = eng->rules; r; r = r->next)
		if (is_visible(r) && strcmp(r->name, name) == 0)
			return rule_pub(r);
	return NULL;
}

const struct kb_rule *kb_rule_add(struct kb_engine *eng, const struct kb_rule_def *def,
				  struct kb_error *err)
{
	if (!def->name || !*def->name) {
		kb_error_set(err, KB_EINVAL, def->where, "a rule needs a name");
		return NULL;
	}
	kb_modify_flush(eng);
	kb_prefilter_rule_added(eng);
	struct rule *r = compile_rule(eng, def, err);
	if (!r)
		return NULL;
	const struct kb_rule *old = kb_rule_find(eng, def->name);
	if (old)
		kb_rule_remove(eng, old);
	struct rule **tail = &eng->rules;
	while (*tail)
		tail = &(*tail)->next;
	for (size_t k = 0; k < r->nalts; k++) {
		*tail = r->nalts == 1 ? r : r->alts[k];
		tail = &(*tail)->next;
	}
	eng->nrules++;
	return rule_pub(r);
}

bool kb_rule_remove(struct kb_engine *eng, const struct kb_rule *pub)
{
	kb_prefilter_rule_added(eng); /* the filter's tables point at nodes this may free */
	kb_modify_flush(eng);
	struct rule *r = rule_of(pub)->visible;
	struct rule **p = &eng->rules;
	while (*p && *p != r)
		p = &(*p)->next;
	if (!*p)
		return false;
	for (size_t k = 0; k < r->nalts; k++)
		*p = (*p)->next; /* the alternatives follow the visible rule */
	eng->nrules--;
	alternatives_free(eng, r);
	return true;
}

void kb_rules_free(struct kb_engine *eng)
{
	while (eng->rules) {
		struct rule *r = eng->rules;
		eng->rules = r->next;
		kb_rule_copy_free(r);
	}
	eng->nrules = 0;
}

/* r's recorded error with err's place and message, or the last one kept
 * once r has KB_RULE_ERRORS_KEPT; -1 when a new record is due. */
static ptrdiff_t same_error(const struct kb_engine *eng, const struct rule *r, const char *where, const char *msg)
{
	for (size_t i = 0; i < r->nerrors; i++) {
		const struct kb_error *e = &eng->errors[r->errors[i]].err;
		if (strcmp(e->where, where) == 0 && strcmp(e->msg, msg) == 0)
			return (ptrdiff_t)r->errors[i];
	}
	return r->nerrors == KB_RULE_ERRORS_KEPT ? (ptrdiff_t)r->errors[r->nerrors - 1] : -1;
}

/* err as r's record (r NULL: the run's), "rule ID: " before its message. */
static struct kb_error error_text(const struct rule *r, const struct kb_error *err)
{
	struct kb_error rec = {0};
	const char *where = err->where[0] || !r ? err->where : r->where;
	const char *msg = err->msg[0] ? err->msg : "failed";
	enum kb_status status = err->status ? err->status : KB_ERULE;
	if (r)
		kb_error_set(&rec, status, where, "rule %s: %s", r->name, msg);
	else
		kb_error_set(&rec, status, where, "%s", msg);
	return rec;
}

static void error_append(struct kb_engine *eng, struct rule *r, const struct kb_error *rec)
{
	eng->errors = kbu_realloc(eng->errors, eng->nerrors + 1, sizeof(*eng->errors));
	eng->errors[eng->nerrors] = (struct rule_error){*rec, 0};
	if (r && r->nerrors < KB_RULE_ERRORS_KEPT)
		r->errors[r->nerrors++] = eng->nerrors;
	eng->nerrors++;
	if (r && eng->rec && eng->rec->rule_failed)
		eng->rec->rule_failed(eng->rec->ud, rule_pub(r), rec);
}

void kb_rule_error_add(struct kb_engine *eng, struct rule *r, const struct kb_error *err)
{
	r = r ? r->visible : NULL; /* an alternative's errors are its rule's */
	struct kb_error rec = error_text(r, err);
	ptrdiff_t same = r ? same_error(eng, r, rec.where, rec.msg) : -1;
	if (same >= 0)
		eng->errors[same].repeats++;
	else
		error_append(eng, r, &rec);
}

/* An error fails one activation or one fact's test, not the rule: a
 * single odd value (a 20 MB log line) must not cost the findings the rule
 * makes on the rest.  Only overruns, each of which can cost a whole
 * budget, add up to disabling it, which is always listed. */
void kb_rule_fail(struct kb_engine *eng, struct rule *r, const struct kb_error *err)
{
	r = r->visible;
	if (r->disabled)
		return;
	kb_rule_error_add(eng, r, err);
	if (err->status != KB_EBUDGET || ++r->overruns < KB_RULE_OVERRUNS)
		return;
	struct kb_error why = {0};
	kb_error_set(&why, KB_EBUDGET, r->where, "disabled: %d of its calls ran out of their budget",
		     KB_RULE_OVERRUNS);
	struct kb_error rec = error_text(r, &why);
	error_append(eng, r, &rec);
	for (size_t k = 0; k < r->nalts; k++) {
		struct rule *alt = r->nalts == 1 ? r : r->alts[k];
		alt->disabled = true;
		kb_agenda_remove_rule(eng, alt);
	}
}

/* The "file:line" of r's condition on kind with a match test on slot,
 * against the constant pat or a variable. */
static const char *match_where(const struct rule *r, int kind, int slot, struct kb_value pat)
{
	for (size_t i = 0; i < r->nconds; i++) {
		const struct kb_cond *c = &r->conds[i];
		for (size_t j = 0; c->type != KB_COND_TEST && c->kind == kind && j < c->ntests; j++) {
			const struct kb_test *t = &c->tests[j];
			if (t->op == KB_OP_MATCH && t->slot == slot &&
			    (t->operand == KB_OPERAND_VAR || t->value.u.s == pat.u.s))
				return c->where ? c->where : r->where;
		}
	}
	return r->where;
}

/* Whether r's chain goes through node n or reads alpha node a. */
static bool chain_uses(const struct kb_engine *eng, const struct rule *r, const struct alpha_node *a,
		       const struct bnode *n)
{
	for (const struct bnode *b = r->terminal; b && b != &eng->root; b = b->parent)
		if (b == n || (a && b->amem && b->amem->anode == a))
			return true;
	return false;
}

/* A match test failing is the fact's, not the rule's: it costs the rule
 * nothing more than that fact (the test counts its own overruns). */
static void fail_match(struct kb_engine *eng, struct rule *r, int kind, int slot, struct kb_value pat,
		       struct kb_error *why)
{
	kbu_utf8_keep_end(why->where, sizeof(why->where), match_where(r, kind, slot, pat));
	kb_rule_error_add(eng, r, why);
}

void kb_rules_match_failed(struct kb_engine *eng, const struct alpha_node *a, const struct bnode *n, int slot,
			   struct kb_value pat, bool spent, struct kb_error *why)
{
	int kind = a ? a->kind : n->amem ? n->amem->anode->kind : -1;
	size_t len = strlen(why->msg);
	if (spent)
		snprintf(why->msg + len, sizeof(why->msg) - len, "; that is %d values, and it is not tried on more",
			 KB_RULE_OVERRUNS);
	if (eng->compiling)
		fail_match(eng, eng->compiling, kind, slot, pat, why);
	for (struct rule *r = eng->rules; r; r = r->next)
		if (!r->disabled && chain_uses(eng, r, a, n))
			fail_match(eng, r, kind, slot, pat, why);
}

size_t kb_rule_count(const struct kb_engine *eng) { return eng->nrules; }
const char *kb_rule_name(const struct kb_rule *r) { return rule_of(r)->name; }
const char *kb_rule_where(const struct kb_rule *r) { return rule_of(r)->where; }
int kb_rule_salience(const struct kb_rule *r) { return rule_of(r)->salience; }
bool kb_rule_disabled(const struct kb_rule *r) { return rule_of(r)->disabled; }
size_t kb_rule_nconds(const struct kb_rule *r) { return rule_of(r)->nconds; }
size_t kb_rule_nalternatives(const struct kb_rule *r) { return rule_of(r)->visible->nalts; }

const char *kb_rule_var_name(const struct kb_rule *r, int var)
{
	const struct rule *x = rule_of(r);
	return var >= 0 && (size_t)var < x->nvars ? x->var_names[var] : NULL;
}

const struct kb_cond *kb_rule_cond(const struct kb_rule *r, size_t i)
{
	const struct rule *x = rule_of(r)->visible;
	if (i >= x->nconds)
		return NULL;
	return x->written ? &x->written[i] : &x->conds[i];
}

int kb_rule_choice(const struct kb_rule *r, size_t alternative, size_t i)
{
	const struct rule *x = rule_of(r)->visible;
	if (!x->written || i >= x->nconds || x->written[i].type != KB_COND_ANY)
		return -1;
	return (int)choice_of(x->written, x->nconds, alternative, i);
}

const struct kb_cond *kb_rule_alternative_cond(const struct kb_rule *r, size_t alternative, size_t i)
{
	const struct rule *x = rule_of(r)->visible;
	if (i >= x->nconds)
		return NULL;
	return alternative < x->nalts && x->alts ? &x->alts[alternative]->conds[i] : &x->conds[i];
}

size_t kb_rule_error_count(const struct kb_engine *eng) { return eng->nerrors; }

const struct kb_error *kb_rule_error(const struct kb_engine *eng, size_t i)
{
	return i < eng->nerrors ? &eng->errors[i].err : NULL;
}

uint64_t kb_rule_error_repeats(const struct kb_engine *eng, size_t i)
{
	return i < eng->nerrors ? eng->errors[i].repeats : 0;
}
