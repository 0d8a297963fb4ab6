/*
 * pattern.c — string.find, string.match, string.gmatch and string.gsub for
 * rules: Lua's arguments and results around the core's matcher (kb_match_*,
 * engine/lpattern.c), with every step charged to the call's instruction
 * budget.
 *
 * Lua's own matcher runs in C, where the instruction hook never looks: a
 * pattern such as ".-.-.-.-b" on a few thousand characters backtracks for
 * hours.  Here the matcher asks for steps a chunk at a time (kbl_take), so
 * such a pattern ends like an endless loop: stopped, and reported with its
 * file and line.  Plain finds use memmem, which is linear, where Lua
 * compares at every position.
 *
 * The functions follow the Lua 5.4 manual, section 6.4; the matching
 * itself, its results and its error messages are the core's.
 */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "binding.h"

#define CHUNK 1024 /* steps charged at a time */

static uint64_t more_steps(void *lua)
{
	return kbl_take(lua, CHUNK) ? CHUNK : 0;
}

/* m for pattern p on s, its steps charged to L's call. */
static void start(lua_State *L, struct kb_match *m, const char *s, size_t ls, const char *p, size_t lp)
{
	kb_match_init(m, s, ls, p, lp, CHUNK);
	m->more_steps = more_steps;
	m->ud = kbl_from_state(L);
}

/* Charges the steps taken from the chunk in hand, and raises what ended the
 * match if it was not an answer: the budget, or the pattern.  [-0, +0, v] */
static void settle(lua_State *L, struct kb_match *m, int status)
{
	kbl_charge(L, status == KB_MATCH_BUDGET ? 0 : CHUNK - m->steps);
	if (status == KB_MATCH_ERROR)
		luaL_error(L, "%s", m->error);
}

/* ---- captures ------------------------------------------------------------------ */

/* Capture i of the match s..e (the whole match when there are none).
 * [-0, +1, v] */
static void push_capture(lua_State *L, struct kb_match *m, int i, const char *s, const char *e)
{
	struct kb_capture c;
	if (kb_match_capture(m, i, s, e, &c) < 0)
		luaL_error(L, "%s", m->error);
	if (c.len == KB_CAP_POSITION)
		lua_pushinteger(L, (lua_Integer)(c.start - m->src) + 1);
	else
		lua_pushlstring(L, c.start, (size_t)c.len);
}

/* Every capture, or the whole match when s is not NULL and there are none.
 * [-0, +n, v] */
static int push_captures(lua_State *L, struct kb_match *m, const char *s, const char *e)
{
	int n = m->ncap == 0 && s ? 1 : m->ncap;
	luaL_checkstack(L, n, "too many captures");
	for (int i = 0; i < n; i++)
		push_capture(L, m, i, s, e);
	return n;
}

/* ---- find and match -------------------------------------------------------------- */

/* Lua's reading of a start position: negative counts from the end. */
static size_t start_at(lua_Integer pos, size_t len)
{
	if (pos > 0)
		return (size_t)pos;
	if (pos == 0 || pos < -(lua_Integer)len)
		return 1;
	return len + (size_t)pos + 1;
}

/* [-0, +1|2, v] */
static int plain_find(lua_State *L, const char *s, size_t ls, size_t init, const char *p, size_t lp)
{
	kbl_charge(L, (ls - init) / 16 + 1);
	const char *at = memmem(s + init, ls - init, p, lp);
	if (!at) {
		luaL_pushfail(L);
		return 1;
	}
	lua_pushinteger(L, (lua_Integer)(at - s) + 1);
	lua_pushinteger(L, (lua_Integer)(at - s + (ptrdiff_t)lp));
	return 2;
}

/* [-0, +n, v] */
static int find_or_match(lua_State *L, bool find)
{
	size_t ls, lp;
	const char *s = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	size_t init = start_at(luaL_optinteger(L, 3, 1), ls) - 1;
	if (init > ls) {
		luaL_pushfail(L);
		return 1;
	}
	if (find && (lua_toboolean(L, 4) || kb_pattern_plain(p, lp)))
		return plain_find(L, s, ls, init, p, lp);
	struct kb_match m;
	const char *from, *e;
	start(L, &m, s, ls, p, lp);
	int r = kb_match_find(&m, init, &from, &e);
	settle(L, &m, r);
	if (r != KB_MATCH_FOUND) {
		luaL_pushfail(L);
		return 1;
	}
	if (!find)
		return push_captures(L, &m, from, e);
	lua_pushinteger(L, (lua_Integer)(from - s) + 1);
	lua_pushinteger(L, (lua_Integer)(e - s));
	return push_captures(L, &m, NULL, NULL) + 2;
}

int kbl_str_find(lua_State *L) { return find_or_match(L, true); }
int kbl_str_match(lua_State *L) { return find_or_match(L, false); }

/* ---- gmatch ------------------------------------------------------------------------ */

struct gmatch_state {
	const char *next, *last; /* where to look next; the end of the last match */
	bool done;
	struct kb_match m;       /* on the closure's strings, kept alive as upvalues */
};

/* [-0, +n, v] */
static int gmatch_step(lua_State *L)
{
	struct gmatch_state *g = lua_touserdata(L, lua_upvalueindex(3));
	struct kb_match *m = &g->m;
	m->steps = CHUNK;
	m->ud = kbl_from_state(L);
	int r = KB_MATCH_NONE;
	for (const char *from = g->next, *e; !g->done && r >= 0; from++) {
		r = kb_match_at(m, from, &e);
		if (r == KB_MATCH_FOUND && e != g->last) {
			g->next = g->last = e;
			settle(L, m, r);
			return push_captures(L, m, from, e);
		}
		g->done = from == m->src_end;
	}
	settle(L, m, r);
	g->done = true;
	return 0;
}

/* [-0, +1, v] */
int kbl_str_gmatch(lua_State *L)
{
	size_t ls, lp;
	const char *s = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	size_t init = start_at(luaL_optinteger(L, 3, 1), ls) - 1;
	lua_settop(L, 2);
	struct gmatch_state *g = lua_newuserdatauv(L, sizeof(*g), 0);
	start(L, &g->m, s, ls, p, lp);
	g->next = s + (init > ls ? ls : init);
	g->last = NULL;
	g->done = init > ls;
	lua_pushcclosure(L, gmatch_step, 3);
	return 1;
}

/* ---- gsub --------------------------------------------------------------------------- */

/* The replacement string (argument 3) with %0..%9 and %% for the match
 * s..e.  [-0, +0, v] */
static void add_template(lua_State *L, struct kb_match *m, luaL_Buffer *b, const char *s, const char *e)
{
	size_t len;
	const char *r = lua_tolstring(L, 3, &len), *end = r + len, *pct;
	while ((pct = memchr(r, '%', (size_t)(end - r)))) {
		luaL_addlstring(b, r, (size_t)(pct - r));
		r = pct + 2;
		if (pct + 1 < end && pct[1] == '%') {
			luaL_addchar(b, '%');
		} else if (pct + 1 < end && pct[1] == '0') {
			luaL_addlstring(b, s, (size_t)(e - s));
		} else if (pct + 1 < end && isdigit((unsigned char)pct[1])) {
			push_capture(L, m, pct[1] - '1', s, e);
			luaL_addvalue(b); /* a position becomes its digits */
		} else {
			luaL_error(L, "invalid use of '%%' in replacement string");
		}
	}
	luaL_addlstring(b, r, (size_t)(end - r));
}

/* What replaces the match s..e, by the type of argument 3.  [-0, +0, e] */
static void add_replacement(lua_State *L, struct kb_match *m, luaL_Buffer *b, const char *s, const char *e,
			    int type)
{
	if (type == LUA_TFUNCTION) {
		lua_pushvalue(L, 3);
		int n = push_captures(L, m, s, e);
		lua_call(L, n, 1);
	} else if (type == LUA_TTABLE) {
		push_capture(L, m, 0, s, e);
		lua_gettable(L, 3);
	} else {
		add_template(L, m, b, s, e);
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

/* [-0, +2, e] */
int kbl_str_gsub(lua_State *L)
{
	size_t ls, lp;
	const char *s = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	int type = lua_type(L, 3);
	lua_Integer max = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
	luaL_argexpected(L, type == LUA_TNUMBER || type == LUA_TSTRING || type == LUA_TFUNCTION ||
			 type == LUA_TTABLE, 3, "string/function/table");
	bool anchor = lp > 0 && *p == '^';
	struct kb_match m;
	start(L, &m, s, ls, p + anchor, lp - anchor);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	const char *from = s, *last = NULL, *e;
	lua_Integer n = 0;
	int r = KB_MATCH_NONE;
	while (n < max && (r = kb_match_at(&m, from, &e)) >= 0) {
		if (r == KB_MATCH_FOUND && e != last) {
			n++;
			add_replacement(L, &m, &b, from, e, type);
			from = last = e;
		} else if (from < m.src_end) {
			luaL_addchar(&b, *from++);
		} else {
			break;
		}
		if (anchor)
			break;
	}
	settle(L, &m, r);
	luaL_addlstring(&b, from, (size_t)(m.src_end - from));
	luaL_pushresult(&b);
	lua_pushinteger(L, n);
	return 2;
}
