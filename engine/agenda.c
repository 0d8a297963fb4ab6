/*
 * agenda.c — activations waiting to fire, in a binary heap ordered by
 * salience, then by the strategy's notion of recency.  Each activation
 * knows its heap index, so one whose match disappears leaves in O(log n).
 * Refraction is structural: an activation belongs to one token and is
 * created once, when the token reaches the terminal node.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int cmp_tags(const struct activation *a, const struct activation *b)
{
	size_t n = a->ntags < b->ntags ? a->ntags : b->ntags;
	for (size_t i = 0; i < n; i++)
		if (a->tags[i] != b->tags[i])
			return a->tags[i] > b->tags[i] ? 1 : -1;
	return (a->ntags > b->ntags) - (a->ntags < b->ntags);
}

/* True when a fires before b. */
static bool before(const struct kb_engine *eng, const struct activation *a, const struct activation *b)
{
	if (a->rule->salience != b->rule->salience)
		return a->rule->salience > b->rule->salience;
	if (eng->strategy == KB_LEX) {
		int c = cmp_tags(a, b);
		if (c)
			return c > 0;
	}
	return a->seq > b->seq;
}

static void place(struct agenda *ag, size_t i, struct activation *a)
{
	ag->heap[i] = a;
	a->heap = i;
}

static void sift_up(const struct kb_engine *eng, struct agenda *ag, size_t i)
{
	struct activation *a = ag->heap[i];
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!before(eng, a, ag->heap[p]))
			break;
		place(ag, i, ag->heap[p]);
		i = p;
	}
	place(ag, i, a);
}

static void sift_down(const struct kb_engine *eng, struct agenda *ag, size_t i)
{
	struct activation *a = ag->heap[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= ag->count)
			break;
		if (c + 1 < ag->count && before(eng, ag->heap[c + 1], ag->heap[c]))
			c++;
		if (!before(eng, ag->heap[c], a))
			break;
		place(ag, i, ag->heap[c]);
		i = c;
	}
	place(ag, i, a);
}

static int cmp_desc(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return (a < b) - (a > b);
}

static void lex_tags(struct activation *a, const struct token *t)
{
	size_t n = 0;
	uint32_t tags[KB_MAX_CONDS];
	for (const struct token *u = t; u; u = u->parent)
		if (u->fact)
			tags[n++] = u->fact->pub.id;
	qsort(tags, n, sizeof(tags[0]), cmp_desc);
	if (!(a->tags = malloc((n ? n : 1) * sizeof(tags[0]))))
		kb_oom();
	memcpy(a->tags, tags, n * sizeof(tags[0]));
	a->ntags = n;
}

void kb_agenda_add(struct kb_engine *eng, struct token *t)
{
	struct agenda *ag = &eng->agenda;
	if (ag->count == ag->cap) {
		size_t cap = ag->cap ? ag->cap * 2 : 256;
		struct activation **h = kb_xrealloc(ag->heap, cap, sizeof(*h));
		if (!h)
			kb_oom();
		ag->heap = h;
		ag->cap = cap;
	}
	struct activation *a = kb_pool_get(&eng->act_pool);
	a->rule = t->node->rule;
	a->token = t;
	a->seq = ++ag->seq;
	a->tags = NULL;
	a->ntags = 0;
	if (eng->strategy == KB_LEX)
		lex_tags(a, t);
	t->u.act = a;
	place(ag, ag->count++, a);
	sift_up(eng, ag, a->heap);
	if (eng->rec && eng->rec->activated) {
		struct kb_activation v;
		kb_activation_view(&v, a->rule, t, a->seq);
		eng->rec->activated(eng->rec->ud, &v);
	}
}

static void act_free(struct kb_engine *eng, struct activation *a)
{
	free(a->tags);
	kb_pool_put(&eng->act_pool, a);
}

static void heap_remove(struct kb_engine *eng, struct activation *a)
{
	struct agenda *ag = &eng->agenda;
	size_t i = a->heap;
	struct activation *last = ag->heap[--ag->count];
	if (i == ag->count)
		return;
	place(ag, i, last);
	sift_up(eng, ag, i);
	sift_down(eng, ag, last->heap);
}

void kb_agenda_del(struct kb_engine *eng, struct activation *a)
{
	if (eng->rec && eng->rec->deactivated) {
		struct kb_activation v;
		kb_activation_view(&v, a->rule, a->token, a->seq);
		eng->rec->deactivated(eng->rec->ud, &v);
	}
	a->token->u.act = NULL;
	heap_remove(eng, a);
	act_free(eng, a);
}

/* Takes the next activation off the agenda; its token forgets it.  The
 * caller frees it with kb_agenda_done(). */
struct activation *kb_agenda_pop(struct kb_engine *eng)
{
	struct agenda *ag = &eng->agenda;
	if (!ag->count)
		return NULL;
	struct activation *a = ag->heap[0];
	heap_remove(eng, a);
	a->token->u.act = NULL;
	return a;
}

void kb_agenda_done(struct kb_engine *eng, struct activation *a)
{
	act_free(eng, a);
}

void kb_agenda_free(struct kb_engine *eng)
{
	for (size_t i = 0; i < eng->agenda.count; i++)
		free(eng->agenda.heap[i]->tags);
	free(eng->agenda.heap);
	memset(&eng->agenda, 0, sizeof(eng->agenda));
}

size_t kb_agenda_size(const struct kb_engine *eng)
{
	return eng->agenda.count;
}
