/*
 * chunks.c — rule files compiled to Lua bytecode at build time, so that
 * a run need not parse the stock rules (Lua's parser was a quarter of an
 * idle `kbdiag run`).
 *
 * A chunk keeps the exact text it was compiled from; a file runs from the
 * chunk only when its text is that text byte for byte, so an edited or
 * replaced rule file is always compiled from its source.  The bytecode
 * keeps its line information (lua_dump without strip), so errors and rule
 * places name file:line as they do for text.  A dump carries its chunk
 * name, which must be the file's path at run time (the stock directory
 * moves with the install): the chunk is dumped under a placeholder name,
 * and loading splices the real one in its place.  Lua 5.4 writes the name
 * once, for the main function (ldump.c: nested functions of the same
 * source write none).  A chunk that Lua refuses to load (a dump of
 * another Lua version) is not an error: the file is compiled from its
 * text as if there were no chunk.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "binding.h"
#include "xalloc.h"

#define PLACEHOLDER "=kbdiag chunk name"
#define MAX_NAME (PATH_MAX + 1) /* "@" and a path */

/* Lua 5.4's encoding of a string in a dump (ldump.c, dumpString): its
 * length + 1 as a big-endian base-128 number whose last byte has the top
 * bit set, then the bytes.  out holds len + 11 bytes.  Returns the size. */
static size_t encode_name(const char *name, size_t len, unsigned char *out)
{
	unsigned char digits[11];
	size_t n = 0, x = len + 1;
	do
		digits[n++] = x & 0x7f;
	while ((x >>= 7) != 0);
	digits[0] |= 0x80; /* the last one written */
	for (size_t i = 0; i < n; i++)
		out[i] = digits[n - 1 - i];
	memcpy(out + n, name, len);
	return n + len;
}

struct dump {
	unsigned char *p;
	size_t len, cap;
};

static int add_dump(lua_State *L, const void *p, size_t n, void *ud)
{
	(void)L;
	struct dump *d = ud;
	if (d->len + n > d->cap) {
		d->cap = (d->len + n) * 2;
		d->p = kbu_realloc(d->p, d->cap, 1);
	}
	memcpy(d->p + d->len, p, n);
	d->len += n;
	return 0;
}

/* The placeholder's encoding in d: its first occurrence, which lies right
 * after the header (the main function's source). */
static bool find_placeholder(const struct dump *d, size_t *at, size_t *end)
{
	unsigned char enc[sizeof(PLACEHOLDER) + 11];
	size_t n = encode_name(PLACEHOLDER, strlen(PLACEHOLDER), enc);
	for (size_t i = 0; i + n <= d->len && i < 64; i++)
		if (memcmp(d->p + i, enc, n) == 0) {
			*at = i;
			*end = i + n;
			return true;
		}
	return false;
}

int kb_lua_chunk_make(const char *name, const char *text, size_t len, struct kb_lua_chunk *out,
		      char *err, size_t errlen)
{
	lua_State *L = luaL_newstate();
	if (!L)
		kbu_oom();
	struct dump d = {0};
	int rc = -1;
	if (luaL_loadbufferx(L, text, len, PLACEHOLDER, "t") != LUA_OK) {
		/* again under the file's name, for the message */
		lua_pushfstring(L, "@%s", name);
		luaL_loadbufferx(L, text, len, lua_tostring(L, -1), "t");
		snprintf(err, errlen, "%s", lua_tostring(L, -1));
		goto out;
	}
	lua_dump(L, add_dump, &d, 0);
	if (!find_placeholder(&d, &out->name_at, &out->name_end)) {
		snprintf(err, errlen, "%s: this Lua's dump does not carry the chunk name where Lua 5.4 puts it", name);
		goto out;
	}
	struct kbl_reads r = {0};
	kbl_reads_scan(&r, NULL, name, text, len);
	*out = (struct kb_lua_chunk){.text = text, .text_len = len, .code = d.p, .code_len = d.len,
				     .name_at = out->name_at, .name_end = out->name_end,
				     .read_kinds = kbl_names_take(&r.kinds), .written = kbl_names_take(&r.written),
				     .reads_any_kind = r.any_kind};
	d.p = NULL;
	rc = 0;
out:
	free(d.p);
	lua_close(L);
	return rc;
}

static void free_list(const char *const *list)
{
	for (const char *const *p = list; p && *p; p++)
		free((void *)*p);
	free((void *)list);
}

void kb_lua_chunk_free(struct kb_lua_chunk *c)
{
	free((void *)c->code);
	free_list(c->read_kinds);
	free_list(c->written);
	*c = (struct kb_lua_chunk){0};
}

void kb_lua_use_chunks(struct kb_lua *lua, const struct kb_lua_chunk *chunks, size_t n)
{
	lua->chunks = chunks;
	lua->nchunks = n;
}

size_t kb_lua_nprecompiled(const struct kb_lua *lua)
{
	return lua->nprecompiled;
}

const struct kb_lua_chunk *kbl_chunk_find(const struct kb_lua *lua, const char *text, size_t len)
{
	for (size_t i = 0; i < lua->nchunks; i++)
		if (lua->chunks[i].text_len == len && memcmp(lua->chunks[i].text, text, len) == 0)
			return &lua->chunks[i];
	return NULL;
}

/* The code in three pieces: before the placeholder, the real name, after. */
struct splice {
	const struct kb_lua_chunk *c;
	unsigned char name[MAX_NAME + 11];
	size_t name_len;
	int part;
};

static const char *read_splice(lua_State *L, void *ud, size_t *size)
{
	(void)L;
	struct splice *s = ud;
	switch (s->part++) {
	case 0:
		*size = s->c->name_at;
		return (const char *)s->c->code;
	case 1:
		*size = s->name_len;
		return (const char *)s->name;
	case 2:
		*size = s->c->code_len - s->c->name_end;
		return (const char *)s->c->code + s->c->name_end;
	default:
		*size = 0;
		return NULL;
	}
}

bool kbl_chunk_load(lua_State *L, const struct kb_lua_chunk *c, const char *chunkname)
{
	struct splice s = {.c = c};
	size_t len = strlen(chunkname);
	if (len > MAX_NAME)
		return false;
	s.name_len = encode_name(chunkname, len, s.name);
	if (lua_load(L, read_splice, &s, chunkname, "b") == LUA_OK)
		return true;
	lua_pop(L, 1);
	return false;
}
