/*
 * evtx_xml.c — `wevtutil qe LOG /f:xml` and `/f:RenderedXml` output
 * (also Get-WinEvent's ToXml()): <Event xmlns='...'> roots one after another
 * with no enclosing element, or wrapped in <Events>; attributes in single or
 * double quotes; often UTF-16LE (core/text.c decodes it).  formats.md §6 has a
 * sample; Microsoft's "Event Schema" documents the elements.
 *
 * A small bounded tokenizer of our own (no DTDs, no namespaces beyond
 * dropping a prefix) reads what the schema needs:
 *   System/Provider@EventSourceName (else @Name) -> source;
 *   System/EventID text -> id (Qualifiers ignored); System/Level -> level
 *   (1 critical, 2 error, 3 warning, 0/4 information, 5 verbose), turned into
 *   "audit success"/"audit failure" by the audit keyword bits
 *   (0x0020000000000000 / 0x0010000000000000, winmeta.xml) or RenderingInfo's
 *   <Keyword>Audit Success</Keyword>; TimeCreated@SystemTime -> time;
 *   EventRecordID -> record; Channel -> log; Computer; Security@UserID -> user;
 *   RenderingInfo/Message -> message, else (absent or blank, as when the
 *   provider's message file is missing) the EventData/UserData values joined
 *   with ", "; RenderingInfo/Task -> category.
 * code: from the message (event_util.c), failing that from a <Data> whose
 * name says error/code/status/result, then an unnamed/paramN <Data> holding
 * an HRESULT or Winsock error, then <Binary>'s first DWORD (kbf_winevt_dword_code).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "win_event.h"

#define MAX_DEPTH 48
#define NS "schemas.microsoft.com/win/2004/08/events/event"
#define AUDIT_FAILURE 0x0010000000000000ull
#define AUDIT_SUCCESS 0x0020000000000000ull

/* ---- tokens ----------------------------------------------------------------- */

enum tok_type { T_START, T_END, T_TEXT, T_EOF, T_ERR };

struct tok {
	enum tok_type type;
	const char *name, *attrs, *text;
	size_t nlen, alen, tlen;
	bool empty, cdata;
	size_t start;
	int line;
};

static int fail(struct kbf_winevt_xml *x, int line, const char *what, const char *name, size_t nlen)
{
	x->err_line = line;
	snprintf(x->err, sizeof(x->err), what, (int)(nlen > 40 ? 40 : nlen), name ? name : "");
	return -1;
}

static void move_to(struct kbf_winevt_xml *x, size_t to)
{
	for (size_t i = x->pos; i < to; i++)
		x->line += x->s[i] == '\n';
	x->pos = to;
}

/* Offset of lit at or after from, or len. */
static size_t find(const char *s, size_t len, size_t from, const char *lit)
{
	size_t n = strlen(lit);
	for (size_t i = from; i + n <= len; i++)
		if (s[i] == lit[0] && memcmp(s + i, lit, n) == 0)
			return i;
	return len;
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == ':' || c == '-' || c == '.' ||
	       (unsigned char)c >= 0x80;
}

/* Skips <!-- -->, <? ?>, <!...>; returns -1 when one is unterminated. */
static int skip_markup(struct kbf_winevt_xml *x, struct tok *t, const char *open, const char *close)
{
	size_t e = find(x->s, x->len, x->pos + strlen(open), close);
	if (e == x->len)
		return fail(x, t->line, "unterminated %.*s", open, strlen(open));
	move_to(x, e + strlen(close));
	return 0;
}

static int lex_tag(struct kbf_winevt_xml *x, struct tok *t)
{
	const char *s = x->s;
	size_t i = x->pos + 1, len = x->len;
	t->type = T_START;
	if (i < len && s[i] == '/')
		t->type = T_END, i++;
	size_t n0 = i;
	while (i < len && name_char(s[i]))
		i++;
	if (i == n0)
		return fail(x, t->line, "malformed tag%.*s", "", 0);
	t->name = s + n0, t->nlen = i - n0;
	const char *colon = memchr(t->name, ':', t->nlen);
	if (colon) {
		t->nlen -= (size_t)(colon + 1 - t->name);
		t->name = colon + 1;
	}
	t->attrs = s + i;
	char q = 0;
	for (; i < len; i++) {
		if (q)
			q = s[i] == q ? 0 : q;
		else if (s[i] == '\'' || s[i] == '"')
			q = s[i];
		else if (s[i] == '>' || s[i] == '<')
			break;
	}
	if (i == len || s[i] == '<')
		return fail(x, t->line, "unterminated tag <%.*s", t->name, t->nlen);
	t->empty = i > x->pos && s[i - 1] == '/' && t->type == T_START;
	t->alen = (size_t)(s + i - t->attrs) - t->empty;
	move_to(x, i + 1);
	return 0;
}

static int cdata(struct kbf_winevt_xml *x, struct tok *t)
{
	size_t e = find(x->s, x->len, x->pos + 9, "]]>");
	if (e == x->len)
		return fail(x, t->line, "unterminated %.*s", "CDATA section", 13);
	t->type = T_TEXT, t->cdata = true;
	t->text = x->s + x->pos + 9, t->tlen = e - x->pos - 9;
	move_to(x, e + 3);
	return 0;
}

/* One token into t; comments, processing instructions and declarations
 * are skipped.  Returns t->type. */
static enum tok_type lex(struct kbf_winevt_xml *x, struct tok *t)
{
	for (;;) {
		memset(t, 0, sizeof(*t));
		t->start = x->pos;
		t->line = x->line;
		if (x->pos >= x->len)
			return t->type = T_EOF;
		const char *p = x->s + x->pos;
		size_t left = x->len - x->pos;
		if (*p != '<') {
			const char *lt = memchr(p, '<', left);
			t->type = T_TEXT, t->text = p, t->tlen = lt ? (size_t)(lt - p) : left;
			move_to(x, x->pos + t->tlen);
			return T_TEXT;
		}
		int rc;
		if (left >= 9 && memcmp(p, "<![CDATA[", 9) == 0)
			return cdata(x, t) < 0 ? (t->type = T_ERR) : T_TEXT;
		if (left >= 4 && memcmp(p, "<!--", 4) == 0)
			rc = skip_markup(x, t, "<!--", "-->");
		else if (left >= 2 && p[1] == '?')
			rc = skip_markup(x, t, "<?", "?>");
		else if (left >= 2 && p[1] == '!')
			rc = skip_markup(x, t, "<!", ">");
		else
			return lex_tag(x, t) < 0 ? (t->type = T_ERR) : t->type;
		if (rc < 0)
			return t->type = T_ERR;
	}
}

/* ---- text and attributes ------------------------------------------------------- */

static void put_utf8(struct kbf_wtext_buf *b, unsigned long c)
{
	char u[4];
	if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c < 0xE000))
		c = 0xFFFD;
	if (c < 0x80) {
		kbf_wtext_buf_addc(b, (char)c);
	} else if (c < 0x800) {
		u[0] = (char)(0xC0 | c >> 6), u[1] = (char)(0x80 | (c & 0x3F));
		kbf_wtext_buf_add(b, u, 2);
	} else if (c < 0x10000) {
		u[0] = (char)(0xE0 | c >> 12), u[1] = (char)(0x80 | (c >> 6 & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
		kbf_wtext_buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | c >> 18), u[1] = (char)(0x80 | (c >> 12 & 0x3F));
		u[2] = (char)(0x80 | (c >> 6 & 0x3F)), u[3] = (char)(0x80 | (c & 0x3F));
		kbf_wtext_buf_add(b, u, 4);
	}
}

/* Length of the entity at s ("&amp;", "&#x41;") decoded into b, or 0. */
static size_t entity(struct kbf_wtext_buf *b, const char *s, size_t len)
{
	static const struct {
		const char *name;
		char c;
	} named[] = {{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		size_t n = strlen(named[i].name);
		if (len >= n && memcmp(s, named[i].name, n) == 0) {
			kbf_wtext_buf_addc(b, named[i].c);
			return n;
		}
	}
	if (len < 4 || s[1] != '#')
		return 0;
	bool hex = s[2] == 'x' || s[2] == 'X';
	size_t i = hex ? 3 : 2, start = i;
	unsigned long c = 0;
	for (; i < len && i - start < 8 && (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i])); i++)
		c = c * (hex ? 16 : 10) + (unsigned long)(isdigit((unsigned char)s[i]) ? s[i] - '0' : (tolower((unsigned char)s[i]) - 'a' + 10));
	if (i == start || i >= len || s[i] != ';')
		return 0;
	put_utf8(b, c);
	return i + 1;
}

static void decode(struct kbf_wtext_buf *b, const char *s, size_t len)
{
	kbf_wtext_buf_add(b, "", 0);
	for (size_t i = 0; i < len;) {
		const char *amp = memchr(s + i, '&', len - i);
		size_t run = amp ? (size_t)(amp - s) - i : len - i;
		kbf_wtext_buf_add(b, s + i, run);
		i += run;
		if (i < len) {
			size_t n = entity(b, s + i, len - i);
			if (!n)
				kbf_wtext_buf_addc(b, '&'), n = 1;
			i += n;
		}
	}
}

/* Decodes attribute `name` of a tag into out; false if absent. */
static bool attr(const char *a, size_t len, const char *name, struct kbf_wtext_buf *out)
{
	size_t i = 0;
	while (i < len) {
		while (i < len && isspace((unsigned char)a[i]))
			i++;
		size_t n0 = i;
		while (i < len && a[i] != '=' && !isspace((unsigned char)a[i]))
			i++;
		size_t n1 = i;
		while (i < len && isspace((unsigned char)a[i]))
			i++;
		if (i == len || a[i] != '=' || n1 == n0)
			return false;
		for (i++; i < len && isspace((unsigned char)a[i]); i++)
			;
		if (i == len || (a[i] != '\'' && a[i] != '"'))
			return false;
		const char *q = memchr(a + i + 1, a[i], len - i - 1);
		if (!q)
			return false;
		if (n1 - n0 == strlen(name) && memcmp(a + n0, name, n1 - n0) == 0) {
			out->len = 0;
			decode(out, a + i + 1, (size_t)(q - a) - i - 1);
			return true;
		}
		i = (size_t)(q - a) + 1;
	}
	return false;
}

/* ---- one event ------------------------------------------------------------------ */

struct state {
	struct kbf_winevt *ev;
	const char *name[MAX_DEPTH];
	size_t nlen[MAX_DEPTH];
	int line[MAX_DEPTH];
	bool child[MAX_DEPTH];
	int depth;
	struct kbf_wtext_buf cur, dname, data, rmsg, rlevel, tmp;
	bool has_rmsg, has_level;
	int64_t level;
	uint64_t keywords;
	int code_prio; /* 0 none; 1 named Data, 2 unnamed Data, 3 Binary */
	int64_t code;
};

static bool is(const char *s, size_t len, const char *lit)
{
	return len == strlen(lit) && memcmp(s, lit, len) == 0;
}

static bool section(const struct state *st, const char *lit)
{
	return st->depth >= 2 && is(st->name[1], st->nlen[1], lit);
}

static void trimmed(struct kbf_wtext_buf *out, const struct kbf_wtext_buf *in)
{
	size_t a = 0, b = in->len;
	while (a < b && isspace((unsigned char)in->s[a]))
		a++;
	while (b > a && isspace((unsigned char)in->s[b - 1]))
		b--;
	kbf_wtext_buf_set(out, in->s ? in->s + a : "", b - a);
}

static void on_start(struct state *st, const struct tok *t)
{
	struct kbf_winevt *ev = st->ev;
	if (section(st, "System") && st->depth == 3) {
		if (is(t->name, t->nlen, "Provider") &&
		    (attr(t->attrs, t->alen, "EventSourceName", &st->tmp) ||
		     attr(t->attrs, t->alen, "Name", &st->tmp)))
			kbf_wtext_buf_set(&ev->source, st->tmp.s, st->tmp.len);
		else if (is(t->name, t->nlen, "TimeCreated") && attr(t->attrs, t->alen, "SystemTime", &st->tmp))
			kbf_winevt_utc_time(st->tmp.s, st->tmp.len, &ev->time);
		else if (is(t->name, t->nlen, "Security") && attr(t->attrs, t->alen, "UserID", &st->tmp))
			kbf_wtext_buf_set(&ev->user, st->tmp.s, st->tmp.len);
	} else if (section(st, "EventData") && st->depth == 3 && is(t->name, t->nlen, "Data")) {
		if (!attr(t->attrs, t->alen, "Name", &st->dname))
			kbf_wtext_buf_set(&st->dname, "", 0);
	}
}

static void data_value(struct state *st, const char *name, size_t nlen)
{
	int64_t c;
	trimmed(&st->tmp, &st->cur);
	if (st->data.len && st->tmp.len)
		kbf_wtext_buf_add(&st->data, ", ", 2);
	kbf_wtext_buf_add(&st->data, st->tmp.s, st->tmp.len);
	if (!kbf_winevt_data_value_code(name, nlen, st->tmp.s, st->tmp.len, &c))
		return;
	bool unnamed = nlen == 0 || (nlen > 5 && kbf_wtext_ieq((struct kbf_wtext_span){name, 5}, "param"));
	int prio = unnamed ? 2 : 1;
	if (!st->code_prio || prio < st->code_prio)
		st->code_prio = prio, st->code = c;
}

static void binary(struct state *st)
{
	uint32_t d = 0;
	int n = 0;
	for (size_t i = 0; i < st->cur.len && n < 8; i++) {
		char c = st->cur.s[i];
		if (isspace((unsigned char)c))
			continue;
		if (!isxdigit((unsigned char)c))
			return;
		unsigned v = (unsigned)(isdigit((unsigned char)c) ? c - '0' : tolower((unsigned char)c) - 'a' + 10);
		/* byte n/2 of a little-endian DWORD; the high nibble comes first */
		d |= (uint32_t)v << (8 * (n / 2) + (n % 2 ? 0 : 4));
		n++;
	}
	int64_t c;
	if (n == 8 && !st->code_prio && kbf_winevt_dword_code(d, &c))
		st->code_prio = 3, st->code = c;
}

static void on_system_end(struct state *st, const char *name, size_t nlen, int line)
{
	struct kbf_winevt *ev = st->ev;
	trimmed(&st->tmp, &st->cur);
	int64_t v;
	if (is(name, nlen, "EventID")) {
		kbf_wtext_buf_set(&ev->id, st->tmp.s, st->tmp.len);
		ev->id_line = line;
	} else if (is(name, nlen, "Level") && kbf_parse_error_code(st->tmp.s, st->tmp.len, &v)) {
		st->level = v, st->has_level = true;
	} else if (is(name, nlen, "EventRecordID") && st->tmp.len && st->tmp.len <= 18 &&
		   strspn(st->tmp.s, "0123456789") == st->tmp.len) {
		ev->record = strtoll(st->tmp.s, NULL, 10);
	} else if (is(name, nlen, "Channel")) {
		kbf_wtext_buf_set(&ev->log, st->tmp.s, st->tmp.len);
	} else if (is(name, nlen, "Computer")) {
		kbf_wtext_buf_set(&ev->computer, st->tmp.s, st->tmp.len);
	} else if (is(name, nlen, "Keywords")) {
		unsigned long long k = 0;
		if (sscanf(st->tmp.s ? st->tmp.s : "", "0x%llx", &k) == 1)
			st->keywords |= k;
	}
}

static void on_rendering_end(struct state *st, const char *name, size_t nlen)
{
	trimmed(&st->tmp, &st->cur);
	if (st->depth == 3 && is(name, nlen, "Message")) {
		kbf_wtext_buf_set(&st->rmsg, st->cur.s ? st->cur.s : "", st->cur.len);
		st->has_rmsg = true;
	} else if (st->depth == 3 && is(name, nlen, "Level")) {
		kbf_wtext_buf_set(&st->rlevel, st->tmp.s, st->tmp.len);
	} else if (st->depth == 3 && is(name, nlen, "Task") && st->tmp.len) {
		kbf_wtext_buf_set(&st->ev->category, st->tmp.s, st->tmp.len);
	} else if (st->depth == 4 && is(name, nlen, "Keyword")) {
		const char *lv = kbf_winevt_level(st->tmp.s, st->tmp.len);
		if (lv && strcmp(lv, "audit success") == 0)
			st->keywords |= AUDIT_SUCCESS;
		else if (lv && strcmp(lv, "audit failure") == 0)
			st->keywords |= AUDIT_FAILURE;
	}
}

static void on_end(struct state *st)
{
	const char *name = st->name[st->depth - 1];
	size_t nlen = st->nlen[st->depth - 1];
	bool leaf = !st->child[st->depth - 1];
	if (section(st, "System") && st->depth == 3)
		on_system_end(st, name, nlen, st->line[st->depth - 1]);
	else if (section(st, "EventData") && st->depth == 3 && is(name, nlen, "Data"))
		data_value(st, st->dname.s ? st->dname.s : "", st->dname.len);
	else if (section(st, "EventData") && st->depth == 3 && is(name, nlen, "Binary"))
		binary(st);
	else if (section(st, "UserData") && st->depth >= 3 && leaf)
		data_value(st, name, nlen);
	else if (section(st, "RenderingInfo"))
		on_rendering_end(st, name, nlen);
}

static bool blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

/* Message CRs dropped, so every importer's messages end lines alike. */
static void finish(struct state *st, struct kbf_winevt_xml *x, size_t start)
{
	struct kbf_winevt *ev = st->ev;
	const struct kbf_wtext_buf *msg = st->has_rmsg && !blank(st->rmsg.s, st->rmsg.len) ? &st->rmsg : &st->data;
	kbf_wtext_buf_set(&ev->message, "", 0);
	for (size_t i = 0; i < msg->len; i++)
		if (msg->s[i] != '\r')
			kbf_wtext_buf_addc(&ev->message, msg->s[i]);
	kbf_wtext_buf_rtrim(&ev->message);
	const char *lv = st->has_level ? kbf_winevt_level_number(st->level) : NULL;
	if (!lv && st->rlevel.len)
		lv = kbf_winevt_level(st->rlevel.s, st->rlevel.len);
	if ((!lv || strcmp(lv, "information") == 0) && (st->keywords & (AUDIT_SUCCESS | AUDIT_FAILURE)))
		lv = st->keywords & AUDIT_FAILURE ? "audit failure" : "audit success";
	if (lv)
		kbf_wtext_buf_set(&ev->level, lv, strlen(lv));
	else if (st->rlevel.len)
		kbf_wtext_buf_set(&ev->level, st->rlevel.s, st->rlevel.len);
	ev->has_data_code = st->code_prio != 0;
	ev->data_code = st->code;
	kbf_winevt_set_text(&ev->text, x->s + start, x->pos - start);
}

static int step(struct kbf_winevt_xml *x, struct state *st, const struct tok *t)
{
	switch (t->type) {
	case T_TEXT:
		if (st->depth >= 2) {
			if (t->cdata)
				kbf_wtext_buf_add(&st->cur, t->text, t->tlen);
			else
				decode(&st->cur, t->text, t->tlen);
		}
		return 0;
	case T_START:
		if (st->depth == MAX_DEPTH)
			return fail(x, t->line, "elements nested too deeply at <%.*s>", t->name, t->nlen);
		st->child[st->depth - 1] = true;
		st->name[st->depth] = t->name, st->nlen[st->depth] = t->nlen;
		st->line[st->depth] = t->line, st->child[st->depth] = false;
		st->depth++;
		kbf_wtext_buf_set(&st->cur, "", 0);
		on_start(st, t);
		if (t->empty) {
			on_end(st);
			st->depth--;
		}
		return 0;
	case T_END:
		if (t->nlen != st->nlen[st->depth - 1] || memcmp(t->name, st->name[st->depth - 1], t->nlen) != 0)
			return fail(x, t->line, "</%.*s> closes no open element", t->name, t->nlen);
		on_end(st);
		st->depth--;
		kbf_wtext_buf_set(&st->cur, "", 0);
		return 0;
	case T_EOF:
		return fail(x, st->ev->line, "<Event> cut off: input ends inside <%.*s>",
			    st->name[st->depth - 1], st->nlen[st->depth - 1]);
	default:
		return -1;
	}
}

static int read_event(struct kbf_winevt_xml *x, const struct tok *open, struct kbf_winevt *ev)
{
	struct state st = {.ev = ev, .depth = 1};
	st.name[0] = open->name, st.nlen[0] = open->nlen, st.line[0] = open->line;
	ev->line = open->line;
	int rc = 1;
	if (open->empty)
		rc = fail(x, open->line, "empty <Event/>%.*s", "", 0);
	while (rc == 1 && st.depth > 0) {
		struct tok t;
		lex(x, &t);
		if (step(x, &st, &t) < 0)
			rc = -1;
	}
	if (rc == 1)
		finish(&st, x, open->start);
	struct kbf_wtext_buf *bufs[] = {&st.cur, &st.dname, &st.data, &st.rmsg, &st.rlevel, &st.tmp};
	for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		kbf_wtext_buf_free(bufs[i]);
	return rc;
}

void kbf_winevt_xml_init(struct kbf_winevt_xml *x, const char *s, size_t len, int line)
{
	memset(x, 0, sizeof(*x));
	x->s = s, x->len = len, x->line = line;
}

int kbf_winevt_xml_next(struct kbf_winevt_xml *x, struct kbf_winevt *ev)
{
	kbf_winevt_reset(ev);
	for (;;) {
		struct tok t;
		lex(x, &t);
		if (t.type == T_EOF)
			return 0;
		if (t.type == T_ERR)
			return -1;
		if (t.type == T_TEXT && !t.cdata && blank(t.text, t.tlen))
			continue;
		if (t.type != T_TEXT && is(t.name, t.nlen, "Events"))
			continue;
		if (t.type == T_START && is(t.name, t.nlen, "Event"))
			return read_event(x, &t, ev);
		if (t.type == T_TEXT) {
			int line = t.line;
			for (size_t i = 0; i < t.tlen && isspace((unsigned char)t.text[i]); i++)
				line += t.text[i] == '\n';
			return fail(x, line, "text outside <Event>%.*s", "", 0);
		}
		if (t.type == T_END)
			return fail(x, t.line, "expected <Event>, found </%.*s>", t.name, t.nlen);
		return fail(x, t.line, "expected <Event>, found <%.*s>", t.name, t.nlen);
	}
}

/* ---- the importer --------------------------------------------------------------- */

static int probe(const struct kbf_text *t)
{
	if (!t->utf8)
		return 0;
	const char *s = t->utf8, *end = s + t->len;
	for (;;) {
		while (s < end && isspace((unsigned char)*s))
			s++;
		if (end - s >= 2 && s[0] == '<' && (s[1] == '?' || s[1] == '!')) {
			const char *gt = memchr(s, '>', (size_t)(end - s));
			if (!gt)
				return 0;
			s = gt + 1;
			continue;
		}
		break;
	}
	if (end - s < 7 || memcmp(s, "<Event", 6) != 0 || (s[6] != ' ' && s[6] != '>' && s[6] != 's'))
		return 0;
	size_t window = (size_t)(end - s) < 4096 ? (size_t)(end - s) : 4096;
	if (find(s, window, 0, NS) < window)
		return 95;
	return find(s, window, 0, "<System>") < window ? 80 : 0;
}

static int import(struct kbf_input *in, const struct kbf_text *t)
{
	if (!t->utf8)
		return kbf_input_error(in, 0, "not text");
	struct kbf_winevt_xml x;
	struct kbf_winevt ev = {0};
	kbf_winevt_xml_init(&x, t->utf8, t->len, 1);
	int rc = 0, r;
	int64_t n = 0;
	while ((r = kbf_winevt_xml_next(&x, &ev)) != 0) {
		if (r < 0) {
			rc = kbf_input_error(in, x.err_line, "%s", x.err);
			break;
		}
		n++;
		if (ev.record < 0)
			ev.record = n;
		if (kbf_winevt_emit(in, &ev) < 0)
			rc = -1;
	}
	kbf_winevt_free(&ev);
	return rc;
}

const struct kbf_importer kbf_wevtutil_xml_importer = {"wevtutil-xml", probe, import};
