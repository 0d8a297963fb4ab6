/*
 * html.c — the HTML page of one host's report (html.h): the document and
 * its inline style, the summary, and each finding with its evidence and
 * reasoning.  Coverage (inputs, near misses, what to collect) is
 * html_coverage.c's.
 *
 * Markup is written with fputs; every string that comes from evidence,
 * rules or the command line goes through kbu_hprintf() or kbu_hputs(),
 * in element content and in (always double-quoted) attribute values
 * alike.  The page holds no script, and its Content-Security-Policy
 * forbids scripts, fetches and frames, so that even a slip in escaping
 * could run nothing and load nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "htmlout.h"
#include "xalloc.h"

/* Severity is carried by the word and the border's style as well as by
 * the colour (a reader who cannot tell red from amber, a grey printer). */
static const char style[] =
	":root{--err:#a4001d;--err-bg:#fde8eb;--warn:#7a4d00;--warn-bg:#fff3d6;--info:#0b4f8a;--info-bg:#e7f0fa;"
	"--line:#c8ccd2;--muted:#555}\n"
	"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;margin:0 auto;"
	"max-width:72rem;padding:1rem 1.5rem}\n"
	"h1{font-size:1.6rem;margin:.5rem 0 0}h2{font-size:1.3rem;border-bottom:2px solid var(--line);"
	"margin-top:2rem}h3{font-size:1.1rem}h4{font-size:1rem;margin-bottom:.3rem}\n"
	".subtitle{color:var(--muted);margin-top:.2rem}\n"
	"table{border-collapse:collapse;margin:.5rem 0;width:100%}th,td{border:1px solid var(--line);"
	"padding:.3rem .5rem;text-align:left;vertical-align:top}thead th{background:#f1f3f5}"
	"th[scope=row]{background:#f8f9fa;width:12rem}\n"
	".num{text-align:right;font-variant-numeric:tabular-nums}\n"
	"pre{margin:0;white-space:pre-wrap;overflow-wrap:anywhere;font:13px/1.4 ui-monospace,Consolas,monospace}\n"
	"code{font:13px ui-monospace,Consolas,monospace;overflow-wrap:anywhere}\n"
	"mark{background:#ffe36e;color:inherit;outline:1px solid #c9a800}\n"
	".sev{display:inline-block;font-weight:700;font-size:.8rem;letter-spacing:.04em;padding:0 .4rem;"
	"border:1px solid;border-radius:3px}\n"
	".sev-error{color:var(--err);background:var(--err-bg)}.sev-warning{color:var(--warn);background:var(--warn-bg)}"
	".sev-info{color:var(--info);background:var(--info-bg)}\n"
	"section.finding{border:1px solid var(--line);border-left-width:6px;padding:0 1rem .8rem;margin:1rem 0}\n"
	"section.finding.sev-error{border-left:6px solid var(--err);background:none}"
	"section.finding.sev-warning{border-left:6px dashed var(--warn);background:none}"
	"section.finding.sev-info{border-left:6px dotted var(--info);background:none}\n"
	".action{border-left:3px solid #2f7d32;background:#eef7ee;padding:.4rem .6rem}\n"
	"figure.why{margin:.5rem 0;padding:.5rem;border:1px solid var(--line);background:#fafbfc;overflow-x:auto}\n"
	"figure.why svg{max-width:100%;height:auto}figure.why pre{white-space:pre}figcaption{color:var(--muted);font-size:.9rem;margin-bottom:.3rem}\n"
	"details{margin:.4rem 0}summary{cursor:pointer;color:#0b4f8a}\n"
	".wide{overflow-x:auto}.note{color:var(--muted)}\n"
	"@media print{body{max-width:none;font-size:11pt;padding:0}a{color:inherit}"
	"a[href^=\"http\"]::after{content:\" (\" attr(href) \")\";font-size:.85em}"
	"section.finding,tr,figure.why{break-inside:avoid}details::details-content{content-visibility:visible;"
	"display:block}summary{color:inherit}.wide{overflow:visible}}\n";

void kbr_html_open(FILE *out, const char *title, const char *subtitle)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
	      "img-src data:; base-uri 'none'; form-action 'none'\">\n"
	      "<meta name=\"referrer\" content=\"no-referrer\">\n",
	      out);
	kbu_hprintf(out, "<meta name=\"generator\" content=\"kbdiag %s\">\n<title>%s</title>\n", KB_VERSION, title);
	fputs("<style>\n", out);
	fputs(style, out);
	fputs("</style>\n</head>\n<body>\n<header>\n", out);
	kbu_hprintf(out, "<h1>%s</h1>\n", title);
	if (subtitle)
		kbu_hprintf(out, "<p class=\"subtitle\">%s</p>\n", subtitle);
	fputs("</header>\n<main>\n", out);
}

int kbr_html_close(FILE *out)
{
	kbu_hprintf(out, "</main>\n<footer><p class=\"note\">Made by kbdiag %s.</p></footer>\n</body>\n</html>\n",
		    KB_VERSION);
	return ferror(out) ? -1 : 0;
}

/* The class of a severity: one of three fixed names, whatever the rule
 * wrote (the word itself is shown as text). */
static const char *severity_class(const char *severity)
{
	static const char *const classes[] = {"sev-error", "sev-warning", "sev-info", "sev-info"};
	return classes[kbr_severity_rank(severity)];
}

void kbr_html_severity(FILE *out, const char *severity)
{
	char word[16];
	kbr_severity_word(word, sizeof(word), severity ? severity : "info");
	kbu_hprintf(out, "<span class=\"sev %s\">%s</span>", severity_class(severity), word);
}

void kbr_html_article(FILE *out, const char *article, const struct kbr_html_options *o)
{
	char url[1024];
	if (!article)
		fputs("—", out);
	else if (kbr_kb_url(url, sizeof(url), o->kb_url ? o->kb_url : KBR_KB_URL_DEFAULT, article))
		kbu_hprintf(out, "<a href=\"%s\" rel=\"noreferrer\">%s</a>", url, article);
	else
		kbu_hputs(out, article);
}

/* ---- summary ------------------------------------------------------------------ */

/* The host's name: its host facts', else the one computer its events
 * name; NULL when neither says. */
static const char *host_name(const struct kbr_report *r)
{
	return r->host_name ? r->host_name : r->ncomputers == 1 ? r->computers[0].name : NULL;
}

static void host_rows(FILE *out, const struct kbr_report *r)
{
	if (r->host_name)
		kbu_hprintf(out, "<tr><th scope=\"row\">Host</th><td>%s</td></tr>\n", r->host_name);
	else if (host_name(r))
		kbu_hprintf(out, "<tr><th scope=\"row\">Host</th><td>%s (as the events in %s name it)</td></tr>\n",
			    host_name(r), r->computers[0].source ? r->computers[0].source : "the evidence");
	else
		fputs("<tr><th scope=\"row\">Host</th><td>(not named by the evidence)</td></tr>\n", out);
	kbu_hprintf(out, "<tr><th scope=\"row\">Operating system</th><td>%s</td></tr>\n", r->host_os ? r->host_os : "(unknown)");
	if (r->service_pack >= 0)
		kbu_hprintf(out, "<tr><th scope=\"row\">Service pack</th><td>%lld</td></tr>\n", (long long)r->service_pack);
	else
		fputs("<tr><th scope=\"row\">Service pack</th><td>(unknown)</td></tr>\n", out);
	if (r->ncomputers > 1) {
		fputs("<tr><th scope=\"row\">Computers the evidence names</th><td>", out);
		for (size_t i = 0; i < r->ncomputers; i++)
			kbu_hprintf(out, "%s%s", i ? ", " : "", r->computers[i].name);
		fputs("</td></tr>\n", out);
	}
}

static void counts(FILE *out, const struct kbr_report *r)
{
	size_t e = kbr_count_severity(r, "error"), w = kbr_count_severity(r, "warning");
	size_t unread = r->nread_as[KBR_NOT_READ] + r->nread_as[KBR_READ_IN_PART];
	fputs("<table class=\"counts\">\n<thead><tr><th scope=\"col\">Findings by severity</th>"
	      "<th scope=\"col\" class=\"num\">Count</th></tr></thead>\n<tbody>\n",
	      out);
	fputs("<tr><th scope=\"row\">", out);
	kbr_html_severity(out, "error");
	kbu_hprintf(out, "</th><td class=\"num\">%zu</td></tr>\n<tr><th scope=\"row\">", e);
	kbr_html_severity(out, "warning");
	kbu_hprintf(out, "</th><td class=\"num\">%zu</td></tr>\n<tr><th scope=\"row\">", w);
	kbr_html_severity(out, "info");
	kbu_hprintf(out, "</th><td class=\"num\">%zu</td></tr>\n", r->nfindings - e - w);
	kbu_hprintf(out, "<tr><th scope=\"row\">Rule problems</th><td class=\"num\">%zu</td></tr>\n", r->nerrors);
	kbu_hprintf(out, "<tr><th scope=\"row\">Inputs not read in full</th><td class=\"num\">%zu</td></tr>\n", unread);
	fputs("</tbody>\n</table>\n", out);
}

static void finding_anchor(char *buf, size_t n, const char *id, uint32_t fact)
{
	snprintf(buf, n, "%s-f%u", id, fact);
}

static void summary_findings(FILE *out, const struct kbr_report *r, const struct kbr_html_options *o, const char *id)
{
	if (!r->nfindings) {
		fputs("<p>No findings: no rule found a problem in what was read.</p>\n", out);
		return;
	}
	fputs("<table class=\"findings\">\n<thead><tr><th scope=\"col\">Severity</th><th scope=\"col\">Finding</th>"
	      "<th scope=\"col\">KB article</th><th scope=\"col\">Action</th></tr></thead>\n<tbody>\n",
	      out);
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct kbr_finding *f = &r->findings[i];
		char anchor[64];
		finding_anchor(anchor, sizeof(anchor), id, f->fact);
		fputs("<tr><td>", out);
		kbr_html_severity(out, f->severity);
		kbu_hprintf(out, "</td><td><a href=\"#%s\">%s</a>", anchor, f->title ? f->title : f->rule ? f->rule : "?");
		if (f->message)
			kbu_hprintf(out, "<br>%s", f->message);
		fputs("</td><td>", out);
		kbr_html_article(out, f->article, o);
		kbu_hprintf(out, "</td><td>%s</td></tr>\n", f->remedy ? f->remedy : "—");
	}
	fputs("</tbody>\n</table>\n", out);
}

static void summary(FILE *out, const struct kbr_report *r, const struct kbr_html_options *o, const char *id, int h)
{
	kbu_hprintf(out, "<section class=\"summary\" id=\"%s-summary\">\n<h%d>Summary</h%d>\n", id, h, h);
	fputs("<table class=\"host\">\n<tbody>\n", out);
	host_rows(out, r);
	fputs("</tbody>\n</table>\n", out);
	counts(out, r);
	summary_findings(out, r, o, id);
	fputs("</section>\n", out);
}

/* ---- a finding ------------------------------------------------------------------ */

static void evidence_place(FILE *out, const struct kbr_evidence *e)
{
	if (e->line > 0)
		kbu_hprintf(out, "<code>%s:%d</code>", e->source ? e->source : "?", e->line);
	else
		kbu_hprintf(out, "<code>%s</code>", e->source ? e->source : "?");
}

/* The record's text without its own final line break. */
static void evidence_text(FILE *out, const struct kbr_evidence *e, const struct kbt_trace *t,
			  const struct kbt_firing *const *firings, size_t nfirings)
{
	if (!e->text) {
		fputs("<span class=\"note\">(no text kept)</span>", out);
		return;
	}
	size_t len = strlen(e->text);
	while (len > 0 && (e->text[len - 1] == '\n' || e->text[len - 1] == '\r'))
		len--;
	char *text = kbu_malloc(len + 1);
	memcpy(text, e->text, len);
	text[len] = '\0';
	fputs("<pre>", out);
	kbr_html_marked(out, text, t, firings, nfirings, e->fact);
	fputs("</pre>", out);
	free(text);
}

static void evidence_table(FILE *out, const struct kbr_finding *f, const struct kbt_trace *t,
			   const struct kbt_firing *const *firings, size_t nfirings, int h)
{
	kbu_hprintf(out, "<h%d>Evidence</h%d>\n", h, h);
	if (!f->nevidence) {
		fputs("<p class=\"note\">This finding names no evidence record.</p>\n", out);
		return;
	}
	if (t)
		fputs("<p class=\"note\">Marked: the values the rules bound from each record (hover for the "
		      "variable).</p>\n",
		      out);
	fputs("<table class=\"evidence\">\n<thead><tr><th scope=\"col\">Where</th><th scope=\"col\">Kind</th>"
	      "<th scope=\"col\">Record</th></tr></thead>\n<tbody>\n",
	      out);
	for (size_t i = 0; i < f->nevidence; i++) {
		const struct kbr_evidence *e = &f->evidence[i];
		fputs("<tr><td>", out);
		evidence_place(out, e);
		kbu_hprintf(out, "</td><td>%s</td><td>", e->kind ? e->kind : "");
		evidence_text(out, e, t, firings, nfirings);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody>\n</table>\n", out);
}

static void bindings_table(FILE *out, const struct kbt_trace *t, const struct kbt_firing *const *firings, size_t n)
{
	size_t nbindings = 0;
	for (size_t i = 0; i < n; i++)
		nbindings += firings[i]->nbindings;
	kbu_hprintf(out, "<details><summary>All bindings: %zu variable%s over %zu firing%s</summary>\n", nbindings,
		    nbindings == 1 ? "" : "s", n, n == 1 ? "" : "s");
	fputs("<table class=\"bindings\">\n<thead><tr><th scope=\"col\">Firing</th><th scope=\"col\">Rule</th>"
	      "<th scope=\"col\">Variable</th><th scope=\"col\">Value</th></tr></thead>\n<tbody>\n",
	      out);
	for (size_t i = 0; i < n; i++) {
		const struct kbt_firing *x = firings[i];
		const struct kbt_rule *r = &t->rules[x->rule];
		for (size_t k = 0; k < x->nbindings; k++) {
			char v[512];
			kbt_value_text(v, sizeof(v), x->bindings[k].value);
			kbu_hprintf(out, "<tr><td class=\"num\">#%llu</td><td><code>%s</code></td><td><code>%s</code></td>"
					 "<td><code>%s</code></td></tr>\n",
				    (unsigned long long)x->n, r->id, x->bindings[k].name, v);
		}
		if (!x->nbindings)
			kbu_hprintf(out, "<tr><td class=\"num\">#%llu</td><td><code>%s</code></td><td colspan=\"2\">"
					 "(no variables)</td></tr>\n",
				    (unsigned long long)x->n, r->id);
	}
	fputs("</tbody>\n</table>\n</details>\n", out);
}

/* The why-tree as text lines (kbt_render_why(), already escaped for a
 * terminal, escaped again for the page). */
static void why_text(FILE *out, const struct kbt_trace *t, uint32_t fact)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		kbu_oom();
	kbt_render_why(t, fact, "", mem);
	if (fclose(mem) != 0)
		kbu_oom();
	fputs("<pre class=\"why-text\">", out);
	kbu_html_escape(out, buf, len);
	fputs("</pre>\n", out);
	free(buf);
}

static void reasoning(FILE *out, const struct kbr_finding *f, const struct kbt_trace *t, const char *anchor,
		      const struct kbt_firing *const *firings, size_t nfirings, int h)
{
	kbu_hprintf(out, "<h%d>Reasoning</h%d>\n", h, h);
	kbu_hprintf(out, "<figure class=\"why\" id=\"%s-why\">\n", anchor);
	/* the picture first, the text form under it: what a reader copies
	 * into a ticket and a screen reader reads */
	if (kbt_render_why_svg(t, f->fact, out) < 0)
		fputs("<p>The picture of this reasoning could not be drawn; it is below as text.</p>\n", out);
	fputs("<figcaption>Why this finding was made: the rule that made it, each condition and the fact that "
	      "matched it, down to the evidence lines.</figcaption>\n",
	      out);
	why_text(out, t, f->fact);
	fputs("</figure>\n", out);
	bindings_table(out, t, firings, nfirings);
}

void kbr_html_finding(FILE *out, const struct kbr_finding *f, const struct kbt_trace *t,
		      const struct kbr_html_options *o, const char *anchor, int level)
{
	kbu_hprintf(out, "<section class=\"finding %s\" id=\"%s\">\n<h%d>", severity_class(f->severity), anchor, level);
	kbr_html_severity(out, f->severity);
	kbu_hprintf(out, " %s</h%d>\n", f->title ? f->title : f->rule ? f->rule : "?", level);
	kbu_hprintf(out, "<p>Rule <code>%s</code> · KB article ", f->rule ? f->rule : "?");
	kbr_html_article(out, f->article, o);
	fputs("</p>\n", out);
	if (f->message)
		kbu_hprintf(out, "<p class=\"message\">%s</p>\n", f->message);
	if (f->remedy)
		kbu_hprintf(out, "<p class=\"action\"><strong>Action:</strong> %s</p>\n", f->remedy);
	const struct kbt_firing **firings = NULL;
	size_t nfirings = t && kbt_fact(t, f->fact) ? kbr_finding_firings(t, f->fact, &firings) : 0;
	evidence_table(out, f, t, firings, nfirings, level + 1);
	if (t && kbt_fact(t, f->fact))
		reasoning(out, f, t, anchor, firings, nfirings, level + 1);
	free(firings);
	fputs("</section>\n", out);
}

/* ---- a host, a page ------------------------------------------------------------- */

static void problems(FILE *out, const struct kbr_report *r, const char *id, int h)
{
	if (!r->nerrors)
		return;
	kbu_hprintf(out, "<section id=\"%s-problems\">\n<h%d>Problems</h%d>\n", id, h, h);
	fputs("<p>Rules that failed to load or run, and warnings about the evidence as a whole. The other rules "
	      "ran.</p>\n<table>\n<thead><tr><th scope=\"col\">Where</th><th scope=\"col\">Level</th>"
	      "<th scope=\"col\">Message</th></tr></thead>\n<tbody>\n",
	      out);
	for (size_t i = 0; i < r->nerrors; i++)
		kbu_hprintf(out, "<tr><td><code>%s</code></td><td>%s</td><td>%s</td></tr>\n", r->errors[i].where,
			    r->errors[i].level, r->errors[i].message);
	fputs("</tbody>\n</table>\n</section>\n", out);
}

void kbr_html_host(FILE *out, const struct kbr_report *r, const struct kbt_trace *t,
		   const struct kbr_html_options *o, const char *id, int level)
{
	summary(out, r, o, id, level);
	if (r->nfindings)
		kbu_hprintf(out, "<section id=\"%s-findings\">\n<h%d>Findings</h%d>\n", id, level, level);
	for (size_t i = 0; i < r->nfindings; i++) {
		char anchor[64];
		finding_anchor(anchor, sizeof(anchor), id, r->findings[i].fact);
		kbr_html_finding(out, &r->findings[i], t, o, anchor, level + 1);
	}
	if (r->nfindings)
		fputs("</section>\n", out);
	problems(out, r, id, level);
	kbr_html_coverage(out, r, t, o, id, level);
}

int kbr_render_html(const struct kbr_report *r, const struct kbt_trace *t, const struct kbr_html_options *o,
		    FILE *out)
{
	char *title = NULL; /* as text: kbr_html_open() escapes it */
	size_t len = 0;
	FILE *mem = open_memstream(&title, &len);
	if (!mem)
		kbu_oom();
	fprintf(mem, "kbdiag report: %s", host_name(r) ? host_name(r) : "unnamed host");
	if (fclose(mem) != 0)
		kbu_oom();
	kbr_html_open(out, title, r->host_os);
	free(title);
	kbr_html_host(out, r, t, o, "h0", 2);
	return kbr_html_close(out);
}
