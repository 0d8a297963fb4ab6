/*
 * guards.c — the library functions whose work happens in C loops that the
 * instruction hook never sees, replaced in the rules' environments by
 * versions that charge that work to the call's budget first (kbl_charge),
 * and setmetatable without finalizers.
 *
 * Without them one line can stop kbdiag: string.rep("", 1 << 50) loops
 * 2^50 times copying nothing; table.move(t, 1, 1e15, 2) and table.insert
 * on a table whose __len says 1e12 walk that many slots; a __gc
 * finalizer runs while Lua collects or closes, when no budget is armed.
 * Pattern matching is in pattern.c.
 */
#include <stdint.h>
#include <string.h>

#include "binding.h"

/* Charges for n elements or bytes, n possibly absurd. */
static void charge_count(lua_State *L, lua_Integer n)
{
	if (n > 0)
		kbl_charge(L, (uint64_t)n);
}

static bool has_place(const char *m)
{
	const char *colon = strchr(m, ':');
	if (!colon || colon == m)
		return false;
	const char *d = colon + 1;
	while (*d >= '0' && *d <= '9')
		d++;
	return d > colon + 1 && d[0] == ':';
}

/* The real function (upvalue 1) on the arguments as they are.  Its own
 * errors name no place (its caller is this C function): they get the
 * rule's file and line. */
static int call_real(lua_State *L)
{
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	int status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
	if (status == LUA_OK)
		return lua_gettop(L);
	const char *m = lua_tostring(L, -1);
	if (status != LUA_ERRMEM && m && !has_place(m)) {
		luaL_where(L, 1);
		lua_insert(L, -2);
		lua_concat(L, 2);
	}
	return lua_error(L);
}

/* ---- string -------------------------------------------------------------------- */

/* string.rep, made here: Lua's copies the string once per repetition, so
 * ("x"):rep(1e7) makes ten million calls to memcpy.  This one doubles. */
static int guarded_rep(lua_State *L)
{
	size_t l, lsep;
	const char *s = luaL_checklstring(L, 1, &l);
	lua_Integer n = luaL_checkinteger(L, 2);
	const char *sep = luaL_optlstring(L, 3, "", &lsep);
	if (n <= 0 || l + lsep == 0) {
		lua_pushliteral(L, "");
		return 1;
	}
	if (l + lsep > SIZE_MAX / 2 / (uint64_t)n)
		return luaL_error(L, "resulting string too large");
	size_t total = (size_t)n * (l + lsep) - lsep;
	charge_count(L, (lua_Integer)(total / 16));
	luaL_Buffer b;
	char *out = luaL_buffinitsize(L, &b, total);
	memcpy(out, s, l);
	if (n > 1)
		memcpy(out + l, sep, lsep);
	size_t done = n > 1 ? l + lsep : l;
	while (done < total) {
		size_t chunk = done < total - done ? done : total - done;
		memcpy(out + done, out, chunk);
		done += chunk;
	}
	luaL_pushresultsize(&b, total);
	return 1;
}

/* ---- table ------------------------------------------------------------------------ */

/* The length the real function will walk: #t, through __len if it has one. */
static lua_Integer length_of(lua_State *L)
{
	return lua_type(L, 1) == LUA_TTABLE ? luaL_len(L, 1) : 0; /* else the real one complains */
}

static int guarded_insert_remove(lua_State *L)
{
	charge_count(L, length_of(L));
	return call_real(L);
}

static int guarded_sort(lua_State *L)
{
	lua_Integer n = length_of(L), log = 1;
	for (lua_Integer k = n; k > 1; k >>= 1)
		log++;
	charge_count(L, n > INT64_MAX / log ? INT64_MAX : n * log);
	return call_real(L);
}

/* table.concat(t, sep, i, j), table.unpack(t, i, j): from i (argument
 * first) to j (first + 1, or #t). */
static int guarded_range(lua_State *L)
{
	int first = (int)lua_tointeger(L, lua_upvalueindex(2));
	lua_Integer i = luaL_optinteger(L, first, 1);
	lua_Integer j = lua_isnoneornil(L, first + 1) ? length_of(L) : luaL_checkinteger(L, first + 1);
	if (j >= i)
		charge_count(L, i < 0 && j > INT64_MAX + i ? INT64_MAX : j - i + 1);
	return call_real(L);
}

/* table.move(a1, f, e, t [, a2]) */
static int guarded_move(lua_State *L)
{
	lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
	if (e >= f)
		charge_count(L, f < 0 && e > INT64_MAX + f ? INT64_MAX : e - f + 1);
	return call_real(L);
}

/* ---- os ------------------------------------------------------------------------------ */

/* os.date(format): one strftime call per conversion in the format. */
static int guarded_date(lua_State *L)
{
	size_t len = 0;
	if (lua_type(L, 1) == LUA_TSTRING)
		lua_tolstring(L, 1, &len);
	charge_count(L, (lua_Integer)len * 4);
	return call_real(L);
}

/* ---- base ------------------------------------------------------------------------- */

static int guarded_setmetatable(lua_State *L)
{
	if (lua_type(L, 2) == LUA_TTABLE) {
		lua_pushliteral(L, "__gc");
		if (lua_rawget(L, 2) != LUA_TNIL)
			return luaL_error(L, "rules cannot set __gc finalizers");
		lua_pop(L, 1);
	}
	return call_real(L);
}

/* ---- installing -------------------------------------------------------------------- */

/* Replaces t[name] (t at idx) with fn closed over the original and extra. */
static void wrap(lua_State *L, int idx, const char *name, lua_CFunction fn, int extra)
{
	idx = lua_absindex(L, idx);
	lua_getfield(L, idx, name);
	lua_pushinteger(L, extra);
	lua_pushcclosure(L, fn, 2);
	lua_setfield(L, idx, name);
}

void kbl_guard_string(lua_State *L, int idx)
{
	static const luaL_Reg own[] = {
		{"find", kbl_str_find}, {"match", kbl_str_match}, {"gmatch", kbl_str_gmatch},
		{"gsub", kbl_str_gsub}, {NULL, NULL},
	};
	idx = lua_absindex(L, idx);
	for (const luaL_Reg *r = own; r->name; r++) {
		lua_pushcfunction(L, r->func);
		lua_setfield(L, idx, r->name);
	}
	lua_pushcfunction(L, guarded_rep);
	lua_setfield(L, idx, "rep");
}

void kbl_guard_table(lua_State *L, int idx)
{
	wrap(L, idx, "insert", guarded_insert_remove, 0);
	wrap(L, idx, "remove", guarded_insert_remove, 0);
	wrap(L, idx, "sort", guarded_sort, 0);
	wrap(L, idx, "concat", guarded_range, 3);
	wrap(L, idx, "unpack", guarded_range, 2);
	wrap(L, idx, "move", guarded_move, 0);
}

void kbl_guard_base(lua_State *L, int idx)
{
	wrap(L, idx, "setmetatable", guarded_setmetatable, 0);
}

void kbl_guard_os(lua_State *L, int idx)
{
	wrap(L, idx, "date", guarded_date, 0);
}
