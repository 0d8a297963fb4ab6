/*
 * dsl.c — the declarations a rule file makes.  They only record what the
 * file says, with its file and line; translate.c turns the records into
 * kinds, rules and facts once every file is loaded.
 *
 *   kind "name" { slot = "string" | "integer" | "float" | "boolean", ... }
 *               (always "string": every fact of the kind sets the slot)
 *   fact "kind" { slot = value, ... }      facts "kind" { {...}, {...} }
 *   rule "ID" { article=, title=, severity=, salience=, products=, remedy=,
 *               when = { patterns... }, diagnose=, assert = { kind {...}, ... },
 *               modify = { { "?f", slot = value, ... }, ... }, retract = { "?f", ... },
 *               action = function(m) ... end }
 * Actions run in that order: assert, modify, retract, diagnose, action.
 *   strategy "depth" | "lex"
 * Patterns: kind_name { slot = value | "?var" | test, ..., as = "?fact" },
 * no(pattern), exists(pattern), test(function(vars) ... end),
 * any_of { condition, condition, ... }.
 * Slot tests: ci, ne, lt, le, gt, ge, match, one_of, lit, test(function(v)),
 * and { test, test, ... } for several at once; version "6.0.8168.0".
 */
#include <string.h>

#include "binding.h"

const char kbl_key_mt_pattern, kbl_key_mt_not, kbl_key_mt_exists, kbl_key_mt_test, kbl_key_mt_any,
	kbl_key_mt_constraint, kbl_key_mt_always;

bool kbl_is(lua_State *L, int idx, const char *key)
{
	if (!lua_getmetatable(L, idx))
		return false;
	lua_rawgetp(L, LUA_REGISTRYINDEX, key);
	bool same = lua_rawequal(L, -1, -2);
	lua_pop(L, 2);
	return same;
}

bool kbl_is_var(const char *s, size_t len)
{
	if (len < 2 || s[0] != '?' || !(s[1] == '_' || ((s[1] | 32) >= 'a' && (s[1] | 32) <= 'z')))
		return false;
	for (size_t i = 2; i < len; i++)
		if (!(s[i] == '_' || (s[i] >= '0' && s[i] <= '9') || ((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z')))
			return false;
	return true;
}

/* A new record table with the caller's file and line.  [-0, +1, m] */
static void push_record(lua_State *L, const char *type, int level)
{
	lua_Debug ar;
	lua_newtable(L);
	if (type) {
		lua_pushstring(L, type);
		lua_setfield(L, -2, "type");
	}
	if (lua_getstack(L, level, &ar) && lua_getinfo(L, "Sl", &ar)) {
		lua_pushstring(L, ar.source[0] == '@' ? ar.source + 1 : ar.short_src);
		lua_setfield(L, -2, "file");
		lua_pushinteger(L, ar.currentline);
		lua_setfield(L, -2, "line");
	}
}

static void set_metatable_key(lua_State *L, const char *key)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, key);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushliteral(L, "locked");
		lua_setfield(L, -2, "__metatable");
		lua_pushvalue(L, -1);
		lua_rawsetp(L, LUA_REGISTRYINDEX, key);
	}
	lua_setmetatable(L, -2);
}

static void append_decl(lua_State *L)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &kbl_key_decls);
	lua_insert(L, -2);
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
	lua_pop(L, 1);
}

/* ---- top-level declarations ---------------------------------------------- */

/* name "x" { body }: the second call records {type, name, file, line, body}. */
static int l_declare_body(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_pushvalue(L, lua_upvalueindex(1)); /* the record */
	lua_pushvalue(L, 1);
	lua_setfield(L, -2, "body");
	append_decl(L);
	return 0;
}

static int declare(lua_State *L, const char *type)
{
	luaL_checkstring(L, 1);
	push_record(L, type, 1);
	lua_pushvalue(L, 1);
	lua_setfield(L, -2, "name");
	lua_pushcclosure(L, l_declare_body, 1);
	return 1;
}

static int l_rule(lua_State *L) { return declare(L, "rule"); }
static int l_kind(lua_State *L) { return declare(L, "kind"); }
static int l_fact(lua_State *L) { return declare(L, "fact"); }
static int l_facts(lua_State *L) { return declare(L, "facts"); }

static int l_strategy(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	if (strcmp(name, "depth") != 0 && strcmp(name, "lex") != 0)
		return luaL_error(L, "strategy must be \"depth\" or \"lex\", not \"%s\"", name);
	push_record(L, "strategy", 1);
	lua_pushvalue(L, 1);
	lua_setfield(L, -2, "name");
	append_decl(L);
	return 0;
}

/* ---- patterns ---------------------------------------------------------------- */

/* kind_name { slots }: a pattern while loading (with its file and line for
 * messages), a fact to assert when an action runs (with the kind's id,
 * looked up once per constructor).  Upvalues: the name, the id. */
static int l_pattern(lua_State *L)
{
	if (lua_isnoneornil(L, 1))
		lua_newtable(L);
	luaL_checktype(L, 1, LUA_TTABLE);
	struct kb_lua *lua = kbl_from_state(L);
	if (lua->loading) {
		push_record(L, NULL, 1);
	} else {
		lua_createtable(L, 0, 3);
		if (lua_isnil(L, lua_upvalueindex(2))) {
			lua_pushinteger(L, kb_kind_find(lua->eng, lua_tostring(L, lua_upvalueindex(1))));
			lua_replace(L, lua_upvalueindex(2));
		}
		lua_pushvalue(L, lua_upvalueindex(2));
		lua_setfield(L, -2, "kind_id");
	}
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_setfield(L, -2, "kind");
	lua_pushvalue(L, 1);
	lua_setfield(L, -2, "slots");
	set_metatable_key(L, &kbl_key_mt_pattern);
	return 1;
}

void kbl_push_kind_constructor(lua_State *L, const char *name)
{
	lua_pushstring(L, name);
	lua_pushnil(L);
	lua_pushcclosure(L, l_pattern, 2);
}

/* A record of the caller's place holding the first argument as field,
 * marked with key's metatable: no(), exists(), test(), any_of.  [-0, +1, m] */
static int wrap_argument(lua_State *L, const char *field, const char *key)
{
	push_record(L, NULL, 1); /* a C function's own calls add no level */
	lua_pushvalue(L, 1);
	lua_setfield(L, -2, field);
	set_metatable_key(L, key);
	return 1;
}

static int wrap_pattern(lua_State *L, const char *key, const char *what)
{
	if (!kbl_is(L, 1, &kbl_key_mt_pattern))
		return luaL_error(L, "%s() takes one pattern, such as %s(process { name = \"x\" })", what, what);
	return wrap_argument(L, "pattern", key);
}

static int l_no(lua_State *L) { return wrap_pattern(L, &kbl_key_mt_not, "no"); }
static int l_exists(lua_State *L) { return wrap_pattern(L, &kbl_key_mt_exists, "exists"); }

static int l_test(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TFUNCTION);
	return wrap_argument(L, "fn", &kbl_key_mt_test);
}

/* any_of { condition, ... }: the list as it is; conditions.c checks it. */
static int l_any_of(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	return wrap_argument(L, "choices", &kbl_key_mt_any);
}

/* ---- slot tests --------------------------------------------------------------- */

static int l_constraint(lua_State *L)
{
	const char *op = lua_tostring(L, lua_upvalueindex(1));
	if (strcmp(op, "one_of") == 0) {
		luaL_checktype(L, 1, LUA_TTABLE);
	} else if (strcmp(op, "match") == 0 || strcmp(op, "ci") == 0) {
		luaL_checkstring(L, 1);
	} else {
		int t = lua_type(L, 1);
		luaL_argexpected(L, t == LUA_TSTRING || t == LUA_TNUMBER || t == LUA_TBOOLEAN, 1,
				 "string, number or boolean");
	}
	struct kb_match m; /* a malformed pattern is refused now, not at match time */
	if (strcmp(op, "match") == 0 && kb_pattern_check(&m, lua_tostring(L, 1), lua_rawlen(L, 1)) < 0)
		return luaL_error(L, "match: %s", m.error);
	push_record(L, NULL, 1);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_setfield(L, -2, "op");
	lua_pushvalue(L, 1);
	lua_setfield(L, -2, "value");
	set_metatable_key(L, &kbl_key_mt_constraint);
	return 1;
}

/* always "string" in a kind declaration: the slot's type, marked; the
 * kind's declaration (translate.c) unwraps it. */
static int l_always(lua_State *L)
{
	luaL_checkany(L, 1);
	lua_newtable(L);
	lua_pushvalue(L, 1);
	lua_setfield(L, -2, "type");
	set_metatable_key(L, &kbl_key_mt_always);
	return 1;
}

static int l_version(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	int64_t code;
	if (!kb_version_code(s, len, &code))
		return luaL_error(L, "version: \"%s\" is not a version like 6.0.8168.0", s);
	lua_pushinteger(L, code);
	return 1;
}

/* Adds the declarations to the environment at index env.  [-0, +0, m] */
void kbl_dsl_register(lua_State *L, int env)
{
	static const luaL_Reg fns[] = {
		{"rule", l_rule}, {"kind", l_kind}, {"fact", l_fact}, {"facts", l_facts},
		{"strategy", l_strategy}, {"no", l_no}, {"exists", l_exists}, {"test", l_test},
		{"any_of", l_any_of},
		{"version", l_version}, {"always", l_always}, {NULL, NULL},
	};
	static const char *const constraints[] = {"ci", "ne", "lt", "le", "gt", "ge", "match",
						   "one_of", "lit", NULL};
	for (const luaL_Reg *f = fns; f->name; f++) {
		lua_pushcfunction(L, f->func);
		lua_setfield(L, env, f->name);
	}
	for (size_t i = 0; constraints[i]; i++) {
		lua_pushstring(L, constraints[i]);
		lua_pushcclosure(L, l_constraint, 1);
		lua_setfield(L, env, constraints[i]);
	}
}
