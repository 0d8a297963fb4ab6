/*
 * actions.c — what happens when a rule fires, and Lua predicates.
 *
 * A firing runs, in order: the declarative `assert` facts, the diagnosis
 * (a `finding` fact whose justification is the firing, so every finding
 * traces back to its evidence), then the Lua `action` function.  Lua
 * functions receive the match as a table of variables without the '?'
 * (m.port, m.pid; a fact variable is a fact object) and may call the kb.*
 * API: assert, retract, modify, halt, diagnose, facts.  Predicates run in
 * the middle of the match and may call none of it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"
#include "xalloc.h"

/* ---- templates ------------------------------------------------------------------- */

static void append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = kbu_realloc(*buf, *cap, 1);
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

static void append_value(char **buf, size_t *len, size_t *cap, struct kb_value v)
{
	char num[64];
	switch (v.type) {
	case KB_STRING: append(buf, len, cap, v.u.s, strlen(v.u.s)); return;
	case KB_INT: snprintf(num, sizeof(num), "%lld", (long long)v.u.i); break;
	case KB_FLOAT: snprintf(num, sizeof(num), "%g", v.u.f); break;
	case KB_BOOL: snprintf(num, sizeof(num), "%s", v.u.b ? "yes" : "no"); break;
	default: snprintf(num, sizeof(num), "unknown"); break;
	}
	append(buf, len, cap, num, strlen(num));
}

/* The text with each ?variable replaced by its value; interned. */
const char *kbl_template_render(struct kb_lua *lua, const struct kbl_template *t,
				const struct kb_activation *act)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	append(&buf, &len, &cap, "", 0);
	for (size_t i = 0; i < t->nparts; i++) {
		const struct kbl_part *p = &t->parts[i];
		if (p->text)
			append(&buf, &len, &cap, p->text, p->len);
		else
			append_value(&buf, &len, &cap, kb_activation_var(act, p->var));
	}
	const char *s = kb_intern(lua->eng, buf, len);
	free(buf);
	return s;
}

/* ---- calling Lua ------------------------------------------------------------------- */

struct call {
	struct kbl_rule *rule;
	const struct kb_activation *act;
	int ref;
	const char *result; /* a function's string result, interned */
};

/* The match table: each variable by name, fact variables as facts.  [-0, +1, m] */
static void push_match(lua_State *L, const struct kbl_rule *r, const struct kb_activation *act)
{
	lua_createtable(L, 0, (int)r->nvars);
	for (size_t v = 0; v < r->nvars; v++) {
		if (r->var_cond[v] >= 0)
			kbl_push_fact(L, kb_activation_fact(act, (size_t)r->var_cond[v]));
		else
			kbl_push_value(L, kb_activation_var(act, (int)v));
		lua_setfield(L, -2, r->var_names[v]);
	}
}

static int call_with_match(lua_State *L)
{
	struct call *c = lua_touserdata(L, 1);
	lua_rawgeti(L, LUA_REGISTRYINDEX, c->ref);
	push_match(L, c->rule, c->act);
	lua_call(L, 1, 1);
	if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER) {
		size_t len;
		const char *s = lua_tolstring(L, -1, &len);
		c->result = kb_intern(c->rule->lua->eng, s, len);
	}
	return 0;
}

/* Runs function ref with the match as the firing in progress. */
static int run_lua(struct kbl_rule *r, const struct kb_activation *act, int ref, const char **result,
		   struct kb_error *err)
{
	struct kb_lua *lua = r->lua;
	struct call c = {r, act, ref, NULL};
	const struct kb_activation *outer_act = lua->act;
	struct kbl_rule *outer_rule = lua->firing;
	lua->act = act;
	lua->firing = r;
	int rc = kbl_pcall(lua, call_with_match, &c, lua->lim.call_seconds, r->where, err);
	lua->act = outer_act;
	lua->firing = outer_rule;
	if (result)
		*result = c.result;
	return rc;
}

/* ---- the parts of a firing ---------------------------------------------------------------- */

/* A template's slot values for this firing into v (slot indexes in slots). */
static size_t template_values(struct kbl_rule *r, const struct kbl_fact_template *ft,
			      const struct kb_activation *act, int *slots, struct kb_value *v)
{
	for (size_t s = 0; s < ft->nslots; s++) {
		const struct kbl_slot_template *st = &ft->slots[s];
		slots[s] = st->slot;
		v[s] = st->type == KBL_CONST ? st->value
			: st->type == KBL_VAR ? kb_activation_var(act, st->var)
			: kb_str(kbl_template_render(r->lua, &st->text, act));
	}
	return ft->nslots;
}

/* The declarative actions, in the order CLIPS programs write them: the new
 * facts, then the changes, then the retractions. */
static int declared_actions(struct kbl_rule *r, const struct kb_activation *act, struct kb_error *err)
{
	struct kb_engine *eng = r->lua->eng;
	int slots[64];
	struct kb_value v[64], full[64];
	for (size_t i = 0; i < r->nasserts; i++) {
		const struct kbl_fact_template *ft = &r->asserts[i];
		size_t n = template_values(r, ft, act, slots, v);
		for (size_t s = 0; s < kb_kind_nslots(eng, ft->kind) && s < 64; s++)
			full[s] = kb_nil();
		for (size_t s = 0; s < n; s++)
			full[slots[s]] = v[s];
		if (!kb_assert(eng, ft->kind, full, NULL, NULL, err))
			return -1;
	}
	for (size_t i = 0; i < r->nmodifies; i++) {
		const struct kbl_fact_template *ft = &r->modifies[i];
		const struct kb_fact *f = kb_activation_fact(act, (size_t)ft->cond);
		size_t n = template_values(r, ft, act, slots, v);
		if (!kb_modify(eng, f, n, slots, v, err))
			return -1;
	}
	for (size_t i = 0; i < r->nretracts; i++)
		kb_retract(eng, kb_activation_fact(act, (size_t)r->retracts[i]));
	return 0;
}

static int assert_finding(struct kb_lua *lua, const struct kbl_rule *r, const char *severity,
			  const char *title, const char *message, const char *remedy, struct kb_error *err)
{
	struct kb_engine *eng = lua->eng;
	const char *text[6] = {r->info.id, r->info.article, severity, title, message, remedy};
	struct kb_value v[6];
	for (int i = 0; i < 6; i++)
		v[lua->finding_slot[i]] = text[i] ? kb_str(kb_intern_cstr(eng, text[i])) : kb_nil();
	return kb_assert(eng, lua->finding_kind, v, NULL, NULL, err) ? 0 : -1;
}

static int diagnose(struct kbl_rule *r, const struct kb_activation *act, struct kb_error *err)
{
	const char *message = NULL, *remedy = NULL;
	if (r->ref_message != LUA_NOREF ? run_lua(r, act, r->ref_message, &message, err) < 0
					: !(message = kbl_template_render(r->lua, &r->message, act)))
		return -1;
	if (r->ref_remedy != LUA_NOREF ? run_lua(r, act, r->ref_remedy, &remedy, err) < 0
				       : (r->remedy.nparts && !(remedy = kbl_template_render(r->lua, &r->remedy, act))))
		return -1;
	if (!message)
		return 0; /* a message function that returns nothing diagnoses nothing */
	return assert_finding(r->lua, r, r->info.severity, r->info.title, message, remedy, err);
}

int kbl_rule_action(struct kb_engine *eng, const struct kb_activation *act, void *ud, struct kb_error *err)
{
	(void)eng;
	struct kbl_rule *r = ud;
	if (declared_actions(r, act, err) < 0)
		return -1;
	if (r->diagnoses && diagnose(r, act, err) < 0)
		return -1;
	if (r->ref_action != LUA_NOREF && run_lua(r, act, r->ref_action, NULL, err) < 0)
		return -1;
	return 0;
}

/* ---- predicates ----------------------------------------------------------------------------- */

struct pred_call {
	struct kbl_pred *p;
	const struct kb_value *args;
	size_t nargs;
	bool result;
};

static int call_pred(lua_State *L)
{
	struct pred_call *c = lua_touserdata(L, 1);
	lua_rawgeti(L, LUA_REGISTRYINDEX, c->p->ref);
	if (c->p->on_slot) {
		kbl_push_value(L, c->args[0]);
	} else {
		lua_createtable(L, 0, (int)c->nargs);
		for (size_t i = 0; i < c->nargs && i < c->p->nvars; i++) {
			kbl_push_value(L, c->args[i]);
			lua_setfield(L, -2, c->p->var_names[i]);
		}
	}
	lua_call(L, 1, 1);
	c->result = lua_toboolean(L, -1);
	return 0;
}

int kbl_pred_call(void *ud, const struct kb_value *args, size_t nargs, struct kb_error *err)
{
	struct kbl_pred *p = ud;
	struct kb_lua *lua = p->lua;
	struct pred_call c = {p, args, nargs, false};
	bool outer = lua->in_pred;
	lua->in_pred = true;
	int rc = kbl_pcall(lua, call_pred, &c, lua->lim.call_seconds, p->where, err);
	lua->in_pred = outer;
	return rc < 0 ? -1 : c.result;
}

/* ---- the kb.* API ------------------------------------------------------------------------------- */

static struct kb_lua *firing_lua(lua_State *L, const char *what)
{
	struct kb_lua *lua = kbl_from_state(L);
	if (!lua->act || lua->in_pred)
		luaL_error(L, "kb.%s can only be called from a rule's action", what);
	return lua;
}

/* Slot values from the table at idx for kind into v.  [-0, +0, e] */
static void read_slots(lua_State *L, struct kb_lua *lua, int kind, int idx, struct kb_value *v)
{
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		int slot = kbl_slot_of(lua, kind, -2);
		const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
		if (slot < 0)
			luaL_error(L, "%s has no slot '%s'", kb_kind_name(lua->eng, kind), key);
		enum kb_type want = kb_kind_slot(lua->eng, kind, (size_t)slot)->type;
		if (!kbl_to_value(lua, -1, want, &v[slot]))
			luaL_error(L, "%s.%s holds %ss, not %s values", kb_kind_name(lua->eng, kind), key,
				   kb_type_name(want), luaL_typename(L, -1));
		lua_pop(L, 1);
	}
}

/* kb.assert(kind { slot = value, ... }) or kb.assert("kind", { ... }); values
 * are taken as they are (no ?variables).  Returns the fact. */
static int l_assert(lua_State *L)
{
	struct kb_lua *lua = firing_lua(L, "assert");
	const char *kname;
	int slots;
	int kind = -1;
	if (kbl_is(L, 1, &kbl_key_mt_pattern)) {
		lua_getfield(L, 1, "kind");
		lua_getfield(L, 1, "slots");
		lua_getfield(L, 1, "kind_id");
		kname = lua_tostring(L, -3);
		kind = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : -1;
		lua_pop(L, 1);
		slots = lua_gettop(L);
	} else {
		kname = luaL_checkstring(L, 1);
		luaL_checktype(L, 2, LUA_TTABLE);
		slots = 2;
	}
	if (kind < 0)
		kind = kb_kind_find(lua->eng, kname);
	if (kind < 0)
		return luaL_error(L, "unknown fact kind '%s'", kname);
	struct kb_value v[64];
	for (size_t i = 0; i < kb_kind_nslots(lua->eng, kind) && i < 64; i++)
		v[i] = kb_nil();
	read_slots(L, lua, kind, slots, v);
	struct kb_error err = {0};
	const struct kb_fact *f = kb_assert(lua->eng, kind, v, NULL, NULL, &err);
	if (!f)
		return luaL_error(L, "%s", err.msg);
	kbl_push_fact(L, f);
	return 1;
}

static int l_retract(lua_State *L)
{
	struct kb_lua *lua = firing_lua(L, "retract");
	lua_pushboolean(L, kb_retract(lua->eng, kbl_check_fact(L, 1)));
	return 1;
}

static int l_modify(lua_State *L)
{
	struct kb_lua *lua = firing_lua(L, "modify");
	const struct kb_fact *f = kbl_check_fact(L, 1);
	luaL_checktype(L, 2, LUA_TTABLE);
	struct kb_value v[64];
	int slots[64];
	size_t n = 0;
	lua_pushnil(L);
	while (lua_next(L, 2)) {
		const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
		int slot = kbl_slot_of(lua, f->kind, -2);
		if (slot < 0 || n == 64)
			return luaL_error(L, "%s has no slot '%s'", kb_kind_name(lua->eng, f->kind), key);
		enum kb_type want = kb_kind_slot(lua->eng, f->kind, (size_t)slot)->type;
		if (!kbl_to_value(lua, -1, want, &v[n]))
			return luaL_error(L, "%s.%s holds %ss", kb_kind_name(lua->eng, f->kind), key, kb_type_name(want));
		slots[n++] = slot;
		lua_pop(L, 1);
	}
	if (!f->live)
		return luaL_error(L, "modify: the fact was retracted");
	struct kb_error err = {0};
	const struct kb_fact *nf = kb_modify(lua->eng, f, n, slots, v, &err);
	if (!nf)
		return luaL_error(L, "%s", err.msg);
	kbl_push_fact(L, nf);
	return 1;
}

static int l_halt(lua_State *L)
{
	kb_halt(firing_lua(L, "halt")->eng);
	return 0;
}

/* kb.diagnose { message = ..., remedy = ..., severity = ..., title = ... } */
static int l_diagnose(lua_State *L)
{
	struct kb_lua *lua = firing_lua(L, "diagnose");
	luaL_checktype(L, 1, LUA_TTABLE);
	const struct kbl_rule *r = lua->firing;
	lua_getfield(L, 1, "message");
	lua_getfield(L, 1, "remedy");
	lua_getfield(L, 1, "severity");
	lua_getfield(L, 1, "title");
	const char *message = luaL_checkstring(L, -4);
	const char *severity = luaL_optstring(L, -2, r->info.severity ? r->info.severity : "info");
	const char *title = luaL_optstring(L, -1, r->info.title ? r->info.title : r->info.id);
	if (strcmp(severity, "error") && strcmp(severity, "warning") && strcmp(severity, "info"))
		return luaL_error(L, "severity is \"error\", \"warning\" or \"info\"");
	struct kb_error err = {0};
	if (assert_finding(lua, r, severity, title, message, luaL_optstring(L, -3, NULL), &err) < 0)
		return luaL_error(L, "%s", err.msg);
	return 0;
}

/* kb.facts("kind"): the live facts of a kind, oldest first. */
static int l_facts(lua_State *L)
{
	struct kb_lua *lua = firing_lua(L, "facts");
	int kind = kb_kind_find(lua->eng, luaL_checkstring(L, 1));
	if (kind < 0)
		return luaL_error(L, "unknown fact kind '%s'", lua_tostring(L, 1));
	/* reads.c keeps the kinds rule files name; this one was reached another way */
	if (kb_prefilter_skipped(lua->eng, kind))
		return luaL_error(L, "kb.facts: the pre-filter left out %s facts no rule matches, as no rule "
				  "file reads them as kb.facts(\"%s\"); write it so, or run with --no-prefilter",
				  lua_tostring(L, 1), lua_tostring(L, 1));
	lua_newtable(L);
	lua_Integer n = 0;
	for (uint32_t id = 1; id <= kb_fact_count(lua->eng); id++) {
		const struct kb_fact *f = kb_fact_get(lua->eng, id);
		if (f->live && f->kind == kind) {
			kbl_push_fact(L, f);
			lua_rawseti(L, -2, ++n);
		}
	}
	return 1;
}

void kbl_api_register(lua_State *L, int env)
{
	static const luaL_Reg api[] = {
		{"assert", l_assert}, {"retract", l_retract}, {"modify", l_modify}, {"halt", l_halt},
		{"diagnose", l_diagnose}, {"facts", l_facts}, {NULL, NULL},
	};
	luaL_newlib(L, api);
	lua_setfield(L, env, "kb");
}
