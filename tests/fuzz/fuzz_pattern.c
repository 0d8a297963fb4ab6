/* Fuzz target: the core's Lua-pattern matcher (engine/lpattern.c).  The
 * input is a pattern, a NUL, then the subject.  Besides the sanitizers'
 * reports, it checks that kb_pattern_check() foresees every error matching
 * raises but "pattern too complex", and that a match lies in the subject. */
#include <stdlib.h>
#include <string.h>

#include "kb.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t plen = nul ? (size_t)(nul - data) : size, slen = nul ? size - plen - 1 : 0;
	char *p = copy(data, plen), *s = copy(data + plen + (nul != NULL), slen);
	struct kb_match m;
	const char *start, *end;
	/* a plain pattern is fine for string.find, which does not match it */
	bool fine = kb_pattern_check(&m, p, plen) == 0 && !kb_pattern_plain(p, plen);
	kb_match_init(&m, s, slen, p, plen, 100000);
	int r = kb_match_find(&m, 0, &start, &end);
	if (r == KB_MATCH_ERROR && fine && strcmp(m.error, "pattern too complex") != 0)
		abort();
	if (r == KB_MATCH_FOUND && !(s <= start && start <= end && end <= s + slen))
		abort();
	struct kb_capture c;
	for (int i = 0; r == KB_MATCH_FOUND && i < m.ncap; i++)
		if (kb_match_capture(&m, i, start, end, &c) == 0 && c.len >= 0 && c.start + c.len > s + slen)
			abort();
	free(p);
	free(s);
	return 0;
}
