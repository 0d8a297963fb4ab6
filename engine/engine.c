/*
 * engine.c — the engine object and the recognise-act cycle: take the first
 * activation off the agenda, show the action what it matched, and let it
 * change working memory; repeat until the agenda is empty, the engine is
 * halted or the firing limit is reached.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct kb_engine *kb_engine_new(void)
{
	struct kb_engine *eng = kbu_calloc(1, sizeof(*eng));
	for (int d = 0; d <= KB_MAX_CONDS; d++) {
		kb_pool_init(&eng->token_pools[d], kb_token_size(d));
		kb_pool_init(&eng->terminal_pools[d], kb_token_size(d) + sizeof(struct activation));
	}
	kb_pool_init(&eng->item_pool, sizeof(struct am_item));
	eng->root.level = -1;
	eng->strategy = KB_DEPTH;
	eng->match_steps = KB_MATCH_DEFAULT_STEPS;
	kb_engine_set_budgets(eng, NULL);
	return eng;
}

void kb_engine_free(struct kb_engine *eng)
{
	if (!eng)
		return;
	kb_modify_flush(eng);
	kb_screens_free(eng);
	kb_network_free(eng);
	kb_alpha_free_all(eng);
	kb_rules_free(eng);
	kb_agenda_free(eng);
	kb_facts_free(eng);
	for (int d = 0; d <= KB_MAX_CONDS; d++) {
		kb_pool_free(&eng->token_pools[d]);
		kb_pool_free(&eng->terminal_pools[d]);
	}
	kb_pool_free(&eng->item_pool);
	free(eng->kinds);
	free(eng->errors);
	kb_symtab_free(&eng->syms);
	kb_prefilter_free(eng);
	kb_arena_free(&eng->arena);
	free(eng);
}

void kb_engine_set_strategy(struct kb_engine *eng, enum kb_strategy s)
{
	eng->strategy = s;
}

void kb_engine_set_match_steps(struct kb_engine *eng, uint64_t steps)
{
	eng->match_steps = steps ? steps : KB_MATCH_DEFAULT_STEPS;
}

void kb_engine_set_recorder(struct kb_engine *eng, const struct kb_recorder *rec)
{
	kb_modify_flush(eng);
	eng->rec = rec;
}

void kb_activation_view(struct kb_activation *v, const struct rule *r, const struct token *t, uint64_t seq)
{
	v->rule = r;
	v->nfacts = r->nconds;
	v->seq = seq;
	/* a token of a negation ending the rule stops before its own level */
	for (size_t l = 0; l < r->nconds; l++)
		v->facts[l] = l < (size_t)t->node->level && t->facts[l] ? &t->facts[l]->pub : NULL;
}

const struct kb_rule *kb_activation_rule(const struct kb_activation *act)
{
	return rule_pub(act->rule->visible);
}

size_t kb_activation_alternative(const struct kb_activation *act)
{
	return act->rule->alt;
}

size_t kb_activation_nfacts(const struct kb_activation *act)
{
	return act->nfacts;
}

const struct kb_fact *kb_activation_fact(const struct kb_activation *act, size_t i)
{
	return i < act->nfacts ? act->facts[i] : NULL;
}

struct kb_value kb_activation_var(const struct kb_activation *act, int var)
{
	const struct rule *r = act->rule;
	if (var < 0 || (size_t)var >= r->nvars)
		return kb_nil();
	struct varloc loc = r->vars[var];
	if (loc.level < 0 || loc.slot < 0 || !act->facts[loc.level])
		return kb_nil();
	return act->facts[loc.level]->slots[loc.slot];
}

static void fire(struct kb_engine *eng, struct activation *a)
{
	struct rule *r = a->rule;
	struct kb_activation v;
	kb_activation_view(&v, r, a->token, a->seq);
	kb_agenda_done(eng, a);
	eng->fired++;
	eng->firing_no = eng->fired;
	kb_budget_firing(eng, r);
	if (eng->rec && eng->rec->fired)
		eng->rec->fired(eng->rec->ud, eng->firing_no, &v);
	if (r->action) {
		struct kb_error err = {0};
		const struct kb_activation *outer = eng->firing;
		eng->firing = &v;
		int rc = r->action(eng, &v, r->ud, &err);
		eng->firing = outer;
		/* an action stopped by the run's budget is in the stop's error */
		if (rc < 0 && !kb_run_overrun(eng))
			kb_rule_fail(eng, r, &err);
	}
}

uint64_t kb_run(struct kb_engine *eng, uint64_t limit)
{
	uint64_t n = 0;
	eng->halted = false;
	kb_budget_run_start(eng);
	while (!eng->halted && (limit == 0 || n < limit)) {
		kb_modify_flush(eng);
		if (!kb_agenda_size(eng) || !kb_budget_may_fire(eng))
			break;
		fire(eng, kb_agenda_pop(eng));
		n++;
	}
	return n;
}

void kb_halt(struct kb_engine *eng)
{
	eng->halted = true;
}

uint64_t kb_fired(const struct kb_engine *eng)
{
	return eng->fired;
}
