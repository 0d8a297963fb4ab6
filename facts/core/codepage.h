/*
 * codepage.h — text in a code page other than UTF-8, UTF-16 and
 * Windows-1252 (internal to facts/): what a console redirect writes on
 * localised Windows, the OEM code page (850 in Western Europe, 866 in
 * Russia, 936/GBK in China, 932/Shift-JIS in Japan), and Windows-1251.
 * text.c asks here when a file is not UTF-8; the conversion itself is
 * glibc's iconv.
 */
#ifndef KBDIAG_FACTS_CORE_CODEPAGE_H
#define KBDIAG_FACTS_CORE_CODEPAGE_H

#include <stdbool.h>
#include <stddef.h>

struct kbf_codepage;

/* The code page the first bytes p[0..n) of a file that is not UTF-8 (nor
 * UTF-16) are most likely written in, as a name for reports ("cp850",
 * "cp866", "windows-1251", "gbk", "cp932"); NULL for Windows-1252, which
 * wins unless another code page reads the bytes as clearly better text
 * (letters where words are, not symbols; rule in codepage.c). */
const char *kbf_codepage_guess(const unsigned char *p, size_t n);

/* The user's say (--encoding NAME): files read after this that are not
 * UTF-8 nor UTF-16 are decoded from name (any name iconv knows: "cp850",
 * "cp1251", "gbk", "shift_jis" ...) instead of guessing.  NULL: guess
 * again.  false (and nothing changed) when iconv does not know name. */
bool kbf_codepage_force(const char *name);

/* The converter for the file whose first bytes are p[0..n): the forced
 * code page, else the guess; NULL for Windows-1252 (text.c's own). */
struct kbf_codepage *kbf_codepage_for(const unsigned char *p, size_t n);
/* Its name as reports show it; borrowed, valid until kbf_codepage_free. */
const char *kbf_codepage_name(const struct kbf_codepage *cp);
/* Decodes p[0..n) to UTF-8: returns the text (borrowed, valid until the
 * next call), its length in *outlen, and in *took the bytes used, fewer
 * than n only when !last and the rest begins a character that more bytes
 * finish.  A byte that is no character becomes U+FFFD; NULs are dropped.
 * The text is at most three bytes per byte taken. */
const char *kbf_codepage_decode(struct kbf_codepage *cp, const unsigned char *p, size_t n, bool last,
				size_t *took, size_t *outlen);
/* Back to the first byte (no character half read). */
void kbf_codepage_reset(struct kbf_codepage *cp);
void kbf_codepage_free(struct kbf_codepage *cp);

#endif
