/*
 * json_read.c — a saved trace read back (docs/trace-format.md), so that
 * `kbdiag explain` renders it exactly as the run that made it would have.
 * The file is untrusted: every field is type-checked, every reference to a
 * fact, rule or input must resolve, and the first problem is reported with
 * where it is ("facts[3].premises[1]: ...").
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "internal.h"

struct reader {
	struct kbt_trace *t;
	char *err;
	size_t errlen;
	bool failed;
	struct rule_key *keys; /* rules sorted by id */
};

struct rule_key {
	const char *id;
	size_t idx;
};

static int bad(struct reader *rd, const char *fmt, ...)
{
	if (!rd->failed) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(rd->err, rd->errlen, fmt, ap);
		va_end(ap);
		rd->failed = true;
	}
	return -1;
}

/* ---- fields ------------------------------------------------------------------- */

static const char *opt_str(struct reader *rd, json_t *o, const char *key, const char *where)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		bad(rd, "%s.%s is not a string", where, key);
		return NULL;
	}
	return kbt_str(rd->t, json_string_value(v));
}

static const char *req_str(struct reader *rd, json_t *o, const char *key, const char *where)
{
	const char *s = opt_str(rd, o, key, where);
	if (!s)
		bad(rd, "%s.%s is missing", where, key);
	return s;
}

static int64_t opt_int(struct reader *rd, json_t *o, const char *key, const char *where, int64_t min)
{
	json_t *v = json_object_get(o, key);
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min)
		return bad(rd, "%s.%s is not an integer of at least %lld", where, key, (long long)min), 0;
	return json_integer_value(v);
}

static json_t *req_array(struct reader *rd, json_t *o, const char *key, const char *where)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_array(v)) {
		bad(rd, "%s%s%s is not an array", where, *where ? "." : "", key);
		return NULL;
	}
	return v;
}

static int value_of(struct reader *rd, json_t *v, struct kb_value *out, const char *where)
{
	switch (json_typeof(v)) {
	case JSON_STRING: *out = kb_str(kbt_str(rd->t, json_string_value(v))); return 0;
	case JSON_INTEGER: *out = kb_int(json_integer_value(v)); return 0;
	case JSON_REAL: *out = kb_float(json_real_value(v)); return 0;
	case JSON_TRUE: *out = kb_bool(true); return 0;
	case JSON_FALSE: *out = kb_bool(false); return 0;
	case JSON_NULL: *out = kb_nil(); return 0;
	default: return bad(rd, "%s is not a string, number, boolean or null", where);
	}
}

static struct kbt_slot *slots_of(struct reader *rd, json_t *o, size_t *n, const char *where)
{
	*n = 0;
	if (!json_is_object(o)) {
		bad(rd, "%s is not an object", where);
		return NULL;
	}
	struct kbt_slot *s = kbt_alloc(rd->t, json_object_size(o) * sizeof(*s));
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		s[*n].name = kbt_str(rd->t, key);
		if (value_of(rd, v, &s[*n].value, where) < 0)
			return NULL;
		(*n)++;
	}
	return s;
}

/* "f12" -> 12; null -> 0 when allowed. */
static uint32_t ref_of(struct reader *rd, json_t *v, bool null_ok, const char *where)
{
	if (json_is_null(v) && null_ok)
		return 0;
	const char *s = json_string_value(v);
	char *end;
	unsigned long id = s && s[0] == 'f' ? strtoul(s + 1, &end, 10) : 0;
	if (!s || s[0] != 'f' || !id || *end || id > UINT32_MAX)
		return bad(rd, "%s is not a fact (\"f<number>\")", where), 0;
	return (uint32_t)id;
}

static uint32_t *refs_of(struct reader *rd, json_t *a, size_t *n, const char *where)
{
	*n = 0;
	if (!json_is_array(a)) {
		bad(rd, "%s is not an array", where);
		return NULL;
	}
	uint32_t *ids = kbt_alloc(rd->t, json_array_size(a) * sizeof(*ids));
	for (; *n < json_array_size(a) && !rd->failed; (*n)++)
		ids[*n] = ref_of(rd, json_array_get(a, *n), true, where);
	return ids;
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(((const struct rule_key *)a)->id, ((const struct rule_key *)b)->id);
}

static size_t rule_of(struct reader *rd, json_t *o, const char *where)
{
	const char *id = req_str(rd, o, "rule", where);
	if (!id)
		return 0;
	struct rule_key key = {id, 0}, *k = bsearch(&key, rd->keys, rd->t->nrules, sizeof(key), cmp_keys);
	if (!k)
		return bad(rd, "%s.rule: no rule \"%s\" in rules", where, id), 0;
	return k->idx;
}

/* ---- sections ------------------------------------------------------------------ */

static int read_input(struct reader *rd, json_t *o, const char *where)
{
	struct kbt_input *in = kbt_push(rd->t, KBT_INPUTS);
	in->path = req_str(rd, o, "path", where);
	in->format = opt_str(rd, o, "format", where);
	in->unavailable = opt_str(rd, o, "unavailable", where);
	in->facts = (size_t)opt_int(rd, o, "facts", where, 0);
	in->collector = json_is_true(json_object_get(o, "collector"));
	return 0;
}

static int read_rule(struct reader *rd, json_t *o, const char *where)
{
	struct kbt_rule *r = kbt_push(rd->t, KBT_RULES);
	r->id = req_str(rd, o, "id", where);
	r->where = req_str(rd, o, "source", where);
	r->article = opt_str(rd, o, "article", where);
	r->title = opt_str(rd, o, "title", where);
	r->severity = opt_str(rd, o, "severity", where);
	r->salience = (int)opt_int(rd, o, "salience", where, INT32_MIN);
	r->activations = (uint64_t)opt_int(rd, o, "activations", where, 0);
	r->fired = (uint64_t)opt_int(rd, o, "fired", where, 0);
	r->disabled = json_is_true(json_object_get(o, "disabled"));
	json_t *c = req_array(rd, o, "conditions", where);
	if (!c)
		return -1;
	r->nconds = json_array_size(c);
	r->conds = kbt_alloc(rd->t, r->nconds * sizeof(*r->conds));
	for (size_t i = 0; i < r->nconds; i++)
		if (!(r->conds[i] = json_is_string(json_array_get(c, i)) ? kbt_str(rd->t, json_string_value(json_array_get(c, i))) : NULL))
			return bad(rd, "%s.conditions[%zu] is not a string", where, i);
	return 0;
}

static int origin_of(struct reader *rd, const char *s, enum kb_origin *o, const char *where)
{
	for (int i = KB_ORIGIN_EVIDENCE; i <= KB_ORIGIN_DERIVED; i++)
		if (s && strcmp(s, kbt_origin_name((enum kb_origin)i)) == 0) {
			*o = (enum kb_origin)i;
			return 0;
		}
	return bad(rd, "%s.origin is not evidence, knowledge or derived", where);
}

static int read_fact(struct reader *rd, json_t *o, const char *where)
{
	struct kbt_fact *f = kbt_push(rd->t, KBT_FACTS);
	f->id = ref_of(rd, json_object_get(o, "id"), false, where);
	f->kind = req_str(rd, o, "kind", where);
	f->slots = slots_of(rd, json_object_get(o, "slots"), &f->nslots, where);
	origin_of(rd, opt_str(rd, o, "origin", where), &f->origin, where);
	f->source = opt_str(rd, o, "source", where);
	f->line = (int)opt_int(rd, o, "line", where, 0);
	f->text = opt_str(rd, o, "text", where);
	const char *in = opt_str(rd, o, "input", where);
	f->input = -1;
	if (in) {
		char *end;
		unsigned long i = in[0] == 'i' ? strtoul(in + 1, &end, 10) : 0;
		if (!i || *end || i > rd->t->ninputs)
			return bad(rd, "%s.input \"%s\" is not one of the inputs", where, in);
		f->input = (int)i - 1;
	}
	f->firing = (uint64_t)opt_int(rd, o, "firing", where, 0);
	if (json_object_get(o, "premises"))
		f->premises = refs_of(rd, json_object_get(o, "premises"), &f->npremises, where);
	if (json_object_get(o, "replaces"))
		f->replaces = ref_of(rd, json_object_get(o, "replaces"), false, where);
	f->asserted = (uint64_t)opt_int(rd, o, "asserted", where, 0);
	f->retracted = (uint64_t)opt_int(rd, o, "retracted", where, 0);
	f->retracted_by = (uint64_t)opt_int(rd, o, "retracted_by", where, 0);
	if (rd->t->nfacts > 1 && !rd->failed && f[-1].id >= f->id)
		return bad(rd, "%s: facts are not in ascending id order", where);
	return 0;
}

static int read_firing(struct reader *rd, json_t *o, const char *where)
{
	struct kbt_firing *x = kbt_push(rd->t, KBT_FIRINGS);
	x->n = (uint64_t)opt_int(rd, o, "n", where, 1);
	x->rule = rule_of(rd, o, where);
	x->activation = (uint64_t)opt_int(rd, o, "activation", where, 0);
	x->event = (uint64_t)opt_int(rd, o, "event", where, 0);
	x->facts = refs_of(rd, json_object_get(o, "facts"), &x->nfacts, where);
	x->bindings = slots_of(rd, json_object_get(o, "bindings"), &x->nbindings, where);
	return 0;
}

static int read_event(struct reader *rd, json_t *o, const char *where)
{
	static const char *const types[] = {"assert", "retract", "activate", "deactivate", "fire", "rule_error"};
	struct kbt_event *e = kbt_push(rd->t, KBT_EVENTS);
	const char *type = req_str(rd, o, "type", where);
	size_t i = 0;
	while (type && i < sizeof(types) / sizeof(types[0]) && strcmp(type, types[i]) != 0)
		i++;
	if (!type || i == sizeof(types) / sizeof(types[0]))
		return bad(rd, "%s.type is not an event type", where);
	e->type = (enum kbt_event_type)i;
	e->firing = (uint64_t)opt_int(rd, o, "firing", where, 0);
	if (e->type == KBT_EV_ASSERT || e->type == KBT_EV_RETRACT) {
		e->fact = ref_of(rd, json_object_get(o, "fact"), false, where);
		return 0;
	}
	e->rule = (uint32_t)rule_of(rd, o, where);
	e->activation = (uint64_t)opt_int(rd, o, "activation", where, 0);
	if (e->type == KBT_EV_ACTIVATE) {
		size_t n;
		e->facts = refs_of(rd, json_object_get(o, "facts"), &n, where);
		if (n > UINT32_MAX)
			return bad(rd, "%s.facts has too many facts", where);
		e->nfacts = (uint32_t)n;
	}
	if (e->type == KBT_EV_ERROR)
		e->error = (uint32_t)opt_int(rd, o, "error", where, 0);
	return 0;
}

static int read_error(struct reader *rd, json_t *o, const char *where)
{
	struct kbt_error *e = kbt_push(rd->t, KBT_ERRORS);
	e->rule = rule_of(rd, o, where);
	e->where = req_str(rd, o, "where", where);
	e->message = req_str(rd, o, "message", where);
	e->firing = (uint64_t)opt_int(rd, o, "firing", where, 0);
	return 0;
}

static int read_candidate(struct reader *rd, json_t *o, struct kbt_candidate *c, const char *where)
{
	if (!json_is_object(o))
		return bad(rd, "%s is not an object", where);
	c->fact = ref_of(rd, json_object_get(o, "fact"), false, where);
	c->nfailed = (size_t)opt_int(rd, o, "failed", where, 0);
	json_t *a = req_array(rd, o, "failures", where);
	if (!a)
		return -1;
	c->failures = kbt_alloc(rd->t, json_array_size(a) * sizeof(*c->failures));
	for (size_t i = 0; i < json_array_size(a) && !rd->failed; i++, c->nfailures++) {
		json_t *x = json_array_get(a, i);
		struct kbt_failure *f = &c->failures[i];
		if (!json_is_object(x))
			return bad(rd, "%s.failures[%zu] is not an object", where, i);
		f->test = (size_t)opt_int(rd, x, "test", where, 1) - 1;
		f->text = req_str(rd, x, "text", where);
		f->slot = req_str(rd, x, "slot", where);
		f->op = req_str(rd, x, "op", where);
		value_of(rd, json_object_get(x, "wanted") ? json_object_get(x, "wanted") : json_null(), &f->wanted, where);
		value_of(rd, json_object_get(x, "observed") ? json_object_get(x, "observed") : json_null(), &f->observed, where);
	}
	return rd->failed ? -1 : 0;
}

static int read_miss(struct reader *rd, json_t *o, const char *where)
{
	struct kbt_near_miss *m = kbt_push(rd->t, KBT_MISSES);
	m->rule = rule_of(rd, o, where);
	m->cond = (size_t)opt_int(rd, o, "condition", where, 1) - 1;
	const char *reason = req_str(rd, o, "reason", where);
	int r = KB_NEAR_NO_FACT;
	while (reason && r <= KB_NEAR_COMPLETE && strcmp(reason, kbt_reason_name((enum kb_near_reason)r)) != 0)
		r++;
	if (!reason || r > KB_NEAR_COMPLETE)
		return bad(rd, "%s.reason is not a near-miss reason", where);
	m->reason = (enum kb_near_reason)r;
	if (!rd->failed && m->cond > rd->t->rules[m->rule].nconds)
		return bad(rd, "%s.condition is past the rule's last condition", where);
	m->kind = opt_str(rd, o, "kind", where);
	m->partial = (size_t)opt_int(rd, o, "partial_matches", where, 0);
	m->candidates = (size_t)opt_int(rd, o, "candidates", where, 0);
	m->matched = refs_of(rd, json_object_get(o, "matched"), &m->nmatched, where);
	m->bindings = slots_of(rd, json_object_get(o, "bindings"), &m->nbindings, where);
	json_t *a = req_array(rd, o, "closest", where);
	if (!a)
		return -1;
	m->closest = kbt_alloc(rd->t, json_array_size(a) * sizeof(*m->closest));
	for (size_t i = 0; i < json_array_size(a) && !rd->failed; i++, m->nclosest++) {
		char w[96];
		snprintf(w, sizeof(w), "%s.closest[%zu]", where, i);
		read_candidate(rd, json_array_get(a, i), &m->closest[i], w);
	}
	return rd->failed ? -1 : 0;
}

/* ---- references resolve ------------------------------------------------------------ */

static int facts_exist(struct reader *rd, const uint32_t *ids, size_t n, const char *where)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] && !kbt_fact(rd->t, ids[i]))
			return bad(rd, "%s names f%u, which is not among the facts", where, ids[i]);
	return 0;
}

static int check_refs(struct reader *rd)
{
	const struct kbt_trace *t = rd->t;
	for (size_t i = 1; i < t->nfirings; i++)
		if (t->firings[i - 1].n >= t->firings[i].n)
			return bad(rd, "firings[%zu]: firings are not in ascending order", i);
	for (size_t i = 0; i < t->nfacts && !rd->failed; i++) {
		const struct kbt_fact *f = &t->facts[i];
		facts_exist(rd, f->premises, f->npremises, "a fact's premises");
		facts_exist(rd, &f->replaces, 1, "a fact's replaces");
		const struct kbt_firing *x = kbt_firing(t, f->firing);
		if (f->firing && !x)
			bad(rd, "f%u names firing %llu, which is not among the firings", f->id, (unsigned long long)f->firing);
		/* what a fact rests on is older than it: explanations end */
		for (size_t k = 0; x && k < x->nfacts; k++)
			if (x->facts[k] >= f->id)
				bad(rd, "f%u rests on f%u, which is not older", f->id, x->facts[k]);
		for (size_t k = 0; k < f->npremises; k++)
			if (f->premises[k] >= f->id)
				bad(rd, "f%u rests on f%u, which is not older", f->id, f->premises[k]);
	}
	for (size_t i = 0; i < t->nfirings && !rd->failed; i++)
		facts_exist(rd, t->firings[i].facts, t->firings[i].nfacts, "a firing");
	for (size_t i = 0; i < t->nevents && !rd->failed; i++) {
		const struct kbt_event *e = &t->events[i];
		facts_exist(rd, &e->fact, 1, "an event");
		facts_exist(rd, e->facts, e->nfacts, "an event");
		if (e->type == KBT_EV_ERROR && e->error >= t->nerrors)
			bad(rd, "events[%zu].error is not one of the errors", i);
	}
	for (size_t i = 0; i < t->nmisses && !rd->failed; i++) {
		const struct kbt_near_miss *m = &t->misses[i];
		facts_exist(rd, m->matched, m->nmatched, "a near miss");
		for (size_t k = 0; k < m->nclosest; k++)
			facts_exist(rd, &m->closest[k].fact, 1, "a near miss");
	}
	return rd->failed ? -1 : 0;
}

/* ---- the document ----------------------------------------------------------------- */

static int each(struct reader *rd, json_t *root, const char *key, int (*fn)(struct reader *, json_t *, const char *))
{
	json_t *a = req_array(rd, root, key, "");
	for (size_t i = 0; a && i < json_array_size(a) && !rd->failed; i++) {
		char where[64];
		snprintf(where, sizeof(where), "%s[%zu]", key, i);
		if (!json_is_object(json_array_get(a, i)))
			return bad(rd, "%s is not an object", where);
		fn(rd, json_array_get(a, i), where);
	}
	return rd->failed ? -1 : 0;
}

static int index_rules(struct reader *rd)
{
	struct kbt_trace *t = rd->t;
	rd->keys = kbu_calloc(t->nrules, sizeof(*rd->keys));
	for (size_t i = 0; i < t->nrules; i++)
		rd->keys[i] = (struct rule_key){t->rules[i].id, i};
	qsort(rd->keys, t->nrules, sizeof(*rd->keys), cmp_keys);
	for (size_t i = 1; i < t->nrules; i++)
		if (strcmp(rd->keys[i - 1].id, rd->keys[i].id) == 0)
			return bad(rd, "rules: \"%s\" is listed twice", rd->keys[i].id);
	return 0;
}

static int read_doc(struct reader *rd, json_t *root)
{
	json_t *v = json_object_get(root, "kbdiag_trace");
	if (!json_is_integer(v))
		return bad(rd, "not a kbdiag trace (no \"kbdiag_trace\" version)");
	if (json_integer_value(v) != KBT_FORMAT)
		return bad(rd, "trace format %lld; this kbdiag reads format %d", (long long)json_integer_value(v), KBT_FORMAT);
	if (json_object_get(root, "kbdiag"))
		rd->t->version = req_str(rd, root, "kbdiag", "");
	if (each(rd, root, "inputs", read_input) < 0 || each(rd, root, "rules", read_rule) < 0 ||
	    index_rules(rd) < 0 || each(rd, root, "facts", read_fact) < 0 ||
	    each(rd, root, "firings", read_firing) < 0 || each(rd, root, "events", read_event) < 0 ||
	    each(rd, root, "errors", read_error) < 0 || each(rd, root, "near_misses", read_miss) < 0)
		return -1;
	return check_refs(rd);
}

static struct kbt_trace *from_root(json_t *root, char *err, size_t errlen)
{
	struct reader rd = {kbt_trace_new(), err, errlen, false, NULL};
	if (!json_is_object(root))
		bad(&rd, "not a kbdiag trace (not a JSON object)");
	else
		read_doc(&rd, root);
	json_decref(root);
	free(rd.keys);
	if (rd.failed) {
		kbt_trace_free(rd.t);
		return NULL;
	}
	return rd.t;
}

struct kbt_trace *kbt_read_json(const char *path, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, errlen, "line %d: %s", jerr.line, jerr.text);
		return NULL;
	}
	return from_root(root, err, errlen);
}

struct kbt_trace *kbt_read_json_buffer(const char *buf, size_t len, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, errlen, "line %d: %s", jerr.line, jerr.text);
		return NULL;
	}
	return from_root(root, err, errlen);
}
