/*
 * beta.c — the beta network: joins between conditions, negation,
 * existence, filters and the terminal node that feeds the agenda.
 *
 * A node's left memory holds the partial matches coming from its parent,
 * hashed on the node's join key (sibling joins with the same key share
 * one: a token passed to them all is made once); its alpha memory is
 * hashed on the matching slots with the same hash function, so a join
 * looks at one bucket from either side.  Negation and existence keep one
 * matching fact per left token (its blocker) rather than a list or a
 * count: when the blocker leaves, the token searches for another.
 */
#include <string.h>

#include "internal.h"

static inline struct kb_value value_at(const struct bnode *n, const struct token *t,
				       const struct fact *f, struct varloc loc)
{
	const struct fact *src = loc.level == n->level ? f : t->facts[loc.level];
	return src->pub.slots[loc.slot];
}

static inline bool key_match(const struct bnode *n, const struct token *t, const struct fact *f)
{
	for (size_t i = 0; i < n->nkey; i++) {
		struct kb_value a = t->facts[n->lkey[i].level]->pub.slots[n->lkey[i].slot];
		if (!kb_value_eq_inline(a, f->pub.slots[n->rkey[i]]))
			return false;
	}
	return true;
}

static bool run_pred(struct kb_engine *eng, const struct bnode *n, const struct btest *bt,
		     const struct token *t, const struct fact *f)
{
	size_t nargs = (bt->slot >= 0) + bt->pred.nvars;
	struct kb_value args[nargs ? nargs : 1];
	size_t k = 0;
	if (bt->slot >= 0)
		args[k++] = f->pub.slots[bt->slot];
	for (size_t i = 0; i < bt->pred.nvars; i++)
		args[k++] = bt->locs[i].level < 0 ? kb_nil() : value_at(n, t, f, bt->locs[i]);
	struct kb_error err = {0};
	int r = bt->pred.fn(bt->pred.ud, args, nargs, &err);
	if (r < 0 && n->rule)
		kb_rule_fail(eng, n->rule, &err);
	return r > 0;
}

/* A pattern from a variable: malformed or out of steps fails the test on
 * this match, with an error for the rules through n, and once out of
 * steps KB_RULE_OVERRUNS times it is not run again (as in alpha.c). */
static bool run_match(struct kb_engine *eng, const struct bnode *n, struct btest *bt,
		      const struct token *t, const struct fact *f)
{
	if (bt->spent)
		return false;
	struct kb_value pat = value_at(n, t, f, bt->loc);
	struct kb_error why;
	int r = kb_value_match(f->pub.slots[bt->slot], pat, eng->match_steps, &why);
	if (r < 0) {
		bt->spent = why.status == KB_EBUDGET && ++bt->overruns == KB_RULE_OVERRUNS;
		kb_rules_match_failed(eng, NULL, n, bt->slot, pat, bt->spent, &why);
	}
	return r > 0;
}

/* n's tests on token t and fact f, in order: 1 all pass, 0 one fails, -1
 * probing (the pre-filter) and a predicate or pattern comes first, as a
 * probe runs neither. */
static inline int run_tests(struct kb_engine *eng, const struct bnode *n, const struct token *t,
			    const struct fact *f, bool probing)
{
	for (size_t i = 0; i < n->ntests; i++) {
		struct btest *bt = &n->tests[i];
		if (bt->op == KB_OP_PRED || bt->op == KB_OP_MATCH) {
			if (probing)
				return -1;
			if (!(bt->op == KB_OP_PRED ? run_pred(eng, n, bt, t, f) : run_match(eng, n, bt, t, f)))
				return 0;
		} else if (!kb_value_test_inline(bt->op, f->pub.slots[bt->slot], value_at(n, t, f, bt->loc))) {
			return 0;
		}
	}
	return 1;
}

static inline bool tests_pass(struct kb_engine *eng, const struct bnode *n, const struct token *t,
		       const struct fact *f)
{
	return run_tests(eng, n, t, f, false) > 0;
}

static inline bool join_match(struct kb_engine *eng, const struct bnode *n, const struct token *t,
		       const struct fact *f)
{
	return key_match(n, t, f) && tests_pass(eng, n, t, f);
}

/* ---- tokens ---------------------------------------------------------------- */

static void left_activate(struct kb_engine *eng, struct bnode *n, struct token *t);

/* The hash of n's join key over the token parent and f will make, taken
 * before the token exists. */
static inline uint32_t lkey_hash_of(const struct bnode *n, const struct token *parent, const struct fact *f)
{
	uint32_t h = 0;
	for (size_t i = 0; i < n->nkey; i++) {
		int level = n->lkey[i].level;
		const struct fact *src = level == n->level - 1 ? f : parent->facts[level];
		h = (h ^ fact_shash(src)[n->lkey[i].slot]) * 0x01000193u;
	}
	return h;
}

static struct token *token_new(struct kb_engine *eng, struct bnode *owner, struct token *parent,
			       struct fact *f)
{
	int depth = owner->level; /* facts[0 .. depth) */
	/* The left memory's bucket, the alpha memory's bucket the node will
	 * look up next and the fact's newest token are likely cache misses:
	 * their loads start now, to overlap with making the token. */
	uint32_t h = 0;
	if (owner->store) {
		h = lkey_hash_of(owner, parent, f);
		if (owner->lmem.buckets)
			__builtin_prefetch(&owner->lmem.buckets[h & owner->lmem.mask], 1);
		if (owner->amem && owner->amem->items.buckets)
			__builtin_prefetch(&owner->amem->items.buckets[h & owner->amem->items.mask]);
	}
	if (f && f->tokens)
		__builtin_prefetch(f->tokens, 1);
	struct token *t = kb_pool_get(owner->pool);
	t->parent = parent;
	t->node = owner;
	t->child = NULL;
	t->sprev = NULL;
	if (parent) {
		struct fact **restrict dst = t->facts;
		struct fact *const *restrict src = parent->facts;
		switch (depth - 1) { /* short partial matches, copied without a call */
		case 8: dst[7] = src[7]; /* fall through */
		case 7: dst[6] = src[6]; /* fall through */
		case 6: dst[5] = src[5]; /* fall through */
		case 5: dst[4] = src[4]; /* fall through */
		case 4: dst[3] = src[3]; /* fall through */
		case 3: dst[2] = src[2]; /* fall through */
		case 2: dst[1] = src[1]; /* fall through */
		case 1: dst[0] = src[0]; /* fall through */
		case 0: break;
		default: memcpy(dst, src, (size_t)(depth - 1) * sizeof(*dst));
		}
		t->snext = parent->child;
		if (parent->child)
			parent->child->sprev = t;
		parent->child = t;
	} else {
		t->snext = NULL;
	}
	if (depth > 0)
		t->facts[depth - 1] = f;
	t->fprev = NULL;
	if (f) {
		t->fnext = f->tokens;
		if (f->tokens)
			f->tokens->fprev = t;
		f->tokens = t;
	} else {
		t->fnext = NULL;
	}
	t->blocker = NULL;
	if (owner->type == BN_TERMINAL || owner->ends)
		kb_token_activation(t)->queued = false;
	if (owner->store)
		kb_htab_add(&owner->lmem, &t->link, h);
	return t;
}

static inline void emit(struct kb_engine *eng, struct bnode *child, struct token *parent, struct fact *f)
{
	left_activate(eng, child, token_new(eng, child, parent, f));
}

/* Children newest first, as alpha successors are: a rule added later sees
 * a shared partial match before the rules it shares it with, so under the
 * depth strategy the older rule's activations, made later, fire first.
 * Children sharing a memory get one token, made for the first of them. */
static void emit_all(struct kb_engine *eng, struct bnode *n, struct token *parent, struct fact *f)
{
	for (size_t i = n->nchildren; i-- > 0;) {
		struct bnode *c = n->children[i], *owner = c->mem;
		if (c->id == owner->emit_id)
			owner->fresh = token_new(eng, owner, parent, f);
		left_activate(eng, c, owner->fresh);
	}
}

/* Takes a token out of its memory, its fact's list and the agenda. */
static void detach(struct kb_engine *eng, struct token *t)
{
	struct bnode *n = t->node;
	if (n->store)
		kb_htab_del(&n->lmem, &t->link);
	struct activation *a = kb_token_queued(t);
	if (a)
		kb_agenda_del(eng, a);
	struct fact *f = token_last(t);
	if (f) {
		if (t->fprev)
			t->fprev->fnext = t->fnext;
		else
			f->tokens = t->fnext;
		if (t->fnext)
			t->fnext->fprev = t->fprev;
	}
}

/* A whole subtree goes: its tokens need not leave their parents' child
 * lists one by one, since the parents go too. */
static void free_subtree(struct kb_engine *eng, struct token *t)
{
	for (struct token *c = t->child, *next; c; c = next) {
		next = c->snext;
		free_subtree(eng, c);
	}
	detach(eng, t);
	kb_pool_put(t->node->pool, t);
}

void kb_token_delete(struct kb_engine *eng, struct token *t)
{
	if (t->parent) {
		if (t->sprev)
			t->sprev->snext = t->snext;
		else
			t->parent->child = t->snext;
		if (t->snext)
			t->snext->sprev = t->sprev;
	}
	free_subtree(eng, t);
}

static void delete_children(struct kb_engine *eng, struct token *t)
{
	for (struct token *c = t->child, *next; c; c = next) {
		next = c->snext;
		free_subtree(eng, c);
	}
	t->child = NULL;
}

/* A negation passes an unblocked match on, or takes it back when blocked.
 * One that ends its rule has no child token to make: its own token is the
 * match the rule fires on and carries the activation: one token fewer
 * per match, each a dependent cache miss to make and to free. */
static void pass_on(struct kb_engine *eng, struct bnode *n, struct token *t)
{
	if (!n->ends)
		emit_all(eng, n, t, NULL);
	else if (!n->rule->disabled)
		kb_agenda_add(eng, t);
}

static void take_back(struct kb_engine *eng, struct bnode *n, struct token *t)
{
	struct activation *a;
	if (!n->ends)
		delete_children(eng, t);
	else if ((a = kb_token_queued(t)))
		kb_agenda_del(eng, a);
}

/* ---- activation from either side ------------------------------------------ */

/* f's entry in the alpha memory mem. */
static struct hlink *item_in(const struct fact *f, const struct amem *mem)
{
	for (struct am_item *it = f->items; it; it = it->fnext)
		if (it->mem == mem)
			return &it->link;
	return NULL;
}

static inline struct fact *blocker_at(struct kb_engine *eng, struct bnode *n, const struct token *t,
				      const struct fact *exclude, const struct hlink *l)
{
	struct fact *f = ((const struct am_item *)l)->fact;
	if (l->hash != t->link.hash || f == exclude || !join_match(eng, n, t, f))
		return NULL;
	n->hint_hash = l->hash;
	return n->hint = f;
}

/* The scan after the last blocker h, round to it (or the whole bucket,
 * should h have no item there). */
static struct fact *find_blocker_after(struct kb_engine *eng, struct bnode *n, const struct token *t,
				       const struct fact *exclude, const struct fact *h)
{
	struct hlink *after = item_in(h, n->amem), *l;
	struct fact *f;
	for (l = after ? after->next : NULL; l; l = l->next)
		if ((f = blocker_at(eng, n, t, exclude, l)))
			return f;
	for (l = kb_htab_bucket(&n->amem->items, t->link.hash); l && l != after; l = l->next)
		if ((f = blocker_at(eng, n, t, exclude, l)))
			return f;
	return NULL;
}

/* A fact that matches t at a negation or existence node; one is enough to
 * block (or satisfy) it, and which one is found changes nothing but when
 * to look again.  The node's last blocker is tried first, and when it does
 * not match, the scan starts after it and wraps round: for tests like
 * `no(junction { base_point = gt "?bp" })` one fact blocks nearly every
 * token, or the next fact in the memory does, and a scan from the front
 * would cross the memory for each token. */
static struct fact *find_blocker(struct kb_engine *eng, struct bnode *n, const struct token *t,
				 const struct fact *exclude)
{
	struct fact *h = n->hint, *f;
	if (h && n->hint_hash == t->link.hash && h->pub.live)
		return h != exclude && join_match(eng, n, t, h) ? h : find_blocker_after(eng, n, t, exclude, h);
	for (struct hlink *l = kb_htab_bucket(&n->amem->items, t->link.hash); l; l = l->next)
		if ((f = blocker_at(eng, n, t, exclude, l)))
			return f;
	return NULL;
}

struct fact *kb_beta_blocker(struct kb_engine *eng, struct bnode *n, const struct token *t,
			     const struct fact *exclude)
{
	return find_blocker(eng, n, t, exclude);
}

static bool filter_pass(struct kb_engine *eng, const struct bnode *n, const struct token *t)
{
	return tests_pass(eng, n, t, NULL);
}

static void left_activate(struct kb_engine *eng, struct bnode *n, struct token *t)
{
	switch (n->type) {
	case BN_JOIN:
		for (struct hlink *l = kb_htab_bucket(&n->amem->items, t->link.hash); l; l = l->next) {
			struct am_item *it = (struct am_item *)l;
			if (l->hash == t->link.hash && join_match(eng, n, t, it->fact))
				emit_all(eng, n, t, it->fact);
		}
		break;
	case BN_NOT:
		if (!(t->blocker = find_blocker(eng, n, t, NULL)))
			pass_on(eng, n, t);
		break;
	case BN_EXISTS:
		if ((t->blocker = find_blocker(eng, n, t, NULL)))
			emit_all(eng, n, t, NULL);
		break;
	case BN_FILTER:
		if (filter_pass(eng, n, t))
			emit_all(eng, n, t, NULL);
		break;
	case BN_TERMINAL:
		if (!n->rule->disabled)
			kb_agenda_add(eng, t);
		break;
	}
}

/* Right activations first look whether the left memory holds anything:
 * most do not (a rule whose first pattern is a stage or context that does
 * not hold now), and the count sits beside the bucket pointer where the
 * bucket itself is a cache miss. */
void kb_beta_right_add(struct kb_engine *eng, struct bnode *n, struct fact *f)
{
	const struct htab *lmem = kb_left_memory(n);
	if (!lmem->count)
		return;
	uint32_t h = kb_amem_hash(n->amem, f);
	bool join = n->type == BN_JOIN;
	for (struct hlink *l = kb_htab_bucket(lmem, h); l; l = l->next) {
		struct token *t = (struct token *)l;
		if (l->hash != h || (!join && t->blocker) || !join_match(eng, n, t, f))
			continue;
		if (join) {
			emit_all(eng, n, t, f);
		} else {
			t->blocker = f;
			n->type == BN_NOT ? take_back(eng, n, t) : emit_all(eng, n, t, NULL);
		}
	}
}

/* A negation's or existence's blocker left (it is out of the alpha memory
 * by now): the tokens it blocked look for another. */
void kb_beta_right_del(struct kb_engine *eng, struct bnode *n, struct fact *f)
{
	const struct htab *lmem = kb_left_memory(n);
	if (!lmem->count)
		return;
	uint32_t h = kb_amem_hash(n->amem, f);
	for (struct hlink *l = kb_htab_bucket(lmem, h); l; l = l->next) {
		struct token *t = (struct token *)l;
		if (t->blocker != f || (t->blocker = find_blocker(eng, n, t, NULL)))
			continue;
		n->type == BN_NOT ? pass_on(eng, n, t) : delete_children(eng, t);
	}
}

/* ---- building and tearing down ---------------------------------------------- */

/* Calls fn on each token in n's left memory (which may be a sibling's). */
static void for_each_token(struct bnode *n, void (*fn)(struct kb_engine *, struct bnode *, struct token *),
			   struct kb_engine *eng, struct bnode *arg)
{
	const struct htab *mem = kb_left_memory(n);
	for (uint32_t b = 0; mem->buckets && b <= mem->mask; b++)
		for (struct hlink *l = mem->buckets[b].first; l;) {
			struct hlink *next = l->next;
			fn(eng, arg, (struct token *)l);
			l = next;
		}
}

/* Gives a new child the partial matches its parent already passes on. */
static void fill_from(struct kb_engine *eng, struct bnode *child, struct token *t)
{
	struct bnode *p = child->parent;
	switch (p->type) {
	case BN_JOIN:
		for (struct hlink *l = kb_htab_bucket(&p->amem->items, t->link.hash); l; l = l->next) {
			struct am_item *it = (struct am_item *)l;
			if (l->hash == t->link.hash && join_match(eng, p, t, it->fact))
				emit(eng, child, t, it->fact);
		}
		break;
	case BN_NOT:
		if (!t->blocker)
			emit(eng, child, t, NULL);
		break;
	case BN_EXISTS:
		if (t->blocker)
			emit(eng, child, t, NULL);
		break;
	case BN_FILTER:
		if (filter_pass(eng, p, t))
			emit(eng, child, t, NULL);
		break;
	case BN_TERMINAL:
		break;
	}
}

/* The token made for t (and f, the fact its parent joined) in a memory. */
static struct token *made_for(const struct bnode *owner, const struct token *t, const struct fact *f)
{
	for (struct token *c = f ? f->tokens : t->child; c; c = f ? c->fnext : c->snext)
		if (c->node == owner && c->parent == t)
			return c;
	return NULL;
}

/* A new child sharing a sibling's memory finds its tokens there, and takes
 * them in the order fill_from() would have made them (no test is run
 * again: a token is there exactly when its parent passed it on). */
static void fill_shared(struct kb_engine *eng, struct bnode *child, struct token *t)
{
	struct bnode *p = child->parent;
	struct token *made;
	if (p->type != BN_JOIN) {
		if ((made = made_for(child->mem, t, NULL)))
			left_activate(eng, child, made);
		return;
	}
	for (struct hlink *l = kb_htab_bucket(&p->amem->items, t->link.hash); l; l = l->next)
		if (l->hash == t->link.hash && (made = made_for(child->mem, t, ((struct am_item *)l)->fact)))
			left_activate(eng, child, made);
}

void kb_beta_fill(struct kb_engine *eng, struct bnode *child)
{
	if (child->parent == &eng->root)
		emit(eng, child, NULL, NULL);
	else
		for_each_token(child->parent, child->mem == child ? fill_from : fill_shared, eng, child);
}

static void delete_tokens_of(struct kb_engine *eng, struct bnode *n, struct token *t)
{
	for (struct token *c = t->child; c;) {
		struct token *next = c->snext;
		if (c->node == n)
			kb_token_delete(eng, c);
		c = next;
	}
}

/* The newest id among the nodes (but `leaving`) that share owner's memory. */
static uint64_t newest_sharer(const struct bnode *owner, const struct bnode *leaving)
{
	uint64_t id = 0;
	const struct bnode *p = owner->parent;
	for (size_t i = 0; i < p->nchildren; i++)
		if (p->children[i] != leaving && p->children[i]->mem == owner && p->children[i]->id > id)
			id = p->children[i]->id;
	return id;
}

/* n owns a memory others share: the oldest of them takes it over. */
static bool hand_on_memory(struct bnode *n)
{
	struct bnode *p = n->parent, *heir = NULL;
	for (size_t i = 0; i < p->nchildren && !heir; i++)
		if (p->children[i] != n && p->children[i]->mem == n)
			heir = p->children[i];
	if (!heir)
		return false;
	heir->lmem = n->lmem;
	kb_htab_init(&n->lmem, n->lmem.keyed);
	for (size_t i = 0; i < p->nchildren; i++)
		if (p->children[i]->mem == n)
			p->children[i]->mem = heir;
	for (uint32_t b = 0; heir->lmem.buckets && b <= heir->lmem.mask; b++)
		for (struct hlink *l = heir->lmem.buckets[b].first; l; l = l->next)
			((struct token *)l)->node = heir;
	heir->emit_id = newest_sharer(heir, n);
	return true;
}

void kb_bnode_free_tokens(struct kb_engine *eng, struct bnode *n)
{
	if (n->mem != n) { /* the tokens are the owner's; those it made went with its children */
		n->mem->emit_id = newest_sharer(n->mem, n);
		return;
	}
	if (hand_on_memory(n))
		return;
	if (n->parent != &eng->root) {
		for_each_token(n->parent, delete_tokens_of, eng, n);
		return;
	}
	/* First-level nodes hold root tokens, which have no parent. */
	for (uint32_t b = 0; n->lmem.buckets && b <= n->lmem.mask; b++)
		while (n->lmem.buckets[b].first)
			kb_token_delete(eng, (struct token *)n->lmem.buckets[b].first);
}

/* ---- probing (the pre-filter) ------------------------------------------------ */

bool kb_beta_left_final(const struct kb_engine *eng, const struct bnode *n)
{
	if (n->type != BN_JOIN)
		return false;
	for (const struct bnode *p = n->parent; p != &eng->root; p = p->parent)
		if (p->type != BN_JOIN || !eng->kinds[p->amem->anode->kind].fixed)
			return false;
	return true;
}

/* n's join of token t and fact f as a probe: 1 pass, 0 fail, -1 cannot tell. */
static int probe_match(struct kb_engine *eng, const struct bnode *n, const struct token *t, const struct fact *f)
{
	return key_match(n, t, f) ? run_tests(eng, n, t, f, true) : 0;
}

/* Whether child c of a join could take the token that t and f, the join's
 * new fact, would make: false when c joins a fixed kind and none of its
 * facts passes c's tests with that token. */
static bool probe_child(struct kb_engine *eng, const struct bnode *c, const struct token *t, const struct fact *f)
{
	if (c->type != BN_JOIN || !eng->kinds[c->amem->anode->kind].fixed)
		return true;
	_Alignas(struct token) char buf[sizeof(struct token) + KB_MAX_CONDS * sizeof(struct fact *)];
	struct token *made = (struct token *)buf;
	int level = c->level - 1; /* f's */
	memcpy(made->facts, t->facts, (size_t)level * sizeof(t->facts[0]));
	made->facts[level] = (struct fact *)f;
	uint32_t h = lkey_hash_of(c, t, f);
	for (struct hlink *l = kb_htab_bucket(&c->amem->items, h); l; l = l->next) {
		if (l->hash != h)
			continue;
		if (probe_match(eng, c, made, ((const struct am_item *)l)->fact))
			return true;
	}
	return false;
}

bool kb_beta_partials(struct kb_engine *eng, const struct bnode *n, const struct fact *f, bool count)
{
	if (!n->left_final) /* keyed_to_fixed: f makes no token at n */
		return false;
	uint32_t h = kb_amem_hash(n->amem, f);
	for (struct hlink *l = kb_htab_bucket(kb_left_memory(n), h); l; l = l->next) {
		if (l->hash != h || probe_match(eng, n, (const struct token *)l, f) != 1)
			continue;
		for (size_t i = 0; i < n->nchildren; i++) {
			struct bnode *owner = n->children[i]->mem;
			if (!owner->store || n->children[i]->id != owner->emit_id) /* one token per memory (emit_all) */
				continue;
			if (count)
				owner->partials_away++;
			else if (owner->lmem.count < KB_NEAR_SHOWN)
				return true;
		}
	}
	return false;
}

/* The join of a fixed kind on n's path whose facts key i of n compares,
 * or NULL. */
static const struct bnode *fixed_source(const struct kb_engine *eng, const struct bnode *n, size_t i)
{
	for (const struct bnode *p = n->parent; p != &eng->root; p = p->parent)
		if (p->level == n->lkey[i].level)
			return p->type == BN_JOIN && eng->kinds[p->amem->anode->kind].fixed ? p : NULL;
	return NULL;
}

bool kb_beta_keyed_to_fixed(const struct kb_engine *eng, const struct bnode *n)
{
	if (n->type != BN_JOIN && n->type != BN_NOT && n->type != BN_EXISTS)
		return false;
	for (size_t i = 0; i < n->nkey; i++)
		if (fixed_source(eng, n, i))
			return true;
	return false;
}

/* Whether a fact in p's alpha memory (a superset of those its tokens
 * carry) has v in slot.  A table of knowledge is small: a walk. */
static bool fixed_has_value(const struct bnode *p, int slot, struct kb_value v)
{
	const struct htab *items = &p->amem->items;
	for (uint32_t b = 0; items->buckets && b <= items->mask; b++)
		for (const struct hlink *l = items->buckets[b].first; l; l = l->next)
			if (kb_value_eq_inline(((const struct am_item *)l)->fact->pub.slots[slot], v))
				return true;
	return false;
}

static bool joins_fixed_values(const struct kb_engine *eng, const struct bnode *n, const struct fact *f)
{
	for (size_t i = 0; i < n->nkey; i++) {
		const struct bnode *p = fixed_source(eng, n, i);
		if (p && !fixed_has_value(p, n->lkey[i].slot, f->pub.slots[n->rkey[i]]))
			return false;
	}
	return true;
}

bool kb_beta_probe(struct kb_engine *eng, const struct bnode *n, const struct fact *f)
{
	if (n->keyed_to_fixed)
		return joins_fixed_values(eng, n, f);
	if (!n->left_final || !n->nchildren)
		return true;
	uint32_t h = kb_amem_hash(n->amem, f);
	for (struct hlink *l = kb_htab_bucket(kb_left_memory(n), h); l; l = l->next) {
		const struct token *t = (const struct token *)l;
		if (l->hash != h)
			continue;
		int r = probe_match(eng, n, t, f);
		if (r < 0)
			return true;
		for (size_t i = 0; r && i < n->nchildren; i++)
			if (probe_child(eng, n->children[i], t, f))
				return true;
	}
	return false;
}
