/*
 * fuzz_expect.c — a rule test case's expect.json (cli/expect.c), read as
 * `kbdiag rules test` reads it, and checked against a rule set of one
 * rule.  Every problem must be a printed line; crashes, leaks and
 * sanitizer reports are not.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "expect.h"
#include "facts.h"

static const char rules[] = "rule \"Q271275\" { title = \"t\", severity = \"error\",\n"
			    "  when = { listener { port = \"?port\" } }, diagnose = \"port ?port\" }\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	static struct kb_engine *eng;
	static struct kb_lua *lua;
	if (!sink) {
		struct kb_error err = {0};
		eng = kb_engine_new();
		if (!(sink = fopen("/dev/null", "w")) || kbf_schema_declare(eng, &err) != 0 ||
		    !(lua = kb_lua_new(eng, NULL)) || kb_lua_load_string(lua, "r.lua", rules, sizeof(rules) - 1) < 0)
			abort();
		kb_lua_compile(lua);
	}
	json_error_t jerr;
	json_t *expect = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (expect)
		kbd_expect_check(sink, expect, "expect.json", lua);
	json_decref(expect);
	return 0;
}
