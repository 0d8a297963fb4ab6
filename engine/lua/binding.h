/*
 * binding.h — what the rule-language files share.  Only this directory
 * includes lua.h.
 *
 *   state.c     the Lua state: counting allocator with a cap, instruction
 *               and time budget hook, the one protected-call wrapper
 *   sandbox.c   per-file environments built from an allow list; loading
 *   dsl.c       the declarations rule files call: kind, fact, rule,
 *               patterns, tests
 *   translate.c declarations -> core rules, kinds, knowledge facts
 *   actions.c   running actions and predicates; the kb.* API
 *   luatext.c   Lua source read as text (lint.c, reads.c)
 *   reads.c     the kinds kb.facts reads whole and those no rule adds to, for the pre-filter
 *   lint.c      what `rules check` adds
 *   values.c    Lua <-> core values, the fact userdata
 */
#ifndef KBDIAG_ENGINE_LUA_BINDING_H
#define KBDIAG_ENGINE_LUA_BINDING_H

#include <lauxlib.h>
#include <lua.h>

#include "kblua.h"
#include "printf_like.h"

/* Registry keys (addresses of these are the keys). */
extern const char kbl_key_decls, kbl_key_mt_pattern, kbl_key_mt_not, kbl_key_mt_exists, kbl_key_mt_any,
	kbl_key_mt_test, kbl_key_mt_constraint, kbl_key_mt_always;
extern const char kbl_key_slots, kbl_key_sources;

/* A string with ?variables, parsed once. */
struct kbl_template {
	size_t nparts;
	struct kbl_part {
		const char *text; /* literal text (interned), or NULL for a variable */
		size_t len;
		int var;
	} *parts;
};

/* A fact an `assert = {...}` declaration makes: each slot a constant, a
 * variable, or text with variables. */
struct kbl_fact_template {
	int kind;
	int cond;                 /* modify: the condition that matched the fact */
	size_t nslots;
	struct kbl_slot_template {
		int slot;
		enum { KBL_CONST, KBL_VAR, KBL_TEXT } type;
		struct kb_value value;
		int var;
		struct kbl_template text;
	} *slots;
};

struct kbl_rule {
	struct kb_rule_info info;
	const char *where;        /* "file:line", for errors */
	struct kb_lua *lua;
	size_t nvars;
	const char **var_names;   /* without the '?' */
	int *var_cond;            /* for a fact variable, its condition; else -1 */
	bool diagnoses;
	struct kbl_template message, remedy;
	int ref_message, ref_remedy, ref_action; /* Lua functions, or LUA_NOREF */
	size_t nasserts, nmodifies, nretracts;
	struct kbl_fact_template *asserts, *modifies;
	int *retracts;            /* conditions whose facts go */
};

/* A Lua predicate: on one slot value, or on the variables bound so far. */
struct kbl_pred {
	struct kb_lua *lua;
	struct kbl_rule *rule;
	int ref;
	const char *where;
	bool on_slot;             /* a slot's test(function(v)), given the value; else a test() condition */
	size_t nvars;             /* a test() condition's variables */
	const char **var_names;
};

/* What rule files' text tells the pre-filter (reads.c): the kinds named
 * as kb.facts("kind"), the names used in function bodies or quoted to
 * kb.assert, and whether a kb.facts does not tell its kind. */
struct kbl_names {
	char **v;         /* open addressing; cap a power of two */
	size_t cap, n;
};
struct kbl_reads {
	struct kbl_names kinds, written;
	bool any_kind;
	/* each file's own written names, for the kinds its rules may make
	 * (kbl_reads_makes) */
	struct kbl_file_names {
		char *file;
		struct kbl_names written;
	} *files;
	size_t nfiles;
};

struct kb_lua {
	lua_State *L;
	struct kb_engine *eng;
	struct kb_lua_limits lim;
	size_t mem_used;
	size_t max_block;         /* the largest single allocation allowed */
	const char *refusal;      /* why the allocator last refused, for the report */
	char refusal_where[256];  /* and the rule line that asked */

	/* the budget of the call in progress */
	uint64_t budget_left;
	double deadline;          /* 0: none */
	double budget_seconds;    /* the time budget in force, for messages */
	bool tripped;             /* a budget ran out; keep raising */
	bool out_of_time;         /* and it was kbl_take()'s clock */
	int depth;                /* kbl_pcall nesting */
	int hook_step;            /* instructions between hook calls */

	bool lint;                /* `rules check`: keep sources, check more */
	const struct kb_lua_chunk *chunks; /* borrowed (kb_lua_use_chunks) */
	size_t nchunks;
	size_t nprecompiled;      /* files run from a chunk */
	bool loading;             /* running a file's top level */
	bool in_pred;             /* a predicate is running: no kb.* calls */
	const char *loading_file;
	enum kb_strategy strategy;
	bool strategy_set;

	struct kb_diag *diags;
	size_t ndiags;
	struct kbl_rule **rules;
	size_t nrules;
	struct kbl_pred **preds;
	size_t npreds;

	struct kbl_slot_names {   /* by kind: its slot names as Lua strings (values.c) */
		const char **lua;
		size_t n;
	} *slot_names;
	size_t nslot_names;

	struct kbl_kind_place {   /* each kind declaration a rule file made */
		int kind;
		const char *where;    /* interned "file:line" */
	} *kind_places;
	size_t nkind_places;

	int finding_kind;
	size_t caller_kinds;      /* kinds declared before the binding: the caller's schema */
	int finding_slot[6];      /* rule, article, severity, title, message, remedy */

	struct kbl_reads reads;   /* what the files' text tells (reads.c) */

	/* during a firing: for the kb.* API */
	const struct kb_activation *act;
	struct kbl_rule *firing;
};

/* state.c */
struct kb_lua *kbl_from_state(lua_State *L);
void kbl_diag(struct kb_lua *lua, enum kb_diag_level level, const char *where, const char *fmt, ...)
	KBU_PRINTF_LIKE(4, 5);
/* Calls fn(ud) in protected mode under the instruction budget and a time
 * budget of seconds (none if 0).  On error fills err: where = "file:line" from the
 * message when it has one, else fallback_where.  [-0, +0, -] */
int kbl_pcall(struct kb_lua *lua, lua_CFunction fn, void *ud, double seconds,
	      const char *fallback_where, struct kb_error *err);
double kbl_now(void);
/* Charges n instructions of work done in C (matching, copying) to the call
 * in progress; raises the budget error when they are not there.  A no-op
 * outside kbl_pcall.  [-0, +0, v] */
void kbl_charge(lua_State *L, uint64_t n);
/* kbl_charge() that does not raise: false when the instructions are not
 * there or time is up, the call then tripped (the next kbl_charge raises
 * the error). */
bool kbl_take(struct kb_lua *lua, uint64_t n);

/* guards.c: library functions whose C loops the hook cannot see, charged
 * first.  Each sets its replacements in the table at idx.  [-0, +0, m] */
void kbl_guard_string(lua_State *L, int idx);
void kbl_guard_table(lua_State *L, int idx);
void kbl_guard_base(lua_State *L, int idx);
void kbl_guard_os(lua_State *L, int idx);

/* pattern.c: string.find, match, gmatch and gsub on the core's matcher
 * (kb_match_*), every step charged. */
int kbl_str_find(lua_State *L);
int kbl_str_match(lua_State *L);
int kbl_str_gmatch(lua_State *L);
int kbl_str_gsub(lua_State *L);

/* luatext.c: Lua source read as text. */
struct kbl_text {
	const char *s;
	size_t len;
	const char *file;
	int line; /* of s[0] */
};
/* An identifier of the text, with what is next to it. */
struct kbl_ident {
	const char *p;
	size_t len;
	int line;
	char before, after; /* the nearest non-blank characters ("..", the concatenation, reads '+'), or 0 */
};
/* Calls fn for every identifier outside strings and comments. */
void kbl_each_ident(const struct kbl_text *t, void (*fn)(void *, const struct kbl_ident *), void *ud);
bool kbl_ident_is(const struct kbl_ident *id, const char *s);
/* A letter, digit or '_' (ASCII): what Lua names and ?variables are made of. */
bool kbl_ident_char(char c);
/* The quoted string without escapes that starts at i, after blanks: its
 * text in *s and *len; returns the index past it, or 0 when there is none. */
size_t kbl_text_plain_string(const struct kbl_text *t, size_t i, const char **s, size_t *len);
/* The index past the character c at i, after blanks, or 0 when it is not there. */
size_t kbl_text_punct(const struct kbl_text *t, size_t i, char c);

/* reads.c: the kinds rule files' Lua reads whole through kb.facts and the
 * names it may build facts of, found in each file's text as it loads;
 * compiling tells the engine's pre-filter to keep the facts of the first
 * (or rules the filter out when a use of kb.facts does not name its kind)
 * and which kinds of knowledge no rule adds to (kb_prefilter_fix_kind). */
/* Adds what the text tells to r; with lint, notes in lint's diagnostics
 * what a kb.facts without a quoted kind costs. */
void kbl_reads_scan(struct kbl_reads *r, struct kb_lua *lint, const char *name, const char *src, size_t len);
/* Adds what a chunk's text tells, found when the chunk was made, to r;
 * false when the chunk carries none (then scan the text). */
bool kbl_reads_add_chunk(struct kbl_reads *r, const struct kb_lua_chunk *c);
/* The names of ns as a NULL-terminated array that owns them; empties ns. */
const char **kbl_names_take(struct kbl_names *ns);
void kbl_reads_apply(struct kb_lua *lua);
/* Reads file `name` (from its chunk when code is not NULL, else its text)
 * into lua->reads, keeping its names apart too for kbl_reads_makes. */
void kbl_reads_file(struct kb_lua *lua, const struct kb_lua_chunk *code, const char *name, const char *src,
		    size_t len);
/* Fills each rule's info.makes: the kinds its assert names, and
 * for a rule with a Lua action the kinds its file names in a function body
 * or quotes to kb.assert (what the action may build).  After translation. */
void kbl_reads_makes(struct kb_lua *lua);
void kbl_reads_free(struct kbl_reads *r);

/* sandbox.c */
void kbl_sandbox_init(lua_State *L);
const char *kbl_kind_name_problem(lua_State *L, const char *name);
int kbl_load(struct kb_lua *lua, const char *name, const char *src, size_t len);

/* chunks.c: the chunk compiled from exactly this text, or NULL. */
const struct kb_lua_chunk *kbl_chunk_find(const struct kb_lua *lua, const char *text, size_t len);
/* Pushes the chunk's function under chunkname ("@path") and returns true;
 * pushes nothing and returns false when this Lua cannot load it.
 * [-0, +(0|1), m] */
bool kbl_chunk_load(lua_State *L, const struct kb_lua_chunk *c, const char *chunkname);

/* dsl.c */
void kbl_dsl_register(lua_State *L, int env);
bool kbl_is(lua_State *L, int idx, const char *key);
bool kbl_is_var(const char *s, size_t len);
/* Pushes a constructor for facts or patterns of the named kind. */
void kbl_push_kind_constructor(lua_State *L, const char *name);

/* translate.c */
int kbl_translate_all(struct kb_lua *lua);

/* actions.c */
int kbl_rule_action(struct kb_engine *eng, const struct kb_activation *act, void *ud,
		    struct kb_error *err);
int kbl_pred_call(void *ud, const struct kb_value *args, size_t nargs, struct kb_error *err);
void kbl_api_register(lua_State *L, int env);
const char *kbl_template_render(struct kb_lua *lua, const struct kbl_template *t,
				const struct kb_activation *act);

/* values.c */
void kbl_push_value(lua_State *L, struct kb_value v);
/* Converts the Lua value at idx for a slot of type want.  false when its
 * type cannot go there. */
bool kbl_to_value(struct kb_lua *lua, int idx, enum kb_type want, struct kb_value *out);
void kbl_push_fact(lua_State *L, const struct kb_fact *f);
const struct kb_fact *kbl_check_fact(lua_State *L, int idx);
void kbl_fact_mt_init(lua_State *L);
/* The index of the slot named by the string at key_idx, or -1.  [-0, +0, m] */
int kbl_slot_of(struct kb_lua *lua, int kind, int key_idx);

#endif
