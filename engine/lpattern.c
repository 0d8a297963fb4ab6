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
 *
 * Faster than Lua's where it can be without answering differently: the
 * search, and the loops of * + -, do not try the places where the next
 * item is one character class that the subject's character is not in
 * (memchr finds a plain first character).  The network matches every
 * `match` test on every fact of its kind, and a pattern mostly fails.
 * So it does not even run most of them: the text every match of a pattern
 * contains ("bind() to " and " failed" for "bind%(%) to .- failed") is
 * read from the pattern, and the network looks for the longest of it with
 * memmem before matching (kb_pattern_screen(), alpha.c;
 * kb_pattern_literals() lists all of it).
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
KBU_PRINTF_LIKE(3, 4)
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

/* Takes n steps that are not all there: what is left, then grants. */
static bool charge_more(struct kb_match *m, uint64_t n)
{
	while (n > m->steps) {
		n -= m->steps;
		m->steps = m->more_steps && m->status == 0 ? m->more_steps(m->ud) : 0;
		if (m->steps == 0) {
			fail(m, KB_MATCH_BUDGET, "out of steps");
			return false;
		}
	}
	m->steps -= n;
	return true;
}

/* n steps of work: false once the budget is spent. */
static inline bool charge(struct kb_match *m, uint64_t n)
{
	if (n <= m->steps) {
		m->steps -= n;
		return true;
	}
	return charge_more(m, n);
}

/* ---- one character ----------------------------------------------------- */

/* The characters that make a pattern more than plain text. */
static bool special(char c)
{
	switch (c) {
	case '^': case '$': case '*': case '+': case '?': case '.': case '(': case '[': case '%': case '-':
		return true;
	default:
		return false;
	}
}

static inline bool in_class(unsigned char c, unsigned char cl)
{
	bool r;
	switch (cl | 0x20) { /* tolower() of the letters that name classes, without its call */
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
	return cl <= 'Z' ? !r : r; /* %A, %D, ...: the complement */
}

/* The end of the set whose '[' is just before p, or NULL when it has no
 * ']'. */
static const char *set_end(const struct kb_match *m, const char *p)
{
	if (p < m->p_end && *p == '^')
		p++;
	do { /* a set's first character may be a ']' */
		if (p == m->p_end)
			return NULL;
		if (*p++ == '%' && p < m->p_end)
			p++;
	} while (p == m->p_end || *p != ']');
	return p + 1;
}

/* The end of the single-character class at p (p < p_end), or NULL when it
 * is malformed. */
static inline const char *item_end(const struct kb_match *m, const char *p)
{
	if (*p == '%')
		return p + 1 < m->p_end ? p + 2 : NULL;
	return *p == '[' ? set_end(m, p + 1) : p + 1;
}

/* item_end(), or NULL with the error Lua gives set.  Inline: matching asks
 * it at every item. */
static inline const char *class_end(struct kb_match *m, const char *p)
{
	const char *ep = item_end(m, p);
	if (ep)
		return ep;
	return fail(m, KB_MATCH_ERROR, *p == '%' ? "malformed pattern (ends with '%%')"
					       : "malformed pattern (missing ']')");
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

/* Whether the single-character class p..ep matches c. */
static inline bool class_matches(unsigned char c, const char *p, const char *ep)
{
	switch (*p) {
	case '.': return true;
	case '%': return in_class(c, (unsigned char)p[1]);
	case '[': return in_set(c, p, ep - 1);
	default: return (unsigned char)*p == c;
	}
}

/* Whether the class p..ep matches the character at s.  Not a step of its
 * own: its callers count it. */
static bool single(struct kb_match *m, const char *s, const char *p, const char *ep)
{
	return s < m->src_end && class_matches((unsigned char)*s, p, ep);
}

/* ---- items that nest ----------------------------------------------------- */

static const char *match(struct kb_match *m, const char *s, const char *p);

static const char *first_class(struct kb_match *m, const char *p);

/* The end of the first item of the rest of the pattern at p if matching
 * the rest fails at once where the subject's character is not one it
 * matches (see first_class()), so that the loops below need not try there;
 * else NULL.  Also NULL when a call more would be too deep: that is an
 * error wherever it happens. */
static const char *next_class(struct kb_match *m, const char *p)
{
	return m->depth == 0 || (p < m->p_end && *p == '(') ? NULL : first_class(m, p);
}

/* Whether the rest of the pattern, p..ep its first item from next_class(),
 * cannot start at s. */
static inline bool cannot_start(const struct kb_match *m, const char *s, const char *p, const char *ep)
{
	return ep && (s == m->src_end || !class_matches((unsigned char)*s, p, ep));
}

/* The class p..ep as often as it matches from s, then once less each time,
 * until the rest of the pattern matches. */
static const char *greedy(struct kb_match *m, const char *s, const char *p, const char *ep)
{
	ptrdiff_t n = 0;
	while (single(m, s + n, p, ep))
		n++;
	if (!charge(m, (uint64_t)n))
		return NULL;
	const char *next = next_class(m, ep + 1);
	for (; n >= 0 && m->status == 0; n--) {
		const char *r = cannot_start(m, s + n, ep + 1, next) ? NULL : match(m, s + n, ep + 1);
		if (r)
			return r;
	}
	return NULL;
}

/* The rest of the pattern after as few repetitions of p..ep as it takes. */
static const char *lazy(struct kb_match *m, const char *s, const char *p, const char *ep)
{
	const char *next = next_class(m, ep + 1);
	for (;;) {
		const char *r = cannot_start(m, s, ep + 1, next) ? NULL : match(m, s, ep + 1);
		if (r || m->status || !charge(m, 1) || !single(m, s, p, ep))
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
	while (++s < m->src_end && charge(m, 1)) {
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
	if (!charge(m, len / 64)) /* a long comparison is work too */
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

static bool is_escape(const struct kb_match *m, const char *p)
{
	return *p == '%' && p + 1 < m->p_end && (p[1] == 'b' || p[1] == 'f' || isdigit((unsigned char)p[1]));
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
		*more = q == '*' || q == '?' || q == '-';
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
	if (is_escape(m, p))
		return escape(m, sp, pp, more);
	return item(m, sp, pp, more);
}

static const char *match(struct kb_match *m, const char *s, const char *p)
{
	if (m->depth-- == 0)
		return fail(m, KB_MATCH_ERROR, "pattern too complex");
	const char *r = NULL;
	bool more = true;
	while (more && charge(m, 1))
		r = advance(m, &s, &p, &more);
	m->depth++;
	return r; /* NULL once m->status is set: *more is never true after an error */
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

/* The pattern's first item after the captures it opens first (they do not
 * move in the subject), or NULL when there are too many of them, which is
 * an error wherever matching starts. */
static const char *past_captures(const struct kb_match *m, const char *p)
{
	for (int n = 0; n < KB_MATCH_MAXCAPTURES; n++) {
		if (p == m->p_end || *p != '(')
			return p;
		p += p + 1 < m->p_end && p[1] == ')' ? 2 : 1;
	}
	return NULL;
}

/* When every match must start with a character that p's first item
 * matches (a single-character class, not followed by * ? or -), the end
 * of that item: kb_match_find() skips the positions where matching would
 * fail at once.  Else NULL; also for a malformed item, which matching
 * reports where Lua would. */
static const char *first_class(struct kb_match *m, const char *p)
{
	if (p == m->p_end || *p == ')' || (*p == '$' && p + 1 == m->p_end) || is_escape(m, p))
		return NULL;
	const char *ep = item_end(m, p);
	if (!ep)
		return NULL;
	return ep < m->p_end && (*ep == '*' || *ep == '?' || *ep == '-') ? NULL : ep;
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
	const char *fp = anchor ? NULL : past_captures(m, p), *ep = fp ? first_class(m, fp) : NULL;
	int c = ep && ep == fp + 1 && *fp != '.' ? (unsigned char)*fp : -1; /* plain: memchr finds it */
	for (const char *s = m->src + init; s <= m->src_end; s++) {
		if (c >= 0 && !(s = memchr(s, c, (size_t)(m->src_end - s))))
			break;
		if (ep && c < 0 && (s == m->src_end || !class_matches((unsigned char)*s, fp, ep)))
			continue;
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
		if (special(p[i]))
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

/* ---- the text every match contains -------------------------------------------- */

/* What kb_pattern_literals() and kb_pattern_screen() gather walking a
 * well-formed pattern: text[0 .. used) holds the runs read so far back to
 * back, text[used .. used + open) the run being read. */
struct literals {
	char *text;
	size_t *lens;            /* each run's length, or NULL */
	size_t n, used, open;
	size_t longest_at, longest;
	int nesting;             /* items whose matching nests a call: captures and quantified items */
	bool exact;              /* every item so far was a character required once */
	bool fold_pairs;         /* a set of one letter in both cases ("[Bb]") is that letter, and
				    makes its run one to find ignoring case (screens only) */
	bool open_folded, longest_folded;
};

static void run_end(struct literals *l)
{
	if (!l->open)
		return;
	if (l->lens)
		l->lens[l->n] = l->open;
	if (l->open > l->longest) {
		l->longest_at = l->used;
		l->longest = l->open;
		l->longest_folded = l->open_folded;
	}
	l->n++;
	l->used += l->open;
	l->open = 0;
	l->open_folded = false;
}

/* "[Bb]" or "[bB]" from p to ep: the letter, lower case; else -1. */
static int letter_pair(const char *p, const char *ep)
{
	if (ep != p + 4 || p[0] != '[' || p[3] != ']' || p[1] == p[2] || !isalpha((unsigned char)p[1]))
		return -1;
	int a = tolower((unsigned char)p[1]);
	return a == tolower((unsigned char)p[2]) ? a : -1;
}

/* The character the single-character class p..ep stands for: a plain one,
 * or '%' and one that is no letter or digit; else -1 ('.', a set, a
 * class, and %q and the like, which Lua reads as the letter: too rare to
 * be worth a run). */
static int literal_char(const char *p, const char *ep)
{
	if (ep == p + 1)
		return *p == '.' ? -1 : (unsigned char)*p;
	return *p == '%' && ep == p + 2 && !isalnum((unsigned char)p[1]) ? (unsigned char)p[1] : -1;
}

/* The item at p of a pattern kb_pattern_check() accepts: adds the text
 * it requires to l and returns its end.  Captures, %b, %f and back
 * references end a run: the text they stand for is not known here. */
static const char *literal_item(const struct kb_match *m, const char *p, struct literals *l)
{
	if (*p == '(' || *p == ')' || (*p == '$' && p + 1 == m->p_end)) {
		l->nesting += *p != '$';
		l->exact = false;
		run_end(l);
		return p + 1;
	}
	if (is_escape(m, p)) {
		l->exact = false;
		run_end(l);
		return p[1] == 'b' ? p + 4 : p[1] == 'f' ? item_end(m, p + 2) : p + 2;
	}
	const char *ep = item_end(m, p);
	char q = ep < m->p_end ? *ep : '\0';
	bool quantified = q == '*' || q == '+' || q == '-' || q == '?';
	int c = literal_char(p, ep);
	bool folded = c < 0 && l->fold_pairs && (c = letter_pair(p, ep)) >= 0;
	l->nesting += quantified;
	l->exact = l->exact && c >= 0 && !quantified && !folded;
	if (c >= 0 && (!quantified || q == '+')) {
		l->text[l->used + l->open++] = (char)c;
		l->open_folded = l->open_folded || folded;
	}
	if (c < 0 || quantified)
		run_end(l);
	if (c >= 0 && q == '+') { /* what follows the repetitions follows one of them */
		l->text[l->used + l->open++] = (char)c;
		l->open_folded = folded;
	}
	return quantified ? ep + 1 : ep;
}

/* Walks p into l; false when p is malformed. */
static bool gather_literals(const char *p, size_t len, struct literals *l)
{
	struct kb_match m;
	l->exact = true;
	if (kb_pattern_check(&m, p, len) < 0)
		return false;
	if (kb_pattern_plain(p, len)) { /* string.find looks for it as it is */
		memcpy(l->text, p, len);
		l->open = len;
	} else {
		const char *at = p;
		if (*at == '^') {
			at++;
			l->exact = false;
		}
		while (at < m.p_end)
			at = literal_item(&m, at, l);
	}
	run_end(l);
	return true;
}

size_t kb_pattern_literals(const char *p, size_t len, char *text, size_t *lens, bool *exact)
{
	struct literals l = {.text = text, .lens = lens};
	bool fine = gather_literals(p, len, &l);
	*exact = fine && l.exact && l.n == 1;
	return fine ? l.n : 0;
}

/* With fewer nesting items than MAX_DEPTH a match never nests too deep
 * (each nested call is at a later item), so the one error left is the
 * budget's. */
size_t kb_pattern_screen(const char *p, size_t len, char *text, bool *folded, bool *exact)
{
	struct literals l = {.text = text, .fold_pairs = true};
	*exact = *folded = false;
	if (!gather_literals(p, len, &l) || l.nesting >= MAX_DEPTH)
		return 0;
	memmove(text, text + l.longest_at, l.longest);
	*exact = l.exact && l.n == 1;
	*folded = l.longest_folded;
	return l.longest;
}
