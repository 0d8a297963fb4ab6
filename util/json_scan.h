/*
 * json_scan.h — a streaming JSON reader with positions, for the snapshot
 * reader (facts/snapshot) and the trace reader (trace/json_read.c).
 *
 * It walks the text once and builds nothing: the reader asks for the next
 * member or element and the value's type, reads scalars, and skips what it
 * does not want.  Every error carries the line and column where it was
 * found.  Strings are decoded (escapes, \u surrogate pairs) into a scratch
 * buffer that the next string overwrites, and must be UTF-8; member names
 * likewise into a buffer of their own.  The text is one contiguous piece
 * (a mapped file, say: util/filemap.h); the scanner only reads it.
 */
#ifndef KBDIAG_UTIL_JSON_SCAN_H
#define KBDIAG_UTIL_JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kbu_jtype {
	KBU_J_STRING, KBU_J_INT, KBU_J_REAL, KBU_J_TRUE, KBU_J_FALSE, KBU_J_NULL, KBU_J_OBJECT, KBU_J_ARRAY,
};

struct kbu_jvalue {
	enum kbu_jtype type;
	const char *s; /* KBU_J_STRING: decoded, NUL after s[len] (\u0000 may be
			* inside), valid until the next string read */
	size_t len;
	int64_t i;     /* KBU_J_INT */
	double d;      /* KBU_J_REAL: finite */
};

struct kbu_jscan {
	const char *p, *end, *line_start;
	int line;
	const char *counted; /* kbu_jscan_pos: columns counted up to here on this line, */
	int counted_col;     /* this one's column; NULL: none counted yet */
	char *buf;          /* decoded strings */
	size_t cap;
	char *key;          /* the member name last read, NUL after key[keylen] */
	size_t keylen, keycap;
	bool first;         /* a container was just begun */
	bool failed;
	char err[160];
	int err_line, err_col;
};

/* A place in the text, to come back to (a value read later, say). */
struct kbu_jplace {
	const char *p, *line_start;
	int line;
};

void kbu_jscan_init(struct kbu_jscan *j, const char *s, size_t len);
void kbu_jscan_free(struct kbu_jscan *j);
/* Line and column (1-based) of the next character.  Columns are counted
 * on from the last call on the same line, so asking once per element of a
 * document written on one line costs that line once in all. */
void kbu_jscan_pos(struct kbu_jscan *j, int *line, int *col);
/* Records the first error at the current position; returns false. */
bool kbu_jscan_fail(struct kbu_jscan *j, const char *what);

/* The type of the value that starts next (after whitespace); a number is
 * KBU_J_INT until kbu_jscan_scalar has read it. */
bool kbu_jscan_type(struct kbu_jscan *j, enum kbu_jtype *type);
/* Reads a scalar (string, number, true, false, null). */
bool kbu_jscan_scalar(struct kbu_jscan *j, struct kbu_jvalue *v);
/* Skips any value. */
bool kbu_jscan_skip(struct kbu_jscan *j);

/* Objects: call kbu_jscan_object_begin once, then kbu_jscan_member until it
 * sets *done; each member's name is in j->key, and its value must be read
 * or skipped before the next call. */
bool kbu_jscan_object_begin(struct kbu_jscan *j);
bool kbu_jscan_member(struct kbu_jscan *j, bool *done);
/* Arrays likewise: kbu_jscan_element until it sets *done. */
bool kbu_jscan_array_begin(struct kbu_jscan *j);
bool kbu_jscan_element(struct kbu_jscan *j, bool *done);
/* After the top-level value: nothing but whitespace may follow. */
bool kbu_jscan_end(struct kbu_jscan *j);

/* Where the scanner is; going to a place taken in the same text reads on
 * from there as the first time (line numbers included). */
struct kbu_jplace kbu_jscan_place(const struct kbu_jscan *j);
void kbu_jscan_goto(struct kbu_jscan *j, struct kbu_jplace at);

#endif
