/*
 * pattern.c — string.find, string.match, string.gmatch and string.gsub for
 * rules, on a Lua-pattern matcher of our own that counts its steps.
 *
 * Lua's matcher runs in C, where the instruction hook never looks: a
 * pattern such as ".-.-.-.-b" on a few thousand characters backtracks for
 * hours.  Here every step is charged to the call's instruction budget
 * (kbl_charge), so such a pattern ends like an endless loop: stopped, and
 * reported with its file and line.  Plain finds use memmem, which is
 * linear, where Lua compares at every position.
 *
 * Semantics follow the Lua 5.4 manual, section 6.4.1 (patterns) and the
 * descriptions of the four functions in 6.4; written from the manual.
 */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "binding.h"

#define MAX_CAPTURES 32
#define MAX_DEPTH 200     /* nested matching calls, as Lua's MAXCCALLS */
#define CHARGE_EVERY 1024 /* steps between charges */
#define CAP_OPEN (-1)
#define CAP_POSITION (-2)

struct matcher {
	lua_State *L;
	const char *src, *src_end, *p_end;
	int depth, ncap;
	unsigned steps;
	struct {
		const char *start;
		ptrdiff_t len;
	} cap[MAX_CAPTURES];
};

static void step(struct matcher *m)
{
	if (++m->steps >= CHARGE_EVERY) {
		kbl_charge(m->L, m->steps);
		m->steps = 0;
	}
}

static void begin(struct matcher *m)
{
	m->ncap = 0;
	m->depth = MAX_DEPTH;
}

static void settle(struct matcher *m)
{
	kbl_charge(m->L, m->steps);
	m->steps = 0;
}

/* ---- one character against a class ------------------------------------------ */

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
	case 'z': r = c == 0; break; /* deprecated, still in 5.4 */
	default: return cl == c;
	}
	return isupper(cl) ? !r : r;
}

/* The end of the single-character class at p (p < p_end). */
static const char *class_end(struct matcher *m, const char *p)
{
	char c = *p++;
	if (c == '%') {
		if (p == m->p_end)
			luaL_error(m->L, "malformed pattern (ends with '%%')");
		return p + 1;
	}
	if (c != '[')
		return p;
	if (p < m->p_end && *p == '^')
		p++;
	do { /* the first character of a set may be a ']' */
		if (p == m->p_end)
			luaL_error(m->L, "malformed pattern (missing ']')");
		c = *p++;
		if (c == '%' && p < m->p_end)
			p++;
	} while (p == m->p_end || *p != ']');
	return p + 1;
}

/* [set]: p at the '[', close at its ']'. */
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

static bool single(struct matcher *m, const char *s, const char *p, const char *ep)
{
	step(m);
	if (s >= m->src_end)
		return false;
	unsigned char c = (unsigned char)*s;
	switch (*p) {
	case '.': return true;
	case '%': return in_class(c, (unsigned char)p[1]);
	case '[': return in_set(c, p, ep - 1);
	default: return (unsigned char)*p == c;
	}
}

/* ---- the matcher ---------------------------------------------------------------- */

static const char *match(struct matcher *m, const char *s, const char *p);

static const char *greedy(struct matcher *m, const char *s, const char *p, const char *ep)
{
	ptrdiff_t n = 0;
	while (single(m, s + n, p, ep))
		n++;
	for (; n >= 0; n--) {
		const char *r = match(m, s + n, ep + 1);
		if (r)
			return r;
	}
	return NULL;
}

static const char *lazy(struct matcher *m, const char *s, const char *p, const char *ep)
{
	for (;;) {
		const char *r = match(m, s, ep + 1);
		if (r)
			return r;
		if (!single(m, s, p, ep))
			return NULL;
		s++;
	}
}

static const char *open_capture(struct matcher *m, const char *s, const char *p, ptrdiff_t what)
{
	if (m->ncap >= MAX_CAPTURES)
		luaL_error(m->L, "too many captures");
	m->cap[m->ncap].start = s;
	m->cap[m->ncap].len = what;
	m->ncap++;
	const char *r = match(m, s, p);
	if (!r)
		m->ncap--;
	return r;
}

static const char *close_capture(struct matcher *m, const char *s, const char *p)
{
	int i = m->ncap - 1;
	while (i >= 0 && m->cap[i].len != CAP_OPEN)
		i--;
	if (i < 0)
		luaL_error(m->L, "invalid pattern capture");
	m->cap[i].len = s - m->cap[i].start;
	const char *r = match(m, s, p);
	if (!r)
		m->cap[i].len = CAP_OPEN;
	return r;
}

/* %bxy: p just after the 'b'. */
static const char *balance(struct matcher *m, const char *s, const char *p)
{
	if (p + 1 >= m->p_end)
		luaL_error(m->L, "malformed pattern (missing arguments to '%%b')");
	if (s >= m->src_end || *s != p[0])
		return NULL;
	int level = 1;
	while (++s < m->src_end) {
		step(m);
		if (*s == p[1] && --level == 0)
			return s + 1;
		if (*s == p[0])
			level++;
	}
	return NULL;
}

static int capture_index(struct matcher *m, int c)
{
	int i = c - '1';
	if (i < 0 || i >= m->ncap || m->cap[i].len == CAP_OPEN)
		luaL_error(m->L, "invalid capture index %%%d", i + 1);
	return i;
}

static const char *back_reference(struct matcher *m, const char *s, int c)
{
	int i = capture_index(m, c);
	size_t len = (size_t)m->cap[i].len;
	m->steps += (unsigned)(len / 16);
	if ((size_t)(m->src_end - s) >= len && memcmp(m->cap[i].start, s, len) == 0)
		return s + len;
	return NULL;
}

/* %f[set] at s: p at the '['; the end of the set goes to *ep. */
static bool frontier(struct matcher *m, const char *s, const char *p, const char **ep)
{
	if (p >= m->p_end || *p != '[')
		luaL_error(m->L, "missing '[' after '%%f' in pattern");
	*ep = class_end(m, p);
	unsigned char prev = s == m->src ? '\0' : (unsigned char)s[-1];
	unsigned char cur = s < m->src_end ? (unsigned char)*s : '\0';
	return !in_set(prev, p, *ep - 1) && in_set(cur, p, *ep - 1);
}

/* A single-character class with a quantifier q. */
static const char *repeat(struct matcher *m, const char *s, const char *p, const char *ep, char q)
{
	if (q == '?') {
		if (single(m, s, p, ep)) {
			const char *r = match(m, s + 1, ep + 1);
			if (r)
				return r;
		}
		return match(m, s, ep + 1);
	}
	if (q == '+')
		return single(m, s, p, ep) ? greedy(m, s + 1, p, ep) : NULL;
	if (q == '*')
		return greedy(m, s, p, ep);
	return lazy(m, s, p, ep);
}

/* One step of the pattern at p: the end of the match, NULL for none, or
 * *more set with s and p moved on for the caller's loop, so that plain
 * characters do not nest calls. */
static const char *advance(struct matcher *m, const char **sp, const char **pp, bool *more)
{
	const char *s = *sp, *p = *pp, *ep;
	*more = false;
	if (p == m->p_end)
		return s;
	if (*p == '(')
		return p + 1 < m->p_end && p[1] == ')' ? open_capture(m, s, p + 2, CAP_POSITION)
						       : open_capture(m, s, p + 1, CAP_OPEN);
	if (*p == ')')
		return close_capture(m, s, p + 1);
	if (*p == '$' && p + 1 == m->p_end)
		return s == m->src_end ? s : NULL;
	if (*p == '%' && p + 1 < m->p_end && p[1] == 'b') {
		s = balance(m, s, p + 2);
		ep = p + 4;
	} else if (*p == '%' && p + 1 < m->p_end && p[1] == 'f') {
		if (!frontier(m, s, p + 2, &ep))
			return NULL;
	} else if (*p == '%' && p + 1 < m->p_end && isdigit((unsigned char)p[1])) {
		s = back_reference(m, s, p[1]);
		ep = p + 2;
	} else {
		ep = class_end(m, p);
		char q = ep < m->p_end ? *ep : '\0';
		if (q == '?' || q == '+' || q == '*' || q == '-')
			return repeat(m, s, p, ep, q);
		s = single(m, s, p, ep) ? s + 1 : NULL;
	}
	*sp = s;
	*pp = ep;
	*more = s != NULL;
	return NULL;
}

static const char *match(struct matcher *m, const char *s, const char *p)
{
	if (m->depth-- == 0)
		luaL_error(m->L, "pattern too complex");
	const char *r;
	bool more;
	do {
		step(m);
		r = advance(m, &s, &p, &more);
	} while (more);
	m->depth++;
	return r;
}

/* ---- captures onto the Lua stack --------------------------------------------------- */

/* Capture i, or the whole match s..e when there are none and i is 0. */
static void push_capture(struct matcher *m, int i, const char *s, const char *e)
{
	if (i >= m->ncap) {
		if (i != 0)
			luaL_error(m->L, "invalid capture index %%%d", i + 1);
		lua_pushlstring(m->L, s, (size_t)(e - s));
		return;
	}
	ptrdiff_t len = m->cap[i].len;
	if (len == CAP_OPEN)
		luaL_error(m->L, "unfinished capture");
	if (len == CAP_POSITION)
		lua_pushinteger(m->L, (lua_Integer)(m->cap[i].start - m->src) + 1);
	else
		lua_pushlstring(m->L, m->cap[i].start, (size_t)len);
}

/* Every capture, or the whole match when s is not NULL and there are none. */
static int push_captures(struct matcher *m, const char *s, const char *e)
{
	int n = m->ncap == 0 && s ? 1 : m->ncap;
	luaL_checkstack(m->L, n, "too many captures");
	for (int i = 0; i < n; i++)
		push_capture(m, i, s, e);
	return n;
}

/* ---- the library functions ------------------------------------------------------------ */

/* Lua's reading of a start position: negative counts from the end. */
static size_t start_at(lua_Integer pos, size_t len)
{
	if (pos > 0)
		return (size_t)pos;
	if (pos == 0 || pos < -(lua_Integer)len)
		return 1;
	return len + (size_t)pos + 1;
}

static bool has_specials(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (strchr("^$*+?.([%-", p[i]))
			return true;
	return false;
}

static int plain_find(lua_State *L, const char *s, size_t ls, size_t init, const char *p, size_t lp)
{
	kbl_charge(L, (ls - init) / 16 + 1);
	const char *at = memmem(s + init, ls - init, p, lp);
	if (!at) {
		lua_pushnil(L);
		return 1;
	}
	lua_pushinteger(L, (lua_Integer)(at - s) + 1);
	lua_pushinteger(L, (lua_Integer)(at - s + (ptrdiff_t)lp));
	return 2;
}

static int find_or_match(lua_State *L, bool find)
{
	size_t ls, lp;
	const char *s = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	size_t init = start_at(luaL_optinteger(L, 3, 1), ls) - 1;
	if (init > ls) {
		lua_pushnil(L);
		return 1;
	}
	if (find && (lua_toboolean(L, 4) || !has_specials(p, lp)))
		return plain_find(L, s, ls, init, p, lp);
	struct matcher m = {.L = L, .src = s, .src_end = s + ls, .p_end = p + lp};
	bool anchor = lp > 0 && *p == '^';
	if (anchor)
		p++;
	const char *from = s + init;
	do {
		begin(&m);
		const char *e = match(&m, from, p);
		if (e) {
			settle(&m);
			if (!find)
				return push_captures(&m, from, e);
			lua_pushinteger(L, (lua_Integer)(from - s) + 1);
			lua_pushinteger(L, (lua_Integer)(e - s));
			return push_captures(&m, NULL, NULL) + 2;
		}
	} while (from++ < m.src_end && !anchor);
	settle(&m);
	lua_pushnil(L);
	return 1;
}

int kbl_str_find(lua_State *L) { return find_or_match(L, true); }
int kbl_str_match(lua_State *L) { return find_or_match(L, false); }

struct gmatch_state {
	const char *next, *last; /* where to look next; the end of the last match */
	bool done;
	struct matcher m;
};

static int gmatch_step(lua_State *L)
{
	struct gmatch_state *g = lua_touserdata(L, lua_upvalueindex(3));
	size_t lp;
	const char *p = lua_tolstring(L, lua_upvalueindex(2), &lp);
	g->m.L = L;
	g->m.p_end = p + lp;
	for (const char *from = g->next; !g->done && from <= g->m.src_end; from++) {
		begin(&g->m);
		const char *e = match(&g->m, from, p);
		if (e && e != g->last) {
			g->next = g->last = e;
			settle(&g->m);
			return push_captures(&g->m, from, e);
		}
	}
	settle(&g->m);
	g->done = true;
	return 0;
}

int kbl_str_gmatch(lua_State *L)
{
	size_t ls;
	const char *s = luaL_checklstring(L, 1, &ls);
	luaL_checkstring(L, 2);
	size_t init = start_at(luaL_optinteger(L, 3, 1), ls) - 1;
	lua_settop(L, 2);
	struct gmatch_state *g = lua_newuserdatauv(L, sizeof(*g), 0);
	memset(g, 0, sizeof(*g));
	g->m.src = s;
	g->m.src_end = s + ls;
	g->next = s + (init > ls ? ls : init);
	g->done = init > ls;
	lua_pushcclosure(L, gmatch_step, 3); /* the string keeps src alive */
	return 1;
}

/* The replacement string with %0..%9 and %% for the match s..e. */
static void add_template(struct matcher *m, luaL_Buffer *b, const char *s, const char *e)
{
	size_t len;
	const char *r = lua_tolstring(m->L, 3, &len);
	for (const char *end = r + len; r < end; r++) {
		if (*r != '%') {
			luaL_addchar(b, *r);
			continue;
		}
		r++;
		if (r < end && *r == '%') {
			luaL_addchar(b, '%');
		} else if (r < end && *r == '0') {
			luaL_addlstring(b, s, (size_t)(e - s));
		} else if (r < end && isdigit((unsigned char)*r)) {
			push_capture(m, *r - '1', s, e);
			luaL_tolstring(m->L, -1, NULL);
			lua_remove(m->L, -2);
			luaL_addvalue(b);
		} else {
			luaL_error(m->L, "invalid use of '%%' in replacement string");
		}
	}
}

static void add_replacement(struct matcher *m, luaL_Buffer *b, const char *s, const char *e, int type)
{
	lua_State *L = m->L;
	if (type == LUA_TFUNCTION) {
		lua_pushvalue(L, 3);
		int n = push_captures(m, s, e);
		lua_call(L, n, 1);
	} else if (type == LUA_TTABLE) {
		push_capture(m, 0, s, e);
		lua_gettable(L, 3);
	} else {
		add_template(m, b, s, e);
		return;
	}
	if (!lua_toboolean(L, -1)) {
		lua_pop(L, 1);
		luaL_addlstring(b, s, (size_t)(e - s)); /* keep the original text */
	} else if (!lua_isstring(L, -1)) {
		luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
	} else {
		luaL_addvalue(b);
	}
}

int kbl_str_gsub(lua_State *L)
{
	size_t ls, lp;
	const char *s = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	int type = lua_type(L, 3);
	lua_Integer max = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
	luaL_argexpected(L, type == LUA_TNUMBER || type == LUA_TSTRING || type == LUA_TFUNCTION ||
			 type == LUA_TTABLE, 3, "string/function/table");
	struct matcher m = {.L = L, .src = s, .src_end = s + ls, .p_end = p + lp};
	bool anchor = lp > 0 && *p == '^';
	if (anchor)
		p++;
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	const char *from = s, *last = NULL;
	lua_Integer n = 0;
	while (n < max) {
		begin(&m);
		const char *e = match(&m, from, p);
		if (e && e != last) {
			n++;
			add_replacement(&m, &b, from, e, type);
			from = last = e;
		} else if (from < m.src_end) {
			luaL_addchar(&b, *from++);
		} else {
			break;
		}
		if (anchor)
			break;
	}
	settle(&m);
	luaL_addlstring(&b, from, (size_t)(m.src_end - from));
	luaL_pushresult(&b);
	lua_pushinteger(L, n);
	return 2;
}

/* ---- match "..." constraints ------------------------------------------------------------ */

/* The engine matches `match` constraints itself (lpattern.c), without a
 * step limit.  That is fine while the work is at most quadratic in the
 * value's length: one repetition, or two in an anchored pattern.  A
 * pattern with more repetitions can backtrack for hours on one long line
 * of evidence, so the binding runs it as a predicate under the budget. */
static size_t set_close(const char *p, size_t len, size_t i)
{
	size_t j = i + 1;
	if (j < len && p[j] == '^')
		j++;
	if (j < len)
		j++; /* a first ']' is part of the set */
	while (j < len && p[j] != ']')
		j += p[j] == '%' ? 2 : 1;
	return j;
}

bool kbl_pattern_is_heavy(const char *p, size_t len)
{
	int reps = len > 0 && p[0] == '^' ? 0 : 1;
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '%' && i + 1 < len && p[i + 1] == 'b')
			i += 3;
		else if (p[i] == '%')
			i++;
		else if (p[i] == '[')
			i = set_close(p, len, i);
		if (i + 1 < len && strchr("*+-", p[i + 1]))
			reps++;
	}
	return reps >= 3;
}

static int match_pred(lua_State *L)
{
	if (lua_type(L, 1) != LUA_TSTRING) {
		lua_pushboolean(L, 0);
		return 1;
	}
	lua_settop(L, 1);
	lua_pushvalue(L, lua_upvalueindex(1));
	int n = kbl_str_find(L);
	lua_pushboolean(L, n > 1 || !lua_isnil(L, -1));
	return 1;
}

void kbl_push_match_pred(lua_State *L, int pattern_idx)
{
	lua_pushvalue(L, pattern_idx);
	lua_pushcclosure(L, match_pred, 1);
}
