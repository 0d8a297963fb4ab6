/*
 * printf_like.h — KBU_PRINTF_LIKE(f, a): the format attribute of a
 * function whose argument f is a printf format and a the first of its
 * values (0: a va_list).  mingw's gcc takes "printf" for msvcrt's, which
 * has no %zu; kbdiag.exe prints through mingw's own printf
 * (__USE_MINGW_ANSI_STDIO), which "gnu_printf" describes.
 */
#ifndef KBDIAG_UTIL_PRINTF_LIKE_H
#define KBDIAG_UTIL_PRINTF_LIKE_H

#if defined(__MINGW32__) && !defined(__clang__)
#define KBU_PRINTF_LIKE(f, a) __attribute__((format(gnu_printf, f, a)))
#else
#define KBU_PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#endif

#endif
