/*
 * evtx_xml_clean.c — what evtx_xml.c rewrites in its copy of the input
 * before expat reads it: what wevtutil and people pasting its output write
 * that XML forbids, and that the reader before expat let pass.
 *   - References to characters XML 1.0 forbids even as references ("&#1;",
 *     "&#xD800;": wevtutil escapes control characters in event data so)
 *     become references to undefined entities ("&_1;", "&_xD800;"), which
 *     evtx_xml.c's skipped-entity callback turns back into the character
 *     (a control character) or U+FFFD (anything else).
 *   - XML declarations: expat reads the input as the content of a synthetic
 *     root, where a declaration is an error; exports pasted one after another
 *     bring one each.  "<?xml" becomes "<?kbd", a processing instruction
 *     expat passes over.
 * Every rewrite keeps the length, so expat's offsets stay offsets into the
 * input.  CDATA sections, comments and processing instructions are left as
 * they are; where the last chunk ended inside one is carried to the next.
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "win_event.h"
#include "hexdigit.h"

#define CLEAN_MAX 16 /* longest thing rewritten, or that must be seen whole */

bool kbf_winevt_xml_forbidden(uint64_t c)
{
	return c == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
	       (c >= 0xD800 && c < 0xE000) || c == 0xFFFE || c == 0xFFFF || c > 0x10FFFF;
}

/* Length of the reference at b[i] ("&#1;", "&#xD800;") when it names a
 * forbidden character, else 0. */
static size_t bad_ref(const char *b, size_t n, size_t i)
{
	size_t j = i + 2;
	bool hex = j < n && b[j] == 'x';
	j += hex;
	size_t d0 = j;
	uint64_t c = 0;
	for (; j < n && j - i < CLEAN_MAX && (hex ? isxdigit((unsigned char)b[j]) : isdigit((unsigned char)b[j])); j++)
		c = c * (hex ? 16 : 10) + (uint64_t)kbu_hex_digit(b[j]);
	if (j == d0 || j >= n || j - i >= CLEAN_MAX || b[j] != ';')
		return 0;
	return kbf_winevt_xml_forbidden(c) ? j + 1 - i : 0;
}

/* In text, at "<!" or "<?" at b[i]: what it opens; returns where to go on. */
static size_t markup(enum kbf_winevt_xml_markup *m, char *b, size_t n, size_t i)
{
	if (kbf_wtext_prefix(b + i, n - i, "<![CDATA[")) {
		*m = KBF_XML_CDATA;
		return i + 9;
	}
	if (kbf_wtext_prefix(b + i, n - i, "<!--")) {
		*m = KBF_XML_COMMENT;
		return i + 4;
	}
	if (b[i + 1] == '?') {
		if (i + 5 < n && kbf_wtext_iprefix(b + i + 2, 3, "xml") &&
		    (isspace((unsigned char)b[i + 5]) || b[i + 5] == '?'))
			memcpy(b + i + 2, "kbd", 3);
		*m = KBF_XML_PI;
	}
	return i + 2;
}

/* Offset of the end of the markup *m is in (and *m back to text), or n. */
static size_t markup_end(enum kbf_winevt_xml_markup *m, const char *b, size_t n, size_t i)
{
	static const char *const ends[] = {"", "]]>", "-->", "?>"};
	const char *e = ends[*m], *p = b + i;
	while ((p = memchr(p, e[0], (size_t)(b + n - p))) && !kbf_wtext_prefix(p, (size_t)(b + n - p), e))
		p++;
	if (!p)
		return n;
	*m = KBF_XML_TEXT;
	return (size_t)(p - b) + strlen(e);
}

void kbf_winevt_xml_clean(enum kbf_winevt_xml_markup *m, char *b, size_t n)
{
	/* In text, '&' and the second byte of "<!" and "<?" are looked for
	 * (all rarer than '<'), each with memchr, remembering where each is. */
	static const char starts[] = "&!?";
	size_t next[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX}, i = 0; /* SIZE_MAX: not looked for yet */
	while (i < n) {
		if (*m != KBF_XML_TEXT) {
			i = markup_end(m, b, n, i);
			continue;
		}
		size_t at = n;
		for (int k = 0; k < 3; k++) {
			if (next[k] == SIZE_MAX || next[k] < i) {
				const char *p = memchr(b + i, starts[k], n - i);
				next[k] = p ? (size_t)(p - b) : n;
			}
			at = next[k] < at ? next[k] : at;
		}
		if ((i = at) == n)
			break;
		size_t bad = b[i] == '&' && i + 1 < n && b[i + 1] == '#' ? bad_ref(b, n, i) : 0;
		if (bad)
			b[i + 1] = '_';
		if (b[i] != '&' && i > 0 && b[i - 1] == '<')
			i = markup(m, b, n, i - 1);
		else
			i += bad ? bad : 1;
	}
}

/* Cut before any '<', '&', ']', '-' or '?' among the last CLEAN_MAX bytes:
 * what kbf_winevt_xml_clean() must see whole is at most that long and
 * starts with one of them.  A cut there may still fall inside "<?", "<!",
 * "-->" or "]]>" begun just before the window, so it moves back over the
 * '<', ']' and '-' in front of it (a run of them at most CLEAN_MAX long). */
size_t kbf_winevt_xml_chunk(const char *s, size_t left, size_t max)
{
	if (left <= max)
		return left;
	size_t i = max - CLEAN_MAX;
	while (i < max && !(s[i] && strchr("<&]-?", s[i])))
		i++;
	if (i == max)
		return max;
	for (size_t back = 0; back < CLEAN_MAX && i > 1 && s[i - 1] && strchr("<]-", s[i - 1]); back++)
		i--;
	return i;
}
