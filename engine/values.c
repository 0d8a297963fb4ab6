/*
 * values.c — equality, order and hashing of slot values, the comparison
 * tests the network applies (Lua patterns through lpattern.c, with a
 * budget of steps), and the error record.
 */
#define _GNU_SOURCE /* memmem */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "utf8.h"

enum kb_status kb_error_vset(struct kb_error *err, enum kb_status status, const char *where, const char *fmt,
			     va_list ap)
{
	if (!err || err->status != KB_OK)
		return status;
	err->status = status;
	kbu_utf8_keep_end(err->where, sizeof(err->where), where ? where : "");
	kbu_utf8_vformat(err->msg, sizeof(err->msg), fmt, ap);
	return status;
}

enum kb_status kb_error_set(struct kb_error *err, enum kb_status status,
			    const char *where, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kb_error_vset(err, status, where, fmt, ap);
	va_end(ap);
	return status;
}

/* Interned strings equal but for ASCII case: compared when a test asks,
 * rather than every string keeping a lower-case copy for the few that are
 * ever compared so. */
static bool ascii_case_eq(const char *a, const char *b)
{
	if (a == b)
		return true;
	size_t n = kb_sym_of(a)->len;
	if (n != kb_sym_of(b)->len)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x != y && (x | 0x20) != (y | 0x20))
			return false;
		if (x != y && ((x | 0x20) < 'a' || (x | 0x20) > 'z'))
			return false;
	}
	return true;
}

const char *kb_type_name(enum kb_type t)
{
	static const char *const names[] = {"nil", "string", "integer", "float", "boolean"};
	return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

bool kb_version_code(const char *s, size_t len, int64_t *code)
{
	size_t i = 0;
	while (i < len && s[i] == ' ')
		i++;
	if (i == len || s[i] < '0' || s[i] > '9')
		return false;
	uint64_t c = 0;
	for (int part = 0; part < 4; part++) {
		uint32_t n = 0, cap = part == 0 ? 32767 : 65535; /* the code stays positive */
		size_t start = i;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			if (n <= cap)
				n = n * 10 + (uint32_t)(s[i] - '0');
			i++;
		}
		c = c << 16 | (n > cap ? cap : n);
		bool more = i > start && i + 1 < len && (s[i] == '.' || s[i] == ',') && s[i + 1] >= '0' && s[i + 1] <= '9';
		if (more)
			i++;
		else
			i = len; /* missing parts are 0 */
	}
	*code = (int64_t)c;
	return true;
}

static bool is_number(struct kb_value v)
{
	return v.type == KB_INT || v.type == KB_FLOAT;
}

static double as_double(struct kb_value v)
{
	return v.type == KB_INT ? (double)v.u.i : v.u.f;
}

bool kb_value_eq(struct kb_value a, struct kb_value b)
{
	return kb_value_eq_inline(a, b);
}

bool kb_value_eq_slow(struct kb_value a, struct kb_value b)
{
	if (a.type == b.type) {
		switch (a.type) {
		case KB_NIL: return true;
		case KB_STRING: return a.u.s == b.u.s;
		case KB_INT: return a.u.i == b.u.i;
		case KB_FLOAT: return a.u.f == b.u.f;
		case KB_BOOL: return a.u.b == b.u.b;
		}
	}
	return is_number(a) && is_number(b) && as_double(a) == as_double(b);
}

int kb_value_cmp(struct kb_value a, struct kb_value b)
{
	if (a.type == KB_INT && b.type == KB_INT)
		return (a.u.i > b.u.i) - (a.u.i < b.u.i);
	if (is_number(a) && is_number(b)) {
		double x = as_double(a), y = as_double(b);
		return (x > y) - (x < y);
	}
	if (a.type != b.type)
		return (a.type > b.type) - (a.type < b.type);
	switch (a.type) {
	case KB_STRING: return a.u.s == b.u.s ? 0 : strcmp(a.u.s, b.u.s);
	case KB_BOOL: return (int)a.u.b - (int)b.u.b;
	default: return 0;
	}
}

uint32_t kb_value_hash(struct kb_value v)
{
	return kb_value_hash_inline(v);
}

bool kb_value_test(enum kb_op op, struct kb_value a, struct kb_value b)
{
	if (a.type == KB_NIL || b.type == KB_NIL)
		return op == KB_OP_NE ? a.type != b.type : (op == KB_OP_EQ && a.type == b.type);
	switch (op) {
	case KB_OP_EQ: return kb_value_eq(a, b);
	case KB_OP_NE: return !kb_value_eq(a, b);
	case KB_OP_CI_EQ:
		return a.type == KB_STRING && b.type == KB_STRING && ascii_case_eq(a.u.s, b.u.s);
	case KB_OP_LT: return (a.type == b.type || (is_number(a) && is_number(b))) && kb_value_cmp(a, b) < 0;
	case KB_OP_LE: return (a.type == b.type || (is_number(a) && is_number(b))) && kb_value_cmp(a, b) <= 0;
	case KB_OP_GT: return (a.type == b.type || (is_number(a) && is_number(b))) && kb_value_cmp(a, b) > 0;
	case KB_OP_GE: return (a.type == b.type || (is_number(a) && is_number(b))) && kb_value_cmp(a, b) >= 0;
	default: return false; /* KB_OP_MATCH: kb_value_match(), which has a budget */
	}
}

/* Shown in errors: a pattern can be long, the error record is not. */
#define SHOW_PATTERN 120

static void match_failed(struct kb_error *why, const char *pat, size_t plen, uint64_t steps, int status,
			 const char *error)
{
	int n = plen > SHOW_PATTERN ? SHOW_PATTERN : (int)plen;
	const char *more = plen > SHOW_PATTERN ? "..." : "";
	memset(why, 0, sizeof(*why));
	if (status == KB_MATCH_BUDGET)
		kb_error_set(why, KB_EBUDGET, "", "pattern \"%.*s%s\" exceeded its step budget of %llu", n, pat, more,
			     (unsigned long long)steps);
	else
		kb_error_set(why, KB_ERULE, "", "pattern \"%.*s%s\": %s", n, pat, more, error);
}

/* memmem for a folded screen: the needle's lower-case letters match either
 * case, its other bytes only themselves. */
static bool contains_folded(const char *s, size_t n, const char *needle, size_t m)
{
	if (m == 0)
		return true;
	unsigned char first = (unsigned char)needle[0];
	bool letter = first >= 'a' && first <= 'z';
	for (size_t i = 0; i + m <= n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c != first && !(letter && (c | 0x20) == first))
			continue;
		size_t j = 1;
		for (; j < m; j++) {
			unsigned char x = (unsigned char)s[i + j], y = (unsigned char)needle[j];
			if (x != y && !(y >= 'a' && y <= 'z' && (x | 0x20) == y))
				break;
		}
		if (j == m)
			return true;
	}
	return false;
}

bool kb_value_contains(struct kb_value v, const char *text, bool folded)
{
	if (v.type != KB_STRING)
		return false;
	size_t n = kb_sym_of(v.u.s)->len, m = kb_sym_of(text)->len;
	return folded ? contains_folded(v.u.s, n, text, m) : memmem(v.u.s, n, text, m) != NULL;
}

int kb_value_match(struct kb_value v, struct kb_value pat, uint64_t steps, struct kb_error *why)
{
	if (v.type != KB_STRING || pat.type != KB_STRING)
		return 0;
	struct kb_match m;
	const char *start, *end;
	size_t len = kb_sym_of(v.u.s)->len, plen = kb_sym_of(pat.u.s)->len;
	if (kb_pattern_plain(pat.u.s, plen)) /* as string.find, and linear */
		return kb_value_contains(v, pat.u.s, false);
	kb_match_init(&m, v.u.s, len, pat.u.s, plen, steps);
	int r = kb_match_find(&m, 0, &start, &end);
	struct kb_capture c; /* Lua's find reads the captures: one left open is an error */
	for (int i = 0; r == KB_MATCH_FOUND && i < m.ncap; i++)
		if (kb_match_capture(&m, i, start, end, &c) < 0)
			r = KB_MATCH_ERROR;
	if (r >= 0)
		return r;
	if (why)
		match_failed(why, pat.u.s, plen, steps, r, m.error);
	return -1;
}
