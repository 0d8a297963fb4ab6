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

static void fact_node(FILE *out, const struct kbt_fact *f)
{
	struct kbt_node_look look = kbt_fact_look(f);
	fprintf(out, "  f%u [shape=%s, style=\"%s\", fillcolor=\"%s\", label=\"", f->id, look.shape, look.style,
		look.fillcolor);
	kbt_fact_label(out, f);
	fputs("\"];\n", out);
	if (f->retracted)
		fprintf(out, "  f%u [color=grey, fontcolor=grey];\n", f->id);
}

/* An evidence fact's line, inside its input's cluster. */
static void evidence_node(FILE *out, const struct kbt_fact *f)
{
	fprintf(out, "    e%u [shape=note, fontname=\"Courier\", label=\"", f->id);
	kbt_evidence_label(out, f);
	fputs("\"];\n", out);
}

static void firing_node(FILE *out, const struct kbt_trace *t, const struct kbt_firing *x)
{
	const struct kbt_rule *r = &t->rules[x->rule];
	fprintf(out, "  x%llu [shape=cds, style=filled, fillcolor=\"#cfe2f3\", label=\"#%llu ",
		(unsigned long long)x->n, (unsigned long long)x->n);
	kbt_label_text(out, r->id, 1);
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
		kbt_label_text(out, f->input >= 0 ? t->inputs[f->input].path : f->source, 1);
		if (f->input >= 0 && t->inputs[f->input].format) {
			fputs(" (", out);
			kbt_label_text(out, t->inputs[f->input].format, 1);
			fputc(')', out);
		}
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
