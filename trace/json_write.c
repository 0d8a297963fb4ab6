/*
 * json_write.c — the trace as its native JSON document (docs/trace-format.md,
 * docs/trace.schema.json): inputs, rules, facts, firings, events, findings,
 * errors, near misses and counts.  Facts are named "f<id>" as in the report.
 */
#include <stdlib.h>

#include "internal.h"

static json_t *fact_ref(uint32_t id)
{
	return id ? json_sprintf("f%u", id) : json_null();
}

json_t *kbt_json_value(struct kb_value v)
{
	switch (v.type) {
	case KB_STRING: return json_string(v.u.s);
	case KB_INT: return json_integer(v.u.i);
	case KB_FLOAT: return json_real(v.u.f);
	case KB_BOOL: return json_boolean(v.u.b);
	default: return json_null();
	}
}

static json_t *refs(const uint32_t *ids, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, fact_ref(ids[i]));
	return a;
}

static json_t *slots(const struct kbt_slot *s, size_t n)
{
	json_t *o = json_object();
	for (size_t i = 0; i < n; i++)
		json_object_set_new(o, s[i].name, kbt_json_value(s[i].value));
	return o;
}

static void set_str(json_t *o, const char *key, const char *s)
{
	if (s)
		json_object_set_new(o, key, json_string(s));
}

static void set_uint(json_t *o, const char *key, uint64_t n)
{
	if (n)
		json_object_set_new(o, key, json_integer((json_int_t)n));
}

static json_t *input_json(const struct kbt_input *in, size_t i)
{
	json_t *o = json_pack("{s:o, s:s, s:s, s:I, s:b}", "id", json_sprintf("i%zu", i + 1), "path", in->path,
			      "format", in->format ? in->format : "unrecognised", "facts", (json_int_t)in->facts,
			      "collector", in->collector);
	set_str(o, "unavailable", in->unavailable);
	return o;
}

static json_t *rule_json(const struct kbt_rule *r)
{
	json_t *o = json_pack("{s:s, s:s}", "id", r->id, "source", r->where);
	set_str(o, "article", r->article);
	set_str(o, "title", r->title);
	set_str(o, "severity", r->severity);
	json_object_set_new(o, "salience", json_integer(r->salience));
	json_t *c = json_array();
	for (size_t i = 0; i < r->nconds; i++)
		json_array_append_new(c, json_string(r->conds[i]));
	json_object_set_new(o, "conditions", c);
	json_object_set_new(o, "activations", json_integer((json_int_t)r->activations));
	json_object_set_new(o, "fired", json_integer((json_int_t)r->fired));
	json_object_set_new(o, "disabled", json_boolean(r->disabled));
	return o;
}

static json_t *fact_json(const struct kbt_fact *f)
{
	json_t *o = json_pack("{s:o, s:s, s:o, s:s}", "id", fact_ref(f->id), "kind", f->kind, "slots",
			      slots(f->slots, f->nslots), "origin", kbt_origin_name(f->origin));
	set_str(o, "source", f->source);
	if (f->line > 0)
		json_object_set_new(o, "line", json_integer(f->line));
	set_str(o, "text", f->text);
	if (f->input >= 0)
		json_object_set_new(o, "input", json_sprintf("i%d", f->input + 1));
	set_uint(o, "firing", f->firing);
	if (f->premises)
		json_object_set_new(o, "premises", refs(f->premises, f->npremises));
	if (f->replaces)
		json_object_set_new(o, "replaces", fact_ref(f->replaces));
	json_object_set_new(o, "asserted", json_integer((json_int_t)f->asserted));
	set_uint(o, "retracted", f->retracted);
	set_uint(o, "retracted_by", f->retracted_by);
	return o;
}

static json_t *firing_json(const struct kbt_trace *t, const struct kbt_firing *x)
{
	return json_pack("{s:I, s:s, s:I, s:I, s:o, s:o}", "n", (json_int_t)x->n, "rule", t->rules[x->rule].id,
			 "activation", (json_int_t)x->activation, "event", (json_int_t)x->event, "facts",
			 refs(x->facts, x->nfacts), "bindings", slots(x->bindings, x->nbindings));
}

static json_t *event_json(const struct kbt_trace *t, const struct kbt_event *e, size_t n)
{
	static const char *const types[] = {"assert", "retract", "activate", "deactivate", "fire", "rule_error"};
	json_t *o = json_pack("{s:I, s:s}", "n", (json_int_t)n, "type", types[e->type]);
	switch (e->type) {
	case KBT_EV_ASSERT:
	case KBT_EV_RETRACT: json_object_set_new(o, "fact", fact_ref(e->fact)); break;
	case KBT_EV_ACTIVATE: json_object_set_new(o, "facts", refs(e->facts, e->nfacts)); /* fall through */
	case KBT_EV_DEACTIVATE:
	case KBT_EV_FIRE:
		json_object_set_new(o, "rule", json_string(t->rules[e->rule].id));
		json_object_set_new(o, "activation", json_integer((json_int_t)e->activation));
		break;
	case KBT_EV_ERROR:
		json_object_set_new(o, "rule", json_string(t->rules[e->rule].id));
		json_object_set_new(o, "error", json_integer((json_int_t)e->error));
		break;
	}
	set_uint(o, "firing", e->firing);
	return o;
}

static json_t *finding_json(const struct kbt_fact *f)
{
	json_t *o = json_pack("{s:o}", "fact", fact_ref(f->id));
	static const char *const keys[] = {"rule", "article", "severity", "title", "message"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		set_str(o, keys[i], kbt_slot_str(f, keys[i]));
	return o;
}

static json_t *candidate_json(const struct kbt_candidate *c)
{
	json_t *fails = json_array();
	for (size_t i = 0; i < c->nfailures; i++) {
		const struct kbt_failure *f = &c->failures[i];
		json_array_append_new(fails, json_pack("{s:I, s:s, s:s, s:s, s:o, s:o}", "test", (json_int_t)f->test + 1,
						       "text", f->text, "slot", f->slot, "op", f->op, "wanted",
						       kbt_json_value(f->wanted), "observed", kbt_json_value(f->observed)));
	}
	return json_pack("{s:o, s:I, s:o}", "fact", fact_ref(c->fact), "failed", (json_int_t)c->nfailed,
			 "failures", fails);
}

static json_t *miss_json(const struct kbt_trace *t, const struct kbt_near_miss *m)
{
	const struct kbt_rule *r = &t->rules[m->rule];
	json_t *o = json_pack("{s:s, s:I, s:s}", "rule", r->id, "condition", (json_int_t)m->cond + 1, "reason",
			      kbt_reason_name(m->reason));
	if (m->cond < r->nconds)
		json_object_set_new(o, "pattern", json_string(r->conds[m->cond]));
	set_str(o, "kind", m->kind);
	json_object_set_new(o, "partial_matches", json_integer((json_int_t)m->partial));
	json_object_set_new(o, "matched", refs(m->matched, m->nmatched));
	json_object_set_new(o, "bindings", slots(m->bindings, m->nbindings));
	json_object_set_new(o, "candidates", json_integer((json_int_t)m->candidates));
	json_t *c = json_array();
	for (size_t i = 0; i < m->nclosest; i++)
		json_array_append_new(c, candidate_json(&m->closest[i]));
	json_object_set_new(o, "closest", c);
	return o;
}

#define ARRAY(key, n, expr)                                              \
	do {                                                             \
		json_t *a_ = json_array();                               \
		for (size_t i = 0; i < (n); i++)                         \
			json_array_append_new(a_, (expr));               \
		json_object_set_new(root, (key), a_);                    \
	} while (0)

static json_t *errors_json(const struct kbt_trace *t)
{
	json_t *a = json_array();
	for (size_t i = 0; i < t->nerrors; i++) {
		const struct kbt_error *e = &t->errors[i];
		json_t *o = json_pack("{s:s, s:s, s:s}", "rule", t->rules[e->rule].id, "where", e->where, "message",
				      e->message);
		set_uint(o, "firing", e->firing);
		json_array_append_new(a, o);
	}
	return a;
}

int kbt_write_json(const struct kbt_trace *t, FILE *out)
{
	json_t *root = json_pack("{s:i, s:s}", "kbdiag_trace", KBT_FORMAT, "kbdiag", t->version);
	ARRAY("inputs", t->ninputs, input_json(&t->inputs[i], i));
	ARRAY("rules", t->nrules, rule_json(&t->rules[i]));
	ARRAY("facts", t->nfacts, fact_json(&t->facts[i]));
	ARRAY("firings", t->nfirings, firing_json(t, &t->firings[i]));
	ARRAY("events", t->nevents, event_json(t, &t->events[i], i + 1));
	uint32_t *ids;
	size_t n = kbt_findings(t, &ids);
	ARRAY("findings", n, finding_json(kbt_fact(t, ids[i])));
	free(ids);
	json_object_set_new(root, "errors", errors_json(t));
	ARRAY("near_misses", t->nmisses, miss_json(t, &t->misses[i]));
	int rc = json_dumpf(root, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	fputc('\n', out);
	json_decref(root);
	return rc < 0 || ferror(out) ? -1 : 0;
}
