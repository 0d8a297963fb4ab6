/*
 * hexdigit.h — the value of one hexadecimal digit, for every reader of
 * hex text (JSON \u escapes, registry data, event dumps, error codes).
 * Inline in the header so that a scanner's inner loop pays no call.
 * Depends on nothing, so any library may include it.
 */
#ifndef KBDIAG_UTIL_HEXDIGIT_H
#define KBDIAG_UTIL_HEXDIGIT_H

/* 0..15 for '0'-'9', 'a'-'f', 'A'-'F'; -1 for anything else. */
static inline int kbu_hex_digit(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

#endif
