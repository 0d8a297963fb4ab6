/*
 * test_prefilter.c — the engine's pre-filter (engine/prefilter.c): each
 * kind of alpha test on strings that are not interned (given as bytes of
 * a larger buffer, not NUL-terminated), case-insensitive tests on the
 * text, tests between two slots, predicates it does not
 * call, patterns that fail (left to the assert, recorded once) or failed
 * already, joins with a fixed kind (also past a predicate, and keyed to
 * one at an earlier level), values the assert would refuse, the
 * assert of a kept fact starting where its probe stopped, and
 * when it is on at all.  It
 * must intern nothing: the symbol table is counted (internal.h).
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
#include "rule_fixture.h"

enum { ID, SOURCE, COMPUTER, MESSAGE, COST, NSLOTS }; /* event's slots */

static struct kb_engine *eng;
static int K_EVENT, K_OTHER;
static int pred_calls;

static int setup(void **state)
{
	*state = eng = kb_engine_new();
	struct kb_slot_decl ev[] = {{"id", KB_INT}, {"source", KB_STRING}, {"computer", KB_STRING},
				    {"message", KB_STRING}, {"cost", KB_FLOAT}};
	struct kb_slot_decl other[] = {{"name", KB_STRING}};
	K_EVENT = kb_kind_declare(eng, "event", NSLOTS, ev, NULL);
	K_OTHER = kb_kind_declare(eng, "other", 1, other, NULL);
	kb_engine_set_match_steps(eng, 100000);
	pred_calls = 0;
	return 0;
}

static int teardown(void **state)
{
	kb_engine_free(*state);
	return 0;
}

static struct kb_value S(const char *s) { return kb_str(kb_intern_cstr(eng, s)); }

/* A rule of one event condition with these tests. */
static void rule(const char *name, size_t n, const struct kb_test *tests)
{
	struct kb_cond c = {.type = KB_COND_PATTERN, .kind = K_EVENT, .ntests = n, .tests = tests, .fact_var = -1,
			    .where = name};
	struct kb_rule_def def = {.name = name, .where = name, .nvars = 1, .nconds = 1, .conds = &c};
	rule_add_or_fail(eng, &def);
}

/* An event on offer, its strings given as bytes of a larger buffer (the
 * rest of the buffer is "#tail", which no test may see); NULL: unset. */
struct offer {
	int64_t id;
	const char *source, *computer, *message;
};

static bool wants(struct offer o)
{
	static char buf[4][256];
	const char *text[] = {NULL, o.source, o.computer, o.message};
	struct kb_value v[NSLOTS] = {kb_int(o.id), kb_nil(), kb_nil(), kb_nil(), kb_nil()};
	size_t lens[NSLOTS] = {0};
	for (int i = SOURCE; i <= MESSAGE; i++) {
		if (!text[i])
			continue;
		snprintf(buf[i], sizeof(buf[i]), "%s#tail", text[i]);
		v[i] = (struct kb_value){.type = KB_STRING, .u.s = buf[i]};
		lens[i] = strlen(text[i]);
	}
	size_t syms = eng->syms.count;
	bool r = kb_prefilter_wants(eng, K_EVENT, v, lens);
	assert_int_equal(eng->syms.count, syms); /* nothing interned */
	return r;
}

#define CONST_OP(slot_, op_, val_) {.slot = (slot_), .op = (op_), .operand = KB_OPERAND_CONST, .value = (val_)}
#define OTHER(slot_, op_) {.slot = (slot_), .op = (op_), .operand = KB_OPERAND_VAR, .var = 0}

static void off_until_started_then_counts_what_it_skips(void **state)
{
	(void)state;
	struct kb_test t[] = {CONST(ID, kb_int(11508))};
	rule("id", 1, t);
	assert_false(kb_prefilter_on(eng));
	assert_true(wants((struct offer){.id = 1}));
	kb_prefilter_start(eng);
	assert_true(kb_prefilter_on(eng));
	assert_true(wants((struct offer){.id = 11508}));
	assert_false(wants((struct offer){.id = 1}));
	assert_false(wants((struct offer){.id = 2}));
	assert_int_equal(kb_prefilter_skipped(eng, K_EVENT), 2);
	/* a kind no rule mentions has nothing to pass; a kept kind keeps all */
	struct kb_value name[] = {S("x")};
	assert_false(kb_prefilter_wants(eng, K_OTHER, name, NULL));
	kb_prefilter_keep_kind(eng, K_OTHER);
	assert_true(kb_prefilter_wants(eng, K_OTHER, name, NULL));
}

static void a_rule_added_later_turns_it_off_for_good(void **state)
{
	(void)state;
	struct kb_test t[] = {CONST(ID, kb_int(11508))};
	rule("id", 1, t);
	kb_prefilter_start(eng);
	assert_false(wants((struct offer){.id = 7}));
	struct kb_test t2[] = {CONST(ID, kb_int(7))};
	rule("seven", 1, t2);
	assert_false(kb_prefilter_on(eng));
	kb_prefilter_start(eng);
	assert_false(kb_prefilter_on(eng));
	assert_true(wants((struct offer){.id = 8}));
}

static void equality_and_sets_on_strings_not_interned(void **state)
{
	(void)state;
	struct kb_value set[] = {S("W3SVC"), S("SMTPSVC")};
	struct kb_test eq[] = {CONST(SOURCE, S("POP3"))};
	struct kb_test in[] = {{.slot = COMPUTER, .op = KB_OP_IN, .operand = KB_OPERAND_SET, .nset = 2, .set = set}};
	rule("eq", 1, eq);
	rule("in", 1, in);
	kb_prefilter_start(eng);
	assert_true(wants((struct offer){.source = "POP3"}));      /* interned: the constant */
	assert_false(wants((struct offer){.source = "POP"}));      /* a prefix of it is not */
	assert_false(wants((struct offer){.source = "IMAP4"}));
	assert_true(wants((struct offer){.computer = "SMTPSVC"}));
	assert_false(wants((struct offer){.computer = "SmtpSvc"})); /* not interned: equals nothing */
	assert_false(wants((struct offer){.id = 1}));
}

static void not_equal_and_ordering_read_the_text(void **state)
{
	(void)state;
	struct kb_test ne[] = {CONST(ID, kb_int(1)), CONST_OP(SOURCE, KB_OP_NE, S("POP3"))};
	struct kb_test lt[] = {CONST(ID, kb_int(2)), CONST_OP(SOURCE, KB_OP_LT, S("M"))};
	struct kb_test ge[] = {CONST(ID, kb_int(3)), CONST_OP(COST, KB_OP_GE, kb_float(2.5))};
	rule("ne", 2, ne);
	rule("lt", 2, lt);
	rule("ge", 2, ge);
	kb_prefilter_start(eng);
	assert_true(wants((struct offer){.id = 1, .source = "anything else"}));
	assert_false(wants((struct offer){.id = 1, .source = "POP3"}));
	assert_true(wants((struct offer){.id = 1}));                 /* nil is not "POP3" */
	assert_true(wants((struct offer){.id = 2, .source = "Apple"}));
	assert_false(wants((struct offer){.id = 2, .source = "Zebra"}));
	assert_false(wants((struct offer){.id = 2, .source = "M"}));
	assert_false(wants((struct offer){.id = 2}));                /* nil is in no order */
	/* an int in a float slot, as the assert would take it */
	struct kb_value v[NSLOTS] = {kb_int(3), kb_nil(), kb_nil(), kb_nil(), kb_int(3)};
	assert_true(kb_prefilter_wants(eng, K_EVENT, v, NULL));
	v[COST] = kb_int(2);
	assert_false(kb_prefilter_wants(eng, K_EVENT, v, NULL));
}

static void case_insensitive_tests_compare_the_text(void **state)
{
	(void)state;
	struct kb_test ci[] = {CONST_OP(SOURCE, KB_OP_CI_EQ, S("Pop3"))};
	rule("ci", 1, ci);
	kb_prefilter_start(eng);
	assert_true(wants((struct offer){.source = "POP3"}));
	assert_true(wants((struct offer){.source = "pOp3"}));
	assert_true(wants((struct offer){.source = "pop3"}));
	assert_false(wants((struct offer){.source = "POP33"}));
	assert_false(wants((struct offer){.source = "IMAP"}));
}

static void tests_between_two_slots_compare_contents(void **state)
{
	(void)state;
	struct kb_test eq[] = {CONST(ID, kb_int(1)), VAR(SOURCE, 0), OTHER(COMPUTER, KB_OP_EQ)};
	struct kb_test ci[] = {CONST(ID, kb_int(2)), VAR(SOURCE, 0), OTHER(COMPUTER, KB_OP_CI_EQ)};
	struct kb_test gt[] = {CONST(ID, kb_int(3)), VAR(SOURCE, 0), OTHER(COMPUTER, KB_OP_GT)};
	rule("eq", 3, eq);
	rule("ci", 3, ci);
	rule("gt", 3, gt);
	kb_prefilter_start(eng);
	assert_true(wants((struct offer){.id = 1, .source = "EXCH01", .computer = "EXCH01"}));
	assert_false(wants((struct offer){.id = 1, .source = "EXCH01", .computer = "exch01"}));
	assert_true(wants((struct offer){.id = 2, .source = "EXCH01", .computer = "exch01"}));
	assert_true(wants((struct offer){.id = 2, .source = "Exch01", .computer = "eXCH01"}));
	assert_false(wants((struct offer){.id = 2, .source = "EXCH01", .computer = "exch02"}));
	assert_true(wants((struct offer){.id = 3, .source = "A", .computer = "B"}));
	assert_false(wants((struct offer){.id = 3, .source = "B", .computer = "B"}));
}

static void patterns_match_the_text_given(void **state)
{
	(void)state;
	struct kb_test m[] = {CONST_OP(MESSAGE, KB_OP_MATCH, S("%d+ms$"))};
	struct kb_test plain[] = {CONST_OP(SOURCE, KB_OP_MATCH, S("Pop"))};
	rule("match", 1, m);
	rule("plain", 1, plain);
	kb_prefilter_start(eng);
	assert_true(wants((struct offer){.message = "timeout after 30ms"})); /* "#tail" follows in the buffer */
	assert_false(wants((struct offer){.message = "timeout after 30ms."}));
	assert_true(wants((struct offer){.source = "MSExchange Pop3"}));
	assert_false(wants((struct offer){.source = "Po"}));
}

/* Screens that overlap, end inside one another and differ in case are
 * found in one reading of the value, each exactly. */
static void screens_are_looked_for_at_once(void **state)
{
	(void)state;
	static const char *const pats[] = {"she", "hers", "his", "[Bb]ind failed", "Address in use", "é€"};
	struct kb_test t[6][1];
	char name[6][8];
	for (size_t i = 0; i < 6; i++) {
		t[i][0] = (struct kb_test)CONST_OP(MESSAGE, KB_OP_MATCH, S(pats[i]));
		snprintf(name[i], sizeof(name[i]), "r%zu", i);
		rule(name[i], 1, t[i]);
	}
	struct kb_test other[] = {CONST_OP(SOURCE, KB_OP_MATCH, S("his"))};
	struct kb_test longer[] = {CONST_OP(SOURCE, KB_OP_MATCH, S("xabc"))};
	struct kb_test inside[] = {CONST_OP(SOURCE, KB_OP_MATCH, S("ab"))};
	rule("other-slot", 1, other);
	rule("longer", 1, longer);
	rule("inside", 1, inside);
	kb_prefilter_start(eng);
	assert_true(wants((struct offer){.message = "ushers"}));  /* she, hers, ending in one another */
	assert_true(wants((struct offer){.message = "xxhisx"}));
	assert_false(wants((struct offer){.message = "SHE HERS HIS"})); /* found without case, then not exactly */
	assert_false(wants((struct offer){.message = "BIND FAILED"}));
	assert_true(wants((struct offer){.message = "bind failed"}));
	assert_true(wants((struct offer){.message = "Bind failed"}));
	assert_false(wants((struct offer){.message = "address in use"}));
	assert_true(wants((struct offer){.message = "port: Address in use"}));
	assert_true(wants((struct offer){.message = "caf\xc3\xa9\xe2\x82\xac"}));
	assert_false(wants((struct offer){.message = "caf\xc3\xa9"}));
	assert_false(wants((struct offer){.message = "hi", .source = "she"}));
	assert_true(wants((struct offer){.message = "hi", .source = "this"}));
	assert_false(wants((struct offer){.message = "h"}));
	assert_true(wants((struct offer){.message = "h", .source = "xab"})); /* "ab" ends inside "xabc"'s path */
	assert_false(wants((struct offer){.message = "h", .source = "xa"}));
}

/* Values longer than the sixteen or thirty-two bytes read at a time: a
 * screen is found at every place, across every block's end and in the
 * tail, and a screen cut short by the value's end is not; with AVX2, with
 * SSE2 and with neither. */
static void screens_found_anywhere(int vector_bytes)
{
	kb_screens_limit_vectors(vector_bytes);
	struct kb_test bind[] = {CONST_OP(MESSAGE, KB_OP_MATCH, S("[Bb]ind failed"))};
	struct kb_test pair[] = {CONST_OP(MESSAGE, KB_OP_MATCH, S("q%("))}; /* a window of two bytes */
	rule("bind", 1, bind);
	rule("pair", 1, pair);
	kb_prefilter_start(eng);
	char msg[128];
	for (size_t at = 0; at + 11 <= 100; at++) {
		memset(msg, 'x', 100);
		msg[100] = '\0';
		memcpy(msg + at, "Bind failed", 11);
		assert_true(wants((struct offer){.message = msg}));
		memcpy(msg + at, "BIND FAILED", 11); /* found without case, then not exactly */
		assert_false(wants((struct offer){.message = msg}));
		msg[at + 10] = '\0'; /* "Bind faile" at the end */
		memcpy(msg + at, "Bind faile", 10);
		assert_false(wants((struct offer){.message = msg}));
	}
	for (size_t at = 0; at + 2 <= 80; at++) {
		memset(msg, 'q', 80);
		msg[80] = '\0';
		memcpy(msg + at, "q(", 2);
		assert_true(wants((struct offer){.message = msg}));
	}
	memset(msg, 'q', 80);
	assert_false(wants((struct offer){.message = msg}));
	kb_screens_limit_vectors(32);
}

static void screens_are_found_anywhere_in_long_values(void **state)
{
	(void)state;
	screens_found_anywhere(32);
}

static void screens_are_found_anywhere_without_avx2(void **state)
{
	(void)state;
	screens_found_anywhere(16);
}

static void screens_are_found_anywhere_without_vectors(void **state)
{
	(void)state;
	screens_found_anywhere(0);
}

/* Nodes whose first tests are the same comparison share its answer in a
 * probe, and each goes on to its own tests; a later probe asks again. */
static void a_first_test_two_nodes_share_is_made_once_per_probe(void **state)
{
	(void)state;
	/* the id test runs first in both (atest_order(): cheapest, then by slot) */
	struct kb_test src[] = {CONST_OP(ID, KB_OP_NE, kb_int(7)), CONST_OP(SOURCE, KB_OP_NE, S("a"))};
	struct kb_test comp[] = {CONST_OP(ID, KB_OP_NE, kb_int(7)), CONST_OP(COMPUTER, KB_OP_NE, S("a"))};
	rule("src", 2, src);
	rule("comp", 2, comp);
	kb_prefilter_start(eng);
	size_t shared = 0;
	for (struct alpha_node *a = eng->kinds[K_EVENT].alphas; a; a = a->next)
		shared += a->first_rep && a->first_rep != a;
	assert_int_equal(shared, 1);
	assert_false(wants((struct offer){.id = 7, .source = "x", .computer = "x"}));
	assert_true(wants((struct offer){.id = 1, .source = "x", .computer = "a"}));
	assert_false(wants((struct offer){.id = 1, .source = "a", .computer = "a"}));
	assert_true(wants((struct offer){.id = 1, .source = "a", .computer = "x"}));
	assert_false(wants((struct offer){.id = 7, .source = "a", .computer = "x"}));
}

static int even(void *ud, const struct kb_value *args, size_t nargs, struct kb_error *err)
{
	(void)ud, (void)nargs, (void)err;
	pred_calls++;
	return args[0].type == KB_INT && args[0].u.i % 2 == 0;
}

static void predicates_are_not_called_and_answer_could_match(void **state)
{
	(void)state;
	/* the predicate runs last (atest_order()): the constant and the pattern
	 * decide first, and an odd id, which it would refuse, is kept */
	struct kb_test t[] = {CONST(SOURCE, S("W3SVC")),
			      {.slot = ID, .op = KB_OP_PRED, .operand = KB_OPERAND_NONE, .pred = {.fn = even}},
			      CONST_OP(MESSAGE, KB_OP_MATCH, S("^a"))};
	rule("pred", 3, t);
	kb_prefilter_start(eng);
	assert_true(wants((struct offer){.id = 1, .source = "W3SVC", .message = "a"}));
	assert_false(wants((struct offer){.id = 1, .source = "W3SVC", .message = "b"}));
	assert_false(wants((struct offer){.id = 1, .source = "SMTPSVC"}));
	assert_int_equal(pred_calls, 0);
	/* the assert calls it */
	struct kb_value v[NSLOTS] = {kb_int(1), S("W3SVC"), kb_nil(), S("a"), kb_nil()};
	assert_non_null(kb_assert(eng, K_EVENT, v, NULL, NULL, NULL));
	assert_int_equal(pred_calls, 1);
	assert_int_equal(kb_rule_error_count(eng), 0);
}

static void a_failing_pattern_is_left_to_the_assert_and_recorded_once(void **state)
{
	(void)state;
	struct kb_test bad[] = {CONST(ID, kb_int(1)), CONST_OP(MESSAGE, KB_OP_MATCH, S("a%"))};
	rule("bad", 2, bad);
	kb_prefilter_start(eng);
	assert_false(wants((struct offer){.id = 1, .message = "x"}));     /* the '%' is not reached */
	assert_true(wants((struct offer){.id = 1, .message = "a"}));      /* reached: the assert will tell */
	assert_int_equal(kb_rule_error_count(eng), 0);
	struct kb_value v[NSLOTS] = {kb_int(1), kb_nil(), kb_nil(), S("a"), kb_nil()};
	assert_non_null(kb_assert(eng, K_EVENT, v, NULL, NULL, NULL));
	assert_int_equal(kb_rule_error_count(eng), 1);
	assert_string_equal(kb_rule_error(eng, 0)->msg, "rule bad: pattern \"a%\": malformed pattern (ends with '%')");
	/* spent, the network fails it from now on; the probe still runs it, as
	 * the failed rule's near miss will (here it cannot tell), and records
	 * nothing */
	assert_true(wants((struct offer){.id = 1, .message = "a"}));
	assert_false(wants((struct offer){.id = 2, .message = "a"}));
	assert_int_equal(kb_rule_error_count(eng), 1);
}

/* A rule of two conditions, each with its tests; variable 0 joins them. */
static void rule2(const char *name, int kind1, size_t n1, const struct kb_test *t1, enum kb_cond_type type2,
		  int kind2, size_t n2, const struct kb_test *t2)
{
	struct kb_cond c[] = {
		{.type = KB_COND_PATTERN, .kind = kind1, .ntests = n1, .tests = t1, .fact_var = -1, .where = name},
		{.type = type2, .kind = kind2, .ntests = n2, .tests = t2, .fact_var = -1, .where = name},
	};
	struct kb_rule_def def = {.name = name, .where = name, .nvars = 1, .nconds = 2, .conds = c};
	rule_add_or_fail(eng, &def);
}

static void other(const char *name)
{
	struct kb_value v[] = {S(name)};
	assert_non_null(kb_assert(eng, K_OTHER, v, NULL, NULL, NULL));
}

static void a_fact_that_joins_no_fact_of_a_fixed_kind_is_turned_away(void **state)
{
	(void)state;
	struct kb_test ev[] = {CONST(ID, kb_int(1)), VAR(SOURCE, 0)};
	struct kb_test name[] = {VAR(0, 0)};
	rule2("join", K_EVENT, 2, ev, KB_COND_PATTERN, K_OTHER, 1, name);
	other("W3SVC");
	S("POP3"); /* interned, and in no fact of other */
	kb_prefilter_fix_kind(eng, K_OTHER);
	kb_prefilter_start(eng);
	assert_true(wants((struct offer){.id = 1, .source = "W3SVC"}));
	assert_false(wants((struct offer){.id = 1, .source = "POP3"}));
	assert_false(wants((struct offer){.id = 1, .source = "w3svc"}));
	assert_false(wants((struct offer){.id = 2, .source = "W3SVC"}));
	assert_int_equal(kb_prefilter_skipped(eng, K_EVENT), 3);
	/* relying on it, the engine keeps other as it is */
	assert_true(kb_prefilter_holds_fixed(eng, K_OTHER));
	struct kb_value v[] = {S("POP3")};
	struct kb_error err = {0};
	assert_null(kb_assert(eng, K_OTHER, v, NULL, NULL, &err));
	assert_non_null(strstr(err.msg, "other is a table of knowledge"));
	const struct kb_fact *w3svc = kb_fact_get(eng, 1);
	int slot = 0;
	assert_null(kb_modify(eng, w3svc, 1, &slot, v, &err));
}

static void the_fixed_kind_may_come_first(void **state)
{
	(void)state;
	struct kb_test name[] = {VAR(0, 0)};
	struct kb_test ev[] = {CONST(ID, kb_int(2)), VAR(SOURCE, 0)};
	rule2("first", K_OTHER, 1, name, KB_COND_PATTERN, K_EVENT, 2, ev);
	other("W3SVC");
	other("SMTPSVC");
	kb_prefilter_fix_kind(eng, K_OTHER);
	kb_prefilter_start(eng);
	assert_true(wants((struct offer){.id = 2, .source = "SMTPSVC"}));
	assert_false(wants((struct offer){.id = 2, .source = "IMAP4"}));
}

/* other { name = ?0 }, event { id = 1 }, then a third condition of type
 * on an event with source ?0 whose id is even (a predicate): that join's
 * left memory is not final (events come), but every token in it carries
 * a fact of other at level 0. */
static void rule_keyed_to_other(const char *name, enum kb_cond_type type)
{
	struct kb_test first[] = {VAR(0, 0)};
	struct kb_test middle[] = {CONST(ID, kb_int(1))};
	struct kb_test last[] = {VAR(SOURCE, 0),
				 {.slot = ID, .op = KB_OP_PRED, .operand = KB_OPERAND_NONE, .pred = {.fn = even}}};
	struct kb_cond c[] = {
		{.type = KB_COND_PATTERN, .kind = K_OTHER, .ntests = 1, .tests = first, .fact_var = -1, .where = name},
		{.type = KB_COND_PATTERN, .kind = K_EVENT, .ntests = 1, .tests = middle, .fact_var = -1, .where = name},
		{.type = type, .kind = K_EVENT, .ntests = 2, .tests = last, .fact_var = -1, .where = name},
	};
	struct kb_rule_def def = {.name = name, .where = name, .nvars = 1, .nconds = 3, .conds = c};
	rule_add_or_fail(eng, &def);
}

/* A join, negation or exists keyed to a fixed kind's slot at an earlier
 * level turns away a fact whose value no fact of that kind has, though
 * a predicate the probe does not run stands before it: whatever the
 * predicate says, the fact could join no token there. */
static void a_key_to_an_earlier_fixed_fact_turns_away_what_no_row_has(void **state)
{
	(void)state;
	rule_keyed_to_other("exists", KB_COND_EXISTS);
	rule_keyed_to_other("no", KB_COND_NOT);
	rule_keyed_to_other("join", KB_COND_PATTERN);
	other("W3SVC");
	S("POP3"); /* interned, and in no fact of other */
	kb_prefilter_fix_kind(eng, K_OTHER);
	kb_prefilter_start(eng);
	assert_true(wants((struct offer){.id = 2, .source = "W3SVC"}));
	assert_true(wants((struct offer){.id = 3, .source = "W3SVC"})); /* the predicate would tell */
	assert_false(wants((struct offer){.id = 2, .source = "POP3"}));
	assert_false(wants((struct offer){.id = 2, .source = "IMAP4"})); /* not interned */
	assert_true(wants((struct offer){.id = 1, .source = "IMAP4"}));  /* the middle condition's */
	assert_int_equal(pred_calls, 0);
	assert_int_equal(kb_prefilter_skipped(eng, K_EVENT), 2);
	/* not fixed, other could gain the row: kept */
	kb_engine_free(eng);
	setup(state);
	rule_keyed_to_other("exists", KB_COND_EXISTS);
	other("W3SVC");
	kb_prefilter_start(eng);
	assert_true(wants((struct offer){.id = 2, .source = "IMAP4"}));
}

static void what_can_change_or_block_keeps_the_fact(void **state)
{
	(void)state;
	struct kb_test ev1[] = {CONST(ID, kb_int(1)), VAR(SOURCE, 0)};
	struct kb_test ev3[] = {CONST(ID, kb_int(3)), VAR(SOURCE, 0)};
	struct kb_test name[] = {VAR(0, 0)};
	rule2("not-fixed", K_EVENT, 2, ev1, KB_COND_PATTERN, K_OTHER, 1, name);
	rule2("negation", K_EVENT, 2, ev3, KB_COND_NOT, K_OTHER, 1, name);
	other("W3SVC");
	kb_prefilter_start(eng); /* other is not fixed: a rule could add to it */
	assert_true(wants((struct offer){.id = 1, .source = "POP3"}));
	assert_false(kb_prefilter_holds_fixed(eng, K_OTHER));
	other("POP3");
	kb_prefilter_fix_kind(eng, K_OTHER);
	kb_prefilter_start(eng);
	assert_true(wants((struct offer){.id = 3, .source = "IMAP4"})); /* no other blocks it */
}

static void asserted(void *ud, const struct kb_fact *f)
{
	(void)ud, (void)f;
}

/* A recorder asks for near misses, which say how many partial matches
 * reached the condition they stopped at: [event] here, one per event with
 * id 1 whatever its source.  The first few are kept, for a near miss to
 * show; the others are turned away and counted. */
static void with_a_recorder_it_counts_the_partial_matches_it_turns_away(void **state)
{
	(void)state;
	struct kb_test ev[] = {CONST(ID, kb_int(1)), VAR(SOURCE, 0)};
	struct kb_test name[] = {VAR(0, 0)};
	rule2("join", K_EVENT, 2, ev, KB_COND_PATTERN, K_OTHER, 1, name);
	other("W3SVC");
	static const struct kb_recorder rec = {.asserted = asserted};
	kb_engine_set_recorder(eng, &rec);
	kb_prefilter_fix_kind(eng, K_OTHER);
	kb_prefilter_start(eng);
	assert_true(kb_prefilter_holds_fixed(eng, K_OTHER));
	for (int i = 0; i < KB_NEAR_SHOWN; i++) {
		char message[8];
		snprintf(message, sizeof(message), "m%d", i);
		assert_true(wants((struct offer){.id = 1, .source = "POP3", .message = message}));
		struct kb_value v[NSLOTS] = {kb_int(1), S("POP3"), kb_nil(), S(message), kb_nil()};
		assert_non_null(kb_assert(eng, K_EVENT, v, NULL, NULL, NULL));
	}
	assert_false(wants((struct offer){.id = 1, .source = "POP3"}));
	assert_false(wants((struct offer){.id = 1, .source = "IMAP4"}));
	assert_false(wants((struct offer){.id = 2, .source = "POP3"}));
	assert_int_equal(kb_prefilter_skipped(eng, K_EVENT), 3);
	struct kb_near_miss m;
	kb_rule_near_miss(eng, kb_rule_find(eng, "join"), &m);
	assert_int_equal(m.cond, 1);
	assert_int_equal(m.partial, KB_NEAR_SHOWN + 2);
	assert_int_equal(m.reason, KB_NEAR_NO_MATCH);
}

static void values_the_assert_refuses_are_kept_for_it_to_say_why(void **state)
{
	(void)state;
	struct kb_test t[] = {CONST(ID, kb_int(1))};
	rule("id", 1, t);
	kb_prefilter_start(eng);
	struct kb_value v[NSLOTS] = {S("one"), kb_nil(), kb_nil(), kb_nil(), kb_nil()};
	assert_true(kb_prefilter_wants(eng, K_EVENT, v, NULL));
	assert_int_equal(kb_prefilter_skipped(eng, K_EVENT), 0);
}

/* The assert of a fact the probe kept starts where the probe found the
 * first node the fact does not fail (engine/alpha.c): the fact still enters
 * every node it passes, before and after that one, and the same array
 * asserted after a probe it failed, or without a probe, is walked whole. */
static void a_kept_fact_reaches_every_node_it_passes(void **state)
{
	(void)state;
	struct kb_test lt[] = {CONST_OP(ID, KB_OP_LT, kb_int(0))};
	struct kb_test ne[] = {CONST_OP(SOURCE, KB_OP_NE, S("a"))};
	struct kb_test gt[] = {CONST_OP(ID, KB_OP_GT, kb_int(1))};
	struct kb_test m[] = {CONST_OP(MESSAGE, KB_OP_MATCH, S("x"))};
	struct kb_test big[] = {CONST_OP(COST, KB_OP_GT, kb_float(100))};
	/* a predicate the probe cannot answer, first and last of the rules, so
	 * that one of them comes before the first node the fact passes */
	struct kb_test even_id = {.slot = ID, .op = KB_OP_PRED, .operand = KB_OPERAND_NONE, .pred = {.fn = even}};
	struct kb_test pred[] = {CONST_OP(MESSAGE, KB_OP_NE, S("no")), even_id};
	struct kb_test small_pred[] = {CONST_OP(COST, KB_OP_GT, kb_float(0)), even_id};
	rule("even", 2, pred);
	rule("lt", 1, lt);
	rule("ne", 1, ne);
	rule("gt", 1, gt);
	rule("match", 1, m);
	rule("big", 1, big);
	rule("positive-even", 2, small_pred);
	kb_prefilter_start(eng);
	struct kb_value v[NSLOTS] = {kb_int(2), S("a"), kb_nil(), S("xyz"), kb_float(1)};
	assert_true(kb_prefilter_wants(eng, K_EVENT, v, NULL));
	assert_non_null(kb_assert(eng, K_EVENT, v, NULL, NULL, NULL));
	assert_int_equal(kb_run(eng, 0), 4); /* even, gt, match, positive-even */
	/* the next fact in the same array: probed and failed, then asserted
	 * anyway (as no importer does), it must meet every node again */
	v[ID] = kb_int(0);
	v[MESSAGE] = S("no");
	v[COST] = kb_float(-1);
	assert_false(kb_prefilter_wants(eng, K_EVENT, v, NULL));
	v[ID] = kb_int(-5);
	v[COST] = kb_float(500);
	assert_non_null(kb_assert(eng, K_EVENT, v, NULL, NULL, NULL));
	assert_int_equal(kb_run(eng, 0), 2); /* lt, big */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(off_until_started_then_counts_what_it_skips, setup, teardown),
		cmocka_unit_test_setup_teardown(a_kept_fact_reaches_every_node_it_passes, setup, teardown),
		cmocka_unit_test_setup_teardown(a_rule_added_later_turns_it_off_for_good, setup, teardown),
		cmocka_unit_test_setup_teardown(equality_and_sets_on_strings_not_interned, setup, teardown),
		cmocka_unit_test_setup_teardown(not_equal_and_ordering_read_the_text, setup, teardown),
		cmocka_unit_test_setup_teardown(case_insensitive_tests_compare_the_text, setup, teardown),
		cmocka_unit_test_setup_teardown(tests_between_two_slots_compare_contents, setup, teardown),
		cmocka_unit_test_setup_teardown(patterns_match_the_text_given, setup, teardown),
		cmocka_unit_test_setup_teardown(screens_are_looked_for_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(screens_are_found_anywhere_in_long_values, setup, teardown),
		cmocka_unit_test_setup_teardown(screens_are_found_anywhere_without_avx2, setup, teardown),
		cmocka_unit_test_setup_teardown(screens_are_found_anywhere_without_vectors, setup, teardown),
		cmocka_unit_test_setup_teardown(a_first_test_two_nodes_share_is_made_once_per_probe, setup, teardown),
		cmocka_unit_test_setup_teardown(predicates_are_not_called_and_answer_could_match, setup, teardown),
		cmocka_unit_test_setup_teardown(a_failing_pattern_is_left_to_the_assert_and_recorded_once, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_fact_that_joins_no_fact_of_a_fixed_kind_is_turned_away, setup,
						teardown),
		cmocka_unit_test_setup_teardown(the_fixed_kind_may_come_first, setup, teardown),
		cmocka_unit_test_setup_teardown(a_key_to_an_earlier_fixed_fact_turns_away_what_no_row_has, setup,
						teardown),
		cmocka_unit_test_setup_teardown(what_can_change_or_block_keeps_the_fact, setup, teardown),
		cmocka_unit_test_setup_teardown(with_a_recorder_it_counts_the_partial_matches_it_turns_away, setup, teardown),
		cmocka_unit_test_setup_teardown(values_the_assert_refuses_are_kept_for_it_to_say_why, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
