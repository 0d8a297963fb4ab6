/*
 * fuzz_rule_file.c — a rule file is semi-trusted input (a colleague's, or
 * a stranger's pasted from a forum): load it in the sandbox, compile what
 * it declares, and run it on a few facts, every limit small so that one
 * input takes milliseconds.  Load errors, rule errors and spent budgets
 * are fine; crashes, leaks, sanitizer reports and hangs are not.
 */
#include <stdint.h>
#include <stdlib.h>

#include "facts.h"
#include "kblua.h"

/* A listener held by a process, as the stock rules' examples have it. */
static void assert_facts(struct kb_engine *eng)
{
	int listener = kb_kind_find(eng, "listener"), process = kb_kind_find(eng, "process");
	struct kb_value v[64];
	for (size_t i = 0; i < kb_kind_nslots(eng, listener) && i < 64; i++)
		v[i] = kb_nil();
	v[kb_slot_find(eng, listener, "port")] = kb_int(110);
	v[kb_slot_find(eng, listener, "pid")] = kb_int(812);
	v[kb_slot_find(eng, listener, "protocol")] = kb_str(kb_intern_cstr(eng, "tcp"));
	kb_assert(eng, listener, v, NULL, NULL, NULL);
	for (size_t i = 0; i < kb_kind_nslots(eng, process) && i < 64; i++)
		v[i] = kb_nil();
	v[kb_slot_find(eng, process, "pid")] = kb_int(812);
	v[kb_slot_find(eng, process, "name")] = kb_str(kb_intern_cstr(eng, "PoProxy.exe"));
	kb_assert(eng, process, v, NULL, NULL, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kb_error err = {0};
	struct kb_engine *eng = kb_engine_new();
	const struct kb_budgets budgets = {1000, 1000, 64u << 20, 1.0};
	kb_engine_set_budgets(eng, &budgets);
	kb_engine_set_match_steps(eng, 100000);
	const struct kb_lua_limits limits = {100000, 16u << 20, 0.5, 0.5};
	struct kb_lua *lua = NULL;
	if (kbf_schema_declare(eng, &err) != 0 || !(lua = kb_lua_new(eng, &limits)))
		abort();
	kb_lua_load_string(lua, "fuzz.lua", (const char *)data, size);
	kb_lua_compile(lua);
	assert_facts(eng);
	kb_run(eng, 0);
	kb_lua_free(lua);
	kb_engine_free(eng);
	return 0;
}
