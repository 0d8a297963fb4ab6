/*
 * wide.h — Windows' UTF-16 strings and kbdiag's UTF-8 ones, for the code
 * that calls the wide (W) functions of Win32 (kbdiag.exe only).
 */
#ifndef KBDIAG_UTIL_WIN32_WIDE_H
#define KBDIAG_UTIL_WIN32_WIDE_H

#include <wchar.h>

/* s (UTF-16, NUL-terminated; NULL is "") as a new UTF-8 string, an
 * unpaired surrogate as U+FFFD (util/utf8.h's reading of UTF-16). */
char *kbu_win32_utf8(const wchar_t *s);
/* s (NUL-terminated, in code page cp: CP_UTF8, CP_ACP; NULL is "") as a
 * new UTF-16 string; "" when it cannot be converted. */
wchar_t *kbu_win32_wide(const char *s, unsigned cp);

#endif
