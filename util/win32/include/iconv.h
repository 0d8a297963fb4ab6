/*
 * iconv.h — the part of iconv facts/core/codepage.c uses, for kbdiag.exe
 * (util/win32/iconv.c): from a Windows code page (named as glibc names
 * it: "CP850", "CP1251", "GBK", "windows-1252", "cp932", ...) to "UTF-8",
 * through MultiByteToWideChar.  The errors are iconv's: EILSEQ for bytes
 * that are no character, EINVAL for a character cut short at the end of
 * the input, E2BIG when the output is full.  The code pages are stateless
 * (single bytes, or lead and trail bytes), so resetting does nothing.
 */
#ifndef KBDIAG_UTIL_WIN32_ICONV_H
#define KBDIAG_UTIL_WIN32_ICONV_H

#include <stddef.h>

typedef struct kbu_iconv *iconv_t;

iconv_t iconv_open(const char *to, const char *from);
size_t iconv(iconv_t cd, char **in, size_t *inleft, char **out, size_t *outleft);
int iconv_close(iconv_t cd);

#endif
