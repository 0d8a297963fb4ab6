/*
 * rule_fixture.h — building engine rules in C for the unit tests that
 * drive the core without Lua (explain, trace).  Include after <cmocka.h>
 * and "kb.h".
 */
#ifndef KBDIAG_TESTS_UNIT_RULE_FIXTURE_H
#define KBDIAG_TESTS_UNIT_RULE_FIXTURE_H

/* kb_rule_add(); a rule the engine refuses fails the test with its message. */
static inline const struct kb_rule *rule_add_or_fail(struct kb_engine *eng, const struct kb_rule_def *def)
{
	struct kb_error err = {0};
	const struct kb_rule *r = kb_rule_add(eng, def, &err);
	if (!r)
		fail_msg("%s", err.msg);
	return r;
}

/* An evidence fact of kind with its two slots set (bundle.txt:1); a fact
 * the engine refuses fails the test. */
static inline const struct kb_fact *assert_two(struct kb_engine *eng, int kind, struct kb_value a, struct kb_value b)
{
	struct kb_value v[] = {a, b};
	struct kb_prov prov = {KB_ORIGIN_EVIDENCE, "bundle.txt", 1, "a line", {0}};
	const struct kb_fact *f = kb_assert(eng, kind, v, &prov, NULL, NULL);
	assert_non_null(f);
	return f;
}

/* Slot tests: slot equals a variable, slot equals a constant. */
#define VAR(slot_, var_) {.slot = (slot_), .op = KB_OP_EQ, .operand = KB_OPERAND_VAR, .var = (var_)}
#define CONST(slot_, val_) {.slot = (slot_), .op = KB_OP_EQ, .operand = KB_OPERAND_CONST, .value = (val_)}

#endif
