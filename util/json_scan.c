/*
 * json_scan.c — the streaming JSON reader behind snapshots and traces
 * (RFC 8259's grammar; no comments, no trailing commas).  Recursion in
 * jscan_skip is bounded, strings may not hold raw control characters, and
 * \u escapes must pair their surrogates.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_scan.h"
#include "utf8.h"
#include "xalloc.h"

#define MAX_DEPTH 64

void jscan_init(struct jscan *j, const char *s, size_t len)
{
	memset(j, 0, sizeof(*j));
	j->p = j->line_start = s;
	j->end = s + len;
	j->line = 1;
}

void jscan_free(struct jscan *j)
{
	free(j->buf);
	j->buf = NULL;
}

void jscan_pos(const struct jscan *j, int *line, int *col)
{
	*line = j->line;
	*col = 1 + (int)kbu_utf8_chars(j->line_start, (size_t)(j->p - j->line_start));
}

bool jscan_fail(struct jscan *j, const char *what)
{
	if (!j->failed) {
		j->failed = true;
		jscan_pos(j, &j->err_line, &j->err_col);
		snprintf(j->err, sizeof(j->err), "%s", what);
	}
	return false;
}

static void skip_ws(struct jscan *j)
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

static bool expect(struct jscan *j, char c, const char *what)
{
	skip_ws(j);
	if (j->p < j->end && *j->p == c) {
		j->p++;
		return true;
	}
	return jscan_fail(j, what);
}

bool jscan_type(struct jscan *j, enum jtype *type)
{
	skip_ws(j);
	if (j->failed || j->p == j->end)
		return jscan_fail(j, "a value expected");
	switch (*j->p) {
	case '"': *type = J_STRING; return true;
	case '{': *type = J_OBJECT; return true;
	case '[': *type = J_ARRAY; return true;
	case 't': *type = J_TRUE; return true;
	case 'f': *type = J_FALSE; return true;
	case 'n': *type = J_NULL; return true;
	default:
		if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9')) {
			*type = J_INT;
			return true;
		}
		return jscan_fail(j, "a value expected");
	}
}

/* ---- strings ----------------------------------------------------------------- */

static void grow(struct jscan *j, size_t need)
{
	if (need <= j->cap)
		return;
	size_t cap = j->cap ? j->cap : 256;
	while (cap < need)
		cap *= 2;
	j->buf = kbu_realloc(j->buf, cap, 1);
	j->cap = cap;
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
static bool unicode_escape(struct jscan *j, uint32_t *cp)
{
	int u = j->end - j->p >= 5 ? hex4(j->p + 1) : -1;
	if (u < 0)
		return jscan_fail(j, "bad \\u escape");
	j->p += 5;
	if (kbu_utf16_low((uint32_t)u))
		return jscan_fail(j, "lone low surrogate in \\u escape");
	if (kbu_utf16_high((uint32_t)u)) {
		int lo = j->end - j->p >= 6 && j->p[0] == '\\' && j->p[1] == 'u' ? hex4(j->p + 2) : -1;
		if (lo < 0 || !kbu_utf16_low((uint32_t)lo))
			return jscan_fail(j, "high surrogate without its low half in \\u escape");
		j->p += 6;
		u = (int)kbu_utf16_join((uint32_t)u, (uint32_t)lo);
	}
	*cp = (uint32_t)u;
	return true;
}

/* Reads a string at j->p into dst (cap bytes; decoded is never longer). */
static bool read_string(struct jscan *j, char *dst, size_t *len)
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
			return jscan_fail(j, "control character in a string");
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
			return jscan_fail(j, "bad escape in a string");
		}
	}
	return jscan_fail(j, "unterminated string");
}

/* The length a string at j->p occupies in the text, to size the buffer. */
static size_t raw_length(const struct jscan *j)
{
	const char *q = j->p + 1;
	while (q < j->end && *q != '"')
		q += *q == '\\' ? 2 : 1;
	return (size_t)(q - j->p) + 1;
}

/* ---- scalars ----------------------------------------------------------------- */

static bool literal(struct jscan *j, const char *word, enum jtype type, struct jvalue *v)
{
	size_t n = strlen(word);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
		return jscan_fail(j, "a value expected");
	j->p += n;
	v->type = type;
	return true;
}

static bool digits(struct jscan *j)
{
	const char *start = j->p;
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > start;
}

static bool number(struct jscan *j, struct jvalue *v)
{
	const char *start = j->p;
	bool real = false;
	if (*j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (!digits(j))
		return jscan_fail(j, "bad number");
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		real = true;
		if (!digits(j))
			return jscan_fail(j, "bad number");
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		real = true;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (!digits(j))
			return jscan_fail(j, "bad number");
	}
	char text[64];
	size_t n = (size_t)(j->p - start);
	if (n >= sizeof(text))
		return jscan_fail(j, "number too long");
	memcpy(text, start, n);
	text[n] = '\0';
	char *end;
	if (!real) {
		long long x = strtoll(text, &end, 10);
		if ((x == LLONG_MAX || x == LLONG_MIN) && strcmp(text, x == LLONG_MAX ? "9223372036854775807" : "-9223372036854775808") != 0)
			return jscan_fail(j, "integer out of range");
		v->type = J_INT;
		v->i = x;
		return true;
	}
	v->type = J_REAL;
	v->d = strtod(text, &end);
	return true;
}

bool jscan_scalar(struct jscan *j, struct jvalue *v)
{
	enum jtype t;
	if (!jscan_type(j, &t))
		return false;
	switch (t) {
	case J_STRING:
		grow(j, raw_length(j));
		if (!read_string(j, j->buf, &v->len))
			return false;
		v->type = J_STRING;
		v->s = j->buf;
		return true;
	case J_TRUE: return literal(j, "true", J_TRUE, v);
	case J_FALSE: return literal(j, "false", J_FALSE, v);
	case J_NULL: return literal(j, "null", J_NULL, v);
	case J_INT: return number(j, v);
	default: return jscan_fail(j, "a string, number, true, false or null expected");
	}
}

/* ---- containers --------------------------------------------------------------- */

bool jscan_object_begin(struct jscan *j)
{
	j->first = true;
	return expect(j, '{', "'{' expected");
}

bool jscan_array_begin(struct jscan *j)
{
	j->first = true;
	return expect(j, '[', "'[' expected");
}

/* Before a member or element: ',' unless first, or the closing bracket.
 * A container just begun is the only one whose next item is its first. */
static bool next(struct jscan *j, char close, bool *done, const char *what)
{
	bool first = j->first;
	j->first = false;
	skip_ws(j);
	if (j->failed || j->p == j->end)
		return jscan_fail(j, what);
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

bool jscan_member(struct jscan *j, bool *done)
{
	if (!next(j, '}', done, "',' or '}' expected") || *done)
		return !j->failed;
	size_t len;
	if (j->p == j->end || *j->p != '"')
		return jscan_fail(j, "a member name expected");
	if (raw_length(j) > sizeof(j->key))
		return jscan_fail(j, "member name too long");
	return read_string(j, j->key, &len) && expect(j, ':', "':' expected");
}

bool jscan_element(struct jscan *j, bool *done)
{
	return next(j, ']', done, "',' or ']' expected");
}

static bool skip(struct jscan *j, int depth)
{
	enum jtype t;
	struct jvalue v;
	bool done = false;
	if (depth > MAX_DEPTH)
		return jscan_fail(j, "nested too deeply");
	if (!jscan_type(j, &t))
		return false;
	if (t == J_OBJECT) {
		if (!jscan_object_begin(j))
			return false;
		while (jscan_member(j, &done) && !done)
			if (!skip(j, depth + 1))
				return false;
		return !j->failed;
	}
	if (t == J_ARRAY) {
		if (!jscan_array_begin(j))
			return false;
		while (jscan_element(j, &done) && !done)
			if (!skip(j, depth + 1))
				return false;
		return !j->failed;
	}
	return jscan_scalar(j, &v);
}

bool jscan_skip(struct jscan *j)
{
	return skip(j, 0);
}

bool jscan_end(struct jscan *j)
{
	skip_ws(j);
	return j->p == j->end || jscan_fail(j, "text after the end of the document");
}
