/*
 * test_trace.c — the trace recorder and what it feeds: facts with
 * provenance and inputs, activations, firings with bindings, derived facts
 * with justifications, retractions, rule errors, near misses; the JSON
 * document written, read back (byte for byte) and rejected when broken;
 * why-trees, why-not sentences, DOT and PROV-JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "filemap.h"
#include "trace.h"
#include "rule_fixture.h"

static struct kb_engine *eng;
static struct kbt_trace *trace;
static struct kbt_recorder *rec;
static int K_LISTENER, K_PROCESS, K_HOLDER, K_FINDING;

static struct kb_value S(const char *s) { return kb_str(kb_intern_cstr(eng, s)); }

static int setup(void **state)
{
	(void)state;
	static const struct fixture_kind kinds[] = {
		{"listener", 2, {{"port", KB_INT}, {"pid", KB_INT}}},
		{"process", 2, {{"pid", KB_INT}, {"name", KB_STRING}}},
		{"holder", 2, {{"pid", KB_INT}, {"name", KB_STRING}}},
		{"finding", 3, {{"rule", KB_STRING}, {"severity", KB_STRING}, {"message", KB_STRING}}},
	};
	eng = engine_with_kinds(kinds, 4, (int *const[]){&K_LISTENER, &K_PROCESS, &K_HOLDER, &K_FINDING});
	trace = kbt_trace_new();
	rec = kbt_recorder_new(eng, trace);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kbt_recorder_free(rec);
	kb_engine_free(eng);
	kbt_trace_free(trace);
	return 0;
}

/* ---- the scenario: a holder derived from a listener and a process, then a finding */

static int derive_holder(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)ud;
	struct kb_value v[] = {kb_activation_var(act, 0), kb_activation_var(act, 1)};
	return kb_assert(e, K_HOLDER, v, NULL, NULL, err) ? 0 : -1;
}

static int report(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)ud;
	char msg[128];
	snprintf(msg, sizeof(msg), "%s (PID %lld) holds TCP port 110.", kb_activation_var(act, 1).u.s,
		 (long long)kb_activation_var(act, 0).u.i);
	struct kb_value v[] = {S("report"), S("error"), S(msg)};
	return kb_assert(e, K_FINDING, v, NULL, NULL, err) ? 0 : -1;
}

static const struct kb_rule *add_rule(const char *name, const char *const *vars, size_t nvars,
				      const struct kb_cond *conds, size_t nconds, kb_action_fn action)
{
	struct kb_rule_def def = {.name = name, .where = "rules/test.lua:3", .nvars = nvars, .var_names = vars,
				  .nconds = nconds, .conds = conds, .action = action};
	return rule_add_or_fail(eng, &def);
}

#define PAT(kind_, tests_) {.type = KB_COND_PATTERN, .kind = (kind_), .ntests = sizeof(tests_) / sizeof((tests_)[0]), .tests = (tests_), .fact_var = -1}

static const char *const pid_name[] = {"?pid", "?name"};

static void scenario_rules(void)
{
	struct kb_test lt[] = {CONST(0, kb_int(110)), VAR(1, 0)};
	struct kb_test pt[] = {VAR(0, 0), VAR(1, 1)};
	struct kb_cond c1[] = {PAT(K_LISTENER, lt), PAT(K_PROCESS, pt)};
	add_rule("holder", pid_name, 2, c1, 2, derive_holder);
	struct kb_test ht[] = {VAR(0, 0), VAR(1, 1)};
	struct kb_cond c2[] = {PAT(K_HOLDER, ht)};
	add_rule("report", pid_name, 2, c2, 1, report);
}

static void scenario_facts(void)
{
	struct kb_prov np = {KB_ORIGIN_EVIDENCE, "netstat.txt", 6, "  TCP    0.0.0.0:110    0.0.0.0:0    LISTENING    812", {0}};
	struct kb_prov tp = {KB_ORIGIN_EVIDENCE, "tasklist.txt", 10, "PoProxy.exe    812 Console    0    2,104 K", {0}};
	assert_non_null(kb_assert(eng, K_LISTENER, (struct kb_value[]){kb_int(110), kb_int(812)}, &np, NULL, NULL));
	kbt_recorder_input(rec, "netstat.txt", "netstat-ano", 1, NULL, false);
	assert_non_null(kb_assert(eng, K_PROCESS, (struct kb_value[]){kb_int(812), S("PoProxy.exe")}, &tp, NULL, NULL));
	kbt_recorder_input(rec, "tasklist.txt", "tasklist", 1, NULL, false);
}

static void run_scenario(void)
{
	scenario_rules();
	scenario_facts();
	assert_int_equal(kb_run(eng, 0), 2);
	kbt_recorder_finish(rec);
}

static void records_facts_firings_and_justifications(void **state)
{
	(void)state;
	run_scenario();
	assert_int_equal(trace->nfacts, 4);
	const struct kbt_fact *l = kbt_fact(trace, 1), *h = kbt_fact(trace, 3), *f = kbt_fact(trace, 4);
	assert_string_equal(l->kind, "listener");
	assert_int_equal(l->origin, KB_ORIGIN_EVIDENCE);
	assert_string_equal(l->source, "netstat.txt");
	assert_int_equal(l->line, 6);
	assert_string_equal(l->text, "  TCP    0.0.0.0:110    0.0.0.0:0    LISTENING    812");
	assert_int_equal(l->input, 0);
	assert_int_equal(kbt_fact(trace, 2)->input, 1);
	assert_int_equal(l->nslots, 2);
	assert_int_equal(kbt_slot(l, "pid")->u.i, 812);
	assert_string_equal(h->kind, "holder");
	assert_int_equal(h->origin, KB_ORIGIN_DERIVED);
	assert_int_equal(h->firing, 1);
	assert_int_equal(h->npremises, 2);
	assert_int_equal(h->premises[0], 1);
	assert_int_equal(h->premises[1], 2);
	assert_true(kbt_is_finding(f));
	assert_int_equal(f->firing, 2);
	assert_string_equal(kbt_slot_str(f, "message"), "PoProxy.exe (PID 812) holds TCP port 110.");

	assert_int_equal(trace->nfirings, 2);
	const struct kbt_firing *x = kbt_firing(trace, 1);
	assert_string_equal(trace->rules[x->rule].id, "holder");
	assert_int_equal(x->nfacts, 2);
	assert_int_equal(x->facts[1], 2);
	assert_int_equal(x->nbindings, 2);
	assert_string_equal(x->bindings[0].name, "?pid");
	assert_int_equal(x->bindings[0].value.u.i, 812);
	assert_string_equal(x->bindings[1].value.u.s, "PoProxy.exe");

	static const enum kbt_event_type want[] = {KBT_EV_ASSERT, KBT_EV_ASSERT, KBT_EV_ACTIVATE, KBT_EV_FIRE,
						   KBT_EV_ASSERT, KBT_EV_ACTIVATE, KBT_EV_FIRE, KBT_EV_ASSERT};
	assert_int_equal(trace->nevents, 8);
	for (size_t i = 0; i < 8; i++)
		assert_int_equal(trace->events[i].type, want[i]);
	assert_int_equal(trace->events[4].firing, 1); /* the holder, asserted by firing 1 */
	assert_int_equal(trace->events[0].firing, 0);
	assert_int_equal(trace->events[2].nfacts, 2);
	assert_int_equal(x->event, 4);
	assert_int_equal(h->asserted, 5);

	const struct kbt_rule *r = kbt_rule_find(trace, "holder");
	assert_int_equal(r->fired, 1);
	assert_int_equal(r->activations, 1);
	assert_string_equal(r->where, "rules/test.lua:3");
	assert_int_equal(r->nconds, 2);
	assert_string_equal(r->conds[0], "listener { port = 110, pid = ?pid }");
	assert_int_equal(trace->nmisses, 0); /* every rule fired */
	uint32_t *ids;
	assert_int_equal(kbt_findings(trace, &ids), 1);
	assert_int_equal(ids[0], 4);
	free(ids);
	assert_int_equal(kbt_finding_named(trace, "f4"), 4);
	assert_int_equal(kbt_finding_named(trace, "report"), 4);
	assert_int_equal(kbt_finding_named(trace, "f3"), 0);
}

static int retract_first(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)ud, (void)err;
	kb_retract(e, kb_activation_fact(act, 0));
	return 0;
}

static int fail_action(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)e, (void)act, (void)ud;
	kb_error_set(err, KB_ERULE, "rules/test.lua:9", "attempt to index a nil value");
	return -1;
}

static void retractions_and_rule_errors(void **state)
{
	(void)state;
	struct kb_test lt[] = {CONST(0, kb_int(110)), VAR(1, 0)};
	struct kb_cond c[] = {PAT(K_LISTENER, lt)};
	add_rule("drop", pid_name, 1, c, 1, retract_first);
	struct kb_test pt[] = {VAR(0, 0)};
	struct kb_cond c2[] = {PAT(K_PROCESS, pt)};
	add_rule("broken", pid_name, 1, c2, 1, fail_action);
	scenario_facts();
	assert_int_equal(kb_run(eng, 0), 2);
	kbt_recorder_finish(rec);
	const struct kbt_fact *l = kbt_fact(trace, 1);
	assert_int_not_equal(l->retracted, 0);
	assert_int_equal(trace->events[l->retracted - 1].type, KBT_EV_RETRACT);
	const struct kbt_firing *x = &trace->firings[0]; /* depth: the newest activation first */
	assert_string_equal(trace->rules[x->rule].id, "broken");
	assert_int_equal(l->retracted_by, 2);
	assert_int_equal(trace->nerrors, 1);
	assert_string_equal(trace->errors[0].where, "rules/test.lua:9");
	assert_non_null(strstr(trace->errors[0].message, "attempt to index a nil value"));
	assert_int_equal(trace->errors[0].firing, 1);
	assert_string_equal(trace->rules[trace->errors[0].rule].id, "broken");
	assert_false(kbt_rule_find(trace, "broken")->disabled); /* one activation failed, not the rule */
	assert_int_equal(trace->events[trace->nevents - 1].type, KBT_EV_RETRACT);
}

static void near_misses_in_words(void **state)
{
	(void)state;
	struct kb_test lt[] = {CONST(0, kb_int(110)), VAR(1, 0)};
	struct kb_test pt[] = {VAR(0, 0), CONST(1, S("store.exe"))};
	struct kb_cond c[] = {PAT(K_LISTENER, lt), PAT(K_PROCESS, pt)};
	add_rule("store-holder", pid_name, 1, c, 2, report);
	scenario_facts();
	assert_int_equal(kb_run(eng, 0), 0);
	kbt_recorder_finish(rec);
	assert_int_equal(trace->nmisses, 1);
	const struct kbt_near_miss *m = &trace->misses[0];
	assert_int_equal(m->cond, 1);
	assert_int_equal(m->reason, KB_NEAR_NO_MATCH);
	assert_string_equal(m->kind, "process");
	assert_int_equal(m->nmatched, 1);
	assert_int_equal(m->matched[0], 1);
	assert_int_equal(m->nbindings, 1);
	assert_int_equal(m->bindings[0].value.u.i, 812);
	assert_int_equal(m->nclosest, 1);
	assert_int_equal(m->closest[0].fact, 2);
	const struct kbt_failure *f = &m->closest[0].failures[0];
	assert_string_equal(f->text, "name = \"store.exe\"");
	assert_string_equal(f->slot, "name");
	assert_string_equal(f->op, "eq");
	assert_string_equal(f->wanted.u.s, "store.exe");
	assert_string_equal(f->observed.u.s, "PoProxy.exe");
	char *buf;
	size_t len;
	FILE *out = open_memstream(&buf, &len);
	kbt_why_not_summary(trace, m, out);
	fclose(out);
	assert_string_equal(buf, "store-holder did not fire: the process's name is \"PoProxy.exe\" (f2, tasklist.txt:10), "
				 "the rule needs \"store.exe\", with ?pid = 812.\n");
	free(buf);
	out = open_memstream(&buf, &len);
	assert_int_equal(kbt_render_why_not(trace, "store-holder", NULL, out), 0);
	assert_int_equal(kbt_render_why_not(trace, "nope", NULL, out), 1);
	fclose(out);
	assert_non_null(strstr(buf, "> 2. process { pid = ?pid, name = \"store.exe\" }"));
	assert_non_null(strstr(buf, "1. listener { port = 110, pid = ?pid }   matched f1"));
	assert_non_null(strstr(buf, "f2, tasklist.txt:10: PoProxy.exe"));
	assert_non_null(strstr(buf, "name = \"store.exe\", but it has \"PoProxy.exe\""));
	assert_non_null(strstr(buf, "There is no rule nope in this trace."));
	free(buf);
}

static char *why_not_text(const char *rule, kbt_evidence_fn evidence)
{
	char *buf;
	size_t len;
	FILE *out = open_memstream(&buf, &len);
	assert_int_equal(kbt_render_why_not(trace, rule, evidence, out), 0);
	fclose(out);
	return buf;
}

/* Where processes come from, as the CLI answers from facts/. */
static size_t process_evidence(const char *kind, const char *slot, struct kbt_evidence *out, size_t max)
{
	static const char *const formats[] = {"tasklist", NULL};
	(void)slot;
	if (strcmp(kind, "process") != 0 || max < 1)
		return 0;
	out[0] = (struct kbt_evidence){"windows", "tasklist listing", "`tasklist /svc`", formats};
	return 1;
}

/* report needs a holder; holder needs a process, which no input gave;
 * "again" makes holders too, but needs one first. */
static void why_not_follows_derived_kinds_to_missing_evidence(void **state)
{
	(void)state;
	scenario_rules();
	struct kb_test ht[] = {VAR(0, 0), VAR(1, 1)};
	struct kb_cond c[] = {PAT(K_HOLDER, ht)};
	add_rule("again", pid_name, 2, c, 1, derive_holder);
	kbt_recorder_rule_info(rec, kb_rule_find(eng, "holder"), NULL, NULL, NULL, (const char *[]){"holder", NULL});
	kbt_recorder_rule_info(rec, kb_rule_find(eng, "again"), NULL, NULL, NULL, (const char *[]){"holder", NULL});
	struct kb_prov np = {KB_ORIGIN_EVIDENCE, "netstat.txt", 6, "  TCP    0.0.0.0:110    0.0.0.0:0    LISTENING    812", {0}};
	assert_non_null(kb_assert(eng, K_LISTENER, (struct kb_value[]){kb_int(110), kb_int(812)}, &np, NULL, NULL));
	kbt_recorder_input(rec, "netstat.txt", "netstat-ano", 1, NULL, false);
	assert_int_equal(kb_run(eng, 0), 0);
	kbt_recorder_finish(rec);

	char *buf = why_not_text("report", process_evidence);
	size_t len;
	assert_non_null(strstr(buf, "report did not fire: there is no holder fact (condition 1, holder { pid = ?pid, "
				    "name = ?name }), and no rule made one:\n"));
	assert_non_null(strstr(buf, "\n    holder did not fire: evidence missing: no input gave a process fact (condition 2"));
	assert_non_null(strstr(buf, "\n        The evidence has no tasklist listing: collect `tasklist /svc`.\n"));
	assert_null(strstr(buf, "again did not fire"));
	free(buf);

	FILE *out = open_memstream(&buf, &len);
	assert_int_equal(kbt_render_why_not_json(trace, "report", process_evidence, out), 0);
	fclose(out);
	json_error_t jerr;
	json_t *j = json_loads(buf, 0, &jerr);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "cause")), "not_derived");
	json_t *maker = json_array_get(json_object_get(j, "because"), 0);
	assert_string_equal(json_string_value(json_object_get(maker, "rule")), "holder");
	assert_string_equal(json_string_value(json_object_get(maker, "cause")), "evidence_missing");
	assert_int_equal(json_integer_value(json_object_get(maker, "condition")), 2);
	json_t *next = json_array_get(json_object_get(j, "collect_next"), 0);
	assert_string_equal(json_string_value(json_object_get(next, "command")), "`tasklist /svc`");
	assert_int_equal(json_array_size(json_object_get(j, "collect_next")), 1);
	json_decref(j);
	free(buf);
}

/* Two rules that make each other's kind: each is explained once, the
 * second time round it is "see above". */
static void why_not_ends_cycles(void **state)
{
	(void)state;
	struct kb_test ht[] = {VAR(0, 0), VAR(1, 1)};
	struct kb_test pt[] = {VAR(0, 0), VAR(1, 1)};
	struct kb_cond needs_holder[] = {PAT(K_HOLDER, ht)}, needs_process[] = {PAT(K_PROCESS, pt)};
	add_rule("report", pid_name, 2, needs_holder, 1, report);
	add_rule("process-to-holder", pid_name, 2, needs_process, 1, derive_holder);
	add_rule("holder-to-process", pid_name, 2, needs_holder, 1, derive_holder);
	kbt_recorder_rule_info(rec, kb_rule_find(eng, "process-to-holder"), NULL, NULL, NULL, (const char *[]){"holder", NULL});
	kbt_recorder_rule_info(rec, kb_rule_find(eng, "holder-to-process"), NULL, NULL, NULL, (const char *[]){"process", NULL});
	assert_int_equal(kb_run(eng, 0), 0);
	kbt_recorder_finish(rec);
	char *buf = why_not_text("process-to-holder", NULL);
	assert_non_null(strstr(buf, "process-to-holder did not fire: there is no process fact"));
	assert_non_null(strstr(buf, "\n    holder-to-process did not fire: there is no holder fact"));
	assert_non_null(strstr(buf, "\n        process-to-holder did not fire: see above.\n"));
	free(buf);
}

static char *render(int (*fn)(const struct kbt_trace *, FILE *), const struct kbt_trace *t)
{
	char *buf;
	size_t len;
	FILE *out = open_memstream(&buf, &len);
	assert_int_equal(fn(t, out), 0);
	fclose(out);
	return buf;
}

static void why_tree_reaches_the_evidence(void **state)
{
	(void)state;
	run_scenario();
	char *buf;
	size_t len;
	FILE *out = open_memstream(&buf, &len);
	assert_int_equal(kbt_render_why(trace, 4, "> ", out), 0);
	fclose(out);
	const char *want =
		"> f4 finding report (error): PoProxy.exe (PID 812) holds TCP port 110.\n"
		">   made by firing #2 of rule report (rules/test.lua:3)\n"
		">   with ?pid = 812, ?name = \"PoProxy.exe\"\n"
		">   1. holder { pid = ?pid, name = ?name }\n"
		">        f3 holder { pid = 812, name = \"PoProxy.exe\" }\n"
		">          made by firing #1 of rule holder (rules/test.lua:3)\n"
		">          with ?pid = 812, ?name = \"PoProxy.exe\"\n"
		">          1. listener { port = 110, pid = ?pid }\n"
		">               f1 listener { port = 110, pid = 812 }\n"
		">                 evidence netstat.txt:6\n"
		">                 |   TCP    0.0.0.0:110    0.0.0.0:0    LISTENING    812\n"
		">          2. process { pid = ?pid, name = ?name }\n"
		">               f2 process { pid = 812, name = \"PoProxy.exe\" }\n"
		">                 evidence tasklist.txt:10\n"
		">                 | PoProxy.exe    812 Console    0    2,104 K\n";
	assert_string_equal(buf, want);
	free(buf);
	assert_int_equal(kbt_render_why(trace, 99, "", stderr), -1);
}

static char *write_temp(const char *text)
{
	char *path = strdup("/tmp/kbdiag-test-trace-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void json_round_trip(void **state)
{
	(void)state;
	run_scenario();
	char *first = render(kbt_write_json, trace);
	char *path = write_temp(first), err[256];
	struct kbt_trace *back = kbt_read_json(path, err, sizeof(err));
	if (!back)
		fail_msg("%s", err);
	char *second = render(kbt_write_json, back);
	assert_string_equal(first, second);
	char *t1 = render(kbt_render_text, trace), *t2 = render(kbt_render_text, back);
	assert_string_equal(t1, t2);
	json_t *doc = json_loads(first, 0, NULL);
	assert_int_equal(json_integer_value(json_object_get(doc, "kbdiag_trace")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(doc, "findings"), 0), "fact")), "f4");
	json_decref(doc);
	unlink(path);
	free(path);
	free(first);
	free(second);
	free(t1);
	free(t2);
	kbt_trace_free(back);
}

static void expect_rejected(const char *text, const char *message)
{
	char *path = write_temp(text), err[256] = "";
	struct kbt_trace *t = kbt_read_json(path, err, sizeof(err));
	unlink(path);
	free(path);
	if (t)
		fail_msg("accepted: %s", text);
	if (!strstr(err, message))
		fail_msg("error '%s' lacks '%s'", err, message);
}

#define EMPTY "\"inputs\": [], \"rules\": [], \"firings\": [], \"events\": [], \"findings\": [], \"errors\": [], \"near_misses\": []"

static void broken_traces_rejected(void **state)
{
	(void)state;
	expect_rejected("[]", "not a JSON object");
	expect_rejected("{\"x\": 1}", "no \"kbdiag_trace\"");
	expect_rejected("{\"kbdiag_trace\": 2}", "trace format 2");
	expect_rejected("{\"kbdiag_trace\": 1, " EMPTY "}", "facts is not an array");
	expect_rejected("{\"kbdiag_trace\": 1, " EMPTY ", \"facts\": [{\"id\": \"f1\", \"kind\": \"k\", \"slots\": {}, "
			"\"origin\": \"derived\", \"premises\": [\"f7\"], \"asserted\": 1}]}",
			"names f7, which is not among the facts");
	expect_rejected("{\"kbdiag_trace\": 1, " EMPTY ", \"facts\": [{\"id\": \"f1\", \"kind\": \"k\", \"slots\": {}, "
			"\"origin\": \"derived\", \"premises\": [\"f1\"], \"asserted\": 1}]}",
			"f1 rests on f1, which is not older");
	expect_rejected("{\"kbdiag_trace\": 1, " EMPTY ", \"facts\": [{\"id\": \"x1\", \"kind\": \"k\", \"slots\": {}, "
			"\"origin\": \"evidence\"}]}",
			"facts[0] is not a fact");
	expect_rejected("{\"kbdiag_trace\": 1, " EMPTY ", \"facts\": [{\"id\": \"f1\", \"kind\": \"k\", \"slots\": {\"a\": []}, "
			"\"origin\": \"evidence\"}]}",
			"is not a string, number, boolean or null");
	expect_rejected("{\"kbdiag_trace\": 1, \"inputs\": [], \"rules\": [], \"facts\": [], \"firings\": [{\"n\": 1, "
			"\"rule\": \"ghost\", \"facts\": [], \"bindings\": {}}], \"events\": [], \"errors\": [], \"near_misses\": []}",
			"no rule \"ghost\"");
}

static void dot_and_prov(void **state)
{
	(void)state;
	run_scenario();
	char *dot = render(kbt_render_dot, trace);
	assert_non_null(strstr(dot, "digraph kbdiag_trace {"));
	assert_non_null(strstr(dot, "e1 -> f1 [style=dashed"));
	assert_non_null(strstr(dot, "f1 -> x1 [label=\"1\"]"));
	assert_non_null(strstr(dot, "x1 -> f3;"));
	assert_non_null(strstr(dot, "x2 -> f4;"));
	assert_non_null(strstr(dot, "label=\"netstat.txt (netstat-ano)\""));
	free(dot);
	char *prov = render(kbt_render_prov, trace);
	json_t *doc = json_loads(prov, 0, NULL);
	assert_non_null(doc);
	json_t *ent = json_object_get(json_object_get(doc, "entity"), "kbdiag:f4");
	assert_string_equal(json_string_value(json_array_get(json_object_get(ent, "prov:type"), 1)), "kbdiag:Finding");
	json_t *plan = json_object_get(json_object_get(doc, "entity"), "kbdiag:file/rules%2Ftest.lua");
	assert_string_equal(json_string_value(json_object_get(plan, "prov:type")), "prov:Plan");
	size_t found = 0;
	const char *key;
	json_t *rel;
	json_object_foreach(json_object_get(doc, "wasGeneratedBy"), key, rel)
		found += strcmp(json_string_value(json_object_get(rel, "prov:entity")), "kbdiag:f3") == 0 &&
			 strcmp(json_string_value(json_object_get(rel, "prov:activity")), "kbdiag:firing-1") == 0;
	assert_int_equal(found, 1);
	found = 0;
	json_object_foreach(json_object_get(doc, "wasAssociatedWith"), key, rel)
		found += json_object_get(rel, "prov:plan") != NULL;
	assert_int_equal(found, 2);
	json_decref(doc);
	free(prov);
}

static void same_run_with_and_without_recorder(void **state)
{
	(void)state;
	kbt_recorder_free(rec);
	rec = NULL;
	scenario_rules();
	struct kb_prov np = {KB_ORIGIN_EVIDENCE, "netstat.txt", 6, NULL, {0}};
	kb_assert(eng, K_LISTENER, (struct kb_value[]){kb_int(110), kb_int(812)}, &np, NULL, NULL);
	kb_assert(eng, K_PROCESS, (struct kb_value[]){kb_int(812), S("PoProxy.exe")}, &np, NULL, NULL);
	assert_int_equal(kb_run(eng, 0), 2);
	assert_int_equal(kb_fact_count(eng), 4);
	assert_int_equal(trace->nevents, 0); /* nothing recorded once unhooked */
}

/* The writer takes plain text eight bytes at a time: a byte to escape or
 * check (a control, '"', '\\', a UTF-8 sequence, a stray 0xff) is found at
 * every place within and across those eight, and text around it survives. */
static void escapes_found_at_every_offset(void **state)
{
	(void)state;
	static const char *const odd[] = {"\x01", "\x1f", "\"", "\\", "\xc3\xa9", "\xff", "\x7f"};
	static const char *const back[] = {"\x01", "\x1f", "\"", "\\", "\xc3\xa9", "\xef\xbf\xbd", "\x7f"};
	struct kb_slot_decl decl[] = {{"s", KB_STRING}};
	int k = kb_kind_declare(eng, "text", 1, decl, NULL);
	for (size_t o = 0; o < sizeof(odd) / sizeof(odd[0]); o++)
		for (int at = 0; at <= 17; at++) {
			char in[64], want[64];
			snprintf(in, sizeof(in), "%.*s%s%.*s", at, "abcdefghijklmnopq", odd[o], 19 - at, "ABCDEFGHIJKLMNOPQRS");
			snprintf(want, sizeof(want), "%.*s%s%.*s", at, "abcdefghijklmnopq", back[o], 19 - at, "ABCDEFGHIJKLMNOPQRS");
			assert_non_null(kb_assert(eng, k, (struct kb_value[]){S(in)}, NULL, NULL, NULL));
			char *text = render(kbt_write_json, trace);
			json_error_t jerr;
			json_t *doc = json_loads(text, 0, &jerr);
			if (!doc)
				fail_msg("not JSON (%zu at %d): %s", o, at, jerr.text);
			json_t *facts = json_object_get(doc, "facts");
			json_t *last = json_array_get(facts, json_array_size(facts) - 1);
			assert_string_equal(json_string_value(json_object_get(json_object_get(last, "slots"), "s")), want);
			json_decref(doc);
			free(text);
		}
}

static void odd_strings_and_numbers_survive(void **state)
{
	(void)state;
	struct kb_slot_decl odd[] = {{"s", KB_STRING}, {"x", KB_FLOAT}, {"b", KB_BOOL}};
	int k = kb_kind_declare(eng, "odd", 3, odd, NULL);
	struct kb_value v[] = {S("a\x01" "b\xff" "c\"\\d\ne\xc3\xa9"), kb_float(3.0), kb_bool(true)};
	assert_non_null(kb_assert(eng, k, v, NULL, NULL, NULL));
	char *text = render(kbt_write_json, trace);
	json_error_t jerr;
	json_t *doc = json_loads(text, 0, &jerr);
	if (!doc)
		fail_msg("not JSON: %s", jerr.text);
	json_t *slots = json_object_get(json_array_get(json_object_get(doc, "facts"), 0), "slots");
	assert_string_equal(json_string_value(json_object_get(slots, "s")), "a\x01" "b\xef\xbf\xbd" "c\"\\d\ne\xc3\xa9");
	assert_true(json_is_real(json_object_get(slots, "x")));
	json_decref(doc);
	char err[256];
	struct kbt_trace *back = kbt_read_json_buffer(text, strlen(text), err, sizeof(err));
	if (!back)
		fail_msg("%s", err);
	const struct kb_value *x = kbt_slot(kbt_fact(back, 1), "x");
	assert_int_equal(x->type, KB_FLOAT);
	assert_true(x->u.f == 3.0);
	assert_true(kbt_slot(kbt_fact(back, 1), "b")->u.b);
	kbt_trace_free(back);
	free(text);
}

/* ---- read as a stream ---------------------------------------------------------- */

static struct kbt_trace *read_back(const char *text)
{
	char *path = write_temp(text), err[256];
	struct kbt_trace *back = kbt_read_json(path, err, sizeof(err));
	unlink(path);
	free(path);
	if (!back)
		fail_msg("%s", err);
	return back;
}

/* text with its top-level "kbdiag_trace" moved last: every section waits
 * for the version and is read after the reader has gone past it. */
static char *version_last(const char *text)
{
	const char *head = "{\n \"kbdiag_trace\": 1,\n", *tail = "\n}\n", *moved = ",\n \"kbdiag_trace\": 1\n}\n";
	size_t n = strlen(text);
	assert_memory_equal(text, head, strlen(head));
	assert_string_equal(text + n - strlen(tail), tail);
	char *out = malloc(n + strlen(moved));
	size_t k = (size_t)sprintf(out, "{\n");
	memcpy(out + k, text + strlen(head), n - strlen(head) - strlen(tail));
	k += n - strlen(head) - strlen(tail);
	strcpy(out + k, moved);
	return out;
}

static void sections_in_any_order(void **state)
{
	(void)state;
	run_scenario();
	char *first = render(kbt_write_json, trace), *moved = version_last(first);
	struct kbt_trace *back = read_back(moved);
	char *second = render(kbt_write_json, back);
	assert_string_equal(first, second);
	kbt_trace_free(back);
	free(first);
	free(second);
	free(moved);
}

static void long_names_survive(void **state)
{
	(void)state;
	char name[400];
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	struct kb_slot_decl decl[] = {{name, KB_STRING}};
	int k = kb_kind_declare(eng, "long", 1, decl, NULL);
	assert_non_null(kb_assert(eng, k, (struct kb_value[]){S("v")}, NULL, NULL, NULL));
	char *first = render(kbt_write_json, trace);
	struct kbt_trace *back = read_back(first);
	assert_string_equal(kbt_slot_str(kbt_fact(back, 1), name), "v");
	kbt_trace_free(back);
	free(first);
}

/* A trace of one fact with these slots. */
#define FACT(slots_) "{\"kbdiag_trace\": 1, " EMPTY ", \"facts\": [{\"id\": \"f1\", \"kind\": \"k\", " \
	"\"slots\": " slots_ ", \"origin\": \"evidence\", \"asserted\": 1}]}"
#define INPUT(text_) "{\"kbdiag_trace\": 1,\n \"inputs\": [\n  " text_ "]}"

static void stream_problems_say_where(void **state)
{
	(void)state;
	expect_rejected("{\"kbdiag_trace\": 1, " EMPTY ", \"facts\": [{\"id\": \"f1\", \"kind\": \"k\", \"kind\": \"j\"}]}",
			"line 1: facts[0] names \"kind\" twice");
	expect_rejected(FACT("{\"a\": 1, \"a\": 2}"), "facts[0].slots names \"a\" twice");
	expect_rejected(FACT("{\"a\": \"x\\u0000y\"}"), "facts[0].slots.a holds \\u0000");
	expect_rejected(FACT("{\"a\": \"\xff\"}"), "a string that is not UTF-8");
	expect_rejected(FACT("{\"a\": 1e999}"), "number out of range");
	expect_rejected("{\"kbdiag_trace\": 1, \"inputs\": [], \"inputs\": []}", "\"inputs\" is given twice");
	expect_rejected(INPUT("{\"path\": 7}"), "line 3: inputs[0].path is not a string");
	expect_rejected(INPUT("{\"path\" 7}"), "line 3, column 11: ':' expected");
	expect_rejected("{\"kbdiag_trace\": 1, " EMPTY ", \"facts\": [{\"id\": \"f1\", \"kind\": \"k\", \"slots\": {}, "
			"\"origin\": \"derived\", \"premises\": [\"f1\", 3], \"asserted\": 1}]}",
			"facts[0].premises[1] is not a fact");
	expect_rejected("", "a value expected");
	expect_rejected("{\"kbdiag_trace\": 1} x", "text after the end of the document");
}

/* Facts enough for a trace several times the steps in which the reader
 * gives the file back (util/filemap.h), each with a record of its own. */
#define MANY 70000

static void big_trace_reads_back_the_same(void **state)
{
	(void)state;
	scenario_rules();
	for (int i = 0; i < MANY; i++) {
		char text[256], name[32];
		snprintf(text, sizeof(text), "%-24s %6d Services    0    %6d K   NT AUTHORITY\\SYSTEM   0:00:%02d   "
			 "C:\\Program Files\\Vendor %d\\agent.exe --config C:\\ProgramData\\Vendor\\agent-%d.xml",
			 "agent.exe", 10000 + i, 1000 + i % 9000, i % 60, i % 97, i);
		snprintf(name, sizeof(name), "agent-%d.exe", i);
		struct kb_prov p = {KB_ORIGIN_EVIDENCE, "tasklist.txt", i + 20, text, {0}};
		assert_non_null(kb_assert(eng, K_PROCESS, (struct kb_value[]){kb_int(10000 + i), S(name)}, &p, NULL, NULL));
	}
	kbt_recorder_input(rec, "tasklist.txt", "tasklist", MANY, NULL, false);
	scenario_facts();
	assert_int_equal(kb_run(eng, 0), 2);
	kbt_recorder_finish(rec);
	char *first = render(kbt_write_json, trace);
	assert_true(strlen(first) > 3 * KBU_FILEMAP_STEP);
	char *moved = version_last(first);
	struct kbt_trace *back = read_back(first), *again = read_back(moved);
	char *second = render(kbt_write_json, back), *third = render(kbt_write_json, again);
	assert_true(strcmp(first, second) == 0); /* not assert_string_equal: it would print megabytes */
	assert_true(strcmp(first, third) == 0);
	char *t1 = render(kbt_render_text, trace), *t2 = render(kbt_render_text, back);
	assert_string_equal(t1, t2);
	uint32_t *ids;
	assert_int_equal(kbt_findings(back, &ids), 1);
	char *w1, *w2;
	size_t n1, n2;
	FILE *o1 = open_memstream(&w1, &n1), *o2 = open_memstream(&w2, &n2);
	assert_int_equal(kbt_render_why(trace, ids[0], "", o1), 0);
	assert_int_equal(kbt_render_why(back, ids[0], "", o2), 0);
	fclose(o1);
	fclose(o2);
	assert_string_equal(w1, w2);
	assert_non_null(strstr(w2, "evidence tasklist.txt:10"));
	free(ids);
	free(w1);
	free(w2);
	free(t1);
	free(t2);
	free(first);
	free(second);
	free(third);
	free(moved);
	kbt_trace_free(back);
	kbt_trace_free(again);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(records_facts_firings_and_justifications),
		T(retractions_and_rule_errors),
		T(near_misses_in_words),
		T(why_not_follows_derived_kinds_to_missing_evidence),
		T(why_not_ends_cycles),
		T(why_tree_reaches_the_evidence),
		T(json_round_trip),
		T(broken_traces_rejected),
		T(dot_and_prov),
		T(same_run_with_and_without_recorder),
		T(odd_strings_and_numbers_survive),
		T(escapes_found_at_every_offset),
		T(sections_in_any_order),
		T(long_names_survive),
		T(stream_problems_say_where),
		T(big_trace_reads_back_the_same),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
