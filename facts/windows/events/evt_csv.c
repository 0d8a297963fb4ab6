/*
 * evt_csv.c — Event Viewer's comma- and tab-delimited exports.
 *
 * Two layouts (docs/evidence-formats.md "Event Viewer CSV and tab-delimited
 * exports"; learn.microsoft.com cc780824 for the older):
 *   NT 4.0 / 2000 / 2003 "Save Log File As... Text (Comma delimited)" and
 *   "Text (Tab delimited)": Date, Time, Source, Type, Category, Event, User,
 *   Computer, Description; usually no header row.  The description is the
 *   rest of the line (commas included) unless it starts with a quote; in
 *   quotes it may span lines and doubles its quotes.  Unquoted descriptions
 *   that went on over several lines continue on the lines that do not start
 *   a record.
 *   Vista and later "Save All Events As... CSV" / "Text (Tab delimited)":
 *   a header "Level,Date and Time,Source,Event ID,Task Category" ("Keywords"
 *   first in the Security log; "Ebene,Datum und Uhrzeit,Quelle,Ereignis-ID,
 *   Aufgabenkategorie" in German: core/labels.c's words), rows with or
 *   without a sixth, unnamed description column.  Level words of other
 *   languages read as their English.
 * Dates follow the exporting locale; kbf_winevt_local_time() reads them in
 * the order the first unambiguous date decides, so the file is read up to
 * that date, then again to assert the events.  The log is not in these exports;
 * record is the ordinal of the row.  Codes come from the description (the
 * exports have no event data); see event_util.c for the rule.
 *
 * The rows are read by the shared CSV reader (core/csv.c), told the
 * separator and which field is the open description; the dialect's one
 * difference from RFC 4180, an unquoted description that goes on over
 * lines that do not start a record, is a matter of records, not of
 * fields, and is assembled here (continuation()).
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "core/csv.h"
#include "core/labels.h"
#include "win_event.h"

enum layout { UNKNOWN, CLASSIC, VISTA };

struct csv {
	struct kbf_input *in;
	struct kbf_text *t;
	char sep;
	enum layout layout;
	bool emit;                    /* second pass */
	struct kbf_winevt_dates dates;
	struct kbf_csv r;
	struct kbf_winevt ev;
	bool pending, open_desc;      /* ev read, not yet asserted; may continue */
	size_t first, last;           /* its lines */
	int64_t nrec;
	int rc;
};

/* ---- records ---------------------------------------------------------------- */

static const char *fs(const struct kbf_csv *r, size_t i) { return i < r->n ? r->f[i].s : ""; }
static size_t fl(const struct kbf_csv *r, size_t i) { return i < r->n ? r->f[i].len : 0; }

static bool is_field(const struct kbf_csv *r, size_t i, const char *lit)
{
	return i < r->n && kbf_wtext_ieq(r->f[i], lit);
}

/* Column i is the viewer's column `key` (evt_text.c's lower-case key name)
 * in English or in a language core/labels.c knows. */
static bool is_column(const struct kbf_csv *r, size_t i, const char *key)
{
	const char *en = i < r->n ? kbf_label_find(&kbf_labels_event_keys, fs(r, i), fl(r, i)) : NULL;
	return is_field(r, i, key) || (en && strcmp(en, key) == 0);
}

/* ---- shapes ----------------------------------------------------------------- */

/* "6/13/2001", "13.06.2001", "2001-06-13" (LTR marks allowed before it). */
static bool datelike(const char *s, size_t len)
{
	size_t i = 0;
	while (i + 2 < len && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80)
		i += 3;
	if (i >= len || !isdigit((unsigned char)s[i]))
		return false;
	int seps = 0;
	char sep = 0;
	for (size_t k = 0; i < len && k < 12 && !isspace((unsigned char)s[i]); i++, k++) {
		if ((s[i] == '/' || s[i] == '.' || s[i] == '-') && (!sep || s[i] == sep))
			sep = s[i], seps++;
	}
	return seps >= 2;
}

static enum layout header_layout(const struct kbf_csv *r)
{
	if (r->n >= 8 && is_field(r, 0, "Date") && is_field(r, 1, "Time") && is_field(r, 2, "Source") &&
	    is_field(r, 3, "Type") && is_field(r, 5, "Event"))
		return CLASSIC;
	/* The Level, Source and Event ID columns decide (the words of the
	 * "Copy details as text" keys, which the viewer's columns share); the
	 * date column's name is read only as not being a date. */
	if (r->n >= 5 && (is_column(r, 0, "level") || is_column(r, 0, "keywords")) &&
	    !datelike(fs(r, 1), fl(r, 1)) && is_column(r, 2, "source") && is_column(r, 3, "event id"))
		return VISTA;
	return UNKNOWN;
}

static enum layout row_layout(const struct kbf_csv *r)
{
	if (r->n >= 8 && datelike(fs(r, 0), fl(r, 0)) && memchr(fs(r, 1), ':', fl(r, 1)))
		return CLASSIC;
	if (r->n >= 5 && datelike(fs(r, 1), fl(r, 1)) && memchr(fs(r, 1), ':', fl(r, 1)))
		return VISTA;
	return UNKNOWN;
}

static char detect_sep(const struct kbf_line *l)
{
	size_t tabs = 0;
	for (size_t i = 0; i < l->len; i++)
		tabs += l->s[i] == '\t';
	return tabs >= 4 ? '\t' : ',';
}

/* ---- events ----------------------------------------------------------------- */

static void flush(struct csv *c)
{
	if (!c->pending)
		return;
	c->pending = false;
	if (!c->emit)
		return;
	const struct kbf_line *z;
	while (c->last > c->first && (z = kbf_text_line(c->t, c->last)) && kbf_wtext_blank(z->s, z->len))
		c->last--;
	const char *a = kbf_text_line(c->t, c->first)->s;
	z = kbf_text_line(c->t, c->last);
	kbf_winevt_cite_text(&c->ev, a, (size_t)(z->s + z->len - a));
	kbf_wtext_buf_rtrim(&c->ev.message);
	if (kbf_winevt_emit(c->in, &c->ev) < 0)
		c->rc = -1;
}

/* Splits Vista's "10/7/2016 6:38:24 PM" into date and time. */
static void date_time(const struct kbf_csv *r, size_t i, const char **d, size_t *dl, const char **t,
		      size_t *tl)
{
	const char *s = fs(r, i), *sp = memchr(s, ' ', fl(r, i));
	*d = s;
	*dl = sp ? (size_t)(sp - s) : fl(r, i);
	*t = sp ? sp + 1 : s + fl(r, i);
	*tl = fl(r, i) - (size_t)(*t - s);
}

static void start_event(struct csv *c, size_t first, size_t last)
{
	const struct kbf_csv *r = &c->r;
	struct kbf_winevt *ev = &c->ev;
	bool classic = c->layout == CLASSIC;
	const char *d, *t;
	size_t dl, tl;
	if (classic)
		d = fs(r, 0), dl = fl(r, 0), t = fs(r, 1), tl = fl(r, 1);
	else
		date_time(r, 1, &d, &dl, &t, &tl);
	size_t desc = classic ? 8 : 5;
	c->first = first; /* the first pass too: what is before it can go */
	c->last = last;
	c->pending = true;
	c->open_desc = r->n == desc + 1 && !r->last_quoted;
	if (!c->emit) {
		kbf_winevt_date_hint(&c->dates, d, dl, t, tl);
		return;
	}
	kbf_winevt_reset(ev);
	size_t src = 2, lvl = classic ? 3 : 0, cat = 4, id = classic ? 5 : 3;
	kbf_winevt_set_local_time(ev, &c->dates, d, dl, t, tl);
	kbf_wtext_buf_set(&ev->source, fs(r, src), fl(r, src));
	kbf_winevt_set_level(ev, fs(r, lvl), fl(r, lvl));
	kbf_wtext_buf_set(&ev->category, fs(r, cat), fl(r, cat));
	kbf_wtext_buf_set(&ev->id, fs(r, id), fl(r, id));
	kbf_wtext_buf_set(&ev->message, fs(r, desc), fl(r, desc));
	if (classic) {
		kbf_wtext_buf_set(&ev->user, fs(r, 6), fl(r, 6));
		kbf_wtext_buf_set(&ev->computer, fs(r, 7), fl(r, 7));
	}
	ev->record = ++c->nrec;
	ev->line = ev->id_line = (int)first + 1;
}

/* A line that does not start a record: more of an unquoted description. */
static void continuation(struct csv *c, size_t ln)
{
	if (c->emit) {
		const struct kbf_line *l = kbf_text_line(c->t, ln);
		kbf_wtext_buf_addc(&c->ev.message, '\n');
		kbf_wtext_buf_add(&c->ev.message, l->s, l->len);
	}
	c->last = ln;
}

static void bad_line(struct csv *c, size_t ln)
{
	if (c->emit)
		c->rc = kbf_input_error(c->in, (int)ln + 1, c->layout == VISTA
			? "not an event row: expected Level, Date and Time, Source, Event ID, Task Category"
			: "not an event row: expected Date, Time, Source, Type, Category, Event, User, Computer, Description");
}

/* One line: a header, a record (which may run over further lines), or a
 * continuation.  Returns the next line, or SIZE_MAX to stop. */
static size_t line(struct csv *c, size_t ln, bool first_line)
{
	c->r.sep = c->sep;
	c->r.open_field = c->layout == VISTA ? 6 : c->layout == CLASSIC ? 9 : 0;
	if (kbf_csv_read(&c->r, c->t, ln) < 0) {
		flush(c);
		if (c->emit)
			c->rc = kbf_input_error(c->in, (int)ln + 1, "quoted field never closed: the file ends inside it");
		return SIZE_MAX;
	}
	size_t end = c->r.last;
	enum layout h = first_line ? header_layout(&c->r) : UNKNOWN;
	if (h != UNKNOWN) {
		c->layout = h;
		return end + 1;
	}
	enum layout shape = row_layout(&c->r);
	if (shape != UNKNOWN && (c->layout == UNKNOWN || c->layout == shape)) {
		flush(c);
		if (c->layout == UNKNOWN) {
			c->layout = shape; /* read again: the description may hold commas */
			return line(c, ln, false);
		}
		start_event(c, ln, end);
		return end + 1;
	}
	if (c->pending && c->open_desc) {
		continuation(c, ln);
		return ln + 1;
	}
	flush(c);
	bad_line(c, ln);
	return ln + 1;
}

static void pass(struct csv *c)
{
	struct kbf_text *t = c->t;
	bool first = true;
	c->layout = UNKNOWN;
	c->pending = false;
	c->nrec = 0;
	const struct kbf_line *l;
	for (size_t ln = 0; ln != SIZE_MAX && (c->emit || !kbf_winevt_dates_decided(&c->dates)) &&
			    (l = kbf_text_line(t, ln));) {
		kbf_text_release(t, c->pending ? c->first : ln);
		if (kbf_wtext_blank(l->s, l->len)) {
			if (c->pending && c->open_desc)
				continuation(c, ln);
			ln++;
			continue;
		}
		if (first)
			c->sep = detect_sep(l);
		ln = line(c, ln, first);
		first = false;
	}
	flush(c);
}

/* ---- the importer ------------------------------------------------------------- */

static int probe(struct kbf_text *t)
{
	if (!t->utf8)
		return 0;
	size_t ln = 0;
	while (ln < t->nlines && t->lines[ln].len == 0)
		ln++;
	if (ln == t->nlines)
		return 0;
	struct kbf_csv r = {.sep = detect_sep(&t->lines[ln])};
	int score = 0;
	if (kbf_csv_read(&r, t, ln) == 0) {
		if (header_layout(&r) != UNKNOWN)
			score = 95;
		else if (row_layout(&r) == CLASSIC && (kbf_winevt_any_level(fs(&r, 3), fl(&r, 3)) || r.n >= 9))
			score = 80;
		else if (row_layout(&r) == VISTA && kbf_winevt_any_level(fs(&r, 0), fl(&r, 0)))
			score = 75;
	}
	kbf_csv_free(&r);
	return score;
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	if (!t->utf8)
		return kbf_input_error(in, 0, "not text");
	struct csv c = {.in = in, .t = t, .r.borrow = true}; /* a record's lines are held until it is asserted */
	pass(&c);
	c.emit = true;
	if (kbf_text_rewind(t) < 0)
		kbf_input_error(in, 0, "cannot read it again: %s", strerror(errno));
	else
		pass(&c);
	kbf_csv_free(&c.r);
	kbf_winevt_free(&c.ev);
	return c.rc;
}

const struct kbf_importer kbf_eventlog_csv_importer = {"eventlog-csv", probe, import, KBF_READ_STREAM};
