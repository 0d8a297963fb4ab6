/*
 * test_engine.c — the inference core on its own: joins, negation,
 * existence, retract and modify, agenda order, refraction, chaining,
 * duplicates, node sharing and the recorder hook.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "internal.h"

static struct kb_engine *eng;
static int K_LISTENER, K_PROCESS, K_DERIVED;

/* A log of firings: "rule:fact,fact;" */
static char fired_log[4096];

static int log_action(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)e, (void)ud, (void)err;
	size_t len = strlen(fired_log);
	len += (size_t)snprintf(fired_log + len, sizeof(fired_log) - len, "%s:",
				kb_rule_name(kb_activation_rule(act)));
	for (size_t i = 0; i < kb_activation_nfacts(act); i++) {
		const struct kb_fact *f = kb_activation_fact(act, i);
		len += (size_t)snprintf(fired_log + len, sizeof(fired_log) - len, "%s%u", i ? "," : "",
					f ? f->id : 0);
	}
	snprintf(fired_log + len, sizeof(fired_log) - len, ";");
	return 0;
}

static int setup(void **state)
{
	(void)state;
	eng = kb_engine_new();
	struct kb_slot_decl listener[] = {{"port", KB_INT}, {"pid", KB_INT}, {"proto", KB_STRING}};
	struct kb_slot_decl process[] = {{"pid", KB_INT}, {"name", KB_STRING}, {"load", KB_FLOAT}};
	struct kb_slot_decl derived[] = {{"pid", KB_INT}, {"note", KB_STRING}};
	K_LISTENER = kb_kind_declare(eng, "listener", 3, listener, NULL);
	K_PROCESS = kb_kind_declare(eng, "process", 3, process, NULL);
	K_DERIVED = kb_kind_declare(eng, "derived", 2, derived, NULL);
	fired_log[0] = '\0';
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kb_engine_free(eng);
	eng = NULL;
	return 0;
}

static struct kb_value S(const char *s) { return kb_str(kb_intern_cstr(eng, s)); }

static const struct kb_fact *listener(int port, int pid, const char *proto)
{
	struct kb_value v[] = {kb_int(port), kb_int(pid), proto ? S(proto) : kb_nil()};
	struct kb_prov prov = {KB_ORIGIN_EVIDENCE, "netstat.txt", port, "TCP line", {0}};
	const struct kb_fact *f = kb_assert(eng, K_LISTENER, v, &prov, NULL, NULL);
	assert_non_null(f);
	return f;
}

static const struct kb_fact *process(int pid, const char *name)
{
	struct kb_value v[] = {kb_int(pid), S(name), kb_float(0.5)};
	const struct kb_fact *f = kb_assert(eng, K_PROCESS, v, NULL, NULL, NULL);
	assert_non_null(f);
	return f;
}

#define VAR(slot_, var_) {.slot = (slot_), .op = KB_OP_EQ, .operand = KB_OPERAND_VAR, .var = (var_)}
#define CONST(slot_, op_, val_) {.slot = (slot_), .op = (op_), .operand = KB_OPERAND_CONST, .value = (val_)}
#define PAT(kind_, tests_) {.type = KB_COND_PATTERN, .kind = (kind_), .ntests = sizeof(tests_) / sizeof((tests_)[0]), .tests = (tests_), .fact_var = -1}
#define NOT(kind_, tests_) {.type = KB_COND_NOT, .kind = (kind_), .ntests = sizeof(tests_) / sizeof((tests_)[0]), .tests = (tests_), .fact_var = -1}

static const struct kb_rule *add_rule(const char *name, int salience, size_t nvars,
				      const struct kb_cond *conds, size_t nconds, kb_action_fn action)
{
	struct kb_rule_def def = {.name = name, .where = "test.lua:1", .salience = salience,
				  .nvars = nvars, .nconds = nconds, .conds = conds,
				  .action = action ? action : log_action};
	struct kb_error err = {0};
	const struct kb_rule *r = kb_rule_add(eng, &def, &err);
	if (!r)
		fail_msg("%s: %s", err.where, err.msg);
	return r;
}

/* listener{port=?port, pid=?pid}, process{pid=?pid} */
static const struct kb_rule *holder_rule(const char *name)
{
	static struct kb_test lt[] = {VAR(0, 0), VAR(1, 1)};
	static struct kb_test pt[] = {VAR(0, 1)};
	static struct kb_cond conds[] = {PAT(0, lt), PAT(1, pt)};
	conds[0].kind = K_LISTENER;
	conds[1].kind = K_PROCESS;
	return add_rule(name, 0, 2, conds, 2, NULL);
}

static void join_matches_on_shared_variable(void **state)
{
	(void)state;
	holder_rule("holder");
	const struct kb_fact *l = listener(110, 812, "tcp");
	const struct kb_fact *p = process(812, "PoProxy.exe");
	process(900, "other.exe");
	listener(25, 1, "tcp");
	assert_int_equal(kb_agenda_size(eng), 1);
	assert_int_equal(kb_run(eng, 0), 1);
	char want[64];
	snprintf(want, sizeof(want), "holder:%u,%u;", l->id, p->id);
	assert_string_equal(fired_log, want);
}

static int check_bindings(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)e, (void)ud, (void)err;
	assert_int_equal(kb_activation_var(act, 0).u.i, 110);
	assert_int_equal(kb_activation_var(act, 1).u.i, 812);
	assert_string_equal(kb_activation_var(act, 2).u.s, "PoProxy.exe");
	return 0;
}

static void action_sees_variable_values(void **state)
{
	(void)state;
	struct kb_test lt[] = {VAR(0, 0), VAR(1, 1)};
	struct kb_test pt[] = {VAR(0, 1), VAR(1, 2)};
	struct kb_cond conds[] = {PAT(K_LISTENER, lt), PAT(K_PROCESS, pt)};
	add_rule("vars", 0, 3, conds, 2, check_bindings);
	process(812, "PoProxy.exe");
	listener(110, 812, "tcp");
	assert_int_equal(kb_run(eng, 0), 1);
}

static void negation_blocks_and_unblocks(void **state)
{
	(void)state;
	/* listener{pid=?pid}, no process{pid=?pid}: a listener whose owner is unknown */
	struct kb_test lt[] = {VAR(1, 0)};
	struct kb_test pt[] = {VAR(0, 0)};
	struct kb_cond conds[] = {PAT(K_LISTENER, lt), NOT(K_PROCESS, pt)};
	add_rule("orphan", 0, 1, conds, 2, NULL);
	listener(110, 812, "tcp");
	assert_int_equal(kb_agenda_size(eng), 1);
	const struct kb_fact *p = process(812, "a.exe");
	assert_int_equal(kb_agenda_size(eng), 0);
	const struct kb_fact *p2 = process(812, "b.exe");
	assert_true(kb_retract(eng, p));
	assert_int_equal(kb_agenda_size(eng), 0); /* still blocked by p2 */
	assert_true(kb_retract(eng, p2));
	assert_int_equal(kb_agenda_size(eng), 1);
	assert_int_equal(kb_run(eng, 0), 1);
	assert_false(kb_retract(eng, p2));
}

static void negation_first_condition(void **state)
{
	(void)state;
	struct kb_test pt[] = {CONST(1, KB_OP_EQ, S("store.exe"))};
	struct kb_cond conds[] = {NOT(K_PROCESS, pt)};
	add_rule("no-store", 0, 0, conds, 1, NULL);
	assert_int_equal(kb_agenda_size(eng), 1);
	const struct kb_fact *p = process(1, "store.exe");
	assert_int_equal(kb_agenda_size(eng), 0);
	kb_retract(eng, p);
	assert_int_equal(kb_run(eng, 0), 1);
}

static void exists_fires_once_for_many(void **state)
{
	(void)state;
	struct kb_test lt[] = {VAR(1, 0)};
	struct kb_test pt[] = {VAR(0, 0)};
	struct kb_cond conds[] = {PAT(K_LISTENER, lt),
				  {.type = KB_COND_EXISTS, .kind = K_PROCESS, .ntests = 1, .tests = pt, .fact_var = -1}};
	add_rule("owned", 0, 1, conds, 2, NULL);
	listener(110, 812, "tcp");
	assert_int_equal(kb_agenda_size(eng), 0);
	const struct kb_fact *a = process(812, "a.exe");
	const struct kb_fact *b = process(812, "b.exe");
	assert_int_equal(kb_agenda_size(eng), 1);
	kb_retract(eng, a);
	assert_int_equal(kb_agenda_size(eng), 1);
	kb_retract(eng, b);
	assert_int_equal(kb_agenda_size(eng), 0);
}

static void retract_and_modify(void **state)
{
	(void)state;
	holder_rule("holder");
	const struct kb_fact *l = listener(110, 812, "tcp");
	const struct kb_fact *p = process(812, "x.exe");
	assert_int_equal(kb_agenda_size(eng), 1);
	kb_retract(eng, l);
	assert_int_equal(kb_agenda_size(eng), 0);
	assert_false(l->live);
	assert_int_equal(l->slots[0].u.i, 110); /* still readable */
	l = listener(110, 812, "tcp");
	assert_int_equal(kb_agenda_size(eng), 1);
	int slot = 0;
	struct kb_value v = kb_int(999);
	const struct kb_fact *p2 = kb_modify(eng, p, 1, &slot, &v, NULL);
	assert_non_null(p2);
	assert_ptr_equal(p2->replaces, p);
	assert_false(p->live);
	assert_int_equal(kb_agenda_size(eng), 0);
	v = kb_int(812);
	kb_modify(eng, p2, 1, &slot, &v, NULL);
	assert_int_equal(kb_agenda_size(eng), 1);
	assert_int_equal(kb_fact_live_count(eng), 2);
}

static void salience_then_recency(void **state)
{
	(void)state;
	struct kb_test lt[] = {VAR(0, 0)};
	struct kb_cond conds[] = {PAT(K_LISTENER, lt)};
	add_rule("low", -5, 1, conds, 1, NULL);
	add_rule("high", 10, 1, conds, 1, NULL);
	const struct kb_fact *a = listener(1, 1, NULL);
	const struct kb_fact *b = listener(2, 2, NULL);
	assert_int_equal(kb_run(eng, 0), 4);
	char want[128];
	snprintf(want, sizeof(want), "high:%u;high:%u;low:%u;low:%u;", b->id, a->id, b->id, a->id);
	assert_string_equal(fired_log, want);
}

static void refraction_fires_once(void **state)
{
	(void)state;
	holder_rule("holder");
	listener(110, 812, "tcp");
	process(812, "x.exe");
	assert_int_equal(kb_run(eng, 0), 1);
	assert_int_equal(kb_run(eng, 0), 0);
	/* asserting the same fact again is a duplicate: nothing new to fire */
	bool dup = false;
	struct kb_value v[] = {kb_int(110), kb_int(812), S("tcp")};
	kb_assert(eng, K_LISTENER, v, NULL, &dup, NULL);
	assert_true(dup);
	assert_int_equal(kb_run(eng, 0), 0);
}

static int derive(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)ud;
	struct kb_value v[] = {kb_activation_var(act, 0), kb_str(kb_intern_cstr(e, "holds a port"))};
	return kb_assert(e, K_DERIVED, v, NULL, NULL, err) ? 0 : -1;
}

static void chaining_with_justification(void **state)
{
	(void)state;
	struct kb_test lt[] = {VAR(1, 0)};
	struct kb_cond c1[] = {PAT(K_LISTENER, lt)};
	add_rule("derive", 0, 1, c1, 1, derive);
	struct kb_test dt[] = {VAR(0, 0)};
	struct kb_test pt[] = {VAR(0, 0), CONST(1, KB_OP_CI_EQ, S("store.exe"))};
	struct kb_cond c2[] = {PAT(K_DERIVED, dt), NOT(K_PROCESS, pt)};
	add_rule("diagnose", 0, 1, c2, 2, NULL);
	const struct kb_fact *l = listener(110, 812, "tcp");
	listener(119, 900, "tcp");
	process(900, "STORE.EXE");
	assert_int_equal(kb_run(eng, 0), 3);
	/* derived facts are 4 and 5 (asserted in firing order); only pid 812's fires diagnose */
	const struct kb_fact *d = NULL;
	for (uint32_t id = 1; id <= kb_fact_count(eng); id++) {
		const struct kb_fact *f = kb_fact_get(eng, id);
		if (f->kind == K_DERIVED && f->slots[0].u.i == 812)
			d = f;
	}
	assert_non_null(d);
	assert_int_equal(d->prov.origin, KB_ORIGIN_DERIVED);
	assert_non_null(d->just);
	assert_string_equal(kb_rule_name(d->just->rule), "derive");
	assert_int_equal(d->just->npremises, 1);
	assert_ptr_equal(d->just->premises[0], l);
	char want[32];
	snprintf(want, sizeof(want), "diagnose:%u,0;", d->id);
	assert_non_null(strstr(fired_log, want));
}

static void duplicate_facts_are_not_asserted_twice(void **state)
{
	(void)state;
	bool dup = true;
	const struct kb_fact *a = listener(110, 812, "tcp");
	struct kb_value v[] = {kb_int(110), kb_int(812), S("tcp")};
	const struct kb_fact *b = kb_assert(eng, K_LISTENER, v, NULL, &dup, NULL);
	assert_true(dup);
	assert_ptr_equal(a, b);
	assert_int_equal(kb_fact_count(eng), 1);
	kb_retract(eng, a);
	b = kb_assert(eng, K_LISTENER, v, NULL, &dup, NULL);
	assert_false(dup);
	assert_int_not_equal(a->id, b->id);
}

static void type_checked_assert(void **state)
{
	(void)state;
	struct kb_value v[] = {S("110"), kb_int(1), kb_nil()};
	struct kb_error err = {0};
	assert_null(kb_assert(eng, K_LISTENER, v, NULL, NULL, &err));
	assert_int_equal(err.status, KB_EINVAL);
	assert_non_null(strstr(err.msg, "listener.port"));
	/* an int goes into a float slot */
	struct kb_value p[] = {kb_int(1), S("a"), kb_int(3)};
	const struct kb_fact *f = kb_assert(eng, K_PROCESS, p, NULL, NULL, NULL);
	assert_int_equal(f->slots[2].type, KB_FLOAT);
}

static void comparison_membership_and_patterns(void **state)
{
	(void)state;
	struct kb_value set[] = {kb_int(110), kb_int(143)};
	struct kb_test lt[] = {{.slot = 0, .op = KB_OP_IN, .operand = KB_OPERAND_SET, .nset = 2, .set = set},
			       CONST(1, KB_OP_GT, kb_int(4)), CONST(2, KB_OP_NE, S("udp"))};
	struct kb_cond c1[] = {PAT(K_LISTENER, lt)};
	add_rule("mail-port", 0, 0, c1, 1, NULL);
	struct kb_test pt[] = {CONST(1, KB_OP_MATCH, S("^[Pp]o%a+%.exe$"))};
	struct kb_cond c2[] = {PAT(K_PROCESS, pt)};
	add_rule("poproxy", 0, 0, c2, 1, NULL);
	listener(110, 812, "tcp");
	listener(110, 4, "tcp");
	listener(143, 812, "udp");
	listener(25, 812, "tcp");
	listener(143, 900, NULL); /* NIL differs from "udp" */
	process(1, "PoProxy.exe");
	process(2, "xPoProxy.exe");
	process(3, "poproxy.exe.bak");
	assert_int_equal(kb_agenda_size(eng), 3);
}

static void join_tests_between_variables(void **state)
{
	(void)state;
	/* listener{port=?a}, listener{port=gt(?a)}: ordered pairs */
	struct kb_test t1[] = {VAR(0, 0)};
	struct kb_test t2[] = {{.slot = 0, .op = KB_OP_GT, .operand = KB_OPERAND_VAR, .var = 0}};
	struct kb_cond conds[] = {PAT(K_LISTENER, t1), PAT(K_LISTENER, t2)};
	add_rule("pairs", 0, 1, conds, 2, NULL);
	for (int i = 1; i <= 4; i++)
		listener(i, i, NULL);
	assert_int_equal(kb_agenda_size(eng), 6);
}

static void self_join_without_duplicates(void **state)
{
	(void)state;
	struct kb_test t1[] = {VAR(1, 0)};
	struct kb_test t2[] = {VAR(1, 1)};
	struct kb_cond conds[] = {PAT(K_LISTENER, t1), PAT(K_LISTENER, t2)};
	add_rule("cross", 0, 2, conds, 2, NULL);
	for (int i = 1; i <= 5; i++)
		listener(i, i, NULL);
	assert_int_equal(kb_agenda_size(eng), 25);
	/* same pid on both sides */
	struct kb_test u1[] = {VAR(1, 0)};
	struct kb_test u2[] = {VAR(1, 0)};
	struct kb_cond same[] = {PAT(K_LISTENER, u1), PAT(K_LISTENER, u2)};
	add_rule("same", 0, 1, same, 2, NULL);
	assert_int_equal(kb_agenda_size(eng), 30);
}

static int pid_is_even(void *ud, const struct kb_value *args, size_t nargs, struct kb_error *err)
{
	(void)ud, (void)err;
	assert_int_equal(nargs, 1);
	return args[0].u.i % 2 == 0;
}

static int sum_over(void *ud, const struct kb_value *args, size_t nargs, struct kb_error *err)
{
	(void)err;
	assert_int_equal(nargs, 2);
	return args[0].u.i + args[1].u.i > *(int *)ud;
}

static void predicates_on_slots_and_bindings(void **state)
{
	(void)state;
	struct kb_test lt[] = {VAR(0, 0), VAR(1, 1)};
	struct kb_cond conds[] = {PAT(K_LISTENER, lt),
				  {.type = KB_COND_TEST, .pred = {.fn = sum_over, .nvars = 2, .vars = (int[]){0, 1}}}};
	static int limit = 100;
	conds[1].pred.ud = &limit;
	add_rule("sum", 0, 2, conds, 2, NULL);
	struct kb_test pt[] = {{.slot = 0, .op = KB_OP_PRED, .operand = KB_OPERAND_NONE, .pred = {.fn = pid_is_even}}};
	struct kb_cond c2[] = {PAT(K_PROCESS, pt)};
	add_rule("even", 0, 0, c2, 1, NULL);
	listener(90, 5, NULL);
	listener(99, 2, NULL);
	process(4, "a");
	process(5, "b");
	assert_int_equal(kb_agenda_size(eng), 2);
}

static int failing_pred(void *ud, const struct kb_value *args, size_t nargs, struct kb_error *err)
{
	(void)ud, (void)args, (void)nargs;
	kb_error_set(err, KB_ERULE, "bad.lua:7", "attempt to index a nil value");
	return -1;
}

static int failing_action(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)e, (void)act, (void)ud;
	kb_error_set(err, KB_ERULE, "bad.lua:9", "boom");
	return -1;
}

/* An error is one activation's, or one fact's test: the rule goes on, and
 * the same error again is counted, not listed again. */
static void rule_errors_fail_one_activation_and_the_rule_goes_on(void **state)
{
	(void)state;
	struct kb_test pt[] = {{.slot = 0, .op = KB_OP_PRED, .operand = KB_OPERAND_NONE, .pred = {.fn = failing_pred}}};
	struct kb_cond c1[] = {PAT(K_PROCESS, pt)};
	const struct kb_rule *bad = add_rule("bad-pred", 0, 0, c1, 1, NULL);
	struct kb_test lt[] = {VAR(0, 0)};
	struct kb_cond c2[] = {PAT(K_LISTENER, lt)};
	const struct kb_rule *bad_action = add_rule("bad-action", 5, 1, c2, 1, failing_action);
	add_rule("good", 0, 1, c2, 1, NULL);
	process(1, "a");
	process(2, "b");
	listener(1, 1, NULL);
	listener(2, 2, NULL);
	assert_int_equal(kb_run(eng, 0), 4); /* bad-action twice, good twice */
	assert_false(kb_rule_disabled(bad));
	assert_false(kb_rule_disabled(bad_action));
	assert_int_equal(kb_rule_error_count(eng), 2);
	assert_string_equal(kb_rule_error(eng, 0)->where, "bad.lua:7");
	assert_int_equal(kb_rule_error_repeats(eng, 0), 1); /* process b */
	assert_non_null(strstr(kb_rule_error(eng, 1)->msg, "bad-action"));
	assert_int_equal(kb_rule_error_repeats(eng, 1), 1);
	listener(3, 3, NULL);
	assert_int_equal(kb_run(eng, 0), 2);
	assert_int_equal(kb_rule_error_repeats(eng, 1), 2);
}

static int counted_pred(void *ud, const struct kb_value *args, size_t nargs, struct kb_error *err)
{
	(void)args, (void)nargs, (void)err;
	++*(int *)ud;
	return 1;
}

/* A node tests a fact with compares first, then patterns, then
 * predicates, whatever order the rule lists them in; and rules listing
 * the same tests in other orders share it. */
static void cheap_tests_first(void **state)
{
	(void)state;
	static int calls;
	struct kb_test pt[] = {{.slot = 0, .op = KB_OP_PRED, .operand = KB_OPERAND_NONE,
				.pred = {.fn = counted_pred, .ud = &calls}},
			       CONST(1, KB_OP_MATCH, S("x%.exe")), CONST(0, KB_OP_NE, kb_int(3))};
	struct kb_cond c[] = {PAT(K_PROCESS, pt)};
	add_rule("pred-first", 0, 0, c, 1, NULL);
	process(1, "y.exe"); /* the pattern says no */
	process(3, "x.exe"); /* the compare says no */
	assert_int_equal(calls, 0);
	process(2, "x.exe");
	assert_int_equal(calls, 1);
	assert_int_equal(kb_agenda_size(eng), 1);

	struct kb_test one[] = {CONST(1, KB_OP_MATCH, S("y")), CONST(0, KB_OP_GT, kb_int(0)),
				CONST(0, KB_OP_LT, kb_int(9))};
	struct kb_test other[] = {CONST(0, KB_OP_LT, kb_int(9)), CONST(0, KB_OP_GT, kb_int(0)),
				  CONST(1, KB_OP_MATCH, S("y"))};
	struct kb_cond c1[] = {PAT(K_PROCESS, one)}, c2[] = {PAT(K_PROCESS, other)};
	add_rule("one", 0, 0, c1, 1, NULL);
	add_rule("other", 0, 0, c2, 1, NULL);
	assert_int_equal(eng->root.nchildren, 2); /* pred-first's, and one shared by one and other */
	assert_int_equal(kb_agenda_size(eng), 3);
}

static void rule_added_after_facts_sees_them(void **state)
{
	(void)state;
	listener(110, 812, "tcp");
	process(812, "x.exe");
	process(813, "y.exe");
	holder_rule("late");
	assert_int_equal(kb_agenda_size(eng), 1);
	/* a second rule sharing the first pattern, added late too */
	struct kb_test lt[] = {VAR(0, 0), VAR(1, 1)};
	struct kb_test nt[] = {VAR(0, 1)};
	struct kb_cond conds[] = {PAT(K_LISTENER, lt), NOT(K_PROCESS, nt)};
	add_rule("late-not", 0, 2, conds, 2, NULL);
	assert_int_equal(kb_agenda_size(eng), 1);
	listener(80, 1000, "tcp");
	assert_int_equal(kb_agenda_size(eng), 2);
	/* its negation ends it, so the negation's tokens carry its activations:
	 * blocked and unblocked as the process comes and goes */
	assert_true(rule_of(kb_rule_find(eng, "late-not"))->terminal->parent->ends);
	const struct kb_fact *p = process(1000, "z.exe"); /* "late" matches it too */
	assert_int_equal(kb_run(eng, 0), 2);
	assert_string_equal(fired_log, "late:4,5;late:1,2;");
	kb_retract(eng, p);
	assert_int_equal(kb_run(eng, 0), 1);
	assert_string_equal(fired_log, "late:4,5;late:1,2;late-not:4,0;");
}

static void rules_share_nodes_and_can_be_removed(void **state)
{
	(void)state;
	const struct kb_rule *a = holder_rule("a");
	holder_rule("b");
	assert_int_equal(eng->root.nchildren, 1);          /* one shared first join */
	assert_int_equal(eng->root.children[0]->nchildren, 1); /* and a shared second */
	assert_int_equal(eng->root.children[0]->children[0]->nchildren, 2); /* two terminals */
	listener(110, 812, "tcp");
	process(812, "x.exe");
	assert_int_equal(kb_agenda_size(eng), 2);
	assert_true(kb_rule_remove(eng, a));
	assert_int_equal(kb_agenda_size(eng), 1);
	assert_int_equal(kb_rule_count(eng), 1);
	const struct kb_rule *b = kb_rule_find(eng, "b");
	kb_rule_remove(eng, b);
	assert_int_equal(eng->root.nchildren, 0);
	for (int d = 0; d <= KB_MAX_CONDS; d++)
		assert_int_equal(eng->token_pools[d].live + eng->terminal_pools[d].live, 0);
	assert_int_equal(eng->item_pool.live, 0);
}

static void replacing_a_rule_by_name(void **state)
{
	(void)state;
	holder_rule("dup");
	holder_rule("dup");
	assert_int_equal(kb_rule_count(eng), 1);
}

static int halter(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	log_action(e, act, ud, err);
	kb_halt(e);
	return 0;
}

static void halt_and_firing_limit(void **state)
{
	(void)state;
	struct kb_test lt[] = {VAR(0, 0)};
	struct kb_cond conds[] = {PAT(K_LISTENER, lt)};
	add_rule("count", 0, 1, conds, 1, NULL);
	for (int i = 0; i < 5; i++)
		listener(i, i, NULL);
	assert_int_equal(kb_run(eng, 2), 2);
	assert_int_equal(kb_agenda_size(eng), 3);
	struct kb_test pt[] = {VAR(0, 0)};
	struct kb_cond c2[] = {PAT(K_PROCESS, pt)};
	add_rule("stop", 100, 1, c2, 1, halter);
	process(1, "x");
	assert_int_equal(kb_run(eng, 0), 1);
	assert_int_equal(kb_run(eng, 0), 3);
	assert_int_equal(kb_fired(eng), 6);
}

struct counts {
	int asserted, retracted, activated, deactivated, fired;
};

static void c_asserted(void *ud, const struct kb_fact *f) { (void)f; ((struct counts *)ud)->asserted++; }
static void c_retracted(void *ud, const struct kb_fact *f) { (void)f; ((struct counts *)ud)->retracted++; }
static void c_activated(void *ud, const struct kb_activation *a) { (void)a; ((struct counts *)ud)->activated++; }
static void c_deactivated(void *ud, const struct kb_activation *a) { (void)a; ((struct counts *)ud)->deactivated++; }
static void c_fired(void *ud, uint64_t n, const struct kb_activation *a) { (void)n, (void)a; ((struct counts *)ud)->fired++; }

static void recorder_sees_every_event(void **state)
{
	(void)state;
	struct counts c = {0};
	struct kb_recorder rec = {&c, c_asserted, c_retracted, c_activated, c_deactivated, c_fired, NULL};
	kb_engine_set_recorder(eng, &rec);
	holder_rule("holder");
	const struct kb_fact *l = listener(110, 812, "tcp");
	process(812, "x");
	listener(111, 812, "tcp");
	kb_retract(eng, l);
	kb_run(eng, 0);
	assert_int_equal(c.asserted, 3);
	assert_int_equal(c.retracted, 1);
	assert_int_equal(c.activated, 2);
	assert_int_equal(c.deactivated, 1);
	assert_int_equal(c.fired, 1);
}

static void lex_prefers_most_recent_facts(void **state)
{
	(void)state;
	kb_engine_set_strategy(eng, KB_LEX);
	holder_rule("holder");
	const struct kb_fact *p = process(812, "x");
	const struct kb_fact *l1 = listener(1, 812, NULL);
	const struct kb_fact *l2 = listener(2, 812, NULL);
	/* a newer process makes the older listeners' matches the most recent */
	const struct kb_fact *p2 = process(813, "y");
	const struct kb_fact *l3 = listener(3, 813, NULL);
	kb_run(eng, 0);
	char want[128];
	snprintf(want, sizeof(want), "holder:%u,%u;holder:%u,%u;holder:%u,%u;", l3->id, p2->id, l2->id,
		 p->id, l1->id, p->id);
	assert_string_equal(fired_log, want);
}

static void lex_ties_as_clips_breaks_them(void **state)
{
	(void)state;
	kb_engine_set_strategy(eng, KB_LEX);
	/* two activations over the same facts: the older fires first */
	struct kb_test a[] = {VAR(0, 0)};
	struct kb_test b[] = {VAR(0, 1), {.slot = 0, .op = KB_OP_NE, .operand = KB_OPERAND_VAR, .var = 0}};
	struct kb_cond pair[] = {PAT(K_LISTENER, a), PAT(K_LISTENER, b)};
	add_rule("pair", 0, 2, pair, 2, NULL);
	const struct kb_fact *x = listener(1, 1, NULL), *y = listener(2, 2, NULL);
	kb_run(eng, 0);
	char want[64];
	snprintf(want, sizeof(want), "pair:%u,%u;pair:%u,%u;", x->id, y->id, y->id, x->id);
	assert_string_equal(fired_log, want);
	/* a negated condition counts as a time tag, so it wins over one fewer */
	fired_log[0] = '\0';
	struct kb_test p[] = {VAR(0, 0)};
	struct kb_test q[] = {VAR(0, 0)};
	struct kb_cond plain[] = {PAT(K_PROCESS, p)};
	struct kb_cond with_not[] = {PAT(K_PROCESS, p), NOT(K_DERIVED, q)};
	add_rule("plain", 0, 1, plain, 1, NULL);
	add_rule("with_not", 0, 1, with_not, 2, NULL);
	const struct kb_fact *pr = process(7, "x");
	kb_run(eng, 0);
	snprintf(want, sizeof(want), "with_not:%u,0;plain:%u;", pr->id, pr->id);
	assert_string_equal(fired_log, want);
}

static void malformed_rules_are_refused(void **state)
{
	(void)state;
	struct kb_test lt[] = {{.slot = 0, .op = KB_OP_GT, .operand = KB_OPERAND_VAR, .var = 0}};
	struct kb_cond conds[] = {PAT(K_LISTENER, lt)};
	const char *names[] = {"port"};
	struct kb_rule_def def = {.name = "bad", .where = "x.lua:3", .nvars = 1, .var_names = names,
				  .nconds = 1, .conds = conds};
	struct kb_error err = {0};
	assert_null(kb_rule_add(eng, &def, &err));
	assert_non_null(strstr(err.msg, "port"));
	struct kb_test st[] = {CONST(0, KB_OP_EQ, S("110"))};
	struct kb_cond c2[] = {PAT(K_LISTENER, st)};
	c2[0].where = "x.lua:9";
	def.conds = c2;
	memset(&err, 0, sizeof(err));
	assert_null(kb_rule_add(eng, &def, &err));
	assert_string_equal(err.where, "x.lua:9");
	assert_non_null(strstr(err.msg, "never matches"));
	assert_int_equal(kb_rule_count(eng), 0);
}

static void interning_and_case_folding(void **state)
{
	(void)state;
	const char *a = kb_intern_cstr(eng, "Store.EXE");
	const char *b = kb_intern(eng, "Store.EXE!", 9);
	assert_ptr_equal(a, b);
	for (int i = 0; i < 5000; i++) {
		char buf[32];
		snprintf(buf, sizeof(buf), "S%d", i);
		kb_intern_cstr(eng, buf);
	}
	assert_ptr_equal(kb_intern_cstr(eng, "Store.EXE"), a);
	/* ci: ASCII letters in any case, nothing else folded */
	struct kb_value store = kb_str(a);
	assert_true(kb_value_test(KB_OP_CI_EQ, store, kb_str(kb_intern_cstr(eng, "store.exe"))));
	assert_true(kb_value_test(KB_OP_CI_EQ, store, kb_str(kb_intern_cstr(eng, "STORE.exe"))));
	assert_false(kb_value_test(KB_OP_CI_EQ, store, kb_str(kb_intern_cstr(eng, "store.ex"))));
	assert_false(kb_value_test(KB_OP_CI_EQ, kb_str(kb_intern_cstr(eng, "a@")), kb_str(kb_intern_cstr(eng, "a`"))));
	assert_false(kb_value_test(KB_OP_CI_EQ, kb_str(kb_intern_cstr(eng, "\xC3\x84")),
				   kb_str(kb_intern_cstr(eng, "\xC3\xA4"))));
}


/* ---- modify in place changes nothing that can be observed ---------------------- */

struct sim {
	struct kb_engine *eng;
	int item, pair;
	uint64_t rng;
	char *log;
	size_t len, cap;
};

static void sim_log(struct sim *s, const char *fmt, ...)
{
	va_list ap;
	if (s->len + 64 > s->cap) {
		s->cap = s->cap ? s->cap * 2 : 4096;
		s->log = realloc(s->log, s->cap);
	}
	va_start(ap, fmt);
	s->len += (size_t)vsnprintf(s->log + s->len, s->cap - s->len, fmt, ap);
	va_end(ap);
}

static uint32_t sim_rand(struct sim *s, uint32_t n)
{
	s->rng = s->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(s->rng >> 33) % n;
}

static int sim_action(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	struct sim *s = ud;
	(void)err;
	sim_log(s, "%s:", kb_rule_name(kb_activation_rule(act)));
	for (size_t i = 0; i < kb_activation_nfacts(act); i++) {
		const struct kb_fact *f = kb_activation_fact(act, i);
		sim_log(s, "%u,", f ? f->id : 0);
	}
	sim_log(s, ";");
	/* sometimes change a matched item's unread or read slot during the firing */
	const struct kb_fact *f = kb_activation_fact(act, 0);
	if (f && f->live && f->kind == s->item && sim_rand(s, 3) == 0) {
		int slot = (int)sim_rand(s, 4) + 1;
		struct kb_value v = slot == 1 ? kb_str(kb_intern_cstr(e, sim_rand(s, 2) ? "x" : "y"))
				  : kb_int(sim_rand(s, 8));
		kb_modify(e, f, 1, &slot, &v, NULL);
	}
	return 0;
}

static void sim_add_rule(struct sim *s, const char *name, int sal, size_t nvars, struct kb_cond *c, size_t n)
{
	struct kb_rule_def def = {.name = name, .salience = sal, .nvars = nvars, .nconds = n, .conds = c,
				  .action = sim_action, .ud = s};
	assert_non_null(kb_rule_add(s->eng, &def, NULL));
}

/* r8's second node: a join on the id its first binds. */
static const struct bnode *sim_r8_join(struct sim *s)
{
	return rule_of(kb_rule_find(s->eng, "r8"))->terminal->parent->parent;
}

/* r2 shares its join's memory with r8 and r9; r10, added during the run,
 * with whichever of them holds it then. */
static void sim_add_r10(struct sim *s)
{
	struct kb_test a[] = {VAR(0, 0)}, b[] = {VAR(3, 0)};
	struct kb_cond c[] = {PAT(s->item, a), PAT(s->item, b)};
	sim_add_rule(s, "r10", 0, 1, c, 2);
}

static void sim_setup(struct sim *s, uint64_t seed, bool move, bool share)
{
	memset(s, 0, sizeof(*s));
	s->rng = seed;
	s->eng = kb_engine_new();
	s->eng->no_move = !move;
	s->eng->no_share = !share;
	struct kb_slot_decl item[] = {{"id", KB_INT}, {"tag", KB_STRING}, {"n", KB_INT}, {"w", KB_INT}, {"note", KB_INT}};
	struct kb_slot_decl pair[] = {{"a", KB_INT}, {"b", KB_INT}};
	s->item = kb_kind_declare(s->eng, "item", 5, item, NULL);
	s->pair = kb_kind_declare(s->eng, "pair", 2, pair, NULL);
	int I = s->item, P = s->pair;
	struct kb_test r1[] = {VAR(0, 0), CONST(1, KB_OP_EQ, kb_nil())};
	r1[1].value = kb_str(kb_intern_cstr(s->eng, "x"));
	struct kb_test r2a[] = {VAR(0, 0), VAR(2, 1)}, r2b[] = {VAR(0, 0)};
	struct kb_test r3a[] = {VAR(0, 0)}, r3b[] = {VAR(0, 0)};
	struct kb_test r4a[] = {VAR(0, 0), CONST(3, KB_OP_GT, kb_nil())}, r4b[] = {VAR(1, 0)};
	r4a[1].value = kb_int(3);
	struct kb_test r5a[] = {VAR(0, 0)}, r5b[] = {VAR(0, 0)}, r5c[] = {VAR(2, 0)};
	struct kb_test r6a[] = {VAR(0, 0)}, r6b[] = {{.slot = 0, .op = KB_OP_NE, .operand = KB_OPERAND_VAR, .var = 0}, VAR(2, 1)};
	struct kb_cond c1[] = {PAT(I, r1)};
	struct kb_cond c2[] = {PAT(I, r2a), PAT(P, r2b)};
	struct kb_cond c3[] = {PAT(I, r3a), NOT(P, r3b)};
	struct kb_cond c4[] = {PAT(I, r4a), {.type = KB_COND_EXISTS, .kind = P, .ntests = 1, .tests = r4b, .fact_var = -1}};
	struct kb_cond c5[] = {PAT(P, r5a), PAT(I, r5b), PAT(I, r5c)};
	struct kb_cond c6[] = {PAT(I, r6a), PAT(I, r6b)};
	struct kb_test r8a[] = {VAR(0, 0)}, r8b[] = {VAR(1, 0), VAR(0, 1)}, r8c[] = {VAR(0, 1)};
	struct kb_test r9a[] = {VAR(0, 0)}, r9b[] = {VAR(2, 0)}, r9c[] = {VAR(1, 0)};
	struct kb_cond c8[] = {PAT(I, r8a), PAT(P, r8b), PAT(I, r8c)};
	struct kb_cond c9[] = {PAT(I, r9a), PAT(I, r9b), NOT(P, r9c)};
	struct { const char *name; int sal; size_t nvars; struct kb_cond *c; size_t n; } rules[] = {
		{"r1", 0, 1, c1, 1}, {"r2", 0, 2, c2, 2}, {"r3", 0, 1, c3, 2}, {"r4", 0, 1, c4, 2},
		{"r5", 0, 1, c5, 3}, {"r6", 0, 2, c6, 2}, {"r7", 1, 1, c3, 2}, {"r8", 0, 2, c8, 3},
		{"r9", 0, 1, c9, 3},
	};
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		sim_add_rule(s, rules[i].name, rules[i].sal, rules[i].nvars, rules[i].c, rules[i].n);
	const struct bnode *r8_join = sim_r8_join(s);
	assert_true(share ? r8_join->mem != r8_join : r8_join->mem == r8_join);
}

static void sim_step(struct sim *s)
{
	struct kb_engine *e = s->eng;
	uint32_t op = sim_rand(s, 10);
	uint32_t nf = (uint32_t)kb_fact_count(e);
	const struct kb_fact *f = nf ? kb_fact_get(e, 1 + sim_rand(s, nf)) : NULL;
	if (op < 3 || !f || !f->live) {
		if (sim_rand(s, 3)) {
			struct kb_value v[] = {kb_int(sim_rand(s, 6)), kb_str(kb_intern_cstr(e, sim_rand(s, 2) ? "x" : "y")),
					       kb_int(sim_rand(s, 6)), kb_int(sim_rand(s, 8)), kb_int(sim_rand(s, 100))};
			kb_assert(e, s->item, v, NULL, NULL, NULL);
		} else {
			struct kb_value v[] = {kb_int(sim_rand(s, 6)), kb_int(sim_rand(s, 6))};
			kb_assert(e, s->pair, v, NULL, NULL, NULL);
		}
	} else if (op < 4) {
		kb_retract(e, f);
	} else if (f->kind == s->item) {
		int slot = op < 8 ? 4 : (int)sim_rand(s, 4) + 1; /* mostly the unread note */
		struct kb_value v = slot == 1 ? kb_str(kb_intern_cstr(e, sim_rand(s, 2) ? "x" : "y")) : kb_int(sim_rand(s, 8));
		kb_modify(e, f, 1, &slot, &v, NULL);
	} else {
		int slot = (int)sim_rand(s, 2);
		struct kb_value v = kb_int(sim_rand(s, 6));
		kb_modify(e, f, 1, &slot, &v, NULL);
	}
	kb_run(e, 1 + sim_rand(s, 3));
}

/* The same random run of asserts, retracts, modifies and firings, with a
 * rule removed and one added half way, under each combination of modify
 * in place and shared memories, fires the same rules on the same facts in
 * the same order as plain retract-and-assert with a memory per node. */
static void modify_in_place_and_shared_memories_change_nothing(void **state)
{
	(void)state;
	size_t moved = 0;
	const struct { bool move, share; const char *name; } variants[] = {
		{false, false, "plain"}, {true, false, "in place"}, {false, true, "shared"}, {true, true, "both"},
	};
	enum { NVARIANTS = sizeof(variants) / sizeof(variants[0]) };
	for (uint64_t seed = 1; seed <= 40; seed++) {
		struct sim *s[NVARIANTS];
		for (int v = 0; v < NVARIANTS; v++) {
			s[v] = calloc(1, sizeof(*s[v]));
			sim_setup(s[v], seed, variants[v].move, variants[v].share);
		}
		for (int i = 0; i < 150; i++)
			for (int v = 0; v < NVARIANTS; v++) {
				if (i == 60) { /* r2 owns the memory it shares with r8 and r9: r8 takes it over */
					assert_true(kb_rule_remove(s[v]->eng, kb_rule_find(s[v]->eng, "r2")));
					assert_ptr_equal(sim_r8_join(s[v])->mem, sim_r8_join(s[v]));
				}
				if (i == 90)
					sim_add_r10(s[v]);
				sim_step(s[v]);
			}
		for (int v = 0; v < NVARIANTS; v++)
			kb_run(s[v]->eng, 500);
		const char *want = s[0]->log;
		for (int v = 1; v < NVARIANTS; v++) {
			const char *got = s[v]->log;
			if (strcmp(got, want) != 0) {
				size_t d = 0;
				while (got[d] == want[d])
					d++;
				while (d > 0 && want[d - 1] != ';')
					d--;
				fail_msg("seed %llu: firings differ at %zu\n%-8s %.200s\nplain:   %.200s", (unsigned long long)seed,
					 d, variants[v].name, got + d, want + d);
			}
			assert_int_equal(kb_fact_count(s[v]->eng), kb_fact_count(s[0]->eng));
			if (!variants[v].move)
				assert_int_equal(s[v]->eng->moved, 0);
		}
		moved += s[3]->eng->moved;
		for (int v = 0; v < NVARIANTS; v++) {
			kb_engine_free(s[v]->eng);
			free(s[v]->log);
			free(s[v]);
		}
	}
	assert_true(moved > 100); /* the test did exercise modify in place */
}

/* A kind declared again: the same slots in any order are the same kind;
 * other slots, or the same name twice, are refused. */
static void kinds_declared_again(void **state)
{
	(void)state;
	struct kb_slot_decl reordered[] = {{"proto", KB_STRING}, {"port", KB_INT}, {"pid", KB_INT}};
	struct kb_slot_decl retyped[] = {{"port", KB_STRING}, {"pid", KB_INT}, {"proto", KB_STRING}};
	struct kb_slot_decl twice[] = {{"port", KB_INT}, {"port", KB_INT}, {"proto", KB_STRING}};
	struct kb_error err = {0};
	assert_int_equal(kb_kind_declare(eng, "listener", 3, reordered, &err), K_LISTENER);
	assert_int_equal(kb_kind_declare(eng, "listener", 3, retyped, &err), -1);
	assert_string_equal(err.msg, "kind 'listener' is already declared with other slots");
	err = (struct kb_error){0};
	assert_int_equal(kb_kind_declare(eng, "listener", 3, twice, &err), -1);
	assert_string_equal(err.msg, "slot 'port' declared twice");
}

/* A slot declared always set: a fact that leaves it unset is refused, by
 * assert and by modify; it cannot be declared so once facts exist. */
static void always_set_slots(void **state)
{
	(void)state;
	struct kb_error err = {0};
	assert_int_equal(kb_slot_set_always(eng, K_DERIVED, 1, &err), 0);
	assert_true(kb_slot_always(eng, K_DERIVED, 1));
	assert_false(kb_slot_always(eng, K_DERIVED, 0));
	struct kb_value unset[] = {kb_int(1), kb_nil()}, set[] = {kb_nil(), S("noted")};
	assert_null(kb_assert(eng, K_DERIVED, unset, NULL, NULL, &err));
	assert_string_equal(err.msg, "derived.note is declared always set, but this fact leaves it unset");
	const struct kb_fact *f = kb_assert(eng, K_DERIVED, set, NULL, NULL, NULL);
	assert_non_null(f);
	int slot = 1;
	struct kb_value none = kb_nil();
	err = (struct kb_error){0};
	assert_null(kb_modify(eng, f, 1, &slot, &none, &err));
	assert_non_null(strstr(err.msg, "derived.note is declared always set"));
	err = (struct kb_error){0};
	assert_int_equal(kb_slot_set_always(eng, K_DERIVED, 0, &err), -1);
	assert_string_equal(err.msg, "derived.pid cannot be declared always set once derived facts exist");
}

/* A slot's meaning: none until given, the first one kept (a kind
 * declared again elsewhere cannot reword it), refused for a slot that
 * does not exist. */
static void slot_meanings(void **state)
{
	(void)state;
	int port = kb_slot_find(eng, K_LISTENER, "port");
	assert_null(kb_slot_about(eng, K_LISTENER, (size_t)port));
	assert_int_equal(kb_slot_describe(eng, K_LISTENER, (size_t)port, "the local port"), 0);
	assert_int_equal(kb_slot_describe(eng, K_LISTENER, (size_t)port, "another wording"), 0);
	assert_string_equal(kb_slot_about(eng, K_LISTENER, (size_t)port), "the local port");
	assert_null(kb_slot_about(eng, K_LISTENER, (size_t)kb_slot_find(eng, K_LISTENER, "pid")));
	assert_int_equal(kb_slot_describe(eng, K_LISTENER, 99, "no such slot"), -1);
	assert_int_equal(kb_slot_describe(eng, 999, 0, "no such kind"), -1);
	assert_null(kb_slot_about(eng, 999, 0));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(join_matches_on_shared_variable),
		T(slot_meanings),
		T(action_sees_variable_values),
		T(negation_blocks_and_unblocks),
		T(negation_first_condition),
		T(exists_fires_once_for_many),
		T(retract_and_modify),
		T(salience_then_recency),
		T(refraction_fires_once),
		T(chaining_with_justification),
		T(duplicate_facts_are_not_asserted_twice),
		T(type_checked_assert),
		T(always_set_slots),
		T(comparison_membership_and_patterns),
		T(join_tests_between_variables),
		T(self_join_without_duplicates),
		T(predicates_on_slots_and_bindings),
		T(rule_errors_fail_one_activation_and_the_rule_goes_on),
		T(rule_added_after_facts_sees_them),
		T(cheap_tests_first),
		T(rules_share_nodes_and_can_be_removed),
		T(replacing_a_rule_by_name),
		T(halt_and_firing_limit),
		T(recorder_sees_every_event),
		T(lex_prefers_most_recent_facts),
		T(lex_ties_as_clips_breaks_them),
		T(malformed_rules_are_refused),
		T(interning_and_case_folding),
		T(kinds_declared_again),
		cmocka_unit_test(modify_in_place_and_shared_memories_change_nothing),
	};
	return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
