/*
 * screens.c — the screen texts of a kind's patterns, looked for all at
 * once when the pre-filter probes a fact.
 *
 * A pattern test with a screen (kb_pattern_screen()) fails on a value that
 * lacks the screen's text, and the probe checks that first.  On a large
 * event export every fact's message meets every rule's pattern on
 * messages: a memmem per pattern (a dozen for the stock rules) was a
 * quarter of the import, and one Aho–Corasick automaton over them all
 * still a sixth, as each byte's move waits for the one before.  Here each
 * screen is represented by one window of up to four of its bytes, the one
 * likeliest to be rare in prose, and the value is read once, at the
 * first screened test of a probe: every window of the value is hashed
 * into a bit table of the screens' windows, positions independent of
 * each other, and a window the table holds is compared with the screens'
 * own.  A screen whose window is not in the value cannot stand in it; one
 * whose window is may, and is then checked exactly (kb_value_contains())
 * — once for a screen that is there or nearly, never for the rest.
 * Windows are compared with every byte's 0x20 bit set, which folds
 * letters (and some punctuation with them): more "may", never a miss.
 *
 * Built when the pre-filter starts, when every rule is compiled; a rule
 * added later turns the filter off (kb_prefilter_rule_added()), so the
 * screens never miss a node.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "xalloc.h"

#define MAX_SCREENS 64        /* a bit each in the found mask */
#define TABLE_BITS 14         /* the windows' hash table: 2 KiB of bits */
#define FOLD 0x20202020u

struct screen_set {
	int slot;
	size_t nlits;
	const char *lits[MAX_SCREENS]; /* interned screen texts */
	unsigned width;                /* bytes in a window: the shortest screen's, at most 4 */
	uint32_t keep;                 /* the window's bytes in a little-endian word */
	uint32_t window[MAX_SCREENS];  /* each screen's window, folded */
	uint8_t seen[1u << TABLE_BITS >> 3];
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
	if (i == s->nlits) {
		if (s->nlits == MAX_SCREENS)
			return;
		s->lits[s->nlits++] = t->screen;
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

static unsigned hash(uint32_t w)
{
	return (w * 0x9E3779B1u) >> (32 - TABLE_BITS);
}

/* The little-endian word of p[0..n), n <= 4, folded. */
static uint32_t word(const unsigned char *p, unsigned n)
{
	uint32_t w = 0;
	for (unsigned i = 0; i < n; i++)
		w |= (uint32_t)p[i] << 8 * i;
	return w | (FOLD & (n == 4 ? 0xFFFFFFFFu : (1u << 8 * n) - 1));
}

/* How unlikely a byte is in log prose: the blank and the commonest
 * letters least, punctuation most. */
static int rarity(unsigned char c)
{
	c = fold(c);
	if (c == ' ')
		return 0;
	if (strchr("etaoinsrhl", c))
		return 1;
	return c >= 'a' && c <= 'z' ? 2 : 3;
}

/* The window of each screen with the rarest bytes, the first of equals. */
static void build(struct screen_set *s)
{
	s->width = 4;
	for (size_t i = 0; i < s->nlits; i++)
		if (kb_sym_of(s->lits[i])->len < s->width)
			s->width = (unsigned)kb_sym_of(s->lits[i])->len;
	s->keep = s->width == 4 ? 0xFFFFFFFFu : (1u << 8 * s->width) - 1;
	memset(s->seen, 0, sizeof(s->seen));
	for (size_t i = 0; i < s->nlits; i++) {
		const unsigned char *p = (const unsigned char *)s->lits[i];
		size_t n = kb_sym_of(s->lits[i])->len, best = 0;
		int best_score = -1;
		for (size_t at = 0; at + s->width <= n; at++) {
			int score = 0;
			for (unsigned j = 0; j < s->width; j++)
				score += rarity(p[at + j]);
			if (score > best_score)
				best_score = score, best = at;
		}
		s->window[i] = word(p + best, s->width);
		unsigned h = hash(s->window[i]);
		s->seen[h >> 3] |= (uint8_t)(1u << (h & 7));
	}
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

/* The screens whose window is at p (folded: w). */
static uint64_t screens_at(const struct screen_set *s, uint32_t w)
{
	uint64_t found = 0;
	for (size_t i = 0; i < s->nlits; i++)
		if (s->window[i] == w)
			found |= (uint64_t)1 << i;
	return found;
}

static uint64_t find(const struct screen_set *s, const unsigned char *p, size_t n)
{
	uint64_t found = 0;
	size_t i = 0, last = n >= s->width ? n - s->width : 0;
	if (n < s->width)
		return 0;
	/* whole words while four bytes remain, then byte by byte */
	for (; i + 4 <= n && i <= last; i++) {
		uint32_t w;
		memcpy(&w, p + i, 4);
		w = (w | FOLD) & s->keep;
		unsigned h = hash(w);
		if (s->seen[h >> 3] >> (h & 7) & 1)
			found |= screens_at(s, w);
	}
	for (; i <= last; i++) {
		uint32_t w = word(p + i, s->width);
		unsigned h = hash(w);
		if (s->seen[h >> 3] >> (h & 7) & 1)
			found |= screens_at(s, w);
	}
	return found;
}

bool kb_screen_may_hold(struct kb_engine *eng, const struct atest *t, struct kb_value v)
{
	struct screen_set *s = t->screen_in;
	if (s->gen != eng->prefilter.gen) {
		s->gen = eng->prefilter.gen;
		s->found = v.type == KB_STRING ? find(s, (const unsigned char *)v.u.s, kb_sym_of(v.u.s)->len) : 0;
	}
	return s->found >> t->screen_bit & 1;
}

void kb_screens_free(struct kb_engine *eng)
{
	for (size_t i = 0; i < eng->nkinds; i++) {
		struct kind *k = &eng->kinds[i];
		for (size_t j = 0; j < k->nscreens; j++) {
			free(k->screens[j]);
		}
		free(k->screens);
		k->screens = NULL;
		k->nscreens = 0;
	}
}
