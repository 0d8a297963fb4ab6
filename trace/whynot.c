/*
 * whynot.c — why a rule did not fire, in words a support engineer can read
 * to a customer: one sentence naming the slot, what the closest fact holds
 * and what the rule needs ("Q214864 did not fire: the host's service pack
 * is 6, the rule needs 4."), then the rule's conditions with where the
 * match stopped, the partial match that got furthest and the closest facts.
 */
#include <string.h>

#include "internal.h"
#include "textout.h"

/* "service_pack" -> "service pack" */
static void words(char *buf, size_t n, const char *name)
{
	size_t i = 0;
	for (; name && name[i] && i + 1 < n; i++)
		buf[i] = name[i] == '_' ? ' ' : name[i];
	buf[i] = '\0';
}

/* The variable a test compares with ("port = ?port" -> "?port"), or NULL. */
static const char *var_in(const char *text)
{
	const char *q = strchr(text, '?');
	return q && (q == text || q[-1] == ' ' || q[-1] == '(') ? q : NULL;
}

/* What the rule needs, for a failed test: "4", "at least 4", "110 (?port)". */
static void needs(char *buf, size_t n, const struct kbt_failure *f)
{
	static const struct { const char *op, *before; } phrases[] = {
		{"eq", ""}, {"ne", "anything but "}, {"lt", "less than "}, {"le", "at most "},
		{"gt", "more than "}, {"ge", "at least "}, {"ci", ""},
	};
	char v[512];
	kbt_value_text(v, sizeof(v), f->wanted);
	for (size_t i = 0; f->wanted.type != KB_NIL && i < sizeof(phrases) / sizeof(phrases[0]); i++) {
		if (strcmp(f->op, phrases[i].op) != 0)
			continue;
		const char *var = var_in(f->text);
		int k = snprintf(buf, n, "%s%s%s", phrases[i].before, v, strcmp(f->op, "ci") == 0 ? " in any case" : "");
		if (var && k > 0 && (size_t)k < n)
			snprintf(buf + k, n - (size_t)k, " (%.*s)", (int)strcspn(var, " ,)"), var);
		return;
	}
	const char *eq = strstr(f->text, " = ");
	snprintf(buf, n, "%s", eq ? eq + 3 : f->text); /* one_of(...), match(...), test(function) */
}

static void failure_sentence(FILE *out, const char *kind, const struct kbt_failure *f)
{
	char slot[256], need[1024], seen[512];
	words(slot, sizeof(slot), f->slot);
	needs(need, sizeof(need), f);
	kbt_value_text(seen, sizeof(seen), f->observed);
	if (f->observed.type == KB_NIL)
		kbu_tprintf(out, "the %s has no %s, the rule needs %s", kind, slot, need);
	else
		kbu_tprintf(out, "the %s's %s is %s, the rule needs %s", kind, slot, seen, need);
}

static void fact_source(FILE *out, const struct kbt_fact *f)
{
	if (!f)
		return;
	if (f->origin == KB_ORIGIN_DERIVED)
		kbu_tprintf(out, "derived by firing #%llu", (unsigned long long)f->firing);
	else if (f->line > 0)
		kbu_tprintf(out, "%s:%d", f->source ? f->source : "?", f->line);
	else
		kbu_tprintf(out, "%s", f->source ? f->source : "?");
}

void kbt_why_not_summary(const struct kbt_trace *t, const struct kbt_near_miss *m, FILE *out)
{
	const struct kbt_rule *r = &t->rules[m->rule];
	const char *pattern = m->cond < r->nconds ? r->conds[m->cond] : "";
	const struct kbt_candidate *c = m->nclosest ? &m->closest[0] : NULL;
	const char *kind = m->kind ? m->kind : "matching";
	kbu_tprintf(out, "%s did not fire: ", r->id);
	switch (m->reason) {
	case KB_NEAR_NO_FACT:
		kbu_tprintf(out, "there is no %s fact (condition %zu, %s)", kind, m->cond + 1, pattern);
		break;
	case KB_NEAR_NO_MATCH:
		if (!c || !c->nfailures) {
			kbu_tprintf(out, "no %s fact matches condition %zu, %s", kind, m->cond + 1, pattern);
			break;
		}
		failure_sentence(out, kind, &c->failures[0]);
		if (c->nfailed > 1)
			kbu_tprintf(out, " (and %zu more test%s fail%s)", c->nfailed - 1, c->nfailed > 2 ? "s" : "",
				c->nfailed > 2 ? "" : "s");
		break;
	case KB_NEAR_BLOCKED:
		kbu_tprintf(out, "condition %zu needs %s, but f%u (", m->cond + 1, pattern, c ? c->fact : 0);
		fact_source(out, c ? kbt_fact(t, c->fact) : NULL);
		kbu_tprintf(out, ") is one");
		break;
	case KB_NEAR_TEST:
		kbu_tprintf(out, "condition %zu, %s, is false", m->cond + 1, pattern);
		break;
	case KB_NEAR_COMPLETE:
		kbu_tprintf(out, "every condition matched, but %s",
			r->disabled ? "an error disabled the rule" : "the run stopped before it fired");
		break;
	}
	if (m->nbindings && m->reason != KB_NEAR_COMPLETE) {
		kbu_tprintf(out, ", with ");
		kbt_bindings_text(out, m->bindings, m->nbindings);
	}
	fputs(".\n", out);
}

static void closest_facts(const struct kbt_trace *t, const struct kbt_near_miss *m, FILE *out)
{
	const char *kind = m->kind ? m->kind : "matching";
	if (m->reason == KB_NEAR_BLOCKED)
		kbu_tprintf(out, "  The %s facts it needs to be absent:\n", kind);
	else if (m->nclosest)
		kbu_tprintf(out, "  The closest %s facts (%zu tried):\n", kind, m->candidates);
	for (size_t i = 0; i < m->nclosest; i++) {
		const struct kbt_candidate *c = &m->closest[i];
		const struct kbt_fact *f = kbt_fact(t, c->fact);
		kbu_tprintf(out, "    f%u, ", c->fact);
		fact_source(out, f);
		if (f && f->text && !strchr(f->text, '\n'))
			kbu_tprintf(out, ": %s", f->text);
		fputc('\n', out);
		for (size_t k = 0; k < c->nfailures; k++) {
			char seen[512];
			kbt_value_text(seen, sizeof(seen), c->failures[k].observed);
			kbu_tprintf(out, "      %s, but it has %s\n", c->failures[k].text, seen);
		}
		if (c->nfailed > c->nfailures)
			kbu_tprintf(out, "      and %zu more\n", c->nfailed - c->nfailures);
	}
}

static void details(const struct kbt_trace *t, const struct kbt_near_miss *m, FILE *out)
{
	const struct kbt_rule *r = &t->rules[m->rule];
	kbu_tprintf(out, "\n  Rule %s (%s):\n", r->id, r->where);
	for (size_t i = 0; i < r->nconds; i++) {
		kbu_tprintf(out, "  %s %zu. %s", i == m->cond ? ">" : " ", i + 1, r->conds[i]);
		if (i < m->nmatched && m->matched[i])
			kbu_tprintf(out, "   matched f%u", m->matched[i]);
		fputc('\n', out);
	}
	if (m->cond < r->nconds && m->cond > 0)
		kbu_tprintf(out, "  Conditions 1 to %zu matched in %zu way%s; matching stopped at condition %zu.\n",
			m->cond, m->partial, m->partial == 1 ? "" : "s", m->cond + 1);
	else if (m->cond < r->nconds)
		kbu_tprintf(out, "  Matching stopped at the first condition.\n");
	closest_facts(t, m, out);
}

int kbt_render_why_not(const struct kbt_trace *t, const char *rule, FILE *out)
{
	const struct kbt_rule *r = kbt_rule_find(t, rule);
	if (!r) {
		kbu_tprintf(out, "There is no rule %s in this trace.\n", rule);
		return 1;
	}
	if (r->fired) {
		kbu_tprintf(out, "%s fired %llu time%s:", r->id, (unsigned long long)r->fired, r->fired == 1 ? "" : "s");
		for (size_t i = 0; i < t->nfirings; i++)
			if (&t->rules[t->firings[i].rule] == r)
				kbu_tprintf(out, " #%llu", (unsigned long long)t->firings[i].n);
		fputs(".\n", out);
		return ferror(out) ? -1 : 0;
	}
	for (size_t i = 0; i < t->nmisses; i++)
		if (&t->rules[t->misses[i].rule] == r) {
			kbt_why_not_summary(t, &t->misses[i], out);
			details(t, &t->misses[i], out);
			return ferror(out) ? -1 : 0;
		}
	kbu_tprintf(out, "%s did not fire; the trace holds no analysis of why.\n", r->id);
	return ferror(out) ? -1 : 0;
}
