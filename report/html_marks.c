/*
 * html_marks.c — an evidence record's text with its matched parts marked.
 * What "matched" means here, honestly: the values the rules bound from
 * this fact.  A firing in the finding's derivation matched the fact with
 * one of its conditions, which names variables (port = ?port); the values
 * those variables were bound to that are the fact's own slot values
 * (?port = 110) are looked for in the record's text, and where one
 * stands as a whole word it is marked, the mark's title naming the
 * variable.  A constant a condition tested (event id = 4007) is not
 * marked: the trace keeps what was bound, not which part of the line a
 * test read.  Without a trace nothing is marked.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html.h"
#include "htmlout.h"
#include "xalloc.h"

#define MAX_VALUES 32 /* distinct bound values looked for in one record */
#define MAX_MARKS 256 /* marks in one record */

struct bound {
	const char *name;  /* "?port" */
	char text[128];    /* its value as it would be written in the record */
	size_t len;
};

struct marks {
	const struct kbt_trace *t;
	uint32_t fact;
	struct bound v[MAX_VALUES];
	size_t n;
};

/* false for a value too long to look for whole, and for floats and
 * booleans, which a record does not write as the rules hold them. */
static bool value_text(char *buf, size_t n, struct kb_value v)
{
	if (v.type == KB_STRING && v.u.s)
		return (size_t)snprintf(buf, n, "%s", v.u.s) < n;
	if (v.type == KB_INT)
		return (size_t)snprintf(buf, n, "%lld", (long long)v.u.i) < n;
	return false;
}

/* Whether the fact has a slot of value v: the binding came from it. */
static bool fact_holds(const struct kbt_fact *f, struct kb_value v)
{
	for (size_t i = 0; i < f->nslots; i++)
		if (f->slots[i].value.type == v.type &&
		    (v.type == KB_STRING ? v.u.s && f->slots[i].value.u.s && strcmp(f->slots[i].value.u.s, v.u.s) == 0
					 : f->slots[i].value.u.i == v.u.i))
			return true;
	return false;
}

static void add_bound(struct marks *m, const struct kbt_slot *b)
{
	struct bound x = {.name = b->name};
	if (!value_text(x.text, sizeof(x.text), b->value) || !x.text[0])
		return;
	x.len = strlen(x.text);
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->v[i].text, x.text) == 0)
			return;
	if (m->n < MAX_VALUES)
		m->v[m->n++] = x;
}

static bool word_char(unsigned char c)
{
	return isalnum(c) || c == '_';
}

/* Whether the condition, as written, names the variable ("?port", not
 * "?portal"). */
static bool names_variable(const char *cond, const char *var)
{
	size_t n = strlen(var);
	for (const char *s = cond; n && (s = strstr(s, var)); s += n)
		if (!word_char((unsigned char)s[n]))
			return true;
	return false;
}

/* The bindings, of the firings that matched the fact, that the matching
 * condition names and that are the fact's values. */
static void collect_bound(struct marks *m, const struct kbt_firing *const *firings, size_t n)
{
	const struct kbt_fact *self = kbt_fact(m->t, m->fact);
	for (size_t j = 0; self && j < n; j++) {
		const struct kbt_firing *x = firings[j];
		const struct kbt_rule *rule = &m->t->rules[x->rule];
		for (size_t i = 0; i < x->nfacts && i < rule->nconds; i++) {
			if (x->facts[i] != m->fact || !rule->conds[i])
				continue;
			for (size_t k = 0; k < x->nbindings; k++)
				if (x->bindings[k].name && names_variable(rule->conds[i], x->bindings[k].name) &&
				    fact_holds(self, x->bindings[k].value))
					add_bound(m, &x->bindings[k]);
		}
	}
}

/* Whether text[at..at+len) stands as a whole: a value that starts or ends
 * with a letter or digit does not continue one ("110" in "1100"). */
static bool whole(const char *text, size_t n, size_t at, size_t len, const struct bound *b)
{
	if (at > 0 && word_char((unsigned char)b->text[0]) && word_char((unsigned char)text[at - 1]))
		return false;
	if (at + len < n && word_char((unsigned char)b->text[len - 1]) && word_char((unsigned char)text[at + len]))
		return false;
	return true;
}

struct mark {
	size_t from, to;
	const char *name;
};

static int cmp_marks(const void *a, const void *b)
{
	const struct mark *x = a, *y = b;
	return x->from != y->from ? (x->from > y->from) - (x->from < y->from) : (x->to < y->to) - (x->to > y->to);
}

/* Every whole occurrence of every value, ASCII case ignored (a service
 * bound as "pop3svc" is written "POP3Svc"), ordered by start. */
static size_t find_marks(const struct marks *m, const char *text, size_t n, struct mark *out)
{
	size_t k = 0;
	for (size_t i = 0; i < m->n; i++) {
		const struct bound *b = &m->v[i];
		for (size_t at = 0; b->len <= n && at + b->len <= n && k < MAX_MARKS; at++)
			if (strncasecmp(text + at, b->text, b->len) == 0 && whole(text, n, at, b->len, b))
				out[k++] = (struct mark){at, at + b->len, b->name};
	}
	qsort(out, k, sizeof(*out), cmp_marks);
	return k;
}

void kbr_html_marked(FILE *out, const char *text, const struct kbt_trace *t, const struct kbt_firing *const *firings,
		     size_t nfirings, uint32_t fact)
{
	size_t n = strlen(text);
	if (!t || !nfirings) {
		kbu_html_escape(out, text, n);
		return;
	}
	struct marks *m = kbu_calloc(1, sizeof(*m));
	m->t = t;
	m->fact = fact;
	collect_bound(m, firings, nfirings);
	struct mark *v = kbu_calloc(MAX_MARKS, sizeof(*v));
	size_t k = find_marks(m, text, n, v), at = 0;
	for (size_t i = 0; i < k; i++) {
		if (v[i].from < at)
			continue; /* overlaps one already marked */
		kbu_html_escape(out, text + at, v[i].from - at);
		kbu_hprintf(out, "<mark title=\"%s\">%.*s</mark>", v[i].name, (int)(v[i].to - v[i].from), text + v[i].from);
		at = v[i].to;
	}
	kbu_html_escape(out, text + at, n - at);
	free(v);
	free(m);
}
