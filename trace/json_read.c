/*
 * json_read.c — a saved trace read back (docs/trace-format.md), so that
 * `kbdiag explain` renders it exactly as the run that made it would have.
 *
 * Read as a stream (util/json_scan.h) from the file mapped read-only and
 * given back as it is read (util/filemap.h): a trace of millions of events
 * costs its model, not the file and a tree of it.  Arrays, whose length a
 * stream does not tell in advance, gather in a scratch buffer and are then
 * copied once into the trace (json_fields.c).
 *
 * The file is untrusted: every field is type-checked, every reference to a
 * fact, rule or input must resolve, no object names one of its members
 * twice (members it does not know are skipped), and the
 * first problem is reported with where it is ("line 12: facts[3].premises[1]
 * is not a fact").  A member is checked as it is read; what needs the whole
 * element (a member missing, facts in id order) once the element is read;
 * references to facts once the document is.  Sections may come in any
 * order: one that needs another (each needs the version, facts the inputs,
 * the rest the rules) is skipped and read once that one has been.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json_reader.h"

#define HAS(seen, m) ((seen) & (1u << (m)))

/* ---- inputs and rules ---------------------------------------------------------------- */

enum { IN_PATH, IN_FORMAT, IN_UNAVAILABLE, IN_FACTS, IN_COLLECTOR, IN_N };
static const char *const input_members[IN_N] = {"path", "format", "unavailable", "facts", "collector"};

static int input_member(struct kbt_json_reader *rd, void *elem, int m)
{
	struct kbt_input *in = elem;
	uint64_t n;
	switch (m) {
	case IN_PATH: return kbt_json_str(rd, &in->path);
	case IN_FORMAT: return kbt_json_str(rd, &in->format);
	case IN_UNAVAILABLE: return kbt_json_str(rd, &in->unavailable);
	case IN_FACTS: return kbt_json_count(rd, &n) < 0 ? -1 : (in->facts = (size_t)n, 0);
	default: return kbt_json_bool(rd, &in->collector);
	}
}

static int read_input(struct kbt_json_reader *rd)
{
	struct kbt_input *in = kbt_push(rd->t, KBT_INPUTS);
	uint32_t seen;
	if (kbt_json_members(rd, input_members, IN_N, &seen, input_member, in) < 0)
		return -1;
	return in->path ? 0 : kbt_json_bad_here(rd, ".path is missing");
}

static int string_element(struct kbt_json_reader *rd, void *ud)
{
	const char *cond;
	(void)ud;
	if (kbt_json_str_strict(rd, &cond) < 0)
		return -1;
	kbt_json_scratch_push(rd, &cond, sizeof(cond));
	return 0;
}

/* ---- any_of choices (firings and near misses) ------------------------------------------ */

enum { CH_CONDITION, CH_CHOICE, CH_PATTERN, CH_N };
static const char *const choice_members[CH_N] = {"condition", "choice", "pattern"};

static int choice_member(struct kbt_json_reader *rd, void *elem, int m)
{
	struct kbt_choice *c = elem;
	int64_t n;
	switch (m) {
	case CH_CONDITION: return kbt_json_int(rd, &n, 1) < 0 ? -1 : (c->cond = (size_t)n - 1, 0);
	case CH_CHOICE: return kbt_json_int(rd, &n, 1) < 0 ? -1 : (c->choice = (size_t)n - 1, 0);
	default: return kbt_json_str_strict(rd, &c->pattern);
	}
}

static int choice_element(struct kbt_json_reader *rd, void *ud)
{
	struct kbt_choice c = {0};
	uint32_t seen;
	(void)ud;
	if (kbt_json_members(rd, choice_members, CH_N, &seen, choice_member, &c) < 0)
		return -1;
	if (!HAS(seen, CH_CONDITION) || !HAS(seen, CH_CHOICE) || !HAS(seen, CH_PATTERN))
		return kbt_json_bad_here(rd, "%s is missing",
					 !HAS(seen, CH_CONDITION) ? ".condition" : !HAS(seen, CH_CHOICE) ? ".choice" : ".pattern");
	kbt_json_scratch_push(rd, &c, sizeof(c));
	return 0;
}

static int read_choices(struct kbt_json_reader *rd, struct kbt_choice **out, size_t *n)
{
	return (*out = kbt_json_array(rd, choice_element, sizeof(**out), n)) ? 0 : -1;
}

/* Each choice names one of the rule's conditions. */
static int choices_fit(struct kbt_json_reader *rd, const struct kbt_choice *c, size_t n, size_t rule)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].cond >= rd->t->rules[rule].nconds)
			return kbt_json_bad_here(rd, ".choices[%zu].condition is past the rule's last condition", i);
	return 0;
}

enum { R_ID, R_SOURCE, R_ARTICLE, R_TITLE, R_SEVERITY, R_SALIENCE, R_ACTIVATIONS, R_FIRED, R_DISABLED,
       R_CONDITIONS, R_MAKES, R_N };
static const char *const rule_members[R_N] = {
	"id", "source", "article", "title", "severity", "salience", "activations", "fired", "disabled", "conditions",
	"makes",
};

static int rule_member(struct kbt_json_reader *rd, void *elem, int m)
{
	struct kbt_rule *r = elem;
	int64_t salience;
	switch (m) {
	case R_ID: return kbt_json_str(rd, &r->id);
	case R_SOURCE: return kbt_json_str(rd, &r->where);
	case R_ARTICLE: return kbt_json_str(rd, &r->article);
	case R_TITLE: return kbt_json_str(rd, &r->title);
	case R_SEVERITY: return kbt_json_str(rd, &r->severity);
	case R_SALIENCE: return kbt_json_int(rd, &salience, INT32_MIN) < 0 ? -1 : (r->salience = (int)salience, 0);
	case R_ACTIVATIONS: return kbt_json_count(rd, &r->activations);
	case R_FIRED: return kbt_json_count(rd, &r->fired);
	case R_DISABLED: return kbt_json_bool(rd, &r->disabled);
	case R_MAKES: return (r->makes = kbt_json_array(rd, string_element, sizeof(*r->makes), &r->nmakes)) ? 0 : -1;
	default:
		return (r->conds = kbt_json_array(rd, string_element, sizeof(*r->conds), &r->nconds)) ? 0 : -1;
	}
}

static int read_rule(struct kbt_json_reader *rd)
{
	struct kbt_rule *r = kbt_push(rd->t, KBT_RULES);
	uint32_t seen;
	if (kbt_json_members(rd, rule_members, R_N, &seen, rule_member, r) < 0)
		return -1;
	if (!r->id || !r->where)
		return kbt_json_bad_here(rd, r->id ? ".source is missing" : ".id is missing");
	return HAS(seen, R_CONDITIONS) ? 0 : kbt_json_bad_here(rd, ".conditions is not an array");
}

/* ---- facts and firings ----------------------------------------------------------------- */

enum { F_ID, F_KIND, F_SLOTS, F_ORIGIN, F_SOURCE, F_LINE, F_TEXT, F_OFFSET, F_LENGTH, F_INPUT, F_FIRING, F_PREMISES,
       F_REPLACES, F_ASSERTED, F_RETRACTED, F_RETRACTED_BY, F_N };
static const char *const fact_members[F_N] = {
	"id", "kind", "slots", "origin", "source", "line", "text", "offset", "length", "input", "firing", "premises",
	"replaces", "asserted", "retracted", "retracted_by",
};

static int origin_of(struct kbt_json_reader *rd, enum kb_origin *o)
{
	const char *s;
	if (kbt_json_str(rd, &s) < 0)
		return -1;
	for (int i = KB_ORIGIN_EVIDENCE; i <= KB_ORIGIN_DERIVED; i++)
		if (s && strcmp(s, kbt_origin_name((enum kb_origin)i)) == 0) {
			*o = (enum kb_origin)i;
			return 0;
		}
	return kbt_json_bad_here(rd, " is not evidence, knowledge or derived");
}

/* "i2" -> 1: an index in the inputs, which are read before the facts. */
static int input_of(struct kbt_json_reader *rd, int *out)
{
	const char *in;
	if (kbt_json_str(rd, &in) < 0 || !in)
		return rd->failed ? -1 : 0;
	char *end;
	unsigned long i = in[0] == 'i' ? strtoul(in + 1, &end, 10) : 0;
	if (!i || *end || i > rd->t->ninputs)
		return kbt_json_bad_here(rd, " \"%s\" is not one of the inputs", in);
	*out = (int)i - 1;
	return 0;
}

static int fact_member(struct kbt_json_reader *rd, void *elem, int m)
{
	struct kbt_fact *f = elem;
	int64_t line;
	switch (m) {
	case F_ID: return kbt_json_ref(rd, &f->id, false, rd->depth - 1); /* the id is the fact */
	case F_KIND: return kbt_json_str(rd, &f->kind);
	case F_SLOTS: return kbt_json_slots(rd, &f->slots, &f->nslots);
	case F_ORIGIN: return origin_of(rd, &f->origin);
	case F_SOURCE: return kbt_json_str(rd, &f->source);
	case F_LINE: return kbt_json_int(rd, &line, 0) < 0 ? -1 : (f->line = (int)line, 0);
	case F_TEXT: return kbt_json_str(rd, &f->text);
	case F_OFFSET: return kbt_json_count(rd, &f->offset);
	case F_LENGTH: return kbt_json_count(rd, &f->length);
	case F_INPUT: return input_of(rd, &f->input);
	case F_FIRING: return kbt_json_count(rd, &f->firing);
	case F_PREMISES: return kbt_json_refs(rd, &f->premises, &f->npremises);
	case F_REPLACES: return kbt_json_ref(rd, &f->replaces, false, rd->depth);
	case F_ASSERTED: return kbt_json_count(rd, &f->asserted);
	case F_RETRACTED: return kbt_json_count(rd, &f->retracted);
	default: return kbt_json_count(rd, &f->retracted_by);
	}
}

static int read_fact(struct kbt_json_reader *rd)
{
	struct kbt_fact *f = kbt_push(rd->t, KBT_FACTS);
	uint32_t seen;
	f->input = -1;
	if (kbt_json_members(rd, fact_members, F_N, &seen, fact_member, f) < 0)
		return -1;
	if (!HAS(seen, F_ID))
		return kbt_json_bad_here(rd, " is not a fact (\"f<number>\")");
	if (!f->kind || !HAS(seen, F_SLOTS))
		return kbt_json_bad_here(rd, f->kind ? ".slots is missing" : ".kind is missing");
	if (!HAS(seen, F_ORIGIN))
		return kbt_json_bad_here(rd, ".origin is not evidence, knowledge or derived");
	if (rd->t->nfacts > 1 && f[-1].id >= f->id)
		return kbt_json_bad_here(rd, ": facts are not in ascending id order");
	return 0;
}

enum { X_N, X_RULE, X_ACTIVATION, X_EVENT, X_FACTS, X_BINDINGS, X_CHOICES, X_NMEMBERS };
static const char *const firing_members[X_NMEMBERS] = {"n", "rule", "activation", "event", "facts", "bindings",
						       "choices"};

static int firing_member(struct kbt_json_reader *rd, void *elem, int m)
{
	struct kbt_firing *x = elem;
	int64_t n;
	switch (m) {
	case X_N: return kbt_json_int(rd, &n, 1) < 0 ? -1 : (x->n = (uint64_t)n, 0);
	case X_RULE: return kbt_json_rule(rd, &x->rule);
	case X_ACTIVATION: return kbt_json_count(rd, &x->activation);
	case X_EVENT: return kbt_json_count(rd, &x->event);
	case X_FACTS: return kbt_json_refs(rd, &x->facts, &x->nfacts);
	case X_CHOICES: return read_choices(rd, &x->choices, &x->nchoices);
	default: return kbt_json_slots(rd, &x->bindings, &x->nbindings);
	}
}

static int read_firing(struct kbt_json_reader *rd)
{
	struct kbt_firing *x = kbt_push(rd->t, KBT_FIRINGS);
	uint32_t seen;
	if (kbt_json_members(rd, firing_members, X_NMEMBERS, &seen, firing_member, x) < 0)
		return -1;
	if (!HAS(seen, X_RULE))
		return kbt_json_bad_here(rd, ".rule is missing");
	if (!HAS(seen, X_FACTS))
		return kbt_json_bad_here(rd, ".facts is not an array");
	if (!HAS(seen, X_BINDINGS))
		return kbt_json_bad_here(rd, ".bindings is not an object");
	return choices_fit(rd, x->choices, x->nchoices, x->rule);
}

/* ---- events and errors ----------------------------------------------------------------- */

enum { E_TYPE, E_FACT, E_FACTS, E_RULE, E_ACTIVATION, E_ERROR, E_FIRING, E_N };
static const char *const event_members[E_N] = {"type", "fact", "facts", "rule", "activation", "error", "firing"};
static const char *const event_types[] = {"assert", "retract", "activate", "deactivate", "fire", "rule_error"};
#define NTYPES (sizeof(event_types) / sizeof(event_types[0]))

static int event_type(struct kbt_json_reader *rd, uint8_t *out)
{
	const char *type;
	if (kbt_json_str(rd, &type) < 0)
		return -1;
	size_t i = 0;
	while (type && i < NTYPES && strcmp(type, event_types[i]) != 0)
		i++;
	if (!type || i == NTYPES)
		return kbt_json_bad_here(rd, " is not an event type");
	*out = (uint8_t)i;
	return 0;
}

/* An event as read: which members are its own depends on its type, which
 * may come after them. */
struct raw_event {
	struct kbt_event *e;
	uint32_t *facts;
	size_t nfacts, rule;
	uint64_t error;
};

static int event_member(struct kbt_json_reader *rd, void *elem, int m)
{
	struct raw_event *x = elem;
	switch (m) {
	case E_TYPE: return event_type(rd, &x->e->type);
	case E_FACT: return kbt_json_ref(rd, &x->e->fact, false, rd->depth);
	case E_FACTS: return kbt_json_refs(rd, &x->facts, &x->nfacts);
	case E_RULE: return kbt_json_rule(rd, &x->rule);
	case E_ACTIVATION: return kbt_json_count(rd, &x->e->activation);
	case E_ERROR: return kbt_json_count(rd, &x->error);
	default: return kbt_json_count(rd, &x->e->firing);
	}
}

static int read_event(struct kbt_json_reader *rd)
{
	struct raw_event x = {kbt_push(rd->t, KBT_EVENTS), NULL, 0, 0, 0};
	struct kbt_event *e = x.e;
	uint32_t seen;
	if (kbt_json_members(rd, event_members, E_N, &seen, event_member, &x) < 0)
		return -1;
	if (!HAS(seen, E_TYPE))
		return kbt_json_bad_here(rd, ".type is missing");
	if (e->type == KBT_EV_ASSERT || e->type == KBT_EV_RETRACT) {
		e->activation = 0;
		return HAS(seen, E_FACT) ? 0 : kbt_json_bad_here(rd, " is not a fact (\"f<number>\")");
	}
	e->fact = 0;
	if (!HAS(seen, E_RULE))
		return kbt_json_bad_here(rd, ".rule is missing");
	e->rule = (uint32_t)x.rule;
	if (e->type == KBT_EV_ACTIVATE) {
		if (!HAS(seen, E_FACTS))
			return kbt_json_bad_here(rd, ".facts is not an array");
		if (x.nfacts > UINT32_MAX)
			return kbt_json_bad_here(rd, ".facts has too many facts");
		e->facts = x.facts;
		e->nfacts = (uint32_t)x.nfacts;
	}
	if (e->type == KBT_EV_ERROR)
		e->error = (uint32_t)(x.error > UINT32_MAX ? UINT32_MAX : x.error); /* checked once errors are read */
	return 0;
}

enum { ER_RULE, ER_WHERE, ER_MESSAGE, ER_FIRING, ER_N };
static const char *const error_members[ER_N] = {"rule", "where", "message", "firing"};

static int error_member(struct kbt_json_reader *rd, void *elem, int m)
{
	struct kbt_error *e = elem;
	switch (m) {
	case ER_RULE: return kbt_json_rule(rd, &e->rule);
	case ER_WHERE: return kbt_json_str(rd, &e->where);
	case ER_MESSAGE: return kbt_json_str(rd, &e->message);
	default: return kbt_json_count(rd, &e->firing);
	}
}

static int read_error(struct kbt_json_reader *rd)
{
	struct kbt_error *e = kbt_push(rd->t, KBT_ERRORS);
	uint32_t seen;
	if (kbt_json_members(rd, error_members, ER_N, &seen, error_member, e) < 0)
		return -1;
	if (!HAS(seen, ER_RULE))
		return kbt_json_bad_here(rd, ".rule is missing");
	if (!e->where || !e->message)
		return kbt_json_bad_here(rd, e->where ? ".message is missing" : ".where is missing");
	return 0;
}

/* ---- near misses ------------------------------------------------------------------------ */

enum { FL_TEST, FL_TEXT, FL_SLOT, FL_OP, FL_WANTED, FL_OBSERVED, FL_N };
static const char *const failure_members[FL_N] = {"test", "text", "slot", "op", "wanted", "observed"};

static int failure_member(struct kbt_json_reader *rd, void *elem, int m)
{
	struct kbt_failure *f = elem;
	int64_t test;
	switch (m) {
	case FL_TEST: return kbt_json_int(rd, &test, 1) < 0 ? -1 : (f->test = (size_t)test - 1, 0);
	case FL_TEXT: return kbt_json_str(rd, &f->text);
	case FL_SLOT: return kbt_json_str(rd, &f->slot);
	case FL_OP: return kbt_json_str(rd, &f->op);
	case FL_WANTED: return kbt_json_value(rd, &f->wanted);
	default: return kbt_json_value(rd, &f->observed);
	}
}

static int failure_element(struct kbt_json_reader *rd, void *ud)
{
	struct kbt_failure f = {.test = SIZE_MAX}; /* test 0, when it is not given */
	uint32_t seen;
	(void)ud;
	if (kbt_json_members(rd, failure_members, FL_N, &seen, failure_member, &f) < 0)
		return -1;
	const char *absent = !f.text ? ".text" : !f.slot ? ".slot" : !f.op ? ".op" : NULL;
	if (absent)
		return kbt_json_bad_here(rd, "%s is missing", absent);
	kbt_json_scratch_push(rd, &f, sizeof(f));
	return 0;
}

enum { C_FACT, C_FAILED, C_FAILURES, C_N };
static const char *const candidate_members[C_N] = {"fact", "failed", "failures"};

static int candidate_member(struct kbt_json_reader *rd, void *elem, int m)
{
	struct kbt_candidate *c = elem;
	uint64_t failed;
	switch (m) {
	case C_FACT: return kbt_json_ref(rd, &c->fact, false, rd->depth);
	case C_FAILED: return kbt_json_count(rd, &failed) < 0 ? -1 : (c->nfailed = (size_t)failed, 0);
	default:
		return (c->failures = kbt_json_array(rd, failure_element, sizeof(*c->failures), &c->nfailures)) ? 0 : -1;
	}
}

static int candidate_element(struct kbt_json_reader *rd, void *ud)
{
	struct kbt_candidate c = {0};
	uint32_t seen;
	(void)ud;
	if (kbt_json_members(rd, candidate_members, C_N, &seen, candidate_member, &c) < 0)
		return -1;
	if (!HAS(seen, C_FACT))
		return kbt_json_bad_here(rd, ".fact is not a fact (\"f<number>\")");
	if (!HAS(seen, C_FAILURES))
		return kbt_json_bad_here(rd, ".failures is not an array");
	kbt_json_scratch_push(rd, &c, sizeof(c));
	return 0;
}

enum { M_RULE, M_CONDITION, M_REASON, M_KIND, M_PARTIAL, M_CANDIDATES, M_MATCHED, M_BINDINGS, M_CLOSEST, M_CHOICES,
       M_N };
static const char *const miss_members[M_N] = {
	"rule", "condition", "reason", "kind", "partial_matches", "candidates", "matched", "bindings", "closest",
	"choices",
};

static int reason_of(struct kbt_json_reader *rd, enum kb_near_reason *out)
{
	const char *reason;
	if (kbt_json_str(rd, &reason) < 0)
		return -1;
	int r = KB_NEAR_NO_FACT;
	while (reason && r <= KB_NEAR_COMPLETE && strcmp(reason, kbt_reason_name((enum kb_near_reason)r)) != 0)
		r++;
	if (!reason || r > KB_NEAR_COMPLETE)
		return kbt_json_bad_here(rd, " is not a near-miss reason");
	*out = (enum kb_near_reason)r;
	return 0;
}

static int miss_member(struct kbt_json_reader *rd, void *elem, int m)
{
	struct kbt_near_miss *x = elem;
	int64_t cond;
	uint64_t n;
	switch (m) {
	case M_RULE: return kbt_json_rule(rd, &x->rule);
	case M_CONDITION: return kbt_json_int(rd, &cond, 1) < 0 ? -1 : (x->cond = (size_t)cond - 1, 0);
	case M_REASON: return reason_of(rd, &x->reason);
	case M_KIND: return kbt_json_str(rd, &x->kind);
	case M_PARTIAL: return kbt_json_count(rd, &n) < 0 ? -1 : (x->partial = (size_t)n, 0);
	case M_CANDIDATES: return kbt_json_count(rd, &n) < 0 ? -1 : (x->candidates = (size_t)n, 0);
	case M_MATCHED: return kbt_json_refs(rd, &x->matched, &x->nmatched);
	case M_BINDINGS: return kbt_json_slots(rd, &x->bindings, &x->nbindings);
	case M_CHOICES: return read_choices(rd, &x->choices, &x->nchoices);
	default:
		return (x->closest = kbt_json_array(rd, candidate_element, sizeof(*x->closest), &x->nclosest)) ? 0 : -1;
	}
}

static int read_miss(struct kbt_json_reader *rd)
{
	struct kbt_near_miss *x = kbt_push(rd->t, KBT_MISSES);
	uint32_t seen;
	x->cond = SIZE_MAX; /* condition 0, when it is not given */
	if (kbt_json_members(rd, miss_members, M_N, &seen, miss_member, x) < 0)
		return -1;
	static const struct { int member; const char *problem; } needed[] = {
		{M_RULE, ".rule is missing"}, {M_REASON, ".reason is missing"},
		{M_MATCHED, ".matched is not an array"}, {M_BINDINGS, ".bindings is not an object"},
		{M_CLOSEST, ".closest is not an array"},
	};
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
		if (!HAS(seen, needed[i].member))
			return kbt_json_bad_here(rd, "%s", needed[i].problem);
	if (x->cond > rd->t->rules[x->rule].nconds)
		return kbt_json_bad_here(rd, ".condition is past the rule's last condition");
	return choices_fit(rd, x->choices, x->nchoices, x->rule);
}

/* ---- references resolve ------------------------------------------------------------------ */

static int facts_exist(struct kbt_json_reader *rd, const uint32_t *ids, size_t n, const char *where)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] && !kbt_fact(rd->t, ids[i]))
			return kbt_json_bad(rd, "%s names f%u, which is not among the facts", where, ids[i]);
	return 0;
}

/* What a fact rests on is older than it, so explanations end. */
static void premises_older(struct kbt_json_reader *rd, const struct kbt_fact *f)
{
	const struct kbt_firing *x = kbt_firing(rd->t, f->firing);
	if (f->firing && !x)
		kbt_json_bad(rd, "f%u names firing %llu, which is not among the firings", f->id,
			     (unsigned long long)f->firing);
	for (size_t k = 0; x && k < x->nfacts; k++)
		if (x->facts[k] >= f->id)
			kbt_json_bad(rd, "f%u rests on f%u, which is not older", f->id, x->facts[k]);
	for (size_t k = 0; k < f->npremises; k++)
		if (f->premises[k] >= f->id)
			kbt_json_bad(rd, "f%u rests on f%u, which is not older", f->id, f->premises[k]);
}

static int check_refs(struct kbt_json_reader *rd)
{
	const struct kbt_trace *t = rd->t;
	for (size_t i = 1; i < t->nfirings; i++)
		if (t->firings[i - 1].n >= t->firings[i].n)
			return kbt_json_bad(rd, "firings[%zu]: firings are not in ascending order", i);
	for (size_t i = 0; i < t->nfacts && !rd->failed; i++) {
		const struct kbt_fact *f = &t->facts[i];
		facts_exist(rd, f->premises, f->npremises, "a fact's premises");
		facts_exist(rd, &f->replaces, 1, "a fact's replaces");
		premises_older(rd, f);
	}
	for (size_t i = 0; i < t->nfirings && !rd->failed; i++)
		facts_exist(rd, t->firings[i].facts, t->firings[i].nfacts, "a firing");
	for (size_t i = 0; i < t->nevents && !rd->failed; i++) {
		const struct kbt_event *e = &t->events[i];
		facts_exist(rd, &e->fact, 1, "an event");
		facts_exist(rd, e->facts, e->nfacts, "an event");
		if (e->type == KBT_EV_ERROR && e->error >= t->nerrors)
			kbt_json_bad(rd, "events[%zu].error is not one of the errors", i);
	}
	for (size_t i = 0; i < t->nmisses && !rd->failed; i++) {
		const struct kbt_near_miss *m = &t->misses[i];
		facts_exist(rd, m->matched, m->nmatched, "a near miss");
		for (size_t k = 0; k < m->nclosest; k++)
			facts_exist(rd, &m->closest[k].fact, 1, "a near miss");
	}
	return rd->failed ? -1 : 0;
}

/* ---- the document ------------------------------------------------------------------------- */

enum section { S_INPUTS, S_RULES, S_FACTS, S_FIRINGS, S_EVENTS, S_ERRORS, S_MISSES, S_N };
#define VERSION (1u << S_N) /* "kbdiag_trace" read, and known */
#define NAME (2u << S_N)    /* "kbdiag" read */

static const struct section_def {
	const char *name;
	int (*element)(struct kbt_json_reader *);
	unsigned needs;         /* what must be read before it */
} sections[S_N] = {
	{"inputs", read_input, VERSION},
	{"rules", read_rule, VERSION},
	{"facts", read_fact, VERSION | 1u << S_INPUTS},
	{"firings", read_firing, VERSION | 1u << S_RULES},
	{"events", read_event, VERSION | 1u << S_RULES},
	{"errors", read_error, VERSION | 1u << S_RULES},
	{"near_misses", read_miss, VERSION | 1u << S_RULES},
};

struct document {
	unsigned read;          /* sections (bits), VERSION, NAME */
	unsigned waiting;       /* sections skipped until what they need is read */
	struct kbu_jplace at[S_N]; /* where the waiting ones are */
};

static int section_element(struct kbt_json_reader *rd, void *ud)
{
	const struct section_def *s = ud;
	int rc = s->element(rd);
	if (rd->map) /* done with the text before here */
		kbu_filemap_release(rd->map, rd->j.p);
	return rc;
}

static int skip_element(struct kbt_json_reader *rd, void *ud)
{
	(void)ud;
	if (!kbu_jscan_skip(&rd->j))
		return kbt_json_syntax(rd);
	if (rd->map)
		kbu_filemap_release(rd->map, rd->j.p);
	return 0;
}

static int read_section(struct kbt_json_reader *rd, enum section s)
{
	kbt_json_enter(rd, sections[s].name, KBT_JSON_NO_INDEX);
	int rc = kbt_json_elements(rd, section_element, (void *)&sections[s]);
	kbt_json_leave(rd);
	if (rc == 0 && s == S_RULES)
		rc = kbt_json_index_rules(rd);
	return rc;
}

/* A section that must wait: skipped now (an element at a time, so the text
 * is given back as it goes), read from `at` later. */
static int wait_section(struct kbt_json_reader *rd, struct document *d, enum section s)
{
	enum kbu_jtype type;
	d->at[s] = kbu_jscan_place(&rd->j);
	d->waiting |= 1u << s;
	if (!kbu_jscan_type(&rd->j, &type))
		return kbt_json_syntax(rd);
	if (type != KBU_J_ARRAY) /* read later, it says so then */
		return kbu_jscan_skip(&rd->j) ? 0 : kbt_json_syntax(rd);
	return kbt_json_elements(rd, skip_element, NULL);
}

static int read_version(struct kbt_json_reader *rd, struct document *d)
{
	enum kbu_jtype type;
	struct kbu_jvalue v = {.type = KBU_J_NULL}; /* stays so for an array or object */
	if (!kbu_jscan_type(&rd->j, &type))
		return kbt_json_syntax(rd);
	if (type != KBU_J_OBJECT && type != KBU_J_ARRAY && !kbu_jscan_scalar(&rd->j, &v))
		return kbt_json_syntax(rd);
	if (v.type != KBU_J_INT)
		return kbt_json_bad(rd, "not a kbdiag trace (no \"kbdiag_trace\" version)");
	if (v.i != KBT_FORMAT)
		return kbt_json_bad(rd, "trace format %lld; this kbdiag reads format %d", (long long)v.i, KBT_FORMAT);
	d->read |= VERSION;
	return 0;
}

static int top_member(struct kbt_json_reader *rd, struct document *d)
{
	const char *key = rd->j.key;
	unsigned bit = strcmp(key, "kbdiag_trace") == 0 ? VERSION : strcmp(key, "kbdiag") == 0 ? NAME : 0;
	enum section s = S_INPUTS;
	while (!bit && s < S_N && strcmp(key, sections[s].name) != 0)
		s++;
	if (!bit && s == S_N) /* findings are made again from the facts; other keys are a later format's */
		return kbu_jscan_skip(&rd->j) ? 0 : kbt_json_syntax(rd);
	bit = bit ? bit : 1u << s;
	if ((d->read | d->waiting) & bit)
		return kbt_json_bad_here(rd, "\"%s\" is given twice", key);
	if (bit == VERSION)
		return read_version(rd, d);
	if (bit == NAME) {
		d->read |= NAME;
		kbt_json_enter(rd, "kbdiag", KBT_JSON_NO_INDEX);
		int rc = kbt_json_str_strict(rd, &rd->t->version);
		kbt_json_leave(rd);
		return rc;
	}
	if (sections[s].needs & ~d->read)
		return wait_section(rd, d, s);
	d->read |= bit;
	return read_section(rd, s);
}

static int read_document(struct kbt_json_reader *rd)
{
	struct document d = {0};
	enum kbu_jtype type;
	bool done;
	if (!kbu_jscan_type(&rd->j, &type))
		return kbt_json_syntax(rd);
	if (type != KBU_J_OBJECT)
		return kbt_json_bad(rd, "not a kbdiag trace (not a JSON object)");
	if (!kbu_jscan_object_begin(&rd->j))
		return kbt_json_syntax(rd);
	while (kbu_jscan_member(&rd->j, &done) && !done)
		if (top_member(rd, &d) < 0)
			return -1;
	if (rd->j.failed || !kbu_jscan_end(&rd->j))
		return kbt_json_syntax(rd);
	if (!(d.read & VERSION))
		return kbt_json_bad(rd, "not a kbdiag trace (no \"kbdiag_trace\" version)");
	for (enum section s = S_INPUTS; s < S_N; s++) { /* in order: what one needs comes first */
		if (!(d.waiting & (1u << s))) {
			if (!(d.read & (1u << s)))
				return kbt_json_bad(rd, "%s is not an array", sections[s].name);
			continue;
		}
		kbu_jscan_goto(&rd->j, d.at[s]);
		if (read_section(rd, s) < 0)
			return -1;
		d.read |= 1u << s;
	}
	return check_refs(rd);
}

static struct kbt_trace *read_text(const char *text, size_t len, struct kbu_filemap *map, char *err,
				   size_t errlen)
{
	struct kbt_json_reader rd = {.t = kbt_trace_new(), .map = map, .err = err, .errlen = errlen};
	kbu_jscan_init(&rd.j, text, len);
	int rc = read_document(&rd);
	kbu_jscan_free(&rd.j);
	free(rd.keys);
	free(rd.scratch);
	if (rc < 0) {
		kbt_trace_free(rd.t);
		return NULL;
	}
	return rd.t;
}

struct kbt_trace *kbt_read_json(const char *path, char *err, size_t errlen)
{
	struct kbu_filemap map;
	if (kbu_filemap_open(&map, path) < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	struct kbt_trace *t = read_text(map.text, map.len, &map, err, errlen);
	kbu_filemap_close(&map);
	return t;
}

struct kbt_trace *kbt_read_json_buffer(const char *buf, size_t len, char *err, size_t errlen)
{
	return read_text(buf, len, NULL, err, errlen);
}
