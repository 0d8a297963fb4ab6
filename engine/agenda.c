/*
 * agenda.c — activations waiting to fire, ordered by salience, then by the
 * strategy's notion of recency.
 *
 * Depth (the default): newest activation first.  A new activation is
 * always the newest, so it goes to the head of its salience level's list:
 * adding, removing and taking the next are O(1), which matters because a
 * single assert can create and a retract remove thousands of activations.
 * LEX: the facts' time tags, most recent first, compared in order (OPS5);
 * kept in a binary heap whose entries know their index.
 * Refraction is structural: an activation belongs to one token and is
 * created once, when the token reaches the terminal node.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- depth: salience levels ------------------------------------------------- */

static struct level *level_for(struct agenda *ag, int salience)
{
	struct level **p = &ag->levels;
	while (*p && (*p)->salience > salience)
		p = &(*p)->next;
	if (*p && (*p)->salience == salience)
		return *p;
	struct level *l = kbu_calloc(1, sizeof(*l));
	l->salience = salience;
	l->next = *p;
	*p = l;
	return l;
}

static void level_push(struct agenda *ag, struct activation *a)
{
	struct rule *r = a->rule;
	struct level *l = r->agenda_level ? r->agenda_level : (r->agenda_level = level_for(ag, r->salience));
	a->level = l;
	a->prev = NULL;
	a->next = l->head;
	if (l->head)
		l->head->prev = a;
	l->head = a;
}

static void level_unlink(struct activation *a)
{
	if (a->prev)
		a->prev->next = a->next;
	else
		a->level->head = a->next;
	if (a->next)
		a->next->prev = a->prev;
}

static struct activation *level_first(const struct agenda *ag)
{
	for (struct level *l = ag->levels; l; l = l->next)
		if (l->head)
			return l->head;
	return NULL;
}

/* ---- lex: a heap ------------------------------------------------------------ */

static int cmp_tags(const struct activation *a, const struct activation *b)
{
	size_t n = a->ntags < b->ntags ? a->ntags : b->ntags;
	for (size_t i = 0; i < n; i++)
		if (a->tags[i] != b->tags[i])
			return a->tags[i] > b->tags[i] ? 1 : -1;
	return (a->ntags > b->ntags) - (a->ntags < b->ntags);
}

/* True when a fires before b (LEX, as CLIPS 6.30 orders it: crstrtgy.c). */
static bool before(const struct activation *a, const struct activation *b)
{
	if (a->rule->salience != b->rule->salience)
		return a->rule->salience > b->rule->salience;
	int c = cmp_tags(a, b);
	if (c)
		return c > 0;
	if (a->rule->complexity != b->rule->complexity)
		return a->rule->complexity > b->rule->complexity;
	return a->seq < b->seq; /* a full tie: the older fires first */
}

static void place(struct agenda *ag, size_t i, struct activation *a)
{
	ag->heap[i] = a;
	a->heap = i;
}

static void sift_up(struct agenda *ag, size_t i)
{
	struct activation *a = ag->heap[i];
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!before(a, ag->heap[p]))
			break;
		place(ag, i, ag->heap[p]);
		i = p;
	}
	place(ag, i, a);
}

static void sift_down(struct agenda *ag, size_t i, size_t n)
{
	struct activation *a = ag->heap[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && before(ag->heap[c + 1], ag->heap[c]))
			c++;
		if (!before(ag->heap[c], a))
			break;
		place(ag, i, ag->heap[c]);
		i = c;
	}
	place(ag, i, a);
}

static void heap_push(struct agenda *ag, struct activation *a)
{
	if (ag->count == ag->heap_cap) {
		size_t cap = ag->heap_cap ? ag->heap_cap * 2 : 256;
		ag->heap = kbu_realloc(ag->heap, cap, sizeof(*ag->heap));
		ag->heap_cap = cap;
	}
	place(ag, ag->count, a);
	sift_up(ag, ag->count);
}

/* Called with ag->count already decremented. */
static void heap_unlink(struct agenda *ag, struct activation *a)
{
	size_t i = a->heap;
	struct activation *last = ag->heap[ag->count];
	if (i == ag->count)
		return;
	place(ag, i, last);
	sift_up(ag, i);
	sift_down(ag, last->heap, ag->count);
}

static int cmp_desc(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return (a < b) - (a > b);
}

/* The time tags of the matched facts, newest first; a negated condition
 * counts as tag 0, so it still makes the list longer. */
static void lex_tags(struct activation *a, const struct token *t)
{
	size_t n = 0;
	uint32_t tags[KB_MAX_CONDS];
	const struct rule *r = t->node->rule;
	for (size_t l = 0; l < r->nconds; l++)
		if (l < (size_t)t->node->level && t->facts[l])
			tags[n++] = t->facts[l]->pub.id;
		else if (r->conds[l].type == KB_COND_NOT || r->conds[l].type == KB_COND_EXISTS)
			tags[n++] = 0;
	if (n)
		qsort(tags, n, sizeof(tags[0]), cmp_desc);
	a->tags = kbu_memdup(tags, n * sizeof(tags[0]));
	a->ntags = (uint32_t)n;
}

/* ---- the agenda --------------------------------------------------------------- */

void kb_agenda_add(struct kb_engine *eng, struct token *t)
{
	struct agenda *ag = &eng->agenda;
	struct activation *a = kb_token_activation(t);
	a->rule = t->node->rule;
	a->token = t;
	a->seq = ++ag->seq;
	a->tags = NULL;
	a->ntags = 0;
	a->queued = true;
	if (eng->strategy == KB_LEX) {
		lex_tags(a, t);
		heap_push(ag, a);
	} else {
		level_push(ag, a);
	}
	ag->count++;
	if (eng->rec && eng->rec->activated) {
		struct kb_activation v;
		kb_activation_view(&v, a->rule, t, a->seq);
		eng->rec->activated(eng->rec->ud, &v);
	}
}

static void unlink_activation(struct kb_engine *eng, struct activation *a)
{
	struct agenda *ag = &eng->agenda;
	ag->count--;
	if (eng->strategy == KB_LEX)
		heap_unlink(ag, a);
	else
		level_unlink(a);
	a->queued = false;
}

/* The activation lives in its token; only LEX's tags are its own. */
static void act_free(struct kb_engine *eng, struct activation *a)
{
	(void)eng;
	if (a->tags) {
		free(a->tags);
		a->tags = NULL;
	}
}

void kb_agenda_del(struct kb_engine *eng, struct activation *a)
{
	if (eng->rec && eng->rec->deactivated) {
		struct kb_activation v;
		kb_activation_view(&v, a->rule, a->token, a->seq);
		eng->rec->deactivated(eng->rec->ud, &v);
	}
	unlink_activation(eng, a);
	act_free(eng, a);
}

/* Takes the next activation off the agenda; its token forgets it.  The
 * caller frees it with kb_agenda_done(). */
struct activation *kb_agenda_pop(struct kb_engine *eng)
{
	struct agenda *ag = &eng->agenda;
	if (!ag->count)
		return NULL;
	struct activation *a = eng->strategy == KB_LEX ? ag->heap[0] : level_first(ag);
	unlink_activation(eng, a);
	return a;
}

void kb_agenda_done(struct kb_engine *eng, struct activation *a)
{
	act_free(eng, a);
}

void kb_agenda_renew(struct kb_engine *eng, struct token *t)
{
	struct activation *a = kb_token_queued(t);
	if (!a || eng->rec || eng->strategy == KB_LEX) {
		if (a)
			kb_agenda_del(eng, a);
		kb_agenda_add(eng, t);
		return;
	}
	level_unlink(a);
	a->seq = ++eng->agenda.seq;
	level_push(&eng->agenda, a);
}

void kb_agenda_remove_rule(struct kb_engine *eng, const struct rule *r)
{
	struct agenda *ag = &eng->agenda;
	if (eng->strategy == KB_LEX) {
		for (size_t i = 0; i < ag->count;)
			if (ag->heap[i]->rule == r)
				kb_agenda_del(eng, ag->heap[i]);
			else
				i++;
		return;
	}
	for (struct level *l = ag->levels; l; l = l->next)
		for (struct activation *a = l->head, *next; a; a = next) {
			next = a->next;
			if (a->rule == r)
				kb_agenda_del(eng, a);
		}
}

void kb_agenda_free(struct kb_engine *eng)
{
	struct agenda *ag = &eng->agenda;
	for (size_t i = 0; eng->strategy == KB_LEX && i < ag->count; i++)
		free(ag->heap[i]->tags);
	while (ag->levels) {
		struct level *l = ag->levels;
		ag->levels = l->next;
		free(l);
	}
	free(ag->heap);
	memset(ag, 0, sizeof(*ag));
}

size_t kb_agenda_size(struct kb_engine *eng)
{
	kb_modify_flush(eng);
	return eng->agenda.count;
}
