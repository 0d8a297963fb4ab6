/*
 * translate.c — from the records rule files left (dsl.c) to the core, in
 * this order: strategy, every kind, the rules, the knowledge facts.  Rules
 * come before facts so that knowledge propagates through the finished
 * network.  A declaration that does not translate is reported with the
 * file:line of the part that is wrong and skipped; the others go on.  Of
 * two rules with one id the later wins, and says which one it replaced.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "translate.h"
#include "xalloc.h"

/* ---- message templates ----------------------------------------------------------- */

/* A variable is '?', a letter or '_', then letters, digits and '_': it
 * ends at the first other character, so "?pid)" and "?pid-x" name ?pid.
 * "??" is a literal '?' (the only way to write "?word" that is not a
 * variable; a lone '?' before anything else is literal anyway). */
static size_t template_part(const char *s, size_t i, size_t len, bool *var)
{
	size_t j = i + 1;
	*var = s[i] == '?' && j < len && kbl_ident_char(s[j]) && !(s[j] >= '0' && s[j] <= '9');
	if (s[i] == '?' && j < len && s[j] == '?')
		return j + 1;
	if (*var)
		while (j < len && kbl_ident_char(s[j]))
			j++;
	else
		while (j < len && s[j] != '?')
			j++;
	return j;
}

static int parse_template(struct builder *b, const char *s, const char *what, struct kbl_template *t)
{
	size_t len = strlen(s), cap = 4;
	t->parts = kbu_calloc(cap, sizeof(*t->parts));
	for (size_t i = 0; i < len;) {
		bool var;
		size_t j = template_part(s, i, len, &var);
		if (t->nparts == cap)
			t->parts = kbu_realloc(t->parts, cap *= 2, sizeof(*t->parts));
		struct kbl_part *p = &t->parts[t->nparts++];
		if (var) {
			int v = kbl_build_var(b, s + i, j - i);
			if (v < 0 || !b->bound[v]) {
				char name[128];
				snprintf(name, sizeof(name), "%.*s", (int)(j - i), s + i);
				free(t->parts); /* the caller does not keep a template that failed */
				*t = (struct kbl_template){0};
				return kbl_build_fail(b, NULL, "%s in the %s is not bound by any pattern", name, what);
			}
			*p = (struct kbl_part){NULL, 0, v};
		} else {
			/* "??" keeps one '?' */
			size_t n = j - i == 2 && s[i] == '?' && s[i + 1] == '?' ? 1 : j - i;
			*p = (struct kbl_part){kb_intern(b->lua->eng, s + i, n), n, -1};
		}
		i = j;
	}
	return 0;
}

/* A string template, a Lua function, or nothing.  [-0, +0, m] */
static int message_part(struct builder *b, int body, const char *field, struct kbl_template *t,
			int *ref, const char **text)
{
	lua_State *L = b->lua->L;
	*ref = LUA_NOREF;
	lua_getfield(L, body, field);
	int rc = 0;
	if (lua_type(L, -1) == LUA_TSTRING) {
		*text = kbl_build_intern(b->lua, lua_tostring(L, -1));
		rc = parse_template(b, lua_tostring(L, -1), field, t);
	} else if (lua_type(L, -1) == LUA_TFUNCTION) {
		*ref = luaL_ref(L, LUA_REGISTRYINDEX);
		return 0;
	} else if (!lua_isnil(L, -1)) {
		rc = kbl_build_fail(b, NULL, "'%s' must be a string or a function%s", field, "");
	}
	lua_pop(L, 1);
	return rc;
}

/* ---- assert = { kind { slot = value | "?var" | "text with ?var" } } ------------------ */

static int slot_template(struct builder *b, int kind, const char *where, struct kbl_slot_template *st)
{
	lua_State *L = b->lua->L;
	enum kb_type type = kb_kind_slot(b->lua->eng, kind, (size_t)st->slot)->type;
	size_t len;
	const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
	if (s && kbl_is_var(s, len)) {
		st->type = KBL_VAR;
		st->var = kbl_build_var(b, s, len);
		if (st->var < 0 || !b->bound[st->var])
			return kbl_build_fail(b, where, "%s is not bound by any pattern%s", s, "");
		return 0;
	}
	if (s && strchr(s, '?') && type == KB_STRING) {
		st->type = KBL_TEXT;
		return parse_template(b, s, "asserted fact", &st->text);
	}
	st->type = KBL_CONST;
	if (!kbl_to_value(b->lua, -1, type, &st->value))
		return kbl_build_fail(b, where, "slot %s holds %ss", kb_kind_slot(b->lua->eng, kind, (size_t)st->slot)->name,
				      kb_type_name(type));
	return 0;
}

/* Slot assignments from the table at idx (string keys; others skipped). */
static int slot_values(struct builder *b, int idx, const char *where, struct kbl_fact_template *ft)
{
	lua_State *L = b->lua->L;
	size_t nslots = kb_kind_nslots(b->lua->eng, ft->kind);
	ft->slots = kbu_calloc(nslots + 1, sizeof(*ft->slots));
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_type(L, -2) != LUA_TSTRING) {
			lua_pop(L, 1);
			continue;
		}
		const char *key = lua_tostring(L, -2);
		int slot = kb_slot_find(b->lua->eng, ft->kind, key);
		struct kbl_slot_template *s = &ft->slots[ft->nslots];
		int rc = slot < 0 || ft->nslots == nslots
			? kbl_build_fail(b, where, "%s has no slot '%s'", kb_kind_name(b->lua->eng, ft->kind), key)
			: (s->slot = slot, slot_template(b, ft->kind, where, s));
		lua_pop(L, 1);
		if (rc < 0) {
			lua_pop(L, 1);
			return -1;
		}
		ft->nslots++;
	}
	return 0;
}

/* assert = { kind { slot = value, ... }, ... } */
static int fact_template(struct builder *b, int idx, struct kbl_fact_template *ft)
{
	lua_State *L = b->lua->L;
	char where[256];
	kbl_where_of(L, idx, where, sizeof(where));
	ft->cond = -1;
	if (!kbl_is(L, idx, &kbl_key_mt_pattern))
		return kbl_build_fail(b, NULL, "'assert' holds facts to make, such as { bind_failure { port = \"?port\" } }%s%s", "", "");
	lua_getfield(L, idx, "kind");
	ft->kind = kb_kind_find(b->lua->eng, lua_tostring(L, -1));
	if (ft->kind < 0)
		return kbl_build_fail(b, where, "unknown fact kind '%s'%s", lua_tostring(L, -1), "");
	lua_pop(L, 1);
	lua_getfield(L, idx, "slots");
	int rc = slot_values(b, lua_gettop(L), where, ft);
	lua_pop(L, 1);
	return rc;
}

/* The condition whose fact the fact variable at idx ("?f") names. */
static int fact_var_cond(struct builder *b, int idx, const char *what)
{
	size_t len;
	const char *s = lua_type(b->lua->L, idx) == LUA_TSTRING ? lua_tolstring(b->lua->L, idx, &len) : NULL;
	int v = s && kbl_is_var(s, len) ? kbl_build_var(b, s, len) : -1;
	if (v < 0 || b->var_cond[v] < 0)
		return kbl_build_fail(b, NULL, "%s names facts by their variables, bound with as = \"?f\" in a pattern%s",
				      what, "");
	return b->var_cond[v];
}

/* modify = { { "?f", slot = value, ... }, ... } */
static int modify_template(struct builder *b, int idx, struct kbl_fact_template *ft)
{
	lua_State *L = b->lua->L;
	lua_rawgeti(L, idx, 1);
	ft->cond = fact_var_cond(b, -1, "'modify'");
	lua_pop(L, 1);
	if (ft->cond < 0)
		return -1;
	ft->kind = b->conds[ft->cond].kind;
	return slot_values(b, idx, b->where, ft);
}

/* field = { item, ... }: each item made by one() into v[i]. */
static int action_list(struct builder *b, int body, const char *field, size_t size, void **v, size_t *n,
		       int (*one)(struct builder *, int, void *))
{
	lua_State *L = b->lua->L;
	lua_getfield(L, body, field);
	int a = lua_gettop(L), rc = 0;
	if (!lua_isnil(L, a)) {
		size_t len = lua_type(L, a) == LUA_TTABLE ? lua_rawlen(L, a) : 0;
		if (len == 0 || kbl_is(L, a, &kbl_key_mt_pattern))
			rc = kbl_build_fail(b, NULL, "'%s' is a list: %s = { ..., ... }", field, field);
		else
			*v = kbu_calloc(len, size);
		for (size_t i = 1; rc == 0 && i <= len; i++) {
			lua_rawgeti(L, a, (lua_Integer)i);
			rc = one(b, lua_gettop(L), (char *)*v + (*n)++ * size);
			lua_settop(L, a);
		}
	}
	lua_settop(L, a - 1);
	return rc;
}

static int one_assert(struct builder *b, int idx, void *out) { return fact_template(b, idx, out); }

static int one_modify(struct builder *b, int idx, void *out)
{
	if (lua_type(b->lua->L, idx) != LUA_TTABLE)
		return kbl_build_fail(b, NULL, "'modify' lists changes: modify = { { \"?f\", slot = value }, ... }%s%s", "", "");
	return modify_template(b, idx, out);
}

static int one_retract(struct builder *b, int idx, void *out)
{
	int c = fact_var_cond(b, idx, "'retract'");
	*(int *)out = c;
	return c < 0 ? -1 : 0;
}

static int fact_templates(struct builder *b, int body)
{
	struct kbl_rule *r = b->r;
	return action_list(b, body, "assert", sizeof(*r->asserts), (void **)&r->asserts, &r->nasserts, one_assert) < 0 ||
	       action_list(b, body, "modify", sizeof(*r->modifies), (void **)&r->modifies, &r->nmodifies, one_modify) < 0 ||
	       action_list(b, body, "retract", sizeof(*r->retracts), (void **)&r->retracts, &r->nretracts, one_retract) < 0
		? -1 : 0;
}

/* ---- rule metadata ------------------------------------------------------------------ */

static const char *const rule_fields[] = {
	"article", "title", "severity", "salience", "products", "remedy", "when", "diagnose",
	"assert", "modify", "retract", "action", NULL,
};

static int check_fields(struct builder *b, int body)
{
	lua_State *L = b->lua->L;
	lua_pushnil(L);
	while (lua_next(L, body)) {
		lua_pop(L, 1);
		const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
		size_t i = 0;
		while (k && rule_fields[i] && strcmp(rule_fields[i], k) != 0)
			i++;
		if (!k || !rule_fields[i]) {
			int rc = kbl_build_fail(b, NULL, "unknown field '%s' (fields: article, title, severity, salience, "
					     "products, remedy, when, diagnose, assert, modify, retract, action)%s", k ? k : "?", "");
			lua_pop(L, 1);
			return rc;
		}
	}
	return 0;
}

static int string_field(struct builder *b, int body, const char *field, const char **out)
{
	lua_State *L = b->lua->L;
	lua_getfield(L, body, field);
	int rc = 0;
	if (lua_type(L, -1) == LUA_TSTRING)
		*out = kbl_build_intern(b->lua, lua_tostring(L, -1));
	else if (!lua_isnil(L, -1))
		rc = kbl_build_fail(b, NULL, "'%s' must be a string%s", field, "");
	lua_pop(L, 1);
	return rc;
}

static int products(struct builder *b, int body)
{
	lua_State *L = b->lua->L;
	lua_getfield(L, body, "products");
	int p = lua_gettop(L), rc = 0;
	if (lua_type(L, p) == LUA_TSTRING) {
		const char **v = kbu_calloc(1, sizeof(*v));
		v[0] = kbl_build_intern(b->lua, lua_tostring(L, p));
		b->r->info.products = v;
		b->r->info.nproducts = 1;
	} else if (lua_type(L, p) == LUA_TTABLE) {
		size_t n = lua_rawlen(L, p);
		const char **v = kbu_calloc(n ? n : 1, sizeof(*v));
		b->r->info.products = v;
		for (size_t i = 1; i <= n && rc == 0; i++) {
			lua_rawgeti(L, p, (lua_Integer)i);
			if (lua_type(L, -1) != LUA_TSTRING)
				rc = kbl_build_fail(b, NULL, "'products' is a list of names%s%s", "", "");
			else
				v[b->r->info.nproducts++] = kbl_build_intern(b->lua, lua_tostring(L, -1));
			lua_pop(L, 1);
		}
	} else if (!lua_isnil(L, p)) {
		rc = kbl_build_fail(b, NULL, "'products' is a list of names%s%s", "", "");
	}
	lua_settop(L, p - 1);
	return rc;
}

static int metadata(struct builder *b, int body)
{
	struct kb_rule_info *info = &b->r->info;
	lua_State *L = b->lua->L;
	if (check_fields(b, body) < 0 || string_field(b, body, "article", &info->article) < 0 ||
	    string_field(b, body, "title", &info->title) < 0 ||
	    string_field(b, body, "severity", &info->severity) < 0 || products(b, body) < 0)
		return -1;
	if (info->severity && strcmp(info->severity, "error") != 0 && strcmp(info->severity, "warning") != 0 &&
	    strcmp(info->severity, "info") != 0)
		return kbl_build_fail(b, NULL, "severity is \"error\", \"warning\" or \"info\", not \"%s\"%s", info->severity, "");
	lua_getfield(L, body, "salience");
	int isnum = 0;
	lua_Integer sal = lua_tointegerx(L, -1, &isnum);
	bool bad = !lua_isnil(L, -1) && (!isnum || sal < -100000 || sal > 100000);
	lua_pop(L, 1);
	if (bad)
		return kbl_build_fail(b, NULL, "salience must be an integer between -100000 and 100000%s%s", "", "");
	info->salience = (int)sal;
	return 0;
}

static int actions(struct builder *b, int body)
{
	struct kbl_rule *r = b->r;
	lua_State *L = b->lua->L;
	const char *msg = NULL;
	if (message_part(b, body, "diagnose", &r->message, &r->ref_message, &msg) < 0 ||
	    message_part(b, body, "remedy", &r->remedy, &r->ref_remedy, &r->info.remedy) < 0 ||
	    fact_templates(b, body) < 0)
		return -1;
	r->diagnoses = msg || r->ref_message != LUA_NOREF;
	if (r->diagnoses && (!r->info.title || !r->info.severity))
		return kbl_build_fail(b, NULL, "a rule that diagnoses needs a title and a severity%s%s", "", "");
	lua_getfield(L, body, "action");
	if (lua_type(L, -1) == LUA_TFUNCTION) {
		r->ref_action = luaL_ref(L, LUA_REGISTRYINDEX);
		return 0;
	}
	bool bad = !lua_isnil(L, -1);
	lua_pop(L, 1);
	return bad ? kbl_build_fail(b, NULL, "'action' must be a function%s%s", "", "") : 0;
}

/* ---- one rule ------------------------------------------------------------------------- */

static int build(struct builder *b, int body)
{
	lua_State *L = b->lua->L;
	if (lua_type(L, body) != LUA_TTABLE)
		return kbl_build_fail(b, NULL, "a rule is a table%s%s", "", "");
	if (metadata(b, body) < 0)
		return -1;
	lua_getfield(L, body, "when");
	int when = lua_gettop(L);
	int rc = lua_type(L, when) != LUA_TTABLE || kbl_is(L, when, &kbl_key_mt_pattern)
		? kbl_build_fail(b, NULL, "'when' is a list of patterns: when = { kind { ... }, ... }%s%s", "", "")
		: kbl_build_conditions(b, when);
	lua_settop(L, when - 1);
	return rc < 0 ? -1 : actions(b, body);
}

static int add_to_engine(struct builder *b)
{
	struct kbl_rule *r = b->r;
	struct kb_rule_def def = {
		.name = r->info.id, .where = b->where, .salience = r->info.salience, .nvars = b->nvars,
		.var_names = b->vars, .nconds = b->nconds, .conds = b->conds,
		.action = kbl_rule_action, .ud = r,
	};
	r->nvars = b->nvars;
	r->var_names = kbu_calloc(b->nvars ? b->nvars : 1, sizeof(*r->var_names));
	r->var_cond = kbu_calloc(b->nvars ? b->nvars : 1, sizeof(*r->var_cond));
	for (size_t v = 0; v < b->nvars; v++) {
		r->var_names[v] = b->vars[v] + 1;
		r->var_cond[v] = b->var_cond[v];
	}
	struct kb_error err = {0};
	r->info.rule = kb_rule_add(b->lua->eng, &def, &err);
	if (!r->info.rule)
		kbl_diag(b->lua, KB_DIAG_ERROR, err.where[0] ? err.where : b->where, "rule %s: %s", r->info.id, err.msg);
	return r->info.rule ? 0 : -1;
}

static struct kbl_rule *rule_new(struct kb_lua *lua, int rec)
{
	struct kbl_rule *r = kbu_calloc(1, sizeof(*r));
	lua->rules = kbu_realloc(lua->rules, lua->nrules + 1, sizeof(*lua->rules));
	lua->rules[lua->nrules++] = r;
	r->lua = lua;
	r->ref_message = r->ref_remedy = r->ref_action = LUA_NOREF;
	lua_State *L = lua->L;
	lua_getfield(L, rec, "name");
	lua_getfield(L, rec, "file");
	lua_getfield(L, rec, "line");
	r->info.id = kbl_build_intern(lua, lua_tostring(L, -3));
	r->info.file = kbl_build_intern(lua, lua_tostring(L, -2));
	r->info.line = (int)lua_tointeger(L, -1);
	char where[300];
	snprintf(where, sizeof(where), "%s:%d", r->info.file ? r->info.file : "", r->info.line);
	r->where = kbl_build_intern(lua, where);
	lua_pop(L, 3);
	return r;
}

static int translate_rule(struct kb_lua *lua, int rec, const char *replaces)
{
	struct builder *b = kbu_calloc(1, sizeof(*b));
	struct kbl_rule *r = rule_new(lua, rec);
	b->lua = lua;
	b->r = r;
	r->info.replaces = replaces;
	kbl_where_of(lua->L, rec, b->where, sizeof(b->where));
	lua_getfield(lua->L, rec, "body");
	int rc = build(b, lua_gettop(lua->L));
	lua_pop(lua->L, 1);
	if (rc == 0)
		rc = add_to_engine(b);
	if (rc == 0 && lua->lint)
		kbl_lint_rule(b);
	for (size_t i = 0; i < b->nowned; i++)
		free(b->owned[i]);
	free(b);
	return rc;
}

/* ---- kinds and knowledge facts --------------------------------------------------------- */

static int cmp_slot(const void *a, const void *b)
{
	return strcmp(((const struct kb_slot_decl *)a)->name, ((const struct kb_slot_decl *)b)->name);
}

/* Remembers which rule file declared a kind, for `rules kinds` and for
 * the message when another file declares the name differently. */
static void add_kind_place(struct kb_lua *lua, int kind, const char *where)
{
	lua->kind_places = kbu_realloc(lua->kind_places, lua->nkind_places + 1, sizeof(*lua->kind_places));
	lua->kind_places[lua->nkind_places++] = (struct kbl_kind_place){kind, kbl_build_intern(lua, where)};
}

static bool is_identifier(const char *s)
{
	if (!(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	while (*++s)
		if (!(isalnum((unsigned char)*s) || *s == '_'))
			return false;
	return true;
}

/* The slots a rule file's kind declares always set.  A stock kind's slots
 * are its readers' to promise (none do yet), not a rule file's. */
static int declare_always(struct kb_lua *lua, int kind, const char *const *slots, size_t n, const char *where)
{
	for (size_t i = 0; i < n; i++) {
		int slot = kb_slot_find(lua->eng, kind, slots[i]);
		struct kb_error err = {0};
		if (kb_slot_always(lua->eng, kind, slot))
			continue;
		if ((size_t)kind < lua->caller_kinds || kind == lua->finding_kind) {
			kbl_diag(lua, KB_DIAG_ERROR, where, "kind %s: %s is a stock kind's slot, which its readers may "
				 "leave unset: a rule file cannot promise it is always set", kb_kind_name(lua->eng, kind), slots[i]);
			return -1;
		}
		if (kb_slot_set_always(lua->eng, kind, slot, &err) < 0) {
			kbl_diag(lua, KB_DIAG_ERROR, where, "kind %s: %s", kb_kind_name(lua->eng, kind), err.msg);
			return -1;
		}
	}
	return 0;
}

static const struct { const char *name; enum kb_type type; } slot_types[] = {
	{"string", KB_STRING}, {"integer", KB_INT}, {"float", KB_FLOAT}, {"boolean", KB_BOOL},
};

/* A slot's declaration at the top of the stack: "type", or { "type",
 * "one-line meaning" }.  Sets *type and *about (NULL: none; interned).
 * Returns NULL, or what is wrong.  [-0, +0, -] */
static const char *slot_declaration(struct kb_lua *lua, enum kb_type *type, const char **about)
{
	lua_State *L = lua->L;
	const char *type_name = NULL, *text = NULL;
	*about = NULL;
	if (lua_type(L, -1) == LUA_TSTRING) {
		type_name = lua_tostring(L, -1);
	} else if (lua_type(L, -1) == LUA_TTABLE) {
		/* exactly the two items: a misspelt key ({ "string", about = "..." })
		 * would otherwise be dropped without a word */
		int top = lua_gettop(L);
		size_t pairs = 0;
		for (lua_pushnil(L); lua_next(L, top); lua_pop(L, 1))
			pairs++;
		bool ok = pairs == 2 && lua_rawgeti(L, top, 1) == LUA_TSTRING && lua_rawgeti(L, top, 2) == LUA_TSTRING;
		type_name = ok ? lua_tostring(L, top + 1) : NULL; /* the table keeps both alive */
		text = ok ? lua_tostring(L, top + 2) : NULL;
		lua_settop(L, top);
		if (!ok)
			return "is declared \"type\" or { \"type\", \"one-line meaning\" }";
		if (!*text || strchr(text, '\n'))
			return "has a meaning that is empty or more than one line";
		*about = kbl_build_intern(lua, text);
	}
	for (size_t t = 0; type_name && t < sizeof(slot_types) / sizeof(slot_types[0]); t++)
		if (strcmp(slot_types[t].name, type_name) == 0) {
			*type = slot_types[t].type;
			return NULL;
		}
	return "has no type: slot types are \"string\", \"integer\", \"float\" or \"boolean\"";
}

/* The slot at the top of the stack, its name below it, checked into
 * *slot.  0, or -1 after a diagnostic.  [-0, +0, m] */
static int declare_slot(struct kb_lua *lua, const char *kind, const char *where, struct kb_slot_decl *slot,
			const char **about)
{
	lua_State *L = lua->L;
	const char *name = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
	const char *problem = name ? slot_declaration(lua, &slot->type, about) : NULL;
	if (!name)
		kbl_diag(lua, KB_DIAG_ERROR, where, "kind %s: slots are named: slot = \"type\"", kind);
	else if (problem)
		kbl_diag(lua, KB_DIAG_ERROR, where, "kind %s: slot '%s' %s", kind, name, problem);
	else if (!is_identifier(name))
		kbl_diag(lua, KB_DIAG_ERROR, where, "kind %s: slot '%s' is not a name (letters, digits and '_')", kind, name);
	else if (strcmp(name, "as") == 0)
		kbl_diag(lua, KB_DIAG_ERROR, where, "kind %s: 'as' names a matched fact and cannot be a slot", kind);
	else
		slot->name = kbl_build_intern(lua, name);
	return name && !problem && is_identifier(name) && strcmp(name, "as") != 0 ? 0 : -1;
}

/* Says whose kind name already is, when declaring it again failed. */
static void kind_clash(struct kb_lua *lua, int before, const char *name, const char *where)
{
	const char *first = kb_lua_kind_place(lua, before, 0);
	const char *whose = (size_t)before < lua->caller_kinds ? "(a stock kind)"
			    : before == lua->finding_kind    ? "(the kind every diagnosis asserts)"
			    : !first                         ? "(outside the rule files)"
							     : NULL;
	kbl_diag(lua, KB_DIAG_ERROR, where, "kind %s is already declared with other slots %s%s", name,
		 whose ? whose : "at ", whose ? "" : first);
}

struct described_slot {
	struct kb_slot_decl decl;
	const char *about;
};

static int cmp_described(const void *a, const void *b)
{
	return cmp_slot(&((const struct described_slot *)a)->decl, &((const struct described_slot *)b)->decl);
}

static int declare_kind(struct kb_lua *lua, int rec, const char *where)
{
	lua_State *L = lua->L;
	lua_getfield(L, rec, "name");
	lua_getfield(L, rec, "body");
	const char *name = lua_tostring(L, -2);
	const char *problem = name ? kbl_kind_name_problem(L, name) : "no name";
	if (problem) {
		kbl_diag(lua, KB_DIAG_ERROR, where, "kind '%s': %s", name ? name : "", problem);
		lua_settop(L, rec);
		return -1;
	}
	struct described_slot slots[64];
	const char *always[64];
	size_t n = 0, nalways = 0;
	int rc = 0;
	lua_pushnil(L);
	while (rc == 0 && lua_next(L, -2)) {
		if (kbl_is(L, -1, &kbl_key_mt_always)) { /* always "string" or always { "string", "meaning" }: a promise */
			lua_getfield(L, -1, "type");
			lua_replace(L, -2);
			if (lua_type(L, -2) == LUA_TSTRING && nalways < 64)
				always[nalways++] = kbl_build_intern(lua, lua_tostring(L, -2));
		}
		if (n == 64) {
			kbl_diag(lua, KB_DIAG_ERROR, where, "kind %s: more than 64 slots", name);
			rc = -1;
		} else if ((rc = declare_slot(lua, name, where, &slots[n].decl, &slots[n].about)) == 0) {
			n++;
		}
		lua_pop(L, 1);
	}
	lua_settop(L, rec);
	if (rc < 0)
		return -1;
	/* sorted by name, so that a kind reads the same whatever order its
	 * table's pairs come in */
	qsort(slots, n, sizeof(slots[0]), cmp_described);
	struct kb_slot_decl decl[64];
	for (size_t i = 0; i < n; i++)
		decl[i] = slots[i].decl;
	struct kb_error err = {0};
	int before = kb_kind_find(lua->eng, name);
	int kind = kb_kind_declare(lua->eng, name, n, decl, &err);
	if (kind < 0 && before >= 0) {
		kind_clash(lua, before, name, where);
		return -1;
	}
	if (kind < 0) {
		kbl_diag(lua, KB_DIAG_ERROR, where, "kind %s: %s", name, err.msg);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (slots[i].about)
			kb_slot_describe(lua->eng, kind, (size_t)kb_slot_find(lua->eng, kind, slots[i].decl.name),
					 slots[i].about);
	add_kind_place(lua, kind, where);
	return declare_always(lua, kind, always, nalways, where);
}

/* The values table at the top of the stack as a fact of kind.  [-0, +0, m] */
static int knowledge_fact(struct kb_lua *lua, int kind, const char *file, int line, const char *where)
{
	lua_State *L = lua->L;
	struct kb_value v[KBL_MAX_VARS];
	size_t nslots = kb_kind_nslots(lua->eng, kind);
	for (size_t i = 0; i < nslots; i++)
		v[i] = kb_nil();
	if (lua_type(L, -1) != LUA_TTABLE) {
		kbl_diag(lua, KB_DIAG_ERROR, where, "a fact is a table of slot values");
		return -1;
	}
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
		int slot = kb_slot_find(lua->eng, kind, key);
		enum kb_type want = slot >= 0 ? kb_kind_slot(lua->eng, kind, (size_t)slot)->type : KB_NIL;
		if (slot < 0 || !kbl_to_value(lua, -1, want, &v[slot])) {
			kbl_diag(lua, KB_DIAG_ERROR, where, slot < 0 ? "%s has no slot '%s'" : "%s.%s holds %ss",
				 kb_kind_name(lua->eng, kind), key, kb_type_name(want));
			lua_pop(L, 2);
			return -1;
		}
		lua_pop(L, 1);
	}
	struct kb_prov prov = {KB_ORIGIN_KNOWLEDGE, file, line, NULL, {0}};
	struct kb_error err = {0};
	if (!kb_assert(lua->eng, kind, v, &prov, NULL, &err)) {
		kbl_diag(lua, KB_DIAG_ERROR, where, "%s", err.msg);
		return -1;
	}
	return 0;
}

static int knowledge(struct kb_lua *lua, int rec, bool many, const char *where)
{
	lua_State *L = lua->L;
	lua_getfield(L, rec, "name");
	lua_getfield(L, rec, "file");
	lua_getfield(L, rec, "line");
	const char *file = lua_tostring(L, -2);
	int line = (int)lua_tointeger(L, -1);
	int kind = kb_kind_find(lua->eng, lua_tostring(L, -3));
	if (kind < 0) {
		kbl_diag(lua, KB_DIAG_ERROR, where, "unknown fact kind '%s'", lua_tostring(L, -3));
		lua_settop(L, rec);
		return -1;
	}
	lua_getfield(L, rec, "body");
	int body = lua_gettop(L), errors = 0;
	if (!many)
		errors += knowledge_fact(lua, kind, file, line, where) < 0;
	for (lua_Integer i = 1; many && i <= (lua_Integer)lua_rawlen(L, body); i++) {
		lua_rawgeti(L, body, i);
		errors += knowledge_fact(lua, kind, file, line, where) < 0;
		lua_settop(L, body);
	}
	lua_settop(L, rec);
	return errors ? -1 : 0;
}

/* ---- everything ---------------------------------------------------------------------------- */

static bool record_is(lua_State *L, int rec, const char *type)
{
	lua_getfield(L, rec, "type");
	bool yes = lua_isstring(L, -1) && strcmp(lua_tostring(L, -1), type) == 0;
	lua_pop(L, 1);
	return yes;
}

/* The id of rule record rec, or NULL when rec is not a rule.  [-0, +1, -] */
static const char *push_rule_id(lua_State *L, int rec)
{
	bool rule = record_is(L, rec, "rule");
	lua_getfield(L, rec, "name");
	return rule ? lua_tostring(L, -1) : NULL;
}

/* A table from each rule record's index to the index of the nearest later
 * rule record with the same id, found in one backward walk (a pairwise
 * search was quadratic in the number of declarations).  [-0, +1, m] */
static void push_later(lua_State *L, int decls, lua_Integer n)
{
	lua_newtable(L);
	lua_newtable(L); /* id -> the nearest record index seen so far */
	for (lua_Integer i = n; i >= 1; i--) {
		lua_rawgeti(L, decls, i);
		if (push_rule_id(L, lua_gettop(L))) {
			lua_pushvalue(L, -1);
			if (lua_rawget(L, -4) != LUA_TNIL)
				lua_rawseti(L, -5, i);
			else
				lua_pop(L, 1);
			lua_pushinteger(L, i);
			lua_rawset(L, -4);
			lua_pop(L, 1);
		} else {
			lua_pop(L, 2);
		}
	}
	lua_pop(L, 1);
}

/* Whether t[key] names a record of decls; its file:line goes to where.
 * Pops key.  [-1, +0, -] */
static bool where_of_indexed(lua_State *L, int decls, int t, char *where, size_t n)
{
	lua_rawget(L, t);
	lua_Integer j = lua_tointeger(L, -1);
	lua_pop(L, 1);
	if (j == 0)
		return false;
	lua_rawgeti(L, decls, j);
	kbl_where_of(L, -1, where, n);
	lua_pop(L, 1);
	return true;
}

static int translate_rules(struct kb_lua *lua, int decls)
{
	lua_State *L = lua->L;
	int errors = 0;
	lua_Integer n = (lua_Integer)lua_rawlen(L, decls);
	push_later(L, decls, n);
	int later = lua_gettop(L);
	lua_newtable(L); /* id -> the latest rule record index so far */
	int earlier = lua_gettop(L);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, decls, i);
		int rec = lua_gettop(L);
		char where[256], other[256];
		kbl_where_of(L, rec, where, sizeof(where));
		const char *id = push_rule_id(L, rec);
		int name = lua_gettop(L);
		if (id) {
			lua_pushinteger(L, i);
			if (where_of_indexed(L, decls, later, other, sizeof(other))) {
				kbl_diag(lua, KB_DIAG_NOTE, where, "rule %s is replaced by the one at %s", id, other);
			} else {
				lua_pushvalue(L, name);
				bool replaces = where_of_indexed(L, decls, earlier, other, sizeof(other));
				errors += translate_rule(lua, rec, replaces ? kbl_build_intern(lua, other) : NULL) < 0;
			}
			lua_pushvalue(L, name);
			lua_pushinteger(L, i);
			lua_rawset(L, earlier);
		}
		lua_settop(L, rec - 1);
	}
	lua_settop(L, later - 1);
	return errors;
}

static int translate(lua_State *L)
{
	struct kb_lua *lua = lua_touserdata(L, 1);
	int *errors = lua_touserdata(L, 2);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &kbl_key_decls);
	int decls = lua_gettop(L);
	lua_Integer n = (lua_Integer)lua_rawlen(L, decls);
	for (int pass = 0; pass < 3; pass++) {
		if (pass == 1) {
			*errors += translate_rules(lua, decls);
			continue;
		}
		for (lua_Integer i = 1; i <= n; i++) {
			lua_rawgeti(L, decls, i);
			int rec = lua_gettop(L);
			char where[256];
			kbl_where_of(L, rec, where, sizeof(where));
			if (pass == 0 && record_is(L, rec, "strategy")) {
				lua_getfield(L, rec, "name");
				kb_engine_set_strategy(lua->eng, strcmp(lua_tostring(L, -1), "lex") == 0 ? KB_LEX : KB_DEPTH);
			} else if (pass == 0 && record_is(L, rec, "kind")) {
				*errors += declare_kind(lua, rec, where) < 0;
			} else if (pass == 2 && (record_is(L, rec, "fact") || record_is(L, rec, "facts"))) {
				*errors += knowledge(lua, rec, record_is(L, rec, "facts"), where) < 0;
			}
			lua_settop(L, decls);
		}
	}
	return 0;
}

int kbl_translate_all(struct kb_lua *lua)
{
	int errors = 0;
	lua_pushcfunction(lua->L, translate);
	lua_pushlightuserdata(lua->L, lua);
	lua_pushlightuserdata(lua->L, &errors);
	if (lua_pcall(lua->L, 2, 0, 0) != LUA_OK) {
		kbl_diag(lua, KB_DIAG_ERROR, NULL, "translating rules: %s", lua_tostring(lua->L, -1));
		lua_pop(lua->L, 1);
		errors++;
	}
	return errors;
}
