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
 * own.  With SSE2, sixteen positions at a time (with AVX2, thirty-two)
 * are first compared with the windows' first two bytes, and only those
 * that match are hashed.  A screen whose window is not in the value
 * cannot stand in it; one whose window is may, and is then checked
 * exactly (kb_value_contains())
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
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_FIND32 1 /* built for AVX2 beside the rest, used where the processor has it */
#endif

#include "internal.h"
#include "xalloc.h"

#define MAX_SCREENS 64        /* a bit each in the found mask */
#define TABLE_BITS 14         /* the windows' hash table: 2 KiB of bits */
#define FOLD 0x20202020u

struct screen_set {
	struct screen_found last;      /* first: kb_screen_may_hold reads it */
	int slot;
	size_t nlits;
	const char *lits[MAX_SCREENS]; /* interned screen texts */
	unsigned width;                /* bytes in a window: the shortest screen's, at most 4 */
	uint32_t keep;                 /* the window's bytes in a little-endian word */
	uint32_t window[MAX_SCREENS];  /* each screen's window, folded */
	uint8_t seen[1u << TABLE_BITS >> 3];
	size_t npairs;                 /* the windows' first two bytes, folded, once each, */
	uint8_t pair[MAX_SCREENS][2][16]; /* each byte sixteen times, as SSE2 compares them */
};

/* The widest vectors to use: the processor's, no wider than a test asks
 * (kb_screens_limit_vectors); chosen when screens are built. */
static enum { VEC_NONE, VEC_SSE2, VEC_AVX2 } vectors = VEC_NONE;
static int vector_limit = 32;

void kb_screens_limit_vectors(int bytes)
{
	vector_limit = bytes;
}

static void choose_vectors(void)
{
	vectors = VEC_NONE;
#ifdef __SSE2__
	if (vector_limit >= 16)
		vectors = VEC_SSE2;
#endif
#ifdef HAVE_FIND32
	__builtin_cpu_init();
	if (vector_limit >= 32 && __builtin_cpu_supports("avx2"))
		vectors = VEC_AVX2;
#endif
}

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

/* How unlikely a byte is in log prose: the commonest letters least,
 * punctuation most.  A blank counts as a rarer letter: in a window it
 * marks where a word starts or ends (" port" is not in "Support"). */
static int rarity(unsigned char c)
{
	c = fold(c);
	if (c && strchr("etaoinsrhl", c))
		return 1;
	return (c >= 'a' && c <= 'z') || c == ' ' ? 2 : 3;
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
	s->npairs = 0;
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
		uint8_t a = (uint8_t)s->window[i], b = (uint8_t)(s->window[i] >> 8);
		size_t k = 0;
		while (k < s->npairs && (s->pair[k][0][0] != a || s->pair[k][1][0] != b))
			k++;
		if (k == s->npairs) {
			memset(s->pair[k][0], a, 16);
			memset(s->pair[k][1], b, 16);
			s->npairs++;
		}
	}
}

void kb_screens_build(struct kb_engine *eng)
{
	choose_vectors();
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

/* The screens whose window may be at p + i, of the n bytes at p. */
static uint64_t window_at(const struct screen_set *s, const unsigned char *p, size_t n, size_t i)
{
	if (i + s->width > n)
		return 0;
	uint32_t w;
	if (i + 4 <= n) {
		memcpy(&w, p + i, 4);
		w = (w | FOLD) & s->keep;
	} else {
		w = word(p + i, s->width);
	}
	unsigned h = hash(w);
	return s->seen[h >> 3] >> (h & 7) & 1 ? screens_at(s, w) : 0;
}

#ifdef __SSE2__
/* Sixteen positions at a time, those where some window's first two bytes
 * are: the rest of the window is looked at there only.  Returns where it
 * stopped: fewer than 17 bytes remain. */
static size_t find16(const struct screen_set *s, const unsigned char *p, size_t n, uint64_t *found)
{
	const __m128i fold = _mm_set1_epi8(0x20);
	size_t i = 0;
	for (; i + 17 <= n; i += 16) {
		__m128i a = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(p + i)), fold);
		__m128i b = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(p + i + 1)), fold);
		__m128i hit = _mm_setzero_si128();
		for (size_t k = 0; k < s->npairs; k++)
			hit = _mm_or_si128(hit, _mm_and_si128(
				_mm_cmpeq_epi8(a, _mm_loadu_si128((const __m128i *)(const void *)s->pair[k][0])),
				_mm_cmpeq_epi8(b, _mm_loadu_si128((const __m128i *)(const void *)s->pair[k][1]))));
		for (unsigned m = (unsigned)_mm_movemask_epi8(hit); m; m &= m - 1)
			*found |= window_at(s, p, n, i + (size_t)__builtin_ctz(m));
	}
	return i;
}
#endif

#ifdef HAVE_FIND32
/* find16 with AVX2, thirty-two positions at a time: the same compares on
 * a message do half the work. */
__attribute__((target("avx2"))) static size_t find32(const struct screen_set *s, const unsigned char *p, size_t n,
						   uint64_t *found)
{
	const __m256i fold = _mm256_set1_epi8(0x20);
	size_t i = 0;
	for (; i + 33 <= n; i += 32) {
		__m256i a = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)(const void *)(p + i)), fold);
		__m256i b = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)(const void *)(p + i + 1)), fold);
		__m256i hit = _mm256_setzero_si256();
		for (size_t k = 0; k < s->npairs; k++)
			hit = _mm256_or_si256(hit, _mm256_and_si256(_mm256_cmpeq_epi8(a, _mm256_set1_epi8((char)s->pair[k][0][0])),
								    _mm256_cmpeq_epi8(b, _mm256_set1_epi8((char)s->pair[k][1][0]))));
		for (uint32_t m = (uint32_t)_mm256_movemask_epi8(hit); m; m &= m - 1)
			*found |= window_at(s, p, n, i + (size_t)__builtin_ctz(m));
	}
	return i;
}
#endif

static uint64_t find(const struct screen_set *s, const unsigned char *p, size_t n)
{
	uint64_t found = 0;
	size_t i = 0;
	if (s->width >= 2) {
#ifdef HAVE_FIND32
		if (vectors == VEC_AVX2)
			i = find32(s, p, n, &found);
#endif
#ifdef __SSE2__
		if (vectors >= VEC_SSE2)
			i += find16(s, p + i, n - i, &found);
#endif
	}
	for (; i + s->width <= n; i++)
		found |= window_at(s, p, n, i);
	return found;
}

bool kb_screens_find(struct kb_engine *eng, const struct atest *t, struct kb_value v)
{
	struct screen_set *s = t->screen_in;
	s->last.gen = eng->prefilter.gen;
	s->last.found = v.type == KB_STRING ? find(s, (const unsigned char *)v.u.s, kb_sym_of(v.u.s)->len) : 0;
	return s->last.found >> t->screen_bit & 1;
}

void kb_screens_free(struct kb_engine *eng)
{
	for (size_t i = 0; i < eng->nkinds; i++) {
		struct kind *k = &eng->kinds[i];
		for (size_t j = 0; j < k->nscreens; j++)
			free(k->screens[j]);
		free(k->screens);
		k->screens = NULL;
		k->nscreens = 0;
	}
}
