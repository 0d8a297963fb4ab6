/*
 * dot.c — the trace as a Graphviz graph, left to right: evidence lines
 * (grouped by input file) -> the facts read from them -> the firings that
 * matched them -> the facts those firings made -> ... -> findings.  Only
 * facts that some firing used or made are drawn, so a bundle's hundred
 * facts of which a handful mattered stays readable; the graph's label says
 * how many were left out.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "utf8.h"

#define WRAP 48 /* characters per label line */

/* Writes s into a quoted DOT label: quotes and backslashes escaped, line
 * ends as breaks, other control characters dropped, runs of blanks as one,
 * wrapped near WRAP columns, at most maxlines lines. */
static void label_text(FILE *out, const char *s, int maxlines)
{
	int col = 0, lines = 1;
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool brk = c == '\n' || (col >= WRAP && c == ' ');
		if (brk) {
			if (++lines > maxlines) {
				fputs("...", out);
				return;
			}
			fputs("\\l", out);
			col = 0;
			continue;
		}
		if (c == '\r' || (c < 0x20 && c != '\t'))
			continue;
		if (c == '\t')
			c = ' ';
		if (c == ' ' && (col == 0 || s[1] == ' ' || s[1] == '\t')) /* runs of blanks as one */
			continue;
		if (c == '"' || c == '\\')
			fputc('\\', out);
		fputc(c, out);
		col += !kbu_utf8_cont(c);
	}
}

static void fact_label(FILE *out, const struct kbt_fact *f)
{
	if (kbt_is_finding(f)) {
		const char *rule = kbt_slot_str(f, "rule"), *sev = kbt_slot_str(f, "severity");
		fprintf(out, "f%u finding %s (%s)\\l", f->id, rule ? rule : "?", sev ? sev : "?");
		label_text(out, kbt_slot_str(f, "message"), 4);
		fputs("\\l", out);
		return;
	}
	fprintf(out, "f%u %s\\l", f->id, f->kind);
	for (size_t i = 0; i < f->nslots && i < 6; i++) {
		char v[256];
		kbt_value_text(v, sizeof(v), f->slots[i].value);
		fprintf(out, "%s = ", f->slots[i].name);
		label_text(out, v, 1);
		fputs("\\l", out);
	}
	if (f->nslots > 6)
		fprintf(out, "(%zu more slots)\\l", f->nslots - 6);
}

static void fact_node(FILE *out, const struct kbt_fact *f)
{
	const char *style = kbt_is_finding(f) ? "shape=box, style=\"filled,bold\", fillcolor=\"#f4cccc\""
			    : f->origin == KB_ORIGIN_DERIVED   ? "shape=box, style=\"rounded,filled\", fillcolor=\"#fff2cc\""
			    : f->origin == KB_ORIGIN_KNOWLEDGE ? "shape=box, style=\"rounded,filled\", fillcolor=\"#eeeeee\""
							       : "shape=box, style=\"rounded,filled\", fillcolor=\"#d9ead3\"";
	fprintf(out, "  f%u [%s, label=\"", f->id, style);
	fact_label(out, f);
	fputs("\"];\n", out);
	if (f->retracted)
		fprintf(out, "  f%u [color=grey, fontcolor=grey];\n", f->id);
}

/* An evidence fact's line, inside its input's cluster. */
static void evidence_node(FILE *out, const struct kbt_fact *f)
{
	fprintf(out, "    e%u [shape=note, fontname=\"Courier\", label=\"", f->id);
	label_text(out, f->source ? f->source : "?", 1);
	if (f->line > 0)
		fprintf(out, ":%d", f->line);
	fputs("\\l", out);
	label_text(out, f->text, 8);
	fputs("\\l\"];\n", out);
}

static void firing_node(FILE *out, const struct kbt_trace *t, const struct kbt_firing *x)
{
	const struct kbt_rule *r = &t->rules[x->rule];
	fprintf(out, "  x%llu [shape=cds, style=filled, fillcolor=\"#cfe2f3\", label=\"#%llu ",
		(unsigned long long)x->n, (unsigned long long)x->n);
	label_text(out, r->id, 1);
	fputs("\"];\n", out);
	for (size_t i = 0; i < x->nfacts; i++)
		if (x->facts[i] && kbt_fact(t, x->facts[i]))
			fprintf(out, "  f%u -> x%llu [label=\"%zu\"];\n", x->facts[i], (unsigned long long)x->n, i + 1);
}

/* Marks the facts some firing used or made; returns how many. */
static size_t mark_used(const struct kbt_trace *t, unsigned char *used)
{
	size_t n = 0;
	for (size_t i = 0; i < t->nfirings; i++)
		for (size_t k = 0; k < t->firings[i].nfacts; k++) {
			const struct kbt_fact *f = kbt_fact(t, t->firings[i].facts[k]);
			if (f && !used[f - t->facts]) {
				used[f - t->facts] = 1;
				n++;
			}
		}
	for (size_t i = 0; i < t->nfacts; i++)
		if (t->facts[i].firing && !used[i]) {
			used[i] = 1;
			n++;
		}
	return n;
}

/* Evidence lines, one cluster per input (or per source when none). */
static void clusters(FILE *out, const struct kbt_trace *t, const unsigned char *used)
{
	unsigned char *done = kbu_calloc(t->nfacts, 1);
	for (size_t i = 0; i < t->nfacts; i++) {
		const struct kbt_fact *f = &t->facts[i];
		if (done[i] || !used[i] || f->origin != KB_ORIGIN_EVIDENCE)
			continue;
		fprintf(out, "  subgraph cluster_%zu {\n    style=rounded; color=\"#999999\"; label=\"", i);
		label_text(out, f->input >= 0 ? t->inputs[f->input].path : f->source, 1);
		if (f->input >= 0 && t->inputs[f->input].format)
			fprintf(out, " (%s)", t->inputs[f->input].format);
		fputs("\";\n", out);
		for (size_t k = i; k < t->nfacts; k++) {
			const struct kbt_fact *g = &t->facts[k];
			bool same = f->input >= 0 ? g->input == f->input
						  : g->input < 0 && g->source && f->source && strcmp(g->source, f->source) == 0;
			if (!done[k] && used[k] && g->origin == KB_ORIGIN_EVIDENCE && same) {
				evidence_node(out, g);
				done[k] = 1;
			}
		}
		fputs("  }\n", out);
	}
	free(done);
}

int kbt_render_dot(const struct kbt_trace *t, FILE *out)
{
	unsigned char *used = kbu_calloc(t->nfacts, 1);
	size_t n = mark_used(t, used);
	fputs("digraph kbdiag_trace {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n"
	      "  edge [fontname=\"Helvetica\", fontsize=8, color=\"#555555\"];\n", out);
	fprintf(out, "  labelloc=t;\n  label=\"kbdiag trace: %zu firings; %zu of %zu facts drawn (those no firing "
		"used or made are left out)\";\n", t->nfirings, n, t->nfacts);
	clusters(out, t, used);
	for (size_t i = 0; i < t->nfacts; i++) {
		const struct kbt_fact *f = &t->facts[i];
		if (!used[i])
			continue;
		fact_node(out, f);
		if (f->origin == KB_ORIGIN_EVIDENCE)
			fprintf(out, "  e%u -> f%u [style=dashed, arrowhead=none];\n", f->id, f->id);
		if (f->firing && kbt_firing(t, f->firing))
			fprintf(out, "  x%llu -> f%u;\n", (unsigned long long)f->firing, f->id);
	}
	for (size_t i = 0; i < t->nfirings; i++)
		firing_node(out, t, &t->firings[i]);
	fputs("}\n", out);
	free(used);
	return ferror(out) ? -1 : 0;
}
