/*
 * cmd_diagnose.c — `kbdiag diagnose PATH...`, `kbdiag run` and
 * `kbdiag collect`: gather facts, then run the rules (or write them out).
 */
#include <errno.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "hosts.h"
#include "json_text.h"
#include "session.h"
#include "textout.h"
#include "xalloc.h"

/* Whether paths a and b (both there, as sa and sb) are one file. */
static bool same_file(const char *a, const struct stat *sa, const char *b, const struct stat *sb)
{
#ifdef _WIN32
	/* st_ino is 0 for every file: the full paths, whose case Windows ignores */
	char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
	bool same = ra && rb && _stricmp(ra, rb) == 0;
	free(ra);
	free(rb);
	return same;
#else
	return sa->st_dev == sb->st_dev && sa->st_ino == sb->st_ino;
#endif
}

/* Whether the trace would land on the evidence: overwrite an input file,
 * or go into a bundle directory (where the next run would read it). */
static bool trace_on_evidence(const struct kbd_options *o)
{
	char *dir = o->trace_file ? kbu_strdup(o->trace_file) : NULL;
	char *real_dir = dir ? realpath(dirname(dir), NULL) : NULL;
	struct stat ts;
	bool exists = o->trace_file && stat(o->trace_file, &ts) == 0, hit = false;
	for (size_t i = 0; real_dir && i < o->nargs && !hit; i++) {
		struct stat st;
		if (stat(o->args[i], &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			char *real = realpath(o->args[i], NULL);
			size_t n = real ? strlen(real) : 0;
			hit = real && strncmp(real_dir, real, n) == 0 && (real_dir[n] == '/' || real_dir[n] == '\0' || n == 1);
			free(real);
		} else {
			hit = exists && same_file(o->args[i], &st, o->trace_file, &ts);
		}
		if (hit)
			kbu_tprintf(stderr, "kbdiag: --trace %s would %s %s; write the trace elsewhere\n", o->trace_file,
				S_ISDIR(st.st_mode) ? "go into the evidence directory" : "overwrite the input", o->args[i]);
	}
	free(dir);
	free(real_dir);
	return hit;
}

/* Where the hosts' reports go until all are diagnosed: JSON and HTML
 * put them on one page after the last; text prints each at once. */
struct host_reports {
	json_t *json;
	struct kbr_html_hosts *html;
};

/* One host of several: its own session, so that no fact of it joins a
 * fact of another; its report printed at once (text) or added to the
 * page (JSON, HTML).  Returns its exit status. */
static int diagnose_host(const struct kbd_options *o, const struct kbd_host *h, size_t i, size_t n,
			 struct host_reports *hosts)
{
	struct kbd_session s;
	int rc = kbd_session_open(&s, o);
	if (rc != 0) {
		kbd_session_close(&s);
		return rc;
	}
	for (size_t k = 0; k < h->npaths; k++)
		kbd_session_read(&s, h->paths[k]);
	struct kbr_report r = {0};
	kbd_session_result(&s, &r);
	if (o->format == KBD_JSON) {
		json_t *x = json_pack("{s:o}", "name", kbu_json_text(h->name));
		json_t *report = kbr_json(&r);
		json_object_del(report, "kbdiag");
		json_object_update(x, report);
		json_decref(report);
		if (o->why_not)
			json_object_set_new(x, "why_not", kbt_why_not_json(s.trace, o->why_not, kbd_evidence_for));
		json_array_append_new(hosts->json, x);
	} else if (o->format == KBD_HTML) {
		struct kbr_html_options ho = kbd_html_options(o);
		kbr_html_hosts_add(hosts->html, h->name, &r, s.trace, &ho);
	} else {
		if (i)
			fputc('\n', stdout);
		kbu_tprintf(stdout, "== %s (host %zu of %zu:", h->name, i + 1, n);
		for (size_t k = 0; k < h->npaths; k++)
			kbu_tprintf(stdout, " %s", h->paths[k]);
		kbu_tprintf(stdout, ")\n\n");
		kbr_render_text(&r, stdout, o->verbosity > 0);
		if (o->why_not) {
			fputc('\n', stdout);
			kbt_render_why_not(s.trace, o->why_not, kbd_evidence_for, stdout);
		}
	}
	fflush(stdout);
	rc = kbd_session_status(&s, &r, h->name);
	kbr_free(&r);
	kbd_session_close(&s);
	return rc;
}

/* Several hosts, each diagnosed alone; the exit status is the worst. */
static int diagnose_hosts(const struct kbd_options *o, const struct kbd_hosts *plan)
{
	if (o->trace_file) {
		kbu_tprintf(stderr, "kbdiag: --trace records one host's run, and these paths hold %zu hosts' evidence "
				"(see --host-per): diagnose each host alone to trace it\n", plan->n);
		return 2;
	}
	struct host_reports hosts = {json_array(), kbr_html_hosts_new()};
	int worst = 0;
	for (size_t i = 0; i < plan->n; i++) {
		int rc = diagnose_host(o, &plan->v[i], i, plan->n, &hosts);
		worst = rc > worst ? rc : worst;
	}
	if (o->format == KBD_JSON) {
		json_t *doc = json_pack("{s:s,s:O}", "kbdiag", KB_VERSION, "hosts", hosts.json);
		kbr_dump_json(doc, stdout);
		json_decref(doc);
	} else if (o->format == KBD_HTML) {
		kbr_html_hosts_render(hosts.html, stdout);
	} else {
		kbu_tprintf(stdout, "\n%zu hosts diagnosed, each alone\n", plan->n);
	}
	fflush(stdout);
	json_decref(hosts.json);
	kbr_html_hosts_free(hosts.html);
	return worst;
}

int kbd_cmd_diagnose(const struct kbd_options *o)
{
	if (o->nargs == 0) {
		kbu_tprintf(stderr, "kbdiag: diagnose needs a snapshot, bundle directory or file (see kbdiag --help)\n");
		return 2;
	}
	if (trace_on_evidence(o))
		return 2;
	struct kbd_hosts plan;
	kbd_hosts_plan(&plan, o->args, o->nargs, o->host_per);
	int rc;
	if (plan.n > 1) {
		rc = diagnose_hosts(o, &plan);
	} else {
		struct kbd_session s;
		rc = kbd_session_open(&s, o);
		if (rc == 0) {
			for (size_t i = 0; i < o->nargs; i++)
				kbd_session_read(&s, o->args[i]);
			rc = kbd_session_finish(&s);
		}
		kbd_session_close(&s);
	}
	kbd_hosts_free(&plan);
	return rc;
}

static struct kbf_options live_options(const struct kbd_options *o)
{
	return (struct kbf_options){.logs = o->logs, .nlogs = o->nlogs, .root = ""};
}

/* ahead: the host's reading already under way, or NULL. */
static void gather_live(struct kbd_session *s, const struct kbf_options *fo, struct kbf_collect_ahead *ahead)
{
	size_t from = s->inputs.n;
	kbf_collect(s->eng, fo, ahead, &s->inputs);
	kbd_session_trace_inputs(s, from, true);
}

/* The host is read on a second thread while the session loads the rules
 * (facts/core/collect.c). */
int kbd_cmd_run(const struct kbd_options *o)
{
	struct kbf_options fo = live_options(o);
	struct kbf_collect_ahead *ahead = kbf_collect_ahead(&fo);
	struct kbd_session s;
	int rc = kbd_session_open(&s, o);
	if (rc == 0) {
		gather_live(&s, &fo, ahead); /* a collector that failed is reported; the run goes on */
		rc = kbd_session_finish(&s);
	} else {
		kbf_collect_ahead_free(ahead);
	}
	kbd_session_close(&s);
	return rc;
}

/* The snapshot to out (stdout, or -o FILE put in place at the end).  0,
 * or 2 after saying why. */
static int write_snapshot(struct kbd_session *s, struct kbu_outfile *out, bool to_file)
{
	int rc = kbf_snapshot_write(s->eng, &s->inputs, out->f);
	int e = errno;
	if (rc < 0 && to_file)
		kbu_outfile_abort(out);
	else if (to_file)
		rc = kbu_outfile_commit(out), e = errno;
	else if (fflush(stdout) != 0)
		rc = -1, e = errno;
	if (rc < 0) {
		kbu_tprintf(stderr, "kbdiag: writing the snapshot failed: %s\n", strerror(e));
		return 2;
	}
	return 0;
}

int kbd_cmd_collect(const struct kbd_options *o)
{
	struct kbd_options bare = *o;
	bare.schema_only = true; /* collecting needs the schema, not the rules */
	struct kbd_session s;
	int rc = kbd_session_open(&s, &bare);
	struct kbu_outfile out = {.f = stdout};
	if (rc == 0 && o->output) /* before the work: a file that cannot be written is said at once */
		rc = kbd_output_open(&out, "-o", o->output, o);
	if (rc == 0) {
		struct kbf_options fo = live_options(o);
		gather_live(&s, &fo, NULL);
		rc = write_snapshot(&s, &out, o->output != NULL);
		for (size_t i = 0; i < s.inputs.n; i++)
			if (s.inputs.v[i].err.status != KB_OK)
				kbu_tprintf(stderr, "kbdiag: %s: %s\n", s.inputs.v[i].err.where, s.inputs.v[i].err.msg);
	}
	kbd_session_close(&s);
	return rc;
}
