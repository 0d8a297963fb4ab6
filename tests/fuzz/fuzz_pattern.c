/* Fuzz target: the core's Lua-pattern matcher (engine/lpattern.c).  The
 * input is a pattern, a NUL, then the subject.  Besides the sanitizers'
 * reports, it checks that kb_match_find(), which skips the places where
 * a match cannot start, answers as trying every place with kb_match_at()
 * does; that kb_pattern_check() foresees every error but "pattern too
 * complex"; that a match lies in the subject; and that it holds every
 * run of text kb_pattern_literals() says a match holds, so that a subject
 * without kb_pattern_screen()'s finds nothing (or runs out of steps). */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "kb.h"

#define STEPS 100000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Copies, so that reading past either end is the sanitizer's to see. */
static char *copy(const uint8_t *from, size_t n)
{
	char *p = malloc(n ? n : 1);
	if (!p)
		abort();
	memcpy(p, from, n);
	return p;
}

/* string.find's search the slow way: every place, in order. */
static int every_place(struct kb_match *m, const char *s, size_t slen, const char *p, size_t plen,
		       const char **start, const char **end)
{
	bool anchor = plen > 0 && *p == '^';
	kb_match_init(m, s, slen, p + anchor, plen - anchor, STEPS);
	for (const char *at = s; at <= s + slen; at++) {
		int r = kb_match_at(m, at, end);
		if (r != KB_MATCH_NONE || anchor) {
			*start = at;
			return r;
		}
	}
	return KB_MATCH_NONE;
}

static void same_answer(struct kb_match *a, int ra, const char *sa, const char *ea, const char *s, size_t slen,
			const char *p, size_t plen)
{
	struct kb_match b;
	const char *sb = NULL, *eb = NULL;
	int rb = every_place(&b, s, slen, p, plen, &sb, &eb);
	if (ra == KB_MATCH_BUDGET || rb == KB_MATCH_BUDGET)
		return; /* the slow way takes more steps */
	if (ra != rb || (ra == KB_MATCH_FOUND && (sa != sb || ea != eb || a->ncap != b.ncap)) ||
	    (ra == KB_MATCH_ERROR && strcmp(a->error, b.error) != 0))
		abort();
	for (int i = 0; ra == KB_MATCH_FOUND && i < a->ncap; i++)
		if (a->cap[i].start != b.cap[i].start || a->cap[i].len != b.cap[i].len)
			abort();
}

/* Whether s holds the screen text (lower case and any case in s when folded). */
static bool holds(const char *s, size_t n, const char *text, size_t k, bool folded)
{
	for (size_t i = 0; i + k <= n; i++) {
		size_t j = 0;
		while (j < k && (s[i + j] == text[j] || (folded && tolower((unsigned char)s[i + j]) == text[j])))
			j++;
		if (j == k)
			return true;
	}
	return false;
}

/* Every run of text p requires is in the match start..end, and a subject
 * without the screen's run does not make the matcher find or fail. */
static void literals_hold(const char *p, size_t plen, const char *s, size_t slen, int r, const char *start,
			  const char *end)
{
	char *text = malloc(plen ? plen : 1);
	size_t *lens = malloc((plen ? plen : 1) * sizeof(*lens));
	bool exact;
	if (!text || !lens)
		abort();
	size_t n = kb_pattern_literals(p, plen, text, lens, &exact);
	for (size_t i = 0, at = 0; r == KB_MATCH_FOUND && i < n; at += lens[i++])
		if (!memmem(start, (size_t)(end - start), text + at, lens[i]))
			abort();
	bool folded;
	size_t k = kb_pattern_screen(p, plen, text, &folded, &exact);
	if (k && !holds(s, slen, text, k, folded) && r != KB_MATCH_NONE && r != KB_MATCH_BUDGET)
		abort();
	free(text);
	free(lens);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t plen = nul ? (size_t)(nul - data) : size, slen = nul ? size - plen - 1 : 0;
	char *p = copy(data, plen), *s = copy(data + plen + (nul != NULL), slen);
	struct kb_match m;
	const char *start = NULL, *end = NULL;
	/* a plain pattern is fine for string.find, which does not match it */
	bool fine = kb_pattern_check(&m, p, plen) == 0 && !kb_pattern_plain(p, plen);
	kb_match_init(&m, s, slen, p, plen, STEPS);
	int r = kb_match_find(&m, 0, &start, &end);
	if (r == KB_MATCH_ERROR && fine && strcmp(m.error, "pattern too complex") != 0)
		abort();
	if (r == KB_MATCH_FOUND && !(s <= start && start <= end && end <= s + slen))
		abort();
	same_answer(&m, r, start, end, s, slen, p, plen);
	if (!kb_pattern_plain(p, plen)) /* kb_match_find() does not read it as string.find does */
		literals_hold(p, plen, s, slen, r, start, end);
	struct kb_capture c;
	for (int i = 0; r == KB_MATCH_FOUND && i < m.ncap; i++)
		if (kb_match_capture(&m, i, start, end, &c) == 0 && c.len >= 0 && c.start + c.len > s + slen)
			abort();
	free(p);
	free(s);
	return 0;
}
