/*
 * values.c — slot values between Lua and the core, and the fact userdata
 * that actions receive for `as = "?f"` and from kb.facts(): read-only, its
 * slots by name (f.port), f.id and f.kind.
 */
#include <math.h>
#include <string.h>

#include "binding.h"

void kbl_push_value(lua_State *L, struct kb_value v)
{
	switch (v.type) {
	case KB_STRING: lua_pushstring(L, v.u.s); break;
	case KB_INT: lua_pushinteger(L, v.u.i); break;
	case KB_FLOAT: lua_pushnumber(L, v.u.f); break;
	case KB_BOOL: lua_pushboolean(L, v.u.b); break;
	default: lua_pushnil(L);
	}
}

bool kbl_to_value(struct kb_lua *lua, int idx, enum kb_type want, struct kb_value *out)
{
	lua_State *L = lua->L;
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		*out = kb_nil();
		return true;
	case LUA_TBOOLEAN:
		*out = kb_bool(lua_toboolean(L, idx));
		return want == KB_NIL || want == KB_BOOL;
	case LUA_TSTRING: {
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);
		*out = kb_str(kb_intern(lua->eng, s, len));
		return want == KB_NIL || want == KB_STRING;
	}
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx)) {
			lua_Integer i = lua_tointeger(L, idx);
			*out = want == KB_FLOAT ? kb_float((double)i) : kb_int(i);
			return want == KB_NIL || want == KB_INT || want == KB_FLOAT;
		} else {
			double d = lua_tonumber(L, idx);
			if (want == KB_INT && d == floor(d) && fabs(d) < 9e18) {
				*out = kb_int((int64_t)d);
				return true;
			}
			*out = kb_float(d);
			return want == KB_NIL || want == KB_FLOAT;
		}
	default:
		return false;
	}
}

void kbl_push_fact(lua_State *L, const struct kb_fact *f)
{
	const struct kb_fact **u = lua_newuserdatauv(L, sizeof(*u), 0);
	*u = f;
	luaL_setmetatable(L, KBL_MT_FACT);
}

const struct kb_fact *kbl_check_fact(lua_State *L, int idx)
{
	return *(const struct kb_fact **)luaL_checkudata(L, idx, KBL_MT_FACT);
}

static int l_fact_index(lua_State *L)
{
	const struct kb_fact *f = kbl_check_fact(L, 1);
	const char *key = luaL_checkstring(L, 2);
	struct kb_engine *eng = kbl_from_state(L)->eng;
	int slot = kb_slot_find(eng, f->kind, key);
	if (slot >= 0)
		kbl_push_value(L, f->slots[slot]);
	else if (strcmp(key, "id") == 0)
		lua_pushinteger(L, f->id);
	else if (strcmp(key, "kind") == 0)
		lua_pushstring(L, kb_kind_name(eng, f->kind));
	else if (strcmp(key, "live") == 0)
		lua_pushboolean(L, f->live);
	else
		return luaL_error(L, "%s has no slot '%s'", kb_kind_name(eng, f->kind), key);
	return 1;
}

static int l_fact_tostring(lua_State *L)
{
	const struct kb_fact *f = kbl_check_fact(L, 1);
	struct kb_engine *eng = kbl_from_state(L)->eng;
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	lua_pushfstring(L, "%s#%d {", kb_kind_name(eng, f->kind), (int)f->id);
	luaL_addvalue(&b);
	for (size_t i = 0; i < f->nslots; i++) {
		if (f->slots[i].type == KB_NIL)
			continue;
		lua_pushfstring(L, " %s = ", kb_kind_slot(eng, f->kind, i)->name);
		luaL_addvalue(&b);
		kbl_push_value(L, f->slots[i]);
		luaL_tolstring(L, -1, NULL);
		lua_remove(L, -2);
		luaL_addvalue(&b);
	}
	luaL_addstring(&b, " }");
	luaL_pushresult(&b);
	return 1;
}

static int l_fact_eq(lua_State *L)
{
	lua_pushboolean(L, kbl_check_fact(L, 1) == kbl_check_fact(L, 2));
	return 1;
}

void kbl_fact_mt_init(lua_State *L)
{
	luaL_newmetatable(L, KBL_MT_FACT);
	lua_pushcfunction(L, l_fact_index);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, l_fact_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pushcfunction(L, l_fact_eq);
	lua_setfield(L, -2, "__eq");
	lua_pushliteral(L, "locked");
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 1);
}
