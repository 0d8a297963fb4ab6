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
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void kb_prefilter_start(struct kb_engine *eng)
{
	if (eng->prefilter.state == KB_PREFILTER_OFF)
		eng->prefilter.state = KB_PREFILTER_ON;
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
	if (eng->prefilter.state == KB_PREFILTER_ON)
		kb_prefilter_rule_out(eng);
}

void kb_prefilter_keep_kind(struct kb_engine *eng, int kind)
{
	if (kind >= 0 && (size_t)kind < eng->nkinds)
		eng->kinds[kind].keep_all = true;
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

/* Turns the strings of v, given as lens[i] bytes at v[i].u.s, into what
 * the network would compare: the interned string where a test compares by
 * identity and there is one, else a transient (case-insensitive, ordering
 * and pattern tests read only the text).  A slot no alpha node reads is
 * left nil, as nothing looks at it.  false when a string is too long to be
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
		const char *interned = slot_bit(k->alpha_ident, i) ? kb_intern_find(eng, s, lens[i]) : NULL;
		v[i] = kb_str(interned ? interned : transient(&tr, s, lens[i]));
	}
	return true;
}

bool kb_prefilter_wants(struct kb_engine *eng, int kind, const struct kb_value *values, const size_t *lens)
{
	if (eng->prefilter.state != KB_PREFILTER_ON || kind < 0 || (size_t)kind >= eng->nkinds)
		return true;
	struct kind *k = &eng->kinds[kind];
	if (k->keep_all)
		return true;
	struct kb_value v[k->nslots + 1];
	/* a value the assert would refuse is kept, so that the assert says why */
	if (!kb_facts_coerce(k, values, v, NULL) || (lens && !network_values(eng, k, v, lens)))
		return true;
	if (kb_alpha_probe(eng, kind, v) != 0)
		return true;
	k->skipped++;
	return false;
}
