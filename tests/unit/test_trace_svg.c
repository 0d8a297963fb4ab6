/*
 * test_trace_svg.c — a finding's why-tree as SVG (trace/svg.c): one <svg>
 * element with nothing around it, evidence and rule names that try to be
 * markup shown as text, every node labelled, rule names on the edges, and
 * a finding resting on thousands of facts drawn as its nearest few and a
 * node counting the rest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "trace.h"
#include "rule_fixture.h"

static struct kb_engine *eng;
static struct kbt_trace *trace;
static struct kbt_recorder *rec;
static int K_LINE, K_COUNT, K_FINDING;

static struct kb_value S(const char *s) { return kb_str(kb_intern_cstr(eng, s)); }

static int setup(void **state)
{
	(void)state;
	static const struct fixture_kind kinds[] = {
		{"line", 2, {{"n", KB_INT}, {"text", KB_STRING}}},
		{"count", 1, {{"n", KB_INT}}},
		{"finding", 3, {{"rule", KB_STRING}, {"severity", KB_STRING}, {"message", KB_STRING}}},
	};
	eng = engine_with_kinds(kinds, 3, (int *const[]){&K_LINE, &K_COUNT, &K_FINDING});
	trace = kbt_trace_new();
	rec = kbt_recorder_new(eng, trace);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kbt_recorder_free(rec);
	kb_engine_free(eng);
	kbt_trace_free(trace);
	return 0;
}

/* count { n = ?n } and line { n = ?n } make count { n = ?n + 1 }. */
static int step(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)ud;
	struct kb_value v[] = {kb_int(kb_activation_var(act, 0).u.i + 1)};
	return kb_assert(e, K_COUNT, v, NULL, NULL, err) ? 0 : -1;
}

static int report(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)ud;
	(void)act;
	struct kb_value v[] = {S("<b>report</b>"), S("error"), S("The line says <script>alert(1)</script> & more.")};
	return kb_assert(e, K_FINDING, v, NULL, NULL, err) ? 0 : -1;
}

static const char *const n_var[] = {"?n"};

/* Lines 0 .. lines-1 of evidence (line i's text from text_of), a count
 * from 0; the rule "step<&>" counts them, "report" finds count = lines. */
static void run(int lines, const char *(*text_of)(int))
{
	struct kb_test count_n[] = {VAR(0, 0)}, line_n[] = {VAR(0, 0)};
	struct kb_cond steps[] = {
		{.type = KB_COND_PATTERN, .kind = K_COUNT, .ntests = 1, .tests = count_n, .fact_var = -1},
		{.type = KB_COND_PATTERN, .kind = K_LINE, .ntests = 1, .tests = line_n, .fact_var = -1},
	};
	struct kb_rule_def def = {.name = "step<&>\"", .where = "rules/test.lua:3", .nvars = 1, .var_names = n_var,
				  .nconds = 2, .conds = steps, .action = step};
	rule_add_or_fail(eng, &def);
	struct kb_test done[] = {CONST(0, kb_int(lines))};
	struct kb_cond reports[] = {{.type = KB_COND_PATTERN, .kind = K_COUNT, .ntests = 1, .tests = done, .fact_var = -1}};
	struct kb_rule_def rdef = {.name = "report", .where = "rules/test.lua:9", .nconds = 1, .conds = reports,
				   .action = report};
	rule_add_or_fail(eng, &rdef);
	struct kb_prov start = {KB_ORIGIN_EVIDENCE, "count.txt", 1, "0", {0}};
	assert_non_null(kb_assert(eng, K_COUNT, (struct kb_value[]){kb_int(0)}, &start, NULL, NULL));
	for (int i = 0; i < lines; i++) {
		struct kb_prov p = {KB_ORIGIN_EVIDENCE, "C:\\Windows\\N <evil>.log", i + 1, text_of(i), {0}};
		assert_non_null(kb_assert(eng, K_LINE, (struct kb_value[]){kb_int(i), S(text_of(i))}, &p, NULL, NULL));
	}
	kbt_recorder_input(rec, "lines.log", "text", (size_t)lines + 1, NULL, false);
	assert_int_equal(kb_run(eng, 0), lines + 1);
	kbt_recorder_finish(rec);
}

/* Through a temporary file: with open_memstream() GCC 12 (-O2) takes the
 * picture for a pointer to svg_of's own variable once svg_of is inlined. */
static char *svg_of(uint32_t finding)
{
	FILE *out = tmpfile();
	assert_non_null(out);
	assert_int_equal(kbt_render_why_svg(trace, finding, out), 0);
	long len = ftell(out);
	assert_true(len > 0);
	char *buf = malloc((size_t)len + 1);
	rewind(out);
	assert_int_equal(fread(buf, 1, (size_t)len, out), len);
	buf[len] = '\0';
	fclose(out);
	return buf;
}

static uint32_t the_finding(void)
{
	uint32_t *ids;
	assert_int_equal(kbt_findings(trace, &ids), 1);
	uint32_t id = ids[0];
	free(ids);
	return id;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

static const char *hostile(int i)
{
	static const char *const lines[] = {
		"<script>document.title='pwned'</script>",
		"\"><img src=x onerror=alert(1)> &lt;b&gt; & ]]> <!-- -->",
		"two\nlines \\N \\G \xff\xfe not UTF-8",
	};
	return lines[i];
}

static void hostile_labels_are_text(void **state)
{
	(void)state;
	run(3, hostile);
	uint32_t finding = the_finding();
	char *svg = svg_of(finding), want[96];
	/* one element, nothing around it: no prolog, DOCTYPE or comments */
	assert_memory_equal(svg, "<svg role=\"img\" aria-label=\"Why finding f", 40);
	assert_int_equal(count(svg, "<svg"), 1);
	assert_string_equal(svg + strlen(svg) - 7, "</svg>\n");
	assert_null(strstr(svg, "<?xml"));
	assert_null(strstr(svg, "<!DOCTYPE"));
	assert_null(strstr(svg, "<!--"));
	assert_null(strstr(svg, " id=\""));
	/* markup from evidence and rules is text */
	assert_null(strstr(svg, "<script"));
	assert_null(strstr(svg, "<img"));
	assert_null(strstr(svg, "<b>"));
	assert_non_null(strstr(svg, ">&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;</text>"));
	/* (wrapped after 48 characters) */
	assert_non_null(strstr(svg, ">&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp;lt;b&amp;gt; &amp; ]]&gt; &lt;!&#45;&#45;</text>"));
	assert_non_null(strstr(svg, ">&#45;&#45;&gt;</text>"));
	/* a backslash is shown, not read as Graphviz's \N (the node's name) */
	assert_non_null(strstr(svg, ">lines \\N \\G \xEF\xBF\xBD\xEF\xBF\xBD not UTF&#45;8</text>"));
	assert_non_null(strstr(svg, ">C:\\Windows\\N &lt;evil&gt;.log:3</text>"));
	snprintf(want, sizeof(want), ">f%u finding &lt;b&gt;report&lt;/b&gt; (error)</text>", finding);
	assert_non_null(strstr(svg, want));
	/* facts, evidence lines and the finding each a node; rule names on edges */
	assert_non_null(strstr(svg, "<title>f1</title>"));
	assert_non_null(strstr(svg, "<title>f1 evidence</title>"));
	assert_int_equal(count(svg, "<g class=\"node\">"), 4 + 4 + 3 + 1); /* counts, lines' evidence, finding */
	assert_int_equal(count(svg, ">step&lt;&amp;&gt;&quot;</text>"), 6);
	assert_int_equal(count(svg, ">report</text>"), 1);
	assert_null(strstr(svg, "more facts"));
	free(svg);
}

static const char *long_line(int i)
{
	(void)i;
	static char text[20001];
	memset(text, 'x', sizeof(text) - 1);
	return text;
}

static void long_lines_are_cut(void **state)
{
	(void)state;
	run(1, long_line);
	char *svg = svg_of(the_finding());
	assert_true(strlen(svg) < 20000);
	assert_non_null(strstr(svg, "xxx…</text>"));
	free(svg);
}

static const char *numbered(int i)
{
	static char text[32];
	snprintf(text, sizeof(text), "line %d", i);
	return text;
}

static void thousands_of_facts_drawn_nearest_first(void **state)
{
	(void)state;
	run(1500, numbered);
	char *svg = svg_of(the_finding());
	/* the finding, 1501 counts and 1500 lines; 40 drawn */
	assert_non_null(strstr(svg, ">… and 2962 more facts</text>"));
	assert_non_null(strstr(svg, "<title>f3002</title>")); /* the finding */
	assert_non_null(strstr(svg, "<title>f3001</title>")); /* the last count, nearest */
	assert_null(strstr(svg, "<title>f1</title>"));        /* the first count, farthest */
	assert_true(count(svg, "<g class=\"node\">") <= 40 * 2 + 1);
	free(svg);
	assert_int_equal(kbt_render_why_svg(trace, 99999, stdout), -1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(hostile_labels_are_text),
		T(long_lines_are_cut),
		T(thousands_of_facts_drawn_nearest_first),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
