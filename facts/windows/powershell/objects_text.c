/*
 * objects_text.c — PowerShell's two console views read back into objects:
 * the table (the default view of Get-Process, Get-Service,
 * Get-NetTCPConnection, Get-WinEvent; Format-Table) and the list
 * (Format-List, `| fl *`, Get-WmiObject's default).
 *
 * Table (Windows PowerShell 5.1 and PowerShell 7 alike):
 *
 *     Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName
 *     -------  ------    -----      -----     ------     --  -- -----------
 *         213      13     2292      10352       0.06   3828   1 conhost
 *
 * Each column's name is underlined by a run of dashes as long as the name;
 * a column is as wide as its widest value, one blank apart, numbers right
 * aligned (their values run left past the dashes), text left aligned
 * (running right).  So a cell starts where its dashes start, moved left
 * over the characters of a right-aligned value, and ends where the next
 * cell starts: the blank between columns always falls inside that span.
 * A value cut to the console width ends in "..." (5.1) or "…" (7): it is
 * kept without the mark and flagged.  The last column's mark also stands
 * for the lines after the first of a value of several (an event's
 * Message: "Engine state is changed from None to Available..."); a row
 * cut to the width is as long as the widest of the table's first 1024
 * rows, when two rows or more are that long or it is a usual console
 * width (79, 80, 119, 120 characters), and a first-line row is shorter.
 * A table ends at a blank line; a grouped view (Get-WinEvent by provider)
 * prints "   ProviderName: X" above each table, and the group's property
 * is added to its rows.
 * Columns that did not fit the console at all are simply absent.
 *
 * List:
 *
 *     Name                : Spooler
 *     DisplayName         : Print Spooler
 *     Status              : Running
 *
 * One object per block, blocks apart by blank lines; names padded to the
 * longest, " : ", the value; a long value wraps onto lines indented to the
 * value.  A line filled to the widest of the file's first 4096 lines (60
 * characters or more) was cut at the console width and joins the next
 * without a blank; a shorter one broke at a blank (a word wrap, or a line
 * break in the value: a Message) and joins with one.  Column positions count characters; East Asian wide
 * characters, which take two console cells, shift a table's cells.
 *
 * Both are read as streams (a Get-WinEvent table or list may hold a
 * million events): what is behind the line being read is released, and
 * what is looked at ahead (the width, the line after a blank) is
 * bounded.
 */
#include <stdlib.h>
#include <string.h>

#include "objects.h"
#include "utf8.h"
#include "xalloc.h"

#define MAX_COLS 64

/* ---- shared ---------------------------------------------------------------------- */

bool kbf_ps_rule_line(const struct kbf_line *l)
{
	struct kbf_wtext_span t = kbf_wtext_trim(l->s, l->len);
	if (!t.len || t.s[0] != '-')
		return false;
	for (size_t i = 0; i < t.len; i++)
		if (t.s[i] != '-' && t.s[i] != ' ')
			return false;
	return true;
}

bool kbf_ps_list_line(const struct kbf_line *l, size_t *colon, struct kbf_wtext_span *name)
{
	if (!l->len || l->s[0] == ' ' || l->s[0] == '\t')
		return false;
	for (size_t i = 1; i < l->len; i++) {
		if (l->s[i] != ':' || l->s[i - 1] != ' ' || (i + 1 < l->len && l->s[i + 1] != ' '))
			continue;
		*name = kbf_wtext_trim(l->s, i);
		*colon = kbu_utf8_chars(l->s, i);
		return name->len > 0;
	}
	return false;
}

static bool truncated(struct kbf_wtext_span *v)
{
	if (v->len >= 3 && memcmp(v->s + v->len - 3, "...", 3) == 0) {
		v->len -= 3;
		return true;
	}
	if (v->len >= 3 && memcmp(v->s + v->len - 3, "\xE2\x80\xA6", 3) == 0) {
		v->len -= 3;
		return true;
	}
	return false;
}

/* ---- tables ---------------------------------------------------------------------- */

/* Rows looked at ahead of a table's first for the console width they were
 * cut to: enough for any console, and a bound on what is held decoded. */
#define WIDTH_ROWS 1024

struct table {
	size_t n;
	size_t width; /* the console width the rows tell, in characters; 0: not told */
	size_t start[MAX_COLS], end[MAX_COLS]; /* each name's dashes, in characters */
	struct kbf_wtext_span name[MAX_COLS];  /* in names: */
	char names[1024]; /* copied, the header's lines being released as rows are read */
	struct kbf_wtext_span group, group_value; /* "   ProviderName: X" above it, in grouped: */
	char grouped[512];
};

/* Column k's name in a header line. */
static struct kbf_wtext_span name_cell(const struct table *tb, const struct kbf_line *l, size_t k)
{
	size_t a = kbu_utf8_offset(l->s, l->len, tb->start[k]);
	size_t b = kbu_utf8_offset(l->s, l->len, tb->end[k]);
	return kbf_wtext_trim(l->s + a, b - a);
}

/* The columns the rule's runs of dashes mark, named by the header's cells.
 * PowerShell 7 wraps a header wider than the console onto a second line
 * ("OwningPr" above, "ocess" below), where the other columns' names are
 * then empty: the names are the two lines' cells joined (above is the
 * line over the header, NULL when blank or none). */
static void columns(struct table *tb, const struct kbf_line *above, const struct kbf_line *header,
		    const struct kbf_line *rule)
{
	tb->n = 0;
	size_t col = 0, used = 0;
	for (size_t i = 0; i < rule->len && tb->n < MAX_COLS; i++, col++) {
		if (rule->s[i] == '-' && (i == 0 || rule->s[i - 1] != '-'))
			tb->start[tb->n] = col;
		if (rule->s[i] == '-' && (i + 1 == rule->len || rule->s[i + 1] != '-'))
			tb->end[tb->n++] = col + 1;
	}
	bool unnamed = false;
	for (size_t k = 0; k < tb->n; k++)
		unnamed |= name_cell(tb, header, k).len == 0;
	for (size_t k = 0; k < tb->n; k++) {
		struct kbf_wtext_span top = unnamed && above ? name_cell(tb, above, k) : (struct kbf_wtext_span){"", 0};
		struct kbf_wtext_span low = name_cell(tb, header, k);
		if (used + top.len + low.len > sizeof(tb->names))
			top.len = low.len = 0;
		memcpy(tb->names + used, top.s, top.len);
		memcpy(tb->names + used + top.len, low.s, low.len);
		tb->name[k] = (struct kbf_wtext_span){tb->names + used, top.len + low.len};
		used += top.len + low.len;
	}
}

/* Where cell k of l starts (a byte offset): at its dashes, moved left over
 * a right-aligned value that is wider than its name. */
static size_t cell_start(const struct table *tb, const struct kbf_line *l, size_t k)
{
	size_t b = kbu_utf8_offset(l->s, l->len, tb->start[k]);
	size_t floor = k ? kbu_utf8_offset(l->s, l->len, tb->end[k - 1]) : 0;
	while (b > floor && l->s[b - 1] != ' ')
		b--;
	return b;
}

static int table_row(struct kbf_input *in, const struct table *tb, const struct kbf_line *l, int line,
		     struct kbf_ps_record *r, kbf_ps_each *each, void *ud)
{
	kbf_ps_record_reset(r, KBF_PS_TABLE, line);
	r->raw = *l;
	size_t a = cell_start(tb, l, 0);
	for (size_t k = 0; k < tb->n; k++) {
		size_t b = k + 1 < tb->n ? cell_start(tb, l, k + 1) : l->len;
		if (b < a)
			b = a;
		struct kbf_wtext_span v = kbf_wtext_trim(l->s + a, b - a);
		bool cut = truncated(&v);
		kbf_ps_record_add(r, tb->name[k].s, tb->name[k].len, v.s, v.len, cut, false);
		if (cut && k + 1 == tb->n && kbu_utf8_chars(l->s, l->len) != tb->width)
			kbf_ps_record_first_line(r);
		a = b;
	}
	if (tb->group.len)
		kbf_ps_record_add(r, tb->group.s, tb->group.len, tb->group_value.s, tb->group_value.len, false, false);
	kbf_ps_record_finish(r);
	return each(in, r, ud);
}

/* The console width the rows from line i to the blank line after them
 * were cut to: the longest row's length when two rows or more have it,
 * or when it is a usual width; else 0.  The table's first WIDTH_ROWS
 * rows tell it. */
static size_t console_width(struct kbf_text *t, size_t i)
{
	size_t w = 0, nw = 0;
	const struct kbf_line *l;
	for (size_t end = i + WIDTH_ROWS; i < end && (l = kbf_text_line(t, i)) && !kbf_wtext_blank(l->s, l->len); i++) {
		size_t c = kbu_utf8_chars(l->s, l->len);
		nw = c == w ? nw + 1 : c > w ? 1 : nw;
		w = c > w ? c : w;
	}
	return nw >= 2 || w == 79 || w == 80 || w == 119 || w == 120 ? w : 0;
}

/* "   ProviderName: Service Control Manager": indented, one word, ": ". */
static bool group_line(const struct kbf_line *l, struct table *tb)
{
	struct kbf_wtext_span t = kbf_wtext_trim(l->s, l->len);
	if (!t.len || t.s == l->s)
		return false;
	const char *colon = memchr(t.s, ':', t.len);
	if (!colon || colon == t.s || (size_t)(colon - t.s) + 1 >= t.len || colon[1] != ' ')
		return false;
	for (const char *p = t.s; p < colon; p++)
		if (*p == ' ')
			return false;
	struct kbf_wtext_span name = {t.s, (size_t)(colon - t.s)};
	struct kbf_wtext_span value = kbf_wtext_trim(colon + 1, (size_t)(t.s + t.len - colon - 1));
	if (name.len + value.len > sizeof(tb->grouped))
		return false;
	memcpy(tb->grouped, name.s, name.len);
	memcpy(tb->grouped + name.len, value.s, value.len);
	tb->group = (struct kbf_wtext_span){tb->grouped, name.len};
	tb->group_value = (struct kbf_wtext_span){tb->grouped + name.len, value.len};
	return true;
}

/* Read as a stream: the line above the current one is kept (a wrapped
 * header's first half), the rest behind is released when importing.
 * Lines are copied out of t, whose line array moves as it grows. */
int kbf_ps_read_table(struct kbf_input *in, struct kbf_text *t, kbf_ps_each *each, void *ud)
{
	struct table *tb = kbu_calloc(1, sizeof(*tb));
	struct kbf_ps_record r = {0};
	struct kbf_line above = {0}, l;
	const struct kbf_line *next;
	bool active = false;
	int rc = 0;
	for (size_t i = 0; rc == 0 && kbf_text_line(t, i); i++) {
		if (in && i)
			kbf_text_release(t, i - 1);
		l = *kbf_text_line(t, i);
		if (kbf_wtext_blank(l.s, l.len)) {
			active = false;
		} else if (!active && (next = kbf_text_line(t, i + 1)) && !kbf_ps_rule_line(&l) && kbf_ps_rule_line(next)) {
			struct kbf_line rule = *next;
			columns(tb, i > 0 && !kbf_wtext_blank(above.s, above.len) ? &above : NULL, &l, &rule);
			i++;
			l = rule;
			tb->width = console_width(t, i + 1);
			active = tb->n > 0;
		} else if (active) {
			rc = table_row(in, tb, &l, (int)i + 1, &r, each, ud);
		} else if (!group_line(&l, tb)) {
			tb->group.len = 0; /* text between tables: a new grouping starts over */
		}
		above = l;
	}
	kbf_ps_record_free(&r);
	free(tb);
	return rc;
}

/* ---- lists ----------------------------------------------------------------------- */

/* Lines whose widest tells the console width a list was cut to. */
#define WIDTH_LINES 4096

struct list {
	struct kbf_ps_record r;
	bool open;
	size_t value_col; /* the record's values start here (characters) */
	size_t width;     /* the widest of the first lines: a line this long was cut */
	bool cut;         /* the last line read filled the width */
};

static int list_flush(struct kbf_input *in, struct list *ls, kbf_ps_each *each, void *ud)
{
	if (!ls->open)
		return 0;
	ls->open = false;
	kbf_ps_record_finish(&ls->r);
	return each(in, &ls->r, ud);
}

static size_t widest(struct kbf_text *t)
{
	size_t w = 0;
	const struct kbf_line *l;
	for (size_t i = 0; i < WIDTH_LINES && (l = kbf_text_line(t, i)); i++) {
		size_t c = kbu_utf8_chars(l->s, l->len);
		w = c > w ? c : w;
	}
	return w;
}

/* A blank line inside a value: the next line that is not blank goes on
 * with the value (indented to it) rather than starting an object.  More
 * than BLANK_RUN blank lines end the object. */
#define BLANK_RUN 256
static bool value_goes_on(struct kbf_text *t, size_t i, const struct list *ls)
{
	const struct kbf_line *l;
	for (size_t end = i + BLANK_RUN; (l = kbf_text_line(t, i)) && kbf_wtext_blank(l->s, l->len); i++)
		if (i == end)
			return false;
	return ls->open && l && kbf_wtext_indent(l->s, l->len) >= ls->value_col && ls->value_col > 0;
}

static void list_line(struct list *ls, const struct kbf_line *l, int line)
{
	size_t colon;
	struct kbf_wtext_span name;
	if (kbf_ps_list_line(l, &colon, &name)) {
		if (!ls->open)
			kbf_ps_record_reset(&ls->r, KBF_PS_LIST, line);
		ls->open = true;
		ls->value_col = colon + 2;
		size_t at = kbu_utf8_offset(l->s, l->len, colon + 1);
		struct kbf_wtext_span v = kbf_wtext_trim(l->s + at, l->len - at);
		kbf_ps_record_add(&ls->r, name.s, name.len, v.s, v.len, false, false);
		if (kbf_wtext_ieq(name, "__CLASS"))
			kbf_ps_record_set_type(&ls->r, v.s, v.len);
	} else if (ls->open && kbf_wtext_indent(l->s, l->len) >= ls->value_col) {
		/* after a cut, the text goes on as it is (a blank included) */
		size_t at = kbu_utf8_offset(l->s, l->len, ls->value_col);
		struct kbf_wtext_span v = kbf_wtext_trim(l->s + at, l->len - at);
		if (ls->cut)
			v = (struct kbf_wtext_span){l->s + at, (size_t)(v.s + v.len - (l->s + at))};
		kbf_ps_record_extend(&ls->r, ls->cut ? "" : " ", v.s, v.len);
	} else {
		return; /* a prompt, a warning, text between objects */
	}
	ls->cut = ls->width >= 60 && kbu_utf8_chars(l->s, l->len) >= ls->width;
}

/* Read as a stream: a record keeps copies of its values, so every line
 * before the current one is released when importing. */
int kbf_ps_read_list(struct kbf_input *in, struct kbf_text *t, kbf_ps_each *each, void *ud)
{
	struct list ls = {.width = widest(t)};
	int rc = 0;
	for (size_t i = 0; rc == 0 && kbf_text_line(t, i); i++) {
		if (in)
			kbf_text_release(t, i);
		struct kbf_line l = *kbf_text_line(t, i);
		if (!kbf_wtext_blank(l.s, l.len))
			list_line(&ls, &l, (int)i + 1);
		else if (!value_goes_on(t, i, &ls))
			rc = list_flush(in, &ls, each, ud);
	}
	if (rc == 0)
		rc = list_flush(in, &ls, each, ud);
	kbf_ps_record_free(&ls.r);
	return rc;
}
