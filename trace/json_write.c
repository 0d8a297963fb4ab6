/*
 * json_write.c — the trace as its native JSON document (docs/trace-format.md,
 * docs/trace.schema.json): inputs, rules, facts, firings, events, findings,
 * errors and near misses, one array element per line.  Facts are named
 * "f<id>" as in the report.
 *
 * Written as a stream rather than built as a jansson tree: a long run
 * records millions of events (Manners 128: 3.3 million), and a tree of them
 * would take gigabytes.  Strings go through kbu_put_json_str(): bytes that
 * are not UTF-8 (a rule may build any string) become U+FFFD.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "outbuf.h"

static void jstr(struct kbu_out *w, const char *s)
{
	kbu_put_json_str(w, s, strlen(s));
}

static void jval(struct kbu_out *w, struct kb_value v)
{
	switch (v.type) {
	case KB_STRING: jstr(w, v.u.s); break;
	case KB_INT: kbu_put_int(w, v.u.i); break;
	case KB_BOOL: kbu_puts(w, v.u.b ? "true" : "false"); break;
	case KB_FLOAT: {
		char buf[40];
		snprintf(buf, sizeof(buf), "%.17g", v.u.f);
		/* JSON has no infinities; a real stays a real when read back */
		kbu_puts(w, isfinite(v.u.f) ? buf : "null");
		if (isfinite(v.u.f) && !strpbrk(buf, ".eE"))
			kbu_puts(w, ".0");
		break;
	}
	default: kbu_puts(w, "null"); break;
	}
}

/* `, "key": ` (without the comma first); k is one of this file's own
 * names, which need no escaping. */
static void key(struct kbu_out *w, bool *first, const char *k)
{
	if (!*first)
		kbu_put(w, ", ", 2);
	*first = false;
	kbu_putc(w, '"');
	kbu_puts(w, k);
	kbu_put(w, "\": ", 3);
}

static void kstr(struct kbu_out *w, bool *first, const char *k, const char *v)
{
	if (v) {
		key(w, first, k);
		jstr(w, v);
	}
}

static void kstrs(struct kbu_out *w, bool *first, const char *k, const char *const *v, size_t n)
{
	key(w, first, k);
	kbu_putc(w, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			kbu_put(w, ", ", 2);
		jstr(w, v[i]);
	}
	kbu_putc(w, ']');
}

static void knum(struct kbu_out *w, bool *first, const char *k, uint64_t v, bool always)
{
	if (v || always) {
		key(w, first, k);
		kbu_put_uint(w, v);
	}
}

static void ref(struct kbu_out *w, uint32_t id)
{
	if (id) {
		kbu_put(w, "\"f", 2);
		kbu_put_uint(w, id);
		kbu_putc(w, '"');
	} else {
		kbu_puts(w, "null");
	}
}

static void kref(struct kbu_out *w, bool *first, const char *k, uint32_t id)
{
	key(w, first, k);
	ref(w, id);
}

static void krefs(struct kbu_out *w, bool *first, const char *k, const uint32_t *ids, size_t n)
{
	key(w, first, k);
	kbu_putc(w, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			kbu_put(w, ", ", 2);
		ref(w, ids[i]);
	}
	kbu_putc(w, ']');
}

static void kslots(struct kbu_out *w, bool *first, const char *k, const struct kbt_slot *s, size_t n)
{
	key(w, first, k);
	kbu_putc(w, '{');
	for (size_t i = 0; i < n; i++) { /* slot and variable names come from rule files */
		if (i)
			kbu_put(w, ", ", 2);
		jstr(w, s[i].name);
		kbu_put(w, ": ", 2);
		jval(w, s[i].value);
	}
	kbu_putc(w, '}');
}

/* "choices": [{"condition": 2, "choice": 1, "pattern": "..."}], 1-based;
 * nothing for a rule without any_of. */
static void kchoices(struct kbu_out *w, bool *first, const struct kbt_choice *c, size_t n)
{
	if (!n)
		return;
	key(w, first, "choices");
	kbu_putc(w, '[');
	for (size_t i = 0; i < n; i++) {
		bool cfirst = true;
		kbu_put(w, i ? ", {" : "{", i ? 3 : 1);
		knum(w, &cfirst, "condition", c[i].cond + 1, true);
		knum(w, &cfirst, "choice", c[i].choice + 1, true);
		kstr(w, &cfirst, "pattern", c[i].pattern);
		kbu_putc(w, '}');
	}
	kbu_putc(w, ']');
}

static void kbool(struct kbu_out *w, bool *first, const char *k, bool v)
{
	key(w, first, k);
	kbu_puts(w, v ? "true" : "false");
}

/* ---- elements ------------------------------------------------------------------ */

static void input_json(struct kbu_out *w, const struct kbt_trace *t, size_t i)
{
	const struct kbt_input *in = &t->inputs[i];
	bool first = false;
	kbu_put(w, "{\"id\": \"i", 9);
	kbu_put_uint(w, i + 1);
	kbu_putc(w, '"');
	kstr(w, &first, "path", in->path);
	kstr(w, &first, "format", in->format ? in->format : "unrecognised");
	knum(w, &first, "facts", in->facts, true);
	kbool(w, &first, "collector", in->collector);
	kstr(w, &first, "unavailable", in->unavailable);
	kbu_putc(w, '}');
}

static void rule_json(struct kbu_out *w, const struct kbt_trace *t, size_t i)
{
	const struct kbt_rule *r = &t->rules[i];
	bool first = true;
	kbu_putc(w, '{');
	kstr(w, &first, "id", r->id);
	kstr(w, &first, "source", r->where);
	kstr(w, &first, "article", r->article);
	kstr(w, &first, "title", r->title);
	kstr(w, &first, "severity", r->severity);
	key(w, &first, "salience");
	kbu_put_int(w, r->salience);
	kstrs(w, &first, "conditions", r->conds, r->nconds);
	if (r->nmakes)
		kstrs(w, &first, "makes", r->makes, r->nmakes);
	knum(w, &first, "activations", r->activations, true);
	knum(w, &first, "fired", r->fired, true);
	kbool(w, &first, "disabled", r->disabled);
	kbu_putc(w, '}');
}

static void fact_json(struct kbu_out *w, const struct kbt_trace *t, size_t i)
{
	const struct kbt_fact *f = &t->facts[i];
	bool first = true;
	kbu_putc(w, '{');
	kref(w, &first, "id", f->id);
	kstr(w, &first, "kind", f->kind);
	kslots(w, &first, "slots", f->slots, f->nslots);
	kstr(w, &first, "origin", kbt_origin_name(f->origin));
	kstr(w, &first, "source", f->source);
	knum(w, &first, "line", f->line > 0 ? (uint64_t)f->line : 0, false);
	kstr(w, &first, "text", f->text);
	if (f->length) {
		knum(w, &first, "offset", f->offset, true);
		knum(w, &first, "length", f->length, true);
	}
	if (f->input >= 0) {
		key(w, &first, "input");
		kbu_put(w, "\"i", 2);
		kbu_put_uint(w, (uint64_t)f->input + 1);
		kbu_putc(w, '"');
	}
	knum(w, &first, "firing", f->firing, false);
	if (f->premises)
		krefs(w, &first, "premises", f->premises, f->npremises);
	if (f->replaces)
		kref(w, &first, "replaces", f->replaces);
	knum(w, &first, "asserted", f->asserted, true);
	knum(w, &first, "retracted", f->retracted, false);
	knum(w, &first, "retracted_by", f->retracted_by, false);
	kbu_putc(w, '}');
}

static void firing_json(struct kbu_out *w, const struct kbt_trace *t, size_t i)
{
	const struct kbt_firing *x = &t->firings[i];
	bool first = true;
	kbu_putc(w, '{');
	knum(w, &first, "n", x->n, true);
	kstr(w, &first, "rule", t->rules[x->rule].id);
	knum(w, &first, "activation", x->activation, true);
	knum(w, &first, "event", x->event, true);
	krefs(w, &first, "facts", x->facts, x->nfacts);
	kslots(w, &first, "bindings", x->bindings, x->nbindings);
	kchoices(w, &first, x->choices, x->nchoices);
	kbu_putc(w, '}');
}

static void event_json(struct kbu_out *w, const struct kbt_trace *t, size_t i)
{
	static const char *const types[] = {"assert", "retract", "activate", "deactivate", "fire", "rule_error"};
	const struct kbt_event *e = &t->events[i];
	bool first = true;
	kbu_putc(w, '{');
	knum(w, &first, "n", i + 1, true);
	key(w, &first, "type");
	kbu_putc(w, '"');
	kbu_puts(w, types[e->type]);
	kbu_putc(w, '"');
	switch (e->type) {
	case KBT_EV_ASSERT:
	case KBT_EV_RETRACT: kref(w, &first, "fact", e->fact); break;
	case KBT_EV_ACTIVATE: krefs(w, &first, "facts", e->facts, e->nfacts); /* fall through */
	case KBT_EV_DEACTIVATE:
	case KBT_EV_FIRE:
		kstr(w, &first, "rule", t->rules[e->rule].id);
		knum(w, &first, "activation", e->activation, true);
		break;
	case KBT_EV_ERROR:
		kstr(w, &first, "rule", t->rules[e->rule].id);
		knum(w, &first, "error", e->error, true);
		break;
	}
	knum(w, &first, "firing", e->firing, false);
	kbu_putc(w, '}');
}

static void finding_json(struct kbu_out *w, const struct kbt_trace *t, uint32_t id)
{
	static const char *const keys[] = {"rule", "article", "severity", "title", "message"};
	const struct kbt_fact *f = kbt_fact(t, id);
	bool first = true;
	kbu_putc(w, '{');
	kref(w, &first, "fact", id);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		kstr(w, &first, keys[i], kbt_slot_str(f, keys[i]));
	kbu_putc(w, '}');
}

static void error_json(struct kbu_out *w, const struct kbt_trace *t, size_t i)
{
	const struct kbt_error *e = &t->errors[i];
	bool first = true;
	kbu_putc(w, '{');
	kstr(w, &first, "rule", t->rules[e->rule].id);
	kstr(w, &first, "where", e->where);
	kstr(w, &first, "message", e->message);
	knum(w, &first, "firing", e->firing, false);
	kbu_putc(w, '}');
}

static void candidate_json(struct kbu_out *w, const struct kbt_candidate *c)
{
	bool first = true;
	kbu_putc(w, '{');
	kref(w, &first, "fact", c->fact);
	knum(w, &first, "failed", c->nfailed, true);
	key(w, &first, "failures");
	kbu_putc(w, '[');
	for (size_t i = 0; i < c->nfailures; i++) {
		const struct kbt_failure *f = &c->failures[i];
		bool ffirst = true;
		kbu_put(w, i ? ", {" : "{", i ? 3 : 1);
		knum(w, &ffirst, "test", f->test + 1, true);
		kstr(w, &ffirst, "text", f->text);
		kstr(w, &ffirst, "slot", f->slot);
		kstr(w, &ffirst, "op", f->op);
		key(w, &ffirst, "wanted");
		jval(w, f->wanted);
		key(w, &ffirst, "observed");
		jval(w, f->observed);
		kbu_putc(w, '}');
	}
	kbu_put(w, "]}", 2);
}

static void miss_json(struct kbu_out *w, const struct kbt_trace *t, size_t i)
{
	const struct kbt_near_miss *m = &t->misses[i];
	const struct kbt_rule *r = &t->rules[m->rule];
	bool first = true;
	kbu_putc(w, '{');
	kstr(w, &first, "rule", r->id);
	knum(w, &first, "condition", m->cond + 1, true);
	kstr(w, &first, "reason", kbt_reason_name(m->reason));
	kstr(w, &first, "pattern", m->cond < r->nconds ? r->conds[m->cond] : NULL);
	kstr(w, &first, "kind", m->kind);
	knum(w, &first, "partial_matches", m->partial, true);
	krefs(w, &first, "matched", m->matched, m->nmatched);
	kslots(w, &first, "bindings", m->bindings, m->nbindings);
	kchoices(w, &first, m->choices, m->nchoices);
	knum(w, &first, "candidates", m->candidates, true);
	key(w, &first, "closest");
	kbu_putc(w, '[');
	for (size_t k = 0; k < m->nclosest; k++) {
		if (k)
			kbu_put(w, ", ", 2);
		candidate_json(w, &m->closest[k]);
	}
	kbu_put(w, "]}", 2);
}

/* ---- the document ------------------------------------------------------------------ */

static void array(struct kbu_out *w, const struct kbt_trace *t, const char *name, size_t n,
		  void (*element)(struct kbu_out *, const struct kbt_trace *, size_t))
{
	kbu_put(w, ",\n ", 3);
	jstr(w, name);
	kbu_put(w, ": [", 3);
	for (size_t i = 0; i < n; i++) {
		kbu_put(w, i ? ",\n  " : "\n  ", i ? 4 : 3);
		element(w, t, i);
	}
	kbu_puts(w, n ? "\n ]" : "]");
}

static const uint32_t *finding_ids; /* for the array() callback */

static void finding_at(struct kbu_out *w, const struct kbt_trace *t, size_t i)
{
	finding_json(w, t, finding_ids[i]);
}

int kbt_write_json(const struct kbt_trace *t, FILE *out)
{
	struct kbu_out *w = kbu_malloc(sizeof(*w));
	w->out = out;
	w->n = 0;
	kbu_puts(w, "{\n \"kbdiag_trace\": ");
	kbu_put_uint(w, KBT_FORMAT);
	kbu_puts(w, ",\n \"kbdiag\": ");
	jstr(w, t->version ? t->version : "?");
	array(w, t, "inputs", t->ninputs, input_json);
	array(w, t, "rules", t->nrules, rule_json);
	array(w, t, "facts", t->nfacts, fact_json);
	array(w, t, "firings", t->nfirings, firing_json);
	array(w, t, "events", t->nevents, event_json);
	uint32_t *ids;
	size_t n = kbt_findings(t, &ids);
	finding_ids = ids;
	array(w, t, "findings", n, finding_at);
	free(ids);
	array(w, t, "errors", t->nerrors, error_json);
	array(w, t, "near_misses", t->nmisses, miss_json);
	kbu_puts(w, "\n}\n");
	kbu_flush(w);
	free(w);
	return ferror(out) ? -1 : 0;
}
