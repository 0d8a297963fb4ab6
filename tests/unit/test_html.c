/*
 * test_html.c — the HTML page's links (report/html_link.c): templates
 * that are http(s) URLs naming the article, and articles from rule files
 * percent-encoded into them, so that no article becomes a scheme, a path
 * or markup.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "html.h"

static void expect_url(const char *template, const char *article, const char *want)
{
	char buf[256];
	bool made = kbr_kb_url(buf, sizeof(buf), template, article);
	if (!want) {
		assert_false(made);
		return;
	}
	assert_true(made);
	assert_string_equal(buf, want);
}

static void templates(void **state)
{
	(void)state;
	assert_null(kbr_kb_url_check(KBR_KB_URL_DEFAULT));
	assert_null(kbr_kb_url_check("http://kb.intranet/{article}.txt"));
	assert_null(kbr_kb_url_check("HTTPS://kb.example.org/a?id={article}&n={number}"));
	assert_non_null(kbr_kb_url_check("javascript:alert(1)//{article}"));
	assert_non_null(kbr_kb_url_check("data:text/html,{article}"));
	assert_non_null(kbr_kb_url_check("//kb.example.org/{article}"));
	assert_non_null(kbr_kb_url_check("https://kb.example.org/\"><script>{article}"));
	assert_non_null(kbr_kb_url_check("https://kb.example.org/ {article}"));
	assert_non_null(kbr_kb_url_check("https://kb.example.org/{id}"));
	assert_non_null(kbr_kb_url_check("https://kb.example.org/"));
}

static void links(void **state)
{
	(void)state;
	expect_url(KBR_KB_URL_DEFAULT, "Q271275", "https://support.microsoft.com/kb/271275");
	expect_url(KBR_KB_URL_DEFAULT, "KB956188", "https://support.microsoft.com/kb/956188");
	expect_url(KBR_KB_URL_DEFAULT, "javascript:alert(1)", NULL); /* no number: no link */
	expect_url(KBR_KB_URL_DEFAULT, "Q12x", NULL);
	expect_url(KBR_KB_URL_DEFAULT, "", NULL);
	expect_url(KBR_KB_URL_DEFAULT, NULL, NULL);
	expect_url("https://kb.example.org/{article}/{article}", "Q1", "https://kb.example.org/Q1/Q1");
	expect_url("https://kb.example.org/{article}", "javascript:alert(1)//\"<x>",
		   "https://kb.example.org/javascript%3Aalert%281%29%2F%2F%22%3Cx%3E");
	expect_url("https://kb.example.org/{article}", "caf\xc3\xa9 ?&#", "https://kb.example.org/caf%C3%A9%20%3F%26%23");
	expect_url("javascript:{article}", "Q1", NULL); /* an unchecked template makes nothing */
}

static void too_long(void **state)
{
	(void)state;
	char article[300];
	memset(article, '%', sizeof(article) - 1);
	article[sizeof(article) - 1] = '\0';
	char buf[64];
	assert_false(kbr_kb_url(buf, sizeof(buf), "https://kb.example.org/{article}", article));
	assert_true(kbr_kb_url(buf, 26, "https://kb.example.org/{article}", "Q1")); /* 25 characters and NUL */
	assert_false(kbr_kb_url(buf, 25, "https://kb.example.org/{article}", "Q1"));
	assert_false(kbr_kb_url(buf, 27, "https://kb.example.org/{article}", "Q1 ")); /* the space takes 3 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(templates),
		cmocka_unit_test(links),
		cmocka_unit_test(too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
