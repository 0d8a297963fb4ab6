/*
 * session.c — set up, gather, run, report.  Problems in rule files and
 * inputs are collected into the report's errors, so the rules that load
 * still run on whatever was read.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ruledirs.h"
#include "session.h"

double kbd_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int kbd_session_open(struct kbd_session *s, const struct kbd_options *o)
{
	memset(s, 0, sizeof(*s));
	s->opt = o;
	s->started = kbd_now_ms();
	for (size_t i = 0; i < o->nrule_dirs; i++) {
		struct stat st;
		if (stat(o->rule_dirs[i], &st) < 0) {
			fprintf(stderr, "kbdiag: --rules %s: no such file or directory\n", o->rule_dirs[i]);
			return 2;
		}
	}
	struct kb_error err = {0};
	if (!(s->eng = kb_engine_new()) || kbf_schema_declare(s->eng, &err) < 0 ||
	    !(s->lua = kb_lua_new(s->eng, &o->limits))) {
		fprintf(stderr, "kbdiag: cannot start the engine: %s\n", err.msg[0] ? err.msg : "out of memory");
		return 2;
	}
	if (!o->schema_only) {
		kbd_load_rules(s->lua, o);
		kb_lua_compile(s->lua);
	}
	return 0;
}

void kbd_session_read(struct kbd_session *s, const char *path)
{
	s->input_errors += kbf_read_path(s->eng, path, &s->inputs);
}

static void collect_errors(struct kbd_session *s, struct kbr_report *r)
{
	static const char *const levels[] = {"error", "warning", "note"};
	for (size_t i = 0; i < kb_lua_ndiags(s->lua); i++) {
		const struct kb_diag *d = kb_lua_diag(s->lua, i);
		kbr_add_error(r, levels[d->level], d->where, d->msg);
	}
	for (size_t i = 0; i < kb_rule_error_count(s->eng); i++) {
		const struct kb_error *e = kb_rule_error(s->eng, i);
		kbr_add_error(r, "error", e->where, e->msg);
	}
	for (size_t i = 0; i < s->inputs.n; i++) {
		const struct kbf_input *in = &s->inputs.v[i];
		if (in->err.status != KB_OK) {
			kbr_add_error(r, "error", in->err.where, in->err.msg);
			fprintf(stderr, "kbdiag: %s: %s\n", in->err.where, in->err.msg);
		}
		kbr_add_input(r, in->path, in->format, in->nfacts, in->unavailable);
	}
}

int kbd_session_result(struct kbd_session *s, struct kbr_report *r)
{
	kb_run(s->eng, s->opt->max_firings);
	if (kbr_build(r, s->eng) < 0)
		return -1;
	collect_errors(s, r);
	r->elapsed_ms = kbd_now_ms() - s->started;
	return 0;
}

int kbd_session_finish(struct kbd_session *s)
{
	struct kbr_report r = {0};
	if (kbd_session_result(s, &r) < 0) {
		fprintf(stderr, "kbdiag: out of memory building the report\n");
		return 2;
	}
	if (s->opt->format == KBD_JSON)
		kbr_render_json(&r, stdout);
	else
		kbr_render_text(&r, stdout, s->opt->verbosity > 0);
	fflush(stdout);
	int status = s->input_errors ? 2 : kbr_exit_status(&r);
	kbr_free(&r);
	return status;
}

void kbd_session_close(struct kbd_session *s)
{
	kb_lua_free(s->lua);
	kb_engine_free(s->eng);
	kbf_inputs_free(&s->inputs);
}
