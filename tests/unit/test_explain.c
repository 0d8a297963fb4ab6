/*
 * test_explain.c — the core's explanation API (engine/explain.c): near
 * misses read off the network (first condition, deeper partial matches,
 * negations that block, false tests, complete but unfired matches, the
 * closest facts and the tests they fail), variable values of a match, rule
 * enumeration, the running firing and activation numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kb.h"
#include "rule_fixture.h"

static struct kb_engine *eng;
static int K_HOST, K_LISTENER, K_PROCESS;

static int setup(void **state)
{
	(void)state;
	static const struct fixture_kind kinds[] = {
		{"host", 2, {{"name", KB_STRING}, {"service_pack", KB_INT}}},
		{"listener", 2, {{"port", KB_INT}, {"pid", KB_INT}}},
		{"process", 2, {{"pid", KB_INT}, {"name", KB_STRING}}},
	};
	eng = engine_with_kinds(kinds, 3, (int *const[]){&K_HOST, &K_LISTENER, &K_PROCESS});
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kb_engine_free(eng);
	return 0;
}

static struct kb_value S(const char *s) { return kb_str(kb_intern_cstr(eng, s)); }

static const struct kb_fact *assert2(int kind, struct kb_value a, struct kb_value b)
{
	return assert_two(eng, kind, a, b);
}

static int noop(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)e, (void)act, (void)ud, (void)err;
	return 0;
}

static const struct kb_rule *add_rule(const char *name, size_t nvars, const char *const *vars,
				      const struct kb_cond *conds, size_t nconds, kb_action_fn action)
{
	struct kb_rule_def def = {.name = name, .where = "test.lua:1", .nvars = nvars, .var_names = vars,
				  .nconds = nconds, .conds = conds, .action = action ? action : noop};
	return rule_add_or_fail(eng, &def);
}

#define COND(type_, kind_, tests_) {.type = (type_), .kind = (kind_), .ntests = sizeof(tests_) / sizeof((tests_)[0]), .tests = (tests_), .fact_var = -1}

static void near_miss_at_the_first_condition(void **state)
{
	(void)state;
	struct kb_test ht[] = {CONST(0, S("EXCH01")), CONST(1, kb_int(4))};
	struct kb_cond c[] = {COND(KB_COND_PATTERN, K_HOST, ht)};
	const struct kb_rule *r = add_rule("needs-sp4", 0, NULL, c, 1, NULL);
	const struct kb_fact *h = assert2(K_HOST, S("EXCH01"), kb_int(6));
	assert2(K_HOST, S("OTHER"), kb_int(3));
	assert_int_equal(kb_run(eng, 0), 0);
	struct kb_near_miss m;
	kb_rule_near_miss(eng, r, &m);
	assert_int_equal(m.cond, 0);
	assert_int_equal(m.reason, KB_NEAR_NO_MATCH);
	assert_int_equal(m.partial, 1);
	assert_int_equal(m.candidates, 2);
	assert_int_equal(m.nclosest, 2);
	assert_ptr_equal(m.closest[0].fact, h);
	assert_int_equal(m.closest[0].nfailed, 1);
	assert_int_equal(m.closest[0].failed[0].test, 1);
	assert_int_equal(m.closest[0].failed[0].wanted.type, KB_INT);
	assert_int_equal(m.closest[0].failed[0].wanted.u.i, 4);
	assert_int_equal(m.closest[1].nfailed, 2);
}

static void no_fact_of_the_kind(void **state)
{
	(void)state;
	struct kb_test ht[] = {CONST(1, kb_int(4))};
	struct kb_test pt[] = {CONST(1, S("store.exe"))};
	struct kb_cond c[] = {COND(KB_COND_PATTERN, K_HOST, ht), COND(KB_COND_PATTERN, K_PROCESS, pt)};
	const struct kb_rule *r = add_rule("r", 0, NULL, c, 2, NULL);
	assert2(K_HOST, S("EXCH01"), kb_int(4));
	kb_run(eng, 0);
	struct kb_near_miss m;
	kb_rule_near_miss(eng, r, &m);
	assert_int_equal(m.cond, 1);
	assert_int_equal(m.reason, KB_NEAR_NO_FACT);
	assert_int_equal(m.candidates, 0);
	assert_int_equal(m.nclosest, 0);
	assert_int_equal(m.matched[0]->slots[1].u.i, 4);
}

/* listener{port = 110, pid = ?pid}, process{pid = ?pid, name = "store.exe"} */
static const struct kb_rule *store_rule(void)
{
	static struct kb_test lt[2], pt[2];
	struct kb_test l[] = {CONST(0, kb_int(110)), VAR(1, 0)};
	struct kb_test p[] = {VAR(0, 0), CONST(1, S("store.exe"))};
	memcpy(lt, l, sizeof(l));
	memcpy(pt, p, sizeof(p));
	static const char *const vars[] = {"?pid"};
	struct kb_cond c[] = {COND(KB_COND_PATTERN, K_LISTENER, lt), COND(KB_COND_PATTERN, K_PROCESS, pt)};
	return add_rule("store-holds-110", 1, vars, c, 2, NULL);
}

static void deeper_partial_match_and_closest_facts(void **state)
{
	(void)state;
	const struct kb_rule *r = store_rule();
	const struct kb_fact *l = assert2(K_LISTENER, kb_int(110), kb_int(812));
	const struct kb_fact *poproxy = assert2(K_PROCESS, kb_int(812), S("PoProxy.exe"));
	const struct kb_fact *other = assert2(K_PROCESS, kb_int(900), S("other.exe"));
	assert2(K_LISTENER, kb_int(25), kb_int(900));
	assert_int_equal(kb_run(eng, 0), 0);
	struct kb_near_miss m;
	kb_rule_near_miss(eng, r, &m);
	assert_int_equal(m.cond, 1);
	assert_int_equal(m.reason, KB_NEAR_NO_MATCH);
	assert_int_equal(m.partial, 1);
	assert_ptr_equal(m.matched[0], l);
	assert_int_equal(m.candidates, 2);
	assert_int_equal(m.nclosest, 2);
	assert_ptr_equal(m.closest[0].fact, poproxy);
	assert_int_equal(m.closest[0].nfailed, 1);
	assert_int_equal(m.closest[0].failed[0].test, 1);
	assert_string_equal(m.closest[0].failed[0].wanted.u.s, "store.exe");
	assert_ptr_equal(m.closest[1].fact, other);
	assert_int_equal(m.closest[1].nfailed, 2);
	assert_int_equal(m.closest[1].failed[0].test, 0);
	assert_int_equal(m.closest[1].failed[0].wanted.u.i, 812); /* ?pid from the listener */
	struct kb_value pid = kb_rule_var_value(r, 0, 0, m.matched, m.cond);
	assert_int_equal(pid.type, KB_INT);
	assert_int_equal(pid.u.i, 812);
	assert_int_equal(kb_rule_var_value(r, 0, 0, m.matched, 0).type, KB_NIL);
}

static void best_of_several_partial_matches(void **state)
{
	(void)state;
	const struct kb_rule *r = store_rule();
	assert2(K_LISTENER, kb_int(110), kb_int(1));
	const struct kb_fact *l2 = assert2(K_LISTENER, kb_int(110), kb_int(2));
	assert2(K_LISTENER, kb_int(110), kb_int(3));
	const struct kb_fact *p = assert2(K_PROCESS, kb_int(2), S("svchost.exe"));
	kb_run(eng, 0);
	struct kb_near_miss m;
	kb_rule_near_miss(eng, r, &m);
	assert_int_equal(m.partial, 3);
	assert_ptr_equal(m.matched[0], l2); /* the one whose closest fact failed fewest tests */
	assert_ptr_equal(m.closest[0].fact, p);
	assert_int_equal(m.closest[0].nfailed, 1);
}

static void negation_blocked(void **state)
{
	(void)state;
	struct kb_test lt[] = {VAR(1, 0)};
	struct kb_test pt[] = {VAR(0, 0)};
	struct kb_cond c[] = {COND(KB_COND_PATTERN, K_LISTENER, lt), COND(KB_COND_NOT, K_PROCESS, pt)};
	const struct kb_rule *r = add_rule("orphan-listener", 1, (const char *const[]){"?pid"}, c, 2, NULL);
	assert2(K_LISTENER, kb_int(110), kb_int(812));
	const struct kb_fact *p = assert2(K_PROCESS, kb_int(812), S("PoProxy.exe"));
	assert2(K_PROCESS, kb_int(900), S("other.exe"));
	assert_int_equal(kb_run(eng, 0), 0);
	struct kb_near_miss m;
	kb_rule_near_miss(eng, r, &m);
	assert_int_equal(m.cond, 1);
	assert_int_equal(m.reason, KB_NEAR_BLOCKED);
	assert_int_equal(m.nclosest, 1); /* only the blocker */
	assert_ptr_equal(m.closest[0].fact, p);
	assert_int_equal(m.closest[0].nfailed, 0);
}

static int never(void *ud, const struct kb_value *args, size_t nargs, struct kb_error *err)
{
	(void)ud, (void)err;
	assert_int_equal(nargs, 1);
	assert_int_equal(args[0].u.i, 812); /* the variable's value reaches the predicate */
	return 0;
}

static int broken(void *ud, const struct kb_value *args, size_t nargs, struct kb_error *err)
{
	(void)args, (void)nargs;
	int *calls = ud;
	if (++*calls == 1)
		return 0; /* false while matching, an error when explained */
	kb_error_set(err, KB_ERULE, NULL, "broken");
	return -1;
}

static void false_test_condition(void **state)
{
	(void)state;
	struct kb_test lt[] = {VAR(1, 0)};
	struct kb_cond c[] = {COND(KB_COND_PATTERN, K_LISTENER, lt),
			      {.type = KB_COND_TEST, .pred = {.fn = never, .nvars = 1, .vars = (int[]){0}}}};
	const struct kb_rule *r = add_rule("never", 1, (const char *const[]){"?pid"}, c, 2, NULL);
	assert2(K_LISTENER, kb_int(110), kb_int(812));
	kb_run(eng, 0);
	struct kb_near_miss m;
	kb_rule_near_miss(eng, r, &m);
	assert_int_equal(m.cond, 1);
	assert_int_equal(m.reason, KB_NEAR_TEST);
	assert_int_equal(m.nclosest, 0);
}

static void predicate_error_counts_as_failure(void **state)
{
	(void)state;
	int calls = 0;
	struct kb_test pt[] = {{.slot = 1, .op = KB_OP_PRED, .operand = KB_OPERAND_NONE,
				.pred = {.fn = broken, .ud = &calls}}};
	struct kb_cond c[] = {COND(KB_COND_PATTERN, K_PROCESS, pt)};
	const struct kb_rule *r = add_rule("pred", 0, NULL, c, 1, NULL);
	assert2(K_PROCESS, kb_int(1), S("x"));
	kb_run(eng, 0);
	struct kb_near_miss m;
	kb_rule_near_miss(eng, r, &m);
	assert_int_equal(calls, 2);
	assert_int_equal(m.reason, KB_NEAR_NO_MATCH);
	assert_int_equal(m.closest[0].nfailed, 1);
	assert_int_equal(m.closest[0].failed[0].wanted.type, KB_NIL);
	assert_false(kb_rule_disabled(r));
	assert_int_equal(kb_rule_error_count(eng), 0);
}

static void complete_but_not_fired(void **state)
{
	(void)state;
	const struct kb_rule *r = store_rule();
	const struct kb_fact *l = assert2(K_LISTENER, kb_int(110), kb_int(1776));
	const struct kb_fact *p = assert2(K_PROCESS, kb_int(1776), S("store.exe"));
	assert_int_equal(kb_agenda_size(eng), 1); /* not run: still pending */
	struct kb_near_miss m;
	kb_rule_near_miss(eng, r, &m);
	assert_int_equal(m.reason, KB_NEAR_COMPLETE);
	assert_int_equal(m.cond, 2);
	assert_ptr_equal(m.matched[0], l);
	assert_ptr_equal(m.matched[1], p);
}

static uint64_t seen_firing, seen_seq;

static int note_firing(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)ud, (void)err;
	seen_firing = kb_engine_firing(e);
	seen_seq = kb_activation_seq(act);
	return 0;
}

static void enumeration_and_firing_numbers(void **state)
{
	(void)state;
	struct kb_test ht[] = {CONST(1, kb_int(4))};
	struct kb_cond c[] = {COND(KB_COND_PATTERN, K_HOST, ht)};
	const struct kb_rule *a = add_rule("a", 0, NULL, c, 1, note_firing);
	const struct kb_rule *b = store_rule();
	assert_ptr_equal(kb_rule_next(eng, NULL), a);
	assert_ptr_equal(kb_rule_next(eng, a), b);
	assert_null(kb_rule_next(eng, b));
	assert_int_equal(kb_rule_nvars(b), 1);
	assert_int_equal(kb_engine_firing(eng), 0);
	assert2(K_HOST, S("x"), kb_int(6));
	assert2(K_HOST, S("y"), kb_int(4));
	assert_int_equal(kb_run(eng, 0), 1);
	assert_int_equal(seen_firing, 1);
	assert_int_equal(seen_seq, 1);
	assert_int_equal(kb_engine_firing(eng), 0);
}

/* A kind holding most facts (read through the table of facts by id), one
 * holding few (through its list), names that repeat (a pattern's answer
 * remembered per name): the closest facts are still the oldest of those
 * failing fewest tests, retracted facts are not tried, and every live fact
 * is counted. */
static void closest_among_many_facts(void **state)
{
	(void)state;
	static const char *const names[] = {"svchost.exe", "lsass.exe", "store.exe"};
	struct kb_test pt[] = {{.slot = 0, .op = KB_OP_GE, .operand = KB_OPERAND_CONST, .value = kb_int(100)},
			       {.slot = 1, .op = KB_OP_MATCH, .operand = KB_OPERAND_CONST, .value = S("^inetinfo")}};
	struct kb_test ht[] = {CONST(1, kb_int(4))};
	struct kb_cond pc[] = {COND(KB_COND_PATTERN, K_PROCESS, pt)}, hc[] = {COND(KB_COND_PATTERN, K_HOST, ht)};
	const struct kb_rule *p = add_rule("inetinfo-100", 0, NULL, pc, 1, NULL);
	const struct kb_rule *h = add_rule("sp4", 0, NULL, hc, 1, NULL);
	const struct kb_fact *procs[300], *hosts[2];
	hosts[0] = assert2(K_HOST, S("EXCH01"), kb_int(6));
	for (int i = 0; i < 300; i++)
		procs[i] = assert2(K_PROCESS, kb_int(i), S(names[i % 3]));
	hosts[1] = assert2(K_HOST, S("EXCH02"), kb_int(5));
	assert_true(kb_retract(eng, procs[100]));
	assert_int_equal(kb_run(eng, 0), 0);
	struct kb_near_miss m;
	kb_rule_near_miss(eng, p, &m);
	assert_int_equal(m.reason, KB_NEAR_NO_MATCH);
	assert_int_equal(m.candidates, 299);
	assert_int_equal(m.nclosest, KB_NEAR_FACTS);
	for (size_t i = 0; i < KB_NEAR_FACTS; i++) {
		assert_ptr_equal(m.closest[i].fact, procs[101 + i]);
		assert_int_equal(m.closest[i].nfailed, 1);
		assert_int_equal(m.closest[i].failed[0].test, 1);
	}
	kb_rule_near_miss(eng, h, &m);
	assert_int_equal(m.candidates, 2);
	assert_int_equal(m.nclosest, 2);
	assert_ptr_equal(m.closest[0].fact, hosts[0]);
	assert_ptr_equal(m.closest[1].fact, hosts[1]);
}

static void same_near_miss(const struct kb_near_miss *a, const struct kb_near_miss *b)
{
	assert_int_equal(a->cond, b->cond);
	assert_int_equal(a->reason, b->reason);
	assert_int_equal(a->partial, b->partial);
	assert_int_equal(a->candidates, b->candidates);
	assert_int_equal(a->nclosest, b->nclosest);
	for (size_t i = 0; i < KB_MAX_CONDS && i < a->cond; i++)
		assert_ptr_equal(a->matched[i], b->matched[i]);
	for (size_t i = 0; i < a->nclosest; i++) {
		assert_ptr_equal(a->closest[i].fact, b->closest[i].fact);
		assert_int_equal(a->closest[i].nfailed, b->closest[i].nfailed);
		for (size_t k = 0; k < a->closest[i].nfailed && k < KB_NEAR_FAILS; k++)
			assert_int_equal(a->closest[i].failed[k].test, b->closest[i].failed[k].test);
	}
}

/* Rules asked together (the ones that stopped at the same facts tried in
 * one pass) get the near miss each gets alone: patterns, a negation, a
 * predicate, a kind with few facts, a deeper partial match. */
static void near_misses_together_as_each_alone(void **state)
{
	(void)state;
	int calls = 0;
	struct kb_test match[] = {{.slot = 1, .op = KB_OP_MATCH, .operand = KB_OPERAND_CONST, .value = S("^inet")}};
	struct kb_test ge[] = {{.slot = 0, .op = KB_OP_GE, .operand = KB_OPERAND_CONST, .value = kb_int(40)},
			       CONST(1, S("lsass.exe"))};
	struct kb_test lsass[] = {CONST(1, S("lsass.exe"))};
	struct kb_test pred[] = {{.slot = 1, .op = KB_OP_PRED, .operand = KB_OPERAND_NONE,
				  .pred = {.fn = broken, .ud = &calls}}};
	struct kb_test sp[] = {CONST(1, kb_int(4))};
	struct kb_cond c1[] = {COND(KB_COND_PATTERN, K_PROCESS, match)}, c2[] = {COND(KB_COND_PATTERN, K_PROCESS, ge)};
	struct kb_cond c3[] = {COND(KB_COND_NOT, K_PROCESS, lsass)}, c4[] = {COND(KB_COND_PATTERN, K_PROCESS, pred)};
	struct kb_cond c5[] = {COND(KB_COND_PATTERN, K_HOST, sp)};
	const struct kb_rule *rules[] = {
		add_rule("match", 0, NULL, c1, 1, NULL), add_rule("ge", 0, NULL, c2, 1, NULL),
		add_rule("not", 0, NULL, c3, 1, NULL), add_rule("pred", 0, NULL, c4, 1, NULL),
		add_rule("host", 0, NULL, c5, 1, NULL), store_rule(),
	};
	static const char *const names[] = {"svchost.exe", "lsass.exe", "store.exe", "inetinfo.exe"};
	assert2(K_HOST, S("EXCH01"), kb_int(6));
	assert2(K_LISTENER, kb_int(110), kb_int(7));
	for (int i = 0; i < 60; i++)
		assert2(K_PROCESS, kb_int(i), S(names[i % 3]));
	kb_run(eng, 0);
	size_t n = sizeof(rules) / sizeof(rules[0]);
	struct kb_near_miss together[sizeof(rules) / sizeof(rules[0])], alone;
	kb_rules_near_miss(eng, rules, n, together);
	for (size_t i = 0; i < n; i++) {
		kb_rule_near_miss(eng, rules[i], &alone);
		same_near_miss(&together[i], &alone);
	}
	assert_int_equal(together[0].candidates, 60);
	assert_int_equal(together[2].reason, KB_NEAR_BLOCKED);
	assert_int_equal(together[5].cond, 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(near_miss_at_the_first_condition),
		T(no_fact_of_the_kind),
		T(deeper_partial_match_and_closest_facts),
		T(best_of_several_partial_matches),
		T(negation_blocked),
		T(false_test_condition),
		T(predicate_error_counts_as_failure),
		T(complete_but_not_fired),
		T(enumeration_and_firing_numbers),
		T(closest_among_many_facts),
		T(near_misses_together_as_each_alone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
