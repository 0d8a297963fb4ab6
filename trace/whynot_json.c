/*
 * whynot_json.c — why-not (whynot.c's analysis) as one JSON object, for
 * programs: the cause as a word (evidence_missing, condition_false,
 * not_derived, ...), the fact and test it stopped at, what to collect, and
 * the rules behind a missing derived kind under "because".  "collect_next"
 * gathers every distinct piece of evidence to ask for from the whole tree,
 * for a report that shows what to collect next.  docs/trace-format.md,
 * "Why-not as JSON", describes the members.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "internal.h"
#include "json_text.h"

static void set(json_t *o, const char *key, json_t *v)
{
	if (v)
		json_object_set_new(o, key, v);
}

static json_t *sentence(const struct kbt_trace *t, const struct kbt_reason *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		kbu_oom();
	kbt_reason_sentence(t, r, f);
	fclose(f);
	json_t *j = kbu_json_text(buf);
	free(buf);
	return j;
}

static json_t *fact_json(const struct kbt_trace *t, uint32_t id)
{
	const struct kbt_fact *f = kbt_fact(t, id);
	char ref[16];
	snprintf(ref, sizeof(ref), "f%u", id);
	json_t *o = json_object();
	set(o, "id", json_string(ref));
	if (!f)
		return o;
	set(o, "kind", kbu_json_text(f->kind));
	set(o, "origin", json_string(kbt_origin_name(f->origin)));
	if (f->source)
		set(o, "source", kbu_json_text(f->source));
	if (f->line > 0)
		set(o, "line", json_integer(f->line));
	if (f->text)
		set(o, "text", kbu_json_text(f->text));
	const struct kbt_firing *x = f->origin == KB_ORIGIN_DERIVED ? kbt_firing(t, f->firing) : NULL;
	if (x) {
		set(o, "firing", json_integer((json_int_t)x->n));
		set(o, "made_by", kbu_json_text(t->rules[x->rule].id));
	}
	return o;
}

static json_t *source_json(const struct kbt_evidence *e)
{
	json_t *formats = json_array();
	for (size_t i = 0; e->formats && e->formats[i]; i++)
		json_array_append_new(formats, kbu_json_text(e->formats[i]));
	return json_pack("{s:o, s:o, s:o, s:o}", "evidence", kbu_json_text(e->what), "command",
			 kbu_json_text(e->collect), "platform", kbu_json_text(e->platform), "formats", formats);
}

static void failure_members(json_t *o, const struct kbt_failure *f)
{
	set(o, "test", kbu_json_text(f->text));
	set(o, "slot", kbu_json_text(f->slot));
	set(o, "observed", f->observed.type == KB_NIL ? json_null() : kbt_value_json(f->observed));
	if (f->wanted.type != KB_NIL)
		set(o, "wanted", kbt_value_json(f->wanted));
}

static void miss_members(json_t *o, const struct kbt_trace *t, const struct kbt_reason *r)
{
	const struct kbt_near_miss *m = r->miss;
	const struct kbt_rule *rule = &t->rules[r->rule];
	set(o, "near_miss", json_string(kbt_reason_name(m->reason)));
	if (m->cond < rule->nconds) {
		const struct kbt_choice *ch = kbt_choice_at(m->choices, m->nchoices, m->cond);
		set(o, "condition", json_integer((json_int_t)m->cond + 1));
		set(o, "pattern", kbu_json_text(ch ? ch->pattern : rule->conds[m->cond]));
		if (ch)
			set(o, "choice", json_integer((json_int_t)ch->choice + 1));
	}
	if (m->kind)
		set(o, "kind", kbu_json_text(m->kind));
	json_t *b = json_object();
	for (size_t i = 0; i < m->nbindings; i++)
		set(b, m->bindings[i].name, kbt_value_json(m->bindings[i].value));
	set(o, "bindings", b);
	if (r->closest) {
		set(o, "fact", fact_json(t, r->closest->fact));
		if (r->closest->nfailures)
			failure_members(o, &r->closest->failures[0]);
		set(o, "tests_failed", json_integer((json_int_t)r->closest->nfailed));
	}
}

static json_t *reason_json(const struct kbt_trace *t, const struct kbt_reason *r, json_t *collect_next)
{
	json_t *o = json_object();
	set(o, "rule", kbu_json_text(t->rules[r->rule].id));
	set(o, "fired", json_boolean(r->cause == KBT_CAUSE_FIRED));
	set(o, "cause", json_string(kbt_cause_name(r->cause)));
	set(o, "summary", sentence(t, r));
	if (r->miss)
		miss_members(o, t, r);
	if (r->cause == KBT_CAUSE_EVIDENCE_MISSING) {
		json_t *collect = json_array(), *read = json_array();
		for (size_t i = 0; i < r->nsources; i++) {
			json_array_append_new(collect, source_json(&r->sources[i]));
			json_t *again = source_json(&r->sources[i]);
			size_t k = 0;
			while (k < json_array_size(collect_next) && !json_equal(json_array_get(collect_next, k), again))
				k++;
			if (k == json_array_size(collect_next))
				json_array_append(collect_next, again);
			json_decref(again);
		}
		for (size_t i = 0; i < r->nread; i++)
			json_array_append_new(read, json_pack("{s:o, s:o}", "path", kbu_json_text(t->inputs[r->read[i]].path),
							      "format", kbu_json_text(t->inputs[r->read[i]].format)));
		set(o, "collect", collect);
		set(o, "read", read);
	}
	if (r->cause == KBT_CAUSE_NOT_DERIVED) {
		json_t *because = json_array();
		for (size_t i = 0; i < r->nmakers; i++)
			json_array_append_new(because, reason_json(t, &r->makers[i], collect_next));
		set(o, "because", because);
		set(o, "more_makers", json_integer((json_int_t)r->more_makers));
	}
	return o;
}

struct json_t *kbt_why_not_json(const struct kbt_trace *t, const char *rule, kbt_evidence_fn evidence)
{
	const struct kbt_rule *r = kbt_rule_find(t, rule);
	if (!r)
		return json_pack("{s:o, s:s}", "rule", kbu_json_text(rule), "error", "there is no such rule in this trace");
	struct kbt_reason why;
	json_t *collect_next = json_array();
	kbt_reason_find(t, (size_t)(r - t->rules), evidence, &why);
	json_t *root = reason_json(t, &why, collect_next);
	kbt_reason_free(&why);
	if (r->fired) {
		json_t *firings = json_array();
		for (size_t i = 0; i < t->nfirings; i++)
			if (&t->rules[t->firings[i].rule] == r)
				json_array_append_new(firings, json_integer((json_int_t)t->firings[i].n));
		set(root, "firings", firings);
	}
	set(root, "collect_next", collect_next);
	return root;
}

int kbt_render_why_not_json(const struct kbt_trace *t, const char *rule, kbt_evidence_fn evidence, FILE *out)
{
	json_t *root = kbt_why_not_json(t, rule, evidence);
	int rc = json_dumpf(root, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	fputc('\n', out);
	json_decref(root);
	return !kbt_rule_find(t, rule) ? 1 : rc < 0 || ferror(out) ? -1 : 0;
}
