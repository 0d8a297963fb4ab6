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
 * message; evidence: every source:line is among the evidence), `must_not`
 * ones must not, and with "only" no finding outside `must` may be made.
 * Each case runs in a fresh engine with the stock rules (unless
 * --no-stock), the rule directories the options name, and DIR.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "commands.h"
#include "ruledirs.h"
#include "session.h"

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

static bool has_evidence(const struct kbr_finding *f, json_t *wanted)
{
	size_t i;
	json_t *w;
	json_array_foreach(wanted, i, w) {
		bool found = false;
		for (size_t e = 0; e < f->nevidence && !found; e++) {
			char src[512];
			snprintf(src, sizeof(src), "%s:%d", f->evidence[e].source ? f->evidence[e].source : "",
				 f->evidence[e].line);
			found = json_is_string(w) && strcmp(src, json_string_value(w)) == 0;
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

/* Compares the run's findings with the expectations; prints each miss. */
static int check(const char *name, const struct kbr_report *r, json_t *expect)
{
	int problems = 0;
	size_t i;
	json_t *w;
	bool *wanted = calloc(r->nfindings + 1, sizeof(*wanted));
	json_array_foreach(json_object_get(expect, "must"), i, w) {
		bool found = false;
		for (size_t k = 0; k < r->nfindings; k++)
			if (matches(&r->findings[k], w))
				found = wanted[k] = true;
		if (!found) {
			char *s = json_dumps(w, JSON_COMPACT);
			printf("FAIL %s: no finding %s\n", name, s ? s : "?");
			free(s);
			problems++;
		}
	}
	json_array_foreach(json_object_get(expect, "must_not"), i, w)
		for (size_t k = 0; k < r->nfindings; k++)
			if (matches(&r->findings[k], w)) {
				printf("FAIL %s: unexpected %s: %s\n", name, r->findings[k].rule, r->findings[k].message);
				problems++;
			}
	if (json_is_true(json_object_get(expect, "only")))
		for (size_t k = 0; k < r->nfindings; k++)
			if (!wanted[k]) {
				printf("FAIL %s: finding outside 'must': %s: %s\n", name, r->findings[k].rule,
				       r->findings[k].message);
				problems++;
			}
	for (size_t k = 0; problems && k < r->nfindings; k++)
		printf("  made: %s: %s\n", r->findings[k].rule, r->findings[k].message);
	for (size_t k = 0; problems && k < r->nerrors; k++)
		printf("  problem: %s: %s\n", r->errors[k].where, r->errors[k].message);
	free(wanted);
	return problems;
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
		char **v = realloc(names, (n + 1) * sizeof(*v));
		if (!v)
			break;
		names = v;
		names[n++] = strdup(e->d_name);
	}
	if (d)
		closedir(d);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		kbd_session_read(s, path);
		free(names[i]);
	}
	free(names);
}

static bool same_path(const char *a, const char *b)
{
	char ra[4096], rb[4096];
	return realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
}

static void run_case(const struct kbd_options *o, const char *rules_dir, const char *case_dir,
		     const char *name, struct tally *t)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/expect.json", case_dir);
	json_error_t jerr;
	json_t *expect = json_load_file(path, 0, &jerr);
	if (!expect) {
		printf("FAIL %s: %s:%d:%d: %s\n", name, path, jerr.line, jerr.column, jerr.text);
		t->failed++;
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
	int problems = 1;
	if (kbd_session_open(&s, &co) == 0) {
		read_evidence(&s, case_dir);
		if (kbd_session_result(&s, &r) == 0)
			problems = check(name, &r, expect);
		kbr_free(&r);
	}
	kbd_session_close(&s);
	json_decref(expect);
	if (problems == 0)
		printf("pass %s\n", name);
	problems ? t->failed++ : t->passed++;
}

static void run_dir(const struct kbd_options *o, const char *top, const char *dir, struct tally *t)
{
	char tests[4096];
	snprintf(tests, sizeof(tests), "%s/tests", dir);
	DIR *d = opendir(tests);
	if (!d)
		return;
	char **names = NULL;
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		char **v = e->d_name[0] != '.' ? realloc(names, (n + 1) * sizeof(*v)) : NULL;
		if (!v)
			continue;
		names = v;
		names[n++] = strdup(e->d_name);
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
		char case_dir[8192], name[8192];
		snprintf(case_dir, sizeof(case_dir), "%s/%s", tests, names[i]);
		snprintf(name, sizeof(name), "%s/tests/%s", dir, names[i]);
		if (is_dir(case_dir))
			run_case(o, top, case_dir, name, t);
		free(names[i]);
	}
	free(names);
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
		char sub[4096];
		snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
		if (is_dir(sub))
			walk(o, top, sub, depth + 1, t);
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
				fprintf(stderr, "kbdiag: rules test %s: not a directory\n", o->args[i]);
				return 2;
			}
			walk(o, o->args[i], o->args[i], 0, &t);
		}
	}
	printf("%d passed, %d failed\n", t.passed, t.failed);
	return t.failed ? 1 : t.passed == 0 ? 2 : 0;
}
