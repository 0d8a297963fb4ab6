/*
 * kb.h — the public face of kbdiag's inference core.
 *
 * A forward-chaining production system: typed fact kinds, a working memory
 * with provenance and justifications, a Rete network that compiles rule
 * conditions, and an agenda ordered by salience then recency.  The core knows
 * nothing of Lua, of files or of where facts come from; callers hand it rule
 * definitions (struct kb_rule_def) whose predicates and actions are plain C
 * callbacks, and facts with their provenance.
 *
 * Ownership, once for the whole header: the engine owns every fact, rule,
 * kind and interned string it returns; they stay valid until
 * kb_engine_free().  Retracted facts stay readable (live == false) so that
 * reports and traces can still point at them.
 */
#ifndef KBDIAG_ENGINE_KB_H
#define KBDIAG_ENGINE_KB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "printf_like.h"

#define KB_VERSION "0.1.0"
#define KB_MAX_CONDS 64 /* conditions per rule */
#define KB_MAX_CHOICES 8       /* choices of one KB_COND_ANY */
#define KB_MAX_ALTERNATIVES 32 /* the product of a rule's KB_COND_ANY choices */

struct kb_engine;
struct kb_rule;

/* ---- errors: a status plus one record, first error wins ---------------- */

enum kb_status {
	KB_OK = 0,
	KB_EINVAL,  /* bad argument, type mismatch, unknown kind or slot */
	KB_ERULE,   /* a rule's predicate or action failed */
	KB_EBUDGET, /* a call, a match test or the run itself ran out of a budget */
};

struct kb_error {
	enum kb_status status;
	char where[256]; /* "file:line" or "" */
	char msg[512];
};

/* Sets err (if it holds no error yet) and returns status.  A message
 * longer than err->msg is cut before the character it would split. */
enum kb_status kb_error_set(struct kb_error *err, enum kb_status status,
			    const char *where, const char *fmt, ...)
	KBU_PRINTF_LIKE(4, 5);
enum kb_status kb_error_vset(struct kb_error *err, enum kb_status status, const char *where, const char *fmt,
			     va_list ap) KBU_PRINTF_LIKE(4, 0);

/* ---- values ------------------------------------------------------------ */

enum kb_type { KB_NIL = 0, KB_STRING, KB_INT, KB_FLOAT, KB_BOOL };

/* A slot value.  Strings are interned (kb_intern): equal strings are the
 * same pointer. */
struct kb_value {
	enum kb_type type;
	union {
		const char *s;
		int64_t i;
		double f;
		bool b;
	} u;
};

static inline struct kb_value kb_nil(void) { return (struct kb_value){.type = KB_NIL}; }
static inline struct kb_value kb_int(int64_t i) { return (struct kb_value){.type = KB_INT, .u.i = i}; }
static inline struct kb_value kb_float(double f) { return (struct kb_value){.type = KB_FLOAT, .u.f = f}; }
static inline struct kb_value kb_bool(bool b) { return (struct kb_value){.type = KB_BOOL, .u.b = b}; }
/* s must come from kb_intern() on the same engine. */
static inline struct kb_value kb_str(const char *s) { return (struct kb_value){.type = KB_STRING, .u.s = s}; }

/* Equality as the engine matches it: same type and value, ints and floats
 * compared numerically, strings by identity. */
bool kb_value_eq(struct kb_value a, struct kb_value b);
/* Total order for comparisons: numbers numerically, strings bytewise, and
 * values of unrelated types by type.  Returns <0, 0, >0. */
int kb_value_cmp(struct kb_value a, struct kb_value b);
const char *kb_type_name(enum kb_type t);

/* A dotted version ("6.0.8168.0", "6.00.8168.0", "5.2.3790.1830 (srv03…)")
 * as an integer that orders like the version: a<<48 | b<<32 | c<<16 | d,
 * the first part capped at 32767 and the others at 65535, missing parts 0.  false when s does not start
 * with a number. */
bool kb_version_code(const char *s, size_t len, int64_t *code);

/* ---- Lua patterns (lpattern.c) ----------------------------------------- */

/* Lua 5.4's string patterns, with its matcher's results and error messages,
 * matched in bounded work: every step is counted against m->steps.  The
 * network's KB_OP_MATCH tests and the rule library's string.find, match,
 * gmatch and gsub all match here.  No allocation; nothing is kept between
 * calls but what struct kb_match holds. */

#define KB_MATCH_MAXCAPTURES 32
#define KB_CAP_POSITION (-2)      /* the len of a "()" capture: it holds a position */
#define KB_MATCH_DEFAULT_STEPS 10000000u

enum kb_match_status {
	KB_MATCH_NONE = 0,
	KB_MATCH_FOUND = 1,
	KB_MATCH_ERROR = -1,  /* a malformed pattern: m->error says how, in Lua's words */
	KB_MATCH_BUDGET = -2, /* the steps ran out (and more_steps gave none) */
};

struct kb_capture {
	const char *start;
	ptrdiff_t len;            /* or KB_CAP_POSITION */
};

struct kb_match {
	const char *src, *src_end; /* the subject; borrowed */
	const char *p, *p_end;     /* the pattern; borrowed */
	uint64_t steps;            /* steps left */
	/* Asked when steps run out: how many more (0: stop the match with
	 * KB_MATCH_BUDGET).  NULL, as kb_match_init() leaves it: none. */
	uint64_t (*more_steps)(void *ud);
	void *ud;
	int ncap;                  /* after KB_MATCH_FOUND: the captures */
	struct kb_capture cap[KB_MATCH_MAXCAPTURES];
	char error[64];            /* after KB_MATCH_ERROR */
	int depth, status;         /* private */
};

/* Sets m up to match pattern p against s with a budget of steps. */
void kb_match_init(struct kb_match *m, const char *s, size_t len, const char *p, size_t plen,
		   uint64_t steps);
/* The pattern, as it is (a '^' is a character here), matched at s exactly:
 * KB_MATCH_FOUND with the match's end in *end, or another status. */
int kb_match_at(struct kb_match *m, const char *s, const char **end);
/* string.find's search: the first match starting at or after offset init,
 * a leading '^' anchoring it there.  KB_MATCH_FOUND with the match in
 * *start .. *end, or another status. */
int kb_match_find(struct kb_match *m, size_t init, const char **start, const char **end);
/* Capture i of the match s..e, as Lua reads it: with no captures, capture 0
 * is the whole match.  0, or KB_MATCH_ERROR for an index with no capture or
 * a capture never closed. */
int kb_match_capture(struct kb_match *m, int i, const char *s, const char *e, struct kb_capture *out);
/* Whether p has none of the characters that make a pattern special:
 * string.find then searches for it as plain text. */
bool kb_pattern_plain(const char *p, size_t len);
/* Whether string.find(s, p) would raise an error, on matching or on reading
 * the captures of a match, for some s that matching reaches the fault with:
 * 0, or KB_MATCH_ERROR with m->error set.  A plain p is fine.  "pattern too
 * complex" depends on the subject and is not foreseen. */
int kb_pattern_check(struct kb_match *m, const char *p, size_t len);
/* The runs of text every match of p must contain, in pattern order and
 * unescaped ("bind%(%) to .- failed": "bind() to ", " failed"): run i is
 * lens[i] bytes of text, after the runs before it.  text needs room for
 * len bytes and lens for len lengths (there are never more).  Returns how
 * many runs; 0 when p is malformed (kb_pattern_check).  *exact: p is its
 * one run and nothing else, so that finding the run is matching p.  A run
 * is the items that match one character, themselves (a plain character,
 * or '%' and one that is no letter or digit), once: a '+' ends the run
 * after one and starts the next with it, anything else ends it (a '^'
 * first and a '$' last are anchors, elsewhere characters). */
size_t kb_pattern_literals(const char *p, size_t len, char *text, size_t *lens, bool *exact);
/* The run of kb_pattern_literals() to look for in a subject before
 * matching p there: the longest (the first of those as long), written to
 * text (room for len bytes).  Here a set of one letter in both cases
 * ("[Bb]") counts as that letter: a run with one is written in lower case
 * for those letters and *folded is set: those letters are to be found in
 * either case, the rest of the run as it is.
 * Its length, or 0 when p has none or when a subject without it could
 * still make the matcher fail with an error rather than find nothing: p
 * malformed, or with so many captures and quantifiers that it could be
 * "too complex".  So on a subject without it kb_match_find() finds
 * nothing, or runs out of steps trying.  *exact: as kb_pattern_literals()
 * says (never for a folded run). */
size_t kb_pattern_screen(const char *p, size_t len, char *text, bool *folded, bool *exact);

/* ---- engine ------------------------------------------------------------ */

enum kb_strategy {
	KB_DEPTH, /* newest activation first (CLIPS "depth") */
	KB_LEX,   /* OPS5 LEX: most recent facts first, compared in order */
};

struct kb_engine *kb_engine_new(void);
void kb_engine_free(struct kb_engine *eng); /* NULL is a no-op */
/* Set before the first rule is added; KB_DEPTH by default. */
void kb_engine_set_strategy(struct kb_engine *eng, enum kb_strategy s);
/* The steps one KB_OP_MATCH test may take on one value (0: the default,
 * KB_MATCH_DEFAULT_STEPS).  On a value where it needs more, or where its
 * pattern is malformed, the test does not match, and each rule that uses
 * it gets an error naming the pattern (KB_EBUDGET for steps); a test that
 * ran out of steps on KB_RULE_OVERRUNS values is not run again.  A
 * constant pattern is not run on a value without its kb_pattern_screen()
 * text, which it cannot match: that takes no steps. */
void kb_engine_set_match_steps(struct kb_engine *eng, uint64_t steps);

/* Returns the engine's copy of s[0..len); never NULL (more than 4 GiB ends
 * the process, as a failed allocation does). */
const char *kb_intern(struct kb_engine *eng, const char *s, size_t len);
const char *kb_intern_cstr(struct kb_engine *eng, const char *s);
/* The interned copy of s[0..len), or NULL when there is none; interns
 * nothing. */
const char *kb_intern_find(const struct kb_engine *eng, const char *s, size_t len);

/* ---- fact kinds -------------------------------------------------------- */

struct kb_slot_decl {
	const char *name;
	enum kb_type type;
};

/* Declares a kind.  Declaring a kind again with the same slots and types,
 * in any order, returns the same id (its slots keep the first order: find
 * them with kb_slot_find); declaring it with different ones is KB_EINVAL.
 * Names are copied.  Returns the kind id, or -1 with err set. */
int kb_kind_declare(struct kb_engine *eng, const char *name, size_t nslots,
		    const struct kb_slot_decl *slots, struct kb_error *err);
int kb_kind_find(const struct kb_engine *eng, const char *name); /* -1 if none */
size_t kb_kind_count(const struct kb_engine *eng);
const char *kb_kind_name(const struct kb_engine *eng, int kind);
size_t kb_kind_nslots(const struct kb_engine *eng, int kind);
/* Borrowed; name is interned. */
const struct kb_slot_decl *kb_kind_slot(const struct kb_engine *eng, int kind, size_t slot);
int kb_slot_find(const struct kb_engine *eng, int kind, const char *name); /* -1 if none */
/* Declares that every fact of the kind sets the slot (one of its first 63):
 * from then on asserting or modifying a fact that leaves it unset is
 * KB_EINVAL, so a rule may print it without a guard.  KB_EINVAL too once
 * facts of the kind exist, which may leave it unset.  Returns 0 or -1. */
int kb_slot_set_always(struct kb_engine *eng, int kind, int slot, struct kb_error *err);
bool kb_slot_always(const struct kb_engine *eng, int kind, int slot);
/* Gives a slot its one-line meaning, for people writing rules (`rules
 * kinds`); a slot already described keeps its first description, so a
 * kind declared again elsewhere cannot reword the stock one.  text is
 * copied.  -1 when kind or slot does not exist. */
int kb_slot_describe(struct kb_engine *eng, int kind, size_t slot, const char *text);
/* The slot's meaning, or NULL when none was given.  Borrowed. */
const char *kb_slot_about(const struct kb_engine *eng, int kind, size_t slot);

/* ---- facts ------------------------------------------------------------- */

enum kb_origin {
	KB_ORIGIN_EVIDENCE,  /* gathered from a host or an evidence file */
	KB_ORIGIN_KNOWLEDGE, /* declared by a rule file */
	KB_ORIGIN_DERIVED,   /* asserted by a rule firing */
};

/* Where in its file an evidence record is, so that its text need not be
 * kept in memory: whoever asserted the fact (facts/, core/recall.c) reads
 * the cited bytes back when a report prints them.  The engine only keeps
 * it; file is opaque here. */
struct kb_cite_file;
struct kb_cite {
	const struct kb_cite_file *file; /* how to read the file again; NULL: nothing cited */
	uint64_t offset;   /* the first byte in the file (or archive entry) of the bytes cited: */
	uint32_t length;   /* the record's own, or its lines', up to the last one's text end */
	uint32_t skip;     /* the record's text starts this many bytes into their decoded text, */
	uint32_t take;     /* and is this many bytes of it */
	uint32_t check;    /* a hash of those decoded bytes (skip, take) as read */
	uint8_t form;      /* how the text is made of those bytes (the asserter's code) */
};

/* Where a fact came from.  source is interned, text copied.  A fact from
 * an evidence file usually has no text but a cite. */
struct kb_prov {
	enum kb_origin origin;
	const char *source; /* "bundle/netstat.txt", "linux.sockets", "rules/ports.lua" */
	int line;           /* 1-based, 0 when not from a line */
	const char *text;   /* the raw line or record, or NULL */
	struct kb_cite cite;
};

struct kb_fact;

/* Why a derived fact exists: the firing that asserted it. */
struct kb_justification {
	const struct kb_rule *rule;
	uint64_t firing;   /* 1-based firing number */
	size_t npremises;
	const struct kb_fact *premises[]; /* the facts the firing matched, in condition order; NULL for negated conditions */
};

/* Read-only view of a fact. */
struct kb_fact {
	uint32_t id;       /* 1-based, also the time tag: larger is newer */
	uint16_t kind;
	uint16_t nslots;
	bool live;
	struct kb_prov prov;
	const struct kb_justification *just; /* NULL unless derived */
	const struct kb_fact *replaces;      /* the fact kb_modify() retracted for this one */
	struct kb_value slots[];
};

/* Asserts a fact of the given kind; values holds kb_kind_nslots() values
 * (KB_NIL for unset slots; an int is accepted in a float slot).  If an equal
 * live fact exists it is returned and *duplicate set to true.  During a
 * firing the new fact is justified by that firing.  NULL with err set on a
 * type mismatch. */
const struct kb_fact *kb_assert(struct kb_engine *eng, int kind,
				const struct kb_value *values,
				const struct kb_prov *prov, bool *duplicate,
				struct kb_error *err);
/* Removes a live fact from working memory.  false if it was not live. */
bool kb_retract(struct kb_engine *eng, const struct kb_fact *fact);
/* Retracts fact and asserts a copy with the given slots changed. */
const struct kb_fact *kb_modify(struct kb_engine *eng, const struct kb_fact *fact,
				size_t nchanges, const int *slots,
				const struct kb_value *values, struct kb_error *err);

size_t kb_fact_count(const struct kb_engine *eng);      /* every fact ever asserted */
size_t kb_fact_live_count(const struct kb_engine *eng);
const struct kb_fact *kb_fact_get(const struct kb_engine *eng, uint32_t id); /* NULL if none */

/* ---- the pre-filter (prefilter.c) --------------------------------------- */

/* An evidence file can hold millions of facts no rule could ever match.
 * Every rule condition on a kind begins at an alpha node of that kind (its
 * tests against constants and between the fact's own slots), and a fact
 * that passes none of them can never join, block a negation or satisfy an
 * exists: leaving it out changes no firing and no finding.  The pre-filter
 * answers, before a fact is asserted and without interning its strings,
 * whether it could pass some alpha node; it gives the answer asserting
 * would, except that it says "could" where it cannot tell without calling
 * a predicate or meeting a pattern's failure (those are left to the
 * assert, which records the failure once, as it would have).
 *
 * It starts off.  It does not know what reads facts outside the network
 * (kb_prefilter_keep_kind), and near misses (kb_rule_near_miss) see only
 * the facts it kept, but for the count of partial matches that reached a
 * condition, which takes in those of facts it turned away.  A rule added
 * while it is on could match facts it turned away, so kb_rule_add() turns
 * it off for good. */
void kb_prefilter_start(struct kb_engine *eng);
/* Off for good, whatever starts it later: something will read facts the
 * network cannot foresee. */
void kb_prefilter_rule_out(struct kb_engine *eng);
bool kb_prefilter_on(const struct kb_engine *eng);
/* Every fact of kind is kept: something reads them whatever the rules
 * match (a report's host line, a rule's Lua reading every fact of it). */
void kb_prefilter_keep_kind(struct kb_engine *eng, int kind);
/* Every fact of kind there will be is asserted (a table of knowledge the
 * rule files fill and no rule adds to): a fact whose every way into a
 * match is a join with kind's facts that it fails is turned away too.
 * Call before kb_prefilter_start().  While the filter is on and looks at
 * such joins, asserting or modifying a fact of a fixed kind fails. */
void kb_prefilter_fix_kind(struct kb_engine *eng, int kind);
/* Whether kind is held fixed now: the filter is on and relies on it. */
bool kb_prefilter_holds_fixed(const struct kb_engine *eng, int kind);
/* Whether a fact of kind with these slot values should be asserted: true
 * when the filter is off, the kind is kept, kb_assert() would refuse the
 * values (so that it says why), or the fact could pass some alpha node
 * and go on from it (kb_prefilter_fix_kind).
 * values are as kb_assert() takes them, except that when lens is not NULL
 * each string value is lens[i] bytes at values[i].u.s, neither interned nor
 * NUL-terminated.  Nothing is interned.  A fact turned away is counted
 * (kb_prefilter_skipped).  A kept fact's next kb_assert() from the same
 * values array (its strings interned, nothing else changed) starts its
 * alpha walk where this probe found the first node the fact does not
 * fail, so the tests before it run once; any other assert walks them all. */
bool kb_prefilter_wants(struct kb_engine *eng, int kind, const struct kb_value *values, const size_t *lens);
/* Whether kb_prefilter_wants() can look at slot of kind: when it cannot,
 * a fact's value there does not change its answer, and a source may fill
 * a slot that is costly to fill only for a fact the filter wants. */
bool kb_prefilter_reads(const struct kb_engine *eng, int kind, int slot);
/* Facts of kind the pre-filter turned away so far. */
size_t kb_prefilter_skipped(const struct kb_engine *eng, int kind);

/* ---- rules ------------------------------------------------------------- */

enum kb_op {
	KB_OP_EQ,    /* slot equals operand */
	KB_OP_NE,
	KB_OP_LT,
	KB_OP_LE,
	KB_OP_GT,
	KB_OP_GE,
	KB_OP_CI_EQ, /* strings equal ignoring ASCII case */
	KB_OP_IN,    /* slot equals one of a set of constants */
	KB_OP_MATCH, /* string slot matches a Lua pattern: string.find's answer, in bounded steps */
	KB_OP_PRED,  /* a predicate on the slot value and variables */
};

enum kb_operand_type {
	KB_OPERAND_CONST, /* a constant value */
	KB_OPERAND_VAR,   /* a rule variable */
	KB_OPERAND_SET,   /* KB_OP_IN: a set of constants */
	KB_OPERAND_NONE,  /* KB_OP_PRED */
};

/* A predicate: a callback given values (for a slot predicate, the slot value
 * first, then the variables named in vars).  Returns 1 true, 0 false, -1 on
 * error with err set (KB_EBUDGET when it ran out of a budget): the test
 * fails and the error is the rule's (kb_rule_error()). */
typedef int (*kb_pred_fn)(void *ud, const struct kb_value *args, size_t nargs,
			  struct kb_error *err);

struct kb_pred {
	kb_pred_fn fn;
	void *ud;
	size_t nvars;
	const int *vars; /* variable indexes passed after the slot value */
};

struct kb_test {
	int slot;
	enum kb_op op;
	enum kb_operand_type operand;
	struct kb_value value;        /* KB_OPERAND_CONST; KB_OP_MATCH: the pattern */
	int var;                      /* KB_OPERAND_VAR */
	size_t nset;                  /* KB_OPERAND_SET */
	const struct kb_value *set;
	struct kb_pred pred;          /* KB_OP_PRED */
};

enum kb_cond_type {
	KB_COND_PATTERN, /* a fact of kind matching tests */
	KB_COND_NOT,     /* no such fact */
	KB_COND_EXISTS,  /* at least one such fact */
	KB_COND_TEST,    /* a predicate over variables bound so far */
	KB_COND_ANY,     /* one of its choices, each a condition of the types above */
};

/* A condition.  In a positive pattern a KB_OP_EQ test against a variable
 * that no earlier condition bound binds it; later uses test it.  Variables
 * first bound inside NOT/EXISTS stay local to it.
 *
 * KB_COND_ANY holds where one of its choices does.  A rule with such
 * conditions is compiled as one chain of nodes per alternative: each
 * combination of choices, alternative k taking choice (k / m) % n of a
 * condition with n choices, m being the product of the choice counts of
 * the KB_COND_ANY conditions before it.  Each alternative fires on its own
 * matches (two alternatives matching fire the rule twice, as two rules
 * would); the alternatives share the rule's name, variables and action,
 * and count as one rule everywhere in this interface.  A variable a
 * choice binds is bound in the alternatives taking that choice only: a
 * later slot test comparing with it must find it bound in each, and a
 * KB_COND_TEST predicate is given nil for it in the others. */
struct kb_cond {
	enum kb_cond_type type;
	int kind;
	size_t ntests;
	const struct kb_test *tests;
	int fact_var;       /* variable bound to the matched fact, or -1 */
	struct kb_pred pred; /* KB_COND_TEST */
	const char *where;  /* "file:line" of the condition, for messages */
	size_t nchoices;    /* KB_COND_ANY: 2 .. KB_MAX_CHOICES */
	const struct kb_cond *choices;
};

/* What a firing sees: the matched facts per condition and variable values. */
struct kb_activation;
const struct kb_rule *kb_activation_rule(const struct kb_activation *act);
size_t kb_activation_nfacts(const struct kb_activation *act);
/* The fact matched by condition i; NULL for NOT, and for EXISTS. */
const struct kb_fact *kb_activation_fact(const struct kb_activation *act, size_t i);
/* The rule's alternative that matched (kb_cond): 0 for a rule without one. */
size_t kb_activation_alternative(const struct kb_activation *act);
struct kb_value kb_activation_var(const struct kb_activation *act, int var);

/* An action: returns 0, or -1 with err set (KB_EBUDGET when it ran out of
 * a budget): the error is the rule's (kb_rule_error()). */
typedef int (*kb_action_fn)(struct kb_engine *eng, const struct kb_activation *act,
			    void *ud, struct kb_error *err);

struct kb_rule_def {
	const char *name;   /* unique id; copied */
	const char *where;  /* "file:line" of the definition; copied */
	int salience;
	size_t nvars;       /* variables are 0 .. nvars-1 */
	const char *const *var_names; /* for messages and traces; copied; may be NULL */
	size_t nconds;
	const struct kb_cond *conds;
	kb_action_fn action;
	void *ud;           /* passed to action; the engine does not own it */
};

/* Compiles a rule into the network (sharing nodes with earlier rules) and
 * matches it against the facts already in working memory.  The definition
 * and everything it points at are copied, except predicate and action user
 * data.  A rule whose name is taken replaces the earlier one.  NULL with err
 * set when a condition is malformed (unknown kind or slot, unbound variable
 * in a test, type mismatch with a constant). */
const struct kb_rule *kb_rule_add(struct kb_engine *eng, const struct kb_rule_def *def,
				  struct kb_error *err);
bool kb_rule_remove(struct kb_engine *eng, const struct kb_rule *rule);
const struct kb_rule *kb_rule_find(const struct kb_engine *eng, const char *name);
size_t kb_rule_count(const struct kb_engine *eng);
const char *kb_rule_name(const struct kb_rule *rule);
const char *kb_rule_where(const struct kb_rule *rule);
const char *kb_rule_var_name(const struct kb_rule *rule, int var);
int kb_rule_salience(const struct kb_rule *rule);
/* A rule disabled after KB_RULE_OVERRUNS of its predicate and action
 * calls ran out of their budgets. */
bool kb_rule_disabled(const struct kb_rule *rule);
size_t kb_rule_nconds(const struct kb_rule *rule);
/* Condition i as written: a KB_COND_ANY with its choices. */
const struct kb_cond *kb_rule_cond(const struct kb_rule *rule, size_t i);
/* How many alternatives the rule is matched as: 1 without KB_COND_ANY. */
size_t kb_rule_nalternatives(const struct kb_rule *rule);
/* The choice alternative takes at condition i, or -1 when condition i is
 * not a KB_COND_ANY. */
int kb_rule_choice(const struct kb_rule *rule, size_t alternative, size_t i);
/* Condition i as alternative matches it: the choice it takes of a
 * KB_COND_ANY, else condition i. */
const struct kb_cond *kb_rule_alternative_cond(const struct kb_rule *rule, size_t alternative, size_t i);

/* ---- running ----------------------------------------------------------- */

/* Fires activations until the agenda is empty, kb_halt() is called, limit
 * firings have happened (0: no limit; a pause, not an error: the next
 * kb_run() goes on) or a budget of the run is spent (kb_run_overrun()).
 * Returns the number fired. */
uint64_t kb_run(struct kb_engine *eng, uint64_t limit);
void kb_halt(struct kb_engine *eng);
uint64_t kb_fired(const struct kb_engine *eng); /* total since creation */
size_t kb_agenda_size(struct kb_engine *eng);

/* Rule errors so far, oldest first (borrowed).  An error in a predicate,
 * an action or a match test is one activation's or one fact's: it is
 * recorded, that activation or test fails, and the rule goes on.  The same
 * error again (same rule, place and message) is counted, not recorded
 * again; so is any error of a rule past its first KB_RULE_ERRORS_KEPT,
 * counted on the last of those. */
#define KB_RULE_ERRORS_KEPT 8
size_t kb_rule_error_count(const struct kb_engine *eng);
const struct kb_error *kb_rule_error(const struct kb_engine *eng, size_t i);
/* How many more times rule error i happened after it was recorded. */
uint64_t kb_rule_error_repeats(const struct kb_engine *eng, size_t i);
/* Each running out of a budget (KB_EBUDGET) can cost a whole budget: a
 * rule whose predicates and actions do it this many times is disabled,
 * and a match test that does it on this many values is not run again. */
#define KB_RULE_OVERRUNS 16

/* ---- the run's budgets (budget.c) --------------------------------------- */

/* Bounds on one kb_run(), so that rules that chain without end (a rule
 * that modifies the fact it matched, a cycle of rules, an action asserting
 * millions of facts) stop with an error instead of taking the machine's
 * memory and time.  0: no bound. */
struct kb_budgets {
	uint64_t firings; /* rule firings */
	uint64_t facts;   /* facts rule actions make (assert, modify) */
	size_t memory;    /* bytes of engine memory (kb_engine_memory()) */
	double seconds;   /* wall time */
};
/* The defaults, far above what real evidence and the benchmarks take
 * (docs/writing-rules.md, "Limits", says how far). */
#define KB_DEFAULT_FIRINGS 10000000u
#define KB_DEFAULT_FACTS 5000000u
#define KB_DEFAULT_MEMORY ((size_t)4 << 30)
#define KB_DEFAULT_SECONDS 600.0

/* NULL: the defaults, which a new engine has. */
void kb_engine_set_budgets(struct kb_engine *eng, const struct kb_budgets *b);

enum kb_budget { KB_BUDGET_NONE, KB_BUDGET_FIRINGS, KB_BUDGET_FACTS, KB_BUDGET_MEMORY, KB_BUDGET_SECONDS };

#define KB_OVERRUN_RULES 3

/* A run stopped by a budget, and the rules most active just before: those
 * with the most firings and facts made in the last window of firings. */
struct kb_overrun {
	enum kb_budget budget;
	uint64_t limit;                              /* the budget (seconds: rounded up) */
	uint64_t window;                             /* firings the counts below cover */
	size_t nrules;
	const struct kb_rule *rules[KB_OVERRUN_RULES]; /* most active first */
	uint64_t firings[KB_OVERRUN_RULES], facts[KB_OVERRUN_RULES];
};
/* The budget that stopped the engine, or NULL.  Once stopped it stays
 * stopped: kb_run() fires nothing more, and a rule action's kb_assert()
 * or kb_modify() fails (KB_EBUDGET).  The stop is also a rule error
 * (kb_rule_error()) at the most active rule, naming the others. */
const struct kb_overrun *kb_run_overrun(const struct kb_engine *eng);
/* The engine's memory as the budget counts it: facts, strings, partial
 * matches, memory items and the tables indexing them, without walking
 * them (kb_engine_memstats() walks). */
size_t kb_engine_memory(const struct kb_engine *eng);

/* ---- memory ------------------------------------------------------------- */

/* Where the engine's memory goes, in bytes.  `facts` is the facts
 * themselves (header, slot values and the text of their strings);
 * everything else is the engine's bookkeeping for matching them. */
struct kb_memstats {
	size_t facts;      /* struct kb_fact with its slots, and interned string bytes */
	size_t fact_index; /* per-fact links and slot hashes, the id table, duplicate table */
	size_t tokens;     /* partial matches (allocated, live or on free lists) */
	size_t items;      /* alpha memory entries */
	size_t tables;     /* hash bucket arrays of alpha and beta memories */
	size_t network;    /* nodes, tests, rules, kinds */
	size_t total;
	size_t live_tokens, live_items;
};
void kb_engine_memstats(const struct kb_engine *eng, struct kb_memstats *m);

/* ---- the recorder hook ------------------------------------------------- */

/* Sees every change; NULL members are skipped.  With no recorder set the
 * engine pays one pointer test per event. */
struct kb_recorder {
	void *ud;
	void (*asserted)(void *ud, const struct kb_fact *fact);
	void (*retracted)(void *ud, const struct kb_fact *fact);
	void (*activated)(void *ud, const struct kb_activation *act);
	void (*deactivated)(void *ud, const struct kb_activation *act);
	void (*fired)(void *ud, uint64_t firing, const struct kb_activation *act);
	void (*rule_failed)(void *ud, const struct kb_rule *rule, const struct kb_error *err);
};

/* The recorder is borrowed; pass NULL to remove it. */
void kb_engine_set_recorder(struct kb_engine *eng, const struct kb_recorder *rec);

/* ---- explaining a run (explain.c) -------------------------------------- */

/* Rules in the order they were added: NULL gives the first, the last gives
 * NULL. */
const struct kb_rule *kb_rule_next(const struct kb_engine *eng, const struct kb_rule *prev);
size_t kb_rule_nvars(const struct kb_rule *rule);
/* The value of variable var in a (partial) match of the rule's
 * alternative, facts[i] being the fact condition i matched for i < nfacts.
 * nil when var is bound at or after condition nfacts, names a fact, or is
 * local to a negation. */
struct kb_value kb_rule_var_value(const struct kb_rule *rule, size_t alternative, int var,
				  const struct kb_fact *const *facts, size_t nfacts);
/* The number of the firing whose action is running; 0 outside actions. */
uint64_t kb_engine_firing(const struct kb_engine *eng);
/* An activation's number: 1, 2, ... in the order they were made. */
uint64_t kb_activation_seq(const struct kb_activation *act);

#define KB_NEAR_FACTS 3 /* closest facts kept per near miss */
#define KB_NEAR_FAILS 8 /* failed tests kept per closest fact */

enum kb_near_reason {
	KB_NEAR_NO_FACT,  /* pattern or exists: no live fact of the kind at all */
	KB_NEAR_NO_MATCH, /* pattern or exists: facts of the kind, none passing every test */
	KB_NEAR_BLOCKED,  /* negation: a fact matches it */
	KB_NEAR_TEST,     /* test condition: false for every partial match */
	KB_NEAR_COMPLETE, /* every condition matched: it is pending, was disabled or retracted later */
};

struct kb_near_fail {
	size_t test;            /* index in the condition's tests */
	struct kb_value wanted; /* the constant, or the variable's value in the partial
				 * match; nil for sets, Lua patterns and predicates */
};

struct kb_near_fact {
	const struct kb_fact *fact;
	size_t nfailed;         /* tests it fails; 0 for a negation's blocker */
	struct kb_near_fail failed[KB_NEAR_FAILS]; /* the first min(nfailed, KB_NEAR_FAILS) */
};

/* How far a rule's conditions got in the network's current state.  Of a
 * rule with alternatives, the alternative that got furthest (then whose
 * closest fact failed fewest tests, then the first). */
struct kb_near_miss {
	size_t alternative;     /* kb_cond; 0 for a rule without KB_COND_ANY */
	size_t cond;            /* the condition no partial match got past; nconds when complete */
	enum kb_near_reason reason;
	size_t partial;         /* partial matches (conditions 0 .. cond-1) that reached it, of
				 * every alternative that stopped there (once each, where
				 * alternatives take the same choices before it) */
	/* The partial match shown: the fact of each condition before cond (NULL
	 * for negations, existence and tests); for KB_NEAR_COMPLETE all of them. */
	const struct kb_fact *matched[KB_MAX_CONDS];
	size_t candidates;      /* live facts of the condition's kind tried against it */
	size_t nclosest;        /* fewest failed tests first, then oldest */
	struct kb_near_fact closest[KB_NEAR_FACTS];
};

/* Why a rule did not fire, read from the network after kb_run(): the
 * deepest condition whose node holds partial matches; then the condition's
 * tests, with the variables those matches bound, against every live fact of
 * its kind, keeping the facts that failed fewest.  Partial matches are
 * tried in fact order, within a fixed budget of fact comparisons, so the
 * answer is the same from run to run.  Calls the rule's predicates again
 * (an error counts as a failed test and disables nothing). */
void kb_rule_near_miss(struct kb_engine *eng, const struct kb_rule *rule, struct kb_near_miss *out);
/* The near misses of rules[0..n) into out[0..n), as kb_rule_near_miss()
 * finds each: rules that stopped at the same facts are tried against them
 * in one pass. */
void kb_rules_near_miss(struct kb_engine *eng, const struct kb_rule *const *rules, size_t n,
			struct kb_near_miss *out);

#endif
