/*
 * html_fleet.c — the fleet roll-up as a page (`kbdiag fleet --format
 * html`): a table of rules × hosts with how many findings each rule made
 * on each host, every host's name linking to its own section with its
 * findings (the blocks of the host report, from the JSON each host sent:
 * no reasoning, no marks), then the hosts and files not read, with why.
 * Reports come from the hosts: every string in them is escaped like
 * evidence, and a member of the wrong type is left out.
 */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "htmlout.h"
#include "xalloc.h"

static const char *str_member(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* How many of the host's findings rule made. */
static size_t findings_of(const struct kbr_fleet_host *h, const char *rule)
{
	size_t i, n = 0;
	const json_t *x;
	json_array_foreach(h->findings, i, x) {
		const char *r = str_member(x, "rule");
		n += r && strcmp(r, rule) == 0;
	}
	return n;
}

static void matrix_head(FILE *out, const struct kbr_fleet *f)
{
	fputs("<div class=\"wide\"><table class=\"matrix\">\n<thead><tr><th scope=\"col\">Rule</th>"
	      "<th scope=\"col\">Severity</th><th scope=\"col\" class=\"num\">Hosts</th>",
	      out);
	for (size_t i = 0; i < f->nhosts; i++)
		if (f->hosts[i].status == KBR_HOST_READ)
			kbu_hprintf(out, "<th scope=\"col\" class=\"num\"><a href=\"#host-%zu\">%s</a></th>", i,
				    f->hosts[i].name);
	fputs("</tr></thead>\n<tbody>\n", out);
}

static void matrix(FILE *out, const struct kbr_fleet *f, const struct kbr_html_options *o)
{
	fputs("<section id=\"rules\">\n<h2>Rules by host</h2>\n", out);
	if (!f->nrules) {
		kbu_hprintf(out, "<p>No rule fired on any of the %zu hosts read.</p>\n</section>\n", kbr_fleet_read(f));
		return;
	}
	fputs("<p>Each cell: the findings the rule made on the host. Rules are ordered by the hosts they fired on.</p>\n",
	      out);
	matrix_head(out, f);
	for (size_t k = 0; k < f->nrules; k++) {
		const struct kbr_fleet_rule *r = &f->rules[k];
		kbu_hprintf(out, "<tr><th scope=\"row\"><code>%s</code> %s", r->rule, r->title);
		if (r->article) {
			fputs(" · ", out);
			kbr_html_article(out, r->article, o);
		}
		fputs("</th><td>", out);
		kbr_html_severity(out, r->severity);
		kbu_hprintf(out, "</td><td class=\"num\">%zu</td>", r->nhosts);
		for (size_t i = 0; i < f->nhosts; i++)
			if (f->hosts[i].status == KBR_HOST_READ)
				kbu_hprintf(out, "<td class=\"num\">%zu</td>", findings_of(&f->hosts[i], r->rule));
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table></div>\n</section>\n", out);
}

/* A finding of a host's JSON report in the shape the page's blocks take
 * (evidence in *ev, to free). */
static struct kbr_finding finding_of(const json_t *x, size_t index, struct kbr_evidence **ev)
{
	struct kbr_finding f = {
		.fact = (uint32_t)index, .rule = str_member(x, "rule"), .article = str_member(x, "article"),
		.severity = str_member(x, "severity"), .title = str_member(x, "title"),
		.message = str_member(x, "message"), .remedy = str_member(x, "remedy"),
	};
	const json_t *evidence = json_object_get(x, "evidence");
	size_t i;
	const json_t *e;
	*ev = kbu_calloc(json_array_size(evidence) + 1, sizeof(**ev));
	json_array_foreach(evidence, i, e)
		(*ev)[f.nevidence++] = (struct kbr_evidence){.kind = str_member(e, "kind"),
							     .source = str_member(e, "source"),
							     .text = str_member(e, "text")};
	f.evidence = *ev;
	return f;
}

static void host_section(FILE *out, const struct kbr_fleet *f, size_t i, const struct kbr_html_options *o)
{
	const struct kbr_fleet_host *h = &f->hosts[i];
	kbu_hprintf(out, "<section class=\"host\" id=\"host-%zu\">\n<h3>%s</h3>\n", i, h->name);
	kbu_hprintf(out, "<p>Report <code>%s</code>", h->report);
	kbr_fleet_host_notes(out, kbu_html_escape, h);
	fputs(".</p>\n", out);
	size_t k;
	const json_t *x;
	json_array_foreach(h->findings, k, x) {
		struct kbr_evidence *ev;
		struct kbr_finding finding = finding_of(x, k, &ev);
		char anchor[64];
		snprintf(anchor, sizeof(anchor), "host-%zu-f%zu", i, k);
		kbr_html_finding(out, &finding, NULL, o, anchor, 4);
		free(ev);
	}
	fputs("</section>\n", out);
}

static void not_read(FILE *out, const struct kbr_fleet *f)
{
	if (kbr_fleet_read(f) == f->nhosts && !f->nskipped)
		return;
	fputs("<section id=\"not-read\">\n<h2>Not read</h2>\n<table>\n<thead><tr><th scope=\"col\">Host or file</th>"
	      "<th scope=\"col\">Report</th><th scope=\"col\">Why</th></tr></thead>\n<tbody>\n",
	      out);
	for (size_t i = 0; i < f->nhosts; i++) {
		const struct kbr_fleet_host *h = &f->hosts[i];
		if (h->status != KBR_HOST_READ)
			kbu_hprintf(out, "<tr><td>%s</td><td><code>%s</code></td><td>%s: %s</td></tr>\n", h->name, h->report,
				    h->status == KBR_HOST_UNREACHABLE ? "unreachable" : "unreadable", h->reason);
	}
	for (size_t i = 0; i < f->nskipped; i++)
		kbu_hprintf(out, "<tr><td>—</td><td><code>%s</code></td><td>%s</td></tr>\n", f->skipped[i].path,
			    f->skipped[i].reason);
	fputs("</tbody>\n</table>\n</section>\n", out);
}

int kbr_fleet_html(FILE *out, const struct kbr_fleet *f, const struct kbr_html_options *o)
{
	size_t read = kbr_fleet_read(f);
	char title[64], subtitle[160];
	snprintf(title, sizeof(title), "kbdiag fleet: %zu host%s", f->nhosts, f->nhosts == 1 ? "" : "s");
	snprintf(subtitle, sizeof(subtitle), "%zu read, %zu not read; %zu rule%s fired", read, f->nhosts - read,
		 f->nrules, f->nrules == 1 ? "" : "s");
	kbr_html_open(out, title, subtitle);
	matrix(out, f, o);
	if (read)
		fputs("<section id=\"hosts\">\n<h2>Hosts</h2>\n", out);
	for (size_t i = 0; i < f->nhosts; i++)
		if (f->hosts[i].status == KBR_HOST_READ)
			host_section(out, f, i, o);
	if (read)
		fputs("</section>\n", out);
	not_read(out, f);
	return kbr_html_close(out);
}
