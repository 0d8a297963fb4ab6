/*
 * modify.c — modify in place.
 *
 * A modify is a retract and an assert (as in CLIPS), and when the changed
 * slots are read by no test, that pair rebuilds exactly the partial
 * matches it tore down: the same tokens with the new fact in place of the
 * old.  Programs that keep a counter or a status slot in a fact that many
 * matches share (Manners' `count`) spend most of their time doing that.
 * So when every alpha test that reads a changed slot answers the same for
 * the new fact, and no memory key, join, negation, existence or test reads
 * one, the new fact takes the old one's place instead.
 *
 * What must not change is what fires and in which order.  The retract
 * would remove the matches' activations and the assert create them anew,
 * as the newest, in the order the network builds them: each alpha node the
 * assert reaches, its successors newest first, the partial matches of the
 * one memory bucket the fact hashes to in memory order, children newest
 * node first, and below each token its children as left activation makes
 * them (by fact age, then newest node first).  renew() walks the moved
 * subtrees in exactly that order, putting each token at the end of its
 * memory bucket and each activation on the agenda anew — which also lets
 * a rule that had fired on the old fact fire again, as after a retract and
 * assert.  The new fact's memory items go to the end of their buckets too.
 *
 * The renewal waits for the next operation that could tell (kb_modify_flush):
 * programs often modify a fact and then retract one that lies above the
 * same matches (Manners: the counter, then the context), and what that
 * retract deletes need not be renewed first.  Deleting changes no order
 * among the survivors, so a retract deletes, then renews what is left,
 * then lets negations react.  With a recorder attached the renewal is not
 * put off, so the trace sees events in their order.
 */
#include <stdlib.h>

#include "internal.h"

#define MAX_ALPHAS 32

/* ---- may it move? ---------------------------------------------------------------- */

static bool in_set(struct alpha_node *const *v, size_t n, const struct alpha_node *a)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == a)
			return true;
	return false;
}

/* The alpha nodes the old fact is in, from its memory items. */
static size_t old_alphas(const struct fact *f, struct alpha_node **v)
{
	size_t n = 0;
	for (const struct am_item *it = f->items; it; it = it->fnext)
		if (!in_set(v, n, it->mem->anode)) {
			if (n == MAX_ALPHAS)
				return MAX_ALPHAS + 1;
			v[n++] = it->mem->anode;
		}
	return n;
}

static bool reads_changed(const struct alpha_node *a, uint64_t changed)
{
	if (a->dispatch_slot >= 0 && (kb_slot_bit(a->dispatch_slot) & changed))
		return true;
	for (size_t i = 0; i < a->ntests; i++) {
		const struct atest *t = &a->tests[i];
		if (t->op == KB_OP_PRED)
			return true; /* its arguments may include changed slots; don't guess */
		if ((kb_slot_bit(t->slot) & changed) || (t->other_slot && (kb_slot_bit(t->other) & changed)))
			return true;
	}
	return false;
}

/* Whether a reached by the new fact exactly when by the old one: nodes
 * that read no changed slot answer alike; the others are asked. */
static bool same_answer(struct kb_engine *eng, struct alpha_node *a, struct alpha_node *const *in,
			size_t nin, const struct fact *nf, uint64_t changed)
{
	if (!reads_changed(a, changed))
		return true;
	bool now = a->dispatch_slot < 0 || kb_value_eq(nf->pub.slots[a->dispatch_slot], a->dispatch_value);
	return (now && kb_alpha_pass(eng, a, nf)) == in_set(in, nin, a);
}

static bool same_alphas(struct kb_engine *eng, const struct kind *k, struct alpha_node *const *in,
			size_t nin, const struct fact *nf, uint64_t changed)
{
	for (size_t d = 0; d < k->ndispatch; d++)
		for (size_t b = 0; b < k->dispatch[d].nbuckets; b++)
			for (struct alpha_node *a = k->dispatch[d].buckets[b]; a; a = a->next)
				if (!same_answer(eng, a, in, nin, nf, changed))
					return false;
	for (struct alpha_node *a = k->alphas; a; a = a->next)
		if (!same_answer(eng, a, in, nin, nf, changed))
			return false;
	return true;
}

static bool beta_ignores(struct alpha_node *const *in, size_t nin, const struct fact *f, uint64_t changed)
{
	bool below_reads = false; /* some node below a join of the fact reads a changed slot of it */
	for (size_t i = 0; i < nin; i++)
		for (const struct succ *s = in[i]->succs; s; s = s->next) {
			if (s->node->rmask & changed)
				return false;
			below_reads |= (s->node->down[s->node->level] & changed) != 0;
		}
	for (const struct am_item *it = f->items; it; it = it->fnext)
		for (size_t k = 0; k < it->mem->nkey; k++)
			if (kb_slot_bit(it->mem->key[k]) & changed)
				return false;
	if (!below_reads)
		return true;
	/* Then only if it holds a token there: nothing at or below a token
	 * holding the fact may read a changed slot.  (A fact in many partial
	 * matches, Manners' count, makes this walk long: hence the test above.) */
	const struct bnode *last = NULL;
	for (const struct token *t = f->tokens; t; t = t->fnext) {
		if (t->node == last)
			continue;
		last = t->node;
		if (last->down[last->level - 1] & changed)
			return false;
	}
	return true;
}

bool kb_modify_can_move(struct kb_engine *eng, struct fact *old, struct fact *nf, uint64_t changed)
{
	struct alpha_node *in[MAX_ALPHAS];
	size_t nin = old_alphas(old, in);
	kb_network_masks(eng);
	return nin <= MAX_ALPHAS && same_alphas(eng, &eng->kinds[old->pub.kind], in, nin, nf, changed) &&
	       beta_ignores(in, nin, old, changed);
}

/* ---- moving ---------------------------------------------------------------------- */

struct move {
	struct kb_engine *eng;
	struct fact *old, *nf;
	int level;               /* the first level of the subtree being renewed that holds old */
};

static bool holds_before(const struct token *t, const struct move *m, int levels)
{
	for (int l = 0; l < levels; l++)
		if (t->facts[l] == m->old || t->facts[l] == m->nf)
			return true;
	return false;
}

/* The age a child will have: the old fact counts as the new one. */
static uint32_t age(const struct move *m, const struct token *t)
{
	const struct fact *f = token_last(t);
	return !f ? 0 : f == m->old ? m->nf->pub.id : f->pub.id;
}

static void renew(struct move *m, struct bnode *n, struct token *t);

/* What left activating n with t made below t, in the order it made it:
 * for each fact n joined, by age, a token for each child newest first
 * (one token for the children sharing a memory, met once for each). */
static void renew_children(struct move *m, struct bnode *n, struct token *t)
{
	struct token *only = t->child;
	if (only && !only->snext && only->node->parent == n && only->node->emit_id == only->node->id) {
		renew(m, only->node, only);
		return;
	}
	size_t count = 0;
	for (struct token *c = t->child; c; c = c->snext)
		count += c->node->parent == n;
	if (count == 0)
		return;
	struct token *small[16], **v = count <= 16 ? small : kbu_calloc(count, sizeof(*v));
	size_t nv = 0;
	for (struct token *c = t->child; c; c = c->snext) {
		if (c->node->parent != n)
			continue; /* made by a node sharing t's memory */
		size_t j = nv++;
		while (j > 0 && age(m, c) < age(m, v[j - 1])) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = c;
	}
	for (size_t first = 0, last; first < nv; first = last) {
		uint32_t a = age(m, v[first]);
		for (last = first + 1; last < nv && age(m, v[last]) == a;)
			last++;
		for (size_t i = n->nchildren; i-- > 0;) {
			struct bnode *child = n->children[i];
			for (size_t k = first; k < last; k++)
				if (v[k]->node == child->mem) {
					renew(m, child, v[k]);
					break;
				}
		}
	}
	if (v != small)
		free(v);
}

/* Puts t where a fresh token would be: the new fact in place of the old,
 * at the end of its bucket, its activation the newest; then what left
 * activating n with it made. */
static void renew(struct move *m, struct bnode *n, struct token *t)
{
	struct bnode *owner = t->node;
	for (int l = m->level; l < owner->level; l++) /* a self-join may hold it twice */
		if (t->facts[l] == m->old)
			t->facts[l] = m->nf;
	if (owner->store)
		kb_htab_to_tail(&owner->lmem, &t->link);
	if (n->type == BN_TERMINAL || n->ends) {
		/* an unblocked negation ending the rule stands for its terminal token */
		if (!n->rule->disabled && !(n->ends && t->blocker))
			kb_agenda_renew(m->eng, t);
	} else {
		renew_children(m, n, t);
	}
}

/* An existence whose support was the old fact: a retract would look for
 * another, and failing one drop the matches below, which the assert of the
 * new fact (now last in the memory) would bring back as new. */
static void rebind(struct move *m, struct bnode *n, struct token *t)
{
	/* the retract looks before the new fact is there */
	if ((t->blocker = kb_beta_blocker(m->eng, n, t, m->nf)))
		return;
	t->blocker = m->nf;
	renew_children(m, n, t);
}

/* The tokens n's children made with the moved fact (old or new by now),
 * from the fact's own token list, if there are at most max of them; else
 * SIZE_MAX. */
static size_t made_with(const struct move *m, const struct bnode *n, struct token **v, size_t max)
{
	size_t count = 0;
	for (struct token *c = m->nf->tokens; c; c = c->fnext)
		if (c->node->parent == n) {
			if (count == max)
				return SIZE_MAX;
			v[count++] = c;
		}
	return count;
}

/* Renews t's children that hold the moved fact at n's level (v: nv of
 * them), for each child node newest first; a token shared by several
 * children is renewed for each. */
static void renew_made(struct move *m, struct bnode *n, struct token *const *v, size_t nv)
{
	for (size_t i = n->nchildren; i-- > 0;)
		for (size_t k = 0; k < nv; k++)
			if (v[k]->node == n->children[i]->mem)
				renew(m, n->children[i], v[k]);
}

/* What a right activation of node n by the new fact would build.  When the
 * fact is in few tokens below n, they are taken from its list rather than
 * sought among the children of each partial match in the bucket: a match
 * early in a rule (Waltz's stage) has a child for every fact it joined. */
static void renew_below(struct move *m, struct bnode *n)
{
	if (!kb_left_memory(n)->count)
		return;
	enum { FEW = 16 };
	struct token *few[FEW];
	size_t nfew = n->type == BN_EXISTS ? SIZE_MAX : made_with(m, n, few, FEW);
	size_t left = nfew;
	uint32_t h = kb_amem_hash(n->amem, m->nf);
	m->level = n->level;
	for (struct hlink *l = kb_htab_bucket(kb_left_memory(n), h); l && left; l = l->next) {
		struct token *t = (struct token *)l;
		if (l->hash != h || holds_before(t, m, n->level))
			continue; /* another bucket's, or made later by another node */
		if (n->type == BN_EXISTS) {
			if (t->blocker == m->old)
				rebind(m, n, t);
		} else if (nfew <= FEW) {
			struct token *mine[FEW];
			size_t nmine = 0;
			for (size_t k = 0; k < nfew; k++)
				if (few[k]->parent == t)
					mine[nmine++] = few[k];
			renew_made(m, n, mine, nmine);
			left -= nmine;
		} else {
			for (size_t i = n->nchildren; i-- > 0;)
				for (struct token *c = t->child; c; c = c->snext)
					if (c->node == n->children[i]->mem &&
					    (c->facts[n->level] == m->old || c->facts[n->level] == m->nf))
						renew(m, n->children[i], c);
		}
	}
}

/* Negations blocked by the old fact are blocked by another matching fact
 * (the new one, or one a retract's search would find first). */
static void reblock(struct move *m, struct bnode *n)
{
	uint32_t h = kb_amem_hash(n->amem, m->nf);
	for (struct hlink *l = kb_htab_bucket(kb_left_memory(n), h); l; l = l->next) {
		struct token *t = (struct token *)l;
		if (t->blocker == m->old)
			t->blocker = kb_beta_blocker(m->eng, n, t, NULL);
	}
}

static void renew_alpha(struct move *m, struct alpha_node *a)
{
	for (struct am_item *it = m->nf->items; it; it = it->fnext)
		if (it->mem->anode == a)
			kb_htab_to_tail(&it->mem->items, &it->link);
	for (struct succ *s = a->succs; s; s = s->next)
		if (s->node->type == BN_NOT)
			reblock(m, s->node);
		else
			renew_below(m, s->node);
}

void kb_modify_move(struct kb_engine *eng, struct fact *old, struct fact *nf)
{
	struct alpha_node *in[MAX_ALPHAS];
	size_t nin = old_alphas(old, in);
	kb_network_masks(eng);
	for (struct am_item *it = old->items; it; it = it->fnext)
		it->fact = nf;
	nf->items = old->items;
	old->items = NULL;
	nf->tokens = old->tokens;
	old->tokens = NULL;

	/* in the order kb_alpha_assert() visits alpha nodes */
	struct move m = {eng, old, nf, 0};
	const struct kind *k = &eng->kinds[nf->pub.kind];
	for (size_t d = 0; d < k->ndispatch; d++) {
		struct kb_value v = nf->pub.slots[k->dispatch[d].slot];
		if (v.type == KB_NIL)
			continue;
		const struct dispatch *dt = &k->dispatch[d];
		for (struct alpha_node *a = dt->buckets[kb_value_hash(v) & (dt->nbuckets - 1)]; a; a = a->next)
			if (kb_value_eq(a->dispatch_value, v) && in_set(in, nin, a))
				renew_alpha(&m, a);
	}
	for (struct alpha_node *a = k->alphas; a; a = a->next)
		if (in_set(in, nin, a))
			renew_alpha(&m, a);
}

void kb_modify_flush(struct kb_engine *eng)
{
	struct fact *old = eng->pending_old, *nf = eng->pending_new;
	if (!old)
		return;
	eng->pending_old = eng->pending_new = NULL;
	kb_modify_move(eng, old, nf);
}
