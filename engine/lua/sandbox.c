/*
 * sandbox.c — what a rule file can reach, and loading one.
 *
 * Each file runs in an environment of its own, built fresh from an allow
 * list: copies of string, table, math and utf8, os.time/date/clock/
 * difftime, a handful of base functions, the rule language and the kb.*
 * API.  The functions whose C loops the instruction hook cannot see are
 * replaced by ones that charge their work to the budget (guards.c,
 * pattern.c), and setmetatable refuses __gc.  Nothing else exists for it: no io, os.execute, require, load,
 * dofile, debug, collectgarbage or string.dump.  The shared string
 * metatable is locked and indexes a copy of the string library, so no file
 * can change what another file's strings do.  Assigning a global is an
 * error (use local).  Files load as text only; bytecode in a file is
 * refused.  A file whose text is that of a chunk compiled at build time
 * runs from the chunk's bytecode (chunks.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lualib.h>

#include "binding.h"
#include "textout.h"
#include "xalloc.h"

#define ENV_NAMES 48 /* an environment's names, rounded up */

const char kbl_key_decls, kbl_key_sources;
static const char key_reference_env = 0;

static const char *const forbidden[] = {
	"io", "require", "load", "loadstring", "loadfile", "dofile", "debug", "collectgarbage",
	"package", "rawset", "coroutine", "module", "setfenv", "getfenv", "xpcall", NULL,
};

static const char *const base_allowed[] = {
	"assert", "error", "ipairs", "next", "pairs", "rawequal", "rawget", "rawlen", "select",
	"tonumber", "tostring", "type", "setmetatable", "getmetatable", NULL,
};

/* Copies library `name` from the global table, leaving out `skip`.  The
 * copy is sized first: grown a rehash at a time, the five copies each
 * rule file gets cost more than its patterns.  [-0, +1, m] */
static void push_lib_copy(lua_State *L, const char *name, const char *const *keep, const char *skip)
{
	int n = 0;
	lua_getglobal(L, name);
	if (keep) {
		while (keep[n])
			n++;
	} else {
		for (lua_pushnil(L); lua_next(L, -2); lua_pop(L, 1))
			n++;
	}
	lua_createtable(L, 0, n);
	lua_insert(L, -2);
	if (keep) {
		for (size_t i = 0; keep[i]; i++) {
			lua_getfield(L, -1, keep[i]);
			lua_setfield(L, -3, keep[i]);
		}
	} else {
		lua_pushnil(L);
		while (lua_next(L, -2)) {
			if (!(skip && lua_type(L, -2) == LUA_TSTRING && strcmp(lua_tostring(L, -2), skip) == 0)) {
				lua_pushvalue(L, -2);
				lua_insert(L, -2);
				lua_settable(L, -5);
			} else {
				lua_pop(L, 1);
			}
		}
	}
	lua_pop(L, 1);
}

/* Opens the libraries rules may use and locks the string metatable.
 * [-0, +0, m] */
void kbl_sandbox_init(lua_State *L)
{
	static const luaL_Reg libs[] = {
		{LUA_GNAME, luaopen_base}, {LUA_STRLIBNAME, luaopen_string},
		{LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
		{LUA_UTF8LIBNAME, luaopen_utf8}, {LUA_OSLIBNAME, luaopen_os}, {NULL, NULL},
	};
	for (const luaL_Reg *l = libs; l->name; l++) {
		luaL_requiref(L, l->name, l->func, 1);
		lua_pop(L, 1);
	}
	lua_pushliteral(L, "");
	lua_getmetatable(L, -1);
	push_lib_copy(L, "string", NULL, "dump");
	kbl_guard_string(L, -1);
	lua_setfield(L, -2, "__index");
	lua_pushliteral(L, "locked");
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 2);
}

/* pcall that cannot swallow a spent budget or an out-of-memory error. */
static int l_pcall(lua_State *L)
{
	luaL_checkany(L, 1);
	int status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
	if (status == LUA_ERRMEM || kbl_from_state(L)->tripped)
		return lua_error(L);
	lua_pushboolean(L, status == LUA_OK);
	lua_insert(L, 1);
	return lua_gettop(L);
}

/* print goes to stderr, prefixed with the rule file and line, so reports on
 * stdout stay clean; one line per call, its control characters escaped
 * (textout.h): a rule printing evidence must not drive the terminal. */
static int l_print(lua_State *L)
{
	int n = lua_gettop(L);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	lua_Debug ar;
	if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar)) {
		/* "file:line:", put together by hand: formatting it cost more than
		 * the rest of a benchmark's print */
		char digits[16];
		size_t nd = 0;
		unsigned line = ar.currentline > 0 ? (unsigned)ar.currentline : 0;
		do
			digits[nd++] = (char)('0' + line % 10);
		while ((line /= 10) && nd < sizeof(digits));
		luaL_addstring(&b, ar.short_src);
		luaL_addchar(&b, ':');
		while (nd)
			luaL_addchar(&b, digits[--nd]);
		luaL_addchar(&b, ':');
	}
	for (int i = 1; i <= n; i++) {
		luaL_addchar(&b, ' ');
		luaL_tolstring(L, i, NULL);
		luaL_addvalue(&b);
	}
	kbl_charge(L, luaL_bufflen(&b) / 16);
	kbu_twrite(stderr, luaL_buffaddr(&b), luaL_bufflen(&b)); /* no Lua string made of it */
	fputc('\n', stderr);
	return 0;
}

static bool looks_like_kind(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* Unknown globals: a refusal for what the sandbox leaves out; a pattern
 * constructor for a kind name (while loading, any kind name, since kinds
 * may be declared by later files); nil otherwise.  [-0, +1, e] */
static int l_env_index(lua_State *L)
{
	const char *name = lua_tostring(L, 2);
	if (!name)
		return 0;
	struct kb_lua *lua = kbl_from_state(L);
	bool kind = kb_kind_find(lua->eng, name) >= 0; /* the stock kind `package` shadows Lua's library */
	for (size_t i = 0; !kind && forbidden[i]; i++)
		if (strcmp(name, forbidden[i]) == 0)
			return luaL_error(L, "'%s' is not available to rules", name);
	if (!kind && !(lua->loading && looks_like_kind(name)))
		return 0;
	/* kept in the file's environment, so the next use finds it directly */
	kbl_push_kind_constructor(L, name);
	lua_pushvalue(L, 2);
	lua_pushvalue(L, -2);
	lua_rawset(L, 1);
	return 1;
}

static int l_env_newindex(lua_State *L)
{
	return luaL_error(L, "rule files cannot set the global '%s' (use local)",
			  luaL_tolstring(L, 2, NULL));
}

/* A fresh environment for one file.  [-0, +1, m] */
static void push_env(lua_State *L)
{
	static const char *const os_allowed[] = {"time", "date", "clock", "difftime", NULL};
	/* sized for its some forty names at once: grown a rehash at a time, it
	 * cost a tenth of an idle run */
	lua_createtable(L, 0, ENV_NAMES);
	int env = lua_gettop(L);
	for (size_t i = 0; base_allowed[i]; i++) {
		lua_getglobal(L, base_allowed[i]);
		lua_setfield(L, env, base_allowed[i]);
	}
	kbl_guard_base(L, env);
	lua_pushcfunction(L, l_pcall);
	lua_setfield(L, env, "pcall");
	lua_pushcfunction(L, l_print);
	lua_setfield(L, env, "print");
	push_lib_copy(L, "string", NULL, "dump");
	kbl_guard_string(L, -1);
	lua_setfield(L, env, "string");
	push_lib_copy(L, "table", NULL, NULL);
	kbl_guard_table(L, -1);
	lua_setfield(L, env, "table");
	push_lib_copy(L, "math", NULL, NULL);
	lua_setfield(L, env, "math");
	push_lib_copy(L, "utf8", NULL, NULL);
	lua_setfield(L, env, "utf8");
	push_lib_copy(L, "os", os_allowed, NULL);
	kbl_guard_os(L, -1);
	lua_setfield(L, env, "os");
	lua_pushvalue(L, env);
	lua_setfield(L, env, "_G");
	kbl_dsl_register(L, env);
	kbl_api_register(L, env);
	lua_newtable(L);
	lua_pushcfunction(L, l_env_index);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, l_env_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_pushliteral(L, "locked");
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, env);
}

/* Why rule files could not write `name { ... }` for a kind of that name,
 * or NULL if they can: the environment makes constructors of lower-case
 * names only, and a name it already has (string, rule, no ...) would
 * shadow the kind.  The names are read from one environment built for
 * the purpose. */
const char *kbl_kind_name_problem(lua_State *L, const char *name)
{
	if (!looks_like_kind(name))
		return "a kind's name is lower-case letters, digits and '_', starting with a letter";
	if (lua_rawgetp(L, LUA_REGISTRYINDEX, &key_reference_env) == LUA_TNIL) {
		lua_pop(L, 1);
		push_env(L);
		lua_pushvalue(L, -1);
		lua_rawsetp(L, LUA_REGISTRYINDEX, &key_reference_env);
	}
	lua_pushstring(L, name);
	bool taken = lua_rawget(L, -2) != LUA_TNIL;
	lua_pop(L, 2);
	return taken ? "rule files already have this name (a library, a function or a word of the rule language)" : NULL;
}

struct chunk {
	const char *name, *src;
	size_t len;
	const struct kb_lua_chunk *code; /* the text's bytecode (chunks.c), or NULL */
	bool ran_code;
};

static int run_chunk(lua_State *L)
{
	struct chunk *c = lua_touserdata(L, 1);
	lua_pushfstring(L, "@%s", c->name);
	const char *chunkname = lua_tostring(L, -1);
	c->ran_code = c->code && kbl_chunk_load(L, c->code, chunkname);
	if (!c->ran_code && luaL_loadbufferx(L, c->src, c->len, chunkname, "t") != LUA_OK)
		return lua_error(L);
	push_env(L);
	lua_setupvalue(L, -2, 1); /* _ENV */
	lua_call(L, 0, 0);
	return 0;
}

/* Keeps the file's text for lint.c.  [-0, +0, m] */
static int keep_source(lua_State *L)
{
	const struct chunk *c = lua_touserdata(L, 1);
	if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kbl_key_sources) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_rawsetp(L, LUA_REGISTRYINDEX, &kbl_key_sources);
	}
	lua_pushlstring(L, c->src, c->len);
	lua_setfield(L, -2, c->name);
	return 0;
}

void kb_lua_set_lint(struct kb_lua *lua, bool on)
{
	lua->lint = on;
}

int kbl_load(struct kb_lua *lua, const char *name, const char *src, size_t len)
{
	lua_State *L = lua->L;
	const struct kb_lua_chunk *code = kbl_chunk_find(lua, src, len);
	kbl_reads_file(lua, code, name, src, len);
	if (lua->lint) {
		struct chunk c = {.name = name, .src = src, .len = len};
		lua_pushcfunction(L, keep_source);
		lua_pushlightuserdata(L, &c);
		if (lua_pcall(L, 1, 0, 0) != LUA_OK)
			lua_pop(L, 1);
	}
	lua_rawgetp(L, LUA_REGISTRYINDEX, &kbl_key_decls);
	lua_Integer before = (lua_Integer)lua_rawlen(L, -1);
	lua_pop(L, 1);
	struct chunk c = {.name = name, .src = src, .len = len, .code = code};
	struct kb_error err = {0};
	lua->loading = true;
	lua->loading_file = name;
	int rc = kbl_pcall(lua, run_chunk, &c, lua->lim.load_seconds, name, &err);
	lua->nprecompiled += c.ran_code;
	lua->loading = false;
	lua->loading_file = NULL;
	if (rc == 0)
		return 0;
	kbl_diag(lua, KB_DIAG_ERROR, err.where, "%s; the file's rules are not loaded", err.msg);
	/* A file that fails keeps nothing it declared. */
	lua_rawgetp(L, LUA_REGISTRYINDEX, &kbl_key_decls);
	for (lua_Integer i = (lua_Integer)lua_rawlen(L, -1); i > before; i--) {
		lua_pushnil(L);
		lua_rawseti(L, -2, i);
	}
	lua_pop(L, 1);
	return -1;
}

int kb_lua_load_string(struct kb_lua *lua, const char *name, const char *src, size_t len)
{
	return kbl_load(lua, name, src, len);
}

int kb_lua_load_file(struct kb_lua *lua, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		kbl_diag(lua, KB_DIAG_ERROR, path, "cannot open rule file: %s", strerror(errno));
		return -1;
	}
	size_t cap = 16384, n = 0;
	char *buf = kbu_malloc(cap);
	for (;;) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap || cap >= (64u << 20))
			break;
		cap *= 2;
		buf = kbu_realloc(buf, cap, 1);
	}
	bool bad = n == cap || ferror(f); /* n == cap: over 64 MiB, no rule file */
	fclose(f);
	if (bad) {
		free(buf);
		kbl_diag(lua, KB_DIAG_ERROR, path, "cannot read rule file");
		return -1;
	}
	int rc = kbl_load(lua, path, buf, n);
	free(buf);
	return rc;
}
