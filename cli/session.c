/*
 * session.c — set up, gather, run, report.  Problems in rule files and
 * inputs are collected into the report's errors, so the rules that load
 * still run on whatever was read.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "progress.h"
#include "ruledirs.h"
#include "session.h"
#include "textout.h"
#include "xalloc.h"

double kbd_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* With the rules compiled, facts no rule could match need not be kept.
 * Not for collect (schema only: a snapshot holds every fact), not without
 * rules (nothing to match, and nothing to save: no work is done on facts),
 * and not with --why-not, whose near misses look through every fact of a
 * kind. */
static void start_prefilter(struct kbd_session *s)
{
	if (s->opt->no_prefilter || s->opt->why_not || kb_rule_count(s->eng) == 0)
		return;
	for (size_t i = 0; kbr_kinds_read[i]; i++)
		kb_prefilter_keep_kind(s->eng, kb_kind_find(s->eng, kbr_kinds_read[i]));
	kb_prefilter_start(s->eng);
}

int kbd_output_open(struct kbu_outfile *out, const char *option, const char *path, const struct kbd_options *o)
{
	int rc = kbu_outfile_open(out, path, o->follow_output_links);
	if (rc == KBU_OUTFILE_LINK)
		kbu_tprintf(stderr, "kbdiag: %s %s: a symbolic link; kbdiag does not write through one "
				"(--follow-output-links writes to the file it leads to)\n", option, path);
	else if (rc < 0)
		kbu_tprintf(stderr, "kbdiag: %s %s: %s\n", option, path, strerror(errno));
	return rc < 0 ? 2 : 0;
}

int kbd_session_open(struct kbd_session *s, const struct kbd_options *o)
{
	memset(s, 0, sizeof(*s));
	s->opt = o;
	s->started = kbd_now_ms();
	for (size_t i = 0; i < o->nrule_dirs; i++) {
		struct stat st;
		if (stat(o->rule_dirs[i], &st) < 0) {
			kbu_tprintf(stderr, "kbdiag: --rules %s: no such file or directory\n", o->rule_dirs[i]);
			return 2;
		}
	}
	struct kb_error err = {0};
	s->eng = kb_engine_new();
	kb_engine_set_budgets(s->eng, &o->budgets);
	bool ok = kbf_schema_declare(s->eng, &err) == 0;
	if (ok) {
		s->schema_kinds = kb_kind_count(s->eng);
		ok = (s->lua = kbd_lua_new(s->eng, o)) != NULL;
	}
	if (!ok) {
		kbu_tprintf(stderr, "kbdiag: cannot start the engine: %s\n", err.msg[0] ? err.msg : "cannot start Lua");
		return 2;
	}
	/* Said at once when it cannot be written; the run still reports, and
	 * ends with exit status 2 (write_trace). */
	if (!o->schema_only && o->trace_file)
		kbd_output_open(&s->trace_out, "--trace", o->trace_file, o);
	/* The HTML page shows each finding's reasoning and the near misses:
	 * it records the run too. */
	if (!o->schema_only && (o->trace_file || o->explain || o->why_not || o->format == KBD_HTML)) {
		s->trace = kbt_trace_new();
		s->rec = kbt_recorder_new(s->eng, s->trace);
	}
	kbd_progress_watch(s);
	if (!o->schema_only) {
		kbd_load_rules(s->lua, o);
		kb_lua_compile(s->lua);
		start_prefilter(s);
	}
	for (size_t i = 0; s->rec && i < kb_lua_nrules(s->lua); i++) {
		const struct kb_rule_info *ri = kb_lua_rule(s->lua, i);
		if (ri->rule)
			kbt_recorder_rule_info(s->rec, ri->rule, ri->article, ri->title, ri->severity,
					       (const char *const *)ri->makes);
	}
	return 0;
}

void kbd_session_trace_inputs(struct kbd_session *s, size_t from, bool collected)
{
	for (size_t i = from; s->rec && i < s->inputs.n; i++) {
		const struct kbf_input *in = &s->inputs.v[i];
		kbt_recorder_input(s->rec, in->path, in->format, in->nfacts, in->unavailable, collected);
	}
}

void kbd_session_read(struct kbd_session *s, const char *path)
{
	size_t from = s->inputs.n;
	s->evidence = true;
	kbf_read_path(s->eng, path, &s->inputs);
	kbd_session_trace_inputs(s, from, false);
}

/* An input and what of it was not read, and why: nothing is skipped
 * without the report saying so (DESIGN.md, "Exit status"). */
static void account_input(struct kbr_report *r, const struct kbf_input *in)
{
	char reason[600];
	if (in->unavailable) {
		snprintf(reason, sizeof(reason), "not available: %s", in->unavailable);
		kbr_add_warning(r, in->path, 0, reason);
	} else if (!kbf_input_recognised(in) && in->err.status == KB_OK) {
		kbr_add_warning(r, in->path, 0, "not a format kbdiag reads (docs/evidence-formats.md lists them)");
	}
	if (in->err.status != KB_OK)
		kbr_add_warning(r, in->path, in->err_line, in->err.msg);
	for (size_t k = 0; k < in->nskips_kept; k++)
		kbr_add_warning(r, in->path, in->skips[k].line, in->skips[k].reason);
	if (in->nskips > in->nskips_kept) {
		snprintf(reason, sizeof(reason), "%zu more parts skipped, not listed", in->nskips - in->nskips_kept);
		kbr_add_warning(r, in->path, 0, reason);
	}
	enum kbr_read how = in->container			      ? KBR_CONTAINER
			    : !kbf_input_usable(in)			      ? KBR_NOT_READ
			    : in->err.status != KB_OK || in->nskips ? KBR_READ_IN_PART
								    : KBR_READ;
	kbr_add_input(r, in->path, in->format, in->unavailable, in->nfacts, in->nread, in->nskipped, how);
}

/* Evidence of two computers read as one host: said, naming both, as a
 * finding could join one computer's facts with the other's. */
static void computer_place(char *buf, size_t n, const struct kbr_computer *c)
{
	const char *source = c->source ? c->source : "?";
	if (c->line > 0)
		snprintf(buf, n, "%s:%d", source, c->line);
	else
		snprintf(buf, n, "events of %s", source);
}

static void mixed_computers(const struct kbd_session *s, struct kbr_report *r)
{
	for (size_t i = 0; i < s->inputs.n; i++)
		for (size_t k = 0; k < s->inputs.v[i].ncomputers; k++)
			kbr_add_computer(r, s->inputs.v[i].computers[k], s->inputs.v[i].path, 0);
	if (r->ncomputers < 2)
		return;
	char names[1000] = "", place[400], msg[1400];
	size_t shown = r->ncomputers < 4 ? r->ncomputers : 4, len = 0;
	for (size_t i = 0; i < shown && len < sizeof(names); i++) {
		computer_place(place, sizeof(place), &r->computers[i]);
		len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s (%s)",
					!i ? "" : i + 1 == shown && shown == r->ncomputers ? " and " : ", ",
					r->computers[i].name, place);
	}
	snprintf(msg, sizeof(msg),
		 "the evidence of one host names %zu computers: %s%s; kbdiag diagnosed them as one host: give each "
		 "computer's evidence apart, a folder or archive each",
		 r->ncomputers, names, shown < r->ncomputers ? " and more" : "");
	computer_place(place, sizeof(place), &r->computers[1]);
	kbr_add_error(r, "warning", place, msg);
}

void kbd_session_problems(const struct kbd_session *s, struct kbr_report *r)
{
	mixed_computers(s, r);
	static const char *const levels[] = {"error", "warning", "note"};
	for (size_t i = 0; i < kb_lua_ndiags(s->lua); i++) {
		const struct kb_diag *d = kb_lua_diag(s->lua, i);
		kbr_add_error(r, levels[d->level], d->where, d->msg);
	}
	for (size_t i = 0; i < kb_rule_error_count(s->eng); i++) {
		const struct kb_error *e = kb_rule_error(s->eng, i);
		uint64_t more = kb_rule_error_repeats(s->eng, i);
		char msg[sizeof(e->msg) + 40];
		if (more)
			snprintf(msg, sizeof(msg), "%s (and %llu more like it)", e->msg, (unsigned long long)more);
		kbr_add_error(r, "error", e->where, more ? msg : e->msg);
	}
	for (size_t i = 0; i < s->inputs.n; i++)
		account_input(r, &s->inputs.v[i]);
}

/* Each finding's why-tree, for the text report (--explain).  A memory
 * stream fails only when memory runs out. */
static void explain_findings(struct kbd_session *s, struct kbr_report *r)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		size_t len;
		FILE *f = open_memstream(&r->findings[i].why, &len);
		if (!f)
			kbu_oom();
		kbt_render_why(s->trace, r->findings[i].fact, "    ", f);
		if (fclose(f) != 0)
			kbu_oom();
	}
}

/* The text of the records the report cites, and of every fact of the
 * trace when it is written or its near misses shown (--why-not), read
 * back from their files in one pass each (core/recall.c); the report's
 * and the trace's text point into s->recall. */
static void recall_texts(struct kbd_session *s, struct kbr_report *r)
{
	struct kbt_trace *t = s->opt->trace_file || s->opt->why_not ? s->trace : NULL;
	s->recall = kbf_recall_new();
	for (size_t i = 0; i < r->nfindings; i++)
		for (size_t j = 0; j < r->findings[i].nevidence; j++)
			kbf_recall_want(s->recall, kb_fact_get(s->eng, r->findings[i].evidence[j].fact));
	for (size_t i = 0; t && i < t->nfacts; i++)
		kbf_recall_want(s->recall, kb_fact_get(s->eng, t->facts[i].id));
	kbf_recall_read(s->recall);
	for (size_t i = 0; i < r->nfindings; i++)
		for (size_t j = 0; j < r->findings[i].nevidence; j++) {
			struct kbr_evidence *e = &r->findings[i].evidence[j];
			e->text = kbf_recall_text(s->recall, kb_fact_get(s->eng, e->fact));
		}
	for (size_t i = 0; s->trace && i < s->trace->nfacts; i++) {
		struct kbt_fact *x = &s->trace->facts[i];
		const struct kb_fact *f = x->length ? kb_fact_get(s->eng, x->id) : NULL;
		if (f)
			x->text = kbf_recall_text(s->recall, f);
	}
}

void kbd_session_result(struct kbd_session *s, struct kbr_report *r)
{
	kb_run(s->eng, 0);
	if (s->rec)
		kbt_recorder_finish(s->rec);
	kbr_build(r, s->eng);
	recall_texts(s, r);
	if (s->trace && s->opt->explain)
		explain_findings(s, r);
	kbd_session_problems(s, r);
	r->elapsed_ms = kbd_now_ms() - s->started;
}

/* --trace FILE in the --trace-format asked for, put in place.  0, or 2
 * after saying why (or when kbd_session_open could not open it). */
static int write_trace(struct kbd_session *s)
{
	if (!s->trace_out.f)
		return 2;
	int rc = kbt_render(s->trace, s->opt->trace_format, s->trace_out.f);
	int e = errno;
	if (rc < 0)
		kbu_outfile_abort(&s->trace_out);
	else
		rc = kbu_outfile_commit(&s->trace_out), e = errno;
	if (rc < 0) {
		kbu_tprintf(stderr, "kbdiag: writing the trace to %s failed: %s\n", s->opt->trace_file, strerror(e));
		return 2;
	}
	return 0;
}

int kbd_session_status(const struct kbd_session *s, const struct kbr_report *r, const char *host)
{
	if (!s->evidence || r->nread_as[KBR_READ] + r->nread_as[KBR_READ_IN_PART])
		return kbr_exit_status(r);
	kbu_tprintf(stderr, "kbdiag: %s%sno input could be read:%s\n", host ? host : "", host ? ": " : "",
		    r->nwarnings ? "" : " no file found in what was named");
	for (size_t i = 0; i < r->nwarnings; i++)
		kbr_print_warning(stderr, "  ", &r->warnings[i]);
	return 2;
}

struct kbr_html_options kbd_html_options(const struct kbd_options *o)
{
	return (struct kbr_html_options){.kb_url = o->kb_url, .evidence = kbd_evidence_for};
}

int kbd_session_finish(struct kbd_session *s)
{
	struct kbr_report r = {0};
	kbd_session_result(s, &r);
	struct kbr_html_options ho = kbd_html_options(s->opt);
	if (s->opt->format == KBD_HTML)
		kbr_render_html(&r, s->trace, &ho, stdout);
	else if (s->opt->format == KBD_JSON && s->opt->why_not)
		kbr_render_json_with(&r, "why_not", kbt_why_not_json(s->trace, s->opt->why_not, kbd_evidence_for), stdout);
	else if (s->opt->format == KBD_JSON)
		kbr_render_json(&r, stdout);
	else
		kbr_render_text(&r, stdout, s->opt->verbosity > 0);
	if (s->opt->why_not && s->opt->format == KBD_TEXT) {
		fputc('\n', stdout);
		kbt_render_why_not(s->trace, s->opt->why_not, kbd_evidence_for, stdout);
	}
	fflush(stdout);
	int status = kbd_session_status(s, &r, NULL);
	kbr_free(&r);
	if (s->opt->trace_file && write_trace(s) != 0)
		status = 2;
	return status;
}

void kbd_session_close(struct kbd_session *s)
{
	kbt_recorder_free(s->rec); /* unhooks: before the engine goes */
	kb_lua_free(s->lua);
	kb_engine_free(s->eng);
	kbt_trace_free(s->trace);
	kbf_inputs_free(&s->inputs);
	kbf_recall_free(s->recall);
	kbu_outfile_abort(&s->trace_out); /* not written: the old file stays */
}
