/*
 * compile.c — turns a rule's conditions into network nodes.
 *
 * First a plan, with every check done: which tests look at one fact (alpha),
 * which variables join on equality (the hash key), which remaining tests
 * compare with earlier conditions (beta tests).  Only a valid plan touches
 * the network: each level reuses the parent's child with the same plan
 * (node sharing) or makes a new node, and the topmost new node is filled
 * from its parent so the rule sees the facts already asserted.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct plan {
	enum bnode_type type;
	int kind;
	size_t natests, nbtests, nkey;
	struct atest *atests;
	struct btest *btests;
	struct varloc lkey[KB_MAX_KEY];
	int rkey[KB_MAX_KEY];
};

struct planner {
	struct kb_engine *eng;
	struct rule *r;
	struct plan *plans;
	struct kb_error *err;
};

static int fail(struct planner *p, const struct kb_cond *c, const char *fmt, const char *a, const char *b)
{
	kb_error_set(p->err, KB_EINVAL, c && c->where ? c->where : p->r->where, fmt, a, b);
	return -1;
}

static const char *var_name(const struct rule *r, int v)
{
	return r->var_names && r->var_names[v] ? r->var_names[v] : "?";
}

static bool const_fits(enum kb_type slot, enum kb_op op, struct kb_value v)
{
	if (op == KB_OP_MATCH || op == KB_OP_CI_EQ)
		return slot == KB_STRING && v.type == KB_STRING;
	if (v.type == slot)
		return true;
	return (slot == KB_FLOAT || slot == KB_INT) && (v.type == KB_INT || v.type == KB_FLOAT);
}

/* Plans one slot test of the pattern at `level`; bound[] tells which
 * variables are bound by now. */
static int plan_test(struct planner *p, const struct kb_cond *c, int level, const struct kb_test *t,
		     struct plan *pl)
{
	const struct kind *k = &p->eng->kinds[c->kind];
	if (t->slot < 0 || t->slot >= k->nslots)
		return fail(p, c, "%s has no slot number %s", k->name, "given");
	enum kb_type st = k->slots[t->slot].type;
	const char *sname = k->slots[t->slot].name;
	struct atest *at = &pl->atests[pl->natests];
	struct btest *bt = &pl->btests[pl->nbtests];
	memset(at, 0, sizeof(*at));
	memset(bt, 0, sizeof(*bt));
	at->slot = bt->slot = t->slot;
	at->op = bt->op = t->op;

	if (t->op == KB_OP_PRED) {
		struct varloc *locs = kbu_calloc(t->pred.nvars ? t->pred.nvars : 1, sizeof(*locs));
		int *slots = kbu_calloc(t->pred.nvars ? t->pred.nvars : 1, sizeof(int));
		bool local = true;
		for (size_t i = 0; i < t->pred.nvars; i++) {
			int v = t->pred.vars[i];
			if (v < 0 || (size_t)v >= p->r->nvars || p->r->vars[v].level < 0) {
				free(locs);
				free(slots);
				return fail(p, c, "variable %s is used in a test before it is bound", var_name(p->r, v < 0 || (size_t)v >= p->r->nvars ? 0 : v), NULL);
			}
			locs[i] = p->r->vars[v];
			slots[i] = locs[i].slot;
			local = local && locs[i].level == level && locs[i].slot >= 0;
		}
		if (local) {
			at->pred = t->pred;
			at->pred_slots = slots;
			free(locs);
			pl->natests++;
		} else {
			bt->pred = t->pred;
			bt->locs = locs;
			free(slots);
			pl->nbtests++;
		}
		return 0;
	}
	if (t->operand == KB_OPERAND_SET) {
		for (size_t i = 0; i < t->nset; i++)
			if (!const_fits(st, KB_OP_EQ, t->set[i]))
				return fail(p, c, "slot %s holds %ss; a value in the set never matches", sname,
					    kb_type_name(st));
		at->nset = t->nset;
		at->set = (struct kb_value *)t->set;
		pl->natests++;
		return 0;
	}
	if (t->operand == KB_OPERAND_CONST) {
		if (!const_fits(st, t->op, t->value))
			return fail(p, c, "slot %s holds %ss; the test's constant never matches", sname,
				    kb_type_name(st));
		at->value = t->value;
		pl->natests++;
		return 0;
	}
	if (t->operand != KB_OPERAND_VAR || t->var < 0 || (size_t)t->var >= p->r->nvars)
		return fail(p, c, "malformed test on slot %s%s", sname, "");
	struct varloc *loc = &p->r->vars[t->var];
	if (loc->level < 0) {
		if (t->op != KB_OP_EQ)
			return fail(p, c, "variable %s is compared before it is bound", var_name(p->r, t->var), NULL);
		loc->level = level; /* first occurrence binds */
		loc->slot = t->slot;
		return 0;
	}
	if (loc->slot < 0)
		return fail(p, c, "variable %s names a fact and cannot be compared with slot %s",
			    var_name(p->r, t->var), sname);
	if (loc->level == level) {
		at->other_slot = true;
		at->other = loc->slot;
		pl->natests++;
	} else if (t->op == KB_OP_EQ && pl->nkey < KB_MAX_KEY) {
		pl->lkey[pl->nkey] = *loc;
		pl->rkey[pl->nkey++] = t->slot;
	} else {
		bt->loc = *loc;
		pl->nbtests++;
	}
	return 0;
}

static int plan_pattern(struct planner *p, const struct kb_cond *c, int level, struct plan *pl)
{
	if (c->kind < 0 || (size_t)c->kind >= p->eng->nkinds)
		return fail(p, c, "unknown kind%s%s", "", "");
	pl->kind = c->kind;
	pl->atests = kbu_calloc(c->ntests ? c->ntests : 1, sizeof(*pl->atests));
	pl->btests = kbu_calloc(c->ntests ? c->ntests : 1, sizeof(*pl->btests));
	/* Variables first bound inside a negation stay inside it. */
	bool was_bound[p->r->nvars ? p->r->nvars : 1];
	for (size_t v = 0; v < p->r->nvars; v++)
		was_bound[v] = p->r->vars[v].level >= 0;
	for (size_t i = 0; i < c->ntests; i++)
		if (plan_test(p, c, level, &c->tests[i], pl) < 0)
			return -1;
	if (c->type != KB_COND_PATTERN) {
		for (size_t v = 0; v < p->r->nvars; v++)
			if (!was_bound[v])
				p->r->vars[v].level = -1;
		return 0;
	}
	if (c->fact_var >= 0) {
		if ((size_t)c->fact_var >= p->r->nvars || p->r->vars[c->fact_var].level >= 0)
			return fail(p, c, "fact variable %s is bound twice",
				    var_name(p->r, (size_t)c->fact_var < p->r->nvars ? c->fact_var : 0), NULL);
		p->r->vars[c->fact_var] = (struct varloc){level, -1};
	}
	return 0;
}

static int plan_filter(struct planner *p, const struct kb_cond *c, struct plan *pl)
{
	pl->btests = kbu_calloc(1, sizeof(*pl->btests));
	struct varloc *locs = kbu_calloc(c->pred.nvars ? c->pred.nvars : 1, sizeof(*locs));
	for (size_t i = 0; i < c->pred.nvars; i++) {
		int v = c->pred.vars[i];
		/* of a rule with alternatives, a variable only some choices bind
		 * is nil in the others (kb_cond) */
		bool unbound = v >= 0 && (size_t)v < p->r->nvars && p->r->vars[v].level < 0;
		if (v < 0 || (size_t)v >= p->r->nvars || (unbound && p->r->visible->nalts == 1)) {
			free(locs);
			return fail(p, c, "variable %s is used in a test before it is bound",
				    var_name(p->r, v < 0 || (size_t)v >= p->r->nvars ? 0 : v), NULL);
		}
		locs[i] = p->r->vars[v];
	}
	pl->btests[0] = (struct btest){.slot = -1, .op = KB_OP_PRED, .pred = c->pred, .locs = locs};
	pl->nbtests = 1;
	return 0;
}

static void plans_free(struct plan *plans, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < plans[i].natests; j++)
			free(plans[i].atests[j].pred_slots);
		for (size_t j = 0; j < plans[i].nbtests; j++)
			free(plans[i].btests[j].locs);
		free(plans[i].atests);
		free(plans[i].btests);
	}
	free(plans);
}

static int make_plans(struct planner *p)
{
	const struct rule *r = p->r;
	for (size_t v = 0; v < r->nvars; v++)
		p->r->vars[v] = (struct varloc){-1, -1};
	for (size_t i = 0; i < r->nconds; i++) {
		const struct kb_cond *c = &r->conds[i];
		struct plan *pl = &p->plans[i];
		int rc;
		switch (c->type) {
		case KB_COND_PATTERN: pl->type = BN_JOIN; rc = plan_pattern(p, c, (int)i, pl); break;
		case KB_COND_NOT: pl->type = BN_NOT; rc = plan_pattern(p, c, (int)i, pl); break;
		case KB_COND_EXISTS: pl->type = BN_EXISTS; rc = plan_pattern(p, c, (int)i, pl); break;
		case KB_COND_TEST: pl->type = BN_FILTER; rc = plan_filter(p, c, pl); break;
		default: rc = fail(p, c, "unknown condition type%s%s", "", "");
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- nodes ------------------------------------------------------------------ */

static bool btest_eq(const struct btest *a, const struct btest *b)
{
	if (a->slot != b->slot || a->op != b->op || a->spent || b->spent)
		return false; /* a spent test is not shared, as in alpha.c */
	if (a->op != KB_OP_PRED)
		return a->loc.level == b->loc.level && a->loc.slot == b->loc.slot;
	return a->pred.fn == b->pred.fn && a->pred.ud == b->pred.ud && a->pred.nvars == b->pred.nvars &&
	       memcmp(a->locs, b->locs, a->pred.nvars * sizeof(*a->locs)) == 0;
}

static bool node_fits(const struct bnode *n, const struct plan *pl, const struct amem *m)
{
	if (n->ends || n->type != pl->type || n->amem != m || n->nkey != pl->nkey || n->ntests != pl->nbtests)
		return false;
	for (size_t i = 0; i < pl->nkey; i++)
		if (n->lkey[i].level != pl->lkey[i].level || n->lkey[i].slot != pl->lkey[i].slot ||
		    n->rkey[i] != pl->rkey[i])
			return false;
	for (size_t i = 0; i < pl->nbtests; i++)
		if (!btest_eq(&n->tests[i], &pl->btests[i]))
			return false;
	return true;
}

static struct bnode *node_new(struct kb_engine *eng, struct bnode *parent, enum bnode_type type, int level)
{
	struct bnode *n = kbu_calloc(1, sizeof(*n));
	parent->children = kbu_realloc(parent->children, parent->nchildren + 1, sizeof(*parent->children));
	parent->children[parent->nchildren++] = n;
	n->type = type;
	n->level = level;
	n->parent = parent;
	n->id = ++eng->node_seq;
	n->mem = n;
	n->emit_id = n->id;
	n->store = type != BN_TERMINAL;
	n->pool = kb_token_pool(eng, n);
	return n;
}

/* A new join uses the left memory of an older sibling join with the same
 * key: they are passed the same tokens.  (Negation and existence keep a
 * blocker in each token, terminals an activation: those own theirs.) */
static void share_memory(struct kb_engine *eng, struct bnode *n)
{
	struct bnode *p = n->parent;
	if (n->type != BN_JOIN || p == &eng->root || eng->no_share)
		return;
	for (size_t i = 0; i < p->nchildren; i++) {
		struct bnode *s = p->children[i];
		if (s != n && s->type == BN_JOIN && s->mem == s && s->nkey == n->nkey &&
		    memcmp(s->lkey, n->lkey, n->nkey * sizeof(n->lkey[0])) == 0) {
			n->mem = s;
			s->emit_id = n->id;
			return;
		}
	}
}

/* Takes the plan's btests (the node owns them after this). */
static struct bnode *node_for(struct kb_engine *eng, struct bnode *parent, int level, struct plan *pl,
			      struct rule *r, bool *created)
{
	struct amem *m = NULL;
	if (pl->type != BN_FILTER) {
		struct alpha_node *a = kb_alpha_get(eng, pl->kind, pl->natests, pl->atests, NULL);
		if (!a->owner)
			a->owner = rule_pub(r);
		m = kb_amem_get(eng, a, pl->nkey, pl->rkey);
		for (size_t i = 0; i < parent->nchildren; i++) {
			struct bnode *n = parent->children[i];
			if (n->type != BN_TERMINAL && node_fits(n, pl, m)) {
				kb_amem_release(eng, m);
				kb_alpha_release(eng, a);
				n->refs++;
				return n;
			}
		}
	} else {
		for (size_t i = 0; i < parent->nchildren; i++)
			if (node_fits(parent->children[i], pl, NULL)) {
				parent->children[i]->refs++;
				return parent->children[i];
			}
	}
	struct bnode *n = node_new(eng, parent, pl->type, level);
	n->amem = m;
	/* A negation or existence looks its memory up for every partial match,
	 * and mostly finds nothing; in a half-full table such a lookup seldom
	 * meets another entry's hash, which would cost a cache miss to reject.
	 * Join memories stay full: their lookups
	 * mostly find something, and a large case has many of them. */
	if (m && (pl->type == BN_NOT || pl->type == BN_EXISTS))
		m->items.sparse = true;
	n->nkey = pl->nkey;
	memcpy(n->lkey, pl->lkey, sizeof(n->lkey));
	memcpy(n->rkey, pl->rkey, sizeof(n->rkey));
	n->ntests = pl->nbtests;
	n->tests = pl->btests;
	n->rule = r; /* for error reports; shared nodes keep their first rule */
	pl->btests = NULL;
	pl->nbtests = 0;
	n->refs = 1;
	kb_htab_init(&n->lmem, n->nkey > 0);
	share_memory(eng, n);
	if (m)
		kb_alpha_add_succ(m->anode, n);
	*created = true;
	return n;
}

struct bnode *kb_compile(struct kb_engine *eng, struct rule *r, struct kb_error *err)
{
	if (r->nconds == 0 || r->nconds > KB_MAX_CONDS) {
		kb_error_set(err, KB_EINVAL, r->where, "a rule needs 1 to %d conditions", KB_MAX_CONDS);
		return NULL;
	}
	struct planner p = {eng, r, kbu_calloc(r->nconds, sizeof(struct plan)), err};
	if (make_plans(&p) < 0) {
		plans_free(p.plans, r->nconds);
		return NULL;
	}
	struct bnode *parent = &eng->root, *first_new = NULL;
	bool created = false;
	for (size_t i = 0; i < r->nconds; i++) {
		created = false;
		parent = node_for(eng, parent, (int)i, &p.plans[i], r, &created);
		if (created && !first_new)
			first_new = parent;
	}
	plans_free(p.plans, r->nconds);
	/* A negation made for this rule's last condition carries its
	 * activations in its own tokens (beta.c, pass_on()); it is not shared,
	 * so it never gets another child. */
	if (created && parent->type == BN_NOT && !eng->no_share) {
		parent->ends = true;
		parent->pool = &eng->terminal_pools[parent->level];
	}
	struct bnode *term = node_new(eng, parent, BN_TERMINAL, (int)r->nconds);
	term->rule = r;
	term->refs = 1;
	kb_htab_init(&term->lmem, false);
	r->terminal = term;
	eng->masks_stale = true;
	kb_beta_fill(eng, first_new ? first_new : term);
	return term;
}

static void node_unlink(struct bnode *n)
{
	struct bnode *p = n->parent;
	size_t i = 0;
	while (p->children[i] != n)
		i++;
	memmove(&p->children[i], &p->children[i + 1], (p->nchildren - i - 1) * sizeof(*p->children));
	p->nchildren--;
}

static void node_destroy(struct kb_engine *eng, struct bnode *n)
{
	free(n->down);
	if (n->amem) {
		struct alpha_node *a = n->amem->anode;
		kb_alpha_del_succ(a, n);
		kb_amem_release(eng, n->amem);
		kb_alpha_release(eng, a);
	}
	for (size_t i = 0; i < n->ntests; i++)
		free(n->tests[i].locs);
	free(n->tests);
	free(n->children);
	kb_htab_free(&n->lmem);
	free(n);
}

/* Drops the rule's reference on every node of its chain; nodes no other
 * rule uses go, with their tokens. */
void kb_uncompile(struct kb_engine *eng, struct bnode *n)
{
	while (n && n != &eng->root) {
		struct bnode *parent = n->parent;
		if (--n->refs == 0) {
			kb_bnode_free_tokens(eng, n);
			node_unlink(n);
			node_destroy(eng, n);
		}
		n = parent;
	}
	eng->masks_stale = true;
}

static void free_subtree(struct kb_engine *eng, struct bnode *n)
{
	for (size_t i = 0; i < n->nchildren; i++)
		free_subtree(eng, n->children[i]);
	if (n != &eng->root) {
		free(n->down);
		free(n->children);
		for (size_t i = 0; i < n->ntests; i++)
			free(n->tests[i].locs);
		free(n->tests);
		kb_htab_free(&n->lmem);
		free(n);
	}
}

/* At engine teardown: pools and alpha nodes go wholesale, only nodes here. */
void kb_network_free(struct kb_engine *eng)
{
	free_subtree(eng, &eng->root);
	free(eng->root.children);
	eng->root.children = NULL;
	eng->root.nchildren = 0;
}

/* ---- what each node reads, for modify in place ---------------------------- */

static void own_reads(const struct bnode *n, uint64_t *down)
{
	for (size_t i = 0; i < n->nkey; i++)
		down[n->lkey[i].level] |= kb_slot_bit(n->lkey[i].slot);
	for (size_t i = 0; i < n->ntests; i++) {
		const struct btest *t = &n->tests[i];
		if (t->op != KB_OP_PRED && t->loc.level < n->level)
			down[t->loc.level] |= kb_slot_bit(t->loc.slot);
		for (size_t k = 0; t->op == KB_OP_PRED && k < t->pred.nvars; k++)
			if (t->locs[k].level >= 0 && t->locs[k].level < n->level)
				down[t->locs[k].level] |= t->locs[k].slot < 0 ? ~(uint64_t)0 : kb_slot_bit(t->locs[k].slot);
	}
}

static uint64_t right_reads(const struct bnode *n)
{
	uint64_t m = 0;
	for (size_t i = 0; i < n->nkey; i++)
		m |= kb_slot_bit(n->rkey[i]);
	for (size_t i = 0; i < n->ntests; i++) {
		const struct btest *t = &n->tests[i];
		m |= kb_slot_bit(t->slot);
		if (t->op != KB_OP_PRED && t->loc.level == n->level)
			m |= kb_slot_bit(t->loc.slot);
		for (size_t k = 0; t->op == KB_OP_PRED && k < t->pred.nvars; k++)
			if (t->locs[k].level == n->level)
				m |= kb_slot_bit(t->locs[k].slot);
	}
	return m;
}

static void node_masks(struct bnode *n)
{
	for (size_t i = 0; i < n->nchildren; i++)
		node_masks(n->children[i]);
	if (n->level < 0)
		return;
	free(n->down);
	n->down = kbu_calloc((size_t)n->level + 1, sizeof(*n->down));
	own_reads(n, n->down);
	n->rmask = right_reads(n);
	/* a shared memory's tokens are read by every node sharing it */
	for (size_t i = 0; i < n->nchildren; i++) {
		const struct bnode *c = n->children[i];
		for (int l = 0; c->mem != c && l < c->level; l++)
			c->mem->down[l] |= c->down[l];
	}
	for (size_t i = 0; i < n->nchildren; i++) {
		const struct bnode *c = n->children[i];
		for (int l = 0; l < n->level; l++)
			n->down[l] |= c->down[l];
		/* what a child reads of this node's own fact */
		n->down[n->level] |= c->down[n->level];
	}
}

void kb_network_masks(struct kb_engine *eng)
{
	if (eng->masks_stale)
		node_masks(&eng->root);
	eng->masks_stale = false;
}
