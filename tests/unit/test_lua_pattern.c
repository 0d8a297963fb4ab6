/*
 * test_lua_pattern.c — the rules' string.find, match, gmatch and gsub
 * (engine/lua/pattern.c) against Lua's own: the same cases run in a plain
 * Lua state and in kbdiag's sandbox must give the same results and the
 * same errors.  Then the reason they exist: a backtracking pattern stops
 * at the instruction budget, where Lua's would run for hours.  What is
 * asserted is counted work (budgets of instructions and steps), never the
 * clock, which a busy machine makes unreliable; the one time limit is a
 * backstop far too generous to flake.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <lauxlib.h>
#include <lualib.h>

#include "facts.h"
#include "kblua.h"

#define CASES KBDIAG_FIXTURES "/lua/patterns.lua"

static char *real_results(void)
{
	lua_State *L = luaL_newstate();
	assert_non_null(L);
	luaL_openlibs(L);
	if (luaL_dofile(L, CASES) != LUA_OK)
		fail_msg("%s", lua_tostring(L, -1));
	char *r = strdup(lua_tostring(L, -1));
	lua_close(L);
	return r;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = malloc(1 << 20);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

static void same_as_lua(void **state)
{
	(void)state;
	struct kb_engine *eng = kb_engine_new();
	assert_int_equal(kbf_schema_declare(eng, NULL), 0);
	struct kb_lua_limits lim = {.instructions = 2000000000u, .load_seconds = 60};
	struct kb_lua *lua = kb_lua_new(eng, &lim);
	size_t len;
	char *src = read_file(CASES, &len);
	int rc = kb_lua_load_string(lua, "patterns.lua", src, len);
	free(src);
	for (size_t i = 0; i < kb_lua_ndiags(lua); i++)
		print_message("%s: %s\n", kb_lua_diag(lua, i)->where, kb_lua_diag(lua, i)->msg);
	assert_int_equal(rc, 0);
	assert_int_equal(kb_lua_compile(lua), 0);
	const struct kb_fact *f = kb_fact_get(eng, 1);
	assert_non_null(f);
	char *want = real_results();
	const char *got = f->slots[0].u.s;
	if (strcmp(want, got) != 0) {
		size_t i = 0;
		while (want[i] && want[i] == got[i])
			i++;
		size_t from = i > 200 ? i - 200 : 0;
		fail_msg("differs at byte %zu:\nLua:    ...%.300s\nkbdiag: ...%.300s", i, want + from, got + from);
	}
	assert_true(strlen(want) > 100000); /* the cases ran */
	free(want);
	kb_lua_free(lua);
	kb_engine_free(eng);
}

/* Loads src under an instruction budget of 1,000,000 and no time budget to
 * speak of: it must fail at line 2 with that budget's message, whatever the
 * machine's speed, so the work it did is bounded by the budget. */
static void stopped(const char *src)
{
	struct kb_engine *eng = kb_engine_new();
	assert_int_equal(kbf_schema_declare(eng, NULL), 0);
	struct kb_lua_limits lim = {.instructions = 1000000, .load_seconds = 600};
	struct kb_lua *lua = kb_lua_new(eng, &lim);
	assert_int_equal(kb_lua_load_string(lua, "bomb.lua", src, strlen(src)), -1);
	assert_int_equal(kb_lua_ndiags(lua), 1);
	const struct kb_diag *d = kb_lua_diag(lua, 0);
	if (!strstr(d->msg, "instruction budget of 1000000 exceeded"))
		fail_msg("%s: %s", d->where, d->msg);
	assert_string_equal(d->where, "bomb.lua:2");
	kb_lua_free(lua);
	kb_engine_free(eng);
}

static void backtracking_stops_at_the_budget(void **state)
{
	(void)state;
	stopped("local s = string.rep('a', 5000)\nlocal x = s:find('.-.-.-.-.-b')\n");
	stopped("local s = string.rep('a', 5000)\nlocal x = string.match(s, '(a*)*b')\n");
	stopped("local s = string.rep('a', 5000)\nfor a in s:gmatch('a-a-a-a-a-b') do end\n");
	stopped("local s = string.rep('a', 5000)\nlocal x = s:gsub('(.-)(.-)(.-)b', '%1')\n");
	stopped("local s = string.rep('(', 20000)\nlocal x = s:find('.-%b()')\n");
	stopped("local s = string.rep('a', 26)\nlocal x = s:find(('a?'):rep(26) .. ('a'):rep(26) .. 'b')\n");
	/* a caught budget error stays an error */
	stopped("local s = string.rep('a', 5000)\nwhile true do pcall(string.find, s, '.-.-.-b') end\n");
}

/* Matching costs instructions in proportion to its steps, and little for a
 * match that is found at once: a loop of cheap finds fits a budget that one
 * backtracking find exceeds. */
static void cheap_matches_cost_little(void **state)
{
	(void)state;
	struct kb_engine *eng = kb_engine_new();
	assert_int_equal(kbf_schema_declare(eng, NULL), 0);
	struct kb_lua_limits lim = {.instructions = 1000000, .load_seconds = 600};
	struct kb_lua *lua = kb_lua_new(eng, &lim);
	const char *src = "local n = 0\n"
			  "for i = 1, 10000 do if ('port 110'):find('^port (%d+)$') then n = n + 1 end end\n"
			  "assert(n == 10000)\n";
	int rc = kb_lua_load_string(lua, "cheap.lua", src, strlen(src));
	for (size_t i = 0; i < kb_lua_ndiags(lua); i++)
		print_message("%s: %s\n", kb_lua_diag(lua, i)->where, kb_lua_diag(lua, i)->msg);
	assert_int_equal(rc, 0);
	kb_lua_free(lua);
	kb_engine_free(eng);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* memmem is linear; a naive search of this needle would take hours, so the
 * limit is far above what a loaded machine needs and still catches that. */
static void plain_find_is_linear(void **state)
{
	(void)state;
	struct kb_engine *eng = kb_engine_new();
	assert_int_equal(kbf_schema_declare(eng, NULL), 0);
	struct kb_lua_limits lim = {.load_seconds = 600};
	struct kb_lua *lua = kb_lua_new(eng, &lim);
	/* a needle that almost matches everywhere: quadratic for a naive search */
	const char *src = "local hay = string.rep('a', 4000000)\n"
			  "local needle = string.rep('a', 1000000) .. 'b'\n"
			  "assert(hay:find(needle, 1, true) == nil)\n"
			  "assert(hay:find('aab', 1, true) == nil)\n"
			  "assert(select(2, ('xaab'):find('aab', 1, true)) == 4)\n";
	double t0 = now();
	int rc = kb_lua_load_string(lua, "plain.lua", src, strlen(src));
	for (size_t i = 0; i < kb_lua_ndiags(lua); i++)
		print_message("%s: %s\n", kb_lua_diag(lua, i)->where, kb_lua_diag(lua, i)->msg);
	assert_int_equal(rc, 0);
	assert_true(now() - t0 < 60.0);
	kb_lua_free(lua);
	kb_engine_free(eng);
}

/* A `match` constraint runs in the network under the step budget (the
 * instruction budget's size): on a long value the rule stops with an error
 * at its pattern's line, and the others go on.  A value without the 'b'
 * the pattern needs is not matched at all. */
static void match_constraints_run_under_the_budget(void **state)
{
	(void)state;
	struct kb_engine *eng = kb_engine_new();
	assert_int_equal(kbf_schema_declare(eng, NULL), 0);
	struct kb_lua_limits lim = {.instructions = 200000};
	struct kb_lua *lua = kb_lua_new(eng, &lim);
	const char *src = "rule 'bomb' { title = 't', severity = 'info',\n"
			  "  when = { event { message = match '.-.-.-.-b$' } }, diagnose = 'bomb' }\n"
			  "rule 'light' { title = 't', severity = 'info',\n"
			  "  when = { event { message = match '^a+$' } }, diagnose = 'light' }\n"
			  "rule 'short' { title = 't', severity = 'info',\n"
			  "  when = { event { id = 2, message = match '(.-)x(.-)y' } }, diagnose = 'short' }\n";
	assert_int_equal(kb_lua_load_string(lua, "m.lua", src, strlen(src)), 0);
	assert_int_equal(kb_lua_compile(lua), 0);
	int k = kb_kind_find(eng, "event");
	struct kb_value v[32];
	for (size_t i = 0; i < kb_kind_nslots(eng, k); i++)
		v[i] = kb_nil();
	char *line = malloc(20003);
	memset(line, 'a', 20000);
	line[20000] = '\0';
	v[kb_slot_find(eng, k, "message")] = kb_str(kb_intern_cstr(eng, line));
	v[kb_slot_find(eng, k, "id")] = kb_int(1);
	assert_non_null(kb_assert(eng, k, v, NULL, NULL, NULL));
	strcpy(line + 20000, "ba");
	v[kb_slot_find(eng, k, "message")] = kb_str(kb_intern_cstr(eng, line));
	v[kb_slot_find(eng, k, "id")] = kb_int(3);
	free(line);
	assert_non_null(kb_assert(eng, k, v, NULL, NULL, NULL));
	v[kb_slot_find(eng, k, "message")] = kb_str(kb_intern_cstr(eng, "ab x cd y"));
	v[kb_slot_find(eng, k, "id")] = kb_int(2);
	assert_non_null(kb_assert(eng, k, v, NULL, NULL, NULL));
	kb_run(eng, 0);
	assert_int_equal(kb_rule_error_count(eng), 1);
	assert_string_equal(kb_rule_error(eng, 0)->where, "m.lua:2");
	assert_string_equal(kb_rule_error(eng, 0)->msg,
			    "rule bomb: pattern \".-.-.-.-b$\" exceeded its step budget of 200000");
	int fk = kb_kind_find(eng, KB_FINDING_KIND), ms = kb_slot_find(eng, fk, "message");
	char made[64] = "";
	for (uint32_t id = 1; id <= kb_fact_count(eng); id++)
		if (kb_fact_get(eng, id)->kind == fk)
			snprintf(made + strlen(made), sizeof(made) - strlen(made), "%s;", kb_fact_get(eng, id)->slots[ms].u.s);
	assert_true(strcmp(made, "light;short;") == 0 || strcmp(made, "short;light;") == 0);
	kb_lua_free(lua);
	kb_engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_as_lua),
		cmocka_unit_test(backtracking_stops_at_the_budget),
		cmocka_unit_test(cheap_matches_cost_little),
		cmocka_unit_test(plain_find_is_linear),
		cmocka_unit_test(match_constraints_run_under_the_budget),
	};
	return cmocka_run_group_tests_name("lua_pattern", tests, NULL, NULL);
}
