/*
 * test_any_of.c — choices of conditions (KB_COND_ANY): a rule compiled as
 * one chain per alternative that stays one rule to the interface (count,
 * enumeration, lookup, removal, errors), fires on each alternative that
 * matches with that alternative's bindings, and whose near miss is the
 * alternative that got furthest.
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
static int K_SERVICE, K_EVENT, K_SC;

static int setup(void **state)
{
	(void)state;
	static const struct fixture_kind kinds[] = {
		{"service", 2, {{"name", KB_STRING}, {"state", KB_STRING}}},
		{"event", 2, {{"id", KB_INT}, {"code", KB_INT}}},
		{"sc", 2, {{"service", KB_STRING}, {"exit_code", KB_INT}}},
	};
	eng = engine_with_kinds(kinds, 3, (int *const[]){&K_SERVICE, &K_EVENT, &K_SC});
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

/* What each firing saw: its alternative and ?code. */
struct seen {
	size_t n;
	size_t alternative[8];
	struct kb_value code[8];
	const struct kb_rule *rule[8];
};

static int record(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)e, (void)err;
	struct seen *s = ud;
	assert_true(s->n < 8);
	s->alternative[s->n] = kb_activation_alternative(act);
	s->code[s->n] = kb_activation_var(act, 0);
	s->rule[s->n++] = kb_activation_rule(act);
	return 0;
}

#define COND(type_, kind_, tests_) {.type = (type_), .kind = (kind_), .ntests = sizeof(tests_) / sizeof((tests_)[0]), .tests = (tests_), .fact_var = -1}

/* service { name = "POP3", state = "stopped" },
 * any_of { event { id = 11508, code = ?code }, sc { service = "POP3", exit_code = ?code } } */
static struct kb_test svc_tests[2], ev_tests[2], sc_tests[2];
static struct kb_cond choices[2], conds[2];
static const char *const vars[] = {"?code"};

static const struct kb_rule *add_pop3_rule(struct seen *seen)
{
	struct kb_test svc[] = {CONST(0, S("POP3")), CONST(1, S("stopped"))};
	struct kb_test ev[] = {VAR(1, 0), CONST(0, kb_int(11508))};
	struct kb_test sc[] = {VAR(1, 0), CONST(0, S("POP3"))};
	memcpy(svc_tests, svc, sizeof(svc));
	memcpy(ev_tests, ev, sizeof(ev));
	memcpy(sc_tests, sc, sizeof(sc));
	struct kb_cond ch[] = {COND(KB_COND_PATTERN, K_EVENT, ev_tests), COND(KB_COND_PATTERN, K_SC, sc_tests)};
	memcpy(choices, ch, sizeof(ch));
	struct kb_cond c[] = {COND(KB_COND_PATTERN, K_SERVICE, svc_tests),
			      {.type = KB_COND_ANY, .nchoices = 2, .choices = choices, .fact_var = -1}};
	memcpy(conds, c, sizeof(c));
	struct kb_rule_def def = {.name = "pop3-port", .where = "test.lua:1", .nvars = 1, .var_names = vars,
				  .nconds = 2, .conds = conds, .action = record, .ud = seen};
	return rule_add_or_fail(eng, &def);
}

static void one_rule_to_the_interface(void **state)
{
	(void)state;
	struct seen seen = {0};
	const struct kb_rule *r = add_pop3_rule(&seen);
	assert_int_equal(kb_rule_count(eng), 1);
	assert_ptr_equal(kb_rule_next(eng, NULL), r);
	assert_null(kb_rule_next(eng, r));
	assert_ptr_equal(kb_rule_find(eng, "pop3-port"), r);
	assert_int_equal(kb_rule_nconds(r), 2);
	assert_int_equal(kb_rule_nalternatives(r), 2);
	const struct kb_cond *any = kb_rule_cond(r, 1);
	assert_int_equal(any->type, KB_COND_ANY);
	assert_int_equal(any->nchoices, 2);
	assert_int_equal(any->choices[1].kind, K_SC);
	assert_int_equal(kb_rule_choice(r, 1, 1), 1);
	assert_int_equal(kb_rule_choice(r, 1, 0), -1);
	assert_int_equal(kb_rule_alternative_cond(r, 1, 1)->kind, K_SC);
	assert_int_equal(kb_rule_alternative_cond(r, 0, 1)->kind, K_EVENT);
}

static void each_alternative_fires_with_its_bindings(void **state)
{
	(void)state;
	struct seen seen = {0};
	const struct kb_rule *r = add_pop3_rule(&seen);
	assert2(K_SERVICE, S("POP3"), S("stopped"));
	assert2(K_SC, S("POP3"), kb_int(10048));
	assert_int_equal(kb_run(eng, 0), 1);
	assert_int_equal(seen.alternative[0], 1);
	assert_int_equal(seen.code[0].u.i, 10048);
	assert_ptr_equal(seen.rule[0], r);
	assert2(K_EVENT, kb_int(11508), kb_int(10013));
	assert2(K_EVENT, kb_int(7000), kb_int(2));
	assert_int_equal(kb_run(eng, 0), 1);
	assert_int_equal(seen.alternative[1], 0);
	assert_int_equal(seen.code[1].u.i, 10013);
	assert_int_equal(kb_fired(eng), 2);
}

static void near_miss_is_the_furthest_alternative(void **state)
{
	(void)state;
	struct seen seen = {0};
	const struct kb_rule *r = add_pop3_rule(&seen);
	assert2(K_SERVICE, S("POP3"), S("stopped"));
	const struct kb_fact *sc = assert2(K_SC, S("IMAP4"), kb_int(10048));
	assert_int_equal(kb_run(eng, 0), 0);
	struct kb_near_miss m;
	kb_rule_near_miss(eng, r, &m);
	assert_int_equal(m.cond, 1);
	assert_int_equal(m.reason, KB_NEAR_NO_MATCH);
	assert_int_equal(m.alternative, 1); /* the event choice has no fact at all */
	assert_int_equal(m.partial, 1);     /* the service reached the choice in both: one match */
	assert_ptr_equal(m.closest[0].fact, sc);
	assert_int_equal(m.closest[0].nfailed, 1);
	assert_int_equal(kb_rule_alternative_cond(r, m.alternative, 1)->tests[m.closest[0].failed[0].test].slot, 0);
}

/* any_of { event, sc }, service { name = "IMAP4" }: both choices matched,
 * each a partial match of its own at the service. */
static void partial_matches_of_every_choice(void **state)
{
	(void)state;
	struct kb_test ev[] = {VAR(1, 0), CONST(0, kb_int(11508))};
	struct kb_test sc[] = {VAR(1, 0), CONST(0, S("POP3"))};
	struct kb_test svc[] = {CONST(0, S("IMAP4"))};
	struct kb_cond ch[] = {COND(KB_COND_PATTERN, K_EVENT, ev), COND(KB_COND_PATTERN, K_SC, sc)};
	struct kb_cond c[] = {{.type = KB_COND_ANY, .nchoices = 2, .choices = ch, .fact_var = -1},
			      COND(KB_COND_PATTERN, K_SERVICE, svc)};
	struct kb_rule_def def = {.name = "imap", .where = "test.lua:1", .nvars = 1, .var_names = vars,
				  .nconds = 2, .conds = c, .action = record};
	const struct kb_rule *r = rule_add_or_fail(eng, &def);
	assert2(K_EVENT, kb_int(11508), kb_int(10048));
	assert2(K_SC, S("POP3"), kb_int(10048));
	assert_int_equal(kb_run(eng, 0), 0);
	struct kb_near_miss m;
	kb_rule_near_miss(eng, r, &m);
	assert_int_equal(m.cond, 1);
	assert_int_equal(m.reason, KB_NEAR_NO_FACT);
	assert_int_equal(m.partial, 2);
	assert_int_equal(kb_rule_var_value(r, m.alternative, 0, m.matched, m.cond).u.i, 10048);
}

static void removing_removes_every_alternative(void **state)
{
	(void)state;
	struct seen seen = {0};
	const struct kb_rule *r = add_pop3_rule(&seen);
	assert_true(kb_rule_remove(eng, r));
	assert_int_equal(kb_rule_count(eng), 0);
	assert_null(kb_rule_next(eng, NULL));
	assert2(K_SERVICE, S("POP3"), S("stopped"));
	assert2(K_SC, S("POP3"), kb_int(10048));
	assert2(K_EVENT, kb_int(11508), kb_int(10013));
	assert_int_equal(kb_run(eng, 0), 0);
}

static void replacing_by_name(void **state)
{
	(void)state;
	struct seen seen = {0};
	add_pop3_rule(&seen);
	const struct kb_rule *r = add_pop3_rule(&seen);
	assert_int_equal(kb_rule_count(eng), 1);
	assert_ptr_equal(kb_rule_next(eng, NULL), r);
	assert2(K_SERVICE, S("POP3"), S("stopped"));
	assert2(K_SC, S("POP3"), kb_int(10048));
	assert_int_equal(kb_run(eng, 0), 1);
}

static void refuse(struct kb_cond *c, size_t n, const char *wanted)
{
	struct kb_rule_def def = {.name = "bad", .where = "test.lua:9", .nvars = 1, .var_names = vars,
				  .nconds = n, .conds = c, .action = record};
	struct kb_error err = {0};
	assert_null(kb_rule_add(eng, &def, &err));
	assert_non_null(strstr(err.msg, wanted));
	assert_int_equal(kb_rule_count(eng), 0);
}

static void malformed_choices_are_refused(void **state)
{
	(void)state;
	struct kb_test ev[] = {CONST(0, kb_int(11508))};
	struct kb_cond one[] = {COND(KB_COND_PATTERN, K_EVENT, ev)};
	struct kb_cond c1[] = {{.type = KB_COND_ANY, .nchoices = 1, .choices = one, .fact_var = -1}};
	refuse(c1, 1, "needs 2 to");
	struct kb_cond two[] = {COND(KB_COND_PATTERN, K_EVENT, ev), COND(KB_COND_PATTERN, K_EVENT, ev)};
	struct kb_cond inner[] = {COND(KB_COND_PATTERN, K_EVENT, ev),
				  {.type = KB_COND_ANY, .nchoices = 2, .choices = two, .fact_var = -1}};
	struct kb_cond c2[] = {{.type = KB_COND_ANY, .nchoices = 2, .choices = inner, .fact_var = -1}};
	refuse(c2, 1, "cannot itself be a choice");
	struct kb_cond many[6];
	for (size_t i = 0; i < 6; i++)
		many[i] = (struct kb_cond){.type = KB_COND_ANY, .nchoices = 2, .choices = two, .fact_var = -1};
	refuse(many, 6, "more than 32 combinations");
}

/* any_of { event { code = ?code }, sc { } }, event { id = gt(?code) }: the
 * sc alternative compares ?code before binding it. */
static void an_alternative_that_does_not_compile(void **state)
{
	(void)state;
	struct kb_test ev[] = {VAR(1, 0)};
	struct kb_test sc[] = {CONST(0, S("POP3"))};
	struct kb_test later[] = {{.slot = 0, .op = KB_OP_GT, .operand = KB_OPERAND_VAR, .var = 0}};
	struct kb_cond ch[] = {COND(KB_COND_PATTERN, K_EVENT, ev), COND(KB_COND_PATTERN, K_SC, sc)};
	struct kb_cond c[] = {{.type = KB_COND_ANY, .nchoices = 2, .choices = ch, .fact_var = -1},
			      COND(KB_COND_PATTERN, K_EVENT, later)};
	refuse(c, 2, "compared before it is bound");
	assert_null(kb_rule_next(eng, NULL));
}

static int failing(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)e, (void)act, (void)ud;
	kb_error_set(err, KB_ERULE, "test.lua:3", "boom");
	return -1;
}

static void errors_are_the_rules(void **state)
{
	(void)state;
	struct seen seen = {0};
	add_pop3_rule(&seen);
	struct kb_rule_def def = {.name = "pop3-port", .where = "test.lua:1", .nvars = 1, .var_names = vars,
				  .nconds = 2, .conds = conds, .action = failing};
	rule_add_or_fail(eng, &def);
	assert2(K_SERVICE, S("POP3"), S("stopped"));
	assert2(K_SC, S("POP3"), kb_int(10048));
	assert2(K_EVENT, kb_int(11508), kb_int(10048));
	assert_int_equal(kb_run(eng, 0), 2);
	/* the same error from both alternatives is one record, counted twice */
	assert_int_equal(kb_rule_error_count(eng), 1);
	assert_string_equal(kb_rule_error(eng, 0)->msg, "rule pop3-port: boom");
	assert_int_equal(kb_rule_error_repeats(eng, 0), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(one_rule_to_the_interface, setup, teardown),
		cmocka_unit_test_setup_teardown(each_alternative_fires_with_its_bindings, setup, teardown),
		cmocka_unit_test_setup_teardown(near_miss_is_the_furthest_alternative, setup, teardown),
		cmocka_unit_test_setup_teardown(partial_matches_of_every_choice, setup, teardown),
		cmocka_unit_test_setup_teardown(removing_removes_every_alternative, setup, teardown),
		cmocka_unit_test_setup_teardown(replacing_by_name, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_choices_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(an_alternative_that_does_not_compile, setup, teardown),
		cmocka_unit_test_setup_teardown(errors_are_the_rules, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
