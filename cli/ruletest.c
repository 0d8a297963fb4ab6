/*
 * ruletest.c — `kbdiag rules test [DIR...]`: data-driven rule tests.
 *
 * A case is a folder under a `tests/` folder beside the rules:
 * `DIR/tests/NAME/` holds the evidence (any files `diagnose` reads: a
 * bundle, exported files, a snapshot) and `expect.json`:
 *
 *   {"description": "why this case exists",
 *    "must":     [{"rule": "Q271275", "message": ["PoProxy.exe", "port 110"],
 *                  "evidence": ["netstat.txt:17"]}],
 *    "must_not": [{"rule": "Q214864"}],
 *    "only": true}
 *
 * `must` findings must be made (message: every string appears in the
 * message; evidence: every source:line is among the evidence, the source
 * relative to the case folder), `must_not`
 * ones must not, and with "only" no finding outside `must` may be made.
 * Each case runs in a fresh engine with the stock rules (unless
 * --no-stock), the rule directories the options name, and DIR.  An error
 * in DIR's rules (at load or while running) fails the case too, and so
 * does an expect.json that breaks this format (expect.c checks it).
 *
 * Output: "pass NAME" or "FAIL NAME" and what differs, one line each:
 * "- expected: {...}" with, under it, what each finding of that rule said
 * instead (its evidence relative to the case folder); "+ unexpected: ..." or "+ not in 'must': ..."; "! rule error:
 * ..."; then the findings made.  Last, "N passed, M failed".  Exit status
 * 0 all passed, 1 a case failed, 2 no case found or a usage error.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "commands.h"
#include "expect.h"
#include "ruledirs.h"
#include "session.h"
#include "textout.h"
#include "xalloc.h"

struct tally {
	int passed, failed;
};

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool has_all(const char *hay, json_t *needles)
{
	size_t i;
	json_t *n;
	if (json_is_string(needles))
		return hay && strstr(hay, json_string_value(needles));
	json_array_foreach(needles, i, n)
		if (!hay || !json_is_string(n) || !strstr(hay, json_string_value(n)))
			return false;
	return true;
}

/* "netstat.txt:17" names the evidence of a file the case read as
 * "DIR/tests/NAME/netstat.txt:17" too: paths are relative to the case. */
static bool same_place(const char *got, const char *want)
{
	size_t g = strlen(got), w = strlen(want);
	return strcmp(got, want) == 0 || (g > w && got[g - w - 1] == '/' && strcmp(got + g - w, want) == 0);
}

static bool has_evidence(const struct kbr_finding *f, json_t *wanted)
{
	size_t i;
	json_t *w;
	json_array_foreach(wanted, i, w) {
		bool found = false;
		for (size_t e = 0; e < f->nevidence && !found; e++) {
			const char *source = f->evidence[e].source ? f->evidence[e].source : "";
			size_t size = strlen(source) + 16;
			char *src = kbu_malloc(size);
			snprintf(src, size, "%s:%d", source, f->evidence[e].line);
			found = json_is_string(w) && same_place(src, json_string_value(w));
			free(src);
		}
		if (!found)
			return false;
	}
	return true;
}

static bool matches(const struct kbr_finding *f, json_t *want)
{
	const char *rule = json_string_value(json_object_get(want, "rule"));
	json_t *msg = json_object_get(want, "message"), *ev = json_object_get(want, "evidence");
	return (!rule || (f->rule && strcmp(rule, f->rule) == 0)) && (!msg || has_all(f->message, msg)) &&
	       (!ev || has_evidence(f, ev));
}

/* An evidence source as the case's expect.json spells it: relative to the
 * case folder when the file lies in it. */
static const char *case_relative(const char *source, const char *case_dir)
{
	size_t n = strlen(case_dir);
	return strncmp(source, case_dir, n) == 0 && source[n] == '/' ? source + n + 1 : source;
}

/* What keeps finding f from meeting want, for the failure report. */
static void why_not(FILE *out, const struct kbr_finding *f, json_t *want, const char *case_dir)
{
	json_t *msg = json_object_get(want, "message"), *ev = json_object_get(want, "evidence"), *w;
	size_t i;
	kbu_tprintf(out, "      %s made \"%s\"", f->rule, f->message ? f->message : "");
	if (json_is_string(msg) && !has_all(f->message, msg))
		kbu_tprintf(out, ", which lacks \"%s\"", json_string_value(msg));
	json_array_foreach(msg, i, w)
		if (json_is_string(w) && !has_all(f->message, w))
			kbu_tprintf(out, ", which lacks \"%s\"", json_string_value(w));
	json_array_foreach(ev, i, w) {
		json_t *one = json_pack("[O]", w);
		if (!has_evidence(f, one)) {
			kbu_tprintf(out, "; evidence lacks %s (has", json_string_value(w) ? json_string_value(w) : "?");
			for (size_t e = 0; e < f->nevidence; e++)
				kbu_tprintf(out, " %s:%d",
					f->evidence[e].source ? case_relative(f->evidence[e].source, case_dir) : "?",
					f->evidence[e].line);
			kbu_tprintf(out, ")");
		}
		json_decref(one);
	}
	kbu_tprintf(out, "\n");
}

static void missing(FILE *out, const struct kbr_report *r, json_t *w, const char *case_dir)
{
	char *s = json_dumps(w, JSON_COMPACT);
	kbu_tprintf(out, "  - expected: %s\n", s ? s : "?");
	free(s);
	const char *rule = json_string_value(json_object_get(w, "rule"));
	bool near = false;
	for (size_t k = 0; k < r->nfindings; k++)
		if (!rule || (r->findings[k].rule && strcmp(rule, r->findings[k].rule) == 0)) {
			why_not(out, &r->findings[k], w, case_dir);
			near = true;
		}
	if (!near && rule)
		kbu_tprintf(out, "      %s made no finding\n", rule);
}

/* Prints the errors of the rules under test (not of the evidence) and
 * counts them: each fails the case. */
static int rule_errors(FILE *out, const struct kbr_report *r, const char *rules_dir, const char *case_dir)
{
	int n = 0;
	for (size_t k = 0; k < r->nerrors; k++) {
		const struct kbr_error *e = &r->errors[k];
		if (strcmp(e->level, "error") == 0 && e->where && kbd_path_under(e->where, rules_dir) &&
		    !kbd_path_under(e->where, case_dir)) {
			kbu_tprintf(out, "  ! rule error: %s: %s\n", e->where, e->message);
			n++;
		}
	}
	return n;
}

/* Compares the run's findings and rule errors with the expectations;
 * prints what differs ("-" expected but not made, "+" made but not
 * expected).  Rule errors under the rules tested fail the case. */
static int check(FILE *out, const struct kbr_report *r, json_t *expect, const char *rules_dir, const char *case_dir)
{
	int problems = 0;
	size_t i;
	json_t *w;
	bool *wanted = kbu_calloc(r->nfindings + 1, sizeof(*wanted));
	json_array_foreach(json_object_get(expect, "must"), i, w) {
		bool found = false;
		for (size_t k = 0; k < r->nfindings; k++)
			if (matches(&r->findings[k], w))
				found = wanted[k] = true;
		if (!found) {
			missing(out, r, w, case_dir);
			problems++;
		}
	}
	json_array_foreach(json_object_get(expect, "must_not"), i, w)
		for (size_t k = 0; k < r->nfindings; k++)
			if (matches(&r->findings[k], w)) {
				kbu_tprintf(out, "  + unexpected: %s: %s\n", r->findings[k].rule, r->findings[k].message);
				problems++;
			}
	if (json_is_true(json_object_get(expect, "only")))
		for (size_t k = 0; k < r->nfindings; k++)
			if (!wanted[k]) {
				kbu_tprintf(out, "  + not in 'must': %s: %s\n", r->findings[k].rule, r->findings[k].message);
				problems++;
			}
	free(wanted);
	return problems + rule_errors(out, r, rules_dir, case_dir);
}

/* dir/name, allocated. */
static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = kbu_malloc(n);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* Every file of the case except expect.json is evidence. */
static void read_evidence(struct kbd_session *s, const char *dir)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0;
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "expect.json") == 0)
			continue;
		names = kbu_realloc(names, n + 1, sizeof(*names));
		names[n++] = kbu_strdup(e->d_name);
	}
	if (d)
		closedir(d);
	for (size_t i = 0; i < n; i++) {
		char *path = join(dir, names[i]);
		kbd_session_read(s, path);
		free(path);
		free(names[i]);
	}
	free(names);
}

static bool same_path(const char *a, const char *b)
{
	char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
	bool same = ra && rb && strcmp(ra, rb) == 0;
	free(ra);
	free(rb);
	return same;
}

static void run_case(const struct kbd_options *o, const char *rules_dir, const char *case_dir,
		     const char *name, struct tally *t)
{
	char *path = join(case_dir, "expect.json");
	json_error_t jerr = {0};
	json_t *expect = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!expect) {
		kbu_tprintf(stdout, "FAIL %s\n  ! %s:%d:%d: %s\n", name, path, jerr.line, jerr.column, jerr.text);
		t->failed++;
		free(path);
		return;
	}
	struct kbd_options co = *o;
	const char *dirs[o->nrule_dirs + 1];
	for (size_t i = 0; i < o->nrule_dirs; i++)
		dirs[i] = o->rule_dirs[i];
	dirs[o->nrule_dirs] = rules_dir;
	co.rule_dirs = dirs;
	/* the stock rules test themselves without loading twice */
	co.nrule_dirs = o->nrule_dirs + !(!o->no_stock && same_path(rules_dir, kbd_stock_rules_dir()));
	struct kbd_session s;
	struct kbr_report r = {0};
	int problems = -1;
	/* the differences are printed under the FAIL line: print to a buffer first */
	char *out = NULL;
	size_t outlen = 0;
	FILE *mem = open_memstream(&out, &outlen);
	if (!mem)
		kbu_oom(); /* a memory stream fails only when memory runs out */
	if (kbd_session_open(&s, &co) == 0) {
		/* a malformed expect.json would test less than it seems to: the case fails unrun */
		problems = kbd_expect_check(mem, expect, path, s.lua);
		if (problems == 0) {
			read_evidence(&s, case_dir);
			kbd_session_result(&s, &r);
			problems = check(mem, &r, expect, rules_dir, case_dir);
		} else {
			kbd_session_result(&s, &r);
			/* an id "no rule has" is often a rule file that did not load: say why */
			rule_errors(mem, &r, rules_dir, case_dir);
			kbr_free(&r);
			r = (struct kbr_report){0};
		}
		if (problems > 0)
			for (size_t k = 0; k < r.nfindings; k++)
				kbu_tprintf(mem, "    findings made: %s: %s\n", r.findings[k].rule, r.findings[k].message);
		kbr_free(&r);
		kbd_session_close(&s);
	}
	fclose(mem);
	json_decref(expect);
	free(path);
	kbu_tprintf(stdout, "%s %s\n", problems == 0 ? "pass" : "FAIL", name);
	if (problems && out)
		fputs(out, stdout); /* written through kbu_tprintf, escaped already */
	free(out);
	problems == 0 ? t->passed++ : t->failed++;
}

static void run_dir(const struct kbd_options *o, const char *top, const char *dir, struct tally *t)
{
	char *tests = join(dir, "tests");
	DIR *d = opendir(tests);
	if (!d) {
		free(tests);
		return;
	}
	char **names = NULL;
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		names = kbu_realloc(names, n + 1, sizeof(*names));
		names[n++] = kbu_strdup(e->d_name);
	}
	closedir(d);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(names[j], names[i]) < 0) {
				char *x = names[i];
				names[i] = names[j];
				names[j] = x;
			}
	for (size_t i = 0; i < n; i++) {
		char *case_dir = join(tests, names[i]);
		if (is_dir(case_dir))
			run_case(o, top, case_dir, case_dir, t);
		free(case_dir);
		free(names[i]);
	}
	free(names);
	free(tests);
}

/* Finds every tests folder of cases below top; the cases run with all of
 * top's rules. */
static void walk(const struct kbd_options *o, const char *top, const char *dir, int depth, struct tally *t)
{
	run_dir(o, top, dir, t);
	DIR *d = depth < 8 ? opendir(dir) : NULL;
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "tests") == 0)
			continue;
		char *sub = join(dir, e->d_name);
		if (is_dir(sub))
			walk(o, top, sub, depth + 1, t);
		free(sub);
	}
	if (d)
		closedir(d);
}

int kbd_cmd_rules_test(const struct kbd_options *o)
{
	struct tally t = {0};
	if (o->nargs <= 1) {
		walk(o, kbd_stock_rules_dir(), kbd_stock_rules_dir(), 0, &t);
	} else {
		for (size_t i = 1; i < o->nargs; i++) {
			if (!is_dir(o->args[i])) {
				kbu_tprintf(stderr, "kbdiag: rules test %s: not a directory\n", o->args[i]);
				return 2;
			}
			walk(o, o->args[i], o->args[i], 0, &t);
		}
	}
	kbu_tprintf(stdout, "%d passed, %d failed\n", t.passed, t.failed);
	return t.failed ? 1 : t.passed == 0 ? 2 : 0;
}
