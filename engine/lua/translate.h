/*
 * translate.h — the state of translating one rule, shared by
 * conditions.c (the `when` list) and translate.c (the rest).
 */
#ifndef KBDIAG_ENGINE_LUA_TRANSLATE_H
#define KBDIAG_ENGINE_LUA_TRANSLATE_H

#include "binding.h"

#define KBL_MAX_VARS 256

struct builder {
	struct kb_lua *lua;
	struct kbl_rule *r;
	char where[256];               /* the rule's file:line */
	size_t nvars;
	const char *vars[KBL_MAX_VARS]; /* interned, with the '?' */
	bool bound[KBL_MAX_VARS];      /* by a positive pattern so far (by one choice of an any_of at least) */
	const char *partly[KBL_MAX_VARS]; /* bound only by some choices of the any_of there, else NULL */
	int var_cond[KBL_MAX_VARS];    /* a fact variable's condition, else -1 */
	/* for `rules check` (lint.c) */
	int uses[KBL_MAX_VARS];        /* occurrences in conditions, templates, actions */
	const char *var_where[KBL_MAX_VARS]; /* file:line of the first */
	enum kb_type var_type[KBL_MAX_VARS]; /* the slot type it was bound from */
	const char *cur_where;         /* the pattern being read, else NULL */
	size_t nconds;
	struct kb_cond conds[KB_MAX_CONDS];
	void *owned[4 * KB_MAX_CONDS + 8]; /* arrays freed after kb_rule_add */
	size_t nowned;
};

/* Reports "rule ID: <fmt>" at where (NULL: the rule's place).  Returns -1. */
int kbl_build_fail(struct builder *b, const char *where, const char *fmt, const char *a, const char *c);
/* Zeroed memory freed with the builder; NULL, with the error reported,
 * when the rule has used all the room for it. */
void *kbl_build_own(struct builder *b, size_t n, size_t size);
const char *kbl_build_intern(struct kb_lua *lua, const char *s);
/* The index of variable name[0..len) ("?x"), added if new; -1 if too many. */
int kbl_build_var(struct builder *b, const char *name, size_t len);
/* "file:line" of the record or pattern table at idx.  [-0, +0, -] */
void kbl_where_of(lua_State *L, int idx, char *buf, size_t n);
/* The `when` table at index when into b->conds.  [-0, +0, m] */
int kbl_build_conditions(struct builder *b, int when);

/* lint.c: the checks only `rules check` makes, as diagnostics: variables
 * used once, fields a Lua function reads that no pattern binds, joins of
 * slots of different types, kb.diagnose without title and severity. */
void kbl_lint_rule(struct builder *b);
/* Whether slot type a and variable type b can ever be equal. */
bool kbl_types_meet(enum kb_type a, enum kb_type b);

#endif
