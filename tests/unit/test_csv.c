/*
 * test_csv.c — the shared CSV reader (facts/core/csv.c): quoting as
 * Windows tools and Excel write and read it, records over several lines,
 * a quote that never closes (per record or per line), the separator and
 * the open last field of Event Viewer's exports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/csv.h"

/* Each test reads the text given as its initial state, decoded. */
static int decode(void **state)
{
	const char *s = *state;
	struct kbf_text *t = malloc(sizeof(*t));
	if (!t)
		return -1;
	kbf_text_decode(t, (const unsigned char *)s, strlen(s));
	*state = t;
	return 0;
}

static int release(void **state)
{
	kbf_text_free(*state);
	free(*state);
	return 0;
}

static void field_is(const struct kbf_csv *c, size_t k, const char *want)
{
	assert_true(k < c->n);
	char *got = strndup(c->f[k].s, c->f[k].len);
	assert_string_equal(got, want);
	free(got);
}

/* The record has exactly these fields. */
static void fields_are(const struct kbf_csv *c, size_t n, const char *const *want)
{
	assert_int_equal(c->n, n);
	for (size_t k = 0; k < n; k++)
		field_is(c, k, want[k]);
}

static const char quotes[] = "\"Image Name\",\"PID\",bare,,\"say \"\"hi\"\"\",\"a,b\",\"\"\r\n"
			     "\"a\"b,x\"y\" , \"c\" ,\"d\"  \r\n";

static void quoting(void **state)
{
	struct kbf_text *t = *state;
	struct kbf_csv c = {0};
	assert_int_equal(kbf_csv_read(&c, t, 0), 0);
	fields_are(&c, 7, (const char *const[]){"Image Name", "PID", "bare", "", "say \"hi\"", "a,b", ""});
	assert_true(c.last_quoted);
	assert_int_equal(c.first, 0);
	assert_int_equal(c.last, 0);
	/* after a closing quote: kept (Excel), trailing blanks not; quotes in
	 * a bare field are text; blanks before an opening quote are not */
	assert_int_equal(kbf_csv_read(&c, t, 1), 0);
	fields_are(&c, 4, (const char *const[]){"ab", "x\"y\" ", "c", "d"});
	kbf_csv_free(&c);
}

/* Borrowing: the same fields; bare ones are the text itself. */
static void borrowing(void **state)
{
	struct kbf_text *t = *state;
	struct kbf_csv c = {.borrow = true};
	assert_int_equal(kbf_csv_read(&c, t, 0), 0);
	fields_are(&c, 7, (const char *const[]){"Image Name", "PID", "bare", "", "say \"hi\"", "a,b", ""});
	const struct kbf_line *l = kbf_text_line(t, 0);
	assert_ptr_equal(c.f[2].s, l->s + strlen("\"Image Name\",\"PID\","));
	assert_false(c.f[0].s >= l->s && c.f[0].s < l->s + l->len); /* quoted: unescaped apart */
	assert_int_equal(kbf_csv_read(&c, t, 1), 0);
	fields_are(&c, 4, (const char *const[]){"ab", "x\"y\" ", "c", "d"});
	kbf_csv_free(&c);
}

/* Export-Csv: a quoted Comments field over lines, blank ones among them. */
static const char spanning[] = "\"Comments\",\"FileName\"\r\n"
			       "\r\n"
			       "\"Exchange \"\"Store\"\"\r\n"
			       "\r\n"
			       "SP4\",\"C:\\store.exe\"\r\n"
			       "   \r\n"
			       "x,y\r\n";

static void records_over_lines(void **state)
{
	struct kbf_text *t = *state;
	struct kbf_csv c = {0};
	size_t i = 0;
	assert_int_equal(kbf_csv_next(&c, t, &i), 1);
	assert_int_equal(c.n, 2);
	assert_int_equal(kbf_csv_next(&c, t, &i), 1); /* the blank line is skipped */
	assert_int_equal(c.first, 2);
	assert_int_equal(c.last, 4);
	assert_int_equal(i, 5);
	field_is(&c, 0, "Exchange \"Store\"\n\nSP4");
	field_is(&c, 1, "C:\\store.exe");
	assert_int_equal(kbf_csv_next(&c, t, &i), 1);
	assert_int_equal(c.first, 6);
	field_is(&c, 1, "y");
	assert_false(c.last_quoted);
	assert_int_equal(kbf_csv_next(&c, t, &i), 0);
	kbf_csv_free(&c);
}

static const char open_quote[] = "\"a\",\"b\r\nc,d\r\n\r\n";

static void unterminated(void **state)
{
	struct kbf_text *t = *state;
	struct kbf_csv c = {0}; /* across lines: the quote runs to the end of the text */
	size_t i = 0;
	assert_int_equal(kbf_csv_next(&c, t, &i), -1);
	assert_int_equal(c.first, 0);
	assert_int_equal(i, t->nlines);
	assert_int_equal(kbf_csv_next(&c, t, &i), 0);
	kbf_csv_free(&c);

	struct kbf_csv one = {.one_line = true}; /* a record a line: the damage stays on it */
	i = 0;
	assert_int_equal(kbf_csv_next(&one, t, &i), -1);
	assert_int_equal(one.first, 0);
	assert_int_equal(i, 1);
	assert_int_equal(kbf_csv_next(&one, t, &i), 1);
	assert_int_equal(one.first, 1);
	fields_are(&one, 2, (const char *const[]){"c", "d"});
	assert_false(one.last_quoted);
	assert_int_equal(kbf_csv_next(&one, t, &i), 0);
	kbf_csv_free(&one);
	assert_true(one.one_line); /* freeing keeps how to read */
}

/* Event Viewer's exports: tab-separated, or a free-text description that
 * runs to the end of its line. */
static const char evt_rows[] = "6/13/2001\t10:00\tSrv\tfree text, with commas\tand a tab\r\n"
			       "6/13/2001,10:00,Srv,free text, with commas\r\n"
			       "6/13/2001,10:00,Srv,\"quoted\",more\r\n"
			       "\r\n";

static void separator_and_open_field(void **state)
{
	struct kbf_text *t = *state;
	struct kbf_csv c = {.sep = '\t'};
	assert_int_equal(kbf_csv_read(&c, t, 0), 0);
	assert_int_equal(c.n, 5);
	field_is(&c, 3, "free text, with commas");
	c.sep = ',';
	c.open_field = 4;
	assert_int_equal(kbf_csv_read(&c, t, 1), 0);
	assert_int_equal(c.n, 4);
	field_is(&c, 3, "free text, with commas");
	assert_false(c.last_quoted);
	assert_int_equal(kbf_csv_read(&c, t, 2), 0); /* quoted: no longer open */
	assert_int_equal(c.n, 5);
	field_is(&c, 3, "quoted");
	c.open_field = 0;
	assert_int_equal(kbf_csv_read(&c, t, 3), 0); /* an empty line: one empty field */
	assert_int_equal(c.n, 1);
	field_is(&c, 0, "");
	kbf_csv_free(&c);
}

/* Records larger than the first buffers: fields still point into the one
 * that grew. */
static void large_records(void **state)
{
	(void)state;
	size_t nf = 300, cap = nf * 12 + 5000, o = 0;
	char *s = malloc(cap);
	for (size_t k = 0; k < nf; k++)
		o += (size_t)snprintf(s + o, cap - o, "%s\"f%zu\"", k ? "," : "", k);
	o += (size_t)snprintf(s + o, cap - o, ",\"");
	memset(s + o, 'x', 4000);
	snprintf(s + o + 4000, cap - o - 4000, "\"\r\n");
	void *text = s;
	assert_int_equal(decode(&text), 0);
	struct kbf_csv c = {0};
	assert_int_equal(kbf_csv_read(&c, text, 0), 0);
	assert_int_equal(c.n, nf + 1);
	field_is(&c, 0, "f0");
	field_is(&c, 299, "f299");
	assert_int_equal(c.f[nf].len, 4000);
	assert_int_equal(c.f[nf].s[3999], 'x');
	kbf_csv_free(&c);
	release(&text);
	free(s);
}

#define READING(f, s) cmocka_unit_test_prestate_setup_teardown(f, decode, release, (void *)(s))

int main(void)
{
	const struct CMUnitTest tests[] = {
		READING(quoting, quotes),
		READING(borrowing, quotes),
		READING(records_over_lines, spanning),
		READING(unterminated, open_quote),
		READING(separator_and_open_field, evt_rows),
		cmocka_unit_test(large_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
