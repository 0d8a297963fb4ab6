/*
 * rule_fixture.h — building engine rules in C for the unit tests that
 * drive the core without Lua (explain, trace).  Include after <cmocka.h>
 * and "kb.h".
 */
#ifndef KBDIAG_TESTS_UNIT_RULE_FIXTURE_H
#define KBDIAG_TESTS_UNIT_RULE_FIXTURE_H

/* A fact kind for engine_with_kinds(): its name and slots. */
struct fixture_kind {
	const char *name;
	size_t nslots;
	struct kb_slot_decl slots[3];
};

/* A new engine with the kinds k[0..n) declared, *ids[i] set to k[i]'s
 * number; a kind the engine refuses fails the test. */
static inline struct kb_engine *engine_with_kinds(const struct fixture_kind *k, size_t n, int *const *ids)
{
	struct kb_engine *eng = kb_engine_new();
	for (size_t i = 0; i < n; i++) {
		*ids[i] = kb_kind_declare(eng, k[i].name, k[i].nslots, k[i].slots, NULL);
		assert_true(*ids[i] >= 0);
	}
	return eng;
}

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
