/*
 * event_message.c — the message of an event that carries insertion
 * strings but no rendered text (a binary log's record, wevtutil XML
 * without RenderingInfo, a legacy .evt record), made before the fact is
 * emitted, so that the engine's pre-filter, which screens events by the
 * text rule patterns need in `message`, sees the message rules will see.
 *
 * The texts come from the loaded knowledge (rules/knowledge/
 * event_messages.lua), facts of two kinds read once per import, at its
 * first event:
 *   event_message  { source, id, template }         an event's message template
 *   system_message { code, text, name, lang }        a system message ("%%10048")
 * With a template for the event's source (any case) and ID, the message
 * is the template rendered as FormatMessage renders it (learn.microsoft.com,
 * "FormatMessage function", Remarks: escape sequences):
 *   %1 .. %99        insertion string n, "!printf format!" after it skipped
 *                    (the strings are text already);
 *   %n  %r  %t  %b   line break, carriage return, tab, space;
 *   %0               ends the message (no line break after it);
 *   %%  %.  %!  %space   "%", ".", "!", " ";
 * a number with no insertion string stays as written ("%3"), as Event
 * Viewer leaves it.  Without a template, it is the insertion strings,
 * trimmed, blank ones left out, joined with ", ".
 * Either way a "%%NNNN" in an insertion string is a reference to system
 * message NNNN (the Service Control Manager's "%%1053", "%%10048":
 * libevtx's documentation, "Parameter expansion"): when the knowledge has
 * that message, the reference becomes its text and NNNN is the error code
 * the event reports unless its message names another; other references
 * (the Security log's "%%1793", a parameter file's text) stay as written.
 *
 * The message is cut at KBF_WINEVT_MESSAGE_MAX bytes: a template that
 * repeats a long insertion string cannot make it grow without bound.
 *
 * The same knowledge names codes in a message that spells no number
 * (kbf_winevt_known_code): the system message's symbolic name as a whole
 * word ("return code WSAEADDRINUSE"), or its text in any language the
 * knowledge has, as the exporting machine's Event Viewer rendered it
 * ("... terminated with the following error: Only one usage of each
 * socket address ...", "Normalerweise darf jede Socketadresse ...").
 * References resolve to the English text only (lang "en" or none): the
 * insertion strings of a binary log are rendered here, in English.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "win_event.h"
#include "xalloc.h"

struct template {
	const char *source; /* interned by the engine: lives as long as it */
	int64_t id;
	const char *text;
};

struct sysmsg {
	int64_t code;
	const char *text;
	size_t word;      /* the text's first word, up to an apostrophe (text_word) */
	ptrdiff_t next;   /* the next text (in knowledge order) starting with the same byte, or -1 */
	const char *name; /* "WSAEADDRINUSE", or NULL */
	bool english;     /* lang "en" or none: what a reference renders to */
};

struct kbf_winevt_msgs {
	const struct kb_engine *eng;
	struct template *t;
	size_t nt;
	struct sysmsg *sys;
	size_t nsys;
	unsigned char firsts[256]; /* the bytes the texts start with, each once: what a search looks for */
	ptrdiff_t first_text[256]; /* by those bytes: the first text starting with it (sysmsg.next goes on) */
	size_t nfirsts;
	struct kbf_wtext_buf out; /* the message being made, kept from event to event */
};

/* ---- the knowledge ------------------------------------------------------------ */

static const char *str_slot(const struct kb_fact *f, int slot)
{
	return slot >= 0 && f->slots[slot].type == KB_STRING ? f->slots[slot].u.s : NULL;
}

static bool int_slot(const struct kb_fact *f, int slot, int64_t *v)
{
	if (slot < 0 || f->slots[slot].type != KB_INT)
		return false;
	*v = f->slots[slot].u.i;
	return true;
}

static size_t text_word(const char *text);

/* Chains the texts by their first byte, in knowledge order. */
static void index_texts(struct kbf_winevt_msgs *m)
{
	ptrdiff_t last[256];
	for (size_t i = 0; i < m->nsys; i++) {
		unsigned char b = (unsigned char)m->sys[i].text[0];
		if (!m->sys[i].word)
			continue;
		if (!memchr(m->firsts, b, m->nfirsts)) {
			m->firsts[m->nfirsts++] = b;
			m->first_text[b] = (ptrdiff_t)i;
		} else {
			m->sys[last[b]].next = (ptrdiff_t)i;
		}
		last[b] = (ptrdiff_t)i;
	}
}

/* Every live fact of the two kinds, once: knowledge is asserted as rules
 * load, before evidence, and is few facts. */
static void load(struct kbf_winevt_msgs *m, const struct kb_engine *eng)
{
	int ek = kb_kind_find(eng, "event_message"), sk = kb_kind_find(eng, "system_message");
	int es = ek < 0 ? -1 : kb_slot_find(eng, ek, "source"), ei = ek < 0 ? -1 : kb_slot_find(eng, ek, "id");
	int et = ek < 0 ? -1 : kb_slot_find(eng, ek, "template");
	int sc = sk < 0 ? -1 : kb_slot_find(eng, sk, "code"), st = sk < 0 ? -1 : kb_slot_find(eng, sk, "text");
	int sn = sk < 0 ? -1 : kb_slot_find(eng, sk, "name"), sl = sk < 0 ? -1 : kb_slot_find(eng, sk, "lang");
	size_t n = ek < 0 && sk < 0 ? 0 : kb_fact_count(eng), capt = 0, caps = 0;
	m->eng = eng;
	for (uint32_t id = 1; id <= n; id++) {
		const struct kb_fact *f = kb_fact_get(eng, id);
		struct template t;
		struct sysmsg s;
		if (!f || !f->live)
			continue;
		if (f->kind == ek && (t.source = str_slot(f, es)) && int_slot(f, ei, &t.id) && (t.text = str_slot(f, et))) {
			if (m->nt == capt)
				m->t = kbu_realloc(m->t, capt = capt ? 2 * capt : 32, sizeof(*m->t));
			m->t[m->nt++] = t;
		} else if (f->kind == sk && int_slot(f, sc, &s.code) && (s.text = str_slot(f, st))) {
			const char *lang = str_slot(f, sl);
			s.name = str_slot(f, sn);
			s.english = !lang || strcmp(lang, "en") == 0;
			s.word = text_word(s.text);
			s.next = -1;
			if (m->nsys == caps)
				m->sys = kbu_realloc(m->sys, caps = caps ? 2 * caps : 32, sizeof(*m->sys));
			m->sys[m->nsys++] = s;
		}
	}
	index_texts(m);
}

void kbf_winevt_msgs_free(struct kbf_winevt_msgs *m)
{
	if (!m)
		return;
	free(m->t);
	free(m->sys);
	kbf_wtext_buf_free(&m->out);
	free(m);
}

static const char *template_for(const struct kbf_winevt_msgs *m, const struct kbf_winevt *ev, int64_t id)
{
	struct kbf_wtext_span src = kbf_wtext_trim(ev->source.s, ev->source.len);
	for (size_t i = 0; i < m->nt; i++)
		if (m->t[i].id == id && kbf_wtext_ieq(src, m->t[i].source))
			return m->t[i].text;
	return NULL;
}

static const char *system_text(const struct kbf_winevt_msgs *m, int64_t code)
{
	for (size_t i = 0; i < m->nsys; i++)
		if (m->sys[i].code == code && m->sys[i].english)
			return m->sys[i].text;
	return NULL;
}

/* ---- codes a message names without a number ------------------------------------- */

/* The length of an apostrophe at p (n bytes left, or a NUL, which stops
 * the comparison): the ASCII one or U+2019, which French Windows texts
 * are printed with either way ("d'accès", "d’accès"); 0 for anything else. */
static size_t apostrophe_at(const char *p, size_t n)
{
	if (n >= 1 && p[0] == '\'')
		return 1;
	const unsigned char *u = (const unsigned char *)p;
	return n >= 3 && u[0] == 0xe2 && u[1] == 0x80 && u[2] == 0x99 ? 3 : 0;
}

/* Whether s[at..] starts with text, any run of white space in either
 * matching any other (exports wrap lines anywhere), either apostrophe the
 * other, and ASCII letters in any case; a full stop that ends text need
 * not be there. */
static bool quotes_text(const char *s, size_t len, size_t at, const char *text)
{
	size_t i = at;
	for (const char *t = text; *t;) {
		if (isspace((unsigned char)*t)) {
			while (isspace((unsigned char)*t))
				t++;
			if (i >= len || !isspace((unsigned char)s[i]))
				return false;
			while (i < len && isspace((unsigned char)s[i]))
				i++;
			continue;
		}
		size_t ta = apostrophe_at(t, SIZE_MAX), sa = ta ? apostrophe_at(s + i, len - i) : 0;
		if (sa) {
			t += ta, i += sa;
			continue;
		}
		if (i >= len)
			return t[0] == '.' && !t[1];
		if (tolower((unsigned char)s[i]) != tolower((unsigned char)*t))
			return t[0] == '.' && !t[1];
		i++, t++;
	}
	return true;
}

/* The length of text's first word, up to a space or an apostrophe of
 * either kind: what a message must hold byte for byte where the text
 * starts (quotes_text() reads the rest). */
static size_t text_word(const char *text)
{
	size_t word = strcspn(text, " '");
	const char *curly = strstr(text, "\xe2\x80\x99");
	return curly && (size_t)(curly - text) < word ? (size_t)(curly - text) : word;
}

/* The first of the texts (in knowledge order) that s[0..len) holds as
 * quotes_text() reads it, or -1.  One memchr pass over s per byte a text
 * starts with, not per text: the knowledge holds each message in several
 * languages, and many start alike. */
static ptrdiff_t find_text(const struct kbf_winevt_msgs *m, const char *s, size_t len)
{
	ptrdiff_t found = -1;
	for (size_t k = 0; k < m->nfirsts && found != 0; k++) {
		for (const char *p = s; (p = memchr(p, m->firsts[k], len - (size_t)(p - s))); p++) {
			size_t at = (size_t)(p - s);
			for (ptrdiff_t i = m->first_text[*(const unsigned char *)p]; i >= 0 && (found < 0 || i < found);
			     i = m->sys[i].next) {
				const struct sysmsg *x = &m->sys[i];
				if (at + x->word <= len && memcmp(p, x->text, x->word) == 0 && quotes_text(s, len, at, x->text))
					found = i;
			}
		}
	}
	return found;
}

/* Whether the symbolic name occurs in s[0..len) as a whole word. */
static bool has_name(const char *s, size_t len, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = s; (p = memchr(p, name[0], len - (size_t)(p - s))); p++) {
		size_t i = (size_t)(p - s);
		if (i + n <= len && memcmp(p, name, n) == 0 && !(i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_')) &&
		    !(i + n < len && (isalnum((unsigned char)s[i + n]) || s[i + n] == '_')))
			return true;
	}
	return false;
}

static struct kbf_winevt_msgs *msgs_of(struct kbf_input *in, struct kbf_winevt *ev)
{
	if (!ev->msgs || ev->msgs->eng != in->eng) {
		kbf_winevt_msgs_free(ev->msgs);
		ev->msgs = kbu_calloc(1, sizeof(*ev->msgs));
		load(ev->msgs, in->eng);
	}
	return ev->msgs;
}

bool kbf_winevt_known_code(struct kbf_input *in, struct kbf_winevt *ev, int64_t *code)
{
	const struct kbf_winevt_msgs *m = msgs_of(in, ev);
	const char *s = ev->message.s;
	size_t len = ev->message.len;
	/* the names first: "WSAEADDRINUSE" is exact */
	for (size_t i = 0; i < m->nsys; i++)
		if (m->sys[i].name && has_name(s, len, m->sys[i].name)) {
			*code = m->sys[i].code;
			return true;
		}
	ptrdiff_t i = find_text(m, s, len);
	if (i >= 0)
		*code = m->sys[i].code;
	return i >= 0;
}

/* ---- rendering ------------------------------------------------------------------- */

struct out {
	struct kbf_wtext_buf *b;
	const struct kbf_winevt_msgs *m;
	bool has_ref;
	int64_t ref;
};

static void put(struct out *o, const char *s, size_t len)
{
	if (o->b->len >= KBF_WINEVT_MESSAGE_MAX)
		return;
	if (len > KBF_WINEVT_MESSAGE_MAX - o->b->len)
		len = kbu_utf8_floor(s, KBF_WINEVT_MESSAGE_MAX - o->b->len);
	kbf_wtext_buf_add(o->b, s, len);
}

/* An insertion string, its "%%NNNN" references resolved. */
static void put_string(struct out *o, const char *s, size_t len)
{
	size_t i = 0, from = 0;
	while (i + 2 < len) {
		size_t j = i + 2;
		int64_t code = 0;
		while (j < len && j - i < 12 && isdigit((unsigned char)s[j]))
			code = code * 10 + (s[j++] - '0');
		if (s[i] != '%' || s[i + 1] != '%' || j == i + 2) {
			i++;
			continue;
		}
		const char *text = system_text(o->m, code);
		if (text && !o->has_ref) /* a known system message is an error code; others ("%%1793",
					  * msobjs.dll's "<value not set>") are not */
			o->has_ref = true, o->ref = code;
		if (text) {
			put(o, s + from, i - from);
			put(o, text, strlen(text));
			from = j;
		}
		i = j;
	}
	put(o, s + from, len - from);
}

/* The insertion string a "%n" names, at t (after the '%'); advances *t
 * past the number and a "!format!" after it.  false if it names none. */
static bool argument(const char **t, size_t *n)
{
	const char *p = *t;
	if (!isdigit((unsigned char)*p) || *p == '0')
		return false;
	*n = (size_t)(*p++ - '0');
	if (isdigit((unsigned char)*p))
		*n = *n * 10 + (size_t)(*p++ - '0');
	if (*p == '!') {
		const char *bang = strchr(p + 1, '!');
		if (bang)
			p = bang + 1;
	}
	*t = p;
	return true;
}

static void render(struct out *o, const char *t, const struct kbf_winevt *ev)
{
	static const char *const escapes[][2] = {{"n", "\n"}, {"r", "\r"}, {"t", "\t"}, {"b", " "},
						  {"%", "%"}, {".", "."}, {"!", "!"}, {" ", " "}};
	while (*t) {
		const char *pct = strchr(t, '%');
		put(o, t, pct ? (size_t)(pct - t) : strlen(t));
		if (!pct)
			return;
		const char *p = pct + 1;
		size_t n, len;
		if (*p == '0')
			return;
		if (argument(&p, &n)) {
			const char *s = n <= ev->strings.n ? kbf_winevt_string(ev, n - 1, &len) : NULL;
			if (s)
				put_string(o, s, len);
			else
				put(o, pct, (size_t)(p - pct));
			t = p;
			continue;
		}
		size_t k = 0, nesc = sizeof(escapes) / sizeof(escapes[0]);
		while (k < nesc && (!*p || *p != escapes[k][0][0]))
			k++;
		put(o, k < nesc ? escapes[k][1] : "%", 1);
		t = k < nesc ? p + 1 : p;
	}
}

static void join(struct out *o, const struct kbf_winevt *ev)
{
	for (size_t i = 0; i < ev->strings.n; i++) {
		size_t len;
		const char *s = kbf_winevt_string(ev, i, &len);
		while (len && isspace((unsigned char)*s)) /* line breaks too, as the XML reader always trimmed */
			s++, len--;
		while (len && isspace((unsigned char)s[len - 1]))
			len--;
		if (!len)
			continue;
		if (o->b->len)
			put(o, ", ", 2);
		put_string(o, s, len);
	}
}

const char *kbf_winevt_make_message(struct kbf_input *in, struct kbf_winevt *ev, int64_t id, bool *has_ref,
				    int64_t *ref)
{
	struct kbf_winevt_msgs *m = msgs_of(in, ev);
	struct kbf_wtext_buf *tmp = &m->out;
	struct out o = {tmp, m, false, 0};
	const char *t = template_for(m, ev, id);
	kbf_wtext_buf_set(tmp, "", 0);
	if (t)
		render(&o, t, ev);
	else
		join(&o, ev);
	kbf_wtext_buf_set(&ev->message, "", 0);
	kbf_wtext_buf_add_uncr(&ev->message, tmp->s, tmp->len, SIZE_MAX);
	kbf_wtext_buf_rtrim(&ev->message);
	*has_ref = o.has_ref;
	*ref = o.ref;
	return t ? "template" : "insertion strings";
}
