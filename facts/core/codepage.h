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

/* The converter for the file whose first bytes are p[0..n): the code
 * page kbf_text_set_encoding() named, else the one the text reads best in; NULL for Windows-1252 (text.c's own). */
struct kbf_codepage *kbf_codepage_for(const unsigned char *p, size_t n);
/* The converter for the code page kbf_codepage_name() called name (or
 * any name iconv knows); NULL when there is none. */
struct kbf_codepage *kbf_codepage_open(const char *name);
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
