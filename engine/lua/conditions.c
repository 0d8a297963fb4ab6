/*
 * conditions.c — a rule's `when` list into the core's conditions: each
 * pattern's slots into tests, ?variables into numbered variables, no() and
 * exists() into negated and existential conditions, test() into a
 * predicate over the variables bound before it, any_of { ... } into a
 * choice of those.
 */
#include <stdlib.h>
#include <string.h>

#include "translate.h"
#include "utf8.h"
#include "xalloc.h"

#define MAX_TESTS 256

int kbl_build_fail(struct builder *b, const char *where, const char *fmt, const char *a, const char *c)
{
	char msg[512];
	snprintf(msg, sizeof(msg), fmt, a, c);
	kbl_diag(b->lua, KB_DIAG_ERROR, where ? where : b->where, "rule %s: %s", b->r->info.id, msg);
	return -1;
}

void *kbl_build_own(struct builder *b, size_t n, size_t size)
{
	if (b->nowned == sizeof(b->owned) / sizeof(b->owned[0])) {
		kbl_build_fail(b, NULL, "too many patterns, sets and tests in one rule%s%s", "", "");
		return NULL;
	}
	return b->owned[b->nowned++] = kbu_calloc(n, size);
}

const char *kbl_build_intern(struct kb_lua *lua, const char *s)
{
	return s ? kb_intern_cstr(lua->eng, s) : NULL;
}

int kbl_build_var(struct builder *b, const char *name, size_t len)
{
	for (size_t i = 0; i < b->nvars; i++)
		if (strlen(b->vars[i]) == len && memcmp(b->vars[i], name, len) == 0) {
			b->uses[i]++;
			return (int)i;
		}
	if (b->nvars == KBL_MAX_VARS)
		return -1;
	b->vars[b->nvars] = kb_intern(b->lua->eng, name, len);
	b->var_cond[b->nvars] = -1;
	b->uses[b->nvars] = 1;
	b->var_where[b->nvars] = b->cur_where ? b->cur_where : b->where;
	b->var_type[b->nvars] = KB_NIL;
	return (int)b->nvars++;
}

/* "file:line" of the record or pattern table at idx.  [-0, +0, -] */
void kbl_where_of(lua_State *L, int idx, char *buf, size_t n)
{
	idx = lua_absindex(L, idx);
	lua_getfield(L, idx, "file");
	lua_getfield(L, idx, "line");
	const char *file = lua_isstring(L, -2) ? lua_tostring(L, -2) : "?";
	size_t size = strlen(file) + 16;
	char *place = kbu_malloc(size);
	snprintf(place, size, "%s:%d", file, (int)lua_tointeger(L, -1));
	kbu_utf8_keep_end(buf, n, place); /* a long path keeps its file name and line */
	free(place);
	lua_pop(L, 2);
}

/* ---- slot values into tests --------------------------------------------------- */

struct tests {
	size_t n;
	struct kb_test v[MAX_TESTS];
};

static int operand(struct builder *b, int idx, struct kb_test *t)
{
	lua_State *L = b->lua->L;
	size_t len;
	if (lua_type(L, idx) == LUA_TSTRING) {
		const char *s = lua_tolstring(L, idx, &len);
		if (kbl_is_var(s, len)) {
			t->operand = KB_OPERAND_VAR;
			return (t->var = kbl_build_var(b, s, len)) < 0 ? -1 : 0;
		}
	}
	t->operand = KB_OPERAND_CONST;
	return kbl_to_value(b->lua, idx, KB_NIL, &t->value) ? 0 : -1;
}

static struct kbl_pred *new_pred(struct builder *b, int fn_idx, const char *where, size_t nvars)
{
	struct kb_lua *lua = b->lua;
	struct kbl_pred *p = kbu_calloc(1, sizeof(*p));
	lua->preds = kbu_realloc(lua->preds, lua->npreds + 1, sizeof(*lua->preds));
	lua->preds[lua->npreds++] = p;
	p->lua = lua;
	p->rule = b->r;
	p->where = kbl_build_intern(lua, where);
	lua_pushvalue(lua->L, fn_idx);
	p->ref = luaL_ref(lua->L, LUA_REGISTRYINDEX);
	p->nvars = nvars;
	return p;
}

static int add_tests(struct builder *b, struct tests *ts, int slot, int idx, const char *where);

static int constraint_tests(struct builder *b, struct tests *ts, int slot, int idx, const char *where)
{
	static const struct { const char *name; enum kb_op op; } ops[] = {
		{"ci", KB_OP_CI_EQ}, {"ne", KB_OP_NE}, {"lt", KB_OP_LT}, {"le", KB_OP_LE},
		{"gt", KB_OP_GT}, {"ge", KB_OP_GE}, {"match", KB_OP_MATCH}, {"lit", KB_OP_EQ},
		{"one_of", KB_OP_IN},
	};
	lua_State *L = b->lua->L;
	lua_getfield(L, idx, "op");
	lua_getfield(L, idx, "value");
	const char *op = lua_tostring(L, -2);
	int vi = lua_gettop(L);
	struct kb_test *t = &ts->v[ts->n];
	memset(t, 0, sizeof(*t));
	t->slot = slot;
	int rc = -1;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (strcmp(op, ops[i].name) != 0)
			continue;
		t->op = ops[i].op;
		if (t->op == KB_OP_IN) {
			size_t n = lua_rawlen(L, vi);
			struct kb_value *set = kbl_build_own(b, n, sizeof(*set));
			rc = set ? 0 : -1;
			for (size_t k = 0; rc == 0 && k < n; k++) {
				lua_rawgeti(L, vi, (lua_Integer)k + 1);
				if (!kbl_to_value(b->lua, -1, KB_NIL, &set[k]))
					rc = kbl_build_fail(b, where, "one_of holds a value that is not a string, number or boolean%s%s", "", "");
				lua_pop(L, 1);
			}
			t->operand = KB_OPERAND_SET;
			t->set = set;
			t->nset = n;
		} else if (t->op == KB_OP_MATCH || strcmp(op, "lit") == 0) {
			t->operand = KB_OPERAND_CONST;
			rc = kbl_to_value(b->lua, vi, KB_NIL, &t->value) ? 0 : -1;
		} else if ((rc = operand(b, vi, t)) == 0 && t->operand == KB_OPERAND_VAR && b->partly[t->var]) {
			rc = kbl_build_fail(b, where, "%s is bound by only some choices of any_of (%s), so it cannot be "
					    "compared here: bind it in every choice, or compare inside the choices",
					    b->vars[t->var], b->partly[t->var]);
		}
		break;
	}
	lua_pop(L, 2);
	if (rc == 0)
		ts->n++;
	return rc;
}

static int add_tests(struct builder *b, struct tests *ts, int slot, int idx, const char *where)
{
	lua_State *L = b->lua->L;
	idx = lua_absindex(L, idx);
	if (ts->n == MAX_TESTS)
		return kbl_build_fail(b, where, "too many tests in one pattern%s%s", "", "");
	if (lua_type(L, idx) == LUA_TTABLE && kbl_is(L, idx, &kbl_key_mt_constraint))
		return constraint_tests(b, ts, slot, idx, where);
	if (lua_type(L, idx) == LUA_TTABLE && kbl_is(L, idx, &kbl_key_mt_test)) {
		lua_getfield(L, idx, "fn");
		struct kbl_pred *p = new_pred(b, -1, where, 0);
		p->on_slot = true;
		lua_pop(L, 1);
		ts->v[ts->n++] = (struct kb_test){.slot = slot, .op = KB_OP_PRED, .operand = KB_OPERAND_NONE,
						  .pred = {.fn = kbl_pred_call, .ud = p}};
		return 0;
	}
	if (lua_type(L, idx) == LUA_TTABLE && !lua_getmetatable(L, idx)) {
		for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, idx); i++) {
			lua_rawgeti(L, idx, i);
			int rc = add_tests(b, ts, slot, -1, where);
			lua_pop(L, 1);
			if (rc < 0)
				return -1;
		}
		return 0;
	}
	if (lua_type(L, idx) == LUA_TTABLE) {
		lua_pop(L, 1); /* the metatable */
		return kbl_build_fail(b, where, "a pattern or condition cannot be a slot's value%s%s", "", "");
	}
	struct kb_test *t = &ts->v[ts->n];
	memset(t, 0, sizeof(*t));
	t->slot = slot;
	t->op = KB_OP_EQ;
	if (operand(b, idx, t) < 0)
		return kbl_build_fail(b, where, "a slot's value must be a string, number, boolean or test, not %s%s",
			    luaL_typename(L, idx), "");
	ts->n++;
	return 0;
}

/* Bindings before other tests, so `{a = "?x", b = gt("?x")}` works in any
 * order; then by slot, so equal patterns share network nodes. */
static int test_rank(const struct kb_test *t)
{
	return (t->op == KB_OP_EQ && t->operand == KB_OPERAND_VAR) ? 0 : 1;
}

static void sort_tests(struct kb_test *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct kb_test x = v[i];
		size_t j = i;
		while (j > 0 && (test_rank(&v[j - 1]) > test_rank(&x) ||
				 (test_rank(&v[j - 1]) == test_rank(&x) && v[j - 1].slot > x.slot))) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

/* ---- conditions ------------------------------------------------------------------ */

static int slot_error(struct builder *b, const char *where, int kind, const char *name)
{
	char list[384] = "";
	size_t n = kb_kind_nslots(b->lua->eng, kind);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(list);
		snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "", kb_kind_slot(b->lua->eng, kind, i)->name);
	}
	char msg[128];
	snprintf(msg, sizeof(msg), "%s has no slot '%s'", kb_kind_name(b->lua->eng, kind), name);
	return kbl_build_fail(b, where, "%s (its slots: %s)", msg, list);
}

static int pattern_slots(struct builder *b, int idx, int kind, const char *where, struct tests *ts,
			 int *fact_var)
{
	lua_State *L = b->lua->L;
	lua_getfield(L, idx, "slots");
	int st = lua_gettop(L);
	lua_pushnil(L);
	while (lua_next(L, st)) {
		const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
		int rc = 0;
		if (!key) {
			rc = kbl_build_fail(b, where, "pattern fields are named slots, as in { port = 110 }%s%s", "", "");
		} else if (strcmp(key, "as") == 0) {
			size_t len;
			const char *v = lua_tolstring(L, -1, &len);
			if (lua_type(L, -1) != LUA_TSTRING || !kbl_is_var(v, len))
				rc = kbl_build_fail(b, where, "as = names the fact with a variable, as in as = \"?f\"%s%s", "", "");
			else if ((*fact_var = kbl_build_var(b, v, len)) < 0)
				rc = -1;
		} else {
			int slot = kb_slot_find(b->lua->eng, kind, key);
			rc = slot < 0 ? slot_error(b, where, kind, key) : add_tests(b, ts, slot, -1, where);
		}
		lua_pop(L, 1);
		if (rc < 0) {
			lua_settop(L, st - 1);
			return -1;
		}
	}
	lua_pop(L, 1);
	return 0;
}

bool kbl_types_meet(enum kb_type a, enum kb_type b)
{
	bool an = a == KB_INT || a == KB_FLOAT, bn = b == KB_INT || b == KB_FLOAT;
	return a == b || (an && bn) || a == KB_NIL || b == KB_NIL;
}

/* A variable compared with slots of different types never matches; only
 * `rules check` says so (the engine compares such values by type). */
static int check_joins(struct builder *b, int kind, const char *where, const struct tests *ts)
{
	for (size_t i = 0; i < ts->n; i++) {
		const struct kb_test *t = &ts->v[i];
		if (t->operand != KB_OPERAND_VAR)
			continue;
		const struct kb_slot_decl *sd = kb_kind_slot(b->lua->eng, kind, (size_t)t->slot);
		enum kb_type *vt = &b->var_type[t->var];
		if (*vt == KB_NIL && t->op == KB_OP_EQ) {
			*vt = sd->type;
		} else if (b->lua->lint && !kbl_types_meet(*vt, sd->type)) {
			char msg[300];
			snprintf(msg, sizeof(msg), "%s is bound to %s values but slot %s.%s holds %ss", b->vars[t->var],
				 kb_type_name(*vt), kb_kind_name(b->lua->eng, kind), sd->name, kb_type_name(sd->type));
			return kbl_build_fail(b, where, "%s: this pattern never matches%s", msg, "");
		}
	}
	return 0;
}

/* The pattern at idx into *c, condition number `at`. */
static int add_pattern(struct builder *b, int idx, enum kb_cond_type type, struct kb_cond *c, size_t at)
{
	lua_State *L = b->lua->L;
	char where[256];
	kbl_where_of(L, idx, where, sizeof(where));
	lua_getfield(L, idx, "kind");
	const char *kname = lua_tostring(L, -1);
	int kind = kb_kind_find(b->lua->eng, kname);
	lua_pop(L, 1);
	if (kind < 0)
		return kbl_build_fail(b, where, "unknown fact kind '%s'%s", kname, "");
	/* on the stack, and only the tests made copied out: a zeroed heap
	 * block of MAX_TESTS per pattern cost more than the rest of the build */
	struct tests ts;
	ts.n = 0;
	int fact_var = -1;
	b->cur_where = kbl_build_intern(b->lua, where);
	int rc = pattern_slots(b, idx, kind, where, &ts, &fact_var);
	b->cur_where = NULL;
	if (rc < 0)
		return -1;
	if (fact_var >= 0 && type != KB_COND_PATTERN)
		return kbl_build_fail(b, where, "no() and exists() match no particular fact: 'as' cannot name one%s%s", "", "");
	sort_tests(ts.v, ts.n);
	if (check_joins(b, kind, where, &ts) < 0)
		return -1;
	struct kb_test *tests = kbl_build_own(b, ts.n, sizeof(*tests));
	if (!tests)
		return -1;
	memcpy(tests, ts.v, ts.n * sizeof(*tests));
	*c = (struct kb_cond){.type = type, .kind = kind, .ntests = ts.n, .tests = tests,
			      .fact_var = fact_var, .where = kbl_build_intern(b->lua, where)};
	if (type == KB_COND_PATTERN) {
		for (size_t i = 0; i < ts.n; i++)
			if (ts.v[i].op == KB_OP_EQ && ts.v[i].operand == KB_OPERAND_VAR) {
				b->bound[ts.v[i].var] = true;
				b->partly[ts.v[i].var] = NULL; /* a join binds it where a choice did not */
			}
		if (fact_var >= 0) {
			b->bound[fact_var] = true;
			b->var_cond[fact_var] = (int)at;
		}
	}
	return 0;
}

static int add_test_cond(struct builder *b, int idx, struct kb_cond *c)
{
	lua_State *L = b->lua->L;
	char where[256];
	kbl_where_of(L, idx, where, sizeof(where));
	size_t n = 0;
	int *vars = kbl_build_own(b, b->nvars, sizeof(int));
	if (!vars)
		return -1;
	for (size_t v = 0; v < b->nvars; v++)
		if (b->bound[v] && b->var_cond[v] < 0)
			vars[n++] = (int)v;
	lua_getfield(L, idx, "fn");
	struct kbl_pred *p = new_pred(b, -1, where, n);
	lua_pop(L, 1);
	p->var_names = kbu_calloc(n, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		p->var_names[i] = b->vars[vars[i]] + 1;
	*c = (struct kb_cond){.type = KB_COND_TEST, .fact_var = -1,
		.pred = {.fn = kbl_pred_call, .ud = p, .nvars = n, .vars = vars}, .where = p->where};
	return 0;
}

/* A pattern, no(), exists() or test() at c into *out, condition number
 * `at`; 1 when it is none of those.  [-0, +0, m] */
static int add_simple(struct builder *b, int c, struct kb_cond *out, size_t at)
{
	lua_State *L = b->lua->L;
	if (kbl_is(L, c, &kbl_key_mt_pattern))
		return add_pattern(b, c, KB_COND_PATTERN, out, at);
	if (kbl_is(L, c, &kbl_key_mt_not) || kbl_is(L, c, &kbl_key_mt_exists)) {
		enum kb_cond_type type = kbl_is(L, c, &kbl_key_mt_not) ? KB_COND_NOT : KB_COND_EXISTS;
		lua_getfield(L, c, "pattern");
		int rc = add_pattern(b, lua_gettop(L), type, out, at);
		lua_pop(L, 1);
		return rc;
	}
	if (kbl_is(L, c, &kbl_key_mt_test))
		return add_test_cond(b, c, out);
	return 1;
}

/* any_of { ... } at c into *out.  Each choice is built from the variables
 * bound before the any_of; after it a variable is bound if some choice
 * binds it, and `partly` if not every choice does.  [-0, +0, m] */
static int add_any(struct builder *b, int c, struct kb_cond *out, size_t at)
{
	lua_State *L = b->lua->L;
	char where[256];
	kbl_where_of(L, c, where, sizeof(where));
	lua_getfield(L, c, "choices");
	int list = lua_gettop(L);
	size_t n = lua_rawlen(L, list);
	if (n < 2 || n > KB_MAX_CHOICES) {
		lua_pop(L, 1);
		return kbl_build_fail(b, where, "any_of takes 2 to 8 conditions, as in any_of { event { id = 7023 }, "
				      "sc { state = \"stopped\" } }%s%s", "", "");
	}
	struct kb_cond *choices = kbl_build_own(b, n, sizeof(*choices));
	if (!choices) {
		lua_pop(L, 1);
		return -1;
	}
	bool before[KBL_MAX_VARS], some[KBL_MAX_VARS] = {false}, every[KBL_MAX_VARS];
	const char *partly[KBL_MAX_VARS];
	memcpy(before, b->bound, sizeof(before));
	memcpy(partly, b->partly, sizeof(partly));
	memset(every, true, sizeof(every));
	int rc = 0;
	for (size_t k = 0; rc == 0 && k < n; k++) {
		memcpy(b->bound, before, sizeof(before));
		memcpy(b->partly, partly, sizeof(partly));
		lua_rawgeti(L, list, (lua_Integer)k + 1);
		int ch = lua_gettop(L);
		if (kbl_is(L, ch, &kbl_key_mt_any)) {
			rc = kbl_build_fail(b, where, "any_of cannot hold another any_of: list every choice in one%s%s", "", "");
		} else if ((rc = add_simple(b, ch, &choices[k], at)) == 1) {
			char num[16];
			snprintf(num, sizeof(num), "%zu", k + 1);
			rc = kbl_build_fail(b, where, "choice %s of any_of is a %s, not a pattern, no(), exists() or test()",
					    num, luaL_typename(L, ch));
		} else if (rc == 0 && choices[k].fact_var >= 0) {
			rc = kbl_build_fail(b, choices[k].where, "a choice of any_of cannot name its fact with as = (the "
					    "choices match different facts): match the fact outside any_of%s%s", "", "");
		}
		lua_settop(L, ch - 1);
		for (size_t v = 0; v < KBL_MAX_VARS; v++) {
			bool bound = b->bound[v] && !before[v];
			some[v] = some[v] || bound;
			every[v] = every[v] && bound;
		}
	}
	lua_pop(L, 1);
	if (rc < 0)
		return -1;
	const char *place = kbl_build_intern(b->lua, where);
	memcpy(b->partly, partly, sizeof(partly));
	for (size_t v = 0; v < b->nvars; v++) {
		b->bound[v] = before[v] || some[v];
		if (some[v] && !every[v])
			b->partly[v] = place;
	}
	*out = (struct kb_cond){.type = KB_COND_ANY, .fact_var = -1, .nchoices = n, .choices = choices, .where = place};
	return 0;
}

int kbl_build_conditions(struct builder *b, int when)
{
	lua_State *L = b->lua->L;
	size_t n = lua_rawlen(L, when);
	if (n == 0)
		return kbl_build_fail(b, NULL, "'when' needs at least one pattern%s%s", "", "");
	for (size_t i = 1; i <= n; i++) {
		if (b->nconds == KB_MAX_CONDS)
			return kbl_build_fail(b, NULL, "more than 64 conditions%s%s", "", "");
		lua_rawgeti(L, when, (lua_Integer)i);
		int c = lua_gettop(L);
		struct kb_cond *cond = &b->conds[b->nconds];
		int rc = kbl_is(L, c, &kbl_key_mt_any) ? add_any(b, c, cond, b->nconds) : add_simple(b, c, cond, b->nconds);
		if (rc == 1) {
			char num[16];
			snprintf(num, sizeof(num), "%zu", i);
			rc = kbl_build_fail(b, NULL, "condition %s of 'when' is a %s, not a pattern, no(), exists(), test() "
					    "or any_of", num, luaL_typename(L, c));
		}
		lua_settop(L, c - 1);
		if (rc < 0)
			return -1;
		b->nconds++;
	}
	return 0;
}
