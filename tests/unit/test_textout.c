/*
 * test_textout.c — the escaping writer (util/textout.c) and the JSON
 * string writer (kbu_put_json_str, util/outbuf.c): control characters,
 * C1 and bidi controls, bytes that are not UTF-8, widths counted in
 * escaped columns, numbers formatted as printf does; JSON strings that
 * stay valid whatever bytes they are given; the HTML writer
 * (util/htmlout.c), whose strings can open no element and close no
 * attribute.
 */
#define _GNU_SOURCE /* open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "htmlout.h"
#include "outbuf.h"
#include "textout.h"
#include "utf8.h"

/* What kbu_xprintf(esc, fmt, s) writes (kbu_tprintf with the terminal's
 * escaper), malloc'd. */
static char *printed_with(kbu_escape_fn esc, const char *fmt, const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	assert_int_equal(kbu_xprintf(f, esc, fmt, s), 0);
	fclose(f);
	return out;
}

static char *printed(const char *fmt, const char *s)
{
	return printed_with(kbu_text_escape, fmt, s);
}

static void expect_printed(const char *fmt, const char *s, const char *want)
{
	char *got = printed(fmt, s);
	assert_string_equal(got, want);
	free(got);
}

static void controls(void **state)
{
	(void)state;
	expect_printed("[%s]\n", "plain text", "[plain text]\n");
	expect_printed("[%s]", "\x1b[2J\x1b]0;owned\x07", "[\\x1b[2J\\x1b]0;owned\\x07]");
	expect_printed("[%s]", "fake\rERROR", "[fake\\x0dERROR]");
	expect_printed("[%s]", "a\nb", "[a\\x0ab]");
	expect_printed("[%s]", "back\bspace\x7f", "[back\\x08space\\x7f]");
	expect_printed("[%s]", "tab\tkept", "[tab\tkept]");
	/* the format is ours: its own escape sequences pass */
	expect_printed("\r\x1b[K%s", "x", "\r\x1b[Kx");
}

static void unicode(void **state)
{
	(void)state;
	expect_printed("%s", "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac");
	expect_printed("%s", "a\xc2\x9b" "2J", "a\\u009b2J");       /* C1 CSI */
	expect_printed("%s", "evil\xe2\x80\xaetxt.exe", "evil\\u202etxt.exe"); /* RLO */
	expect_printed("%s", "\xe2\x81\xa6x\xe2\x81\xa9", "\\u2066x\\u2069");  /* isolates */
	expect_printed("%s", "line\xe2\x80\xa8sep", "line\\u2028sep");
	/* bytes that are not UTF-8, one escape each */
	expect_printed("%s", "ab\xff\x9b" "c", "ab\\xff\\x9bc");
	expect_printed("%s", "\xe2\x80", "\\xe2\\x80"); /* cut short */
}

static void widths(void **state)
{
	(void)state;
	expect_printed("[%-6s]", "ab", "[ab    ]");
	expect_printed("[%6s]", "ab", "[    ab]");
	expect_printed("[%-6s]", "\xc3\xa9", "[\xc3\xa9     ]"); /* one column */
	expect_printed("[%-6s]", "\x1b", "[\\x1b  ]");              /* four columns */
	expect_printed("[%.3s]", "abcdef", "[abc]");
	expect_printed("[%.2s]", "\xc3\xa9x", "[\xc3\xa9]");
	expect_printed("[%.1s]", "\xc3\xa9x", "[]"); /* a precision never splits a character */
	assert_int_equal(kbu_text_columns("a\x1b\xc3\xa9", 4), 6);
}

static void numbers(void **state)
{
	(void)state;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	kbu_tprintf(f, "%d %5u %-3zu| %llu %lld %.1f %x %c %% %*s|", -7, 42u, (size_t)3, 18446744073709551615ULL,
		    -9223372036854775807LL, 2.25, 255u, '\x1b', 3, "");
	fclose(f);
	assert_string_equal(out, "-7    42 3  | 18446744073709551615 -9223372036854775807 2.2 ff \\x1b %    |");
	free(out);
}

/* What kbu_put_json_str writes for s[0..n). */
static char *json_of(const char *s, size_t n)
{
	char *out = NULL;
	size_t len = 0;
	struct kbu_out *w = calloc(1, sizeof(*w));
	assert_non_null(w);
	w->out = open_memstream(&out, &len);
	assert_non_null(w->out);
	kbu_put_json_str(w, s, n);
	kbu_flush(w);
	fclose(w->out);
	free(w);
	return out;
}

static void expect_json(const char *s, size_t n, const char *want)
{
	char *got = json_of(s, n);
	assert_string_equal(got, want);
	assert_true(kbu_utf8_valid(got, strlen(got)));
	free(got);
}

static void json_strings(void **state)
{
	(void)state;
	expect_json("plain", 5, "\"plain\"");
	expect_json("q\"b\\s", 5, "\"q\\\"b\\\\s\"");
	expect_json("\t\n\r\b\f\x1b", 6, "\"\\t\\n\\r\\b\\f\\u001B\"");
	expect_json("caf\xc3\xa9", 5, "\"caf\xc3\xa9\"");
	/* not UTF-8: U+FFFD for each byte that starts no sequence, nothing lost */
	expect_json("\xef\xbb\xbfPoProxy\xff.exe", 15, "\"\xef\xbb\xbfPoProxy\xef\xbf\xbd.exe\"");
	expect_json("a\xe2\x80", 3, "\"a\xef\xbf\xbd\xef\xbf\xbd\"");
	expect_json("n\0ul", 4, "\"n\\u0000ul\"");
	/* a string longer than the buffer */
	size_t big = 3 * sizeof(((struct kbu_out *)0)->b);
	char *s = malloc(big);
	assert_non_null(s);
	memset(s, 'x', big);
	s[big / 2] = '\xff';
	char *got = json_of(s, big);
	assert_int_equal(strlen(got), big + 2 + 2); /* quotes; one byte became U+FFFD's three */
	assert_true(kbu_utf8_valid(got, strlen(got)));
	free(got);
	free(s);
}

/* Each byte that is not written as it is, at every place of a string long
 * enough for the writer's sixteen- and eight-byte steps and its tail. */
static void json_escapes_anywhere(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {{"\"", "\\\""}, {"\\", "\\\\"}, {"\n", "\\n"}, {"\x01", "\\u0001"},
		     {"\x7f", "\x7f"}, {"\xc3\xa9", "\xc3\xa9"}, {"\xff", "\xef\xbf\xbd"}};
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
		for (size_t at = 0; at <= 40; at++) {
			char in[64], want[80];
			size_t k = strlen(cases[c].in);
			memset(in, 'a', 40);
			memcpy(in + at, cases[c].in, k);
			memset(in + at + k, 'b', 40 - at);
			snprintf(want, sizeof(want), "\"%.*s%s%.*s\"", (int)at, in, cases[c].out, (int)(40 - at), in + at + k);
			expect_json(in, 40 + k, want);
		}
}

static void expect_html(const char *fmt, const char *s, const char *want)
{
	char *got = printed_with(kbu_html_escape, fmt, s);
	assert_string_equal(got, want);
	free(got);
}

static void html(void **state)
{
	(void)state;
	/* the format is ours and holds the markup; the argument is text */
	expect_html("<td title=\"%s\">", "\"><script>alert(1)</script>",
		    "<td title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">");
	expect_html("<p>%s</p>", "a & b 'c'", "<p>a &amp; b &#39;c&#39;</p>");
	expect_html("%s", "&lt;", "&amp;lt;"); /* an entity in the data stays text */
	expect_html("%s", "line\r\nnext\ttab", "line\r\nnext\ttab");
	expect_html("%s", "\x1b[2J\x7f", "\\x1b[2J\\x7f");
	expect_html("%s", "caf\xc3\xa9 \xff", "caf\xc3\xa9 \\xff");           /* not UTF-8 */
	expect_html("%s", "evil\xe2\x80\xaetxt.exe", "evil\\u202etxt.exe"); /* RLO */
	expect_html("[%5s]", "<", "[    &lt;]"); /* a width counts characters, an entity one */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(controls),
		cmocka_unit_test(unicode),
		cmocka_unit_test(widths),
		cmocka_unit_test(numbers),
		cmocka_unit_test(json_strings),
		cmocka_unit_test(json_escapes_anywhere),
		cmocka_unit_test(html),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
