/*
 * lpattern.c — Lua 5.4 string patterns: kbdiag's one matcher.  The
 * network's `match` tests (kb_value_match() in values.c) and the rule
 * library's string.find, match, gmatch and gsub (lua/pattern.c, glue over
 * this) match here.
 *
 * Results and error messages are Lua 5.4's: the classes %a %c %d %g %l %p
 * %s %u %w %x (and the deprecated %z, still in 5.4) with their complements,
 * sets with ranges, '.', the quantifiers * + - ?, anchors, %b, %f, captures
 * (position captures too) and back references.  Written from the reference
 * manual (section 6.4.1) and checked against Lua itself
 * (tests/fixtures/lua/patterns.lua), not taken from its source.
 *
 * Why our own: Lua's matcher backtracks in C where nothing can stop it, and
 * ".-.-.-.-b" on a few thousand characters runs for hours.  Here every step
 * costs one from m->steps (a decrement); when they run out, more_steps may
 * grant more (the rule library charges them to the call's instruction
 * budget), else the match ends with KB_MATCH_BUDGET.  An error does not
 * jump: it sets m->status, and every level then returns at once.  Calls
 * nest where Lua's nest (a plain character, an optional item that is
 * skipped, %b, %f and back references go on in a loop), so "pattern too
 * complex" comes at the same depth as Lua's.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kb.h"

#define MAX_DEPTH 200 /* nested matching calls, as Lua's */
#define CAP_OPEN (-1)

/* Records the first error and stops the match.  Returns NULL, for
 * `return fail(...)` where a match end is expected. */
__attribute__((format(printf, 3, 4)))
static const char *fail(struct kb_match *m, int status, const char *fmt, ...)
{
	if (m->status == 0) {
		m->status = status;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(m->error, sizeof(m->error), fmt, ap);
		va_end(ap);
	}
	return NULL;
}

static bool more(struct kb_match *m)
{
	uint64_t n = m->more_steps && m->status == 0 ? m->more_steps(m->ud) : 0;
	if (n == 0) {
		m->steps = 0;
		fail(m, KB_MATCH_BUDGET, "out of steps");
		return false;
	}
	m->steps = n - 1;
	return true;
}

/* One step of work: false once the budget is spent. */
static inline bool step(struct kb_match *m)
{
	return m->steps-- > 0 || more(m);
}

/* ---- one character ----------------------------------------------------- */

static bool in_class(unsigned char c, unsigned char cl)
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
	case 'z': r = c == 0; break;
	default: return cl == c; /* "%." and the like: the character itself */
	}
	return isupper(cl) ? !r : r;
}

/* The end of the single-character class at p (p < p_end), or NULL with
 * the error set. */
static const char *class_end(struct kb_match *m, const char *p)
{
	char c = *p++;
	if (c == '%')
		return p < m->p_end ? p + 1 : fail(m, KB_MATCH_ERROR, "malformed pattern (ends with '%%')");
	if (c != '[')
		return p;
	if (p < m->p_end && *p == '^')
		p++;
	do { /* a set's first character may be a ']' */
		if (p == m->p_end)
			return fail(m, KB_MATCH_ERROR, "malformed pattern (missing ']')");
		c = *p++;
		if (c == '%' && p < m->p_end)
			p++;
	} while (p == m->p_end || *p != ']');
	return p + 1;
}

/* [set]: p at its '[', close at its ']'. */
static bool in_set(unsigned char c, const char *p, const char *close)
{
	bool want = true;
	if (p[1] == '^') {
		want = false;
		p++;
	}
	while (++p < close) {
		if (*p == '%' && p + 1 < close) {
			p++;
			if (in_class(c, (unsigned char)*p))
				return want;
		} else if (p + 2 < close && p[1] == '-') {
			if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2])
				return want;
			p += 2;
		} else if ((unsigned char)*p == c) {
			return want;
		}
	}
	return !want;
}

/* Whether the class p..ep matches the character at s. */
static bool single(struct kb_match *m, const char *s, const char *p, const char *ep)
{
	if (!step(m) || s >= m->src_end)
		return false;
	unsigned char c = (unsigned char)*s;
	switch (*p) {
	case '.': return true;
	case '%': return in_class(c, (unsigned char)p[1]);
	case '[': return in_set(c, p, ep - 1);
	default: return (unsigned char)*p == c;
	}
}

/* ---- items that nest ----------------------------------------------------- */

static const char *match(struct kb_match *m, const char *s, const char *p);

/* The class p..ep as often as it matches from s, then once less each time,
 * until the rest of the pattern matches. */
static const char *greedy(struct kb_match *m, const char *s, const char *p, const char *ep)
{
	ptrdiff_t n = 0;
	while (single(m, s + n, p, ep))
		n++;
	for (; n >= 0 && m->status == 0; n--) {
		const char *r = match(m, s + n, ep + 1);
		if (r)
			return r;
	}
	return NULL;
}

/* The rest of the pattern after as few repetitions of p..ep as it takes. */
static const char *lazy(struct kb_match *m, const char *s, const char *p, const char *ep)
{
	for (;;) {
		const char *r = match(m, s, ep + 1);
		if (r || m->status || !single(m, s, p, ep))
			return r;
		s++;
	}
}

static const char *open_capture(struct kb_match *m, const char *s, const char *p, ptrdiff_t what)
{
	if (m->ncap >= KB_MATCH_MAXCAPTURES)
		return fail(m, KB_MATCH_ERROR, "too many captures");
	m->cap[m->ncap].start = s;
	m->cap[m->ncap].len = what;
	m->ncap++;
	const char *r = match(m, s, p);
	if (!r)
		m->ncap--;
	return r;
}

static const char *close_capture(struct kb_match *m, const char *s, const char *p)
{
	int i = m->ncap - 1;
	while (i >= 0 && m->cap[i].len != CAP_OPEN)
		i--;
	if (i < 0)
		return fail(m, KB_MATCH_ERROR, "invalid pattern capture");
	m->cap[i].len = s - m->cap[i].start;
	const char *r = match(m, s, p);
	if (!r)
		m->cap[i].len = CAP_OPEN;
	return r;
}

/* ---- items that go on in the loop ------------------------------------------ */

/* %bxy at s, p just after the 'b': the end of the balanced text, or NULL. */
static const char *balance(struct kb_match *m, const char *s, const char *p)
{
	if (p + 1 >= m->p_end)
		return fail(m, KB_MATCH_ERROR, "malformed pattern (missing arguments to '%%b')");
	if (s >= m->src_end || *s != p[0])
		return NULL;
	int level = 1;
	while (++s < m->src_end && step(m)) {
		if (*s == p[1] && --level == 0)
			return s + 1;
		if (*s == p[0])
			level++;
	}
	return NULL;
}

/* %1..%9 at s: the end of the repeated capture, or NULL. */
static const char *back_reference(struct kb_match *m, const char *s, char digit)
{
	int i = digit - '1';
	if (i < 0 || i >= m->ncap || m->cap[i].len == CAP_OPEN)
		return fail(m, KB_MATCH_ERROR, "invalid capture index %%%d", i + 1);
	size_t len = (size_t)m->cap[i].len;
	if ((size_t)(m->src_end - s) < len) /* a position's len is huge: never */
		return NULL;
	for (size_t k = 0; k < len / 64; k++) /* a long comparison is work too */
		if (!step(m))
			return NULL;
	return memcmp(m->cap[i].start, s, len) == 0 ? s + len : NULL;
}

/* %f[set] at s, p at the '[': whether s is on the frontier; *ep gets the
 * end of the set. */
static bool frontier(struct kb_match *m, const char *s, const char *p, const char **ep)
{
	if (p >= m->p_end || *p != '[') {
		fail(m, KB_MATCH_ERROR, "missing '[' after '%%f' in pattern");
		return false;
	}
	if (!(*ep = class_end(m, p)))
		return false;
	unsigned char prev = s == m->src ? '\0' : (unsigned char)s[-1];
	unsigned char cur = s < m->src_end ? (unsigned char)*s : '\0';
	return !in_set(prev, p, *ep - 1) && in_set(cur, p, *ep - 1);
}

/* %b, %f or a back reference at *pp: NULL, and *more with *sp and *pp
 * moved on when it matched. */
static const char *escape(struct kb_match *m, const char **sp, const char **pp, bool *more)
{
	const char *s = *sp, *p = *pp, *ep = p + 2;
	if (p[1] == 'b') {
		s = balance(m, s, p + 2);
		ep = p + 4;
	} else if (p[1] == 'f') {
		s = frontier(m, s, p + 2, &ep) ? s : NULL;
	} else {
		s = back_reference(m, s, p[1]);
	}
	*sp = s;
	*pp = ep;
	*more = s != NULL;
	return NULL;
}

/* A single-character class with its quantifier, if any. */
static const char *item(struct kb_match *m, const char **sp, const char **pp, bool *more)
{
	const char *s = *sp, *p = *pp, *ep = class_end(m, p);
	if (!ep)
		return NULL;
	char q = ep < m->p_end ? *ep : '\0';
	if (!single(m, s, p, ep)) {
		/* none at all: fine for *, ? and -, which go on after the item */
		*pp = ep + 1;
		*more = m->status == 0 && (q == '*' || q == '?' || q == '-');
		return NULL;
	}
	const char *r;
	switch (q) {
	case '?':
		if ((r = match(m, s + 1, ep + 1)) || m->status)
			return r;
		*pp = ep + 1;
		*more = true;
		return NULL;
	case '+': return greedy(m, s + 1, p, ep);
	case '*': return greedy(m, s, p, ep);
	case '-': return lazy(m, s, p, ep);
	default:
		*sp = s + 1;
		*pp = ep;
		*more = true;
		return NULL;
	}
}

/* The pattern's next item at *pp against *sp: the end of the match or NULL,
 * or *more set with *sp and *pp moved on for match()'s loop. */
static const char *advance(struct kb_match *m, const char **sp, const char **pp, bool *more)
{
	const char *p = *pp;
	*more = false;
	if (p == m->p_end)
		return *sp;
	if (*p == '(')
		return p + 1 < m->p_end && p[1] == ')' ? open_capture(m, *sp, p + 2, KB_CAP_POSITION)
						       : open_capture(m, *sp, p + 1, CAP_OPEN);
	if (*p == ')')
		return close_capture(m, *sp, p + 1);
	if (*p == '$' && p + 1 == m->p_end)
		return *sp == m->src_end ? *sp : NULL;
	if (*p == '%' && p + 1 < m->p_end && (p[1] == 'b' || p[1] == 'f' || isdigit((unsigned char)p[1])))
		return escape(m, sp, pp, more);
	return item(m, sp, pp, more);
}

static const char *match(struct kb_match *m, const char *s, const char *p)
{
	if (m->depth-- == 0)
		return fail(m, KB_MATCH_ERROR, "pattern too complex");
	const char *r = NULL;
	bool more = true;
	while (more && step(m))
		r = advance(m, &s, &p, &more);
	m->depth++;
	return m->status ? NULL : r;
}

/* ---- the interface ------------------------------------------------------------ */

void kb_match_init(struct kb_match *m, const char *s, size_t len, const char *p, size_t plen,
		   uint64_t steps)
{
	m->src = s;
	m->src_end = s + len;
	m->p = p;
	m->p_end = p + plen;
	m->steps = steps;
	m->more_steps = NULL;
	m->ud = NULL;
	m->ncap = 0;
	m->status = 0;
	m->error[0] = '\0';
}

static int match_from(struct kb_match *m, const char *s, const char *p, const char **end)
{
	m->ncap = 0;
	m->depth = MAX_DEPTH;
	m->status = 0;
	*end = match(m, s, p);
	return m->status ? m->status : *end ? KB_MATCH_FOUND : KB_MATCH_NONE;
}

int kb_match_at(struct kb_match *m, const char *s, const char **end)
{
	return match_from(m, s, m->p, end);
}

int kb_match_find(struct kb_match *m, size_t init, const char **start, const char **end)
{
	const char *p = m->p;
	bool anchor = p < m->p_end && *p == '^';
	if (anchor)
		p++;
	for (const char *s = m->src + init; s <= m->src_end; s++) {
		int r = match_from(m, s, p, end);
		if (r != KB_MATCH_NONE) {
			*start = s;
			return r;
		}
		if (anchor)
			break;
	}
	return KB_MATCH_NONE;
}

int kb_match_capture(struct kb_match *m, int i, const char *s, const char *e, struct kb_capture *out)
{
	if (i >= m->ncap && i != 0)
		fail(m, KB_MATCH_ERROR, "invalid capture index %%%d", i + 1);
	else if (i >= m->ncap)
		*out = (struct kb_capture){s, e - s};
	else if ((*out = m->cap[i]).len == CAP_OPEN)
		fail(m, KB_MATCH_ERROR, "unfinished capture");
	return m->status ? KB_MATCH_ERROR : 0;
}

/* ---- checking a pattern before it is used ------------------------------------- */

/* The item at p for kb_pattern_check(): its end, or NULL with the error
 * set.  open[i]: capture i is not closed yet. */
static const char *check_item(struct kb_match *m, const char *p, bool *open)
{
	if (*p == '(') {
		if (m->ncap == KB_MATCH_MAXCAPTURES)
			return fail(m, KB_MATCH_ERROR, "too many captures");
		bool position = p + 1 < m->p_end && p[1] == ')';
		open[m->ncap++] = !position;
		return p + 1 + position;
	}
	if (*p == ')') {
		int i = m->ncap - 1;
		while (i >= 0 && !open[i])
			i--;
		if (i < 0)
			return fail(m, KB_MATCH_ERROR, "invalid pattern capture");
		open[i] = false;
		return p + 1;
	}
	if (*p == '%' && p + 1 < m->p_end && p[1] == 'b')
		return p + 3 < m->p_end ? p + 4 : fail(m, KB_MATCH_ERROR, "malformed pattern (missing arguments to '%%b')");
	if (*p == '%' && p + 1 < m->p_end && p[1] == 'f') {
		if (p + 2 == m->p_end || p[2] != '[')
			return fail(m, KB_MATCH_ERROR, "missing '[' after '%%f' in pattern");
		return class_end(m, p + 2);
	}
	if (*p == '%' && p + 1 < m->p_end && isdigit((unsigned char)p[1])) {
		int i = p[1] - '1';
		if (i < 0 || i >= m->ncap || open[i])
			return fail(m, KB_MATCH_ERROR, "invalid capture index %%%d", i + 1);
		return p + 2;
	}
	const char *ep = class_end(m, p);
	return ep && ep < m->p_end && strchr("*+-?", *ep) ? ep + 1 : ep;
}

bool kb_pattern_plain(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] && strchr("^$*+?.([%-", p[i]))
			return false;
	return true;
}

/* Every error but "pattern too complex" depends on the pattern alone: on
 * any path to a point of the pattern the same captures are open. */
int kb_pattern_check(struct kb_match *m, const char *p, size_t len)
{
	kb_match_init(m, p, 0, p, len, 0);
	if (kb_pattern_plain(p, len))
		return 0;
	bool open[KB_MATCH_MAXCAPTURES];
	const char *at = p + (len > 0 && *p == '^');
	while (at && at < m->p_end)
		at = *at == '$' && at + 1 == m->p_end ? at + 1 : check_item(m, at, open);
	for (int i = 0; at && i < m->ncap; i++)
		if (open[i])
			fail(m, KB_MATCH_ERROR, "unfinished capture");
	m->ncap = 0;
	return m->status ? KB_MATCH_ERROR : 0;
}
