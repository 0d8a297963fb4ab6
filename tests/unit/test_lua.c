/*
 * test_lua.c — the rule language: every pattern form and action, the
 * knowledge and kind declarations, error messages with file:line, the
 * sandbox's refusals and the budgets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "facts.h"
#include "kblua.h"

static struct kb_engine *eng;
static struct kb_lua *lua;

static int setup(void **state)
{
	(void)state;
	eng = kb_engine_new();
	assert_int_equal(kbf_schema_declare(eng, NULL), 0);
	struct kb_lua_limits lim = {.instructions = 2000000, .memory = 32u << 20, .load_seconds = 0.5};
	lua = kb_lua_new(eng, &lim);
	assert_non_null(lua);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kb_lua_free(lua);
	kb_engine_free(eng);
	return 0;
}

static int load(const char *name, const char *src)
{
	return kb_lua_load_string(lua, name, src, strlen(src));
}

/* Loads and compiles; fails the test on any error diagnostic. */
static void rules(const char *src)
{
	size_t before = kb_lua_ndiags(lua);
	load("t.lua", src);
	kb_lua_compile(lua);
	for (size_t i = before; i < kb_lua_ndiags(lua); i++)
		if (kb_lua_diag(lua, i)->level == KB_DIAG_ERROR)
			fail_msg("%s: %s", kb_lua_diag(lua, i)->where, kb_lua_diag(lua, i)->msg);
}

/* The first diagnostic whose message contains needle, or NULL. */
static const struct kb_diag *diag_with(const char *needle)
{
	for (size_t i = 0; i < kb_lua_ndiags(lua); i++)
		if (strstr(kb_lua_diag(lua, i)->msg, needle))
			return kb_lua_diag(lua, i);
	return NULL;
}

static void fact(const char *kind, ...)
{
	int k = kb_kind_find(eng, kind);
	assert_true(k >= 0);
	struct kb_value v[32];
	for (size_t i = 0; i < kb_kind_nslots(eng, k); i++)
		v[i] = kb_nil();
	va_list ap;
	va_start(ap, kind);
	for (const char *slot; (slot = va_arg(ap, const char *));) {
		int s = kb_slot_find(eng, k, slot);
		assert_true(s >= 0);
		if (kb_kind_slot(eng, k, (size_t)s)->type == KB_STRING)
			v[s] = kb_str(kb_intern_cstr(eng, va_arg(ap, const char *)));
		else if (kb_kind_slot(eng, k, (size_t)s)->type == KB_BOOL)
			v[s] = kb_bool(va_arg(ap, int));
		else
			v[s] = kb_int(va_arg(ap, int));
	}
	va_end(ap);
	struct kb_prov prov = {KB_ORIGIN_EVIDENCE, "evidence.txt", 7, "raw line", {0}};
	assert_non_null(kb_assert(eng, k, v, &prov, NULL, NULL));
}

/* Messages of the findings, in the order made, joined with '|'. */
static const char *findings(void)
{
	static char buf[4096];
	buf[0] = '\0';
	int k = kb_kind_find(eng, KB_FINDING_KIND);
	int m = kb_slot_find(eng, k, "message");
	for (uint32_t id = 1; id <= kb_fact_count(eng); id++) {
		const struct kb_fact *f = kb_fact_get(eng, id);
		if (f->kind == k && f->live) {
			size_t len = strlen(buf);
			snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? "|" : "", f->slots[m].u.s);
		}
	}
	return buf;
}

static void equality_and_variables(void **state)
{
	(void)state;
	rules("rule 'r' { title = 't', severity = 'error',\n"
	      "  when = { listener { protocol = 'tcp', port = 110, pid = '?pid', owner_known = true },\n"
	      "           process { pid = '?pid', name = '?name' } },\n"
	      "  diagnose = '?name (PID ?pid) holds port 110' }\n");
	fact("listener", "protocol", "tcp", "port", 110, "pid", 812, "owner_known", 1, NULL);
	fact("listener", "protocol", "udp", "port", 110, "pid", 900, "owner_known", 1, NULL);
	fact("process", "pid", 812, "name", "PoProxy.exe", NULL);
	fact("process", "pid", 900, "name", "other.exe", NULL);
	kb_run(eng, 0);
	assert_string_equal(findings(), "PoProxy.exe (PID 812) holds port 110");
}

static void slot_tests(void **state)
{
	(void)state;
	rules("local function d(id, pattern) rule(id) { title = id, severity = 'info', when = { pattern }, diagnose = id .. ' ?p' } end\n"
	      "d('ci', process { name = ci 'STORE.exe', pid = '?p' })\n"
	      "d('ne', process { name = ne 'store.exe', pid = '?p' })\n"
	      "d('range', process { pid = { '?p', gt(100), le(200) } })\n"
	      "d('one_of', process { pid = one_of { 5, 150 }, name = '?p' })\n"
	      "d('match', process { name = match '^in%a+%.exe$', pid = '?p' })\n"
	      "d('lit', process { name = lit '?odd', pid = '?p' })\n"
	      "d('pred', process { pid = test(function(v) return v % 2 == 1 end), name = '?p' })\n");
	fact("process", "pid", 5, "name", "store.exe", NULL);
	fact("process", "pid", 150, "name", "inetinfo.exe", NULL);
	fact("process", "pid", 201, "name", "?odd", NULL);
	kb_run(eng, 0);
	const char *f = findings();
	assert_non_null(strstr(f, "ci 5"));
	assert_null(strstr(f, "ne 5"));
	assert_non_null(strstr(f, "ne 150"));
	assert_non_null(strstr(f, "range 150"));
	assert_null(strstr(f, "range 201"));
	assert_non_null(strstr(f, "one_of store.exe"));
	assert_non_null(strstr(f, "one_of inetinfo.exe"));
	assert_non_null(strstr(f, "match 150"));
	assert_non_null(strstr(f, "lit 201"));
	assert_non_null(strstr(f, "pred store.exe"));
	assert_non_null(strstr(f, "pred ?odd"));
	assert_null(strstr(f, "pred inetinfo.exe"));
}

static void comparisons_between_variables_and_tests(void **state)
{
	(void)state;
	rules("rule 'older' { title = 't', severity = 'warning',\n"
	      "  when = { file { name = ci 'mfc42.dll', version_code = lt(version '6.0.8168.0'), version = '?v' },\n"
	      "           listener { port = '?a' }, listener { port = gt('?a'), pid = '?b' },\n"
	      "           test(function(m) return m.b == 2 end) },\n"
	      "  diagnose = 'mfc42 ?v, port ?a below a port of pid ?b' }\n");
	int64_t old;
	assert_true(kb_version_code("6.0.8167.0", 10, &old));
	fact("file", "name", "MFC42.DLL", "version", "6.0.8167.0", "version_code", (int)0, NULL);
	/* version_code does not fit the varargs int: set it through a snapshot-like assert */
	int k = kb_kind_find(eng, "file");
	struct kb_value v[32];
	for (size_t i = 0; i < kb_kind_nslots(eng, k); i++)
		v[i] = kb_nil();
	v[kb_slot_find(eng, k, "name")] = kb_str(kb_intern_cstr(eng, "mfc42.dll"));
	v[kb_slot_find(eng, k, "version")] = kb_str(kb_intern_cstr(eng, "6.0.8167.0"));
	v[kb_slot_find(eng, k, "version_code")] = kb_int(old);
	kb_assert(eng, k, v, NULL, NULL, NULL);
	fact("listener", "port", 25, "pid", 1, NULL);
	fact("listener", "port", 110, "pid", 2, NULL);
	kb_run(eng, 0);
	assert_string_equal(findings(), "mfc42 6.0.8167.0, port 25 below a port of pid 2");
}

static void negation_existence_and_chaining(void **state)
{
	(void)state;
	rules("kind 'held' { port = 'integer', pid = 'integer' }\n"
	      "rule 'derive' { when = { listener { port = '?port', pid = '?pid' }, exists(process { pid = '?pid' }) },\n"
	      "  assert = { held { port = '?port', pid = '?pid' } } }\n"
	      "rule 'report' { title = 't', severity = 'error',\n"
	      "  when = { held { port = '?port', pid = '?pid' }, no(process { pid = '?pid', name = ci 'store.exe' }) },\n"
	      "  diagnose = 'port ?port held by ?pid' }\n");
	fact("listener", "port", 110, "pid", 812, NULL);
	fact("listener", "port", 119, "pid", 900, NULL);
	fact("listener", "port", 143, "pid", 999, NULL); /* no process: exists fails */
	fact("process", "pid", 812, "name", "PoProxy.exe", NULL);
	fact("process", "pid", 900, "name", "STORE.EXE", NULL);
	kb_run(eng, 0);
	assert_string_equal(findings(), "port 110 held by 812");
}

/* any_of: each choice that matches fires the rule with its own bindings;
 * what the choice that matched does not bind is nil to a later test()
 * and "unknown" in a message. */
static void choices_of_conditions(void **state)
{
	(void)state;
	rules("rule 'r' { title = 't', severity = 'error',\n"
	      "  when = { any_of { listener { port = 110, pid = '?pid' },\n"
	      "                    process { name = ci 'poproxy.exe', pid = '?pid', ppid = '?parent' },\n"
	      "                    no(process { name = 'store.exe' }) },\n"
	      "           test(function(m) return m.parent == nil end) },\n"
	      "  diagnose = 'pid ?pid parent ?parent' }\n");
	fact("listener", "port", 110, "pid", 812, NULL);
	fact("process", "pid", 812, "name", "PoProxy.exe", "ppid", 4, NULL);
	kb_run(eng, 0);
	assert_string_equal(findings(), "pid 812 parent unknown|pid unknown parent unknown");
	const struct kb_rule *r = kb_rule_find(eng, "r");
	assert_int_equal(kb_rule_count(eng), 1);
	assert_int_equal(kb_rule_nalternatives(r), 3);
	assert_int_equal(kb_rule_cond(r, 0)->type, KB_COND_ANY);
	assert_int_equal(kb_rule_cond(r, 1)->pred.nvars, 2); /* ?pid and ?parent, nil where no choice bound them */
}

static void lua_actions_modify_retract_and_halt(void **state)
{
	(void)state;
	rules("kind 'counter' { n = 'integer' }\n"
	      "fact 'counter' { n = 0 }\n"
	      "rule 'count' { when = { counter { n = lt(3), as = '?c' } },\n"
	      "  action = function(m) kb.modify(m.c, { n = m.c.n + 1 }) end }\n"
	      "rule 'done' { salience = 10, title = 'done', severity = 'info', when = { counter { n = 3, as = '?c' } },\n"
	      "  action = function(m) kb.diagnose { message = 'counted to ' .. m.c.n } kb.retract(m.c) kb.halt() end }\n");
	assert_int_equal(kb_run(eng, 0), 4);
	assert_string_equal(findings(), "counted to 3");
	int k = kb_kind_find(eng, "counter");
	for (uint32_t id = 1; id <= kb_fact_count(eng); id++)
		assert_false(kb_fact_get(eng, id)->kind == k && kb_fact_get(eng, id)->live);
}

/* Slots read and written from Lua by short names (Lua interns them) and by
 * a name over 40 bytes (it does not). */
static void lua_slot_names_short_and_long(void **state)
{
	(void)state;
	rules("kind 'tally' { n = 'integer', the_number_of_times_this_was_counted_so_far = 'integer' }\n"
	      "fact 'tally' { n = 0, the_number_of_times_this_was_counted_so_far = 0 }\n"
	      "rule 'up' { when = { tally { n = lt(2), as = '?t' } },\n"
	      "  action = function(m) local k = 'the_number_of_times_this_was_counted_so_far'\n"
	      "    kb.modify(m.t, { n = m.t.n + 1, [k] = m.t[k] + 10 }) end }\n"
	      "rule 'show' { title = 't', severity = 'info', when = { tally { n = 2, as = '?t' } },\n"
	      "  diagnose = function(m) return m.t.n .. ' ' .. m.t.the_number_of_times_this_was_counted_so_far end }\n");
	kb_run(eng, 0);
	assert_string_equal(findings(), "2 20");
}

static void lua_messages_and_kb_facts(void **state)
{
	(void)state;
	rules("rule 'addr' { title = 't', severity = 'warning', when = { listener { address = '?a', port = '?p' } },\n"
	      "  diagnose = function(m)\n"
	      "    local have = {}\n"
	      "    for _, f in ipairs(kb.facts('address')) do have[#have + 1] = f.address end\n"
	      "    return m.a .. ':' .. m.p .. ' not in ' .. table.concat(have, ', ')\n"
	      "  end,\n"
	      "  remedy = function(m) return 'fix ' .. m.a end }\n");
	fact("address", "address", "127.0.0.1", NULL);
	fact("address", "address", "10.0.0.5", NULL);
	fact("listener", "address", "192.0.2.10", "port", 80, NULL);
	kb_run(eng, 0);
	assert_string_equal(findings(), "192.0.2.10:80 not in 127.0.0.1, 10.0.0.5");
}

/* Whether the pre-filter, started now, would keep a fact of kind with no
 * slot set: no rule below matches such a fact. */
static bool prefilter_keeps(const char *kind)
{
	kb_prefilter_start(eng);
	int k = kb_kind_find(eng, kind);
	struct kb_value v[32];
	for (size_t i = 0; i < kb_kind_nslots(eng, k); i++)
		v[i] = kb_nil();
	return kb_prefilter_wants(eng, k, v, NULL);
}

/* kb.facts("kind") reads every fact of a kind whatever the patterns
 * match: the pre-filter keeps the kinds rule files name so, in the text,
 * not in comments or strings. */
static void kinds_read_by_kb_facts_are_kept_whole(void **state)
{
	(void)state;
	rules("-- kb.facts(kind) in a comment is no use of it, nor is 'kb.facts(k)' in a string\n"
	      "local s = 'kb.facts(k)'\n"
	      "rule 'r' { title = 't', severity = 'info', when = { listener { port = 80 } },\n"
	      "  diagnose = function(m) return #kb.facts('process') .. ' ' .. #kb.facts \"address\" end }\n");
	assert_true(prefilter_keeps("process"));
	assert_true(prefilter_keeps("address"));
	assert_false(prefilter_keeps("service"));
	assert_false(prefilter_keeps("listener")); /* port unset: not 80 */
}

/* A kind named with a NUL byte in it, twice: the names the scan keeps are
 * C strings, and looking the second up must not read past the first
 * (found by fuzz_rule_file). */
static void kind_names_with_a_nul_byte(void **state)
{
	(void)state;
	static const char src[] = "rule 'r' { title = 't', severity = 'info', when = { listener { port = 80 } },\n"
				  "  diagnose = function(m) return #kb.facts('ab\0c') .. #kb.facts('ab\0c') end }\n";
	assert_int_equal(kb_lua_load_string(lua, "nul.lua", src, sizeof(src) - 1), 0);
	kb_lua_compile(lua);
	assert_false(prefilter_keeps("service"));
}

/* A kb.facts whose kind the text does not name could read any kind: the
 * pre-filter is ruled out, and rules check says why. */
static void kb_facts_of_a_computed_kind_rules_the_filter_out(void **state)
{
	(void)state;
	kb_lua_set_lint(lua, true);
	rules("local function all(kind) return kb.facts(kind) end\n"
	      "rule 'r' { title = 't', severity = 'info', when = { listener { port = 80 } },\n"
	      "  diagnose = function(m) return #all('process') .. '' end }\n");
	const struct kb_diag *d = diag_with("kb.facts without a quoted kind");
	assert_non_null(d);
	assert_string_equal(d->where, "t.lua:1");
	assert_int_equal(d->level, KB_DIAG_NOTE);
	assert_true(prefilter_keeps("service")); /* starting it did nothing: all is kept */
	assert_false(kb_prefilter_on(eng));
}

/* What the text cannot show (kb["facts"]) is refused when it runs, if the
 * pre-filter left facts of the kind out: an error, not a partial list. */
static void kb_facts_refuses_a_kind_the_filter_thinned(void **state)
{
	(void)state;
	rules("rule 'r' { title = 't', severity = 'info', when = { listener { port = 80 } },\n"
	      "  diagnose = function(m) return #kb['fac' .. 'ts']('process') .. ' processes' end }\n");
	assert_false(prefilter_keeps("process"));
	fact("listener", "port", 80, NULL);
	kb_run(eng, 0);
	assert_int_equal(kb_rule_error_count(eng), 1);
	assert_non_null(strstr(kb_rule_error(eng, 0)->msg, "the pre-filter left out process facts"));
}

/* Whether the pre-filter keeps a listener on address:port. */
static bool prefilter_keeps_listener(const char *address, int port)
{
	kb_prefilter_start(eng);
	int k = kb_kind_find(eng, "listener");
	struct kb_value v[32];
	for (size_t i = 0; i < kb_kind_nslots(eng, k); i++)
		v[i] = kb_nil();
	v[kb_slot_find(eng, k, "address")] = kb_str(kb_intern_cstr(eng, address));
	v[kb_slot_find(eng, k, "port")] = kb_int(port);
	return kb_prefilter_wants(eng, k, v, NULL);
}

/* A table of knowledge no rule adds to is fixed: a listener that joins
 * none of its rows is turned away.  A table a rule adds to (declared, a
 * constructor in a function, a kind quoted to kb.assert, any kind of a
 * file that calls kb.modify) is not. */
static void tables_no_rule_adds_to_are_fixed(void **state)
{
	(void)state;
	static const char *const tables[] = {"fixed", "declared", "built", "quoted"};
	char src[2048] = "";
	for (size_t i = 0; i < 4; i++) {
		size_t n = strlen(src);
		snprintf(src + n, sizeof(src) - n,
			 "kind '%s' { port = 'integer' }\nfacts '%s' { { port = 110 } }\n"
			 "rule 'r%zu' { title = 't', severity = 'info',\n"
			 "  when = { listener { address = '%s', port = '?p' }, %s { port = '?p' } }, diagnose = 'x' }\n",
			 tables[i], tables[i], i, tables[i], tables[i]);
	}
	strcat(src, "rule 'd' { when = { process { pid = 1 } }, assert = { declared { port = 1 } } }\n"
		    "rule 'b' { when = { process { pid = 2 } }, action = function() kb.assert(built { port = 2 }) end }\n"
		    "rule 'q' { when = { process { pid = 3 } }, action = function() kb.assert('quoted', { port = 3 }) end }\n");
	rules(src);
	assert_true(prefilter_keeps_listener("fixed", 110));
	assert_false(prefilter_keeps_listener("fixed", 25));
	assert_true(prefilter_keeps_listener("declared", 25));
	assert_true(prefilter_keeps_listener("built", 25));
	assert_true(prefilter_keeps_listener("quoted", 25));
}

/* A file that calls kb.modify could change any kind it names. */
static void tables_a_file_modifies_are_not_fixed(void **state)
{
	(void)state;
	rules("kind 'stage' { port = 'integer' }\nfact 'stage' { port = 1 }\n"
	      "rule 's' { title = 't', severity = 'info',\n"
	      "  when = { listener { address = 'stage', port = '?p' }, stage { port = '?p' } }, diagnose = 'x' }\n"
	      "rule 'next' { when = { stage { port = lt(3), as = '?s' } },\n"
	      "  action = function(m) kb.modify(m.s, { port = m.s.port + 1 }) end }\n");
	assert_true(prefilter_keeps_listener("stage", 3));
}

/* A kind the rule files declare but do not fill is no table: its facts
 * come with the evidence (a snapshot), after the filter starts. */
static void kinds_evidence_fills_are_not_fixed(void **state)
{
	(void)state;
	rules("kind 'guest' { port = 'integer' }\n"
	      "rule 'g' { title = 't', severity = 'info', when = { listener { port = '?p' }, guest { port = '?p' } },\n"
	      "  diagnose = 'x' }\n");
	assert_true(prefilter_keeps_listener("0.0.0.0", 25));
	fact("guest", "port", 25, NULL);
}

/* A row built outside any function, where the text shows no assert, and
 * asserted by a rule while the pre-filter relies on the table: the engine
 * refuses it, and the rule fails saying why. */
static void adding_to_a_fixed_table_later_fails_the_rule(void **state)
{
	(void)state;
	rules("kind 'known' { port = 'integer' }\nfacts 'known' { { port = 110 } }\n"
	      "local row = known { port = 25 }\n"
	      "rule 'join' { title = 't', severity = 'info', when = { listener { port = '?p' }, known { port = '?p' } },\n"
	      "  diagnose = 'x' }\n"
	      "rule 'add' { when = { process { pid = 1 } }, action = function() kb.assert(row) end }\n");
	assert_false(prefilter_keeps_listener("0.0.0.0", 25));
	fact("process", "pid", 1, NULL);
	kb_run(eng, 0);
	assert_int_equal(kb_rule_error_count(eng), 1);
	assert_non_null(strstr(kb_rule_error(eng, 0)->msg, "known is a table of knowledge"));
}

static void knowledge_facts_kinds_across_files(void **state)
{
	(void)state;
	/* the rule uses a kind the second file declares */
	assert_int_equal(load("a.lua", "rule 'r' { title = 't', severity = 'info',\n"
				       "  when = { well_known_port { protocol = '?proto', port = '?port' }, listener { port = '?port' } },\n"
				       "  diagnose = '?proto on ?port' }\n"), 0);
	assert_int_equal(load("b.lua", "kind 'well_known_port' { protocol = 'string', port = 'integer' }\n"
				       "facts 'well_known_port' { { protocol = 'POP3', port = 110 }, { protocol = 'IMAP4', port = 143 } }\n"), 0);
	assert_int_equal(kb_lua_compile(lua), 0);
	fact("listener", "port", 143, NULL);
	kb_run(eng, 0);
	assert_string_equal(findings(), "IMAP4 on 143");
	int k = kb_kind_find(eng, "well_known_port");
	const struct kb_fact *f = kb_fact_get(eng, 1);
	assert_int_equal(f->kind, k);
	assert_int_equal(f->prov.origin, KB_ORIGIN_KNOWLEDGE);
	assert_string_equal(f->prov.source, "b.lua");
	assert_int_equal(f->prov.line, 2);
}

/* Where each file declared a kind, and whose kind a clashing name is. */
static void kind_places_and_clashes(void **state)
{
	(void)state;
	/* a stock kind again, its slots in another order: the same kind */
	load("a.lua", "kind 'held' { port = 'integer' }\n"
		      "kind 'package' { status = 'string', name = 'string', version = 'string', architecture = 'string' }\n");
	load("b.lua", "\nkind 'held' { port = 'integer' }\n"
		      "kind 'held' { port = 'string' }\n"
		      "kind 'listener' { port = 'integer' }\n"
		      "kind '" KB_FINDING_KIND "' { x = 'string' }\n"
		      "kind 'package' { name = 'string' }\n"
		      "kind 'string' { x = 'string' }\n"
		      "kind 'Held' { x = 'string' }\n"
		      "kind 'spaced' { ['a b'] = 'string' }\n");
	assert_int_equal(kb_lua_compile(lua), 7);
	int held = kb_kind_find(eng, "held");
	assert_int_equal(kb_lua_kind_nplaces(lua, held), 2);
	assert_string_equal(kb_lua_kind_place(lua, held, 0), "a.lua:1");
	assert_string_equal(kb_lua_kind_place(lua, held, 1), "b.lua:2");
	assert_null(kb_lua_kind_place(lua, held, 2));
	assert_int_equal(kb_lua_kind_nplaces(lua, kb_kind_find(eng, "listener")), 0);
	assert_string_equal(kb_lua_kind_place(lua, kb_kind_find(eng, "package"), 0), "a.lua:2");
	assert_string_equal(diag_with("kind held ")->msg, "kind held is already declared with other slots at a.lua:1");
	assert_string_equal(diag_with("kind held ")->where, "b.lua:3");
	assert_non_null(diag_with("kind listener is already declared with other slots (a stock kind)"));
	assert_non_null(diag_with("(the kind every diagnosis asserts)"));
	/* a stock kind a rule file declared again is still the stock kind's */
	assert_non_null(diag_with("kind package is already declared with other slots (a stock kind)"));
	/* names the environment could not make constructors of */
	assert_non_null(diag_with("kind 'string': rule files already have this name"));
	assert_non_null(diag_with("kind 'Held': a kind's name is lower-case letters"));
	assert_non_null(diag_with("kind spaced: slot 'a b' is not a name"));
}

static void error_is(const char *where, const char *needle);

static void declarative_modify_and_retract(void **state)
{
	(void)state;
	rules("kind 'task' { name = 'string', state = 'string', tries = 'integer' }\n"
	      "facts 'task' { { name = 'a', state = 'new', tries = 0 }, { name = 'b', state = 'new', tries = 0 } }\n"
	      "rule 'start' { when = { task { name = '?n', state = 'new', as = '?t' } },\n"
	      "  modify = { { '?t', state = 'running', tries = 1 } } }\n"
	      "rule 'finish' { when = { task { name = '?n', state = 'running', as = '?t' } },\n"
	      "  assert = { task { name = '?n done', state = 'log', tries = 0 } }, retract = { '?t' } }\n");
	assert_int_equal(kb_run(eng, 0), 4);
	int k = kb_kind_find(eng, "task");
	int name = kb_slot_find(eng, k, "name");
	char live[128] = "";
	for (uint32_t id = 1; id <= kb_fact_count(eng); id++) {
		const struct kb_fact *f = kb_fact_get(eng, id);
		if (f->kind == k && f->live)
			snprintf(live + strlen(live), sizeof(live) - strlen(live), "%s;", f->slots[name].u.s);
	}
	assert_string_equal(live, "b done;a done;");
	load("bad.lua", "rule 'x' { when = { task { name = 'a' } }, retract = { '?nope' } }\n"
			"rule 'y' { when = { task { name = 'a', as = '?t' } }, modify = { { '?t', colour = 'red' } } }\n");
	kb_lua_compile(lua);
	error_is("bad.lua:1", "'retract' names facts by their variables");
	error_is("bad.lua:2", "task has no slot 'colour'");
}

static void rule_metadata(void **state)
{
	(void)state;
	rules("rule 'Q1' {\n  article = 'Q271275', title = 'T', severity = 'error', salience = 5,\n"
	      "  products = { 'Exchange 5.5' }, remedy = 'do ?x',\n"
	      "  when = { process { name = '?x' } }, diagnose = 'm' }\n");
	assert_int_equal(kb_lua_nrules(lua), 1);
	const struct kb_rule_info *r = kb_lua_rule(lua, 0);
	assert_string_equal(r->id, "Q1");
	assert_string_equal(r->article, "Q271275");
	assert_string_equal(r->severity, "error");
	assert_int_equal(r->salience, 5);
	assert_int_equal(r->nproducts, 1);
	assert_string_equal(r->products[0], "Exchange 5.5");
	assert_string_equal(r->remedy, "do ?x");
	assert_string_equal(r->file, "t.lua");
	assert_int_equal(r->line, 1);
	assert_non_null(r->rule);
	assert_int_equal(kb_rule_salience(r->rule), 5);
}

static void later_rule_replaces_earlier(void **state)
{
	(void)state;
	load("stock.lua", "rule 'X' { title = 'old', severity = 'info', when = { process {} }, diagnose = 'old' }\n");
	load("site.lua", "\n\nrule 'X' { title = 'new', severity = 'info', when = { process {} }, diagnose = 'new' }\n");
	kb_lua_compile(lua);
	assert_int_equal(kb_lua_nrules(lua), 1);
	assert_string_equal(kb_lua_rule(lua, 0)->replaces, "stock.lua:1");
	const struct kb_diag *d = diag_with("replaced by the one at site.lua:3");
	assert_non_null(d);
	assert_int_equal(d->level, KB_DIAG_NOTE);
	fact("process", "pid", 1, NULL);
	kb_run(eng, 0);
	assert_string_equal(findings(), "new");
}

static void error_is(const char *where, const char *needle)
{
	const struct kb_diag *d = diag_with(needle);
	if (!d) {
		for (size_t i = 0; i < kb_lua_ndiags(lua); i++)
			print_message("diag: %s: %s\n", kb_lua_diag(lua, i)->where, kb_lua_diag(lua, i)->msg);
		fail_msg("no diagnostic mentions '%s'", needle);
	}
	assert_string_equal(d->where, where);
	assert_int_equal(d->level, KB_DIAG_ERROR);
}

static void translation_errors_name_file_and_line(void **state)
{
	(void)state;
	load("e.lua", "rule 'a' { when = {\n  lisener { port = 1 } } }\n"
		      "rule 'b' { when = {\n\n  listener { prot = 1 } } }\n"
		      "rule 'c' { title = 't', severity = 'info', when = { listener { port = 1 } },\n  diagnose = 'held by ?holder' }\n"
		      "rule 'd' { when = {\n  listener { port = '110' } } }\n"
		      "rule 'e' { serverity = 'error', when = { listener {} } }\n"
		      "rule 'f' { title = 't', severity = 'fatal', when = { listener {} }, diagnose = 'x' }\n"
		      "rule 'g' { when = { listener { port = gt('?p') } } }\n"
		      "rule 'ok' { title = 't', severity = 'info', when = { listener {} }, diagnose = 'fine' }\n");
	assert_int_equal(kb_lua_compile(lua), 7);
	error_is("e.lua:2", "unknown fact kind 'lisener'");
	error_is("e.lua:5", "listener has no slot 'prot'");
	error_is("e.lua:6", "?holder in the diagnose is not bound");
	error_is("e.lua:9", "never matches");
	error_is("e.lua:10", "unknown field 'serverity'");
	error_is("e.lua:11", "\"fatal\"");
	error_is("e.lua:12", "?p is compared before it is bound");
	fact("listener", "port", 1, NULL);
	kb_run(eng, 0);
	assert_string_equal(findings(), "fine");
}

static void choices_refused(void **state)
{
	(void)state;
	load("a.lua", "rule 'one' { when = {\n  any_of { listener { } } } }\n"
		      "rule 'nested' { when = {\n  any_of { listener { }, any_of { listener { }, process { } } } } }\n"
		      "rule 'named' { when = { any_of {\n  listener { as = '?l' }, process { } } } }\n"
		      "rule 'partly' { when = { any_of { listener { pid = '?p' }, process { } },\n  process { pid = gt('?p') } } }\n"
		      "rule 'word' { when = {\n  any_of { listener { }, 'x' } } }\n");
	assert_int_equal(kb_lua_compile(lua), 5);
	error_is("a.lua:2", "any_of takes 2 to 8 conditions");
	error_is("a.lua:4", "any_of cannot hold another any_of");
	error_is("a.lua:6", "cannot name its fact with as =");
	error_is("a.lua:8", "?p is bound by only some choices of any_of (a.lua:7)");
	error_is("a.lua:10", "choice 2 of any_of is a string");
}

/* Where a ?variable ends, and "??" for a literal '?', in messages and in
 * the text of asserted facts alike. */
static void template_variables_and_escapes(void **state)
{
	(void)state;
	load("t.lua", "kind 'note' { text = 'string' }\n"
		      "rule 'n' { when = { process { pid = '?pid', name = '?name' } },\n"
		      "  assert = { note { text = '??pid=?pid' } } }\n"
		      "rule 'm' { title = 't', severity = 'info', when = { process { pid = '?pid', name = '?name' } },\n"
		      "  diagnose = '(?name)?pid-?pid.x ??name ???pid ?1 ? ?? what?\?' }\n"
		      "rule 'o' { title = 't', severity = 'info', when = { note { text = '?t' } }, diagnose = '?t' }\n"
		      /* ?pid_x is one name, not ?pid followed by "_x" */
		      "rule 'u' { title = 't', severity = 'info', when = { process { pid = '?pid' } },\n"
		      "  diagnose = '?pid_x' }\n");
	assert_int_equal(kb_lua_compile(lua), 1);
	error_is("t.lua:7", "?pid_x in the diagnose is not bound");
	fact("process", "pid", 7, "name", "a.exe", NULL);
	kb_run(eng, 0);
	const char *got = findings();
	assert_non_null(strstr(got, "(a.exe)7-7.x ?name ?7 ?1 ? ? what?"));
	assert_non_null(strstr(got, "?pid=7"));
	assert_int_equal(strlen(got), strlen("(a.exe)7-7.x ?name ?7 ?1 ? ? what?|?pid=7"));
}

static void syntax_error_keeps_other_files(void **state)
{
	(void)state;
	assert_int_equal(load("bad.lua", "rule 'x' {\n  when = { listener { port = 1 }\n  diagnose = 'x'\n}\n"), -1);
	assert_int_equal(load("good.lua", "rule 'y' { title = 't', severity = 'info', when = { listener {} }, diagnose = 'y' }\n"), 0);
	kb_lua_compile(lua);
	const struct kb_diag *d = diag_with("expected");
	assert_non_null(d);
	assert_string_equal(d->where, "bad.lua:3");
	assert_int_equal(kb_lua_nrules(lua), 1);
	fact("listener", "port", 1, NULL);
	kb_run(eng, 0);
	assert_string_equal(findings(), "y");
}

static void refused(const char *src, const char *where, const char *needle)
{
	assert_int_equal(load("h.lua", src), -1);
	error_is(where, needle);
}

static void sandbox_refusals(void **state)
{
	(void)state;
	refused("local f = io.open('/etc/passwd')\n", "h.lua:1", "'io' is not available");
	refused("\nos.execute('touch /tmp/kbdiag-pwned')\n", "h.lua:2", "attempt to call a nil value (field 'execute')");
	refused("require('os')\n", "h.lua:1", "'require' is not available");
	refused("load('return 1')\n", "h.lua:1", "'load' is not available");
	refused("dofile('/etc/passwd')\n", "h.lua:1", "'dofile' is not available");
	refused("debug.sethook()\n", "h.lua:1", "'debug' is not available");
	refused("collectgarbage('stop')\n", "h.lua:1", "'collectgarbage' is not available");
	refused("local s = string.dump(function() end)\n", "h.lua:1", "field 'dump'");
	refused("getmetatable('').__index.upper = nil\n", "h.lua:1", "field '__index'");
	refused("helper = 1\n", "h.lua:1", "cannot set the global 'helper'");
	refused("_G.x = 1\n", "h.lua:1", "cannot set the global 'x'");
	refused("setmetatable(_G, {})\n", "h.lua:1", "protected metatable");
	assert_int_equal(kb_lua_load_string(lua, "bc.lua", "\x1bLua\x54\x00", 6), -1);
	error_is("bc.lua", "attempt to load a binary chunk");
	/* the string library other files see is untouched */
	assert_int_equal(load("s.lua", "string.upper = nil; assert(('x'):upper() == 'X')\n"), 0);
	assert_int_equal(load("t2.lua", "assert(string.upper('x') == 'X')\n"), 0);
}

/* Refused as the file loads, where Lua would raise only if matching got
 * to the fault. */
static void malformed_match_patterns_are_refused(void **state)
{
	(void)state;
	refused("rule 'm' { when = {\n  listener { proto = match 'tcp%' } } }\n", "h.lua:2",
		"match: malformed pattern (ends with '%')");
	refused("rule 'm' { when = { listener { proto = match '(tcp' } } }\n", "h.lua:1", "match: unfinished capture");
	refused("rule 'm' { when = { listener { proto = match '%1(tcp)' } } }\n", "h.lua:1",
		"match: invalid capture index %1");
	assert_int_equal(load("ok.lua", "rule 'm' { when = { listener { proto = match '^(t)c%1?p$' } } }\n"), 0);
}

static void budgets_stop_hostile_code(void **state)
{
	(void)state;
	refused("while true do end\n", "h.lua:1", "budget");
	refused("local t = {} for i = 1, 1e9 do t[i] = i end\n", "h.lua:1", "");
	refused("local s = string.rep('x', 1 << 40)\n", "h.lua:1", "");
	/* endless recursion ends in a stack overflow or at the memory cap, whichever comes first */
	assert_int_equal(load("r.lua", "local function f() return f() + 1 end f()\n"), -1);
	assert_true(diag_with("stack overflow") || diag_with("memory limit") || diag_with("single block"));
	refused("while true do pcall(function() while true do end end) end\n", "h.lua:1", "budget");
	rules("rule 'loop' { when = { process { pid = 1 } }, action = function() while true do end end }\n"
	      "rule 'ok' { title = 't', severity = 'info', when = { process { pid = 1 } }, diagnose = 'ok' }\n");
	fact("process", "pid", 1, NULL);
	kb_run(eng, 0);
	assert_string_equal(findings(), "ok");
	assert_int_equal(kb_rule_error_count(eng), 1);
	assert_non_null(strstr(kb_rule_error(eng, 0)->msg, "instruction budget"));
	assert_string_equal(kb_rule_error(eng, 0)->where, "t.lua:1");
}

static void predicates_cannot_change_working_memory(void **state)
{
	(void)state;
	rules("rule 'p' { title = 't', severity = 'info',\n"
	      "  when = { process { pid = test(function(v) kb.assert('process', { pid = 99 }) return true end) } },\n"
	      "  diagnose = 'x' }\n");
	fact("process", "pid", 1, NULL);
	kb_run(eng, 0);
	assert_string_equal(findings(), "");
	assert_int_equal(kb_rule_error_count(eng), 1);
	assert_non_null(strstr(kb_rule_error(eng, 0)->msg, "only be called from a rule's action"));
	assert_string_equal(kb_rule_error(eng, 0)->where, "t.lua:2");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(equality_and_variables),
		T(slot_tests),
		T(comparisons_between_variables_and_tests),
		T(negation_existence_and_chaining),
		T(lua_actions_modify_retract_and_halt),
		T(lua_slot_names_short_and_long),
		T(lua_messages_and_kb_facts),
		T(kinds_read_by_kb_facts_are_kept_whole),
		T(kind_names_with_a_nul_byte),
		T(kb_facts_of_a_computed_kind_rules_the_filter_out),
		T(kb_facts_refuses_a_kind_the_filter_thinned),
		T(tables_no_rule_adds_to_are_fixed),
		T(tables_a_file_modifies_are_not_fixed),
		T(kinds_evidence_fills_are_not_fixed),
		T(adding_to_a_fixed_table_later_fails_the_rule),
		T(knowledge_facts_kinds_across_files),
		T(kind_places_and_clashes),
		T(choices_of_conditions),
		T(declarative_modify_and_retract),
		T(rule_metadata),
		T(later_rule_replaces_earlier),
		T(translation_errors_name_file_and_line),
		T(choices_refused),
		T(template_variables_and_escapes),
		T(syntax_error_keeps_other_files),
		T(sandbox_refusals),
		T(malformed_match_patterns_are_refused),
		T(budgets_stop_hostile_code),
		T(predicates_cannot_change_working_memory),
	};
	return cmocka_run_group_tests_name("lua", tests, NULL, NULL);
}
