/*
 * htmlout.h — text for an HTML page.  Everything the HTML report writes
 * (report/html*.c) goes through kbu_hprintf(): its format string is ours
 * and holds the markup; every string argument (%s, %c) comes from
 * evidence, rules or the command line and is escaped, so that no such
 * string can open an element, close an attribute or start an entity,
 * whether it lands in element content or in a quoted attribute value.
 *
 * The escapes (docs/security.md, "Output escaping and JSON"):
 *   & < > " '   as &amp; &lt; &gt; &quot; &#39;
 *   \xHH        a C0 control byte (but TAB, LF and CR), DEL, or a byte
 *               that is not part of well-formed UTF-8 (the page is UTF-8);
 *   \uHHHH      a C1 control or an invisible formatting character that
 *               reorders the text around it (kbu_hidden_control()), as the
 *               terminal report shows them.
 * TAB, LF and CR pass: evidence text shown in <pre> keeps its lines.
 *
 * Attribute values must be quoted ("..."), and only URLs that were built
 * to be links (report/html_link.c) may go into href.
 */
#ifndef KBDIAG_UTIL_HTMLOUT_H
#define KBDIAG_UTIL_HTMLOUT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "textout.h"

/* s[0..n) escaped for HTML; returns the characters of the escaped text,
 * and with out NULL only counts them (a kbu_escape_fn). */
size_t kbu_html_escape(FILE *out, const char *s, size_t n);

/* fprintf(out, fmt, ...) with every %s and %c argument escaped for HTML;
 * numbers as fprintf formats them.  Returns 0, or -1 on a write error or
 * a conversion it does not know. */
int kbu_hprintf(FILE *out, const char *fmt, ...) KBU_PRINTF_LIKE(2, 3);

static inline void kbu_hputs(FILE *out, const char *s)
{
	kbu_html_escape(out, s, strlen(s));
}

#endif
