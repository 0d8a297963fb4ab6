/*
 * session.h — one run of kbdiag: an engine with the stock schema, the
 * rules the options name, the inputs, and the report at the end.  Every
 * subcommand that runs rules goes through here.
 */
#ifndef KBDIAG_CLI_SESSION_H
#define KBDIAG_CLI_SESSION_H

#include "facts.h"
#include "html.h"
#include "kblua.h"
#include "options.h"
#include "outfile.h"
#include "report.h"
#include "trace.h"

struct kbd_session {
	const struct kbd_options *opt;
	struct kb_engine *eng;
	struct kb_lua *lua;
	size_t schema_kinds;        /* the first kinds are the stock schema's */
	struct kbf_inputs inputs;
	bool evidence; /* inputs were named: with none readable, the exit status is 2 */
	double started;
	struct kbt_trace *trace;    /* when --trace, --explain or --why-not asks for one */
	struct kbt_recorder *rec;
	struct kbf_recall *recall; /* cited records' texts, read back for the report and trace */
	struct kbu_outfile trace_out; /* --trace FILE, open from the start (f NULL: it cannot be) */
};

/* The HTML page's options from the command line's. */
struct kbr_html_options kbd_html_options(const struct kbd_options *o);

/* evidence.c: facts/'s evidence table for why-not (a kbt_evidence_fn). */
size_t kbd_evidence_for(const char *kind, const char *slot, struct kbt_evidence *out, size_t max);

/* Engine, schema, rules.  Returns 0, or 2 after printing why. */
int kbd_session_open(struct kbd_session *s, const struct kbd_options *o);
/* Reads snapshots, bundles and files (kbf_read_path). */
void kbd_session_read(struct kbd_session *s, const char *path);
/* Tells the trace, if any, about the inputs from index `from` on. */
void kbd_session_trace_inputs(struct kbd_session *s, size_t from, bool collected);
/* Adds to r the errors of rule files and of the run, what of the inputs
 * was not read, and a run-wide warning when several case folders were
 * merged into one host. */
void kbd_session_problems(const struct kbd_session *s, struct kbr_report *r);
/* Runs the rules and collects the report. */
void kbd_session_result(struct kbd_session *s, struct kbr_report *r);
/* The exit status report r of the session calls for: 0, 1, or 2 when
 * evidence was named and none of it could be read (stderr then says so,
 * of host when not NULL). */
int kbd_session_status(const struct kbd_session *s, const struct kbr_report *r, const char *host);
/* Runs the rules and prints the report in the chosen format.  Returns the
 * exit status: 0, 1, or 2 when an input was unusable. */
int kbd_session_finish(struct kbd_session *s);
void kbd_session_close(struct kbd_session *s);
double kbd_now_ms(void);
/* Opens path, what option names it ("--trace"), for writing as o allows
 * (kbu_outfile_open).  Returns 0, or 2 after printing why not. */
int kbd_output_open(struct kbu_outfile *out, const char *option, const char *path, const struct kbd_options *o);

#endif
