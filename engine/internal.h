/*
 * internal.h — what the core's files share and nobody else sees.
 *
 * The network, top down:
 *   kind -> alpha nodes (constant and intra-fact tests, dispatched through a
 *   hash on one equality-tested slot) -> alpha memories (the passing facts,
 *   hashed on the slots a join uses) -> beta nodes.
 * Every beta node has a left memory of tokens hashed on its join key; a
 * token is one partial match: its parent token plus the fact matched at this
 * level.  Sibling joins with the same key share one memory (the oldest of
 * them owns it), since what their parent passes them is the same.  Tokens
 * form a tree (tree-based removal: deleting a token deletes its
 * descendants) and each fact lists the tokens that hold it.  A terminal
 * token carries its activation; so does the token of a negation made for
 * its rule's last condition, which then needs no terminal token.
 */
#ifndef KBDIAG_ENGINE_INTERNAL_H
#define KBDIAG_ENGINE_INTERNAL_H

#include <string.h>

#include "kb.h"
#include "xalloc.h"

#define KB_MAX_KEY 8    /* equality-join slots hashed per node */

#define container_of(p, type, member) ((type *)((char *)(p) - offsetof(type, member)))

/* ---- allocation (alloc.c) ---------------------------------------------- */

/* Bump allocator for objects that live as long as the engine;
 * kb_arena_alloc() never returns NULL. */
struct kb_arena {
	struct arena_block *blocks;
	char *cur, *end;
	size_t total;
};
void *kb_arena_alloc(struct kb_arena *a, size_t size);
void kb_arena_free(struct kb_arena *a);

/* Free-list pool for fixed-size objects that come and go (tokens, items);
 * kb_pool_get() never returns NULL. */
struct kb_pool {
	size_t size;
	void *free;
	struct kb_arena arena;
	size_t live;
};
void kb_pool_init(struct kb_pool *p, size_t size);
void *kb_pool_grow(struct kb_pool *p);

static inline void *kb_pool_get(struct kb_pool *p)
{
	void *obj = p->free;
	if (obj)
		p->free = *(void **)obj;
	else
		obj = kb_pool_grow(p);
	p->live++;
	return obj;
}

static inline void kb_pool_put(struct kb_pool *p, void *obj)
{
	*(void **)obj = p->free;
	p->free = obj;
	p->live--;
}

void kb_pool_free(struct kb_pool *p);

/* ---- interned strings (symbols.c) -------------------------------------- */

struct kb_sym {
	uint32_t len;
	char text[];
};
static inline const struct kb_sym *kb_sym_of(const char *s)
{
	return (const struct kb_sym *)(s - offsetof(struct kb_sym, text));
}

/* Open addressing; each slot keeps its symbol's hash so that a probe
 * touches the symbol itself only on a likely match (a cache miss each,
 * and most interned strings are provenance text seen once). */
struct kb_symslot {
	uint32_t hash;
	struct kb_sym *sym;
};
struct kb_symtab {
	struct kb_symslot *slots;
	size_t cap, count;
};
void kb_symtab_free(struct kb_symtab *t);

/* A transient symbol: s[0..len) laid out in buf as a symbol that is in no
 * table.  It reads like an interned string to the tests (its text is
 * NUL-terminated and knows its length, as ordering tests and
 * kb_value_match() need) but its address equals no interned string's,
 * which is the truth: an equality or set test against a constant fails on
 * a string that was never interned.  buf holds kb_sym_transient_size(len) bytes,
 * aligned as a pointer; the symbol lives as long as buf and must never
 * reach a fact. */
size_t kb_sym_transient_size(size_t len);
const char *kb_sym_transient(void *buf, const char *s, size_t len);

/* ---- values (values.c) ------------------------------------------------- */

uint32_t kb_value_hash(struct kb_value v);
bool kb_value_eq_slow(struct kb_value a, struct kb_value b);
/* Applies a constant or variable comparison; NIL never compares. */
bool kb_value_test(enum kb_op op, struct kb_value a, struct kb_value b);

static inline uint32_t kb_mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (uint32_t)x;
}

/* Interned strings hash by address: equal strings are the same pointer, and
 * the hash reads no memory.  Integral floats hash as the integer they equal. */
static inline uint32_t kb_value_hash_inline(struct kb_value v)
{
	switch (v.type) {
	case KB_STRING: return kb_mix64((uint64_t)(uintptr_t)v.u.s);
	case KB_INT: return kb_mix64((uint64_t)v.u.i);
	case KB_BOOL: return v.u.b ? 0x9e3779b9u : 0x7f4a7c15u;
	case KB_FLOAT:
		if (v.u.f >= -9.2e18 && v.u.f <= 9.2e18 && v.u.f == (double)(int64_t)v.u.f)
			return kb_mix64((uint64_t)(int64_t)v.u.f);
		{
			uint64_t bits;
			memcpy(&bits, &v.u.f, sizeof(bits));
			return kb_mix64(bits);
		}
	case KB_NIL: break;
	}
	return 0;
}

static inline bool kb_value_eq_inline(struct kb_value a, struct kb_value b)
{
	if (a.type == b.type && (a.type == KB_STRING || a.type == KB_INT))
		return a.type == KB_STRING ? a.u.s == b.u.s : a.u.i == b.u.i;
	return kb_value_eq_slow(a, b);
}

/* kb_value_test() with the common cases (equal or not, same simple type)
 * answered without a call. */
static inline bool kb_value_test_inline(enum kb_op op, struct kb_value a, struct kb_value b)
{
	if (a.type == KB_INT && b.type == KB_INT) {
		switch (op) {
		case KB_OP_EQ: return a.u.i == b.u.i;
		case KB_OP_NE: return a.u.i != b.u.i;
		case KB_OP_LT: return a.u.i < b.u.i;
		case KB_OP_LE: return a.u.i <= b.u.i;
		case KB_OP_GT: return a.u.i > b.u.i;
		case KB_OP_GE: return a.u.i >= b.u.i;
		default: break;
		}
	} else if ((op == KB_OP_EQ || op == KB_OP_NE) && a.type == KB_STRING && b.type == KB_STRING) {
		return (a.u.s == b.u.s) == (op == KB_OP_EQ);
	}
	return kb_value_test(op, a, b);
}
/* KB_OP_MATCH, which kb_value_test() does not answer: whether string v
 * matches the pattern pat (string.find's answer) within steps: 1 or 0, or
 * -1 when the pattern is malformed or needs more steps, with why (if not
 * NULL) saying so and naming the pattern. */
int kb_value_match(struct kb_value v, struct kb_value pat, uint64_t steps, struct kb_error *why);
/* Whether v is a string that contains the interned text; folded: the
 * text's lower-case letters match either case (kb_pattern_screen()). */
bool kb_value_contains(struct kb_value v, const char *text, bool folded);

/* ---- kinds (kinds.c) --------------------------------------------------- */

struct kind {
	const char *name;
	uint16_t nslots;
	struct kb_slot_decl *slots;
	uint64_t always;               /* the slots every fact sets (kb_slot_set_always), a bit each */
	const char **about;            /* per slot, what it means (kb_slot_describe); NULL: none yet */
	struct alpha_node *alphas;     /* alpha nodes without dispatch */
	struct dispatch *dispatch;     /* per equality-tested slot: value -> alpha nodes */
	size_t ndispatch;
	struct fact *facts;            /* its facts, newest first: the live ones and
	                                  some retracted, dropped a batch at a time */
	size_t nlisted, ndead;
	/* For the pre-filter (prefilter.c): the slots its probe reads (an alpha
	 * node's dispatch table or test, and, once it starts, a join with a
	 * fixed kind), and those compared by identity (equality, one_of,
	 * dispatch, slot to slot, join keys), a bit per slot (kb_slot_bit()).
	 * Set as nodes are made and as the filter starts, never cleared: a bit
	 * too many costs time, not answers. */
	uint64_t alpha_reads, alpha_ident;
	bool keep_all;                 /* the pre-filter keeps every fact (kb_prefilter_keep_kind) */
	struct screen_set **screens;   /* per slot with screened patterns, once the filter starts */
	size_t nscreens;
	bool fixed;                    /* no rule adds or changes its facts (kb_prefilter_fix_kind) */
	size_t skipped;                /* facts the pre-filter turned away */
};

struct dispatch {
	int slot;
	struct alpha_node **buckets;
	size_t nbuckets, count;
};

/* ---- facts (facts.c) --------------------------------------------------- */

struct am_item;
struct token;

struct fact {
	struct am_item *items;   /* this fact's entries in alpha memories */
	struct token *tokens;    /* tokens whose level matched this fact */
	struct fact *dup_next;   /* duplicate-detection chain */
	struct fact *kind_next;  /* in its kind's list */
	uint32_t hash;
	struct kb_fact pub;      /* last: it ends in a flexible array */
};
static inline struct fact *fact_of(const struct kb_fact *f)
{
	return container_of(f, struct fact, pub);
}
/* kb_value_hash() of each slot, for join keys: kept after the slots. */
static inline const uint32_t *fact_shash(const struct fact *f)
{
	return (const uint32_t *)&f->pub.slots[f->pub.nslots];
}
/* Bytes a fact of nslots slots takes: the struct, the slots, their hashes. */
static inline size_t kb_fact_size(size_t nslots)
{
	return sizeof(struct fact) + nslots * (sizeof(struct kb_value) + sizeof(uint32_t));
}
/* Sets the hashes of f's slots (f->pub.nslots of them, set). */
static inline void kb_fact_hash_slots(struct fact *f)
{
	uint32_t *shash = (uint32_t *)&f->pub.slots[f->pub.nslots];
	for (size_t i = 0; i < f->pub.nslots; i++)
		shash[i] = kb_value_hash_inline(f->pub.slots[i]);
}
uint32_t kb_facts_hash(int kind, const struct kb_value *v, size_t n);
/* Checks values against the kind's slot types into out, turning ints in
 * float slots into floats; false (with err, if not NULL) on a mismatch. */
bool kb_facts_coerce(const struct kind *k, const struct kb_value *in, struct kb_value *out,
		     struct kb_error *err);
void kb_facts_free(struct kb_engine *eng);

/* ---- hashed memories (shared by alpha and beta) ------------------------ */

/* Intrusive chained table: each entry embeds next/prev and a hash. */
struct hlink {
	struct hlink *next, *prev;
	uint32_t hash;
};
struct hbucket {
	struct hlink *first, *last;
};
struct htab {
	struct hbucket *buckets;
	uint32_t mask; /* nbuckets - 1 */
	size_t count;
	bool keyed;    /* unkeyed tables keep one bucket */
	bool sparse;   /* kept at most half full, else full (see node_for() in compile.c) */
};
void kb_htab_init(struct htab *t, bool keyed);
void kb_htab_grow(struct htab *t);

static inline void kb_hbucket_append(struct hbucket *b, struct hlink *l)
{
	l->next = NULL;
	l->prev = b->last;
	if (b->last)
		b->last->next = l;
	else
		b->first = l;
	b->last = l;
}

/* Inline: every partial match made and deleted goes through these. */
static inline void kb_htab_add(struct htab *t, struct hlink *l, uint32_t hash)
{
	if (!t->buckets || (t->keyed && (t->count << t->sparse) > (size_t)t->mask + 1))
		kb_htab_grow(t);
	l->hash = hash;
	kb_hbucket_append(&t->buckets[hash & t->mask], l);
	t->count++;
}

static inline void kb_htab_del(struct htab *t, struct hlink *l)
{
	struct hbucket *b = &t->buckets[l->hash & t->mask];
	if (l->prev)
		l->prev->next = l->next;
	else
		b->first = l->next;
	if (l->next)
		l->next->prev = l->prev;
	else
		b->last = l->prev;
	t->count--;
}

void kb_htab_to_tail(struct htab *t, struct hlink *l); /* as if just added */
static inline struct hlink *kb_htab_bucket(const struct htab *t, uint32_t hash)
{
	return t->buckets ? t->buckets[hash & t->mask].first : NULL;
}
void kb_htab_free(struct htab *t);

/* ---- alpha network (alpha.c) ------------------------------------------- */

/* A test within one fact: slot op constant, or slot op other slot. */
struct atest {
	int slot;
	enum kb_op op;
	bool other_slot;      /* compare with slot `other` of the same fact */
	int other;
	struct kb_value value;
	size_t nset;
	struct kb_value *set;
	struct kb_pred pred;  /* KB_OP_PRED: args are the slot, then slots in pred_slots */
	int *pred_slots;
	bool spent;           /* KB_OP_MATCH out of steps too often (alpha.c): false from now on */
	uint32_t overruns;    /* values it ran out of steps on (KB_RULE_OVERRUNS) */
	/* KB_OP_MATCH on a constant pattern: the text every match contains
	 * (kb_pattern_screen(), interned), or NULL; a value without it fails
	 * the test without running the matcher.  screen_exact: a value with
	 * it passes, as the pattern is that text. */
	const char *screen;
	bool screen_folded;           /* its lower-case letters match either case */
	bool screen_exact;
	/* Its screen's bit in the slot's automaton (screens.c), which a probe
	 * runs once per value; NULL: memmem alone. */
	struct screen_set *screen_in;
	uint8_t screen_bit;
};

struct alpha_node {
	int kind;
	int dispatch_slot;            /* -1: on the kind's plain list */
	struct kb_value dispatch_value;
	size_t ntests;
	struct atest *tests;          /* excluding the dispatch test */
	struct alpha_node *next;      /* in the kind's list or dispatch bucket */
	struct amem **mems;
	size_t nmems;
	struct succ *succs;           /* beta nodes fed by any of mems, newest first */
	size_t refs;
	const struct kb_rule *owner;  /* a rule that made it, for error reports */
	/* For probes (kb_alpha_share_first_tests): the first node of its list
	 * whose first test is the same comparison, which remembers that
	 * test's answer for the probe numbered first_gen; NULL: not shared. */
	struct alpha_node *first_rep;
	uint64_t first_gen;
	bool first_passed;
};

/* A fact passing an alpha node, stored hashed on some slots. */
struct amem {
	struct alpha_node *anode;
	size_t nkey;
	int key[KB_MAX_KEY];
	struct htab items;
	size_t refs;
};

struct am_item {
	struct hlink link;       /* first: hlink <-> am_item */
	struct fact *fact;
	struct amem *mem;
	struct am_item *fnext;   /* the fact's other items */
};

struct succ {
	struct bnode *node;
	struct succ *next;
};

/* The hash of f's key slots in m: equal to the join key hash of the tokens
 * it joins with (beta.c's lkey_hash). */
static inline uint32_t kb_amem_hash(const struct amem *m, const struct fact *f)
{
	uint32_t h = 0;
	const uint32_t *shash = fact_shash(f);
	for (size_t i = 0; i < m->nkey; i++)
		h = (h ^ shash[m->key[i]]) * 0x01000193u;
	return h;
}
struct alpha_node *kb_alpha_get(struct kb_engine *eng, int kind, size_t ntests,
				const struct atest *tests, struct kb_error *err);
void kb_alpha_release(struct kb_engine *eng, struct alpha_node *a);
struct amem *kb_amem_get(struct kb_engine *eng, struct alpha_node *a, size_t nkey, const int *key);
void kb_amem_release(struct kb_engine *eng, struct amem *m);
void kb_alpha_add_succ(struct alpha_node *a, struct bnode *n);
void kb_alpha_del_succ(struct alpha_node *a, struct bnode *n);
/* Where in a kind's alpha nodes a walk stands: the dispatch table (the
 * kind's ndispatch for the plain list) and the node next visited. */
struct alpha_resume {
	size_t table;
	struct alpha_node *node;
};
/* Runs a new fact through the kind's alpha nodes into memories and beta
 * nodes; from the start, or from where the probe of the same fact found
 * the first node it did not fail (every node before it fails it). */
int kb_alpha_assert(struct kb_engine *eng, struct fact *f, const struct alpha_resume *from);
/* Takes a fact out of every memory and updates negations that it blocked. */
void kb_alpha_retract(struct kb_engine *eng, struct fact *f);
void kb_alpha_free_all(struct kb_engine *eng);
bool kb_alpha_pass(struct kb_engine *eng, struct alpha_node *a, const struct fact *f);
/* Whether f, a fact not asserted (its values coerced to the slot types,
 * strings interned or transient; its slot hashes are set here, when a join
 * is probed), could take part in a match,
 * or that cannot be told without a side effect.  It could if it passes
 * every test of some alpha node, unless each way on from that node is a
 * join it is known to fail (kb_beta_probe).  Visits the nodes as
 * kb_alpha_assert() does and runs the same tests, through the same code,
 * up to the answer; it calls no predicate and records no pattern failure
 * (at either it answers that f could, leaving them to the assert), so it
 * changes nothing.  When it answers yes, *open is the first node f did not
 * fail, where the assert of f may start. */
bool kb_alpha_probe(struct kb_engine *eng, struct fact *f, struct alpha_resume *open);
/* Links the nodes of each list whose first tests are the same comparison
 * of slot values (no pattern, no predicate), so that a probe makes it
 * once: the six stock nodes asking level ~= "information", say.  Run when
 * the pre-filter starts, on the nodes there are then. */
void kb_alpha_share_first_tests(struct kb_engine *eng);

/* ---- beta network (beta.c) --------------------------------------------- */

enum bnode_type { BN_JOIN, BN_NOT, BN_EXISTS, BN_FILTER, BN_TERMINAL };

/* Where a variable's value sits in a token: level and slot (-1: the fact). */
struct varloc {
	int level;
	int slot;
};

/* A join test against earlier levels: fact slot op token value. */
struct btest {
	int slot;                 /* slot of the new fact (-1: none, for FILTER) */
	enum kb_op op;
	struct varloc loc;        /* KB_OP_PRED: unused */
	struct kb_pred pred;      /* KB_OP_PRED: vars resolved through locs */
	struct varloc *locs;
	bool spent;               /* KB_OP_MATCH out of steps too often (beta.c): false from now on */
	uint32_t overruns;        /* values it ran out of steps on (KB_RULE_OVERRUNS) */
};

struct bnode {
	enum bnode_type type;
	int level;                /* condition index this node matches */
	struct bnode *parent;
	struct bnode **children;
	size_t nchildren;
	struct htab lmem;         /* tokens from parent (level - 1); empty unless mem == self */
	struct bnode *mem;        /* whose lmem it uses: itself, or an older JOIN sibling with the same key */
	uint64_t emit_id;         /* owner of a memory: the newest id among the nodes sharing it */
	struct token *fresh;      /* owner: the token being passed to the nodes sharing it */
	size_t nkey;              /* equality join: token loc == fact slot */
	struct varloc lkey[KB_MAX_KEY];
	int rkey[KB_MAX_KEY];
	struct amem *amem;        /* JOIN, NOT, EXISTS */
	size_t ntests;
	struct btest *tests;
	struct rule *rule;        /* TERMINAL */
	size_t refs;              /* rules sharing this node */
	uint64_t id;              /* creation order */
	bool store;               /* keep tokens in lmem (FILTER keeps them for new children) */
	bool ends;                /* a NOT ending its rule: its tokens carry the activations (compile.c) */
	bool left_final;          /* kb_beta_left_final(), set as the pre-filter starts (prefilter.c) */
	bool keyed_to_fixed;      /* kb_beta_keyed_to_fixed(), likewise, when not left_final */
	size_t partials_away;     /* owner of a memory: tokens of facts the pre-filter turned away (kb_beta_partials) */
	/* For modify in place (modify.c): the slots of the fact on the right this
	 * node reads, and per earlier level the slots it or any node below it
	 * reads.  Bit 63 stands for slots 63 and up. */
	uint64_t rmask;
	uint64_t *down;           /* [level] */
	struct kb_pool *pool;     /* where its tokens come from */
	struct fact *hint;        /* NOT, EXISTS: the blocker found last */
	uint32_t hint_hash;       /* and its hash in the alpha memory */
};

struct token {
	struct hlink link;        /* first: in the owner's lmem */
	struct token *parent;
	struct bnode *node;       /* the owner of the memory it is in */
	struct token *child, *snext, *sprev; /* children (tree-based removal) */
	struct token *fnext, *fprev;          /* other tokens ending in the same fact */
	struct fact *blocker;     /* NOT/EXISTS: a matching fact, or NULL */
	/* The partial match: the fact of each level 0 .. node->level - 1, NULL
	 * for negations, existence and tests.  An array rather than a walk up
	 * the parents, because every join key and test reads it. */
	struct fact *facts[];
};

/* The fact matched at the token's last level. */
static inline struct fact *token_last(const struct token *t)
{
	return t->node->level > 0 ? t->facts[t->node->level - 1] : NULL;
}

static inline struct htab *kb_left_memory(const struct bnode *n)
{
	return &n->mem->lmem;
}

void kb_beta_right_add(struct kb_engine *eng, struct bnode *n, struct fact *f);
void kb_beta_right_del(struct kb_engine *eng, struct bnode *n, struct fact *f);
void kb_token_delete(struct kb_engine *eng, struct token *t);
/* A fact other than exclude matching t at a NOT or EXISTS node, or NULL. */
struct fact *kb_beta_blocker(struct kb_engine *eng, struct bnode *n, const struct token *t,
			     const struct fact *exclude);

/* Whether fact f, not asserted, arriving at n from the right, could take
 * part in a match (or a predicate or pattern would have to run to tell):
 * false when n's left memory is final (n->left_final) and f passes
 * its tests with no token there or, where it does, every child of n is a
 * join with a fixed kind none of whose facts passes that child's tests;
 * false too when n is keyed_to_fixed and no fact of that fixed kind has
 * f's value in the key's slot, as no token n will ever hold can then
 * join f (nor, at a NOT or EXISTS, be blocked by it). */
bool kb_beta_probe(struct kb_engine *eng, const struct bnode *n, const struct fact *f);
/* The partial matches fact f, passing n and turned away by kb_beta_probe(),
 * would have made in the memories of n's children, which near misses count
 * (a rule's first condition an event, its second a table of knowledge the
 * event's source is not in).  With count, they are added to each memory's
 * partials_away; without, answers whether one of those memories holds fewer
 * than KB_NEAR_SHOWN partial matches: f is then kept, so that a near miss
 * there has some to show. */
#define KB_NEAR_SHOWN 8
bool kb_beta_partials(struct kb_engine *eng, const struct bnode *n, const struct fact *f, bool count);
/* Whether a key of n compares a fact at a level where n's path joins a
 * fixed kind: every token n holds, now or later, carries there one of
 * that kind's facts, which are all known. */
bool kb_beta_keyed_to_fixed(const struct kb_engine *eng, const struct bnode *n);
/* Whether n is a join whose left memory holds every token it ever will:
 * every node above it joins a fixed kind. */
bool kb_beta_left_final(const struct kb_engine *eng, const struct bnode *n);

/* Tokens of a terminal node carry their activation after the facts. */
static inline size_t kb_token_size(int depth)
{
	return sizeof(struct token) + (size_t)depth * sizeof(struct fact *);
}
#define kb_token_pool(eng, node) \
	((node)->type == BN_TERMINAL ? &(eng)->terminal_pools[(node)->level] : &(eng)->token_pools[(node)->level])
static inline struct activation *kb_token_activation(struct token *t)
{
	return (struct activation *)((char *)t + kb_token_size(t->node->level));
}
void kb_beta_fill(struct kb_engine *eng, struct bnode *child);
/* Before a node goes: deletes its tokens, or hands its memory on to a node
 * sharing it. */
void kb_bnode_free_tokens(struct kb_engine *eng, struct bnode *n);

/* ---- rules (rules.c, compile.c) ---------------------------------------- */

struct rule {
	const char *name;
	const char *where;
	int salience;
	size_t nvars;
	const char **var_names;
	struct varloc *vars;      /* where each variable is bound (level -1: local) */
	size_t nconds;
	struct kb_cond *conds;    /* deep copy of the definition; of a KB_COND_ANY, this alternative's choice */
	/* A rule with KB_COND_ANY conditions is a rule per alternative, all in
	 * the rule list: the first (the visible one, which the interface
	 * hands out) holds the others and the conditions as written. */
	struct rule *visible;     /* the first alternative; itself for a rule without any */
	size_t alt;               /* this one's number */
	size_t nalts;             /* the visible rule's: how many (1 without any) */
	struct rule **alts;       /* the visible rule's, when nalts > 1: every alternative, itself first */
	struct kb_cond *written;  /* the visible rule's, when nalts > 1: the conditions as written */
	kb_action_fn action;
	void *ud;
	int complexity;           /* LEX's tie-break: conditions and tests */
	struct level *agenda_level; /* depth: its salience's list, once it has had an activation */
	struct bnode *terminal;
	bool disabled;            /* after KB_RULE_OVERRUNS overruns of its calls */
	uint64_t overruns;
	size_t errors[KB_RULE_ERRORS_KEPT]; /* its errors' indexes in eng->errors */
	size_t nerrors;
	/* Firings and facts made in the budget's window and the one before
	 * (budget.c), to name the rules a spent run budget stopped. */
	struct { uint64_t firings, facts; } recent[2];
	struct rule *next;
};
static inline struct rule *rule_of(const struct kb_rule *r) { return (struct rule *)r; }
static inline const struct kb_rule *rule_pub(const struct rule *r) { return (const struct kb_rule *)r; }

struct bnode *kb_compile(struct kb_engine *eng, struct rule *r, struct kb_error *err);
void kb_uncompile(struct kb_engine *eng, struct bnode *terminal);
void kb_network_free(struct kb_engine *eng);
/* Brings every node's masks (down, rmask) up to date if a rule was added
 * or removed since they were last computed.  Only modify reads them, so
 * they are computed then, once for a whole rule set rather than once for
 * each rule added (quadratic in the size of the network). */
void kb_network_masks(struct kb_engine *eng);
static inline uint64_t kb_slot_bit(int slot)
{
	return slot < 0 ? 0 : (uint64_t)1 << (slot < 63 ? slot : 63);
}

/* modify.c: whether the modified copy nf of a live fact (changed: a bit
 * per changed slot) can take its place without re-matching; and doing it. */
bool kb_modify_can_move(struct kb_engine *eng, struct fact *old, struct fact *nf, uint64_t changed);
void kb_modify_move(struct kb_engine *eng, struct fact *old, struct fact *nf);
/* Finishes a move whose renewal was put off; call before anything that
 * could build matches or read the agenda. */
void kb_modify_flush(struct kb_engine *eng);
void kb_rule_copy_free(struct rule *r);
void kb_rules_free(struct kb_engine *eng);

/* ---- agenda (agenda.c) ------------------------------------------------- */

struct level;

struct activation {
	struct rule *rule;
	struct token *token;
	uint64_t seq;             /* creation order */
	struct activation *next, *prev; /* KB_DEPTH: in its salience level, newest first */
	struct level *level;
	size_t heap;              /* KB_LEX: index in the heap */
	uint32_t *tags;           /* KB_LEX: fact time tags, newest first */
	uint32_t ntags;
	bool queued;              /* on the agenda (false once taken off to fire, or withdrawn) */
};

/* The activation waiting on the agenda for t's match, if any: terminal
 * tokens, and those of a negation that ends its rule, carry one. */
static inline struct activation *kb_token_queued(struct token *t)
{
	if (t->node->type != BN_TERMINAL && !t->node->ends)
		return NULL;
	struct activation *a = kb_token_activation(t);
	return a->queued ? a : NULL;
}

/* KB_DEPTH: one list per salience, highest first; a new activation goes to
 * the head of its list, so add, remove and pop are O(1).  KB_LEX: a heap. */
struct level {
	int salience;
	struct activation *head;
	struct level *next;
};

struct agenda {
	struct level *levels;
	struct activation **heap;
	size_t heap_cap;
	size_t count;
	uint64_t seq;
};
void kb_agenda_add(struct kb_engine *eng, struct token *t);
void kb_agenda_del(struct kb_engine *eng, struct activation *a);
struct activation *kb_agenda_pop(struct kb_engine *eng);
void kb_agenda_done(struct kb_engine *eng, struct activation *a);
void kb_agenda_remove_rule(struct kb_engine *eng, const struct rule *r);
/* The token's match as a new activation: the newest (for LEX with its new
 * time tags), as if it had been withdrawn and made again. */
void kb_agenda_renew(struct kb_engine *eng, struct token *t);
void kb_agenda_free(struct kb_engine *eng);

/* The view given to actions and recorders. */
struct kb_activation {
	const struct rule *rule;
	size_t nfacts;
	const struct kb_fact *facts[KB_MAX_CONDS];
	uint64_t seq;
};
void kb_activation_view(struct kb_activation *v, const struct rule *r, const struct token *t, uint64_t seq);

/* ---- the engine -------------------------------------------------------- */

struct kb_engine {
	struct kb_arena arena;        /* facts, kinds, strings, rule copies */
	struct kb_symtab syms;
	struct kb_pool token_pools[KB_MAX_CONDS + 1]; /* by depth */
	struct kb_pool terminal_pools[KB_MAX_CONDS + 1]; /* by depth, with room for an activation */
	struct kb_pool item_pool;

	struct kind *kinds;
	size_t nkinds;

	struct fact **facts;          /* by id - 1 */
	size_t nfacts, facts_cap, nlive;
	struct fact **dup;            /* duplicate detection buckets */
	size_t dup_mask;

	struct bnode root;            /* holds no tokens; level -1 */
	uint64_t node_seq;
	struct rule *rules;
	size_t nrules;

	struct agenda agenda;
	enum kb_strategy strategy;
	bool halted;
	uint64_t fired;
	const struct kb_activation *firing; /* during an action */
	uint64_t firing_no;

	struct rule_error {
		struct kb_error err;
		uint64_t repeats;     /* the same again, counted (kb_rule_error_repeats) */
	} *errors;
	size_t nerrors;
	struct kb_budgets budgets;
	struct run {                  /* the kb_run() under way, for its budgets (budget.c) */
		uint64_t first_firing; /* eng->fired when it started */
		uint64_t facts;
		double started;       /* seconds, CLOCK_MONOTONIC */
		uint64_t window;      /* firings in the current window */
		uint64_t ticks;       /* firings and facts made: the clock and memory are read every so many */
	} run;
	struct kb_overrun overrun;    /* budget KB_BUDGET_NONE until one is spent */
	uint64_t match_steps;         /* per KB_OP_MATCH test on one value */
	struct rule *compiling;       /* the rule kb_rule_add() is compiling, for its errors */

	const struct kb_recorder *rec;
	bool no_move;                 /* tests: always modify by retract and assert */
	bool no_share;                /* tests: every node keeps a memory of its own, every rule a terminal with tokens */
	bool masks_stale;             /* the network changed since kb_network_masks */
	size_t moved;                 /* modifies done in place */
	struct fact *pending_old, *pending_new; /* a move whose renewal waits (modify.c) */

#define KB_IDENT_MEMOS 64
#define KB_IDENT_MEMO_TEXT 31
	struct prefilter {            /* prefilter.c */
		enum { KB_PREFILTER_OFF, KB_PREFILTER_ON, KB_PREFILTER_RULED_OUT } state;
		char *scratch;        /* transient symbols of the fact being probed */
		size_t scratch_cap;
		bool fixed;           /* some kind is fixed: probes look past the alpha nodes */
		bool partials;        /* near misses are asked for: count what turned-away facts would have made */
		bool screened;        /* the screen automata are built */
		uint64_t gen;         /* the probe under way: what screens found is its */
		/* Short strings probed for identity lately and what kb_intern_find
		 * said of them: the same few sources and levels come back on
		 * nearly every event.  A "not interned" answer holds while the
		 * symbol table has as many symbols as when it was given (syms). */
		struct ident_memo {
			uint8_t len;
			char text[KB_IDENT_MEMO_TEXT];
			const char *interned;
			size_t syms;
		} memo[KB_IDENT_MEMOS];
		/* The last fact the probe kept (the caller's values and kind) and
		 * where its assert may start, taken by that assert
		 * (kb_prefilter_take_resume): a kept fact's alpha tests up to its
		 * first node not failed run once, not twice. */
		const struct kb_value *resume_values;
		int resume_kind;
		struct alpha_resume resume;
	} prefilter;
};

/* A rule is being added: the pre-filter, if on, could have turned away
 * facts the rule would match, so it goes off for good. */
void kb_prefilter_rule_added(struct kb_engine *eng);
void kb_prefilter_free(struct kb_engine *eng);
/* Whether the fact of kind with these values (the same array) is the last
 * one kb_prefilter_wants() kept, and then where its assert may start
 * (*from).  Forgets it either way: only the assert that follows the probe
 * takes it. */
bool kb_prefilter_take_resume(struct kb_engine *eng, int kind, const struct kb_value *values,
			      struct alpha_resume *from);

/* Screen texts looked for at once (screens.c).  Builds every kind's
 * automata from the alpha nodes there are; frees them. */
void kb_screens_build(struct kb_engine *eng);
void kb_screens_free(struct kb_engine *eng);
/* What a screen set found in the value of the probe numbered gen: a bit
 * per screen.  The head of every set (screens.c), read inline because a
 * probe asks it once per screened node. */
struct screen_found {
	uint64_t gen;
	uint64_t found;
};
/* Tests: at most this many bytes compared at a time (32 AVX2, 16 SSE2,
 * else none; 32 unless said) in screens built from now on, to reach every
 * path on one processor. */
void kb_screens_limit_vectors(int bytes);
/* Reads v for every screen of t's set (kb_screen_may_hold does, once). */
bool kb_screens_find(struct kb_engine *eng, const struct atest *t, struct kb_value v);
/* Whether t's screen may stand in v (t->screen_in is set): false means it
 * does not.  The value is read once per probe (eng->prefilter.gen). */
static inline bool kb_screen_may_hold(struct kb_engine *eng, const struct atest *t, struct kb_value v)
{
	const struct screen_found *c = (const struct screen_found *)(const void *)t->screen_in;
	if (c->gen == eng->prefilter.gen)
		return c->found >> t->screen_bit & 1;
	return kb_screens_find(eng, t, v);
}

/* An error of r's predicate or action on one activation or fact: recorded
 * (kb_rule_error_add); an overrun counts towards disabling r. */
void kb_rule_fail(struct kb_engine *eng, struct rule *r, const struct kb_error *err);
/* Records err as r's (r NULL: the run's): a new record, or a repeat of
 * one (kb_rule_error_repeats), and tells the recorder of a new one. */
void kb_rule_error_add(struct kb_engine *eng, struct rule *r, const struct kb_error *err);

/* ---- the run's budgets (budget.c) --------------------------------------- */

void kb_budget_run_start(struct kb_engine *eng);
/* Before a firing: false when a budget is spent (the engine then stops). */
bool kb_budget_may_fire(struct kb_engine *eng);
/* r fires. */
void kb_budget_firing(struct kb_engine *eng, struct rule *r);
/* Before a rule action makes a fact (eng->firing set): false, with err,
 * when a budget is spent. */
bool kb_budget_may_make(struct kb_engine *eng, struct kb_error *err);
/* A rule action made a fact. */
void kb_budget_made(struct kb_engine *eng);
/* A KB_OP_MATCH test on slot of alpha node a, or of beta node n, failed on
 * one value (kb_value_match() said why): an error of the rule being
 * compiled and of every rule whose chain reads a or goes through n, each
 * at its condition with that test.  spent: the test gives up for good
 * (KB_RULE_OVERRUNS), which the error says. */
void kb_rules_match_failed(struct kb_engine *eng, const struct alpha_node *a, const struct bnode *n, int slot,
			   struct kb_value pat, bool spent, struct kb_error *why);

#endif
