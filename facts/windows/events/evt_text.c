/*
 * evt_text.c — events as people paste them from an event's Properties
 * dialog or quote them from a KB article: blocks of "Key: value" lines.
 *
 *   NT 4.0 / 2000 / XP / 2003 (and the KB articles quoting them):
 *     Event Type: Error            Event Source: MSExchange Pop3 Interface
 *     Event Category: Configuration   Event ID: 11508   Date:   Time:
 *     User: N/A   Computer: EXCH01   Description: (text on the same line
 *     or the lines below, blank lines included)   Data: Bytes|Words then
 *     "0000: 40 27 00 00 ..." hex lines, with or without an ASCII column.
 *   KB shorthands: "EventID: 1309", "Type:", "Source:", "Category:", and
 *     "Event ID = 7023" (Q133010 writes '=').
 *   Vista and later "Copy details as text": Log Name, Source, Date (date
 *     and time), Event ID, Task Category, Level, Keywords, User, Computer,
 *     Description, then optionally "Event Xml:" and the event's XML, read
 *     with evtx_xml.c (its UTC time, record ID and data win; the header
 *     lines win for everything else, being what the viewer showed).
 * Keys are matched without regard to case or indentation, separated from
 * the value by ':' or '='; keys, level words and "None" in other languages
 * are those core/labels.c lists ("Ereignis-ID", "Код события", "事件 ID",
 * "Fehler" ...), read as their English (Italian and Portuguese "Data:" with
 * a date after it is the Date).  A block ends where the next begins: at a key it
 * already has, or, inside a description or data, at Event Type / Event ID /
 * Log Name.  A description also ends, after a blank line, at a key its block
 * has or at text indented less than "Description:" (the prose around a KB
 * quote).  Lines outside blocks are skipped.  code: the description's, by
 * the rule in event_util.c, failing that the data's first DWORD.  The
 * record slot is the ordinal of the block.  The file is read twice: first
 * up to the date that decides the locale's date order, then for the
 * events.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "core/labels.h"
#include "hexdigit.h"
#include "win_event.h"

enum key {
	K_NONE, K_TYPE, K_LEVEL, K_SOURCE, K_CATEGORY, K_ID, K_DATE, K_TIME, K_USER,
	K_COMPUTER, K_LOG, K_KEYWORDS, K_DESC, K_DATA, K_XML,
};

/* Every line is looked up here (a description ends at a key): lengths
 * first, the text only when they agree. */
#define KEY(name, k) {name, sizeof(name) - 1, k}
static const struct {
	const char *name;
	size_t len;
	enum key k;
} keys[] = {
	KEY("event type", K_TYPE), KEY("type", K_LEVEL), KEY("level", K_LEVEL),
	KEY("event source", K_SOURCE), KEY("source", K_SOURCE), KEY("event category", K_CATEGORY),
	KEY("category", K_CATEGORY), KEY("task category", K_CATEGORY), KEY("event id", K_ID),
	KEY("eventid", K_ID), KEY("date", K_DATE), KEY("date and time", K_DATE), KEY("time", K_TIME),
	KEY("user", K_USER), KEY("computer", K_COMPUTER), KEY("log name", K_LOG), KEY("keywords", K_KEYWORDS),
	KEY("description", K_DESC), KEY("data", K_DATA), KEY("event xml", K_XML),
};
#undef KEY

enum state { OUTSIDE, HEADER, DESC, DATA, AFTER };


/* ---- lines ---------------------------------------------------------------------- */

static size_t indent_of(const struct kbf_line *l)
{
	size_t i = 0;
	while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	return i;
}

/* The value after s[0..len) (past the separator), trimmed. */
static void value_of(const struct kbf_line *l, size_t i, const char **v, size_t *vlen)
{
	for (; i < l->len && isspace((unsigned char)l->s[i]); i++)
		;
	size_t e = l->len;
	while (e > i && isspace((unsigned char)l->s[e - 1]))
		e--;
	*v = l->s + i;
	*vlen = e - i;
}

/* A key in another language (kbf_labels_event_keys), which may hold
 * letters beyond ASCII and hyphens ("Ereignis-ID:"); looked up only when a
 * colon, ASCII or full-width (its first byte), is near. */
static enum key localised_key(const struct kbf_line *l, size_t k0, const char **v, size_t *vlen)
{
	size_t after, near = l->len - k0 < 48 ? l->len - k0 : 48;
	bool colon = memchr(l->s + k0, ':', near) || memchr(l->s + k0, 0xEF, near);
	const char *en = colon ? kbf_label_key(&kbf_labels_event_keys, l->s + k0, l->len - k0, &after) : NULL;
	for (size_t n = 0; en && n < sizeof(keys) / sizeof(keys[0]); n++)
		if (strcmp(keys[n].name, en) == 0) {
			value_of(l, k0 + after, v, vlen);
			return keys[n].k;
		}
	return K_NONE;
}

/* "23/04/2019 18:41:23": Italian and Portuguese "Data:" is the date; the
 * English one (the hex dump) has "Bytes", "Words" or nothing after it. */
static bool date_value(const char *v, size_t vlen)
{
	size_t i = 0;
	while (i < vlen && isdigit((unsigned char)v[i]))
		i++;
	return i > 0 && i < vlen && (v[i] == '/' || v[i] == '.' || v[i] == '-');
}

/* The key a line starts with and its value (trimmed), or K_NONE. */
static enum key parse_key(const struct kbf_line *l, const char **v, size_t *vlen)
{
	size_t i = indent_of(l), k0 = i;
	while (i < l->len && i - k0 < 24 && (isalpha((unsigned char)l->s[i]) || l->s[i] == ' '))
		i++;
	size_t k1 = i;
	while (k1 > k0 && l->s[k1 - 1] == ' ')
		k1--;
	while (i < l->len && l->s[i] == '\t')
		i++;
	if (i >= l->len || (l->s[i] != ':' && l->s[i] != '='))
		return localised_key(l, k0, v, vlen);
	value_of(l, i + 1, v, vlen);
	for (size_t n = 0; n < sizeof(keys) / sizeof(keys[0]); n++)
		if (keys[n].len == k1 - k0 && (l->s[k0] | 0x20) == keys[n].name[0] &&
		    kbf_wtext_iprefix(l->s + k0, k1 - k0, keys[n].name))
			return keys[n].k == K_DATA && date_value(*v, *vlen) ? K_DATE : keys[n].k;
	return localised_key(l, k0, v, vlen);
}

static bool hex_line(const struct kbf_line *l, size_t *after)
{
	size_t i = indent_of(l), h = i;
	while (i < l->len && isxdigit((unsigned char)l->s[i]))
		i++;
	if (i - h < 4 || i - h > 8 || i >= l->len || l->s[i] != ':')
		return false;
	*after = i + 1;
	return true;
}

/* The first DWORD of a dump line: bytes "40 27 00 00" (little-endian) or
 * a word "00002740" as the Words view shows it. */
static bool dump_dword(const struct kbf_line *l, size_t i, uint32_t *d)
{
	*d = 0;
	for (unsigned nbytes = 0; nbytes < 4;) {
		while (i < l->len && l->s[i] == ' ')
			i++;
		size_t s = i;
		while (i < l->len && isxdigit((unsigned char)l->s[i]))
			i++;
		if (i - s == 8 && nbytes == 0) {
			for (size_t k = s; k < i; k++)
				*d = *d << 4 | (uint32_t)kbu_hex_digit(l->s[k]);
			return true;
		}
		if (i - s != 2)
			return false;
		*d |= (uint32_t)(kbu_hex_digit(l->s[s]) << 4 | kbu_hex_digit(l->s[s + 1])) << (8 * nbytes++);
	}
	return true;
}

static bool blank(const struct kbf_line *l) { return indent_of(l) == l->len; }

/* Event Type, Event ID and Log Name open a block even inside a description. */
static bool starter(enum key k) { return k == K_TYPE || k == K_ID || k == K_LOG; }

/* ---- blocks --------------------------------------------------------------------- */

struct text {
	struct kbf_input *in;
	struct kbf_text *t;
	bool emit;                 /* second pass */
	struct kbf_winevt_dates dates;
	struct kbf_winevt ev, xev;
	struct kbf_wtext_buf date, time, keywords;
	bool open, has_xml, data_read, gap, strip_all;
	unsigned have;             /* keys seen in this block, 1 << key */
	enum state state;
	size_t first, last;        /* the block's lines */
	size_t indent, desc_lines; /* the description's indentation and lines so far */
	int64_t nblocks;
	int rc;
};

static void begin(struct text *x, size_t ln)
{
	kbf_winevt_reset(&x->ev);
	kbf_wtext_buf_set(&x->date, "", 0);
	kbf_wtext_buf_set(&x->time, "", 0);
	kbf_wtext_buf_set(&x->keywords, "", 0);
	x->open = true;
	x->has_xml = x->data_read = x->gap = false;
	x->have = 0;
	x->state = HEADER;
	x->first = x->last = ln;
	x->ev.line = (int)ln + 1;
	x->ev.record = ++x->nblocks;
}

static void take(struct kbf_wtext_buf *dst, const struct kbf_wtext_buf *src)
{
	if (!dst->len && src->len)
		kbf_wtext_buf_set(dst, src->s, src->len);
}

/* The XML of a Vista copy: its UTC time, record and data win, the header
 * lines (what the viewer showed) win for the rest. */
static void merge_xml(struct kbf_winevt *ev, const struct kbf_winevt *x)
{
	if (x->time.len) {
		kbf_wtext_buf_set(&ev->time, x->time.s, x->time.len);
		ev->local_dates = NULL;
	}
	if (x->record >= 0)
		ev->record = x->record;
	if (!ev->id.len)
		ev->id_line = x->id_line;
	const struct kbf_wtext_buf *from[] = {&x->log, &x->source, &x->id, &x->level,
					 &x->computer, &x->user, &x->category, &x->message};
	struct kbf_wtext_buf *to[] = {&ev->log, &ev->source, &ev->id, &ev->level,
				 &ev->computer, &ev->user, &ev->category, &ev->message};
	for (size_t i = 0; i < sizeof(to) / sizeof(to[0]); i++)
		take(to[i], from[i]);
	size_t n = !ev->message.len && !ev->strings.n ? x->strings.n : 0;
	for (size_t i = 0; i < n; i++) { /* no description: the XML's insertion strings make the message */
		size_t len;
		const char *s = kbf_winevt_string(x, i, &len);
		kbf_winevt_add_string(ev, s, len);
	}
	if (!ev->has_data_code) {
		ev->has_data_code = x->has_data_code;
		ev->data_code = x->data_code;
	}
}

static void finish(struct text *x)
{
	if (!x->open)
		return;
	x->open = false;
	x->state = OUTSIDE;
	if (!x->emit)
		return;
	struct kbf_winevt *ev = &x->ev;
	kbf_winevt_set_local_time(ev, &x->dates, x->date.s, x->date.len, x->time.s, x->time.len);
	const char *lv = ev->level.len ? kbf_winevt_level(ev->level.s, ev->level.len) : NULL;
	const char *kw = x->keywords.len ? kbf_winevt_any_level(x->keywords.s, x->keywords.len) : NULL;
	if (!ev->level.len || (lv && strcmp(lv, "information") == 0)) {
		if (kw && strncmp(kw, "audit ", 6) == 0) /* "失敗の監査" */
			kbf_wtext_buf_set(&ev->level, kw, strlen(kw));
		else if (kbf_wtext_ifind(x->keywords.s, x->keywords.len, "audit failure", NULL))
			kbf_wtext_buf_set(&ev->level, "audit failure", 13);
		else if (kbf_wtext_ifind(x->keywords.s, x->keywords.len, "audit success", NULL))
			kbf_wtext_buf_set(&ev->level, "audit success", 13);
	}
	if (x->has_xml)
		merge_xml(ev, &x->xev);
	kbf_wtext_buf_rtrim(&ev->message);
	while (x->last > x->first && blank(kbf_text_line(x->t, x->last)))
		x->last--;
	const char *a = kbf_text_line(x->t, x->first)->s;
	const struct kbf_line *z = kbf_text_line(x->t, x->last);
	kbf_winevt_cite_text(ev, a, (size_t)(z->s + z->len - a));
	if (kbf_winevt_emit(x->in, ev) < 0)
		x->rc = -1;
}

/* Lines below "Description:" lose its indentation (a KB quote's); lines
 * continuing a description begun on the key line lose all of theirs. */
static void desc_line(struct text *x, const struct kbf_line *l)
{
	size_t i = 0, e = l->len;
	while ((x->strip_all || i < x->indent) && i < e && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	while (e > i && isspace((unsigned char)l->s[e - 1]))
		e--;
	if (!x->desc_lines && i == e)
		return; /* blank lines before the text */
	if (x->desc_lines++)
		kbf_wtext_buf_addc(&x->ev.message, '\n');
	kbf_wtext_buf_add(&x->ev.message, l->s + i, e - i);
}

/* "Date: 8/22/2013 2:51:44 PM" (Vista) holds the time too. */
static void set_date(struct text *x, const char *v, size_t vlen)
{
	const char *sp = memchr(v, ' ', vlen);
	if (sp && memchr(v, ':', vlen)) {
		kbf_wtext_buf_set(&x->date, v, (size_t)(sp - v));
		kbf_wtext_buf_set(&x->time, sp + 1, vlen - (size_t)(sp + 1 - v));
	} else {
		kbf_wtext_buf_set(&x->date, v, vlen);
	}
}

static void field(struct text *x, enum key k, const char *v, size_t vlen, size_t ln)
{
	struct kbf_winevt *ev = &x->ev;
	struct kbf_wtext_buf *dst[] = {
		[K_SOURCE] = &ev->source,
		[K_CATEGORY] = &ev->category, [K_ID] = &ev->id, [K_TIME] = &x->time,
		[K_USER] = &ev->user, [K_COMPUTER] = &ev->computer, [K_LOG] = &ev->log,
		[K_KEYWORDS] = &x->keywords,
	};
	x->have |= 1u << k;
	if (k == K_DATE) {
		set_date(x, v, vlen);
	} else if (k == K_DESC) {
		x->state = DESC;
		x->indent = indent_of(kbf_text_line(x->t, ln));
		x->strip_all = vlen != 0;
		x->desc_lines = 0;
		x->gap = false;
		if (vlen)
			kbf_wtext_buf_set(&ev->message, v, vlen), x->desc_lines = 1;
	} else if (k == K_DATA) {
		x->state = DATA;
	} else if (k == K_TYPE || k == K_LEVEL) {
		kbf_winevt_set_level(ev, v, vlen);
	} else if (k < sizeof(dst) / sizeof(dst[0]) && dst[k]) {
		kbf_wtext_buf_set(dst[k], v, vlen);
		if (k == K_ID)
			ev->id_line = (int)ln + 1;
	}
}

/* "Event Xml:" and the XML up to </Event>.  Returns the last line used. */
static size_t event_xml(struct text *x, size_t ln)
{
	struct kbf_text *t = x->t;
	size_t end = ln + 1;
	const struct kbf_line *l;
	while ((l = kbf_text_line(t, end)) && !kbf_wtext_ifind(l->s, l->len, "</Event>", NULL))
		end++;
	if (!l)
		end--;
	x->state = AFTER;
	x->last = end;
	if (!x->emit || end <= ln)
		return end;
	const char *a = kbf_text_line(t, ln + 1)->s;
	const struct kbf_line *z = kbf_text_line(t, end);
	struct kbf_winevt_xml *px = kbf_winevt_xml_new(a, (size_t)(z->s + z->len - a), (int)ln + 2);
	int r = kbf_winevt_xml_next(px, &x->xev), line;
	if (r < 0) {
		const char *msg = kbf_winevt_xml_error(px, &line);
		x->rc = kbf_input_error(x->in, line, "Event Xml: %s", msg);
	}
	x->has_xml = r == 1;
	kbf_winevt_xml_free(px);
	return end;
}

/* A hex dump line of the Data section: its first DWORD may be the code. */
static bool data_line(struct text *x, const struct kbf_line *l)
{
	size_t after;
	uint32_t d;
	int64_t c;
	if (!hex_line(l, &after))
		return false;
	if (!x->data_read && dump_dword(l, after, &d) && kbf_winevt_dword_code(d, &c)) {
		x->ev.has_data_code = true;
		x->ev.data_code = c;
	}
	x->data_read = true;
	return true;
}

/* Inside a description: true if the line belongs to it. */
static bool in_desc(struct text *x, const struct kbf_line *l, enum key k)
{
	if (starter(k) || k == K_XML || (k == K_DATA && !(x->have & 1u << K_DATA)))
		return false;
	/* After a blank line, text indented less than the description is the
	 * writer's own (a KB article's prose after its quoted events). */
	if (blank(l))
		x->gap = true;
	else if (x->gap && (indent_of(l) < x->indent || (k != K_NONE && (x->have & 1u << k))))
		return false; /* ... or a key this block has: the next block */
	desc_line(x, l);
	return true;
}

/* Handles line ln; returns the next line to read. */
static size_t on_line(struct text *x, size_t ln)
{
	const struct kbf_line *l = kbf_text_line(x->t, ln);
	const char *v = NULL;
	size_t vlen = 0;
	if (x->state == DATA) {
		if (data_line(x, l)) {
			x->last = ln;
			return ln + 1;
		}
		x->state = AFTER;
	}
	enum key k = parse_key(l, &v, &vlen);
	if (x->state == DESC) {
		if (in_desc(x, l, k)) {
			x->last = ln;
			return ln + 1;
		}
		x->state = k == K_DATA || k == K_XML ? HEADER : AFTER;
	}
	if (k == K_XML && x->open)
		return event_xml(x, ln) + 1;
	if (k == K_NONE || k == K_XML)
		return ln + 1;
	if (!x->open || x->state == AFTER || (x->have & 1u << k)) {
		finish(x);
		begin(x, ln);
	}
	field(x, k, v, vlen, ln);
	x->last = ln;
	return ln + 1;
}

/* First pass: dates and times until one decides the locale's day/month
 * order. */
static void date_hints(struct text *x)
{
	const struct kbf_line *l;
	for (size_t ln = 0; !kbf_winevt_dates_decided(&x->dates) && (l = kbf_text_line(x->t, ln)); ln++) {
		kbf_text_release(x->t, ln);
		const char *v = NULL;
		size_t vlen = 0;
		enum key k = parse_key(l, &v, &vlen);
		if (k == K_DATE) {
			set_date(x, v, vlen);
			kbf_winevt_date_hint(&x->dates, x->date.s, x->date.len, x->time.s, x->time.len);
			kbf_wtext_buf_set(&x->time, "", 0);
		} else if (k == K_TIME) {
			kbf_winevt_date_hint(&x->dates, "", 0, v, vlen);
		}
	}
}

/* ---- the importer --------------------------------------------------------------- */

static int probe(struct kbf_text *t)
{
	if (!t->utf8)
		return 0;
	unsigned have = 0;
	for (size_t ln = 0; ln < t->nlines && ln < 400; ln++) {
		const char *v;
		size_t vlen;
		have |= 1u << parse_key(&t->lines[ln], &v, &vlen);
	}
	bool id = have & 1u << K_ID, desc = have & 1u << K_DESC;
	bool kind = have & (1u << K_TYPE | 1u << K_LEVEL), src = have & 1u << K_SOURCE;
	if (id && (have & 1u << K_LOG) && src)
		return 95;
	if (id && desc && (kind || src))
		return 90;
	return id && src ? 70 : 0;
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	if (!t->utf8)
		return kbf_input_error(in, 0, "not text");
	struct text x = {.in = in, .t = t};
	date_hints(&x);
	x.emit = true;
	if (kbf_text_rewind(t) < 0) {
		kbf_input_error(in, 0, "cannot read it again: %s", strerror(errno));
	} else {
		for (size_t ln = 0; kbf_text_line(t, ln);) {
			kbf_text_release(t, x.open ? x.first : ln);
			ln = on_line(&x, ln);
		}
		finish(&x);
	}
	struct kbf_wtext_buf *bufs[] = {&x.date, &x.time, &x.keywords};
	for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		kbf_wtext_buf_free(bufs[i]);
	kbf_winevt_free(&x.ev);
	kbf_winevt_free(&x.xev);
	return x.rc;
}

const struct kbf_importer kbf_eventlog_text_importer = {"eventlog-text", probe, import, KBF_READ_STREAM};
