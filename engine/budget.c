/*
 * budget.c — the run's budgets: firings, facts made by rule actions, engine
 * memory and wall time.  A rule that modifies the fact it matched, a cycle
 * of rules handing a fact back and forth, or one action asserting millions
 * of facts never empties the agenda, and no single call's budget (the Lua
 * layer's instructions, memory and seconds) sees it: each call is small.
 * The run as a whole is bounded here.  When a budget is spent the engine
 * stops for good, and the error names the rules that were busiest just
 * before: counts per rule over the last window of firings (and the one
 * before it, so that a window just begun still says something).
 */
#include <stdio.h>
#include <time.h>

#include "internal.h"

#define WINDOW 1024      /* firings per window of the per-rule counts */
#define CHECK_EVERY 256  /* firings and facts made between readings of the clock and memory */

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void kb_engine_set_budgets(struct kb_engine *eng, const struct kb_budgets *b)
{
	static const struct kb_budgets defaults = {KB_DEFAULT_FIRINGS, KB_DEFAULT_FACTS, KB_DEFAULT_MEMORY,
						   KB_DEFAULT_SECONDS};
	eng->budgets = b ? *b : defaults;
}

const struct kb_overrun *kb_run_overrun(const struct kb_engine *eng)
{
	return eng->overrun.budget == KB_BUDGET_NONE ? NULL : &eng->overrun;
}

size_t kb_engine_memory(const struct kb_engine *eng)
{
	size_t n = eng->arena.total + eng->item_pool.arena.total;
	size_t entries = eng->item_pool.live;
	for (int d = 0; d <= KB_MAX_CONDS; d++) {
		n += eng->token_pools[d].arena.total + eng->terminal_pools[d].arena.total;
		entries += eng->token_pools[d].live + eng->terminal_pools[d].live;
	}
	/* the tables that index tokens and items: about a bucket an entry */
	n += entries * sizeof(struct hbucket);
	n += eng->facts_cap * sizeof(eng->facts[0]) + eng->syms.cap * sizeof(eng->syms.slots[0]);
	if (eng->dup)
		n += (eng->dup_mask + 1) * sizeof(eng->dup[0]);
	return n;
}

void kb_budget_run_start(struct kb_engine *eng)
{
	eng->run.first_firing = eng->fired;
	eng->run.facts = eng->run.ticks = 0;
	eng->run.started = now_seconds();
}

static uint64_t activity(const struct rule *r)
{
	return r->recent[0].firings + r->recent[1].firings + r->recent[0].facts + r->recent[1].facts;
}

/* The busiest rules into o, most active first. */
static void find_busiest(struct kb_engine *eng, struct kb_overrun *o)
{
	o->nrules = 0;
	o->window = eng->run.window + WINDOW < eng->fired ? eng->run.window + WINDOW : eng->fired;
	for (struct rule *r = eng->rules; r; r = r->next) {
		uint64_t a = r->visible == r ? activity(r) : 0; /* an alternative counts in its rule */
		size_t i = o->nrules;
		if (!a || (i == KB_OVERRUN_RULES && activity(rule_of(o->rules[i - 1])) >= a))
			continue;
		if (i == KB_OVERRUN_RULES)
			i--; /* it takes the last one's place */
		else
			o->nrules++;
		for (; i > 0 && activity(rule_of(o->rules[i - 1])) < a; i--) {
			o->rules[i] = o->rules[i - 1];
			o->firings[i] = o->firings[i - 1];
			o->facts[i] = o->facts[i - 1];
		}
		o->rules[i] = rule_pub(r);
		o->firings[i] = r->recent[0].firings + r->recent[1].firings;
		o->facts[i] = r->recent[0].facts + r->recent[1].facts;
	}
}

static const char *budget_text(enum kb_budget b, uint64_t limit, char *buf, size_t n)
{
	switch (b) {
	case KB_BUDGET_FIRINGS: snprintf(buf, n, "%llu firings", (unsigned long long)limit); break;
	case KB_BUDGET_FACTS: snprintf(buf, n, "%llu facts made by rules", (unsigned long long)limit); break;
	case KB_BUDGET_MEMORY: snprintf(buf, n, "%llu MB of engine memory", (unsigned long long)(limit >> 20)); break;
	default: snprintf(buf, n, "%llu s", (unsigned long long)limit); break;
	}
	return buf;
}

/* The error the stop is: at the busiest rule, naming the others. */
static void record_overrun(struct kb_engine *eng)
{
	const struct kb_overrun *o = &eng->overrun;
	char what[64], msg[sizeof(((struct kb_error *)0)->msg)];
	int len = snprintf(msg, sizeof(msg), "the run stopped: its budget of %s is spent",
			   budget_text(o->budget, o->limit, what, sizeof(what)));
	if (o->nrules)
		len += snprintf(msg + len, sizeof(msg) - (size_t)len, "; the busiest rules in the last %llu firings:",
				(unsigned long long)o->window);
	else
		len += snprintf(msg + len, sizeof(msg) - (size_t)len, " before any rule fired");
	for (size_t i = 0; i < o->nrules && len < (int)sizeof(msg); i++)
		len += snprintf(msg + len, sizeof(msg) - (size_t)len, "%s %s (%llu firing%s, %llu fact%s made)",
				i ? "," : "", kb_rule_name(o->rules[i]), (unsigned long long)o->firings[i],
				o->firings[i] == 1 ? "" : "s", (unsigned long long)o->facts[i], o->facts[i] == 1 ? "" : "s");
	struct kb_error err = {0};
	kb_error_set(&err, KB_EBUDGET, NULL, "%s", msg);
	kb_rule_error_add(eng, o->nrules ? rule_of(o->rules[0]) : NULL, &err);
}

static void overrun(struct kb_engine *eng, enum kb_budget b, uint64_t limit)
{
	if (eng->overrun.budget != KB_BUDGET_NONE)
		return;
	eng->overrun.budget = b;
	eng->overrun.limit = limit;
	find_busiest(eng, &eng->overrun);
	eng->halted = true;
	record_overrun(eng);
}

/* The clock and the memory, at the first tick and every CHECK_EVERY: false
 * when spent. */
static bool within_time_and_memory(struct kb_engine *eng)
{
	if (eng->run.ticks++ % CHECK_EVERY)
		return true;
	const struct kb_budgets *b = &eng->budgets;
	if (b->memory && kb_engine_memory(eng) > b->memory)
		overrun(eng, KB_BUDGET_MEMORY, b->memory);
	else if (b->seconds > 0 && now_seconds() - eng->run.started > b->seconds)
		overrun(eng, KB_BUDGET_SECONDS, (uint64_t)(b->seconds + 0.999));
	return eng->overrun.budget == KB_BUDGET_NONE;
}

/* A window is full: its counts become the previous window's. */
static void next_window(struct kb_engine *eng)
{
	eng->run.window = 0;
	for (struct rule *x = eng->rules; x; x = x->next) {
		x->recent[1] = x->recent[0];
		x->recent[0].firings = x->recent[0].facts = 0;
	}
}

bool kb_budget_may_fire(struct kb_engine *eng)
{
	if (eng->overrun.budget != KB_BUDGET_NONE)
		return false;
	if (eng->run.window == WINDOW)
		next_window(eng);
	if (eng->budgets.firings && eng->fired - eng->run.first_firing >= eng->budgets.firings) {
		overrun(eng, KB_BUDGET_FIRINGS, eng->budgets.firings);
		return false;
	}
	return within_time_and_memory(eng);
}

void kb_budget_firing(struct kb_engine *eng, struct rule *r)
{
	eng->run.window++;
	r->visible->recent[0].firings++;
}

bool kb_budget_may_make(struct kb_engine *eng, struct kb_error *err)
{
	if (eng->overrun.budget == KB_BUDGET_NONE) {
		if (eng->budgets.facts && eng->run.facts >= eng->budgets.facts)
			overrun(eng, KB_BUDGET_FACTS, eng->budgets.facts);
		else
			within_time_and_memory(eng);
	}
	if (eng->overrun.budget == KB_BUDGET_NONE)
		return true;
	kb_error_set(err, KB_EBUDGET, NULL, "the run stopped: a budget is spent");
	return false;
}

void kb_budget_made(struct kb_engine *eng)
{
	eng->run.facts++;
	rule_of(kb_activation_rule(eng->firing))->recent[0].facts++;
}
