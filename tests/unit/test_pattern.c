/*
 * test_pattern.c — the core's Lua-pattern matcher (engine/lpattern.c) on
 * its own: Lua 5.4's answers and error messages (the expected values come
 * from Lua 5.4 itself), the step budget counted exactly, and what the
 * network does with a `match` test that is malformed or runs out of steps.
 * test_lua_pattern.c compares the rule library built on it with Lua's.
 */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kb.h"

#define LOTS 1000000u

/* string.find(s, p, init + 1) on len bytes of s: "start end", "nil" or
 * "error: message". */
static const char *find(const char *s, const char *p, size_t len, size_t init)
{
	static char out[96];
	struct kb_match m;
	const char *start, *end;
	kb_match_init(&m, s, len, p, strlen(p), LOTS);
	int r = kb_match_find(&m, init, &start, &end);
	if (r == KB_MATCH_FOUND)
		snprintf(out, sizeof(out), "%td %td", start - s + 1, end - s);
	else if (r == KB_MATCH_NONE)
		snprintf(out, sizeof(out), "nil");
	else
		snprintf(out, sizeof(out), "error: %s", r == KB_MATCH_BUDGET ? "budget" : m.error);
	return out;
}

static void answers_as_lua(void **state)
{
	(void)state;
	static const struct {
		const char *s, *p, *want;
	} cases[] = {
		{"Accept clients on POP3 interface failed", "POP3", "19 22"},
		{"error 0x2740.", "0x%x+", "7 12"},
		{"error 0x2740.", "^error", "1 5"},
		{"error 0x2740.", "^rror", "nil"},
		{"error 0x2740.", "2740%.$", "9 13"},
		{"abc", "a.c", "1 3"},
		{"abc", "[a-b]+c$", "1 3"},
		{"abc", "[^abc]", "nil"},
		{"port 110", "port %d%d?%d?$", "1 8"},
		{"f(a(b)c)", "%b()$", "2 8"},
		{"THE (quick) fox", "%f[%a]%a+%f[%A]", "1 3"},
		{"hello hello", "(h%a+) %1", "1 11"},
		{"hello world", "(h%a+) %1", "nil"},
		{"aaa", "a-b", "nil"},
		{"", "^$", "1 0"},
		{"a]b", "[]]", "2 2"},
		{"]]x", "[^]]+", "3 3"},
		{"x=1, y=22", "%a=(%d+)", "1 3"},
		{"  key = value  ", "%s*(.-)%s*$", "1 15"},
		{"a.b", "%.", "2 2"},
		{"a+b", "a+b", "nil"},
		{"aab", "a-b", "1 3"},
		{"hello", "l*", "1 0"},
		{"hello", "$", "6 5"},
		{"a^b", "a^b", "1 3"},
		{"a$b", "a$b", "1 3"},
		{"a", "b%", "nil"}, /* Lua raises only where matching gets to */
		{"abc", "(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)", "nil"},
		{"a", "%", "error: malformed pattern (ends with '%')"},
		{"a", "a%", "error: malformed pattern (ends with '%')"},
		{"a", "[a", "error: malformed pattern (missing ']')"},
		{"a", "[%", "error: malformed pattern (missing ']')"},
		{"x", "%b", "error: malformed pattern (missing arguments to '%b')"},
		{"x", "%bx", "error: malformed pattern (missing arguments to '%b')"},
		{"x", "%f", "error: missing '[' after '%f' in pattern"},
		{"x", "%fx", "error: missing '[' after '%f' in pattern"},
		{"abc", "%1", "error: invalid capture index %1"},
		{"abc", "%0", "error: invalid capture index %0"},
		{"abc", "(a)%2", "error: invalid capture index %2"},
		{"abc", "(a%1)", "error: invalid capture index %1"},
		{"abc", "%a)", "error: invalid pattern capture"},
		{"a", "()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()", "error: too many captures"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = find(cases[i].s, cases[i].p, strlen(cases[i].s), 0);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("find('%s', '%s'): %s, Lua says %s", cases[i].s, cases[i].p, got, cases[i].want);
	}
	assert_string_equal(find("abcabc", "b", 6, 2), "5 5");
	assert_string_equal(find("abcabc", "^b", 6, 1), "2 2");
	assert_string_equal(find("abc", "", 3, 3), "4 3");
}

/* %z went missing from one of the two matchers this one replaced. */
static void z_class_and_embedded_zeros(void **state)
{
	(void)state;
	assert_string_equal(find("a\0b", "%z", 3, 0), "2 2");
	assert_string_equal(find("a\0b", "[%z]", 3, 0), "2 2");
	assert_string_equal(find("a\0b", "%Z+", 3, 0), "1 1");
	assert_string_equal(find("\0\0x", "%z+", 3, 0), "1 2");
	assert_string_equal(find("a\0b", "a.b", 3, 0), "1 3");
	assert_string_equal(find("ab", "%z", 2, 0), "nil");
}

/* The depth of nested calls is Lua's: 199 taken optionals fit, 200 not. */
static void too_complex_at_luas_depth(void **state)
{
	(void)state;
	char s[201], p[402];
	for (int n = 199; n <= 200; n++) {
		memset(s, 'a', (size_t)n);
		for (int i = 0; i < n; i++)
			memcpy(p + 2 * i, "a?", 2);
		p[2 * n] = '\0';
		assert_string_equal(find(s, p, (size_t)n, 0), n == 199 ? "1 199" : "error: pattern too complex");
	}
	/* the loops of * and - skip places, but not a call that is too deep */
	s[199] = 'b';
	memcpy(p + 2 * 199, ".*x", 4);
	assert_string_equal(find(s, p, 200, 0), "error: pattern too complex");
	memcpy(p + 2 * 199, ".-x", 4);
	assert_string_equal(find(s, p, 200, 0), "error: pattern too complex");
}

static void captures(void **state)
{
	(void)state;
	struct kb_match m;
	const char *s = "hello", *start, *end;
	struct kb_capture c;
	kb_match_init(&m, s, 5, "()ll()", 6, LOTS);
	assert_int_equal(kb_match_find(&m, 0, &start, &end), KB_MATCH_FOUND);
	assert_int_equal(m.ncap, 2);
	assert_int_equal(kb_match_capture(&m, 0, start, end, &c), 0);
	assert_int_equal(c.len, KB_CAP_POSITION);
	assert_int_equal(c.start - s, 2);
	assert_int_equal(kb_match_capture(&m, 1, start, end, &c), 0);
	assert_int_equal(c.start - s, 4);
	assert_int_equal(kb_match_capture(&m, 2, start, end, &c), KB_MATCH_ERROR);
	assert_string_equal(m.error, "invalid capture index %3");

	kb_match_init(&m, s, 5, "(h)(e)(l+)", 10, LOTS);
	assert_int_equal(kb_match_find(&m, 0, &start, &end), KB_MATCH_FOUND);
	assert_int_equal(kb_match_capture(&m, 2, start, end, &c), 0);
	assert_int_equal(c.len, 2);
	assert_memory_equal(c.start, "ll", 2);

	kb_match_init(&m, s, 5, "l+", 2, LOTS); /* none: capture 0 is the match */
	assert_int_equal(kb_match_find(&m, 0, &start, &end), KB_MATCH_FOUND);
	assert_int_equal(kb_match_capture(&m, 0, start, end, &c), 0);
	assert_true(c.start == s + 2 && c.len == 2);

	kb_match_init(&m, s, 5, "(h", 2, LOTS);
	assert_int_equal(kb_match_find(&m, 0, &start, &end), KB_MATCH_FOUND);
	assert_int_equal(kb_match_capture(&m, 0, start, end, &c), KB_MATCH_ERROR);
	assert_string_equal(m.error, "unfinished capture");
}

/* At a given position only, as gmatch and gsub use it: '^' is a letter. */
static void match_at_a_position(void **state)
{
	(void)state;
	struct kb_match m;
	const char *s = "a^b", *end;
	kb_match_init(&m, s, 3, "^b", 2, LOTS);
	assert_int_equal(kb_match_at(&m, s, &end), KB_MATCH_NONE);
	assert_int_equal(kb_match_at(&m, s + 1, &end), KB_MATCH_FOUND);
	assert_ptr_equal(end, s + 3);
}

static void check(const char *p, const char *want)
{
	struct kb_match m;
	int r = kb_pattern_check(&m, p, strlen(p));
	if (want ? r != KB_MATCH_ERROR || strcmp(m.error, want) != 0 : r != 0)
		fail_msg("check('%s'): %d %s, want %s", p, r, r ? m.error : "", want ? want : "ok");
}

static void checking_a_pattern_before_use(void **state)
{
	(void)state;
	static const char *const fine[] = {"", "^$", "%a+", "[]]", "[^]]", "[%]]", "(a)%1", "()%1", "%b()",
					   "%f[%w]", "a^b$", "a$b", "(a(b)c)%2%1", "%%", "a-b*c+d?",
					   "a)" /* plain: string.find looks for the text */};
	for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++)
		check(fine[i], NULL);
	check("b%", "malformed pattern (ends with '%')");
	check("[a", "malformed pattern (missing ']')");
	check("x%b(", "malformed pattern (missing arguments to '%b')");
	check("%f", "missing '[' after '%f' in pattern");
	check("%fa", "missing '[' after '%f' in pattern");
	check("%1(a)", "invalid capture index %1");
	check("(a%1)", "invalid capture index %1");
	check("x*)", "invalid pattern capture");
	check("(a", "unfinished capture");
	check("()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()", "too many captures");
}

/* ---- the step budget ------------------------------------------------------------- */

/* ("a?"):rep(26) .. ("a"):rep(26) .. "b": 2^26 ways to fail on 26 a's. */
static const char *catastrophic(void)
{
	static char p[80];
	for (int i = 0; i < 26; i++)
		memcpy(p + 2 * i, "a?", 2);
	memset(p + 52, 'a', 26);
	p[78] = 'b';
	p[79] = '\0';
	return p;
}

static const char A26[] = "aaaaaaaaaaaaaaaaaaaaaaaaaa";
/* The pattern's text is there, and the pattern matches, but only at the
 * last of its 2^26 tries: nothing tells that without running it. */
#define A26B "aaaaaaaaaaaaaaaaaaaaaaaaaab"

static void budget_stops_at_exactly_its_steps(void **state)
{
	(void)state;
	struct kb_match m;
	const char *start, *end;
	kb_match_init(&m, A26, 26, catastrophic(), 79, 100000);
	assert_int_equal(kb_match_find(&m, 0, &start, &end), KB_MATCH_BUDGET);
	assert_int_equal(m.steps, 0);

	/* a match that fits: the steps it takes are enough, one fewer is not */
	const char *s = "bind() to 0.0.0.0:25 failed", *p = "bind%(%) to (%S+):(%d+) failed";
	kb_match_init(&m, s, strlen(s), p, strlen(p), LOTS);
	assert_int_equal(kb_match_find(&m, 0, &start, &end), KB_MATCH_FOUND);
	uint64_t took = LOTS - m.steps;
	assert_true(took > 0 && took < 4 * strlen(s)); /* linear here */
	kb_match_init(&m, s, strlen(s), p, strlen(p), took);
	assert_int_equal(kb_match_find(&m, 0, &start, &end), KB_MATCH_FOUND);
	kb_match_init(&m, s, strlen(s), p, strlen(p), took - 1);
	assert_int_equal(kb_match_find(&m, 0, &start, &end), KB_MATCH_BUDGET);
}

struct grants {
	int asked, left;
};

static uint64_t grant(void *ud)
{
	struct grants *g = ud;
	g->asked++;
	return g->left-- > 0 ? 1000 : 0;
}

static void more_steps_are_asked_for(void **state)
{
	(void)state;
	struct kb_match m;
	struct grants g = {0, 5};
	const char *start, *end;
	kb_match_init(&m, A26, 26, catastrophic(), 79, 1000);
	m.more_steps = grant;
	m.ud = &g;
	assert_int_equal(kb_match_find(&m, 0, &start, &end), KB_MATCH_BUDGET);
	assert_int_equal(g.asked, 6); /* five grants, then a refusal: 6000 steps in all */

	/* the same on ten a's, without the 'b': found at the 2^10th try */
	const char *p = catastrophic() + 32;
	g = (struct grants){0, 1000};
	kb_match_init(&m, A26, 10, p, 30, 0);
	m.more_steps = grant;
	m.ud = &g;
	assert_int_equal(kb_match_find(&m, 0, &start, &end), KB_MATCH_FOUND);
	assert_true(start == A26 && end == A26 + 10);
	assert_true(g.asked > 5);
}

/* ---- the text every match contains ------------------------------------------------ */

/* kb_pattern_literals(p) as "run|run|...", "exact: run" when finding the
 * run is matching p, "-" for none. */
static const char *literals(const char *p)
{
	static char out[128];
	char text[64];
	size_t len = strlen(p), lens[64], n;
	bool exact;
	assert_true(len < sizeof(text));
	n = kb_pattern_literals(p, len, text, lens, &exact);
	snprintf(out, sizeof(out), "%s%s", exact ? "exact: " : "", n ? "" : "-");
	for (size_t i = 0, at = 0; i < n; at += lens[i++])
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%.*s", i ? "|" : "", (int)lens[i], text + at);
	return out;
}

static void literals_by_hand(void **state)
{
	(void)state;
	static const struct {
		const char *p, *want;
	} cases[] = {
		{"Address already in use", "exact: Address already in use"},
		{"a)", "exact: a)"}, /* plain: string.find looks for the text */
		{"%.", "exact: ."},
		{"%%", "exact: %"},
		{"bind%(%)", "exact: bind()"},
		{"a^b", "exact: a^b"}, /* '^' and '$' inside are characters */
		{"a$b", "exact: a$b"},
		{"-a", "exact: -a"},
		{"a*", "-"},
		{"a?", "-"},
		{"a-b", "b"},
		{"ab*c", "a|c"},
		{"a+", "a|a"},
		{"xa+y", "xa|ay"},
		{"%.+x", ".|.x"},
		{"[abc]", "-"},
		{"x[abc]y", "x|y"},
		{"a.b", "a|b"},
		{"%d+:%d+", ":"},
		{"%a%q", "-"},
		{"^x", "x"},
		{"x$", "x"},
		{"^", "-"},
		{"(ab)c", "ab|c"},
		{"a()b", "a|b"},
		{"%bxy", "-"},
		{"a%bxyb", "a|b"},
		{"%f[%w]ab", "ab"},
		{"(a)%1b", "a|b"},
		{"bind%(%) to .- failed", "bind() to | failed"},
		{"[Aa]ccept%s+clients?%s+on", "ccept|client|on"},
		{"", "-"},
		{"a%", "-"}, /* malformed */
		{"(a", "-"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = literals(cases[i].p);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("literals('%s'): %s, want %s", cases[i].p, got, cases[i].want);
	}
}

/* kb_pattern_screen(p) as its text, "exact: " before it when it is, "-"
 * for none. */
static const char *screen(const char *p)
{
	static char out[512];
	char text[480];
	size_t len = strlen(p);
	bool exact;
	assert_true(len < sizeof(text));
	bool folded;
	size_t n = kb_pattern_screen(p, len, text, &folded, &exact);
	snprintf(out, sizeof(out), "%s%s%.*s", exact ? "exact: " : "", folded ? "any case: " : "", n ? (int)n : 1,
		 n ? text : "-");
	return out;
}

static void screen_by_hand(void **state)
{
	(void)state;
	assert_string_equal(screen("[Aa]ccept%s+clients?%s+on%s+%w+%s+interface%s+failed%s+in%s+function%s+"
				   "HrRegisterProtocol"),
			    "HrRegisterProtocol");
	assert_string_equal(screen("daemon: bind%(%d+%) failed errno=(%d+)"), ") failed errno=");
	assert_string_equal(screen("[Bb][Ii][Nn][Dd]"), "any case: bind");
	assert_string_equal(screen("could not [Bb]ind to"), "any case: could not bind to");
	assert_string_equal(screen("[Bb]ind%(%) to .- failed"), "any case: bind() to ");
	assert_string_equal(screen("[Bb][iI]+"), "any case: bi");
	assert_string_equal(screen("[Bb]b"), "any case: bb");
	assert_string_equal(screen("[Bc]ind"), "ind");
	assert_string_equal(screen("[B]ind"), "ind");
	assert_string_equal(screen("ab.cd"), "ab"); /* the first of the longest */
	assert_string_equal(screen("error 0x2740"), "exact: error 0x2740");
	assert_string_equal(screen("^error"), "error");
	assert_string_equal(screen(catastrophic()), "aaaaaaaaaaaaaaaaaaaaaaaaaab");
	assert_string_equal(screen("a%"), "-"); /* malformed: matching says where */
	/* 200 quantifiers can be too deep for the matcher on a subject
	 * without the 'x' as well: no screen; 199 cannot */
	char p[404];
	for (int i = 0; i < 200; i++)
		memcpy(p + 2 * i, "a?", 2);
	strcpy(p + 400, "x");
	assert_string_equal(screen(p), "-");
	assert_string_equal(screen(p + 2), "x");
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

/* A pattern of a few items, each maybe quantified, over the characters
 * random_subject() uses; malformed ones too. */
static void random_pattern(char *p, size_t cap)
{
	static const char *const items[] = {"a", "b", "x", " ", "ab", "ba", "%.", "%%", "%(", ".", "%a", "%d",
					    "[ab]", "[^a]", "%bab", "%f[a]", "%1", "(", ")", "()", "^", "$", "-",
					    "*", "+", "?", "%", "[Aa]", "[bB]", "A"};
	static const char *const quantifiers[] = {"", "", "", "*", "+", "-", "?"};
	p[0] = '\0';
	for (unsigned i = 0, n = 1 + rnd(7); i < n; i++) {
		const char *item = items[rnd(sizeof(items) / sizeof(items[0]))];
		const char *q = quantifiers[rnd(sizeof(quantifiers) / sizeof(quantifiers[0]))];
		if (strlen(p) + strlen(item) + strlen(q) < cap)
			strcat(strcat(p, item), q);
	}
}

/* The test's own memmem for a folded screen: its lower-case letters match
 * either case, the rest only themselves. */
static bool contains_any_case(const char *s, size_t n, const char *needle, size_t m)
{
	for (size_t i = 0; i + m <= n; i++) {
		size_t j = 0;
		while (j < m && (s[i + j] == needle[j] || tolower((unsigned char)s[i + j]) == needle[j]))
			j++;
		if (j == m)
			return true;
	}
	return false;
}

static size_t random_subject(char *s, size_t cap)
{
	static const char chars[] = "aaabbbx .%()1AB";
	size_t n = rnd((unsigned)cap);
	for (size_t i = 0; i < n; i++)
		s[i] = chars[rnd(sizeof(chars) - 1)];
	return n;
}

/* string.find(s, p), as the network's match tests ask it. */
static int find_like_lua(struct kb_match *m, const char *s, size_t slen, const char *p, const char **start,
			 const char **end)
{
	size_t plen = strlen(p);
	if (kb_pattern_plain(p, plen)) {
		*start = memmem(s, slen, p, plen);
		*end = *start ? *start + plen : NULL;
		return *start ? KB_MATCH_FOUND : KB_MATCH_NONE;
	}
	kb_match_init(m, s, slen, p, plen, LOTS);
	return kb_match_find(m, 0, start, end);
}

/* Whatever the pattern and subject: a match holds every run, in order
 * (a run after a '+' starts on the last character of the one before);
 * an exact pattern matches where its run is; and a subject without the
 * screen's text makes the matcher find nothing (or run out of steps),
 * never raise an error. */
static void literals_in_every_match(void **state)
{
	(void)state;
	size_t found = 0, screened = 0;
	for (int i = 0; i < 200000; i++) {
		char p[40], s[16], text[40], screen_text[40];
		size_t lens[40];
		bool exact, screen_exact;
		random_pattern(p, sizeof(p));
		size_t slen = random_subject(s, sizeof(s)), plen = strlen(p);
		size_t n = kb_pattern_literals(p, plen, text, lens, &exact);
		bool folded;
		size_t k = kb_pattern_screen(p, plen, screen_text, &folded, &screen_exact);
		struct kb_match m;
		const char *start, *end;
		int r = find_like_lua(&m, s, slen, p, &start, &end);
		const char *from = start;
		for (size_t j = 0, at = 0; r == KB_MATCH_FOUND && j < n; at += lens[j++]) {
			const char *in = memmem(from, (size_t)(end - from), text + at, lens[j]);
			if (!in)
				fail_msg("'%s' matched \"%.*s\" without \"%.*s\"", p, (int)(end - start), start,
					 (int)lens[j], text + at);
			from = in + lens[j] - 1; /* "a+b": "a", then "ab" from that 'a' on */
		}
		bool has_run = n == 1 && memmem(s, slen, text, lens[0]);
		if (exact && r >= 0 && (r == KB_MATCH_FOUND) != has_run)
			fail_msg("'%s' is exact, yet on \"%.*s\" finding it says %d", p, (int)slen, s, r);
		bool has_screen = k == 0 || (folded ? contains_any_case(s, slen, screen_text, k)
							  : memmem(s, slen, screen_text, k) != NULL);
		if (!has_screen && r != KB_MATCH_NONE && r != KB_MATCH_BUDGET)
			fail_msg("'%s' on \"%.*s\", without \"%.*s\": %d", p, (int)slen, s, (int)k, screen_text, r);
		assert_true(k == 0 || folded || (screen_exact == exact && n > 0));
		found += r == KB_MATCH_FOUND;
		screened += !has_screen;
	}
	assert_true(found > 20000 && screened > 20000); /* the cases said something */
}

/* ---- in the network -------------------------------------------------------------- */

static struct kb_engine *eng;
static int K_PROC, K_WANT, fired;

static int count_firing(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)e, (void)act, (void)ud, (void)err;
	fired++;
	return 0;
}

static struct kb_value S(const char *s) { return kb_str(kb_intern_cstr(eng, s)); }

/* process {pid, name} and wanted {pattern}; 100,000 steps a match test. */
static int setup(void **state)
{
	*state = eng = kb_engine_new();
	struct kb_slot_decl proc[] = {{"pid", KB_INT}, {"name", KB_STRING}};
	struct kb_slot_decl want[] = {{"pattern", KB_STRING}};
	K_PROC = kb_kind_declare(eng, "process", 2, proc, NULL);
	K_WANT = kb_kind_declare(eng, "wanted", 1, want, NULL);
	kb_engine_set_match_steps(eng, 100000);
	fired = 0;
	return 0;
}

static int teardown(void **state)
{
	kb_engine_free(*state);
	return 0;
}

static void proc(int pid, const char *name)
{
	struct kb_value v[] = {kb_int(pid), S(name)};
	assert_non_null(kb_assert(eng, K_PROC, v, NULL, NULL, NULL));
}

/* A rule: process { name = match pattern }, its condition at where. */
static const struct kb_rule *match_rule(const char *name, const char *pattern, const char *where)
{
	struct kb_test *t = calloc(1, sizeof(*t)); /* the engine copies; freed at once */
	*t = (struct kb_test){.slot = 1, .op = KB_OP_MATCH, .operand = KB_OPERAND_CONST, .value = S(pattern)};
	struct kb_cond c = {.type = KB_COND_PATTERN, .kind = K_PROC, .ntests = 1, .tests = t, .fact_var = -1,
			    .where = where};
	struct kb_rule_def def = {.name = name, .where = "rules.lua:1", .nconds = 1, .conds = &c,
				  .action = count_firing};
	struct kb_error err = {0};
	const struct kb_rule *r = kb_rule_add(eng, &def, &err);
	free(t);
	assert_non_null(r);
	return r;
}

/* Out of steps on one value: that fact fails the test, the rule has an
 * error and goes on; on KB_RULE_OVERRUNS values the test gives up. */
static void out_of_steps_fails_the_fact_not_the_rule(void **state)
{
	(void)state;
	const struct kb_rule *bomb = match_rule("bomb", catastrophic(), "bomb.lua:3");
	const struct kb_rule *good = match_rule("good", "^sys", "good.lua:2");
	proc(1, A26); /* no "ab": the pattern cannot match, and is not run */
	assert_int_equal(kb_rule_error_count(eng), 0);
	proc(2, A26B);
	proc(3, "systemd");
	proc(4, A26B "!"); /* the same error again: counted */
	assert_int_equal(kb_rule_error_count(eng), 1);
	assert_int_equal(kb_rule_error_repeats(eng, 0), 1);
	const struct kb_error *e = kb_rule_error(eng, 0);
	assert_string_equal(e->where, "bomb.lua:3");
	assert_int_equal(e->status, KB_EBUDGET);
	char want[200];
	snprintf(want, sizeof(want), "rule bomb: pattern \"%s\" exceeded its step budget of 100000", catastrophic());
	assert_string_equal(e->msg, want);
	assert_false(kb_rule_disabled(bomb));
	assert_false(kb_rule_disabled(good));
	assert_int_equal(kb_run(eng, 0), 1);
	assert_int_equal(fired, 1);

	for (int pid = 5; pid < 5 + KB_RULE_OVERRUNS - 2; pid++)
		proc(pid, A26B);
	assert_int_equal(kb_rule_error_count(eng), 2); /* the last one says it gives up */
	assert_int_equal(kb_rule_error_repeats(eng, 0), KB_RULE_OVERRUNS - 2);
	assert_non_null(strstr(kb_rule_error(eng, 1)->msg, "it is not tried on more"));
	proc(100, A26B);
	assert_int_equal(kb_rule_error_count(eng), 2);
	assert_int_equal(kb_rule_error_repeats(eng, 0), KB_RULE_OVERRUNS - 2);
	assert_false(kb_rule_disabled(bomb));

	/* The spent test is not shared with a rule added later: that rule runs
	 * the pattern over the facts itself and has errors of its own. */
	const struct kb_rule *again = match_rule("again", catastrophic(), "again.lua:4");
	assert_false(kb_rule_disabled(again));
	assert_int_equal(kb_rule_error_count(eng), 4);
	assert_string_equal(kb_rule_error(eng, 2)->where, "again.lua:4");
}

/* Malformed where matching reaches the error; a rule added after the facts
 * has its error while it is compiled.  Each fact the pattern fails on is
 * an error of its own (counted once listed), and the rule goes on. */
static void malformed_pattern_fails_the_fact(void **state)
{
	(void)state;
	proc(1, "x");
	const struct kb_rule *r = match_rule("odd", "a%", "odd.lua:7");
	assert_int_equal(kb_rule_error_count(eng), 0); /* "x": the '%' is never reached */
	proc(2, "a");
	assert_int_equal(kb_rule_error_count(eng), 1);
	assert_string_equal(kb_rule_error(eng, 0)->where, "odd.lua:7");
	assert_string_equal(kb_rule_error(eng, 0)->msg, "rule odd: pattern \"a%\": malformed pattern (ends with '%')");
	assert_int_equal(kb_rule_error(eng, 0)->status, KB_ERULE);
	assert_false(kb_rule_disabled(r));

	proc(3, A26B);
	assert_int_equal(kb_rule_error_repeats(eng, 0), 1);
	const struct kb_rule *late = match_rule("late", catastrophic(), "late.lua:4");
	assert_false(kb_rule_disabled(late));
	assert_int_equal(kb_rule_error_count(eng), 2);
	assert_string_equal(kb_rule_error(eng, 1)->where, "late.lua:4");

	/* Malformed before its text "x" is reached: no fact holds an "x", and
	 * the pattern is run all the same (it has no screen), so it fails as
	 * Lua would, at every fact. */
	match_rule("index", "%1x", "index.lua:2");
	assert_int_equal(kb_rule_error_count(eng), 3);
	assert_string_equal(kb_rule_error(eng, 2)->msg, "rule index: pattern \"%1x\": invalid capture index %1");
	assert_int_equal(kb_rule_error_repeats(eng, 2), 2);

	/* no special character: string.find looks for the text, ')' and all */
	match_rule("plain", "a)", "plain.lua:1");
	proc(4, "(a)");
	assert_int_equal(kb_rule_error_count(eng), 3);
	assert_int_equal(kb_run(eng, 0), 1);
}

static int count_in_ud(struct kb_engine *e, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)e, (void)act, (void)err;
	++*(int *)ud;
	return 0;
}

/* Screened or not, exact or not, a constant pattern in the network
 * answers as string.find does. */
static void network_answers_as_find(void **state)
{
	(void)state;
	static const char *const patterns[] = {"bind%(%)", "bind%(%) to .- failed", "a)", "%d+:%d+", "^x",
					       "x$", "[ab]+", "(a)%1", "a+b"};
	static const char *const names[] = {"bind() to 1 failed", "bind(", "x:1", "(a)", "aab", "xa", "12:3x", "ab",
					    "bind() to failed"};
	enum { NP = sizeof(patterns) / sizeof(patterns[0]), NN = sizeof(names) / sizeof(names[0]) };
	int fired_by[NP] = {0}, want[NP] = {0};
	for (int i = 0; i < NP; i++) {
		struct kb_test t = {.slot = 1, .op = KB_OP_MATCH, .operand = KB_OPERAND_CONST, .value = S(patterns[i])};
		struct kb_cond c = {.type = KB_COND_PATTERN, .kind = K_PROC, .ntests = 1, .tests = &t, .fact_var = -1};
		char name[8];
		snprintf(name, sizeof(name), "r%d", i);
		struct kb_rule_def def = {.name = name, .nconds = 1, .conds = &c, .action = count_in_ud, .ud = &fired_by[i]};
		assert_non_null(kb_rule_add(eng, &def, NULL));
		for (int j = 0; j < NN; j++) {
			struct kb_match m;
			const char *start, *end;
			want[i] += find_like_lua(&m, names[j], strlen(names[j]), patterns[i], &start, &end) == KB_MATCH_FOUND;
		}
	}
	for (int j = 0; j < NN; j++)
		proc(j, names[j]);
	kb_run(eng, 0);
	assert_int_equal(kb_rule_error_count(eng), 0);
	for (int i = 0; i < NP; i++)
		if (fired_by[i] != want[i])
			fail_msg("'%s' matched %d names in the network, %d by string.find", patterns[i], fired_by[i], want[i]);
}

/* The pattern from a variable, tested in a join: the same, once. */
static void pattern_from_a_variable(void **state)
{
	(void)state;
	struct kb_test wt[] = {{.slot = 0, .op = KB_OP_EQ, .operand = KB_OPERAND_VAR, .var = 0}};
	struct kb_test pt[] = {{.slot = 1, .op = KB_OP_MATCH, .operand = KB_OPERAND_VAR, .var = 0}};
	struct kb_cond c[] = {{.type = KB_COND_PATTERN, .kind = K_WANT, .ntests = 1, .tests = wt, .fact_var = -1},
			      {.type = KB_COND_PATTERN, .kind = K_PROC, .ntests = 1, .tests = pt, .fact_var = -1,
			       .where = "join.lua:5"}};
	struct kb_rule_def def = {.name = "join", .where = "join.lua:1", .nvars = 1, .nconds = 2, .conds = c,
				  .action = count_firing};
	assert_non_null(kb_rule_add(eng, &def, NULL));
	struct kb_value w[] = {S("^sys")}, bomb[] = {S(catastrophic())};
	assert_non_null(kb_assert(eng, K_WANT, w, NULL, NULL, NULL));
	proc(1, "systemd");
	assert_int_equal(kb_agenda_size(eng), 1);
	assert_non_null(kb_assert(eng, K_WANT, bomb, NULL, NULL, NULL));
	proc(2, A26);
	assert_int_equal(kb_rule_error_count(eng), 1);
	assert_string_equal(kb_rule_error(eng, 0)->where, "join.lua:5");
	assert_non_null(strstr(kb_rule_error(eng, 0)->msg, "exceeded its step budget of 100000"));
	/* the join goes on: both patterns are tried on the next process */
	proc(3, "sysvinit");
	assert_int_equal(kb_agenda_size(eng), 2);
	assert_int_equal(kb_rule_error_count(eng), 1);
	assert_int_equal(kb_run(eng, 0), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(answers_as_lua),
		cmocka_unit_test(z_class_and_embedded_zeros),
		cmocka_unit_test(too_complex_at_luas_depth),
		cmocka_unit_test(captures),
		cmocka_unit_test(match_at_a_position),
		cmocka_unit_test(checking_a_pattern_before_use),
		cmocka_unit_test(budget_stops_at_exactly_its_steps),
		cmocka_unit_test(more_steps_are_asked_for),
		cmocka_unit_test(literals_by_hand),
		cmocka_unit_test(screen_by_hand),
		cmocka_unit_test(literals_in_every_match),
		cmocka_unit_test_setup_teardown(out_of_steps_fails_the_fact_not_the_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_pattern_fails_the_fact, setup, teardown),
		cmocka_unit_test_setup_teardown(network_answers_as_find, setup, teardown),
		cmocka_unit_test_setup_teardown(pattern_from_a_variable, setup, teardown),
	};
	return cmocka_run_group_tests_name("pattern", tests, NULL, NULL);
}
