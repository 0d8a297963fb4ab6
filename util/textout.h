/*
 * textout.h — text for a terminal, with control characters shown rather
 * than obeyed.  Everything kbdiag prints for people (reports, why-trees,
 * rule listings, error messages on stderr) goes through kbu_tprintf(): its
 * format string is ours and is written as it is; every string argument
 * (%s, %c) comes from evidence, rules or the command line and is escaped.
 * So a file name, an evidence line or a rule's error message cannot clear
 * the screen, retitle the terminal, move the cursor or start a fake report
 * line, whichever emitter prints it.
 *
 * The escapes (docs/security.md, "Output escaping and JSON"):
 *   \xHH    a C0 control byte (U+0000..U+001F but TAB), DEL, or a byte
 *           that is not part of well-formed UTF-8 (0x9B alone is CSI to
 *           an 8-bit terminal);
 *   \uHHHH  a C1 control (U+0080..U+009F) or an invisible formatting
 *           character that changes how the text around it reads: the
 *           bidirectional marks, embeddings, overrides and isolates
 *           (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069) and
 *           the line and paragraph separators U+2028, U+2029.
 * TAB passes: it only moves forward, and tab-separated exports hold it.
 * A newline inside an argument is escaped (\x0a): a renderer that shows
 * multi-line text splits it into lines itself and indents them.  A
 * backslash is not doubled (Windows paths would become unreadable), so
 * "\x1b" in the output may also be those four characters in the input;
 * the JSON outputs are exact.
 *
 * Depends on nothing but libc (and utf8.c).
 */
#ifndef KBDIAG_UTIL_TEXTOUT_H
#define KBDIAG_UTIL_TEXTOUT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "printf_like.h"


/* fprintf(out, fmt, ...) with every %s and %c argument escaped; widths of
 * %s count the columns of the escaped text (characters, not bytes), and a
 * precision cuts the argument's own bytes, before escaping.  Numbers are
 * formatted as by fprintf.  Returns 0, or -1 on a write error or a
 * conversion this writer does not know (%n). */
int kbu_tprintf(FILE *out, const char *fmt, ...) KBU_PRINTF_LIKE(2, 3);
int kbu_vtprintf(FILE *out, const char *fmt, va_list ap) KBU_PRINTF_LIKE(2, 0);

/* A writer of s[0..n) escaped for some reader (a terminal, an HTML page);
 * with out NULL it only measures: the columns the escaped text takes. */
typedef size_t (*kbu_escape_fn)(FILE *out, const char *s, size_t n);
/* kbu_vtprintf() with another escaper for the string arguments
 * (htmlout.h): the format reader is shared, the escaping is not. */
int kbu_vxprintf(FILE *out, kbu_escape_fn esc, const char *fmt, va_list ap);
int kbu_xprintf(FILE *out, kbu_escape_fn esc, const char *fmt, ...) KBU_PRINTF_LIKE(3, 4);
/* The terminal's escaper (the one kbu_tprintf() uses). */
size_t kbu_text_escape(FILE *out, const char *s, size_t n);

/* The code points, valid UTF-8, that no reader should get as they are:
 * the C1 controls and the invisible formatting characters listed above. */
bool kbu_hidden_control(uint32_t c);

/* s[0..n) escaped. */
void kbu_twrite(FILE *out, const char *s, size_t n);
static inline void kbu_tputs(FILE *out, const char *s)
{
	kbu_twrite(out, s, strlen(s));
}

/* Terminal columns s[0..n) takes once escaped. */
size_t kbu_text_columns(const char *s, size_t n);

#endif
