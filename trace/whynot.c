/*
 * whynot.c — why a rule did not fire, in words a support engineer can read
 * to a customer.  The near miss says where matching stopped; this file says
 * what that means for the case:
 *   - evidence missing: no input gave the fact (or the slot) the condition
 *     needs; which evidence gives it and the command that collects it
 *     ("collect `winmsd /a` or `systeminfo`");
 *   - condition false: the fact is there and says something else ("the
 *     host's service pack is 6 (winmsd.txt:1), the rule needs 4");
 *   - not derived: the kind is one rules make, and none made it; then why
 *     each of those rules did not fire, in turn, to a bounded depth and
 *     never round a cycle.
 * The analysis (struct kbt_reason) is shared with the JSON form
 * (whynot_json.c); this file also renders it as text.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "textout.h"

/* ---- the analysis ------------------------------------------------------------ */

const char *kbt_cause_name(enum kbt_cause c)
{
	static const char *const names[] = {"fired", "evidence_missing", "condition_false", "not_derived",
					    "pending", "unknown", "shown_above"};
	return (unsigned)c < sizeof(names) / sizeof(names[0]) ? names[c] : "?";
}

static const struct kbt_near_miss *miss_of(const struct kbt_trace *t, size_t rule)
{
	for (size_t i = 0; i < t->nmisses; i++)
		if (t->misses[i].rule == rule)
			return &t->misses[i];
	return NULL;
}

static bool names_kind(const char *cond, const char *kind)
{
	size_t n = strlen(kind);
	return strncmp(cond, kind, n) == 0 && strncmp(cond + n, " {", 2) == 0;
}

/* Whether r may make the first fact of kind: it asserts the kind and none
 * of its conditions needs one already (a rule that matches the kind and
 * builds conditions on it in Lua names it too, and makes no first one). */
static bool rule_makes(const struct kbt_rule *r, const char *kind)
{
	bool makes = false;
	for (size_t i = 0; i < r->nmakes; i++)
		makes |= strcmp(r->makes[i], kind) == 0;
	for (size_t i = 0; makes && i < r->nconds; i++)
		if (names_kind(r->conds[i], kind) ||
		    (strncmp(r->conds[i], "exists(", 7) == 0 && names_kind(r->conds[i] + 7, kind)))
			return false;
	return makes;
}

static bool format_in(const char *const *formats, const char *format)
{
	for (size_t i = 0; formats && format && formats[i]; i++)
		if (strcmp(formats[i], format) == 0)
			return true;
	return false;
}

/* The platform the trace's inputs were read from, when they tell: the one
 * whose evidence rows name the formats read.  NULL when they tell neither
 * or both (then every row is shown). */
static const char *platform_of(const struct kbt_trace *t, kbt_evidence_fn evidence)
{
	static const char *const kinds[] = {"host", "listener", "process", "service", "event", "address"};
	const char *found = NULL;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct kbt_evidence rows[KBT_WHY_NOT_SOURCES];
		size_t n = evidence(kinds[k], NULL, rows, KBT_WHY_NOT_SOURCES);
		for (size_t r = 0; r < n; r++)
			for (size_t i = 0; i < t->ninputs; i++) {
				if (!format_in(rows[r].formats, t->inputs[i].format))
					continue;
				if (found && strcmp(found, rows[r].platform) != 0)
					return NULL;
				found = rows[r].platform;
			}
	}
	return found;
}

/* Where the missing kind (or slot) comes from, and which inputs of those
 * formats were read all the same. */
static void sources(const struct kbt_trace *t, kbt_evidence_fn evidence, const char *kind, const char *slot,
		    struct kbt_reason *r)
{
	if (!evidence || !kind)
		return;
	const char *platform = platform_of(t, evidence);
	struct kbt_evidence rows[KBT_WHY_NOT_SOURCES];
	size_t n = evidence(kind, slot, rows, KBT_WHY_NOT_SOURCES);
	r->sourced = n > 0;
	for (size_t i = 0; i < n; i++)
		if (!platform || strcmp(rows[i].platform, platform) == 0)
			r->sources[r->nsources++] = rows[i];
	for (size_t i = 0; i < t->ninputs && r->nread < KBT_WHY_NOT_READ; i++)
		for (size_t k = 0; k < r->nsources; k++)
			if (format_in(r->sources[k].formats, t->inputs[i].format)) {
				r->read[r->nread++] = i;
				break;
			}
}

struct finder {
	const struct kbt_trace *t;
	kbt_evidence_fn evidence;
	bool *seen; /* by rule index: explained once in the whole answer, which also ends cycles */
	const char **kinds; /* missing kinds whose makers are explained already */
	size_t nkinds;
	const char **advised; /* missing kinds whose evidence is named already */
	size_t nadvised;
};

/* Whether name is in list; adds it if not. */
static bool met_before(const char ***list, size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*list)[i], name) == 0)
			return true;
	*list = kbu_realloc(*list, *n + 1, sizeof(**list));
	(*list)[(*n)++] = name;
	return false;
}

static void find(struct finder *fd, size_t rule, int depth, struct kbt_reason *r);

/* A kind no fact of which matched: rules make it (follow them) or the
 * evidence should have given it. */
static void missing_kind(struct finder *fd, const char *kind, int depth, struct kbt_reason *r)
{
	const struct kbt_trace *t = fd->t;
	size_t makers = 0;
	if (!kind) { /* a trace read back may leave it out */
		r->cause = KBT_CAUSE_EVIDENCE_MISSING;
		return;
	}
	for (size_t i = 0; i < t->nrules; i++)
		makers += i != r->rule && rule_makes(&t->rules[i], kind);
	if (!makers) {
		r->cause = KBT_CAUSE_EVIDENCE_MISSING;
		sources(t, fd->evidence, kind, NULL, r);
		r->kind_shown = met_before(&fd->advised, &fd->nadvised, kind);
		return;
	}
	r->cause = KBT_CAUSE_NOT_DERIVED;
	r->kind_shown = met_before(&fd->kinds, &fd->nkinds, kind);
	if (r->kind_shown)
		return;
	if (depth >= KBT_WHY_NOT_DEPTH) {
		r->deeper = true;
		r->more_makers = makers;
		return;
	}
	r->makers = kbu_calloc(makers < KBT_WHY_NOT_MAKERS ? makers : KBT_WHY_NOT_MAKERS, sizeof(*r->makers));
	for (size_t i = 0; i < t->nrules; i++) {
		if (i == r->rule || !rule_makes(&t->rules[i], kind))
			continue;
		if (r->nmakers == KBT_WHY_NOT_MAKERS)
			r->more_makers++;
		else
			find(fd, i, depth + 1, &r->makers[r->nmakers++]);
	}
}

/* Facts of the kind, none passing: a slot the closest fact lacks is
 * evidence missing (the file it came from did not say it); a value it
 * holds is a condition false. */
static void no_match(struct finder *fd, const struct kbt_near_miss *m, struct kbt_reason *r)
{
	const struct kbt_candidate *c = m->nclosest ? &m->closest[0] : NULL;
	const struct kbt_fact *f = c ? kbt_fact(fd->t, c->fact) : NULL;
	r->closest = c;
	r->cause = KBT_CAUSE_CONDITION_FALSE;
	if (!c || !c->nfailures || !f || f->origin == KB_ORIGIN_DERIVED)
		return;
	const struct kbt_failure *x = &c->failures[0];
	if (x->observed.type != KB_NIL || !x->slot)
		return;
	r->cause = KBT_CAUSE_EVIDENCE_MISSING;
	r->slot = x->slot;
	sources(fd->t, fd->evidence, f->kind, x->slot, r);
}

static void find(struct finder *fd, size_t rule, int depth, struct kbt_reason *r)
{
	*r = (struct kbt_reason){.rule = rule};
	const struct kbt_near_miss *m = miss_of(fd->t, rule);
	if (fd->t->rules[rule].fired) {
		r->cause = KBT_CAUSE_FIRED;
		return;
	}
	if (fd->seen[rule]) {
		r->cause = KBT_CAUSE_SHOWN;
		return;
	}
	if (!m) {
		r->cause = KBT_CAUSE_UNKNOWN;
		return;
	}
	r->miss = m;
	fd->seen[rule] = true;
	switch (m->reason) {
	case KB_NEAR_NO_FACT: missing_kind(fd, m->kind, depth, r); break;
	case KB_NEAR_NO_MATCH: no_match(fd, m, r); break;
	case KB_NEAR_BLOCKED:
		r->closest = m->nclosest ? &m->closest[0] : NULL;
		r->cause = KBT_CAUSE_CONDITION_FALSE;
		break;
	case KB_NEAR_TEST: r->cause = KBT_CAUSE_CONDITION_FALSE; break;
	case KB_NEAR_COMPLETE: r->cause = KBT_CAUSE_PENDING; break;
	}
}

void kbt_reason_find(const struct kbt_trace *t, size_t rule, kbt_evidence_fn evidence, struct kbt_reason *out)
{
	struct finder fd = {t, evidence, kbu_calloc(t->nrules ? t->nrules : 1, sizeof(bool)), NULL, 0, NULL, 0};
	find(&fd, rule, 0, out);
	free(fd.seen);
	free(fd.kinds);
	free(fd.advised);
}

void kbt_reason_free(struct kbt_reason *r)
{
	for (size_t i = 0; r && i < r->nmakers; i++)
		kbt_reason_free(&r->makers[i]);
	if (r)
		free(r->makers);
}

/* ---- sentences ----------------------------------------------------------------- */

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
	if (strcmp(f->op, "test") == 0) /* a Lua predicate: its text says nothing more */
		snprintf(buf, n, "a value its test accepts");
	else
		snprintf(buf, n, "%s", eq ? eq + 3 : f->text); /* one_of(...), match(...) */
}

void kbt_fact_place(FILE *out, const struct kbt_trace *t, const struct kbt_fact *f)
{
	if (!f)
		return;
	if (f->origin == KB_ORIGIN_DERIVED) {
		const struct kbt_firing *x = kbt_firing(t, f->firing);
		kbu_tprintf(out, "derived by firing #%llu", (unsigned long long)f->firing);
		if (x && x->rule < t->nrules)
			kbu_tprintf(out, ", %s", t->rules[x->rule].id);
	} else if (f->line > 0)
		kbu_tprintf(out, "%s:%d", f->source ? f->source : "?", f->line);
	else
		kbu_tprintf(out, "%s", f->source ? f->source : "?");
}

/* "the host (f3, ipconfig.txt:4) does not say its os version ("4.0") or
 * service pack (4)": every test the closest fact failed for want of a value. */
static size_t unsaid(FILE *out, const struct kbt_candidate *c)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nfailures; i++) {
		const struct kbt_failure *f = &c->failures[i];
		if (f->observed.type != KB_NIL)
			continue;
		char slot[256], need[1024];
		words(slot, sizeof(slot), f->slot);
		needs(need, sizeof(need), f);
		kbu_tprintf(out, "%s%s (the rule needs %s)", n ? " or " : "its ", slot, need);
		n++;
	}
	return n;
}

/* "the host's service pack is 6 (f189, winmsd.txt:1), the rule needs 4" */
static void failure_sentence(FILE *out, const struct kbt_trace *t, const char *kind, const struct kbt_candidate *c)
{
	const struct kbt_failure *f = &c->failures[0];
	char slot[256], need[1024], seen[512];
	words(slot, sizeof(slot), f->slot);
	needs(need, sizeof(need), f);
	kbt_value_text(seen, sizeof(seen), f->observed);
	size_t shown = 1;
	if (f->observed.type == KB_NIL) {
		kbu_tprintf(out, "the %s (f%u, ", kind, c->fact);
		kbt_fact_place(out, t, kbt_fact(t, c->fact));
		kbu_tprintf(out, ") does not say ");
		shown = unsaid(out, c);
	} else {
		kbu_tprintf(out, "the %s's %s is %s (f%u, ", kind, slot, seen, c->fact);
		kbt_fact_place(out, t, kbt_fact(t, c->fact));
		kbu_tprintf(out, "), the rule needs %s", need);
	}
	if (c->nfailed > shown)
		kbu_tprintf(out, " (and %zu more test%s fail%s)", c->nfailed - shown, c->nfailed - shown > 1 ? "s" : "",
			c->nfailed - shown > 1 ? "" : "s");
}

void kbt_reason_sentence(const struct kbt_trace *t, const struct kbt_reason *r, FILE *out)
{
	const struct kbt_near_miss *m = r->miss;
	const struct kbt_rule *rule = &t->rules[r->rule];
	const struct kbt_choice *ch = m ? kbt_choice_at(m->choices, m->nchoices, m->cond) : NULL;
	const char *pattern = ch ? ch->pattern : m && m->cond < rule->nconds ? rule->conds[m->cond] : "";
	const char *kind = m && m->kind ? m->kind : "matching";
	const struct kbt_candidate *c = r->closest;
	switch (r->cause) {
	case KBT_CAUSE_FIRED:
		kbu_tprintf(out, "it fired %llu time%s", (unsigned long long)rule->fired, rule->fired == 1 ? "" : "s");
		return;
	case KBT_CAUSE_UNKNOWN: kbu_tprintf(out, "the trace holds no analysis of why"); return;
	case KBT_CAUSE_SHOWN: kbu_tprintf(out, "see above"); return; /* explained earlier in this answer */
	case KBT_CAUSE_PENDING:
		kbu_tprintf(out, "every condition matched, but %s",
			rule->disabled ? "an error disabled the rule" : "the run stopped before it fired");
		return;
	case KBT_CAUSE_NOT_DERIVED:
		if (r->kind_shown)
			kbu_tprintf(out, "there is no %s fact (condition %zu; why, see above)", kind, m->cond + 1);
		else
			kbu_tprintf(out, "there is no %s fact (condition %zu, %s), and no rule made one", kind,
				    m->cond + 1, pattern);
		break;
	case KBT_CAUSE_EVIDENCE_MISSING:
		kbu_tprintf(out, "evidence missing: ");
		if (r->slot && c)
			failure_sentence(out, t, kind, c);
		else
			kbu_tprintf(out, "no input gave %s %s fact (condition %zu, %s)", strchr("aeiou", kind[0]) ? "an" : "a",
				    kind, m->cond + 1, pattern);
		break;
	case KBT_CAUSE_CONDITION_FALSE:
		if (m->reason == KB_NEAR_BLOCKED) {
			kbu_tprintf(out, "condition %zu needs %s, but f%u (", m->cond + 1, pattern, c ? c->fact : 0);
			kbt_fact_place(out, t, c ? kbt_fact(t, c->fact) : NULL);
			kbu_tprintf(out, ") is one");
		} else if (m->reason == KB_NEAR_TEST)
			kbu_tprintf(out, "condition %zu, %s, is false", m->cond + 1, pattern);
		else if (c && c->nfailures)
			failure_sentence(out, t, kind, c);
		else
			kbu_tprintf(out, "no %s fact matches condition %zu, %s", kind, m->cond + 1, pattern);
		break;
	}
	if (m->nbindings) {
		kbu_tprintf(out, ", with ");
		kbt_bindings_text(out, m->bindings, m->nbindings);
	}
}

void kbt_why_not_summary(const struct kbt_trace *t, const struct kbt_near_miss *m, FILE *out)
{
	struct kbt_reason r;
	kbt_reason_find(t, m->rule, NULL, &r);
	kbu_tprintf(out, "%s did not fire: ", t->rules[m->rule].id);
	kbt_reason_sentence(t, &r, out);
	fputs(".\n", out);
	kbt_reason_free(&r);
}

/* ---- text ------------------------------------------------------------------------- */

/* "The evidence has no winmsd, systeminfo or msinfo32 report: collect ..." */
static void advice(const struct kbt_trace *t, const struct kbt_reason *r, const char *indent, FILE *out)
{
	for (size_t i = 0; i < r->nread; i++) {
		const struct kbt_input *in = &t->inputs[r->read[i]];
		kbu_tprintf(out, "%s%s (%s) was read, and gave no such %s the rules could use.\n", indent, in->path,
			in->format ? in->format : "?", r->slot ? "value" : "fact");
	}
	for (size_t i = 0; i < r->nsources; i++) {
		const struct kbt_evidence *e = &r->sources[i];
		if (r->nread)
			kbu_tprintf(out, "%sCollect %s.\n", indent, e->collect);
		else
			kbu_tprintf(out, "%sThe evidence has no %s: collect %s.\n", indent, e->what, e->collect);
	}
	if (!r->sourced && !r->slot)
		kbu_tprintf(out, "%sNo rule makes one, and no evidence kbdiag reads gives one.\n", indent);
}

static void reason_text(const struct kbt_trace *t, const struct kbt_reason *r, const char *indent, FILE *out)
{
	kbu_tprintf(out, "%s%s%s: ", indent, t->rules[r->rule].id, r->cause == KBT_CAUSE_FIRED ? "" : " did not fire");
	kbt_reason_sentence(t, r, out);
	if (r->cause == KBT_CAUSE_FIRED) /* a maker of a kind with no live fact: what it made went */
		kbu_tprintf(out, ", but left no such fact");
	fputs(r->nmakers ? ":\n" : ".\n", out);
	char deeper[64];
	snprintf(deeper, sizeof(deeper), "%s    ", indent);
	if (r->cause == KBT_CAUSE_EVIDENCE_MISSING && !r->kind_shown)
		advice(t, r, deeper, out);
	for (size_t i = 0; i < r->nmakers; i++)
		reason_text(t, &r->makers[i], deeper, out);
	if (r->more_makers)
		kbu_tprintf(out, "%s(%zu more rule%s that make%s it not followed%s)\n", deeper, r->more_makers,
			r->more_makers == 1 ? "" : "s", r->more_makers == 1 ? "s" : "",
			r->deeper ? ": deeper than why-not follows" : "");
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
		kbt_fact_place(out, t, f);
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
		const struct kbt_choice *ch = kbt_choice_at(m->choices, m->nchoices, i);
		if (ch)
			kbu_tprintf(out, "       %s choice %zu: %s\n", i == m->cond ? "closest," : "by", ch->choice + 1,
				    ch->pattern);
	}
	if (m->cond < r->nconds && m->cond > 0)
		kbu_tprintf(out, "  Conditions 1 to %zu matched in %zu way%s; matching stopped at condition %zu.\n",
			m->cond, m->partial, m->partial == 1 ? "" : "s", m->cond + 1);
	else if (m->cond < r->nconds)
		kbu_tprintf(out, "  Matching stopped at the first condition.\n");
	closest_facts(t, m, out);
}

int kbt_render_why_not(const struct kbt_trace *t, const char *rule, kbt_evidence_fn evidence, FILE *out)
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
	struct kbt_reason why;
	kbt_reason_find(t, (size_t)(r - t->rules), evidence, &why);
	reason_text(t, &why, "", out);
	if (why.miss)
		details(t, why.miss, out);
	kbt_reason_free(&why);
	return ferror(out) ? -1 : 0;
}
