/*
 * screens.c — the screen texts of a kind's patterns, looked for all at
 * once when the pre-filter probes a fact.
 *
 * A pattern test with a screen (kb_pattern_screen()) fails on a value that
 * lacks the screen's text, and the probe checks that first.  On a large
 * event export every fact's message meets every rule's pattern on
 * messages: a memmem per pattern (a dozen for the stock rules) was a
 * quarter of the import.  Here each slot's screens become one
 * Aho–Corasick automaton (Aho and Corasick, "Efficient string matching",
 * CACM 18(6), 1975) that reads the value once, at its first screened test
 * of the probe, and says which screens may stand in it.  "May": the
 * automaton reads ASCII letters without case, so a screen it finds is
 * then checked exactly (kb_value_contains()) — once for a screen that is
 * there, never for one that is not, which is nearly all of them.
 *
 * Built when the pre-filter starts, when every rule is compiled; a rule
 * added later turns the filter off (kb_prefilter_rule_added()), so the
 * automata never miss a node.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "xalloc.h"

#define MAX_SCREENS 64      /* a bit each in the found mask */
#define MAX_STATES 0x7FFF   /* states are uint16_t, the top bit says "a screen ends here" */
#define ENDS 0x8000

struct screen_set {
	int slot;
	size_t nlits;
	const char *lits[MAX_SCREENS]; /* interned screen texts */
	size_t total;                  /* their lengths added up */
	uint8_t cls[256];              /* byte -> class: 0 a byte no screen holds */
	size_t nclasses, nstates;
	unsigned shift;                /* a state's row: 1 << shift moves, nclasses rounded up */
	uint16_t *delta;               /* next state (| ENDS when screens end there), by state, class */
	uint64_t *out;                 /* per state: the screens ending there */
	uint64_t gen;                  /* the probe found was computed for */
	uint64_t found;
};

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

static struct screen_set *set_for(struct kind *k, int slot)
{
	for (size_t i = 0; i < k->nscreens; i++)
		if (k->screens[i]->slot == slot)
			return k->screens[i];
	k->screens = kbu_realloc(k->screens, k->nscreens + 1, sizeof(*k->screens));
	struct screen_set *s = kbu_calloc(1, sizeof(*s));
	s->slot = slot;
	k->screens[k->nscreens++] = s;
	return s;
}

/* Gives t a bit in its slot's set: a screen text once, however many tests
 * share it.  A set that is full leaves t to memmem alone. */
static void add_test(struct kind *k, struct atest *t)
{
	t->screen_in = NULL;
	if (t->op != KB_OP_MATCH || !t->screen || t->other_slot)
		return;
	struct screen_set *s = set_for(k, t->slot);
	size_t i = 0;
	while (i < s->nlits && s->lits[i] != t->screen)
		i++;
	size_t len = kb_sym_of(t->screen)->len;
	if (i == s->nlits) {
		if (s->nlits == MAX_SCREENS || s->total + len >= MAX_STATES)
			return;
		s->lits[s->nlits++] = t->screen;
		s->total += len;
	}
	t->screen_in = s;
	t->screen_bit = (uint8_t)i;
}

static void add_nodes(struct kind *k, struct alpha_node *a)
{
	for (; a; a = a->next)
		for (size_t i = 0; i < a->ntests; i++)
			add_test(k, &a->tests[i]);
}

/* The trie of the screens (folded), then failure links breadth first,
 * filling every missing move with the failure state's, so that reading a
 * byte is one table lookup. */
static void build(struct screen_set *s)
{
	memset(s->cls, 0, sizeof(s->cls));
	s->nclasses = 1;
	for (size_t i = 0; i < s->nlits; i++) {
		const unsigned char *p = (const unsigned char *)s->lits[i];
		for (size_t j = 0, n = kb_sym_of(s->lits[i])->len; j < n; j++) {
			unsigned char c = fold(p[j]);
			if (!s->cls[c])
				s->cls[c] = (uint8_t)s->nclasses++;
		}
	}
	for (int c = 'A'; c <= 'Z'; c++)
		s->cls[c] = s->cls[c | 0x20];
	s->shift = 0;
	while (((size_t)1 << s->shift) < s->nclasses)
		s->shift++;
	size_t cap = s->total + 1, nc = (size_t)1 << s->shift;
	s->delta = kbu_calloc(cap * nc, sizeof(*s->delta));
	s->out = kbu_calloc(cap, sizeof(*s->out));
	s->nstates = 1;
	for (size_t i = 0; i < s->nlits; i++) {
		const unsigned char *p = (const unsigned char *)s->lits[i];
		size_t st = 0;
		for (size_t j = 0, n = kb_sym_of(s->lits[i])->len; j < n; j++) {
			uint16_t *next = &s->delta[st * nc + s->cls[p[j]]];
			if (!*next)
				*next = (uint16_t)s->nstates++;
			st = *next;
		}
		s->out[st] |= (uint64_t)1 << i;
	}
	uint16_t *fail = kbu_calloc(s->nstates, sizeof(*fail)), *queue = kbu_malloc(s->nstates * sizeof(*queue));
	size_t head = 0, tail = 0;
	for (size_t c = 0; c < s->nclasses; c++)
		if (s->delta[c])
			queue[tail++] = s->delta[c];
	while (head < tail) {
		uint16_t st = queue[head++];
		s->out[st] |= s->out[fail[st]];
		for (size_t c = 0; c < s->nclasses; c++) {
			uint16_t *next = &s->delta[st * nc + c];
			if (*next) {
				fail[*next] = s->delta[fail[st] * nc + c];
				queue[tail++] = *next;
			} else {
				*next = s->delta[fail[st] * nc + c];
			}
		}
	}
	for (size_t i = 0; i < s->nstates * nc; i++)
		if (s->out[s->delta[i]])
			s->delta[i] |= ENDS;
	free(fail);
	free(queue);
}

void kb_screens_build(struct kb_engine *eng)
{
	for (size_t i = 0; i < eng->nkinds; i++) {
		struct kind *k = &eng->kinds[i];
		add_nodes(k, k->alphas);
		for (size_t d = 0; d < k->ndispatch; d++)
			for (size_t b = 0; b < k->dispatch[d].nbuckets; b++)
				add_nodes(k, k->dispatch[d].buckets[b]);
		for (size_t j = 0; j < k->nscreens; j++)
			build(k->screens[j]);
	}
}

bool kb_screen_may_hold(struct kb_engine *eng, const struct atest *t, struct kb_value v)
{
	struct screen_set *s = t->screen_in;
	if (s->gen != eng->prefilter.gen) {
		s->gen = eng->prefilter.gen;
		s->found = 0;
		if (v.type == KB_STRING) {
			const unsigned char *p = (const unsigned char *)v.u.s;
			const uint16_t *delta = s->delta;
			const uint8_t *cls = s->cls;
			unsigned shift = s->shift;
			size_t st = 0;
			uint64_t found = 0;
			for (size_t i = 0, n = kb_sym_of(v.u.s)->len; i < n; i++) {
				st = delta[st << shift | cls[p[i]]];
				if (st & ENDS) {
					st &= ~(size_t)ENDS;
					found |= s->out[st];
				}
			}
			s->found = found;
		}
	}
	return s->found >> t->screen_bit & 1;
}

void kb_screens_free(struct kb_engine *eng)
{
	for (size_t i = 0; i < eng->nkinds; i++) {
		struct kind *k = &eng->kinds[i];
		for (size_t j = 0; j < k->nscreens; j++) {
			free(k->screens[j]->delta);
			free(k->screens[j]->out);
			free(k->screens[j]);
		}
		free(k->screens);
		k->screens = NULL;
		k->nscreens = 0;
	}
}
