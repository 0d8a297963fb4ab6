/*
 * html_coverage.c — the page's account of what it rests on (html.h):
 * every input with how much of it was read, what was not read and why,
 * the facts the pre-filter skipped, and, from the run's trace, the
 * articles closest to firing (why-not's one sentence each) and what to
 * collect next for them (why-not's "evidence missing", collect_next).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "html.h"
#include "htmlout.h"
#include "xalloc.h"

#define NEAR_SHOWN 8 /* articles closest to firing, shown */

static const char *read_word(enum kbr_read how)
{
	static const char *const words[] = {"read", "read in part", "not read", "archive (its entries are listed)"};
	return words[how];
}

/* A saved trace knows each input's facts, not what was read and skipped. */
static void inputs_table(FILE *out, const struct kbr_report *r, const struct kbr_html_options *o, int h)
{
	kbu_hprintf(out, "<h%d>Inputs</h%d>\n", h, h);
	if (!r->ninputs) {
		fputs("<p>No input was named.</p>\n", out);
		return;
	}
	fputs("<div class=\"wide\"><table class=\"inputs\">\n<thead><tr><th scope=\"col\">Input</th>"
	      "<th scope=\"col\">Format</th><th scope=\"col\">Read</th><th scope=\"col\" class=\"num\">Facts read</th>"
	      "<th scope=\"col\" class=\"num\">Skipped by the pre-filter</th><th scope=\"col\" class=\"num\">Facts kept"
	      "</th></tr>"
	      "</thead>\n<tbody>\n",
	      out);
	for (size_t i = 0; i < r->ninputs; i++) {
		const struct kbr_input *in = &r->inputs[i];
		kbu_hprintf(out, "<tr><td><code>%s</code></td><td>%s</td><td>%s", in->path, in->format, read_word(in->how));
		if (in->unavailable)
			kbu_hprintf(out, ": %s", in->unavailable);
		if (o->saved_trace)
			kbu_hprintf(out, "</td><td class=\"num\">—</td><td class=\"num\">—</td><td class=\"num\">%zu</td></tr>\n",
				    in->facts);
		else
			kbu_hprintf(out, "</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td>"
					 "</tr>\n",
				    in->read, in->skipped, in->facts);
	}
	fputs("</tbody>\n</table></div>\n", out);
}

static void not_read(FILE *out, const struct kbr_report *r, int h)
{
	kbu_hprintf(out, "<h%d>Not read, or read in part</h%d>\n", h, h);
	if (!r->nwarnings) {
		fputs("<p>Everything named was read in full.</p>\n", out);
		return;
	}
	fputs("<table class=\"unread\">\n<thead><tr><th scope=\"col\">Where</th><th scope=\"col\">Why</th></tr></thead>\n"
	      "<tbody>\n",
	      out);
	for (size_t i = 0; i < r->nwarnings; i++) {
		const struct kbr_warning *w = &r->warnings[i];
		if (w->line > 0)
			kbu_hprintf(out, "<tr><td><code>%s:%d</code></td><td>%s</td></tr>\n", w->path, w->line, w->reason);
		else
			kbu_hprintf(out, "<tr><td><code>%s</code></td><td>%s</td></tr>\n", w->path, w->reason);
	}
	fputs("</tbody>\n</table>\n", out);
}

static void totals(FILE *out, const struct kbr_report *r, const struct kbr_html_options *o)
{
	size_t part = r->nread_as[KBR_READ_IN_PART], n = r->ninputs - r->nread_as[KBR_CONTAINER];
	kbu_hprintf(out, "<p>%zu of %zu input%s read", r->nread_as[KBR_READ] + part, n, n == 1 ? "" : "s");
	if (part)
		kbu_hprintf(out, " (%zu in part)", part);
	if (o->saved_trace) /* it keeps the facts, not the records behind them */
		kbu_hprintf(out, "; %zu facts, %zu rules, %llu firings.", r->facts, r->rules, (unsigned long long)r->fired);
	else
		kbu_hprintf(out, "; %zu facts read, %zu skipped by the pre-filter (no rule could match them); "
				 "%zu facts, %zu rules, %llu firings, %.1f ms.",
			    r->read, r->skipped, r->facts, r->rules, (unsigned long long)r->fired, r->elapsed_ms);
	fputs("</p>\n", out);
}

/* ---- near misses and what to collect ---------------------------------------------- */

/* How close a rule came: the share of its conditions matched. */
static double closeness(const struct kbt_trace *t, const struct kbt_near_miss *m)
{
	size_t n = t->rules[m->rule].nconds;
	return n ? (double)m->cond / (double)n : 0;
}

static const struct kbt_trace *sort_trace;

static int cmp_near(const void *a, const void *b)
{
	const struct kbt_near_miss *x = *(const struct kbt_near_miss *const *)a, *y = *(const struct kbt_near_miss *const *)b;
	double cx = closeness(sort_trace, x), cy = closeness(sort_trace, y);
	if (cx != cy)
		return cx > cy ? -1 : 1;
	if (x->cond != y->cond)
		return x->cond > y->cond ? -1 : 1;
	if (x->partial != y->partial)
		return x->partial > y->partial ? -1 : 1;
	return strcmp(sort_trace->rules[x->rule].id, sort_trace->rules[y->rule].id);
}

/* Whether a finding of the run cites the article (another of its rules
 * fired: that this one did not is no news). */
static bool article_found(const struct kbt_trace *t, const uint32_t *findings, size_t n, const char *article)
{
	for (size_t i = 0; i < n; i++) {
		const char *a = kbt_slot_str(kbt_fact(t, findings[i]), "article");
		if (a && strcmp(a, article) == 0)
			return true;
	}
	return false;
}

/* The near misses of rules that encode an article no finding cites and
 * matched at least one condition, closest first; their count. */
static size_t closest_articles(const struct kbt_trace *t, const struct kbt_near_miss ***out)
{
	size_t n = 0;
	uint32_t *findings;
	size_t nfindings = kbt_findings(t, &findings);
	*out = kbu_calloc(t->nmisses ? t->nmisses : 1, sizeof(**out));
	for (size_t i = 0; i < t->nmisses; i++) {
		const struct kbt_near_miss *m = &t->misses[i];
		const char *article = m->rule < t->nrules ? t->rules[m->rule].article : NULL;
		if (article && m->cond > 0 && !article_found(t, findings, nfindings, article))
			(*out)[n++] = m;
	}
	free(findings);
	sort_trace = t;
	qsort(*out, n, sizeof(**out), cmp_near);
	return n;
}

/* collect (an array of {evidence, command, platform, for: [rules]}) with
 * the rule's collect_next added, each piece of evidence once. */
static void add_collect(json_t *collect, const json_t *next, const char *rule)
{
	size_t i, k;
	json_t *x, *c;
	json_array_foreach(next, i, x) {
		json_t *found = NULL;
		json_array_foreach(collect, k, c)
			if (json_equal(json_object_get(c, "evidence"), json_object_get(x, "evidence")) &&
			    json_equal(json_object_get(c, "command"), json_object_get(x, "command")))
				found = c;
		if (!found) {
			found = json_pack("{s:O, s:O, s:O, s:[]}", "evidence", json_object_get(x, "evidence"), "command",
					  json_object_get(x, "command"), "platform", json_object_get(x, "platform"), "for");
			json_array_append_new(collect, found);
		}
		json_array_append_new(json_object_get(found, "for"), json_string(rule));
	}
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* Why each of the articles closest to firing did not (kbt_why_not_json()
 * each), in order; a new reference.  what to collect for them is added to
 * collect. */
static json_t *closest_whys(const struct kbt_trace *t, const struct kbr_html_options *o, json_t *collect,
			    size_t *more)
{
	const struct kbt_near_miss **v;
	size_t n = closest_articles(t, &v), shown = n < NEAR_SHOWN ? n : NEAR_SHOWN;
	json_t *whys = json_array();
	for (size_t i = 0; i < shown; i++) {
		const struct kbt_rule *rule = &t->rules[v[i]->rule];
		json_t *why = kbt_why_not_json(t, rule->id, o->evidence);
		json_object_set_new(why, "rule_index", json_integer((json_int_t)v[i]->rule));
		json_object_set_new(why, "matched", json_integer((json_int_t)v[i]->cond));
		json_object_set_new(why, "conditions", json_integer((json_int_t)rule->nconds));
		add_collect(collect, json_object_get(why, "collect_next"), rule->id);
		json_array_append_new(whys, why);
	}
	*more = n - shown;
	free(v);
	return whys;
}

static void near_misses(FILE *out, const struct kbr_report *r, const struct kbt_trace *t,
			const struct kbr_html_options *o, const json_t *whys, size_t more, int h)
{
	kbu_hprintf(out, "<h%d>Articles closest to firing</h%d>\n", h, h);
	if (!json_array_size(whys))
		fputs("<p>No other rule that encodes a KB article matched any of its conditions.</p>\n", out);
	else
		fputs("<ul class=\"near\">\n", out);
	size_t i;
	const json_t *why;
	json_array_foreach(whys, i, why) {
		const struct kbt_rule *rule = &t->rules[json_integer_value(json_object_get(why, "rule_index"))];
		fputs("<li>", out);
		kbr_html_article(out, rule->article, o);
		if (strcmp(rule->id, rule->article) != 0)
			kbu_hprintf(out, " (rule <code>%s</code>)", rule->id);
		kbu_hprintf(out, " did not fire: %s. <span class=\"note\">(%lld of %lld conditions matched)</span></li>\n",
			    str(why, "summary"), json_integer_value(json_object_get(why, "matched")),
			    json_integer_value(json_object_get(why, "conditions")));
	}
	if (json_array_size(whys))
		fputs("</ul>\n", out);
	if (more)
		kbu_hprintf(out, "<p class=\"note\">%zu more articles matched some of their conditions.</p>\n", more);
	if (r->skipped)
		fputs("<p class=\"note\">The pre-filter skipped facts no rule could match, so a rule said to lack "
		      "evidence may have had facts that failed its tests; <code>--no-prefilter</code> tries every "
		      "fact.</p>\n",
		      out);
}

/* A command as facts/' evidence table writes it, the commands between
 * backquotes ("`sc queryex` or `tasklist /svc`"): those as code. */
static void command_text(FILE *out, const char *s)
{
	for (bool code = false; *s; code = !code) {
		size_t n = strcspn(s, "`");
		if (code)
			kbu_hprintf(out, "<code>%.*s</code>", (int)n, s);
		else
			kbu_hprintf(out, "%.*s", (int)n, s);
		s += n + (s[n] == '`');
	}
}

static void collect_next(FILE *out, const json_t *collect, int h)
{
	kbu_hprintf(out, "<h%d>What to collect next</h%d>\n", h, h);
	if (!json_array_size(collect)) {
		fputs("<p>The articles closest to firing lack no evidence kbdiag could name.</p>\n", out);
		return;
	}
	fputs("<table class=\"collect\">\n<thead><tr><th scope=\"col\">Evidence</th><th scope=\"col\">How to collect it"
	      "</th><th scope=\"col\">Platform</th><th scope=\"col\">For</th></tr></thead>\n<tbody>\n",
	      out);
	size_t i, k;
	const json_t *c, *rule;
	json_array_foreach(collect, i, c) {
		kbu_hprintf(out, "<tr><td>%s</td><td>", str(c, "evidence"));
		command_text(out, str(c, "command"));
		kbu_hprintf(out, "</td><td>%s</td><td>", str(c, "platform"));
		json_array_foreach(json_object_get(c, "for"), k, rule)
			kbu_hprintf(out, "%s%s", k ? ", " : "", json_string_value(rule));
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody>\n</table>\n", out);
}

void kbr_html_coverage(FILE *out, const struct kbr_report *r, const struct kbt_trace *t,
		       const struct kbr_html_options *o, const char *id, int level)
{
	kbu_hprintf(out, "<section id=\"%s-coverage\">\n<h%d>Coverage</h%d>\n", id, level, level);
	totals(out, r, o);
	inputs_table(out, r, o, level + 1);
	not_read(out, r, level + 1);
	if (t) {
		size_t more;
		json_t *collect = json_array(), *whys = closest_whys(t, o, collect, &more);
		collect_next(out, collect, level + 1);
		near_misses(out, r, t, o, whys, more, level + 1);
		json_decref(whys);
		json_decref(collect);
	}
	fputs("</section>\n", out);
}
