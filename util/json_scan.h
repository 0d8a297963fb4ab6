/*
 * json_scan.h — a streaming JSON reader with positions, for the snapshot
 * reader (facts/snapshot) and the trace reader (trace/json_read.c).
 *
 * It walks the text once and builds nothing: the reader asks for the next
 * member or element and the value's type, reads scalars, and skips what it
 * does not want.  Every error carries the line and column where it was
 * found.  Strings are decoded (escapes, \u surrogate pairs) into a scratch
 * buffer that the next string overwrites.
 */
#ifndef KBDIAG_UTIL_JSON_SCAN_H
#define KBDIAG_UTIL_JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum jtype { J_STRING, J_INT, J_REAL, J_TRUE, J_FALSE, J_NULL, J_OBJECT, J_ARRAY };

struct jvalue {
	enum jtype type;
	const char *s; /* J_STRING: decoded, valid until the next string read */
	size_t len;
	int64_t i;
	double d;
};

struct jscan {
	const char *p, *end, *line_start;
	int line;
	char *buf;          /* decoded strings */
	size_t cap;
	char key[256];      /* the member name last read */
	bool first;         /* a container was just begun */
	bool failed;
	char err[160];
	int err_line, err_col;
};

void jscan_init(struct jscan *j, const char *s, size_t len);
void jscan_free(struct jscan *j);
/* Line and column (1-based) of the next character. */
void jscan_pos(const struct jscan *j, int *line, int *col);
/* Records the first error at the current position; returns false. */
bool jscan_fail(struct jscan *j, const char *what);

/* The type of the value that starts next (after whitespace). */
bool jscan_type(struct jscan *j, enum jtype *type);
/* Reads a scalar (string, number, true, false, null). */
bool jscan_scalar(struct jscan *j, struct jvalue *v);
/* Skips any value. */
bool jscan_skip(struct jscan *j);

/* Objects: call jscan_object_begin once, then jscan_member until it sets
 * *done; each member's name is in j->key, and its value must be read or
 * skipped before the next call. */
bool jscan_object_begin(struct jscan *j);
bool jscan_member(struct jscan *j, bool *done);
/* Arrays likewise: jscan_element until it sets *done. */
bool jscan_array_begin(struct jscan *j);
bool jscan_element(struct jscan *j, bool *done);
/* After the top-level value: nothing but whitespace may follow. */
bool jscan_end(struct jscan *j);

#endif
