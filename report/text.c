/*
 * text.c — the report for people: one block per finding (severity, rule,
 * title; the message; the remedy; the evidence lines; with --explain the
 * reasoning), then errors, then what was not read and why, then a
 * one-line summary and how many inputs were read.  -v adds the inputs.
 * Facts the pre-filter skipped are counted where they would have been.
 */
#include <ctype.h>
#include <string.h>

#include "report.h"
#include "textout.h"

void kbr_severity_word(char *dst, size_t n, const char *s)
{
	size_t i = 0;
	for (; s && s[i] && i + 1 < n; i++)
		dst[i] = (char)toupper((unsigned char)s[i]);
	dst[i] = '\0';
}

/* Evidence text that spans lines (an Event Viewer record is cited by its
 * first line but carries the whole record) would fall back to column 0 and
 * read as a new block; its continuation lines go under the first one.
 * Blank lines stay empty rather than carry trailing blanks, and the
 * record's own final line break is not doubled.  A CR that ends a line
 * (CRLF text) goes with its line break; any other control character is
 * escaped by kbu_tprintf(). */
static void evidence_text(FILE *out, int col, const char *text)
{
	size_t len = strlen(text);
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
		size_t shown = n > 0 && text[i + n - 1] == '\r' ? n - 1 : n;
		if (i > 0 && shown > 0)
			kbu_tprintf(out, "%*s", col, "");
		kbu_tprintf(out, "%.*s\n", (int)shown, text + i);
		i += n + 1;
	}
	if (len == 0)
		fputc('\n', out);
}

static void finding_text(const struct kbr_finding *f, FILE *out)
{
	char sev[16];
	kbr_severity_word(sev, sizeof(sev), f->severity);
	kbu_tprintf(out, "%-7s %s", sev, f->rule ? f->rule : "?");
	if (f->article && (!f->rule || strcmp(f->article, f->rule) != 0))
		kbu_tprintf(out, " (%s)", f->article);
	kbu_tprintf(out, ": %s\n", f->title ? f->title : "");
	if (f->message)
		kbu_tprintf(out, "  %s\n", f->message);
	if (f->remedy)
		kbu_tprintf(out, "  Remedy: %s\n", f->remedy);
	if (f->nevidence)
		kbu_tprintf(out, "  Evidence:\n");
	for (size_t i = 0; i < f->nevidence; i++) {
		const struct kbr_evidence *e = &f->evidence[i];
		/* columns as the terminal shows them: characters, escapes included */
		const char *source = e->source ? e->source : "";
		char line[16] = "";
		if (e->line > 0)
			snprintf(line, sizeof(line), ":%d", e->line);
		int width = (int)(kbu_text_columns(source, strlen(source)) + strlen(line));
		int pad = width < 28 ? 28 - width : 0;
		kbu_tprintf(out, "    %s%s%*s ", source, line, pad, "");
		evidence_text(out, 4 + width + pad + 1, e->text ? e->text : e->kind ? e->kind : "");
	}
	if (f->why) { /* written by kbt_render_why(), escaped already */
		fputs("  Why:\n", out);
		fputs(f->why, out);
	}
	fputc('\n', out);
}

static void summary(const struct kbr_report *r, FILE *out)
{
	size_t e = kbr_count_severity(r, "error"), w = kbr_count_severity(r, "warning");
	kbu_tprintf(out, "%zu finding%s", r->nfindings, r->nfindings == 1 ? "" : "s");
	if (r->nfindings)
		kbu_tprintf(out, " (%zu error%s, %zu warning%s, %zu info)", e, e == 1 ? "" : "s", w,
			w == 1 ? "" : "s", r->nfindings - e - w);
	kbu_tprintf(out, "; %zu fact%s", r->facts, r->facts == 1 ? "" : "s");
	if (r->skipped)
		kbu_tprintf(out, " (%zu more read and skipped: no rule could match them)", r->skipped);
	kbu_tprintf(out, ", %zu rule%s, %llu firing%s, %.1f ms\n", r->rules, r->rules == 1 ? "" : "s",
		(unsigned long long)r->fired, r->fired == 1 ? "" : "s", r->elapsed_ms);
}

void kbr_print_warning(FILE *out, const char *indent, const struct kbr_warning *w)
{
	if (w->line > 0)
		kbu_tprintf(out, "%s%s:%d: %s\n", indent, w->path, w->line, w->reason);
	else
		kbu_tprintf(out, "%s%s: %s\n", indent, w->path, w->reason);
}

void kbr_print_errors(const struct kbr_report *r, FILE *out)
{
	if (r->nerrors)
		kbu_tprintf(out, "Problems:\n");
	for (size_t i = 0; i < r->nerrors; i++)
		kbu_tprintf(out, "  %s: %s: %s\n", r->errors[i].where, r->errors[i].level, r->errors[i].message);
	if (r->nerrors)
		fputc('\n', out);
}

size_t kbr_print_warnings(const struct kbr_report *r, FILE *out, const char *heading)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nwarnings; i++) {
		if (n++ == 0)
			kbu_tprintf(out, "%s:\n", heading);
		kbr_print_warning(out, "  ", &r->warnings[i]);
	}
	if (n)
		fputc('\n', out);
	return n;
}

/* The last line: how many inputs were read, so that evidence left unread
 * is noticed even by someone who reads only the end. */
static void inputs_line(const struct kbr_report *r, FILE *out, bool unread_listed)
{
	size_t part = r->nread_as[KBR_READ_IN_PART], n = r->ninputs - r->nread_as[KBR_CONTAINER];
	if (n == 0)
		return;
	kbu_tprintf(out, "%zu of %zu input%s read", r->nread_as[KBR_READ] + part, n, n == 1 ? "" : "s");
	if (part)
		kbu_tprintf(out, " (%zu in part)", part);
	kbu_tprintf(out, "%s\n", unread_listed ? "; see 'Not read' above" : "");
}

int kbr_render_text(const struct kbr_report *r, FILE *out, bool verbose)
{
	if (r->host_name || r->host_os) {
		kbu_tprintf(out, "Host %s", r->host_name ? r->host_name : "(unnamed)");
		if (r->host_os)
			kbu_tprintf(out, ", %s", r->host_os);
		if (r->service_pack > 0)
			kbu_tprintf(out, ", service pack %lld", (long long)r->service_pack);
		kbu_tprintf(out, "\n\n");
	}
	for (size_t i = 0; i < r->nfindings; i++)
		finding_text(&r->findings[i], out);
	kbr_print_errors(r, out);
	bool unread_listed = kbr_print_warnings(r, out, "Not read") > 0;
	if (verbose) {
		kbu_tprintf(out, "Inputs:\n");
		for (size_t i = 0; i < r->ninputs; i++) {
			const struct kbr_input *in = &r->inputs[i];
			kbu_tprintf(out, "  %-32s %-16s %zu facts", in->path, in->format, in->facts);
			if (in->skipped)
				kbu_tprintf(out, " (%zu read, %zu skipped)", in->read, in->skipped);
			kbu_tprintf(out, "%s%s\n", in->unavailable ? "; not available: " : "",
				in->unavailable ? in->unavailable : "");
		}
		fputc('\n', out);
	}
	summary(r, out);
	inputs_line(r, out, unread_listed);
	return ferror(out) ? -1 : 0;
}
