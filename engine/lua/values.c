/*
 * values.c — slot values between Lua and the core, and the fact userdata
 * that actions receive for `as = "?f"` and from kb.facts(): read-only, its
 * slots by name (f.port), f.id and f.kind.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"
#include "xalloc.h"

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

/* Facts are light userdata: they live as long as the engine, so a pointer
 * is enough, and a firing allocates nothing for them.  Rule code cannot make
 * light userdata of its own, so every one it holds is a fact. */
void kbl_push_fact(lua_State *L, const struct kb_fact *f)
{
	lua_pushlightuserdata(L, (void *)f);
}

const struct kb_fact *kbl_check_fact(lua_State *L, int idx)
{
	if (!lua_islightuserdata(L, idx) || !lua_touserdata(L, idx))
		luaL_typeerror(L, idx, "fact");
	return lua_touserdata(L, idx);
}

static int l_fact_index(lua_State *L)
{
	const struct kb_fact *f = kbl_check_fact(L, 1);
	const char *key = luaL_checkstring(L, 2);
	struct kb_lua *lua = kbl_from_state(L);
	struct kb_engine *eng = lua->eng;
	int slot = kbl_slot_of(lua, f->kind, 2);
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

void kbl_fact_mt_init(lua_State *L)
{
	lua_pushlightuserdata(L, NULL);
	lua_newtable(L);
	lua_pushcfunction(L, l_fact_index);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, l_fact_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pushliteral(L, "locked");
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, -2);
	lua_pop(L, 1);
	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &kbl_key_slots);
}

const char kbl_key_slots;

/* Keeps the addresses of a kind's slot names as Lua strings (names, n of
 * them; taken over). */
static void remember_names(struct kb_lua *lua, int kind, const char **names, size_t n)
{
	if ((size_t)kind >= lua->nslot_names) {
		size_t cap = (size_t)kind + 1;
		struct kbl_slot_names *v = kbu_realloc(lua->slot_names, cap, sizeof(*v));
		memset(v + lua->nslot_names, 0, (cap - lua->nslot_names) * sizeof(*v));
		lua->slot_names = v;
		lua->nslot_names = cap;
	}
	free(lua->slot_names[kind].lua);
	lua->slot_names[kind] = (struct kbl_slot_names){names, n};
}

/* Slot names to indexes, one Lua table per kind, made on first use: a
 * lookup is then one hash probe on an interned Lua string.  Before that
 * probe, the key is compared by address with the table's own key strings
 * (kept alive by the table): Lua interns short strings, so `e.label`
 * passes the very string the table holds, and the common lookup costs no
 * call into Lua. */
int kbl_slot_of(struct kb_lua *lua, int kind, int key_idx)
{
	lua_State *L = lua->L;
	key_idx = lua_absindex(L, key_idx);
	if (lua_type(L, key_idx) != LUA_TSTRING)
		return -1;
	const char *key = lua_tostring(L, key_idx);
	const struct kbl_slot_names *names = (size_t)kind < lua->nslot_names ? &lua->slot_names[kind] : NULL;
	for (size_t i = 0; names && i < names->n; i++)
		if (names->lua[i] == key)
			return (int)i;
	lua_rawgetp(L, LUA_REGISTRYINDEX, &kbl_key_slots);
	if (lua_rawgeti(L, -1, kind + 1) != LUA_TTABLE) {
		lua_pop(L, 1);
		size_t n = kb_kind_nslots(lua->eng, kind);
		lua_createtable(L, 0, (int)n);
		const char **lua_names = kbu_calloc(n ? n : 1, sizeof(*lua_names));
		for (size_t i = 0; i < n; i++) {
			lua_pushstring(L, kb_kind_slot(lua->eng, kind, i)->name);
			lua_names[i] = lua_tostring(L, -1);
			lua_pushinteger(L, (lua_Integer)i);
			lua_rawset(L, -3);
		}
		remember_names(lua, kind, lua_names, n);
		lua_pushvalue(L, -1);
		lua_rawseti(L, -3, kind + 1);
	}
	lua_pushvalue(L, key_idx);
	int slot = lua_rawget(L, -2) == LUA_TNUMBER ? (int)lua_tointeger(L, -1) : -1;
	lua_pop(L, 3);
	return slot;
}
