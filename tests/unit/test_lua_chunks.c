/*
 * test_lua_chunks.c — rule files run from bytecode compiled at build time
 * (engine/lua/chunks.c): only a file whose text is the chunk's text runs
 * from it, under its own name, with the same file:line in errors and rule
 * places as from text; a chunk this Lua cannot load falls back to the
 * text; what a chunk carries for the pre-filter is used only for its own
 * text; and the stock rules as built (stock_chunks.h) all run from their
 * chunks and declare what their text declares.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "facts.h"
#include "kblua.h"
#include "stock_chunks.h"

static const char rule_text[] =
	"-- a rule whose action fails, and a kind\n"
	"kind 'widget' { name = 'string' }\n"
	"rule 'r' { title = 'from the text', severity = 'error',\n"
	"  when = { process { pid = '?p' } },\n"
	"  diagnose = function(m)\n"
	"    error('boom')\n"
	"  end }\n";

struct session {
	struct kb_engine *eng;
	struct kb_lua *lua;
};

static struct session open_session(const struct kb_lua_chunk *chunks, size_t n)
{
	struct session s = {kb_engine_new(), NULL};
	assert_int_equal(kbf_schema_declare(s.eng, NULL), 0);
	s.lua = kb_lua_new(s.eng, NULL);
	assert_non_null(s.lua);
	kb_lua_use_chunks(s.lua, chunks, n);
	return s;
}

static void close_session(struct session *s)
{
	kb_lua_free(s->lua);
	kb_engine_free(s->eng);
}

static struct kb_lua_chunk make(const char *name, const char *text)
{
	struct kb_lua_chunk c;
	char err[256];
	if (kb_lua_chunk_make(name, text, strlen(text), &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	return c;
}

static void no_errors(const struct session *s)
{
	for (size_t i = 0; i < kb_lua_ndiags(s->lua); i++)
		if (kb_lua_diag(s->lua, i)->level == KB_DIAG_ERROR)
			fail_msg("%s: %s", kb_lua_diag(s->lua, i)->where, kb_lua_diag(s->lua, i)->msg);
}

/* The chunk, made under one name, runs under the name it is loaded as:
 * the rule's place, the kind's place and the action's error all name
 * that file and the text's lines. */
static void chunk_keeps_file_and_line(void **state)
{
	(void)state;
	struct kb_lua_chunk c = make("built/here.lua", rule_text);
	struct session s = open_session(&c, 1);
	assert_int_equal(kb_lua_load_string(s.lua, "/opt/rules/r.lua", rule_text, strlen(rule_text)), 0);
	assert_int_equal(kb_lua_nprecompiled(s.lua), 1);
	kb_lua_compile(s.lua);
	no_errors(&s);
	const struct kb_rule_info *ri = kb_lua_rule(s.lua, 0);
	assert_string_equal(ri->file, "/opt/rules/r.lua");
	assert_int_equal(ri->line, 3);
	assert_string_equal(kb_lua_kind_place(s.lua, kb_kind_find(s.eng, "widget"), 0), "/opt/rules/r.lua:2");
	struct kb_value pid = kb_int(1);
	int k = kb_kind_find(s.eng, "process");
	struct kb_value v[32];
	for (size_t i = 0; i < kb_kind_nslots(s.eng, k); i++)
		v[i] = kb_nil();
	v[kb_slot_find(s.eng, k, "pid")] = pid;
	struct kb_prov prov = {KB_ORIGIN_EVIDENCE, "evidence.txt", 1, "line", {0}};
	assert_non_null(kb_assert(s.eng, k, v, &prov, NULL, NULL));
	kb_run(s.eng, 0);
	assert_int_equal(kb_rule_error_count(s.eng), 1);
	assert_string_equal(kb_rule_error(s.eng, 0)->where, "/opt/rules/r.lua:6");
	assert_non_null(strstr(kb_rule_error(s.eng, 0)->msg, "boom"));
	close_session(&s);
	kb_lua_chunk_free(&c);
}

/* A top-level error in a chunk names file:line as the text would. */
static void chunk_load_error_names_file_and_line(void **state)
{
	(void)state;
	const char *text = "local x = 1\n\nerror('stopped here')\n";
	struct kb_lua_chunk c = make("a.lua", text);
	struct session s = open_session(&c, 1);
	assert_int_equal(kb_lua_load_string(s.lua, "rules/kb/b.lua", text, strlen(text)), -1);
	assert_int_equal(kb_lua_nprecompiled(s.lua), 1);
	assert_int_equal(kb_lua_ndiags(s.lua), 1);
	assert_string_equal(kb_lua_diag(s.lua, 0)->where, "rules/kb/b.lua:3");
	assert_non_null(strstr(kb_lua_diag(s.lua, 0)->msg, "stopped here"));
	close_session(&s);
	kb_lua_chunk_free(&c);
}

/* A file whose text differs from the chunk's by one byte, or only in
 * length, is compiled from its text: a stale chunk never runs. */
static void stale_chunk_is_never_used(void **state)
{
	(void)state;
	struct kb_lua_chunk c = make("r.lua", rule_text);
	char edited[sizeof(rule_text)];
	memcpy(edited, rule_text, sizeof(rule_text));
	char *title = strstr(edited, "from the text");
	memcpy(title, "FROM the text", 13); /* same length, other bytes */
	const char *longer = "kind 'widget' { name = 'string' }\n-- one more line\n";
	struct session s = open_session(&c, 1);
	assert_int_equal(kb_lua_load_string(s.lua, "r.lua", edited, strlen(edited)), 0);
	assert_int_equal(kb_lua_load_string(s.lua, "w.lua", longer, strlen(longer)), 0);
	assert_int_equal(kb_lua_nprecompiled(s.lua), 0);
	kb_lua_compile(s.lua);
	assert_string_equal(kb_lua_rule(s.lua, 0)->title, "FROM the text");
	close_session(&s);
	kb_lua_chunk_free(&c);
}

/* A chunk this Lua refuses (here its version byte changed, as in a dump
 * of another Lua) is passed over for the text, with no error. */
static void unloadable_chunk_falls_back_to_text(void **state)
{
	(void)state;
	struct kb_lua_chunk c = make("r.lua", rule_text);
	((unsigned char *)c.code)[4] ^= 0x01; /* after "\x1bLua" */
	struct session s = open_session(&c, 1);
	assert_int_equal(kb_lua_load_string(s.lua, "r.lua", rule_text, strlen(rule_text)), 0);
	assert_int_equal(kb_lua_nprecompiled(s.lua), 0);
	kb_lua_compile(s.lua);
	no_errors(&s);
	assert_string_equal(kb_lua_rule(s.lua, 0)->title, "from the text");
	close_session(&s);
	kb_lua_chunk_free(&c);
}

/* Whether the pre-filter starts after text loads with chunk c: not when
 * a kb.facts does not name its kind. */
static bool prefilter_starts(const struct kb_lua_chunk *c, const char *text)
{
	struct session s = open_session(c, 1);
	assert_int_equal(kb_lua_load_string(s.lua, "r.lua", text, strlen(text)), 0);
	kb_lua_compile(s.lua);
	no_errors(&s);
	kb_prefilter_start(s.eng);
	bool on = kb_prefilter_on(s.eng);
	close_session(&s);
	return on;
}

/* What a chunk found in its text for the pre-filter (here: a kb.facts
 * whose kind the text does not tell) counts for that text only: a file
 * of the same length with other bytes is scanned itself.  The chunk's
 * finding is what is used for its own text: told otherwise, the run
 * follows it. */
static void stale_reads_are_never_used(void **state)
{
	(void)state;
	const char *reads_any = "local function all(k) return kb.facts(k) end\n";
	const char *reads_none = "local function all(k) return kb.fecta(k) end\n";
	struct kb_lua_chunk any = make("r.lua", reads_any), none = make("r.lua", reads_none);
	assert_true(any.reads_any_kind);
	assert_false(none.reads_any_kind);
	assert_false(prefilter_starts(&any, reads_any));
	assert_true(prefilter_starts(&any, reads_none));
	assert_true(prefilter_starts(&none, reads_none));
	assert_false(prefilter_starts(&none, reads_any));
	none.reads_any_kind = true; /* the chunk's word is taken for its text */
	assert_false(prefilter_starts(&none, reads_none));
	kb_lua_chunk_free(&any);
	kb_lua_chunk_free(&none);
}

static void syntax_error_names_file_and_line(void **state)
{
	(void)state;
	struct kb_lua_chunk c;
	char err[256];
	const char *text = "local a = 1\nrule 'x' {\n";
	assert_int_equal(kb_lua_chunk_make("rules/x.lua", text, strlen(text), &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "rules/x.lua:3:"));
}

/* ---- the stock rules as built ----------------------------------------------- */

static char *read_text(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	char *buf = malloc(*len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, *len, f), *len);
	fclose(f);
	return buf;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The stock rule files, as the loader finds them (sorted, no tests/). */
static size_t stock_files(const char *dir, char **out, size_t n)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "tests") == 0)
			continue;
		char path[4096];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		assert_int_equal(stat(path, &st), 0);
		if (S_ISDIR(st.st_mode))
			n = stock_files(path, out, n);
		else if (strstr(path, ".lua") && !strstr(path, ".test.lua"))
			out[n++] = strdup(path);
	}
	closedir(d);
	return n;
}

/* list's names, sorted, as one string */
static char *names_of(const char *const *list)
{
	size_t n = 0, len = 1;
	for (; list[n]; n++)
		len += strlen(list[n]) + 1;
	const char **sorted = malloc((n + 1) * sizeof(*sorted));
	assert_non_null(sorted);
	memcpy(sorted, list, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_str);
	char *out = calloc(len, 1);
	assert_non_null(out);
	for (size_t i = 0; i < n; i++) {
		strcat(out, sorted[i]);
		strcat(out, " ");
	}
	free(sorted);
	return out;
}

/* Each stock chunk carries what scanning its text finds now. */
static void stock_chunks_carry_their_reads(char **files, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t len;
		char *text = read_text(files[i], &len);
		struct kb_lua_chunk now;
		char err[256];
		assert_int_equal(kb_lua_chunk_make(files[i], text, len, &now, err, sizeof(err)), 0);
		const struct kb_lua_chunk *built = &kbd_stock_chunks[i];
		assert_int_equal(built->text_len, len);
		assert_memory_equal(built->text, text, len);
		char *a = names_of(built->read_kinds), *b = names_of(now.read_kinds);
		assert_string_equal(a, b);
		free(a);
		free(b);
		a = names_of(built->written);
		b = names_of(now.written);
		assert_string_equal(a, b);
		free(a);
		free(b);
		assert_int_equal(built->reads_any_kind, now.reads_any_kind);
		kb_lua_chunk_free(&now);
		free(text);
	}
}

static void load_stock(struct session *s, char **files, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t len;
		char *text = read_text(files[i], &len);
		kb_lua_load_string(s->lua, files[i], text, len);
		free(text);
	}
	kb_lua_compile(s->lua);
}

/* Every stock file runs from its chunk, and the rules, their places, the
 * diagnostics and the pre-filter's kinds are those of the text. */
static void stock_rules_run_from_their_chunks(void **state)
{
	(void)state;
	char *files[256];
	size_t n = stock_files(KBDIAG_SOURCE_RULES, files, 0);
	qsort(files, n, sizeof(*files), cmp_str);
	assert_int_equal(n, kbd_nstock_chunks);
	stock_chunks_carry_their_reads(files, n);
	struct session code = open_session(kbd_stock_chunks, kbd_nstock_chunks), text = open_session(NULL, 0);
	load_stock(&code, files, n);
	load_stock(&text, files, n);
	assert_int_equal(kb_lua_nprecompiled(code.lua), n);
	assert_int_equal(kb_lua_nprecompiled(text.lua), 0);
	assert_int_equal(kb_lua_nrules(code.lua), kb_lua_nrules(text.lua));
	for (size_t i = 0; i < kb_lua_nrules(code.lua); i++) {
		const struct kb_rule_info *a = kb_lua_rule(code.lua, i), *b = kb_lua_rule(text.lua, i);
		assert_string_equal(a->id, b->id);
		assert_string_equal(a->file, b->file);
		assert_int_equal(a->line, b->line);
		assert_string_equal(a->title ? a->title : "(none)", b->title ? b->title : "(none)");
		assert_true((a->rule == NULL) == (b->rule == NULL));
	}
	kb_prefilter_start(code.eng);
	kb_prefilter_start(text.eng);
	assert_int_equal(kb_prefilter_on(code.eng), kb_prefilter_on(text.eng));
	for (int k = 0; k < (int)kb_kind_count(code.eng); k++)
		assert_int_equal(kb_prefilter_holds_fixed(code.eng, k), kb_prefilter_holds_fixed(text.eng, k));
	assert_int_equal(kb_lua_ndiags(code.lua), kb_lua_ndiags(text.lua));
	for (size_t i = 0; i < kb_lua_ndiags(code.lua); i++)
		assert_string_equal(kb_lua_diag(code.lua, i)->where, kb_lua_diag(text.lua, i)->where);
	close_session(&code);
	close_session(&text);
	for (size_t i = 0; i < n; i++)
		free(files[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chunk_keeps_file_and_line),
		cmocka_unit_test(chunk_load_error_names_file_and_line),
		cmocka_unit_test(stale_chunk_is_never_used),
		cmocka_unit_test(unloadable_chunk_falls_back_to_text),
		cmocka_unit_test(stale_reads_are_never_used),
		cmocka_unit_test(syntax_error_names_file_and_line),
		cmocka_unit_test(stock_rules_run_from_their_chunks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
