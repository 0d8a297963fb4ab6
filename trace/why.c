/*
 * why.c — why-trees for people.  A finding is shown with the firing that
 * made it and the variables it bound; under it each of the rule's
 * conditions with the fact that matched it; a derived fact opens the same
 * way in turn, until every branch ends in what was gathered (evidence: the
 * file, line and raw text) or declared (knowledge: the rule file and line).
 * A fact met twice in one tree is shown once.  Also the whole-trace text
 * rendering: every finding's tree, the rules that did not fire, the errors.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "textout.h"

#define MAX_DEPTH 64 /* derivations shown below a finding; the JSON has the rest */

struct why {
	const struct kbt_trace *t;
	FILE *out;
	unsigned char *seen; /* by fact index */
	int depth;
};

static void slots_line(FILE *out, const struct kbt_fact *f)
{
	kbu_tprintf(out, "f%u %s {", f->id, f->kind);
	for (size_t i = 0; i < f->nslots; i++) {
		char v[512];
		kbt_value_text(v, sizeof(v), f->slots[i].value);
		kbu_tprintf(out, "%s %s = %s", i ? "," : "", f->slots[i].name, v);
	}
	kbu_tprintf(out, " }");
}

void kbt_raw_text(FILE *out, const char *indent, const char *text)
{
	while (text && *text) {
		size_t len = strcspn(text, "\n");
		size_t shown = len && text[len - 1] == '\r' ? len - 1 : len;
		kbu_tprintf(out, "%s| %.*s\n", indent, (int)shown, text);
		text += len + (text[len] == '\n');
	}
}

void kbt_bindings_text(FILE *out, const struct kbt_slot *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char v[512];
		kbt_value_text(v, sizeof(v), b[i].value);
		kbu_tprintf(out, "%s%s = %s", i ? ", " : "", b[i].name, v);
	}
}

static char *indent_more(const char *indent, const char *more)
{
	size_t a = strlen(indent), b = strlen(more);
	char *s = kbu_malloc(a + b + 1);
	memcpy(s, indent, a);
	memcpy(s + a, more, b + 1);
	return s;
}

static void fact_tree(struct why *w, const struct kbt_fact *f, const char *indent);

static void firing_tree(struct why *w, const struct kbt_firing *x, const char *indent)
{
	const struct kbt_rule *r = &w->t->rules[x->rule];
	kbu_tprintf(w->out, "%smade by firing #%llu of rule %s (%s)\n", indent, (unsigned long long)x->n, r->id, r->where);
	if (x->nbindings) {
		kbu_tprintf(w->out, "%swith ", indent);
		kbt_bindings_text(w->out, x->bindings, x->nbindings);
		fputc('\n', w->out);
	}
	char *deeper = indent_more(indent, "     ");
	for (size_t i = 0; i < x->nfacts; i++) {
		const struct kbt_choice *ch = kbt_choice_at(x->choices, x->nchoices, i);
		const char *cond = ch ? ch->pattern : i < r->nconds ? r->conds[i] : "?";
		if (ch)
			kbu_tprintf(w->out, "%s%zu. %s   (choice %zu of its any_of)\n", indent, i + 1, cond, ch->choice + 1);
		else
			kbu_tprintf(w->out, "%s%zu. %s\n", indent, i + 1, cond);
		const struct kbt_fact *p = kbt_fact(w->t, x->facts[i]);
		if (p)
			fact_tree(w, p, deeper);
		else
			kbu_tprintf(w->out, "%s%s\n", deeper, strncmp(cond, "no(", 3) == 0 ? "(no such fact)" : "(holds)");
	}
	free(deeper);
}

static void fact_tree(struct why *w, const struct kbt_fact *f, const char *indent)
{
	size_t idx = (size_t)(f - w->t->facts);
	fputs(indent, w->out);
	slots_line(w->out, f);
	if (w->seen[idx]) {
		fputs("  (shown above)\n", w->out);
		return;
	}
	w->seen[idx] = 1;
	fputc('\n', w->out);
	char *deeper = indent_more(indent, "  ");
	const struct kbt_firing *x = f->origin == KB_ORIGIN_DERIVED ? kbt_firing(w->t, f->firing) : NULL;
	if (x && w->depth >= MAX_DEPTH) {
		kbu_tprintf(w->out, "%smade by firing #%llu (and so on: the tree is cut here)\n", deeper,
			(unsigned long long)x->n);
	} else if (x) {
		w->depth++;
		firing_tree(w, x, deeper);
		w->depth--;
	} else {
		kbu_tprintf(w->out, "%s%s %s", deeper, kbt_origin_name(f->origin), f->source ? f->source : "?");
		if (f->line > 0)
			kbu_tprintf(w->out, ":%d", f->line);
		fputc('\n', w->out);
		kbt_raw_text(w->out, deeper, f->text);
	}
	free(deeper);
}

int kbt_render_why(const struct kbt_trace *t, uint32_t finding, const char *indent, FILE *out)
{
	const struct kbt_fact *f = kbt_fact(t, finding);
	if (!f)
		return -1;
	struct why w = {t, out, kbu_calloc(t->nfacts, 1), 0};
	const char *rule = kbt_slot_str(f, "rule"), *sev = kbt_slot_str(f, "severity");
	const char *msg = kbt_slot_str(f, "message");
	kbu_tprintf(out, "%sf%u finding %s (%s): %s\n", indent, f->id, rule ? rule : "?", sev ? sev : "?",
		msg ? msg : "");
	w.seen[f - t->facts] = 1;
	char *deeper = indent_more(indent, "  ");
	const struct kbt_firing *x = kbt_firing(t, f->firing);
	if (x)
		firing_tree(&w, x, deeper);
	else
		kbu_tprintf(out, "%s%s %s\n", deeper, kbt_origin_name(f->origin), f->source ? f->source : "");
	free(deeper);
	free(w.seen);
	return ferror(out) ? -1 : 0;
}

size_t kbt_why_facts(const struct kbt_trace *t, size_t root, size_t **order)
{
	size_t *queue = kbu_malloc(t->nfacts * sizeof(*queue)), n = 0;
	unsigned char *queued = kbu_calloc(t->nfacts, 1);
	queue[n++] = root;
	queued[root] = 1;
	for (size_t head = 0; head < n; head++) {
		const struct kbt_fact *f = &t->facts[queue[head]];
		const struct kbt_firing *x = f->origin == KB_ORIGIN_DERIVED ? kbt_firing(t, f->firing) : NULL;
		for (size_t i = 0; x && i < x->nfacts; i++) {
			const struct kbt_fact *p = kbt_fact(t, x->facts[i]);
			if (p && !queued[p - t->facts]) {
				queued[p - t->facts] = 1;
				queue[n++] = (size_t)(p - t->facts);
			}
		}
	}
	free(queued);
	*order = queue;
	return n;
}

/* ---- the whole trace ----------------------------------------------------------- */

static void heading(FILE *out, const char *title)
{
	kbu_tprintf(out, "%s\n", title);
	for (size_t i = 0; title[i]; i++)
		fputc('=', out);
	fputs("\n\n", out);
}

int kbt_render_text(const struct kbt_trace *t, FILE *out)
{
	kbu_tprintf(out, "kbdiag %s trace: %zu inputs, %zu rules, %zu facts, %zu firings, %zu events\n\n",
		t->version ? t->version : "?", t->ninputs, t->nrules, t->nfacts, t->nfirings, t->nevents);
	uint32_t *ids;
	size_t n = kbt_findings(t, &ids);
	heading(out, n ? "Why each finding was made" : "No findings");
	for (size_t i = 0; i < n; i++) {
		kbt_render_why(t, ids[i], "", out);
		fputc('\n', out);
	}
	free(ids);
	if (t->nmisses)
		heading(out, "Rules that did not fire");
	for (size_t i = 0; i < t->nmisses; i++)
		kbt_why_not_summary(t, &t->misses[i], out);
	if (t->nmisses)
		fputc('\n', out);
	if (t->nerrors)
		heading(out, "Rule errors");
	for (size_t i = 0; i < t->nerrors; i++)
		kbu_tprintf(out, "%s: rule %s: %s\n", t->errors[i].where, t->rules[t->errors[i].rule].id,
			t->errors[i].message);
	return ferror(out) ? -1 : 0;
}
