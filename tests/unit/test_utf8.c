/*
 * test_utf8.c — the UTF-8 toolkit (util/utf8.c): encoding at every length
 * boundary, the edges of the well-formed ranges (overlongs, surrogates,
 * U+10FFFF), decoding, repair with U+FFFD, UTF-16 surrogate pairs and
 * lone halves, character columns, and cutting a place to its end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "utf8.h"

static void expect_put(uint32_t c, const char *bytes)
{
	char out[KBU_UTF8_MAX];
	size_t n = kbu_utf8_put(out, c);
	assert_int_equal(n, strlen(bytes));
	assert_memory_equal(out, bytes, n);
}

static void put(void **state)
{
	(void)state;
	expect_put(0x41, "A");
	expect_put(0x7F, "\x7F");
	expect_put(0x80, "\xC2\x80");
	expect_put(0x7FF, "\xDF\xBF");
	expect_put(0x800, "\xE0\xA0\x80");
	expect_put(0xD7FF, "\xED\x9F\xBF");
	expect_put(0xE000, "\xEE\x80\x80");
	expect_put(0xFFFF, "\xEF\xBF\xBF");
	expect_put(0x10000, "\xF0\x90\x80\x80");
	expect_put(0x10FFFF, "\xF4\x8F\xBF\xBF");
	/* no UTF-8 form: the replacement character */
	expect_put(0xD800, "\xEF\xBF\xBD");
	expect_put(0xDBFF, "\xEF\xBF\xBD");
	expect_put(0xDC00, "\xEF\xBF\xBD");
	expect_put(0xDFFF, "\xEF\xBF\xBD");
	expect_put(0x110000, "\xEF\xBF\xBD");
	expect_put(UINT32_MAX, "\xEF\xBF\xBD");
	char nul[KBU_UTF8_MAX] = {1};
	assert_int_equal(kbu_utf8_put(nul, 0), 1);
	assert_int_equal(nul[0], 0);
}

static size_t seq(const char *s)
{
	return kbu_utf8_seq(s, strlen(s));
}

static void well_formed(void **state)
{
	(void)state;
	assert_int_equal(seq("A"), 1);
	assert_int_equal(kbu_utf8_seq("", 1), 1); /* NUL is ASCII */
	assert_int_equal(seq("\xC2\x80"), 2);
	assert_int_equal(seq("\xE0\xA0\x80"), 3);      /* U+0800 */
	assert_int_equal(seq("\xED\x9F\xBF"), 3);      /* U+D7FF, last before the surrogates */
	assert_int_equal(seq("\xEE\x80\x80"), 3);      /* U+E000, first after them */
	assert_int_equal(seq("\xF0\x90\x80\x80"), 4);  /* U+10000 */
	assert_int_equal(seq("\xF4\x8F\xBF\xBF"), 4);  /* U+10FFFF */
	assert_int_equal(seq("\xC3\xA9x"), 2);         /* stops at the sequence's end */
}

static void ill_formed(void **state)
{
	(void)state;
	assert_int_equal(seq("\x80"), 0);              /* stray continuation */
	assert_int_equal(seq("\xBF\x80"), 0);
	assert_int_equal(seq("\xC0\xAF"), 0);          /* overlong '/' */
	assert_int_equal(seq("\xC1\xBF"), 0);
	assert_int_equal(seq("\xE0\x80\xAF"), 0);      /* overlong, 3 bytes */
	assert_int_equal(seq("\xE0\x9F\xBF"), 0);
	assert_int_equal(seq("\xF0\x80\x80\xAF"), 0);  /* overlong, 4 bytes */
	assert_int_equal(seq("\xF0\x8F\xBF\xBF"), 0);
	assert_int_equal(seq("\xED\xA0\x80"), 0);      /* U+D800 */
	assert_int_equal(seq("\xED\xAF\xBF"), 0);      /* U+DBFF */
	assert_int_equal(seq("\xED\xB0\x80"), 0);      /* U+DC00 */
	assert_int_equal(seq("\xED\xBF\xBF"), 0);      /* U+DFFF */
	assert_int_equal(seq("\xF4\x90\x80\x80"), 0);  /* U+110000 */
	assert_int_equal(seq("\xF5\x80\x80\x80"), 0);  /* leads that start nothing */
	assert_int_equal(seq("\xF8\x88\x80\x80\x80"), 0);
	assert_int_equal(seq("\xFF"), 0);
	assert_int_equal(seq("\xE2\x82"), 0);          /* cut short */
	assert_int_equal(kbu_utf8_seq("\xE2\x82\xAC", 2), 0);
	assert_int_equal(seq("\xE2\x28\xA1"), 0);      /* not a continuation */
	assert_int_equal(seq("\xF0\x90\x28\x80"), 0);
}

static void valid(void **state)
{
	(void)state;
	assert_true(kbu_utf8_valid("", 0));
	assert_true(kbu_utf8_valid("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", 14));
	assert_false(kbu_utf8_valid("caf\xC3", 4));
	assert_false(kbu_utf8_valid("a\xED\xA0\x80z", 5));
}

static void fix(void **state)
{
	(void)state;
	size_t n = 99;
	assert_null(kbu_utf8_fix("caf\xC3\xA9", 5, &n));
	assert_int_equal(n, 99); /* untouched: nothing to fix */
	char *f = kbu_utf8_fix("a\xFF" "b", 3, &n);
	assert_string_equal(f, "a\xEF\xBF\xBD" "b");
	assert_int_equal(n, 5);
	free(f);
	f = kbu_utf8_fix("a\0b", 3, &n); /* NUL would end the C string */
	assert_string_equal(f, "a\xEF\xBF\xBD" "b");
	free(f);
	f = kbu_utf8_fix("\xED\xA0\x80", 3, &n); /* a surrogate: each byte replaced */
	assert_string_equal(f, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	free(f);
	f = kbu_utf8_fix("\xE2\x82 \xE2\x82\xAC", 6, &n);
	assert_string_equal(f, "\xEF\xBF\xBD\xEF\xBF\xBD \xE2\x82\xAC");
	free(f);
}

static uint32_t get16(const char *bytes, size_t n, bool le, size_t *used)
{
	uint32_t c = 0;
	*used = kbu_utf16_get((const unsigned char *)bytes, n, le, &c);
	return c;
}

static void utf16(void **state)
{
	(void)state;
	size_t k;
	assert_int_equal(get16("A\0", 2, true, &k), 'A');
	assert_int_equal(k, 2);
	assert_int_equal(get16("\0A", 2, false, &k), 'A');
	assert_int_equal(get16("\xAC\x20", 2, true, &k), 0x20AC);
	/* U+1F600 is D83D DE00 */
	assert_int_equal(get16("\x3D\xD8\x00\xDE", 4, true, &k), 0x1F600);
	assert_int_equal(k, 4);
	assert_int_equal(get16("\xD8\x3D\xDE\x00", 4, false, &k), 0x1F600);
	assert_int_equal(get16("\xFF\xDB\xFF\xDF", 4, true, &k), 0x10FFFF);
	/* lone halves */
	assert_int_equal(get16("\x3D\xD8", 2, true, &k), KBU_REPLACEMENT);      /* high at the end */
	assert_int_equal(k, 2);
	assert_int_equal(get16("\x3D\xD8" "A\0", 4, true, &k), KBU_REPLACEMENT); /* high, then no low */
	assert_int_equal(k, 2);                                                   /* 'A' is read next */
	assert_int_equal(get16("\x3D\xD8\x3D\xD8", 4, true, &k), KBU_REPLACEMENT);
	assert_int_equal(k, 2);
	assert_int_equal(get16("\x00\xDE\x3D\xD8", 4, true, &k), KBU_REPLACEMENT); /* low first */
	assert_int_equal(k, 2);
	assert_true(kbu_utf16_high(0xD800) && kbu_utf16_high(0xDBFF) && !kbu_utf16_high(0xDC00));
	assert_true(kbu_utf16_low(0xDC00) && kbu_utf16_low(0xDFFF) && !kbu_utf16_low(0xE000));
	assert_int_equal(kbu_utf16_join(0xD800, 0xDC00), 0x10000);
}

static void columns(void **state)
{
	(void)state;
	const char *s = "a\xC3\xA9" "b\xE2\x82\xAC";
	size_t n = strlen(s);
	assert_int_equal(kbu_utf8_chars(s, n), 4);
	assert_int_equal(kbu_utf8_offset(s, n, 0), 0);
	assert_int_equal(kbu_utf8_offset(s, n, 1), 1);
	assert_int_equal(kbu_utf8_offset(s, n, 2), 3);
	assert_int_equal(kbu_utf8_offset(s, n, 3), 4);
	assert_int_equal(kbu_utf8_offset(s, n, 4), n);
	assert_int_equal(kbu_utf8_offset(s, n, 99), n);
	assert_int_equal(kbu_utf8_floor(s, 2), 1); /* inside é */
	assert_int_equal(kbu_utf8_floor(s, 6), 4); /* inside € */
	assert_int_equal(kbu_utf8_floor(s, 3), 3);
	assert_int_equal(kbu_utf8_floor("\x80\x80", 1), 0);
	assert_true(kbu_utf8_cont(0x80) && kbu_utf8_cont(0xBF) && !kbu_utf8_cont(0xC0) && !kbu_utf8_cont('a'));
}

static void expect_get(const char *s, size_t len, uint32_t cp)
{
	uint32_t c = 0;
	assert_int_equal(kbu_utf8_get(s, strlen(s), &c), len);
	assert_int_equal(c, cp);
}

static void get(void **state)
{
	(void)state;
	expect_get("A", 1, 0x41);
	expect_get("\xC2\x85", 2, 0x85);             /* NEL, a C1 control */
	expect_get("\xE2\x80\xAE", 3, 0x202E);       /* RIGHT-TO-LEFT OVERRIDE */
	expect_get("\xF4\x8F\xBF\xBF", 4, 0x10FFFF);
	expect_get("\xEF\xBF\xBDx", 3, KBU_REPLACEMENT);
	/* none: the replacement character, length 0 */
	expect_get("\xFF", 0, KBU_REPLACEMENT);
	expect_get("\xC0\x80", 0, KBU_REPLACEMENT);  /* overlong NUL */
	expect_get("\xED\xA0\x80", 0, KBU_REPLACEMENT); /* a surrogate */
	expect_get("\xE2\x80", 0, KBU_REPLACEMENT);  /* cut short */
	/* round trip over every length boundary */
	static const uint32_t cps[] = {0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF};
	for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		char b[KBU_UTF8_MAX];
		size_t n = kbu_utf8_put(b, cps[i]);
		uint32_t c;
		assert_int_equal(kbu_utf8_get(b, n, &c), n);
		assert_int_equal(c, cps[i]);
	}
}

static void keep_end(void **state)
{
	(void)state;
	char buf[16];
	kbu_utf8_keep_end(buf, sizeof(buf), "rules/a.lua:14");
	assert_string_equal(buf, "rules/a.lua:14");
	kbu_utf8_keep_end(buf, sizeof(buf), "/very/long/dir/rules/a.lua:14");
	assert_string_equal(buf, "...les/a.lua:14"); /* 15 bytes: "..." and the last 12 */
	/* the cut never starts inside a character: "é" is 2 bytes */
	kbu_utf8_keep_end(buf, sizeof(buf), "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9:7");
	assert_memory_equal(buf, "...", 3);
	assert_true(kbu_utf8_valid(buf, strlen(buf)));
	assert_true(strlen(buf) < sizeof(buf));
	assert_string_equal(buf + strlen(buf) - 2, ":7");
}

static void cut(void **state)
{
	(void)state;
	assert_int_equal(kbu_utf8_cut("ab", 2), 2);
	assert_int_equal(kbu_utf8_cut("a\xC3\xA9", 3), 3);     /* ends with a whole character */
	assert_int_equal(kbu_utf8_cut("a\xC3\xA9", 2), 1);     /* inside it: before it */
	assert_int_equal(kbu_utf8_cut("a\xE2\x82\xAC", 3), 1); /* two of three bytes */
	assert_int_equal(kbu_utf8_cut("a\xFF", 2), 2);          /* not UTF-8 anyway: kept */
	assert_int_equal(kbu_utf8_cut("", 0), 0);
}

/* Pairs of each script, the Latin Extended-A runs whose upper case falls
 * on odd code points, and letters that have no partner. */
static void case_mapping(void **state)
{
	(void)state;
	static const uint32_t pairs[][2] = {
		{'A', 'a'},     {'Z', 'z'},     {0xC0, 0xE0},   {0xDE, 0xFE},   {0x100, 0x101}, {0x136, 0x137},
		{0x139, 0x13A}, {0x147, 0x148}, {0x14A, 0x14B}, {0x15A, 0x15B}, {0x160, 0x161}, {0x178, 0xFF},
		{0x179, 0x17A}, {0x17D, 0x17E}, {0x401, 0x451}, {0x40F, 0x45F}, {0x410, 0x430}, {0x42F, 0x44F},
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		assert_int_equal(kbu_case_lower(pairs[i][0]), pairs[i][1]);
		assert_int_equal(kbu_case_upper(pairs[i][1]), pairs[i][0]);
		assert_int_equal(kbu_case_lower(pairs[i][1]), pairs[i][1]);
		assert_int_equal(kbu_case_upper(pairs[i][0]), pairs[i][0]);
	}
	static const uint32_t alone[] = {'0', '_', 0xD7, 0xF7, 0xDF, 0x138, 0x149, 0x17F, 0x4E00};
	for (size_t i = 0; i < sizeof(alone) / sizeof(alone[0]); i++) {
		assert_int_equal(kbu_case_lower(alone[i]), alone[i]);
		assert_int_equal(kbu_case_upper(alone[i]), alone[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(put),
		cmocka_unit_test(well_formed),
		cmocka_unit_test(ill_formed),
		cmocka_unit_test(valid),
		cmocka_unit_test(fix),
		cmocka_unit_test(utf16),
		cmocka_unit_test(columns),
		cmocka_unit_test(get),
		cmocka_unit_test(keep_end),
		cmocka_unit_test(cut),
		cmocka_unit_test(case_mapping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
