/*
 * csv.c — the CSV reader (see csv.h).  One reader for every CSV importer,
 * so a quoting rule is decided once: a record's unescaped text goes into
 * one buffer, field after field, and the fields are pointed into it when
 * the record is complete (the buffer may move while it grows).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "xalloc.h"

/* Where reading stands: line ln of t, byte p of it. */
struct pos {
	struct kbf_text *t;
	size_t ln, p;
};

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap && p)
		return p;
	size_t cap2 = *cap ? *cap : 64;
	while (cap2 < need)
		cap2 *= 2;
	*cap = cap2;
	return kbu_realloc(p, cap2, elem);
}

static void put(struct kbf_csv *c, const char *s, size_t n)
{
	c->buf = grow(c->buf, &c->cap, c->len + n, 1);
	memcpy(c->buf + c->len, s, n);
	c->len += n;
}

/* Room for one more field. */
static void add_field(struct kbf_csv *c)
{
	size_t fcap = c->fcap;
	c->f = grow(c->f, &c->fcap, c->n + 1, sizeof(*c->f));
	c->in_buf = grow(c->in_buf, &fcap, c->n + 1, sizeof(*c->in_buf));
}

/* Ends a field that took c->buf[start..len); its pointer is set once the
 * record is read, as buf may move until then. */
static void end_field(struct kbf_csv *c, size_t start)
{
	add_field(c);
	c->in_buf[c->n] = start;
	c->f[c->n++] = (struct kbf_wtext_span){NULL, c->len - start};
}

/* Ends a field that is the text itself (c->borrow). */
static void end_field_at(struct kbf_csv *c, const char *s, size_t len)
{
	add_field(c);
	c->in_buf[c->n] = SIZE_MAX;
	c->f[c->n++] = (struct kbf_wtext_span){s, len};
}

static void point_fields(struct kbf_csv *c)
{
	for (size_t k = 0; k < c->n; k++)
		if (c->in_buf[k] != SIZE_MAX)
			c->f[k].s = c->buf + c->in_buf[k];
}

/* A quoted field from just after its opening quote, over further lines
 * unless one_line.  false when the quote does not close. */
static bool quoted(struct kbf_csv *c, struct pos *at)
{
	for (;;) {
		const struct kbf_line *l = kbf_text_line(at->t, at->ln);
		const char *q = memchr(l->s + at->p, '"', l->len - at->p);
		size_t run = q ? (size_t)(q - l->s) - at->p : l->len - at->p;
		put(c, l->s + at->p, run);
		at->p += run;
		if (q && at->p + 1 < l->len && l->s[at->p + 1] == '"') {
			put(c, "\"", 1);
			at->p += 2;
		} else if (q) {
			at->p++;
			return true;
		} else if (c->one_line || !kbf_text_line(at->t, at->ln + 1)) {
			return false;
		} else {
			put(c, "\n", 1);
			at->ln++;
			at->p = 0;
		}
	}
}

static bool blank(char ch, char sep)
{
	return (ch == ' ' || ch == '\t') && ch != sep;
}

/* Whether the field at *at is quoted, blanks before the quote skipped. */
static bool opens_quote(const struct kbf_line *l, struct pos *at, char sep)
{
	size_t p = at->p;
	while (p < l->len && blank(l->s[p], sep))
		p++;
	if (p >= l->len || l->s[p] != '"')
		return false;
	at->p = p + 1;
	return true;
}

/* One field at *at; moves past its separator.  false at the record's end
 * (or when a quote does not close: *ok then false). */
static bool field(struct kbf_csv *c, struct pos *at, bool *ok)
{
	size_t start = c->len;
	const struct kbf_line *l = kbf_text_line(at->t, at->ln);
	char sep = c->sep ? c->sep : ',';
	c->last_quoted = opens_quote(l, at, sep);
	if (c->last_quoted) {
		*ok = quoted(c, at);
		l = kbf_text_line(at->t, at->ln);
	}
	size_t end = !c->last_quoted && c->open_field == c->n + 1 ? l->len : at->p;
	if (*ok && end < l->len) {
		const char *at_sep = memchr(l->s + end, sep, l->len - end);
		end = at_sep ? (size_t)(at_sep - l->s) : l->len;
	}
	size_t keep = end; /* after a closing quote: kept as Excel does, but for trailing blanks */
	while (c->last_quoted && keep > at->p && blank(l->s[keep - 1], sep))
		keep--;
	if (*ok && !c->last_quoted && c->borrow) {
		end_field_at(c, l->s + at->p, keep - at->p);
	} else {
		if (*ok)
			put(c, l->s + at->p, keep - at->p);
		end_field(c, start);
	}
	at->p = end + 1;
	return *ok && end < l->len;
}

int kbf_csv_read(struct kbf_csv *c, struct kbf_text *t, size_t ln)
{
	struct pos at = {t, ln, 0};
	bool ok = true;
	c->n = c->len = 0;
	c->buf = grow(c->buf, &c->cap, 1, 1); /* so that empty fields point somewhere */
	c->first = ln;
	while (field(c, &at, &ok))
		;
	c->last = at.ln;
	point_fields(c);
	return ok ? 0 : -1;
}

int kbf_csv_next(struct kbf_csv *c, struct kbf_text *t, size_t *ln)
{
	const struct kbf_line *l;
	while ((l = kbf_text_line(t, *ln)) && kbf_wtext_blank(l->s, l->len))
		(*ln)++;
	if (!l)
		return 0;
	int rc = kbf_csv_read(c, t, *ln);
	*ln = c->last + 1;
	return rc < 0 ? -1 : 1;
}

void kbf_csv_free(struct kbf_csv *c)
{
	free(c->buf);
	free(c->f);
	free(c->in_buf);
	c->buf = NULL;
	c->f = NULL;
	c->in_buf = NULL;
	c->n = c->len = c->cap = c->fcap = 0;
	c->first = c->last = 0;
	c->last_quoted = false;
}
