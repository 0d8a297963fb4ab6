/*
 * test_budget.c — the run's budgets (budget.c) and rule errors that fail one
 * activation, not the rule (rules.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kb.h"

static struct kb_engine *eng;
static int K_COUNTER, K_JUNK;

static int setup(void **state)
{
	(void)state;
	eng = kb_engine_new();
	struct kb_slot_decl counter[] = {{"n", KB_INT}}, junk[] = {{"n", KB_INT}, {"by", KB_STRING}};
	K_COUNTER = kb_kind_declare(eng, "counter", 1, counter, NULL);
	K_JUNK = kb_kind_declare(eng, "junk", 2, junk, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kb_engine_free(eng);
	return 0;
}

static void counter(int64_t n)
{
	struct kb_value v[] = {kb_int(n)};
	assert_non_null(kb_assert(eng, K_COUNTER, v, NULL, NULL, NULL));
}

/* counter(n) -> counter(n + 1), in place: never ends. */
static int modify_self(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)ud;
	const struct kb_fact *f = kb_activation_fact(act, 0);
	int slot = 0;
	struct kb_value v = kb_int(f->slots[0].u.i + 1);
	return kb_modify(e, f, 1, &slot, &v, err) ? 0 : -1;
}

/* Asserts junk until the engine refuses. */
static int assert_forever(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)act, (void)ud;
	for (int64_t i = 0;; i++) {
		struct kb_value v[] = {kb_int(i), kb_nil()};
		if (!kb_assert(e, K_JUNK, v, NULL, NULL, err))
			return -1;
	}
}

static const struct kb_rule *counter_rule(const char *name, kb_action_fn action, int64_t only)
{
	struct kb_test t = {.slot = 0, .op = KB_OP_EQ, .operand = KB_OPERAND_CONST, .value = kb_int(only)};
	struct kb_cond c = {.type = KB_COND_PATTERN, .kind = K_COUNTER, .ntests = only >= 0, .tests = &t, .fact_var = -1};
	struct kb_rule_def def = {.name = name, .where = "loop.lua:1", .nconds = 1, .conds = &c, .action = action};
	const struct kb_rule *r = kb_rule_add(eng, &def, NULL);
	assert_non_null(r);
	return r;
}

static void set_budgets(uint64_t firings, uint64_t facts, size_t memory, double seconds)
{
	struct kb_budgets b = {firings, facts, memory, seconds};
	kb_engine_set_budgets(eng, &b);
}

static void firings_budget_stops_a_rule_modifying_its_fact(void **state)
{
	(void)state;
	set_budgets(1000, 0, 0, 0);
	const struct kb_rule *r = counter_rule("modify-self", modify_self, -1);
	counter(0);
	assert_int_equal(kb_run(eng, 0), 1000);
	const struct kb_overrun *o = kb_run_overrun(eng);
	assert_non_null(o);
	assert_int_equal(o->budget, KB_BUDGET_FIRINGS);
	assert_int_equal(o->limit, 1000);
	assert_int_equal(o->nrules, 1);
	assert_ptr_equal(o->rules[0], r);
	assert_int_equal(o->firings[0], 1000);
	assert_int_equal(kb_rule_error_count(eng), 1);
	const struct kb_error *e = kb_rule_error(eng, 0);
	assert_int_equal(e->status, KB_EBUDGET);
	assert_string_equal(e->where, "loop.lua:1");
	assert_string_equal(e->msg, "rule modify-self: the run stopped: its budget of 1000 firings is spent; the busiest "
				    "rules in the last 1000 firings: modify-self (1000 firings, 1000 facts made)");
	/* stopped for good */
	assert_int_equal(kb_run(eng, 0), 0);
	assert_int_equal(kb_rule_error_count(eng), 1);
}

/* A budget met exactly, with nothing left to fire, is no overrun; nor is
 * kb_run()'s own limit, a pause. */
static void budget_met_exactly_or_a_pause_is_no_overrun(void **state)
{
	(void)state;
	set_budgets(3, 0, 0, 0);
	counter_rule("one", NULL, 1);
	counter_rule("two", NULL, 2);
	counter_rule("three", NULL, 3);
	counter(1);
	counter(2);
	counter(3);
	assert_int_equal(kb_run(eng, 1), 1);
	assert_null(kb_run_overrun(eng));
	assert_int_equal(kb_run(eng, 0), 2);
	assert_null(kb_run_overrun(eng));
	assert_int_equal(kb_rule_error_count(eng), 0);
}

/* One firing asserting without end: the facts budget refuses the assert,
 * and the stop is the only error (not the action's failure as well). */
static void facts_budget_stops_one_action_asserting_forever(void **state)
{
	(void)state;
	set_budgets(0, 5000, 0, 0);
	counter_rule("mass-assert", assert_forever, -1);
	counter(0);
	assert_int_equal(kb_run(eng, 0), 1);
	const struct kb_overrun *o = kb_run_overrun(eng);
	assert_non_null(o);
	assert_int_equal(o->budget, KB_BUDGET_FACTS);
	assert_int_equal(o->facts[0], 5000);
	assert_int_equal(o->firings[0], 1);
	assert_int_equal(kb_fact_count(eng), 5001);
	assert_int_equal(kb_rule_error_count(eng), 1);
	assert_non_null(strstr(kb_rule_error(eng, 0)->msg, "its budget of 5000 facts made by rules is spent"));
	/* evidence is not the rules': asserting goes on outside a firing */
	counter(7);
}

static void memory_budget_counts_the_engines_facts(void **state)
{
	(void)state;
	size_t before = kb_engine_memory(eng);
	set_budgets(0, 0, before + (4u << 20), 0);
	counter_rule("mass-assert", assert_forever, -1);
	counter(0);
	kb_run(eng, 0);
	const struct kb_overrun *o = kb_run_overrun(eng);
	assert_non_null(o);
	assert_int_equal(o->budget, KB_BUDGET_MEMORY);
	size_t used = kb_engine_memory(eng);
	assert_true(used > before + (4u << 20));
	assert_true(used < before + (8u << 20)); /* checked often enough not to run far past */
	assert_non_null(strstr(kb_rule_error(eng, 0)->msg, "MB of engine memory is spent"));
}

/* down: counter(1) -> counter(0), with up making the cycle 0 -> 1 -> 0. */
static int modify_down(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)ud;
	int slot = 0;
	struct kb_value v = kb_int(0);
	return kb_modify(e, kb_activation_fact(act, 0), 1, &slot, &v, err) ? 0 : -1;
}

static void time_budget_stops_a_modify_cycle(void **state)
{
	(void)state;
	set_budgets(0, 0, 0, 0.2);
	counter_rule("early", NULL, 100);
	counter(100);
	assert_int_equal(kb_run(eng, 0), 1);
	const struct kb_rule *up = counter_rule("up", modify_self, 0);
	const struct kb_rule *down = counter_rule("down", modify_down, 1);
	counter(0);
	assert_true(kb_run(eng, 0) > 2);
	const struct kb_overrun *o = kb_run_overrun(eng);
	assert_non_null(o);
	assert_int_equal(o->budget, KB_BUDGET_SECONDS);
	assert_int_equal(o->nrules, 2);
	assert_true((o->rules[0] == up && o->rules[1] == down) || (o->rules[0] == down && o->rules[1] == up));
	const char *msg = kb_rule_error(eng, 0)->msg;
	assert_non_null(strstr(msg, " up ("));
	assert_non_null(strstr(msg, " down ("));
	assert_null(strstr(msg, "early"));
}

static int budget_error(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)e, (void)act, (void)ud;
	kb_error_set(err, KB_EBUDGET, "slow.lua:3", "instruction budget of 10 exceeded");
	return -1;
}

/* Overruns cost a whole budget each: KB_RULE_OVERRUNS of them disable the
 * rule, which says so. */
static void overruns_disable_a_rule(void **state)
{
	(void)state;
	const struct kb_rule *r = counter_rule("slow", budget_error, -1);
	for (int i = 0; i < KB_RULE_OVERRUNS + 5; i++)
		counter(i);
	assert_int_equal(kb_run(eng, 0), KB_RULE_OVERRUNS);
	assert_true(kb_rule_disabled(r));
	assert_int_equal(kb_rule_error_count(eng), 2);
	assert_int_equal(kb_rule_error_repeats(eng, 0), KB_RULE_OVERRUNS - 1);
	assert_non_null(strstr(kb_rule_error(eng, 1)->msg, "disabled"));
	assert_null(kb_run_overrun(eng));
}

static int distinct_error(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)e, (void)ud;
	kb_error_set(err, KB_ERULE, "odd.lua:2", "bad value %lld", (long long)kb_activation_fact(act, 0)->slots[0].u.i);
	return -1;
}

/* Errors that differ: the first KB_RULE_ERRORS_KEPT are listed, the rest
 * counted on the last; the rule is not disabled. */
static void errors_past_the_cap_are_counted(void **state)
{
	(void)state;
	const struct kb_rule *r = counter_rule("odd", distinct_error, -1);
	for (int i = 0; i < KB_RULE_ERRORS_KEPT + 10; i++)
		counter(i);
	assert_int_equal(kb_run(eng, 0), KB_RULE_ERRORS_KEPT + 10);
	assert_false(kb_rule_disabled(r));
	assert_int_equal(kb_rule_error_count(eng), KB_RULE_ERRORS_KEPT);
	assert_int_equal(kb_rule_error_repeats(eng, KB_RULE_ERRORS_KEPT - 1), 10);
	assert_int_equal(kb_rule_error_repeats(eng, 0), 0);
}

static int distinct_overrun(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)e, (void)ud;
	kb_error_set(err, KB_EBUDGET, "slow.lua:4", "out of time on %lld",
		     (long long)kb_activation_fact(act, 0)->slots[0].u.i);
	return -1;
}

/* Disabling is listed even past the cap on a rule's errors. */
static void disabling_is_listed_past_the_cap(void **state)
{
	(void)state;
	const struct kb_rule *r = counter_rule("slow", distinct_overrun, -1);
	for (int i = 0; i < KB_RULE_OVERRUNS + 4; i++)
		counter(i);
	assert_int_equal(kb_run(eng, 0), KB_RULE_OVERRUNS);
	assert_true(kb_rule_disabled(r));
	assert_int_equal(kb_rule_error_count(eng), KB_RULE_ERRORS_KEPT + 1);
	assert_non_null(strstr(kb_rule_error(eng, KB_RULE_ERRORS_KEPT)->msg, "disabled"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(firings_budget_stops_a_rule_modifying_its_fact),
		T(budget_met_exactly_or_a_pause_is_no_overrun),
		T(facts_budget_stops_one_action_asserting_forever),
		T(memory_budget_counts_the_engines_facts),
		T(time_budget_stops_a_modify_cycle),
		T(overruns_disable_a_rule),
		T(errors_past_the_cap_are_counted),
		T(disabling_is_listed_past_the_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
