/*
 * fuzz_trace_json.c — a saved trace is untrusted input too (`kbdiag explain`
 * reads whatever file it is given): read it, and when it reads, render it
 * every way kbdiag can, the HTML page (`explain --format html`) too.
 * Rejections are fine; crashes, leaks and sanitizer reports are not.  Each
 * finding's SVG picture must be drawn, and be one <svg> element with no
 * markup but Graphviz's: whatever the trace says.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "trace.h"

static size_t occurrences(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

static void draw_findings(const struct kbt_trace *t)
{
	uint32_t *ids;
	size_t n = kbt_findings(t, &ids);
	for (size_t i = 0; i < n; i++) {
		char *svg;
		size_t len;
		FILE *mem = open_memstream(&svg, &len);
		if (!mem || kbt_render_why_svg(t, ids[i], mem) != 0 || fclose(mem) != 0)
			abort();
		if (strncmp(svg, "<svg ", 5) != 0 || occurrences(svg, "<svg") != 1 || strstr(svg, "<!") ||
		    strstr(svg, "<script") || strlen(svg) != len)
			abort();
		free(svg);
	}
	free(ids);
}

static void render_all(const struct kbt_trace *t, FILE *out)
{
	static const char *const formats[] = {"json", "text", "dot", "prov"};
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		kbt_render(t, formats[i], out);
	for (size_t i = 0; i < t->nrules; i++) {
		kbt_render_why_not(t, t->rules[i].id, NULL, out);
		kbt_render_why_not_json(t, t->rules[i].id, NULL, out);
	}
	for (size_t i = 0; i < t->nfacts; i++)
		kbt_render_why(t, t->facts[i].id, "  ", out);
	draw_findings(t);
	struct kbr_report r;
	kbr_from_trace(&r, t);
	struct kbr_html_options o = {.kb_url = "https://kb.example.org/{article}", .saved_trace = true};
	kbr_render_html(&r, t, &o, out);
	kbr_free(&r);
	kbt_finding_named(t, "f1");
	if (t->nrules)
		kbt_finding_named(t, t->rules[0].id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	if (!sink && !(sink = fopen("/dev/null", "w")))
		abort();
	char err[256];
	struct kbt_trace *t = kbt_read_json_buffer((const char *)data, size, err, sizeof(err));
	if (t)
		render_all(t, sink);
	kbt_trace_free(t);
	return 0;
}
