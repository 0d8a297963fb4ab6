/*
 * html.h — the report as one self-contained HTML page (`--format html`):
 * a summary first (host, OS, counts by severity, each finding with its
 * article linked and its remedy as an action), then each finding's
 * evidence (the matched parts marked) and reasoning, then coverage (what
 * was read, not read and why, what to collect next, the rules closest to
 * firing).  No script, no network, no external style or font: the page
 * opens offline, prints, and works without JavaScript (<details> folds).
 *
 * Every string from evidence, rules or the command line is written
 * through kbu_hprintf() (util/htmlout.h); links are built only by
 * kbr_kb_url() (html_link.c).  docs/html-report.md describes the page.
 */
#ifndef KBDIAG_REPORT_HTML_H
#define KBDIAG_REPORT_HTML_H

#include <stdbool.h>
#include <stdio.h>

#include "fleet.h"
#include "report.h"
#include "trace.h"

/* The public page of a Microsoft KB article by its number: the address
 * Microsoft's own pages link articles by. */
#define KBR_KB_URL_DEFAULT "https://support.microsoft.com/kb/{number}"

struct kbr_html_options {
	const char *kb_url;       /* --kb-url: the link template; NULL: KBR_KB_URL_DEFAULT */
	kbt_evidence_fn evidence; /* where facts of a kind come from (what to collect); may be NULL */
	bool saved_trace;         /* the report was read back from a trace (kbr_from_trace): no read counts */
};

/* ---- article links (html_link.c) --------------------------------------------- */

/* NULL when template can make links: http:// or https://, then URL
 * characters only, with {article} (the id as the rule gives it: Q271275)
 * or {number} (its digits: 271275) at least once; else why not. */
const char *kbr_kb_url_check(const char *template);
/* The link to article by template (checked) into buf, the id
 * percent-encoded; false when there is none to make: no article, an
 * article with no number for {number}, or too long for buf. */
bool kbr_kb_url(char *buf, size_t n, const char *template, const char *article);

/* ---- the page (html.c) ---------------------------------------------------------- */

/* The document up to <main> (its head, the inline style, h1 title) and
 * after it. */
void kbr_html_open(FILE *out, const char *title, const char *subtitle);
int kbr_html_close(FILE *out);
/* One host's report: t, when not NULL, is the run's trace (reasoning,
 * marks, near misses); id prefixes every anchor (numbers and letters
 * only); level is the heading level of its sections (2 on a page of one
 * host, 3 under a host's own heading). */
void kbr_html_host(FILE *out, const struct kbr_report *r, const struct kbt_trace *t,
		   const struct kbr_html_options *o, const char *id, int level);
/* The whole page of one host.  Returns 0, or -1 on a write error. */
int kbr_render_html(const struct kbr_report *r, const struct kbt_trace *t, const struct kbr_html_options *o,
		    FILE *out);

/* Pieces the fleet page shares (html.c). */
void kbr_html_severity(FILE *out, const char *severity);
void kbr_html_article(FILE *out, const char *article, const struct kbr_html_options *o);
/* A finding's block: severity, title, article, message, the remedy as an
 * action, its evidence; anchor is its id. */
void kbr_html_finding(FILE *out, const struct kbr_finding *f, const struct kbt_trace *t,
		      const struct kbr_html_options *o, const char *anchor, int level);

/* html_coverage.c: what was read, in full, in part or not (and why),
 * the facts the pre-filter skipped, and with a trace the rules closest
 * to firing and what to collect next. */
void kbr_html_coverage(FILE *out, const struct kbr_report *r, const struct kbt_trace *t,
		       const struct kbr_html_options *o, const char *id, int level);

/* html_marks.c: an evidence record's text (of fact), escaped, with the
 * values that firings (those a finding rests on: kbr_finding_firings())
 * bound from the fact marked where they stand in it (<mark
 * title="?port">).  t NULL: no marks. */
void kbr_html_marked(FILE *out, const char *text, const struct kbt_trace *t, const struct kbt_firing *const *firings,
		     size_t nfirings, uint32_t fact);

/* ---- several hosts (html_hosts.c) -------------------------------------------- */

/* `diagnose` of several hosts: each host's part of the page is written
 * while its session lives (kbr_html_hosts_add), the page at the end. */
struct kbr_html_hosts;
struct kbr_html_hosts *kbr_html_hosts_new(void);
void kbr_html_hosts_add(struct kbr_html_hosts *h, const char *name, const struct kbr_report *r,
			const struct kbt_trace *t, const struct kbr_html_options *o);
int kbr_html_hosts_render(const struct kbr_html_hosts *h, FILE *out);
void kbr_html_hosts_free(struct kbr_html_hosts *h); /* NULL is a no-op */

/* ---- the fleet (html_fleet.c) ------------------------------------------------- */

/* Rules × hosts with counts, each host's findings under its own anchor,
 * the hosts not read.  Returns 0, or -1 on a write error. */
int kbr_fleet_html(FILE *out, const struct kbr_fleet *f, const struct kbr_html_options *o);

/* ---- a saved trace as a report (trace_report.c) ---------------------------------- */

/* r filled from t alone, for `explain TRACE --format html`: findings with
 * their evidence, the host, the inputs, rule errors.  What a trace does
 * not keep (facts read and skipped, parts of an input left out) is not
 * there.  Strings are borrowed from t.  Free with kbr_free(). */
void kbr_from_trace(struct kbr_report *r, const struct kbt_trace *t);
/* The firings a finding rests on: the one that made it first, then those
 * that made its derived premises, depth first, each once.  Their count;
 * the array (malloc'd, NULL when none) in *out. */
size_t kbr_finding_firings(const struct kbt_trace *t, uint32_t finding, const struct kbt_firing ***out);

#endif
