/*
 * json_scan.c — the streaming JSON reader behind snapshots and traces
 * (RFC 8259's grammar; no comments, no trailing commas).  Recursion in
 * kbu_jscan_skip is bounded, strings must be UTF-8 and may not hold raw
 * control characters, \u escapes must pair their surrogates, and a number
 * must fit: an int64_t, or a finite double.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_scan.h"
#include "utf8.h"
#include "xalloc.h"

#define MAX_DEPTH 64

void kbu_jscan_init(struct kbu_jscan *j, const char *s, size_t len)
{
	memset(j, 0, sizeof(*j));
	j->p = j->line_start = s;
	j->end = s + len;
	j->line = 1;
}

void kbu_jscan_free(struct kbu_jscan *j)
{
	free(j->buf);
	free(j->key);
	j->buf = j->key = NULL;
	j->cap = j->keycap = 0;
}

void kbu_jscan_pos(struct kbu_jscan *j, int *line, int *col)
{
	if (!j->counted || j->counted < j->line_start || j->counted > j->p) { /* a new line, or a goto back */
		j->counted = j->line_start;
		j->counted_col = 1;
	}
	j->counted_col += (int)kbu_utf8_chars(j->counted, (size_t)(j->p - j->counted));
	j->counted = j->p;
	*line = j->line;
	*col = j->counted_col;
}

bool kbu_jscan_fail(struct kbu_jscan *j, const char *what)
{
	if (!j->failed) {
		j->failed = true;
		kbu_jscan_pos(j, &j->err_line, &j->err_col);
		snprintf(j->err, sizeof(j->err), "%s", what);
	}
	return false;
}

static void skip_ws(struct kbu_jscan *j)
{
	while (j->p < j->end) {
		char c = *j->p;
		if (c == '\n') {
			j->line++;
			j->line_start = j->p + 1;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			return;
		}
		j->p++;
	}
}

static bool expect(struct kbu_jscan *j, char c, const char *what)
{
	skip_ws(j);
	if (j->p < j->end && *j->p == c) {
		j->p++;
		return true;
	}
	return kbu_jscan_fail(j, what);
}

bool kbu_jscan_type(struct kbu_jscan *j, enum kbu_jtype *type)
{
	skip_ws(j);
	if (j->failed || j->p == j->end)
		return kbu_jscan_fail(j, "a value expected");
	switch (*j->p) {
	case '"': *type = KBU_J_STRING; return true;
	case '{': *type = KBU_J_OBJECT; return true;
	case '[': *type = KBU_J_ARRAY; return true;
	case 't': *type = KBU_J_TRUE; return true;
	case 'f': *type = KBU_J_FALSE; return true;
	case 'n': *type = KBU_J_NULL; return true;
	default:
		if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9')) {
			*type = KBU_J_INT;
			return true;
		}
		return kbu_jscan_fail(j, "a value expected");
	}
}

/* ---- strings ----------------------------------------------------------------- */

/* Room for need bytes in *buf (the strings' or the names' buffer). */
static void grow(char **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return;
	size_t n = *cap ? *cap : 256;
	while (n < need)
		n *= 2;
	*buf = kbu_realloc(*buf, n, 1);
	*cap = n;
}

static int hex4(const char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* \uXXXX (and its low surrogate) at p, which points past the backslash. */
static bool unicode_escape(struct kbu_jscan *j, uint32_t *cp)
{
	int u = j->end - j->p >= 5 ? hex4(j->p + 1) : -1;
	if (u < 0)
		return kbu_jscan_fail(j, "bad \\u escape");
	j->p += 5;
	if (kbu_utf16_low((uint32_t)u))
		return kbu_jscan_fail(j, "lone low surrogate in \\u escape");
	if (kbu_utf16_high((uint32_t)u)) {
		int lo = j->end - j->p >= 6 && j->p[0] == '\\' && j->p[1] == 'u' ? hex4(j->p + 2) : -1;
		if (lo < 0 || !kbu_utf16_low((uint32_t)lo))
			return kbu_jscan_fail(j, "high surrogate without its low half in \\u escape");
		j->p += 6;
		u = (int)kbu_utf16_join((uint32_t)u, (uint32_t)lo);
	}
	*cp = (uint32_t)u;
	return true;
}

/* Reads a string at j->p into dst (cap bytes; decoded is never longer). */
static bool read_string(struct kbu_jscan *j, char *dst, size_t *len)
{
	size_t n = 0;
	j->p++; /* the quote */
	while (j->p < j->end) {
		unsigned char c = (unsigned char)*j->p;
		if (c == '"') {
			j->p++;
			dst[n] = '\0';
			*len = n;
			return true;
		}
		if (c < 0x20)
			return kbu_jscan_fail(j, "control character in a string");
		if (c >= 0x80) {
			size_t k = kbu_utf8_seq(j->p, (size_t)(j->end - j->p));
			if (!k)
				return kbu_jscan_fail(j, "a string that is not UTF-8");
			memcpy(dst + n, j->p, k);
			n += k;
			j->p += k;
			continue;
		}
		if (c != '\\') {
			dst[n++] = (char)c;
			j->p++;
			continue;
		}
		if (j->end - j->p < 2)
			break;
		char e = j->p[1];
		const char *simple = strchr("\"\\/bfnrt", e);
		if (e && simple) {
			dst[n++] = "\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
			j->p += 2;
		} else if (e == 'u') {
			uint32_t cp;
			j->p++;
			if (!unicode_escape(j, &cp))
				return false;
			n += kbu_utf8_put(dst + n, cp);
		} else {
			return kbu_jscan_fail(j, "bad escape in a string");
		}
	}
	return kbu_jscan_fail(j, "unterminated string");
}

/* The length a string at j->p occupies in the text, to size the buffer. */
static size_t raw_length(const struct kbu_jscan *j)
{
	const char *q = j->p + 1;
	while (q < j->end && *q != '"')
		q += *q == '\\' ? 2 : 1;
	return (size_t)(q - j->p) + 1;
}

/* ---- scalars ----------------------------------------------------------------- */

static bool literal(struct kbu_jscan *j, const char *word, enum kbu_jtype type, struct kbu_jvalue *v)
{
	size_t n = strlen(word);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
		return kbu_jscan_fail(j, "a value expected");
	j->p += n;
	v->type = type;
	return true;
}

static bool digits(struct kbu_jscan *j)
{
	const char *start = j->p;
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > start;
}

static bool number(struct kbu_jscan *j, struct kbu_jvalue *v)
{
	const char *start = j->p;
	bool real = false;
	if (*j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (!digits(j))
		return kbu_jscan_fail(j, "bad number");
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		real = true;
		if (!digits(j))
			return kbu_jscan_fail(j, "bad number");
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		real = true;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (!digits(j))
			return kbu_jscan_fail(j, "bad number");
	}
	char text[64];
	size_t n = (size_t)(j->p - start);
	if (n >= sizeof(text))
		return kbu_jscan_fail(j, "number too long");
	memcpy(text, start, n);
	text[n] = '\0';
	char *end;
	if (!real) {
		long long x = strtoll(text, &end, 10);
		if ((x == LLONG_MAX || x == LLONG_MIN) && strcmp(text, x == LLONG_MAX ? "9223372036854775807" : "-9223372036854775808") != 0)
			return kbu_jscan_fail(j, "integer out of range");
		v->type = KBU_J_INT;
		v->i = x;
		return true;
	}
	v->type = KBU_J_REAL;
	v->d = strtod(text, &end);
	return isfinite(v->d) || kbu_jscan_fail(j, "number out of range");
}

bool kbu_jscan_scalar(struct kbu_jscan *j, struct kbu_jvalue *v)
{
	enum kbu_jtype t;
	if (!kbu_jscan_type(j, &t))
		return false;
	switch (t) {
	case KBU_J_STRING:
		grow(&j->buf, &j->cap, raw_length(j));
		if (!read_string(j, j->buf, &v->len))
			return false;
		v->type = KBU_J_STRING;
		v->s = j->buf;
		return true;
	case KBU_J_TRUE: return literal(j, "true", KBU_J_TRUE, v);
	case KBU_J_FALSE: return literal(j, "false", KBU_J_FALSE, v);
	case KBU_J_NULL: return literal(j, "null", KBU_J_NULL, v);
	case KBU_J_INT: return number(j, v);
	default: return kbu_jscan_fail(j, "a string, number, true, false or null expected");
	}
}

/* ---- containers --------------------------------------------------------------- */

bool kbu_jscan_object_begin(struct kbu_jscan *j)
{
	j->first = true;
	return expect(j, '{', "'{' expected");
}

bool kbu_jscan_array_begin(struct kbu_jscan *j)
{
	j->first = true;
	return expect(j, '[', "'[' expected");
}

/* Before a member or element: ',' unless first, or the closing bracket.
 * A container just begun is the only one whose next item is its first. */
static bool next(struct kbu_jscan *j, char close, bool *done, const char *what)
{
	bool first = j->first;
	j->first = false;
	skip_ws(j);
	if (j->failed || j->p == j->end)
		return kbu_jscan_fail(j, what);
	if (*j->p == close) {
		j->p++;
		*done = true;
		return true;
	}
	*done = false;
	if (!first && !expect(j, ',', what))
		return false;
	skip_ws(j);
	return true;
}

bool kbu_jscan_member(struct kbu_jscan *j, bool *done)
{
	if (!next(j, '}', done, "',' or '}' expected") || *done)
		return !j->failed;
	if (j->p == j->end || *j->p != '"')
		return kbu_jscan_fail(j, "a member name expected");
	grow(&j->key, &j->keycap, raw_length(j));
	return read_string(j, j->key, &j->keylen) && expect(j, ':', "':' expected");
}

bool kbu_jscan_element(struct kbu_jscan *j, bool *done)
{
	return next(j, ']', done, "',' or ']' expected");
}

static bool skip(struct kbu_jscan *j, int depth)
{
	enum kbu_jtype t;
	struct kbu_jvalue v;
	bool done = false;
	if (depth > MAX_DEPTH)
		return kbu_jscan_fail(j, "nested too deeply");
	if (!kbu_jscan_type(j, &t))
		return false;
	if (t == KBU_J_OBJECT) {
		if (!kbu_jscan_object_begin(j))
			return false;
		while (kbu_jscan_member(j, &done) && !done)
			if (!skip(j, depth + 1))
				return false;
		return !j->failed;
	}
	if (t == KBU_J_ARRAY) {
		if (!kbu_jscan_array_begin(j))
			return false;
		while (kbu_jscan_element(j, &done) && !done)
			if (!skip(j, depth + 1))
				return false;
		return !j->failed;
	}
	return kbu_jscan_scalar(j, &v);
}

bool kbu_jscan_skip(struct kbu_jscan *j)
{
	return skip(j, 0);
}

bool kbu_jscan_end(struct kbu_jscan *j)
{
	skip_ws(j);
	return j->p == j->end || kbu_jscan_fail(j, "text after the end of the document");
}

struct kbu_jplace kbu_jscan_place(const struct kbu_jscan *j)
{
	return (struct kbu_jplace){j->p, j->line_start, j->line};
}

void kbu_jscan_goto(struct kbu_jscan *j, struct kbu_jplace at)
{
	j->p = at.p;
	j->line_start = at.line_start;
	j->line = at.line;
}
