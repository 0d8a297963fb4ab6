/*
 * cmd_explain.c — `kbdiag explain TRACE [FINDING]`: a saved JSON trace read
 * back and rendered: every finding's why-tree, or one finding's (named
 * "f12", or by its rule or article; as an SVG picture with --format svg),
 * or why a rule did not fire (--why-not RULE), or the whole trace in
 * another format (--trace-format).
 */
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "session.h"
#include "textout.h"
#include "trace.h"

static int all_findings(const struct kbt_trace *t)
{
	uint32_t *ids;
	size_t n = kbt_findings(t, &ids);
	if (!n)
		kbu_tprintf(stdout, "No findings in this trace.\n");
	for (size_t i = 0; i < n; i++) {
		if (i)
			putchar('\n');
		kbt_render_why(t, ids[i], "", stdout);
	}
	free(ids);
	return 0;
}

static int one_finding(const struct kbt_trace *t, const char *trace, const char *name, bool svg)
{
	uint32_t id = kbt_finding_named(t, name);
	if (!id) {
		kbu_tprintf(stderr, "kbdiag: %s: no finding '%s' (name one as f<number>, or by its rule when it made one)\n",
			trace, name);
		return 2;
	}
	if (!svg)
		return kbt_render_why(t, id, "", stdout) < 0 ? 2 : 0;
	if (kbt_render_why_svg(t, id, stdout) == 0)
		return 0;
	kbu_tprintf(stderr, "kbdiag: %s: Graphviz could not draw finding f%u\n", trace, id);
	return 2;
}

/* The report page, rendered from what the trace holds. */
static int html_page(const struct kbd_options *o, const struct kbt_trace *t)
{
	struct kbr_report r;
	kbr_from_trace(&r, t);
	struct kbr_html_options ho = kbd_html_options(o);
	ho.saved_trace = true;
	int rc = kbr_render_html(&r, t, &ho, stdout) < 0 ? 2 : 0;
	kbr_free(&r);
	return rc;
}

int kbd_cmd_explain(const struct kbd_options *o)
{
	if (o->format == KBD_HTML && o->nargs == 2) {
		kbu_tprintf(stderr, "kbdiag: explain --format html renders the whole trace: every finding with its "
				"reasoning; leave out '%s'\n", o->args[1]);
		return 2;
	}
	if (o->nargs < 1 || o->nargs > 2 || (o->nargs == 2 && o->why_not)) {
		kbu_tprintf(stderr, "kbdiag: explain needs a trace file and at most one finding, or --why-not RULE "
				"(see kbdiag --help)\n");
		return 2;
	}
	if (o->format == KBD_SVG && (o->nargs != 2 || o->trace_format_set)) {
		kbu_tprintf(stderr, "kbdiag: --format svg draws one finding: kbdiag explain TRACE ID --format svg\n");
		return 2;
	}
	char err[512];
	struct kbt_trace *t = kbt_read_json(o->args[0], err, sizeof(err));
	if (!t) {
		kbu_tprintf(stderr, "kbdiag: %s: %s\n", o->args[0], err);
		return 2;
	}
	int rc;
	if (o->why_not)
		rc = (o->format == KBD_JSON ? kbt_render_why_not_json(t, o->why_not, kbd_evidence_for, stdout)
					    : kbt_render_why_not(t, o->why_not, kbd_evidence_for, stdout)) == 1 ? 2 : 0;
	else if (o->format == KBD_HTML)
		rc = html_page(o, t);
	else if (o->nargs == 2)
		rc = one_finding(t, o->args[0], o->args[1], o->format == KBD_SVG);
	else if (o->trace_format_set)
		rc = kbt_render(t, o->trace_format, stdout) < 0 ? 2 : 0;
	else
		rc = all_findings(t);
	fflush(stdout);
	kbt_trace_free(t);
	return rc;
}
