/*
 * prefilter.c — telling, before a fact is asserted, whether any rule could
 * match it, without interning its strings.
 *
 * Every rule condition on a kind starts at an alpha node of that kind, so a
 * fact that passes no alpha node enters no memory and can never join, block
 * a negation or satisfy an exists.  The probe builds the fact's slot values
 * as the network would see them and runs kb_alpha_probe() (alpha.c), which
 * visits the nodes an assert would visit and runs the same tests through the
 * same code.  A string that is interned is used as it is.  One that is not
 * cannot equal any constant of a rule, as those are interned when rules
 * compile; it becomes a transient symbol (symbols.c) whose address equals
 * nothing interned, so equality, set and dispatch tests fail on it exactly
 * as they would on the interned copy, while ordering tests and Lua patterns
 * read its text.  Strings of one fact with the same text share a transient,
 * so tests between two slots compare as they would once interned.  Only a
 * slot some test compares by identity is looked up in the symbol table;
 * case-insensitive, ordering and pattern tests read the text whatever it is.
 *
 * What the probe cannot tell without a side effect it answers "could match":
 * a Lua predicate, and a pattern that fails (the assert then meets the
 * failure and records it once, where it would have anyway).
 *
 * Past the alpha nodes it looks only at joins with fixed kinds (tables of
 * knowledge no rule adds to, kb_prefilter_fix_kind): a fact whose every
 * way on from the nodes it passes is such a join, with no fixed fact
 * passing its tests, is turned away too (kb_beta_probe(), beta.c), and so
 * is one whose every way on is a join, negation or exists keyed to a slot
 * of a fixed kind's fact at an earlier level (every token there carries
 * one) when no fact of that kind has its value.  A Lua predicate the
 * probe does not call counts as passing for this: the fact could not go
 * on from the node whatever its answer.  A pattern that failed keeps the
 * fact, for the assert to report the failure.  The slots those joins
 * compare are marked in the kind's masks when the filter starts, so the
 * probe's values carry them.
 *
 * Near misses count the partial matches that reached a condition, and a
 * fact turned away at a join with a fixed kind would have made some.  With
 * a recorder, which asks for near misses, they are counted on the memories
 * they would have been in (kb_beta_partials()), and the first few facts
 * there are kept, so that a near miss has partial matches to show.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void mark(struct kind *k, int slot, bool ident)
{
	k->alpha_reads |= kb_slot_bit(slot);
	if (ident)
		k->alpha_ident |= kb_slot_bit(slot);
}

static bool by_identity(enum kb_op op)
{
	return op == KB_OP_EQ || op == KB_OP_NE;
}

/* Marks in k's masks the slots of a fact arriving at join n from the right
 * that n's tests read, and those the tests of n's children read of it: what
 * kb_beta_probe() compares. */
static void mark_join_reads(struct kind *k, const struct bnode *n)
{
	for (size_t i = 0; i < n->nkey; i++)
		mark(k, n->rkey[i], true);
	for (size_t i = 0; i < n->ntests; i++) {
		const struct btest *bt = &n->tests[i];
		mark(k, bt->slot, by_identity(bt->op));
		if (bt->loc.level == n->level)
			mark(k, bt->loc.slot, by_identity(bt->op));
	}
	for (size_t c = 0; c < n->nchildren; c++) {
		const struct bnode *ch = n->children[c];
		for (size_t i = 0; i < ch->nkey; i++)
			if (ch->lkey[i].level == n->level)
				mark(k, ch->lkey[i].slot, true);
		for (size_t i = 0; i < ch->ntests; i++)
			if (ch->tests[i].op != KB_OP_PRED && ch->tests[i].loc.level == n->level)
				mark(k, ch->tests[i].loc.slot, by_identity(ch->tests[i].op));
	}
}

/* The joins a's chain feeds whose left memory is final, and the others
 * keyed to a fixed kind: marked so, and what they read of the fact too. */
static void note_final_joins(struct kb_engine *eng, struct kind *k, const struct alpha_node *a)
{
	for (; a; a = a->next)
		for (const struct succ *s = a->succs; s; s = s->next) {
			struct bnode *n = s->node;
			if ((n->left_final = kb_beta_left_final(eng, n)))
				mark_join_reads(k, n);
			if ((n->keyed_to_fixed = !n->left_final && kb_beta_keyed_to_fixed(eng, n)))
				for (size_t i = 0; i < n->nkey; i++)
					mark(k, n->rkey[i], true);
		}
}

void kb_prefilter_start(struct kb_engine *eng)
{
	if (eng->prefilter.state == KB_PREFILTER_OFF)
		eng->prefilter.state = KB_PREFILTER_ON;
	eng->prefilter.partials = eng->rec != NULL; /* a recorder asks for near misses */
	if (eng->prefilter.state == KB_PREFILTER_ON && !eng->prefilter.screened) {
		kb_screens_build(eng);
		kb_alpha_share_first_tests(eng);
		eng->prefilter.screened = true;
	}
	if (eng->prefilter.state != KB_PREFILTER_ON || !eng->prefilter.fixed)
		return;
	for (size_t i = 0; i < eng->nkinds; i++) {
		struct kind *k = &eng->kinds[i];
		note_final_joins(eng, k, k->alphas);
		for (size_t d = 0; d < k->ndispatch; d++)
			for (size_t b = 0; b < k->dispatch[d].nbuckets; b++)
				note_final_joins(eng, k, k->dispatch[d].buckets[b]);
	}
}

void kb_prefilter_fix_kind(struct kb_engine *eng, int kind)
{
	if (kind >= 0 && (size_t)kind < eng->nkinds)
		eng->kinds[kind].fixed = eng->prefilter.fixed = true;
}

bool kb_prefilter_holds_fixed(const struct kb_engine *eng, int kind)
{
	return eng->prefilter.state == KB_PREFILTER_ON && eng->prefilter.fixed && eng->kinds[kind].fixed;
}

void kb_prefilter_rule_out(struct kb_engine *eng)
{
	eng->prefilter.state = KB_PREFILTER_RULED_OUT;
}

bool kb_prefilter_on(const struct kb_engine *eng)
{
	return eng->prefilter.state == KB_PREFILTER_ON;
}

void kb_prefilter_rule_added(struct kb_engine *eng)
{
	if (kb_prefilter_on(eng))
		kb_prefilter_rule_out(eng);
}

void kb_prefilter_keep_kind(struct kb_engine *eng, int kind)
{
	if (kind >= 0 && (size_t)kind < eng->nkinds)
		eng->kinds[kind].keep_all = true;
}

bool kb_prefilter_reads(const struct kb_engine *eng, int kind, int slot)
{
	if (eng->prefilter.state != KB_PREFILTER_ON || kind < 0 || (size_t)kind >= eng->nkinds)
		return true;
	const struct kind *k = &eng->kinds[kind];
	return k->keep_all || (k->alpha_reads & kb_slot_bit(slot)) != 0;
}

size_t kb_prefilter_skipped(const struct kb_engine *eng, int kind)
{
	return kind >= 0 && (size_t)kind < eng->nkinds ? eng->kinds[kind].skipped : 0;
}

void kb_prefilter_free(struct kb_engine *eng)
{
	free(eng->prefilter.scratch);
	eng->prefilter.scratch = NULL;
	eng->prefilter.scratch_cap = 0;
}

/* ---- the fact's values as the network would see them ---------------------- */

/* The transient symbols made for one fact, carved from the engine's scratch
 * buffer, which is sized before the first one so none of them moves. */
struct transients {
	char *buf;
	size_t used;
	const char **made;
	size_t nmade;
};

static bool slot_bit(uint64_t bits, size_t slot)
{
	return (bits & kb_slot_bit((int)slot)) != 0;
}

/* Bytes the fact's transients may take: each string slot the network
 * reads; 0 when a string is longer than a symbol can be (the assert will
 * say so). */
static size_t scratch_need(const struct kind *k, const struct kb_value *v, const size_t *lens)
{
	size_t need = 1;
	for (size_t i = 0; i < k->nslots; i++) {
		if (v[i].type != KB_STRING || !slot_bit(k->alpha_reads, i))
			continue;
		if (lens[i] > UINT32_MAX)
			return 0;
		need += kb_sym_transient_size(lens[i]);
	}
	return need;
}

/* The transient for s[0..len): one already made with that text, or a new one. */
static const char *transient(struct transients *tr, const char *s, size_t len)
{
	for (size_t i = 0; i < tr->nmade; i++)
		if (kb_sym_of(tr->made[i])->len == len && memcmp(tr->made[i], s, len) == 0)
			return tr->made[i];
	const char *t = kb_sym_transient(tr->buf + tr->used, s, len);
	tr->used += kb_sym_transient_size(len);
	tr->made[tr->nmade++] = t;
	return t;
}

/* kb_intern_find(s, len), remembered for short strings (pf->memo). */
static const char *interned_form(struct kb_engine *eng, const char *s, size_t len)
{
	if (len == 0 || len > KB_IDENT_MEMO_TEXT)
		return kb_intern_find(eng, s, len);
	uint64_t head = 0, tail = 0;
	memcpy(&head, s, len < 8 ? len : 8);
	memcpy(&tail, s + len - (len < 8 ? len : 8), len < 8 ? len : 8);
	uint64_t h = (head ^ tail * 0x9E3779B97F4A7C15u ^ len) * 0x9E3779B97F4A7C15u;
	struct ident_memo *m = &eng->prefilter.memo[(h >> 32) % KB_IDENT_MEMOS];
	if (m->len == len && memcmp(m->text, s, len) == 0 && (m->interned || m->syms == eng->syms.count))
		return m->interned;
	m->len = (uint8_t)len;
	memcpy(m->text, s, len);
	m->interned = kb_intern_find(eng, s, len);
	m->syms = eng->syms.count;
	return m->interned;
}

/* Turns the strings of v, given as lens[i] bytes at v[i].u.s, into what
 * the network would compare: the interned string where a test compares by
 * identity and there is one, else a transient (case-insensitive, ordering
 * and pattern tests read only the text).  A slot the probe does not read
 * (k->alpha_reads) is left nil, as nothing looks at it.  false when a string is too long to be
 * a symbol. */
static bool network_values(struct kb_engine *eng, const struct kind *k, struct kb_value *v, const size_t *lens)
{
	size_t need = scratch_need(k, v, lens);
	if (!need)
		return false;
	struct prefilter *pf = &eng->prefilter;
	if (need > pf->scratch_cap) {
		free(pf->scratch);
		pf->scratch_cap = need * 2;
		pf->scratch = kbu_malloc(pf->scratch_cap);
	}
	const char *made[k->nslots + 1];
	struct transients tr = {pf->scratch, 0, made, 0};
	for (size_t i = 0; i < k->nslots; i++) {
		if (v[i].type != KB_STRING)
			continue;
		if (!slot_bit(k->alpha_reads, i)) {
			v[i] = kb_nil();
			continue;
		}
		const char *s = v[i].u.s;
		const char *interned = slot_bit(k->alpha_ident, i) ? interned_form(eng, s, lens[i]) : NULL;
		v[i] = kb_str(interned ? interned : transient(&tr, s, lens[i]));
	}
	return true;
}

bool kb_prefilter_wants(struct kb_engine *eng, int kind, const struct kb_value *values, const size_t *lens)
{
	eng->prefilter.resume_values = NULL;
	if (eng->prefilter.state != KB_PREFILTER_ON || kind < 0 || (size_t)kind >= eng->nkinds)
		return true;
	struct kind *k = &eng->kinds[kind];
	if (k->keep_all)
		return true;
	/* the fact as a join would see it: values, then their hashes */
	struct kb_value store[kb_fact_size(k->nslots) / sizeof(struct kb_value) + 1];
	struct fact *f = (struct fact *)store;
	memset(f, 0, sizeof(*f));
	f->pub.kind = (uint16_t)kind;
	f->pub.nslots = k->nslots;
	struct kb_value *v = f->pub.slots;
	/* a value the assert would refuse is kept, so that the assert says why */
	if (!kb_facts_coerce(k, values, v, NULL) || (lens && !network_values(eng, k, v, lens)))
		return true;
	eng->prefilter.gen++;
	if (kb_alpha_probe(eng, f, &eng->prefilter.resume)) {
		eng->prefilter.resume_values = values;
		eng->prefilter.resume_kind = kind;
		return true;
	}
	k->skipped++;
	return false;
}

bool kb_prefilter_take_resume(struct kb_engine *eng, int kind, const struct kb_value *values,
			      struct alpha_resume *from)
{
	struct prefilter *pf = &eng->prefilter;
	bool mine = pf->resume_values && pf->resume_values == values && pf->resume_kind == kind;
	pf->resume_values = NULL;
	if (mine)
		*from = pf->resume;
	return mine;
}
