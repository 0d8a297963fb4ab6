/*
 * trace_report.c — the report a saved trace holds, for `explain TRACE
 * --format html`: the findings (facts of kind "finding") with the
 * evidence their derivations rest on, as kbr_build() collects them from a
 * live engine, the host, the inputs and the rule errors.
 */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "xalloc.h"

struct walk {
	const struct kbt_trace *t;
	unsigned char *seen;   /* by fact index */
	const struct kbt_fact **stack;
	size_t nstack, cap;
	struct kbr_evidence *v;
	size_t n;
};

static void push(struct walk *w, uint32_t id)
{
	const struct kbt_fact *f = kbt_fact(w->t, id);
	if (!f || w->seen[f - w->t->facts])
		return;
	if (w->nstack == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 16;
		w->stack = kbu_realloc(w->stack, w->cap, sizeof(*w->stack));
	}
	w->stack[w->nstack++] = f;
}

/* The firing's premises, the first on top: visited in the order the
 * live report lists them (depth first, by condition). */
static void push_premises(struct walk *w, const struct kbt_firing *x)
{
	for (size_t i = x ? x->nfacts : 0; i > 0; i--)
		push(w, x->facts[i - 1]);
}

/* Evidence under a finding, with an explicit stack: a saved trace may
 * chain derivations deeper than a call stack goes. */
static void collect_evidence(struct walk *w, const struct kbt_fact *finding)
{
	memset(w->seen, 0, w->t->nfacts);
	w->seen[finding - w->t->facts] = 1;
	w->v = NULL;
	w->n = 0;
	push_premises(w, kbt_firing(w->t, finding->firing));
	while (w->nstack) {
		const struct kbt_fact *f = w->stack[--w->nstack];
		if (w->seen[f - w->t->facts])
			continue;
		w->seen[f - w->t->facts] = 1;
		if (f->origin == KB_ORIGIN_EVIDENCE) {
			w->v = kbu_realloc(w->v, w->n + 1, sizeof(*w->v));
			w->v[w->n++] = (struct kbr_evidence){f->id, f->kind, f->source, f->line, f->text, f->offset, f->length};
		} else if (f->origin == KB_ORIGIN_DERIVED) {
			push_premises(w, kbt_firing(w->t, f->firing));
		}
	}
}

static void add_findings(struct kbr_report *r, const struct kbt_trace *t)
{
	uint32_t *ids;
	size_t n = kbt_findings(t, &ids);
	struct walk w = {.t = t, .seen = kbu_calloc(t->nfacts ? t->nfacts : 1, 1)};
	r->findings = kbu_calloc(n ? n : 1, sizeof(*r->findings));
	for (size_t i = 0; i < n; i++) {
		const struct kbt_fact *f = kbt_fact(t, ids[i]);
		struct kbr_finding *x = &r->findings[r->nfindings++];
		*x = (struct kbr_finding){
			.fact = f->id, .rule = kbt_slot_str(f, "rule"), .article = kbt_slot_str(f, "article"),
			.severity = kbt_slot_str(f, "severity"), .title = kbt_slot_str(f, "title"),
			.message = kbt_slot_str(f, "message"), .remedy = kbt_slot_str(f, "remedy"),
		};
		collect_evidence(&w, f);
		x->evidence = w.v;
		x->nevidence = w.n;
	}
	free(w.stack);
	free(w.seen);
	free(ids);
}

/* The first host fact still live at the end, as kbr_build() reads it. */
static void add_host(struct kbr_report *r, const struct kbt_trace *t)
{
	r->service_pack = -1;
	for (size_t i = 0; i < t->nfacts; i++) {
		const struct kbt_fact *f = &t->facts[i];
		if (f->retracted || !f->kind || strcmp(f->kind, "host") != 0)
			continue;
		kbr_add_computer(r, kbt_slot_str(f, "name"), f->source, f->line);
		if (!r->host_name)
			r->host_name = kbt_slot_str(f, "name");
		if (!r->host_os)
			r->host_os = kbt_slot_str(f, "os_name");
		const struct kb_value *sp = kbt_slot(f, "service_pack");
		if (r->service_pack < 0 && sp && sp->type == KB_INT)
			r->service_pack = sp->u.i;
	}
}

size_t kbr_finding_firings(const struct kbt_trace *t, uint32_t finding, const struct kbt_firing ***out)
{
	const struct kbt_fact *f = kbt_fact(t, finding);
	const struct kbt_firing *top = f ? kbt_firing(t, f->firing) : NULL;
	*out = NULL;
	if (!top)
		return 0;
	unsigned char *seen = kbu_calloc(t->nfirings, 1);
	const struct kbt_firing **stack = kbu_calloc(1, sizeof(*stack));
	size_t nstack = 1, cap = 1, n = 0;
	stack[0] = top;
	while (nstack) {
		const struct kbt_firing *x = stack[--nstack];
		if (seen[x - t->firings])
			continue;
		seen[x - t->firings] = 1;
		*out = kbu_realloc(*out, n + 1, sizeof(**out));
		(*out)[n++] = x;
		for (size_t i = x->nfacts; i > 0; i--) {
			const struct kbt_fact *p = kbt_fact(t, x->facts[i - 1]);
			const struct kbt_firing *below = p && p->origin == KB_ORIGIN_DERIVED ? kbt_firing(t, p->firing) : NULL;
			if (!below || seen[below - t->firings])
				continue;
			if (nstack == cap)
				stack = kbu_realloc(stack, cap *= 2, sizeof(*stack));
			stack[nstack++] = below;
		}
	}
	free(stack);
	free(seen);
	return n;
}

void kbr_from_trace(struct kbr_report *r, const struct kbt_trace *t)
{
	memset(r, 0, sizeof(*r));
	add_findings(r, t);
	add_host(r, t);
	for (size_t i = 0; i < t->ninputs; i++) {
		const struct kbt_input *in = &t->inputs[i];
		char reason[600];
		if (in->unavailable) {
			snprintf(reason, sizeof(reason), "not available: %s", in->unavailable);
			kbr_add_warning(r, in->path ? in->path : "?", 0, reason);
		}
		kbr_add_input(r, in->path ? in->path : "?", in->format ? in->format : "?", in->unavailable, in->facts,
			      in->facts, 0, in->unavailable ? KBR_NOT_READ : KBR_READ);
	}
	for (size_t i = 0; i < t->nerrors; i++) {
		char msg[1200];
		snprintf(msg, sizeof(msg), "rule %s: %s", t->rules[t->errors[i].rule].id,
			 t->errors[i].message ? t->errors[i].message : "");
		kbr_add_error(r, "error", t->errors[i].where, msg);
	}
	r->facts = t->nfacts;
	r->rules = t->nrules;
	r->fired = t->nfirings;
}
