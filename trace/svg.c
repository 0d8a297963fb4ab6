/*
 * svg.c — one finding's why-tree as a picture, left to right: evidence
 * lines -> the facts read from them -> the facts rules derived from those
 * (the rule's name on each edge) -> the finding.  Graphviz lays it out in
 * this process (cgraph builds the graph, gvc's dot layout places it and
 * writes SVG); what is written is one <svg> element and nothing around it,
 * so that an HTML report can inline it.
 *
 * Every label comes from evidence or rules: kbt_label_text() makes it
 * text Graphviz reads as written (and bounds it), and Graphviz escapes it
 * for XML.  A finding may rest on thousands of facts: the nearest
 * KBT_SVG_FACTS are drawn and one node says how many more there are.
 */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>

#include "graphviz_lib.h"
#include "internal.h"

#define KBT_SVG_FACTS 40 /* facts drawn, the finding included */

struct picture {
	const struct kbt_trace *t;
	Agraph_t *g;
	Agnode_t **nodes; /* by fact index; NULL when not drawn */
};

/* obj's attribute name set to value (cgraph copies it). */
static void set(void *obj, const char *name, const char *value)
{
	agsafeset(obj, (char *)name, (char *)value, "");
}

/* A label written by fn into a string, then set on obj. */
static void set_label(void *obj, const char *name, void (*fn)(FILE *, const struct kbt_fact *),
		      const struct kbt_fact *f)
{
	char *text;
	size_t len;
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		kbu_oom();
	fn(mem, f);
	fclose(mem);
	set(obj, name, text);
	free(text);
}

static Agnode_t *node(Agraph_t *g, const char *name)
{
	return agnode(g, (char *)name, 1);
}

static void fact_node(struct picture *p, const struct kbt_fact *f)
{
	char name[32];
	snprintf(name, sizeof(name), "f%u", f->id);
	Agnode_t *n = node(p->g, name);
	struct kbt_node_look look = kbt_fact_look(f);
	set(n, "shape", look.shape);
	set(n, "style", look.style);
	set(n, "fillcolor", look.fillcolor);
	set_label(n, "label", kbt_fact_label, f);
	p->nodes[f - p->t->facts] = n;
	if (f->origin != KB_ORIGIN_EVIDENCE)
		return;
	snprintf(name, sizeof(name), "f%u evidence", f->id);
	Agnode_t *e = node(p->g, name);
	set(e, "shape", "note");
	set_label(e, "label", kbt_evidence_label, f);
	Agedge_t *line = agedge(p->g, e, n, NULL, 1);
	set(line, "style", "dashed");
	set(line, "arrowhead", "none");
}

/* Edges from the drawn premises of the firing that made f, each labelled
 * with the rule; the count of its premises not drawn. */
static size_t premise_edges(struct picture *p, const struct kbt_fact *f)
{
	const struct kbt_firing *x = f->origin == KB_ORIGIN_DERIVED ? kbt_firing(p->t, f->firing) : NULL;
	if (!x)
		return 0;
	char *label;
	size_t len, hidden = 0;
	FILE *mem = open_memstream(&label, &len);
	if (!mem)
		kbu_oom();
	kbt_label_text(mem, p->t->rules[x->rule].id, 1);
	fclose(mem);
	for (size_t i = 0; i < x->nfacts; i++) {
		const struct kbt_fact *premise = kbt_fact(p->t, x->facts[i]);
		if (!premise)
			continue;
		Agnode_t *from = p->nodes[premise - p->t->facts];
		if (!from) {
			hidden++;
			continue;
		}
		set(agedge(p->g, from, p->nodes[f - p->t->facts], NULL, 1), "label", label);
	}
	free(label);
	return hidden;
}

/* Graphviz's SVG document as one element: from "<svg" on, its comments
 * left out (they hold node names) and its id attributes too (a page that
 * inlines several pictures would repeat "graph0", "node1").  Text in it
 * is escaped ('"' as &quot;, '<' as &lt;), so these cannot occur in a
 * label. */
static int write_element(FILE *out, const char *svg, size_t len, uint32_t finding)
{
	const char *p = memmem(svg, len, "<svg", 4), *end = svg + len;
	if (!p)
		return -1;
	fprintf(out, "<svg role=\"img\" aria-label=\"Why finding f%u was made: the facts and evidence it rests on\"",
		finding);
	p += 4;
	while (p < end) {
		const char *comment = memmem(p, (size_t)(end - p), "<!--", 4);
		const char *id = memmem(p, (size_t)(end - p), " id=\"", 5);
		const char *skip = comment && (!id || comment < id) ? comment : id;
		if (!skip) {
			fwrite(p, 1, (size_t)(end - p), out);
			break;
		}
		fwrite(p, 1, (size_t)(skip - p), out);
		if (skip == comment) {
			const char *close = memmem(skip, (size_t)(end - skip), "-->", 3);
			p = close ? close + 3 : end;
			if (p < end && *p == '\n')
				p++;
		} else {
			const char *quote = memchr(skip + 5, '"', (size_t)(end - skip - 5));
			p = quote ? quote + 1 : end;
		}
	}
	return 0;
}

/* The plugins Graphviz may use: no other is looked for (graphviz_lib.h). */
static const lt_symlist_t *plugins(void)
{
	static lt_symlist_t list[3];
	if (!list[0].name) {
		list[0] = (lt_symlist_t){"gvplugin_core_LTX_library", &gvplugin_core_LTX_library};
		list[1] = (lt_symlist_t){"gvplugin_dot_layout_LTX_library", &gvplugin_dot_layout_LTX_library};
	}
	return list;
}

/* The node that stands for the facts not drawn, made when first needed. */
static Agnode_t *more_node(struct picture *p, Agnode_t **more, size_t count)
{
	if (!*more) {
		char text[64];
		snprintf(text, sizeof(text), "… and %zu more facts", count);
		*more = node(p->g, "more facts");
		set(*more, "style", "dashed");
		set(*more, "label", text);
	}
	return *more;
}

int kbt_render_why_svg(const struct kbt_trace *t, uint32_t finding, FILE *out)
{
	const struct kbt_fact *f = kbt_fact(t, finding);
	if (!f)
		return -1;
	size_t *order, n = kbt_why_facts(t, (size_t)(f - t->facts), &order);
	size_t drawn = n < KBT_SVG_FACTS ? n : KBT_SVG_FACTS;
	GVC_t *gvc = gvContextPlugins(plugins(), 0);
	char name[32];
	snprintf(name, sizeof(name), "why f%u", finding);
	struct picture p = {t, agopen(name, Agdirected, NULL), kbu_calloc(t->nfacts, sizeof(Agnode_t *))};
	agattr(p.g, AGRAPH, "rankdir", "LR");
	agattr(p.g, AGNODE, "shape", "box");
	/* Graphviz sizes boxes by its own font metrics, the browser draws with
	 * its fonts: monospace fonts all agree (0.6 em), sans-serif ones do not */
	agattr(p.g, AGNODE, "fontname", "Courier");
	agattr(p.g, AGNODE, "fontsize", "10");
	agattr(p.g, AGEDGE, "fontname", "Helvetica");
	agattr(p.g, AGEDGE, "fontsize", "8");
	agattr(p.g, AGEDGE, "color", "#555555");
	for (size_t i = 0; i < drawn; i++)
		fact_node(&p, &t->facts[order[i]]);
	Agnode_t *more = NULL;
	for (size_t i = 0; i < drawn; i++)
		if (premise_edges(&p, &t->facts[order[i]]))
			set(agedge(p.g, more_node(&p, &more, n - drawn), p.nodes[order[i]], NULL, 1), "style", "dashed");
	int rc = -1;
	char *svg = NULL;
	unsigned int len = 0;
	if (gvLayout(gvc, p.g, "dot") == 0) {
		if (gvRenderData(gvc, p.g, "svg", &svg, &len) == 0)
			rc = write_element(out, svg, len, finding);
		gvFreeRenderData(svg);
		gvFreeLayout(gvc, p.g);
	}
	agclose(p.g);
	gvFreeContext(gvc);
	free(p.nodes);
	free(order);
	return rc < 0 || ferror(out) ? -1 : 0;
}
