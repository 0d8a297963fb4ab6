/*
 * utf8.h — the one UTF-8 toolkit: encoding a code point, checking and
 * repairing UTF-8, decoding UTF-16, counting characters.  Every library
 * that handles text (facts, snapshots, traces, reports) calls these rather
 * than keep a copy of its own, so they all agree on what is valid.
 *
 * One rule throughout (Unicode §3.9, "Well-Formed UTF-8 Byte Sequences"):
 * a code point is U+0000..U+10FFFF without the surrogates U+D800..U+DFFF.
 * UTF-8 that encodes a surrogate, a value above U+10FFFF, or anything in
 * more bytes than it needs (overlong) is invalid.  UTF-16 joins a high and
 * a low surrogate into one code point; a surrogate without its partner
 * reads as U+FFFD.
 *
 * Depends on nothing but libc, so any library may link it.
 */
#ifndef KBDIAG_UTIL_UTF8_H
#define KBDIAG_UTIL_UTF8_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "printf_like.h"

#define KBU_UTF8_MAX 4          /* bytes one code point takes at most */
#define KBU_REPLACEMENT 0xFFFDu /* U+FFFD REPLACEMENT CHARACTER */

/* Writes c to out (room for KBU_UTF8_MAX bytes) and returns the bytes
 * used; a surrogate or a value above U+10FFFF is written as U+FFFD. */
size_t kbu_utf8_put(char *out, uint32_t c);

/* Length of the well-formed sequence at s (n >= 1 bytes readable), or 0
 * when s starts none: a continuation byte, C0, C1, F5..FF, a sequence cut
 * short, an overlong form, a surrogate, a value above U+10FFFF.  NUL is
 * ASCII, one byte long. */
size_t kbu_utf8_seq(const char *s, size_t n);
/* The code point of the well-formed sequence at s (n >= 1 bytes
 * readable) in *c, and its length; 0 when s starts none (as
 * kbu_utf8_seq()), with *c = U+FFFD. */
size_t kbu_utf8_get(const char *s, size_t n, uint32_t *c);
/* Whether all of s[0..n) is well-formed UTF-8. */
bool kbu_utf8_valid(const char *s, size_t n);

/* For bytes that must become a C string of valid UTF-8 (host strings as
 * facts): NULL when s[0..n) already is one (well-formed, no NUL), else a
 * malloc'd NUL-terminated copy in which each byte that starts no sequence,
 * and each NUL, is U+FFFD; its length in *outlen. */
char *kbu_utf8_fix(const char *s, size_t n, size_t *outlen);

/* A continuation byte (10xxxxxx): not the start of a character. */
static inline bool kbu_utf8_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}
/* Characters in s[0..n): its bytes that are not continuation bytes. */
size_t kbu_utf8_chars(const char *s, size_t n);
/* Byte offset of character col (0-based) in s[0..n); n when s is shorter.
 * Console columns count characters, lines are bytes. */
size_t kbu_utf8_offset(const char *s, size_t n, size_t col);
/* Offset i (s[i] readable) moved back to the first byte of the character
 * it falls in, to cut a string without splitting a character. */
size_t kbu_utf8_floor(const char *s, size_t i);

/* s[0..n) shortened, if it ends inside a character (a string cut to a
 * buffer's size), to end before that character; its new length. */
size_t kbu_utf8_cut(const char *s, size_t n);

/* src into dst (size >= 8 bytes), NUL-terminated.  When it does not fit,
 * its end: "..." and as many of its last bytes as fit, starting at a
 * character.  For places ("dir/rule.lua:14") in fixed-size error records:
 * the file name and line are what a reader needs, and a cut never splits
 * a character. */
void kbu_utf8_keep_end(char *dst, size_t size, const char *src);

/* vsnprintf(dst, size, fmt, ap), a message too long for dst cut before
 * the character it would split (fixed-size error records). */
void kbu_utf8_vformat(char *dst, size_t size, const char *fmt, va_list ap)
	KBU_PRINTF_LIKE(3, 0);

/* Simple case mapping (one code point to one) for the scripts Windows
 * evidence is written in: ASCII, Latin-1, Latin Extended-A and basic
 * Cyrillic; any other code point, and a letter with no single partner
 * (ß), is its own.  The one place that knows case: label matching folds
 * with kbu_case_lower, the code page guess asks which letters are which. */
uint32_t kbu_case_lower(uint32_t c);
uint32_t kbu_case_upper(uint32_t c);

/* UTF-16 code units: the two halves of a surrogate pair, and the code
 * point a pair stands for. */
static inline bool kbu_utf16_high(uint32_t u)
{
	return u >= 0xD800 && u < 0xDC00;
}
static inline bool kbu_utf16_low(uint32_t u)
{
	return u >= 0xDC00 && u < 0xE000;
}
static inline uint32_t kbu_utf16_join(uint32_t high, uint32_t low)
{
	return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
}
/* The code point at p in UTF-16 text (n >= 2 bytes readable; le: little
 * endian) in *c; returns the bytes it took, 4 for a surrogate pair, else 2.
 * A surrogate without its partner is U+FFFD. */
size_t kbu_utf16_get(const unsigned char *p, size_t n, bool le, uint32_t *c);

#endif
