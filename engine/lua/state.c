/*
 * state.c — the Lua state behind the rule language: a counting allocator
 * that enforces the memory cap, an instruction-count hook that enforces the
 * budget of each call and its wall-clock budget (loading a file, or one
 * action or predicate), and kbl_pcall(), the one way into Lua, which arms
 * the budgets, catches errors and turns them into error records with
 * file:line.
 *
 * Time is checked where it can pass unseen: in the hook, and in the
 * allocator for large blocks.  A single block is capped (a sixteenth of the
 * memory cap), so that no one VM instruction (a concatenation, a comparison
 * of two long strings) takes long; and once the heap holds large data the
 * hook runs more often, so a loop of such instructions is caught soon.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "binding.h"
#include "utf8.h"
#include "xalloc.h"

#define HOOK_STEP 1000     /* instructions between budget checks */
#define HOOK_STEP_BIG 32   /* the same once the heap holds large data */
#define BIG_HEAP (16u << 20)
#define MAX_CALL_DEPTH 10000 /* Lua's own limit (a million stack slots) is slow to reach */
#define BIG_BLOCK (64u << 10) /* allocations from this size look at the clock */

double kbl_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct kb_lua *kbl_from_state(lua_State *L)
{
	return *(struct kb_lua **)lua_getextraspace(L);
}

static void budget_hook(lua_State *L, lua_Debug *ar);

static void set_step(struct kb_lua *lua, int step)
{
	lua->hook_step = step;
	lua_sethook(lua->L, budget_hook, LUA_MASKCOUNT, step);
}

/* A refusal makes Lua raise "not enough memory"; kbl_pcall reports the
 * reason kept here. */
static void *refuse(struct kb_lua *lua, const char *why)
{
	lua_Debug ar;
	lua->refusal = why;
	lua->refusal_where[0] = '\0';
	/* reading the call stack allocates nothing ("Sl" only) */
	for (int level = 0; lua->depth > 0 && lua_getstack(lua->L, level, &ar); level++)
		if (lua_getinfo(lua->L, "Sl", &ar) && ar.currentline > 0) {
			snprintf(lua->refusal_where, sizeof(lua->refusal_where), "%s:%d", ar.short_src, ar.currentline);
			break;
		}
	return NULL;
}

static void *counting_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct kb_lua *lua = ud;
	size_t old = ptr ? osize : 0;
	if (nsize == 0) {
		free(ptr);
		lua->mem_used -= old;
		return NULL;
	}
	if (nsize > old) {
		if (lua->mem_used - old + nsize > lua->lim.memory)
			return refuse(lua, "memory"); /* Lua collects garbage and retries, then raises */
		if (nsize > lua->max_block)
			return refuse(lua, "block");
		if (lua->depth > 0 && nsize >= BIG_BLOCK) {
			if (lua->deadline > 0 && kbl_now() > lua->deadline) {
				lua->tripped = true;
				return refuse(lua, "time");
			}
			if (lua->hook_step > HOOK_STEP_BIG && lua->mem_used + nsize > BIG_HEAP)
				set_step(lua, HOOK_STEP_BIG);
		}
	}
	void *p = realloc(ptr, nsize);
	if (p)
		lua->mem_used = lua->mem_used - old + nsize;
	return p;
}

/* Raises msg at the line the hook interrupted (level 0: in a hook, the
 * running function itself). */
static int hook_error(lua_State *L, const char *msg)
{
	luaL_where(L, 0);
	lua_pushstring(L, msg);
	lua_concat(L, 2);
	return lua_error(L);
}

static void time_message(struct kb_lua *lua, char *msg, size_t n)
{
	snprintf(msg, n, "time budget of %g s exceeded", lua->budget_seconds);
}

static void budget_message(struct kb_lua *lua, char *msg, size_t n)
{
	snprintf(msg, n, "instruction budget of %llu exceeded", (unsigned long long)lua->lim.instructions);
}

/* Once a budget is spent the hook raises at every step, so a rule that
 * catches the error cannot keep running. */
static void budget_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	struct kb_lua *lua = kbl_from_state(L);
	char msg[96];
	if (lua->deadline > 0 && kbl_now() > lua->deadline) {
		lua->tripped = true;
		time_message(lua, msg, sizeof(msg));
		hook_error(L, msg);
	}
	lua_Debug deep;
	if (lua_getstack(L, MAX_CALL_DEPTH, &deep)) {
		lua->tripped = true;
		snprintf(msg, sizeof(msg), "stack overflow (calls nested more than %d deep)", MAX_CALL_DEPTH);
		hook_error(L, msg);
	}
	if (lua->budget_left <= (uint64_t)lua->hook_step) {
		lua->budget_left = 0;
		lua->tripped = true;
		budget_message(lua, msg, sizeof(msg));
		hook_error(L, msg);
	}
	lua->budget_left -= (uint64_t)lua->hook_step;
}

/* Raises msg at the nearest rule line on the stack: C functions between
 * (pcall, a library function) have none. */
static int charge_error(lua_State *L, const char *msg)
{
	lua_Debug ar;
	for (int level = 1; lua_getstack(L, level, &ar); level++) {
		if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
			lua_pushfstring(L, "%s:%d: %s", ar.short_src, ar.currentline, msg);
			return lua_error(L);
		}
	}
	lua_pushstring(L, msg);
	return lua_error(L);
}

bool kbl_take(struct kb_lua *lua, uint64_t n)
{
	if (lua->depth == 0)
		return true;
	if (lua->tripped || n >= lua->budget_left) {
		lua->budget_left = 0;
		lua->tripped = true;
		return false;
	}
	lua->budget_left -= n;
	if (n >= 256 && lua->deadline > 0 && kbl_now() > lua->deadline) {
		lua->tripped = lua->out_of_time = true;
		return false;
	}
	return true;
}

void kbl_charge(lua_State *L, uint64_t n)
{
	struct kb_lua *lua = kbl_from_state(L);
	char msg[96];
	if (kbl_take(lua, n))
		return;
	if (lua->out_of_time)
		time_message(lua, msg, sizeof(msg));
	else
		budget_message(lua, msg, sizeof(msg));
	charge_error(L, msg);
}

void kbl_diag(struct kb_lua *lua, enum kb_diag_level level, const char *where, const char *fmt, ...)
{
	lua->diags = kbu_realloc(lua->diags, lua->ndiags + 1, sizeof(*lua->diags));
	struct kb_diag *d = &lua->diags[lua->ndiags++];
	d->level = level;
	kbu_utf8_keep_end(d->where, sizeof(d->where), where ? where : "");
	va_list ap;
	va_start(ap, fmt);
	kbu_utf8_vformat(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
}

/* "rules/x.lua:12: attempt to ..." -> where "rules/x.lua:12", msg the rest. */
static void split_message(const char *m, const char *fallback, enum kb_status status, struct kb_error *err)
{
	const char *colon = strchr(m, ':');
	while (colon) {
		const char *d = colon + 1;
		while (*d >= '0' && *d <= '9')
			d++;
		if (d > colon + 1 && d[0] == ':' && d[1] == ' ') {
			char where[256];
			snprintf(where, sizeof(where), "%.*s", (int)(d - m), m);
			kb_error_set(err, status, where, "%s", d + 2);
			return;
		}
		colon = strchr(colon + 1, ':');
	}
	kb_error_set(err, status, fallback, "%s", m);
}

/* A spent budget (instructions, time, call depth, memory) is KB_EBUDGET:
 * the engine counts those against the rule (kb_rule_fail). */
static void error_of(struct kb_lua *lua, int status, const char *fallback_where, struct kb_error *err)
{
	lua_State *L = lua->L;
	const char *m = lua_tostring(L, -1);
	char msg[96];
	/* a memory error re-raised by a guard (guards.c) arrives as a runtime error */
	bool mem = status == LUA_ERRMEM || (m && strcmp(m, "not enough memory") == 0);
	enum kb_status kind = mem || lua->tripped ? KB_EBUDGET : KB_ERULE;
	if (mem && lua->refusal && lua->refusal_where[0])
		fallback_where = lua->refusal_where;
	if (!mem || !lua->refusal) {
		split_message(m ? m : "error object is not a string", fallback_where, kind, err);
	} else if (strcmp(lua->refusal, "time") == 0) {
		time_message(lua, msg, sizeof(msg));
		kb_error_set(err, kind, fallback_where, "%s", msg);
	} else if (strcmp(lua->refusal, "block") == 0) {
		kb_error_set(err, kind, fallback_where,
			     "a single block (string, table or stack) over the limit of %zu bytes, a sixteenth of the rule memory",
			     lua->max_block);
	} else {
		kb_error_set(err, kind, fallback_where, "rule memory limit of %zu bytes reached", lua->lim.memory);
	}
}

/* Nested calls (a predicate run by kb.assert inside an action) share the
 * outermost call's budgets. */
int kbl_pcall(struct kb_lua *lua, lua_CFunction fn, void *ud, double seconds,
	      const char *fallback_where, struct kb_error *err)
{
	lua_State *L = lua->L;
	int top = lua_gettop(L);
	if (lua->depth++ == 0) {
		lua->budget_left = lua->lim.instructions;
		lua->budget_seconds = seconds;
		lua->deadline = seconds > 0 ? kbl_now() + seconds : 0;
		lua->tripped = lua->out_of_time = false;
		lua->refusal = NULL;
		lua->hook_step = lua->mem_used > BIG_HEAP ? HOOK_STEP_BIG : HOOK_STEP;
		lua_sethook(L, budget_hook, LUA_MASKCOUNT, lua->hook_step);
	}
	lua_pushcfunction(L, fn);
	lua_pushlightuserdata(L, ud);
	int status = lua_pcall(L, 1, 0, 0);
	if (--lua->depth == 0) {
		lua_sethook(L, NULL, 0, 0);
		lua->deadline = 0;
	}
	if (status != LUA_OK)
		error_of(lua, status, fallback_where, err);
	lua_settop(L, top);
	return status == LUA_OK ? 0 : -1;
}

static int init_state(lua_State *L)
{
	kbl_sandbox_init(L);
	kbl_fact_mt_init(L);
	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &kbl_key_decls);
	return 0;
}

static int declare_finding(struct kb_lua *lua)
{
	static const struct kb_slot_decl slots[] = {
		{"rule", KB_STRING}, {"article", KB_STRING}, {"severity", KB_STRING},
		{"title", KB_STRING}, {"message", KB_STRING}, {"remedy", KB_STRING},
	};
	static const char *const about[] = {
		"the id of the rule that made the finding", "the KB article it encodes, if any",
		"\"error\", \"warning\" or \"info\"", "the rule's title", "the diagnosis, with its variables filled in",
		"what to do, with its variables filled in",
	};
	lua->finding_kind = kb_kind_declare(lua->eng, KB_FINDING_KIND, 6, slots, NULL);
	for (int i = 0; i < 6; i++) {
		lua->finding_slot[i] = i;
		kb_slot_describe(lua->eng, lua->finding_kind, (size_t)i, about[i]);
	}
	return lua->finding_kind;
}

struct kb_lua *kb_lua_new(struct kb_engine *eng, const struct kb_lua_limits *limits)
{
	struct kb_lua *lua = kbu_calloc(1, sizeof(*lua));
	lua->eng = eng;
	lua->caller_kinds = kb_kind_count(eng);
	lua->lim.instructions = limits && limits->instructions ? limits->instructions : KB_LUA_DEFAULT_INSTRUCTIONS;
	lua->lim.memory = limits && limits->memory ? limits->memory : KB_LUA_DEFAULT_MEMORY;
	lua->lim.load_seconds = limits && limits->load_seconds > 0 ? limits->load_seconds : KB_LUA_DEFAULT_LOAD_SECONDS;
	lua->lim.call_seconds = limits && limits->call_seconds > 0 ? limits->call_seconds : KB_LUA_DEFAULT_CALL_SECONDS;
	lua->max_block = lua->lim.memory / 16 > (1u << 20) ? lua->lim.memory / 16 : (1u << 20);
	/* a `match` test may do the work of one predicate call */
	kb_engine_set_match_steps(eng, lua->lim.instructions);
	if (declare_finding(lua) < 0 || !(lua->L = lua_newstate(counting_alloc, lua))) {
		free(lua);
		return NULL;
	}
	*(struct kb_lua **)lua_getextraspace(lua->L) = lua;
	lua_pushcfunction(lua->L, init_state);
	if (lua_pcall(lua->L, 0, 0, 0) != LUA_OK) {
		lua_close(lua->L);
		free(lua);
		return NULL;
	}
	return lua;
}

static void template_free(struct kbl_template *t)
{
	free(t->parts);
}

static void rule_free(struct kbl_rule *r)
{
	template_free(&r->message);
	template_free(&r->remedy);
	for (size_t i = 0; i < r->nasserts + r->nmodifies; i++) {
		struct kbl_fact_template *ft = i < r->nasserts ? &r->asserts[i] : &r->modifies[i - r->nasserts];
		for (size_t j = 0; j < ft->nslots; j++)
			template_free(&ft->slots[j].text);
		free(ft->slots);
	}
	free(r->asserts);
	free(r->modifies);
	free(r->retracts);
	free((void *)r->info.products);
	free(r->info.makes);
	free(r->var_names);
	free(r->var_cond);
	free(r);
}

void kb_lua_free(struct kb_lua *lua)
{
	if (!lua)
		return;
	if (lua->L)
		lua_close(lua->L);
	for (size_t i = 0; i < lua->nrules; i++)
		rule_free(lua->rules[i]);
	for (size_t i = 0; i < lua->npreds; i++) {
		free(lua->preds[i]->var_names);
		free(lua->preds[i]);
	}
	free(lua->rules);
	free(lua->preds);
	free(lua->diags);
	free(lua->kind_places);
	for (size_t i = 0; i < lua->nslot_names; i++)
		free(lua->slot_names[i].lua);
	free(lua->slot_names);
	kbl_reads_free(&lua->reads);
	free(lua);
}

size_t kb_lua_kind_nplaces(const struct kb_lua *lua, int kind)
{
	size_t n = 0;
	for (size_t i = 0; i < lua->nkind_places; i++)
		n += lua->kind_places[i].kind == kind;
	return n;
}

const char *kb_lua_kind_place(const struct kb_lua *lua, int kind, size_t i)
{
	for (size_t k = 0; k < lua->nkind_places; k++)
		if (lua->kind_places[k].kind == kind && i-- == 0)
			return lua->kind_places[k].where;
	return NULL;
}

size_t kb_lua_ndiags(const struct kb_lua *lua) { return lua->ndiags; }

const struct kb_diag *kb_lua_diag(const struct kb_lua *lua, size_t i)
{
	return i < lua->ndiags ? &lua->diags[i] : NULL;
}

size_t kb_lua_nrules(const struct kb_lua *lua) { return lua->nrules; }

const struct kb_rule_info *kb_lua_rule(const struct kb_lua *lua, size_t i)
{
	return i < lua->nrules ? &lua->rules[i]->info : NULL;
}

int kb_lua_compile(struct kb_lua *lua)
{
	int errors = kbl_translate_all(lua);
	kbl_reads_apply(lua); /* the kinds are declared now */
	kbl_reads_makes(lua);
	return errors;
}
