/*
 * lpattern.c — Lua 5.4 pattern matching in C, so that `match "..."` tests
 * run inside the network without calling into Lua.  Answers what
 * `string.find(s, pattern) ~= nil` answers: character classes (%a %c %d %g
 * %l %p %s %u %w %x and their complements), sets with ranges, `.`, the
 * quantifiers * + - ?, anchors ^ and $, %b, %f, captures and back
 * references.  Written from the Lua 5.4 manual, section 6.4.1.
 *
 * Malformed patterns do not match; the rule loader checks patterns with Lua
 * itself before they reach here.  Recursion is bounded.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "internal.h"

#define MAX_CAPTURES 32
#define MAX_DEPTH 200

struct matcher {
	const char *s, *s_end, *p_end;
	int depth;
	int ncap;
	struct {
		const char *start;
		ptrdiff_t len; /* -1 while open */
	} cap[MAX_CAPTURES];
};

static const char *match(struct matcher *m, const char *s, const char *p);

static bool class_matches(int cl, unsigned char c)
{
	bool r;
	switch (tolower(cl)) {
	case 'a': r = isalpha(c); break;
	case 'c': r = iscntrl(c); break;
	case 'd': r = isdigit(c); break;
	case 'g': r = isgraph(c); break;
	case 'l': r = islower(c); break;
	case 'p': r = ispunct(c); break;
	case 's': r = isspace(c); break;
	case 'u': r = isupper(c); break;
	case 'w': r = isalnum(c); break;
	case 'x': r = isxdigit(c); break;
	default: return cl == c;
	}
	return isupper(cl) ? !r : r;
}

/* The end of the single-character class starting at p, or NULL if malformed. */
static const char *class_end(struct matcher *m, const char *p)
{
	if (p >= m->p_end)
		return NULL;
	char c = *p++;
	if (c == '%')
		return p < m->p_end ? p + 1 : NULL;
	if (c == '[') {
		if (p < m->p_end && *p == '^')
			p++;
		do { /* the first ']' after '[' or '[^' is a literal */
			if (p >= m->p_end)
				return NULL;
			c = *p++;
			if (c == '%') {
				if (p >= m->p_end)
					return NULL;
				p++;
			}
		} while (p >= m->p_end || *p != ']');
		return p + 1;
	}
	return p;
}

/* [set]: p at '[', ec at the closing ']'. */
static bool set_matches(unsigned char c, const char *p, const char *ec)
{
	bool negate = false;
	p++;
	if (*p == '^') {
		negate = true;
		p++;
	}
	for (; p < ec; p++) {
		if (*p == '%' && p + 1 < ec) {
			p++;
			if (class_matches((unsigned char)*p, c))
				return !negate;
		} else if (p + 2 < ec && p[1] == '-') {
			if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2])
				return !negate;
			p += 2;
		} else if ((unsigned char)*p == c) {
			return !negate;
		}
	}
	return negate;
}

static bool single_matches(struct matcher *m, const char *s, const char *p, const char *ep)
{
	if (s >= m->s_end)
		return false;
	unsigned char c = (unsigned char)*s;
	switch (*p) {
	case '.': return true;
	case '%': return class_matches((unsigned char)p[1], c);
	case '[': return set_matches(c, p, ep - 1);
	default: return (unsigned char)*p == c;
	}
}

static const char *match_balance(struct matcher *m, const char *s, const char *p)
{
	if (p + 1 >= m->p_end || s >= m->s_end || *s != *p)
		return NULL;
	char open = p[0], close = p[1];
	int level = 1;
	while (++s < m->s_end) {
		if (*s == close && --level == 0)
			return s + 1;
		if (*s == open)
			level++;
	}
	return NULL;
}

static const char *max_expand(struct matcher *m, const char *s, const char *p, const char *ep)
{
	ptrdiff_t i = 0;
	while (single_matches(m, s + i, p, ep))
		i++;
	for (; i >= 0; i--) {
		const char *r = match(m, s + i, ep + 1);
		if (r)
			return r;
	}
	return NULL;
}

static const char *min_expand(struct matcher *m, const char *s, const char *p, const char *ep)
{
	for (;;) {
		const char *r = match(m, s, ep + 1);
		if (r)
			return r;
		if (!single_matches(m, s, p, ep))
			return NULL;
		s++;
	}
}

static const char *start_capture(struct matcher *m, const char *s, const char *p, ptrdiff_t what)
{
	if (m->ncap >= MAX_CAPTURES)
		return NULL;
	m->cap[m->ncap].start = s;
	m->cap[m->ncap].len = what;
	m->ncap++;
	const char *r = match(m, s, p);
	if (!r)
		m->ncap--;
	return r;
}

static const char *end_capture(struct matcher *m, const char *s, const char *p)
{
	int l = -1;
	for (int i = m->ncap - 1; i >= 0; i--)
		if (m->cap[i].len == -1) {
			l = i;
			break;
		}
	if (l < 0)
		return NULL;
	m->cap[l].len = s - m->cap[l].start;
	const char *r = match(m, s, p);
	if (!r)
		m->cap[l].len = -1;
	return r;
}

static const char *back_reference(struct matcher *m, const char *s, int n)
{
	int i = n - '1';
	if (i < 0 || i >= m->ncap || m->cap[i].len < 0)
		return NULL;
	size_t len = (size_t)m->cap[i].len;
	if ((size_t)(m->s_end - s) >= len && memcmp(m->cap[i].start, s, len) == 0)
		return s + len;
	return NULL;
}

static const char *frontier(struct matcher *m, const char *s, const char *p)
{
	/* p at '[' after "%f" */
	if (p >= m->p_end || *p != '[')
		return NULL;
	const char *ep = class_end(m, p);
	if (!ep)
		return NULL;
	unsigned char prev = s == m->s ? '\0' : (unsigned char)s[-1];
	unsigned char cur = s < m->s_end ? (unsigned char)*s : '\0';
	if (!set_matches(prev, p, ep - 1) && set_matches(cur, p, ep - 1))
		return match(m, s, ep);
	return NULL;
}

static const char *match_item(struct matcher *m, const char *s, const char *p)
{
	const char *ep = class_end(m, p);
	if (!ep)
		return NULL;
	char q = ep < m->p_end ? *ep : '\0';
	if (q == '?') {
		if (single_matches(m, s, p, ep)) {
			const char *r = match(m, s + 1, ep + 1);
			if (r)
				return r;
		}
		return match(m, s, ep + 1);
	}
	if (q == '+')
		return single_matches(m, s, p, ep) ? max_expand(m, s + 1, p, ep) : NULL;
	if (q == '*')
		return max_expand(m, s, p, ep);
	if (q == '-')
		return min_expand(m, s, p, ep);
	return single_matches(m, s, p, ep) ? match(m, s + 1, ep) : NULL;
}

static const char *match(struct matcher *m, const char *s, const char *p)
{
	if (++m->depth > MAX_DEPTH) {
		m->depth--;
		return NULL;
	}
	const char *r;
	if (p >= m->p_end)
		r = s;
	else if (*p == '(')
		r = (p + 1 < m->p_end && p[1] == ')') ? start_capture(m, s, p + 2, -2)
						       : start_capture(m, s, p + 1, -1);
	else if (*p == ')')
		r = end_capture(m, s, p + 1);
	else if (*p == '$' && p + 1 == m->p_end)
		r = s == m->s_end ? s : NULL;
	else if (*p == '%' && p + 1 < m->p_end && p[1] == 'b')
		r = (s = match_balance(m, s, p + 2)) ? match(m, s, p + 4) : NULL;
	else if (*p == '%' && p + 1 < m->p_end && p[1] == 'f')
		r = frontier(m, s, p + 2);
	else if (*p == '%' && p + 1 < m->p_end && isdigit((unsigned char)p[1]))
		r = (s = back_reference(m, s, p[1])) ? match(m, s, p + 2) : NULL;
	else
		r = match_item(m, s, p);
	m->depth--;
	return r;
}

bool kb_lua_match(const char *s, size_t len, const char *pat, size_t plen)
{
	struct matcher m = {.s = s, .s_end = s + len, .p_end = pat + plen};
	bool anchor = plen > 0 && *pat == '^';
	const char *p = anchor ? pat + 1 : pat;
	const char *start = s;
	do {
		m.ncap = 0;
		m.depth = 0;
		if (match(&m, start, p))
			return true;
	} while (start++ < m.s_end && !anchor);
	return false;
}
